"""Pilot tests for question rounds: each mode end to end, privacy behind the curtain,
resuming after a restart, then-and-now, and History."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.screen import Screen
from textual.widgets import Select

from tui.app import HearthApp
from tui.core.rounds import Choices, new_round, plan_round
from tui.screens.shared.curtain import CurtainScreen
from tui.screens.history.browse import ConfirmDeleteScreen, HistoryScreen, RoundDetailScreen
from tui.screens.shell.home import HomeScreen
from tui.screens.rounds.dialogs import LeaveRoundScreen
from tui.screens.rounds.play import RoundPlayScreen
from tui.screens.rounds.setup import DeckPicker, RoundSetupScreen
from tui.store import Store
from tui.store import rounds as store_rounds
from tui.widgets.draft_area import DraftArea

from tests.helpers import screen_text, type_text, wait_for

TINY = """
[deck]
id = "tiny"
title = "Tiny deck"
description = "A few cards, for tests."

[[cards]]
id = "t1"
text = "What made you smile this week?"
depth = 1
know_me = true
follow_ups = ["Who else was there?"]

[[cards]]
id = "t2"
text = "Which small habit of yours are you proud of?"
depth = 1
know_me = true

[[cards]]
id = "t3"
text = "What do you wish people asked you about more often?"
depth = 2
know_me = true

[[cards]]
id = "t4"
text = "Where do you feel most at home these days?"
depth = 2
know_me = true

[[cards]]
id = "t5"
text = "What are you still learning to forgive yourself for?"
depth = 3

[[cards]]
id = "t6"
text = "Let's each describe a perfect lazy Sunday, hour by hour."
depth = 1
kind = "activity"
"""


@pytest.fixture
def decks_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "tiny.toml").write_text(TINY, encoding="utf-8")
    return folder


@pytest.fixture
def app_factory(make_app, decks_dir):
    def factory(store: Store | None = None) -> HearthApp:
        return make_app(store, [decks_dir])

    return factory


async def open_setup(pilot, app) -> RoundSetupScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    await pilot.press("1")
    await wait_for(pilot, lambda: isinstance(app.screen, RoundSetupScreen))
    await pilot.pause()
    return app.screen


async def start_round(pilot, app, mode: str, length: str = "cards:3", depth: str = "climb", first: str = "a"):
    screen = await open_setup(pilot, app)
    picker = screen.query_one("#decks", DeckPicker)
    if "tiny" not in picker.selected:
        picker.toggle_index(0)
    screen.query_one("#mode", Select).value = mode
    screen.query_one("#length", Select).value = length
    screen.query_one("#depth", Select).value = depth
    screen.query_one("#first", Select).value = first
    await pilot.pause()
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, (CurtainScreen, RoundPlayScreen)))


def play_screen(app) -> RoundPlayScreen:
    return next(s for s in app.screen_stack if isinstance(s, RoundPlayScreen))


async def lift_curtain(pilot, app, name: str) -> None:
    """Wait for the curtain naming `name`, then press a key as that person would."""
    await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
    await pilot.pause()
    assert f"Pass the keyboard to" in screen_text(app) and name in screen_text(app)
    await pilot.press("space")
    await wait_for(pilot, lambda: isinstance(app.screen, RoundPlayScreen) and app.screen._view in ("ask", "private"))
    await pilot.pause()


async def write_and_submit(pilot, app, text: str, *, typed: bool = False) -> None:
    """Write in the answer box (key by key when `typed`, else pasted in one go) and save."""
    if typed:
        await type_text(pilot, text)
    else:
        app.screen.query_one("#answer", DraftArea).insert(text)
    await pilot.press("ctrl+s")


async def wait_view(pilot, app, *views: str) -> None:
    await wait_for(pilot, lambda: isinstance(app.screen, RoundPlayScreen) and app.screen._view in views)
    await pilot.pause()


# -- setup -------------------------------------------------------------------------------------------

async def test_setup_says_when_no_deck_is_chosen_and_remembers_choices(app_factory, ready_store):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot, app)
        assert "Tiny deck" in screen_text(app) and "6 cards" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "No deck chosen" in screen_text(app)
        assert isinstance(app.screen, RoundSetupScreen)
        screen.query_one("#decks", DeckPicker).focus()
        await pilot.press("enter")  # ticks the highlighted deck
        screen.query_one("#mode", Select).value = "knowme"
        await pilot.pause()
        assert "No deck chosen" not in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
    remembered = store_rounds.last_choices(ready_store)
    assert remembered.decks == ("tiny",) and remembered.mode == "knowme"


# -- each mode end to end ------------------------------------------------------------------------------

async def test_talk_round_end_to_end(app_factory, ready_store):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_round(pilot, app, "talk", length="cards:3", depth="deeper", first="b")
        play_screen(app).state.closing = "End with a long hug."  # a closing that offers its timer
        await lift_curtain(pilot, app, "Sam")
        text = screen_text(app)
        assert "your turn to ask" in text and "Read this aloud to" in text and "While you listen" in text
        assert all(len(line) <= 80 for line in text.splitlines())
        assert "Pass on this card" in text and "Save & go on" in text  # buttons and footer fit 80x24
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "left (ctrl+r stops it)" in screen_text(app)
        await write_and_submit(pilot, app, "loves the sea")
        await lift_curtain(pilot, app, "Ana")
        await pilot.press("ctrl+s")  # no note this time
        await wait_view(pilot, app, "reveal")
        assert "loves the sea" in screen_text(app)
        await pilot.press("s")  # star it
        await pilot.press("n")
        await lift_curtain(pilot, app, "Ana")
        await pilot.press("ctrl+o")  # pass: no comment, no count
        await wait_for(pilot, lambda: isinstance(app.screen, (CurtainScreen, RoundPlayScreen)))
        await wait_view(pilot, app, "summary")
        text = screen_text(app)
        assert "The round is complete" in text and "one card" in text and "To close" in text
        assert "pass" not in text.lower()
        await pilot.click("#closing-timer")
        await pilot.pause()
        app.clock.advance(seconds=21)
        play_screen(app)._tick()
        await pilot.pause()
        assert "That's the time" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    [state] = store_rounds.list_rounds(ready_store)
    assert state.status == "done" and [c.status for c in state.cards] == ["done", "passed"]
    assert state.cards[0].notes == {1: "loves the sea"}
    assert len(store_rounds.starred(ready_store)) == 1


async def test_the_last_cards_key_says_finish(app_factory, ready_store):
    """On the last card's reveal the footer names n for what it does: Finish, not Next card."""
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await start_round(pilot, app, "talk", length="cards:3", depth="deeper")
        cards = len(play_screen(app).state.cards)
        assert cards >= 2
        for card in range(cards):
            await lift_curtain(pilot, app, "")
            await write_and_submit(pilot, app, f"answer {card}")
            await lift_curtain(pilot, app, "")
            await pilot.press("ctrl+s")
            await wait_view(pilot, app, "reveal")
            footer = screen_text(app).splitlines()[-1]
            if card < cards - 1:
                assert "Next card" in footer and "Finish" not in footer
                await pilot.press("n")
        assert "Finish" in footer and "Next card" not in footer
        await pilot.press("n")
        await wait_view(pilot, app, "summary")


