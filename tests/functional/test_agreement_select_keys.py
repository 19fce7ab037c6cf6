"""Keys typed straight after choosing in one of the agreement editor's lists are all kept: the
list closed a few messages after Enter and ate what came meanwhile (its type-to-search took the
letters, and the list took the keyboard back from the field Tab had moved to)."""

from __future__ import annotations

from textual import events

from tui.screens.agreements.editor import AgreementEditorScreen
from tui.screens.shell.home import HomeScreen
from tui.widgets.draft_area import DraftArea

from tests.helpers import wait_for


def burst(app, keys: list[str]) -> None:
    """Keys as a terminal delivers a fast burst: all queued at once, none waited on."""
    for key in keys:
        app.post_message(events.Key(key, " " if key == "space" else key if len(key) == 1 else None))


async def open_editor(pilot, app) -> AgreementEditorScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    await pilot.press("3")
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("enter")  # a blank page
    await wait_for(pilot, lambda: isinstance(app.screen, AgreementEditorScreen) and app.screen.query("#text"))
    await pilot.pause()
    return app.screen


async def test_words_typed_straight_after_choosing_the_writer_reach_the_text(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_editor(pilot, app)
        screen.query_one("#writer").focus()
        await wait_for(pilot, lambda: app.focused is screen.query_one("#writer"))
        await pilot.press("enter")  # the list opens
        await wait_for(pilot, lambda: screen.query_one("#writer").expanded)
        burst(app, ["down", "enter", "tab", *"We keep", "space", *"Sundays"])
        area = screen.query_one("#text", DraftArea)
        await wait_for(pilot, lambda: area.text == "We keep Sundays")
        assert app.focused is area and screen.query_one("#writer").value == 0


async def test_a_name_typed_straight_after_choosing_a_category_of_our_own_is_kept(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_editor(pilot, app)
        screen.query_one("#category").focus()
        await wait_for(pilot, lambda: app.focused is screen.query_one("#category"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.query_one("#category").expanded)
        burst(app, ["end", "enter", *"Weekends"])
        own = screen.query_one("#own-category")
        await wait_for(pilot, lambda: own.value == "Weekends")
        assert app.focused is own
