"""Issue 17: after a round, the widgets alive are the ones on screen (no leak). Not timed.

Textual's Footer kept every FooterKey it ever made alive (a data-binding watcher per key, see
tui/widgets/footer.py): after one round, over a thousand removed keys were still in memory."""

from __future__ import annotations

import gc

from textual._context import visible_screen_stack
from textual.widget import Widget

from tests.functional.test_rounds_screens import app_factory, decks_dir, start_round, write_and_submit  # noqa: F401
from tests.helpers import wait_for
from tui.screens.rounds.play import RoundPlayScreen
from tui.screens.shared.curtain import CurtainScreen
from tui.screens.shell.home import HomeScreen


def stray_widgets(app, before: set[int] = frozenset()) -> list[str]:
    """The kinds of the widgets alive (after a full collection) that no screen of the app holds
    (names only: a list of the widgets themselves would keep them alive for the next look).
    `before`: widgets alive before the app started (another test's), which are not its own."""
    # Reading the screen (screen_text) leaves the screens under the one read in a context variable
    # of the test's own task, until the next read: not a leak of the app's.
    visible_screen_stack.set([])
    gc.collect()
    shown: set[int] = set()
    screens = [*app.screen_stack, *app._installed_screens.values()]
    for screen in screens:
        if isinstance(screen, Widget):
            shown.update(id(node) for node in screen.walk_children(with_self=True))
    return [type(o).__name__ for o in gc.get_objects()
            if isinstance(o, Widget) and id(o) not in shown and id(o) not in before and o is not app]


async def play_to_summary(pilot, app) -> None:
    """Play the round on screen to its summary, whatever cards it drew (an activity card has one
    turn, a question two; Write & reveal has a gate before each reveal)."""
    for _ in range(60):
        await pilot.pause()
        screen = app.screen
        if isinstance(screen, CurtainScreen):
            await pilot.press("space")
        elif isinstance(screen, RoundPlayScreen):
            if screen._view == "summary":
                return
            if screen._view == "gate":
                await pilot.press("enter")
            elif screen._view == "reveal":
                await pilot.press("n")
            elif screen._view in ("ask", "private"):
                await write_and_submit(pilot, app, "an answer")  # its query_one caches the box
    raise AssertionError("the round never reached its summary")


async def play_talk_round(pilot, app, cards: int) -> None:
    """A whole Talk round, and back home."""
    await start_round(pilot, app, "talk", length=f"cards:{cards}", depth="climb")
    await play_to_summary(pilot, app)
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    await pilot.pause()


async def test_widgets_alive_after_rounds_are_the_ones_on_screen(app_factory):
    gc.collect()
    before = {id(o) for o in gc.get_objects() if isinstance(o, Widget)}
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause()
        for _ in range(2):
            await play_talk_round(pilot, app, 3)
            # A popped screen is torn down by its own task, a moment after home is back.
            for _ in range(100):
                stray = stray_widgets(app, before)
                if not stray:
                    break
                await pilot.pause(0.02)
            assert not stray, f"{len(stray)} widgets alive off screen, e.g. {sorted(set(stray))}"


async def test_answer_boxes_of_earlier_cards_are_let_go_during_the_round(app_factory):
    """While a round goes on, each card's views are swapped for the next on one screen. Textual
    kept every removed answer box alive as long as that screen: the screen's text-selection
    signal held it, and so did the cache of query_one answers and, until the next screen change,
    the app's theme watcher (tui/widgets/watchers.py)."""
    gc.collect()
    before = {id(o) for o in gc.get_objects() if isinstance(o, Widget)}
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await start_round(pilot, app, "write", length="cards:3", depth="climb")
        await play_to_summary(pilot, app)
        for _ in range(100):
            stray = [kind for kind in stray_widgets(app, before) if kind in ("AnswerArea", "DraftArea")]
            if not stray:
                break
            await pilot.pause(0.02)
        assert not stray, f"{len(stray)} answer boxes of earlier cards still alive"