async def test_know_me_round_end_to_end(app_factory, ready_store):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_round(pilot, app, "knowme", length="cards:3", depth="deeper")
        for card, rating in zip(range(2), ("1", "3")):
            subject, guesser = ("Ana", "Sam") if card % 2 == 0 else ("Sam", "Ana")
            await lift_curtain(pilot, app, subject)
            assert "Answer about yourself" in screen_text(app)
            await write_and_submit(pilot, app, f"truth{card}")
            await lift_curtain(pilot, app, guesser)
            assert "Write your guess" in screen_text(app)
            await write_and_submit(pilot, app, f"guess{card}")
            await wait_view(pilot, app, "gate")
            await pilot.press("enter")
            await wait_view(pilot, app, "reveal")
            assert "how close was the guess" in screen_text(app)
            await pilot.press(rating)
            await pilot.press("n")
        await wait_view(pilot, app, "summary")
        text = screen_text(app)
        assert "This isn't a score" in text and "What landed" in text and "New to discover" in text
        assert "1 spot on" in text and "1 still to discover" in text
    [state] = store_rounds.list_rounds(ready_store)
    assert [c.closeness for c in state.cards] == ["Spot on", "Not quite"]


# -- privacy ---------------------------------------------------------------------------------------------

async def test_write_and_reveal_privacy_end_to_end(app_factory, ready_store):
    """A whole Write & reveal round (one deepest card), reading the screen at every hand-over."""
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_round(pilot, app, "write", depth="deepest")
        await lift_curtain(pilot, app, "Ana")
        await write_and_submit(pilot, app, "AX7", typed=True)
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        await pilot.pause()
        assert "AX7" not in screen_text(app)
        assert "Sam" in screen_text(app)
        await pilot.press("space")
        await wait_view(pilot, app, "private")
        assert "AX7" not in screen_text(app) and "only you can see this" in screen_text(app)
        await type_text(pilot, "SX7")
        # a pause (or any screen) on top and back: the turn is intact
        await app.push_screen(Screen())
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        assert app.screen.query_one("#answer", DraftArea).text == "SX7"
        await pilot.press("ctrl+s")
        await wait_view(pilot, app, "gate")
        assert "AX7" not in screen_text(app) and "SX7" not in screen_text(app)
        assert "r Reveal" in screen_text(app)  # the key is in the footer
        await pilot.press("enter")
        await wait_view(pilot, app, "reveal")
        assert "AX7" in screen_text(app) and "SX7" in screen_text(app)
        await pilot.press("n")
        await wait_view(pilot, app, "summary")
        assert "You went through one card together" in screen_text(app)
    [state] = store_rounds.list_rounds(ready_store)
    assert state.status == "done" and state.cards[0].answers == {0: "AX7", 1: "SX7"}
    assert store_rounds.open_round(ready_store) is None


async def test_know_me_privacy(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_round(pilot, app, "knowme", first="b")
        await lift_curtain(pilot, app, "Sam")
        await write_and_submit(pilot, app, "SAMTRUTH")
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        await pilot.pause()
        assert "SAMTRUTH" not in screen_text(app)
        await pilot.press("space")
        await wait_view(pilot, app, "private")
        assert "SAMTRUTH" not in screen_text(app) and "Write your guess" in screen_text(app)
        await write_and_submit(pilot, app, "ANAGUESS")
        await wait_view(pilot, app, "gate")
        assert "SAMTRUTH" not in screen_text(app) and "ANAGUESS" not in screen_text(app)
        await pilot.press("enter")
        await wait_view(pilot, app, "reveal")
        assert "SAMTRUTH" in screen_text(app) and "ANAGUESS" in screen_text(app)
        await pilot.press("n")  # not yet: the one who answered says how close first
        await pilot.pause()
        assert "choose how close" in screen_text(app) and app.screen._view == "reveal"


# -- resuming ----------------------------------------------------------------------------------------------

async def test_resume_after_restart_at_same_card_and_turn(app_factory, ready_store, db_path, clock):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_round(pilot, app, "write", length="cards:3", depth="deeper", first="b")
        await lift_curtain(pilot, app, "Sam")
        await pilot.press("ctrl+o")  # card 1 passed: the round moves to card 2, Ana first
        await lift_curtain(pilot, app, "Ana")
        await write_and_submit(pilot, app, "ANASAVED")
        await lift_curtain(pilot, app, "Sam")
        await type_text(pilot, "half a thought")
        await pilot.press("ctrl+q")  # quit mid-turn; the draft is kept
        await wait_for(pilot, lambda: not app.is_running)
    ready_store.close()
    store = Store.open(db_path, clock=clock, background=False)  # a fresh start from the file
    try:
        app = app_factory(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
            await wait_for(pilot, lambda: "Resume the round you left" in screen_text(app))  # due lines follow home
            await pilot.press("1")
            await wait_for(pilot, lambda: isinstance(app.screen, RoundSetupScreen))
            await pilot.pause()
            assert "card 2 of 2" in screen_text(app)
            await pilot.click("#resume")
            await lift_curtain(pilot, app, "Sam")  # the same card, the same turn
            text = screen_text(app)
            assert "Card 2 of 2" in text and "ANASAVED" not in text
            assert app.screen.query_one("#answer", DraftArea).text == "half a thought"
            await pilot.press("ctrl+s")
            await wait_view(pilot, app, "gate")
            await pilot.press("enter")
            await wait_view(pilot, app, "reveal")
            assert "ANASAVED" in screen_text(app) and "half a thought" in screen_text(app)
    finally:
        store.close()


async def test_start_new_instead_of_resuming(app_factory, ready_store):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_round(pilot, app, "write")
        await lift_curtain(pilot, app, "Ana")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#later")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("1")
        await wait_for(pilot, lambda: isinstance(app.screen, RoundSetupScreen))
        await pilot.pause()
        await pilot.click("#fresh")
        await pilot.pause()
        assert "Start the round" in screen_text(app)
    assert store_rounds.open_round(ready_store) is None


# -- then and now, History -----------------------------------------------------------------------------------

def seed_round(store: Store, decks, key: str, when, texts=("OLDANA the garden", "OLDSAM a letter")) -> None:
    """A finished Write & reveal round on one card, at `when`."""
    import random

    card = decks.card(key)
    choices = Choices(decks=("tiny",), depth="light", length=1, mode="write", first="a")
    plan = plan_round([card], choices, usage={}, seq=1, window=20, rng=random.Random(1))
    state = store_rounds.start_round(store, new_round(plan, choices, deck_titles={"tiny": "Tiny deck"},
                                                      names=("Ana", "Sam"), now=when, rng=random.Random(1)))
    state.submit(texts[0])
    state.submit(texts[1])
    state.finish_card(when)
    store_rounds.end_round(store, state, when)


def seed_old_round(store: Store, decks, clock) -> None:
    """Card t1, fourteen months ago."""
    seed_round(store, decks, "tiny/t1", clock.now() - timedelta(days=427))


async def test_then_and_now_after_the_reveal(app_factory, ready_store, clock):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        seed_old_round(ready_store, app.decks, clock)
        seed_round(ready_store, app.decks, "tiny/t2", clock.now() - timedelta(days=2), ("a", "b"))
        screen = await open_setup(pilot, app)
        picker = screen.query_one("#decks", DeckPicker)
        picker.toggle_index(0)
        screen.query_one("#mode", Select).value = "write"
        screen.query_one("#depth", Select).value = "light"
        screen.query_one("#length", Select).value = "cards:3"
        screen.query_one("#first", Select).value = "a"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await lift_curtain(pilot, app, "Ana")
        # t1 and t2 are the only light questions and both were met lately: they come back,
        # the one met longest ago first, and the screen says so
        text = screen_text(app)
        assert "Only 2 cards fit" in text and "met every card here" in text
        assert "What made you smile this week?" in text
        await write_and_submit(pilot, app, "now one")
        await lift_curtain(pilot, app, "Sam")
        await write_and_submit(pilot, app, "now two")
        await wait_view(pilot, app, "gate")
        await pilot.press("enter")
        await wait_view(pilot, app, "reveal")
        text = screen_text(app)
        assert "Then and now" in text and "14 months ago" in text and "OLDANA the garden" in text


async def test_history_lists_opens_searches_and_deletes(app_factory, ready_store, clock):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        seed_old_round(ready_store, app.decks, clock)
        store_rounds.toggle_star(ready_store, "tiny/t2", "Which small habit?", "Tiny deck", clock.now())
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.pause()
        text = screen_text(app)
        assert "Write & reveal" in text and "Tiny deck" in text and "2025" in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RoundDetailScreen))
        await pilot.pause()
        assert "OLDANA the garden" in screen_text(app) and "OLDSAM a letter" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("slash")
        await type_text(pilot, "letter")
        await wait_for(pilot, lambda: "1 found" in screen_text(app))  # from the search's worker
        assert "1 found" in screen_text(app) and "OLDSAM a letter" in screen_text(app)
        await pilot.press("enter")  # from the search field into the results
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RoundDetailScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        app.screen.query_one("#tabs").active = "tab-starred"
        await pilot.pause()
        assert "Which small habit?" in screen_text(app)
        app.screen.query_one("#tabs").active = "tab-rounds"
        await pilot.pause()
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDeleteScreen))
        await pilot.press("enter")  # "Keep it" has the focus: nothing is deleted
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        assert len(store_rounds.list_rounds(ready_store)) == 1
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDeleteScreen))
        await pilot.click("#delete")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.pause()
        assert "No rounds yet" in screen_text(app)
    assert store_rounds.list_rounds(ready_store) == []


async def test_history_lists_a_page_of_rounds_and_shows_older_on_request(app_factory, ready_store, clock, monkeypatch):
    """Long histories are listed a page at a time (drawing ten years of rounds took over a second)."""
    from tui.screens.history import browse as history

    monkeypatch.setattr(history, "PAGE", 2)
    monkeypatch.setattr(HistoryScreen, "_shown", 2)
    app = app_factory()
    for days in (30, 20, 10):
        seed_round(ready_store, app.decks, "tiny/t1", clock.now() - timedelta(days=days))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.pause()
        listing = app.screen.query_one("#rounds")
        assert listing.option_count == 3 and "Show 1 older round (1 not listed yet)" in screen_text(app)
        await pilot.press("end")
        await pilot.press("d")  # on the "older" line: nothing to delete, and it says so
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDeleteScreen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: listing.get_option_at_index(2).id != "more")
        assert listing.option_count == 3 and listing.highlighted == 2 and "not listed" not in screen_text(app)


# -- shipped decks play ----------------------------------------------------------------------------------

async def test_a_round_with_each_special_deck_and_a_sample_of_the_rest(make_app, ready_store):
    """A card from each deck played here through the real setup and play screens: write & reveal for
    decks with questions, talk for all-activity decks (activities are not written). Opt-in decks are
    turned on first; a challenge deck plays today's card (day 1 of its first week, together). The
    fixture decks are played too, so a challenge and an opt-in deck are always among them."""
    from tui.core.decks import load_decks
    from tui.paths import shipped_decks_dir
    from tui.store.optin import set_deck_on

    dirs = [shipped_decks_dir(), Path(__file__).parent.parent / "fixtures" / "decks"]
    found = load_decks(dirs)
    every = found.decks
    assert found.problems == [] and len(every) >= 16 + 3
    # Through the screens: the fixture decks (a challenge and an opt-in deck among them), every
    # shipped challenge and opt-in deck, and a fixed sample of the others (all 33 took two minutes
    # of every run); every deck's cards are checked by tests/unit/test_decks.py.
    import random

    fixtures = [d for d in every if "fixtures" in Path(d.path).parts]
    special = [d for d in every if d not in fixtures and (d.challenge or d.opt_in)]
    plain = [d for d in every if d not in fixtures and d not in special]
    decks = fixtures + special + random.Random(7).sample(plain, min(8, len(plain)))
    assert any(d.challenge for d in decks) and any(d.opt_in for d in decks)
    for deck in decks:
        if deck.opt_in:
            set_deck_on(ready_store, deck.id, True)
    app = make_app(None, dirs)
    async with app.run_test(size=(80, 24)) as pilot:
        for n, deck in enumerate(decks):
            writes = not deck.challenge and any(c.kind == "question" for c in deck.cards)
            screen = await open_setup(pilot, app)
            if screen.query("#resume-box") and screen.query_one("#resume-box").display:  # made only when offered
                await pilot.click("#fresh")  # the round left just before is offered back; start anew
                await pilot.pause()
            picker = screen.query_one("#decks", DeckPicker)
            for index, (value, *_rest) in enumerate(picker.entries):
                if (value in picker.chosen) != (value == deck.id):
                    picker.toggle_index(index)
            assert picker.selected == [deck.id]
            screen.query_one("#mode", Select).value = "write" if writes else "talk"
            screen.query_one("#length", Select).value = "cards:3"
            screen.query_one("#first", Select).value = "a"
            await pilot.pause()
            await pilot.press("ctrl+s")
            await lift_curtain(pilot, app, "Ana")
            card = play_screen(app).state.cards[0]
            assert card.text.split()[0] in screen_text(app), deck.id  # the card itself is on screen
            if deck.challenge:
                assert card.key == deck.week_cards(deck.week_numbers()[0])[0].key  # day 1 comes first
            if writes:
                # short words: a deck id can be longer than a reveal box is wide, and wrap
                await write_and_submit(pilot, app, f"ana on deck {n}")
                await lift_curtain(pilot, app, "Sam")
                await write_and_submit(pilot, app, f"sam on deck {n}")
                await wait_view(pilot, app, "gate", "reveal")
                if app.screen._view == "gate":
                    await pilot.press("enter")
                    await wait_view(pilot, app, "reveal")
                text = screen_text(app)
                assert f"ana on deck {n}" in text and f"sam on deck {n}" in text, deck.id
            await pilot.press("escape")  # leave the round for later; it stays in History
            await wait_for(pilot, lambda: isinstance(app.screen, LeaveRoundScreen))
            await pilot.click("#later")
            await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    # each written one kept: set aside in History (a talk round left with nothing said is removed)
    kept = {t for r in store_rounds.list_rounds(ready_store) for t in r.deck_titles}
    written = {d.title for d in decks if not d.challenge and any(c.kind == "question" for c in d.cards)}
    assert written <= kept, written - kept


async def test_a_pause_over_a_private_turn_brings_the_curtain_back(app_factory, ready_store):
    """The keyboard may change hands during a pause: coming back, the private turn waits behind
    the curtain, and its draft is still there for its owner."""
    from tui.screens.pause.common import PauseScreenBase

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_round(pilot, app, "write", first="a")
        await lift_curtain(pilot, app, "Ana")
        await type_text(pilot, "ANA-PRIVATE")
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseScreenBase))
        assert not play_screen(app).body.display  # hidden at once, under the pause
        await pilot.press("escape")  # back out of the pause (anyone may be at the keyboard now)
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        await pilot.pause()
        text = screen_text(app)
        assert "Pass the keyboard to" in text and "Ana" in text and "ANA-PRIVATE" not in text
        await pilot.press("space")
        await wait_view(pilot, app, "private")
        await wait_for(pilot, lambda: app.screen.query_one("#answer", DraftArea).text == "ANA-PRIVATE")
        assert "ANA-PRIVATE" in screen_text(app)


async def test_a_wrapped_summary_line_stays_under_its_text():
    """The end of a round lists the cards; a long one wraps under its text, not under the bullet."""
    from textual.app import App

    from rich.text import Text

    from tui.widgets.bullet import BulletList

    class One(App):
        def compose(self):
            yield BulletList([("•", Text("What is something small you would like to try together this month?")),
                              ("★", Text("A second card"))])

    app = One()
    async with app.run_test(size=(30, 8)) as pilot:
        await pilot.pause()
        from textual.geometry import Region

        widget = app.query_one(BulletList)
        strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
        lines = [strip.text.rstrip() for strip in strips if strip.text.strip()]
        assert lines[0].startswith("• What is")
        assert len(lines) > 3 and all(line.startswith("  ") and line[2] != " " for line in lines[1:-1])
        assert lines[-1] == "★ A second card"  # each line keeps its own marker


async def test_keys_typed_at_first_sight_of_a_turn_reach_the_answer(app_factory, monkeypatch):
    """The screen repaints on its own timer, even while a step is still being mounted. A person
    who starts typing as soon as their turn is named on screen must not lose those first keys (a CI
    run once lost the first 15 characters of a draft). Here the timer fires in the middle of the
    mount, and a key is sent the moment a frame first shows the turn's banner."""
    from textual import events

    from tui.screens.rounds.parts import AnswerArea
    from tui.widgets.partner import TurnBanner

    app = app_factory()
    sent: list[str] = []
    mount = AnswerArea.on_mount

    def on_mount_then_the_timer_fires(self) -> None:
        mount(self)
        self.screen.refresh(layout=True)  # the view's new widgets are waiting to be laid out
        self.screen._on_timer_update()  # and the screen's update timer fires now

    display = app._display

    def display_then_type(screen, renderable) -> None:
        display(screen, renderable)
        if not sent and isinstance(screen, RoundPlayScreen) and screen._view == "private":
            if any(isinstance(w, TurnBanner) for w in screen._compositor.visible_widgets):
                sent.append("x")
                app._driver.send_message(events.Key("x", "x"))

    async with app.run_test(size=(80, 24)) as pilot:
        await start_round(pilot, app, "write")
        monkeypatch.setattr(AnswerArea, "on_mount", on_mount_then_the_timer_fires)
        monkeypatch.setattr(app, "_display", display_then_type)
        await lift_curtain(pilot, app, "Ana")
        await wait_for(pilot, lambda: bool(sent))
        await pilot.pause()
        assert app.screen.query_one("#answer", AnswerArea).text == "x"


async def test_a_talk_note_too_long_to_keep_whole_stays_in_its_box(app_factory, ready_store):
    """A note over the limit is never cut on save: the box keeps every word until it fits."""
    app = app_factory()
    long_note = "long pasted words " * 300  # 5,400 characters
    async with app.run_test(size=(80, 24)) as pilot:
        await start_round(pilot, app, "talk", length="cards:3", depth="deeper", first="a")
        await lift_curtain(pilot, app, "Ana")
        await write_and_submit(pilot, app, long_note)
        await pilot.pause()
        screen = play_screen(app)
        assert screen._view == "ask" and screen.state.position == 0  # not saved, not moved on
        assert "longer than 4,000 characters" in screen_text(app)
        area = screen.query_one("#answer", DraftArea)
        assert area.text == long_note
        area.text = long_note[:3000]
        await pilot.press("ctrl+s")
        await lift_curtain(pilot, app, "Sam")
    [state] = store_rounds.list_rounds(ready_store)
    assert state.cards[0].notes == {0: long_note[:3000].strip()}
