"""Pilot tests for opt-in decks (Settings), challenges played a day at a time (setup and home),
'Then and now' on the setup screen, and the Know me note. Fixture decks: tests/fixtures/decks."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Select, Switch

from tui.core.rounds import Choices, new_round, plan_round
from tui.screens.shell.home import HomeScreen
from tui.screens.rounds.play import RoundPlayScreen
from tui.screens.rounds.setup import DeckPicker, RoundSetupScreen
from tui.screens.shell.settings import SettingsScreen
from tui.store import challenges as store_challenges
from tui.store import rounds as store_rounds
from tui.store.optin import decks_on, set_deck_on
from tui.widgets.toggles import MarkedCheckbox

from tests.helpers import screen_text, wait_for
from tests.functional.test_rounds_screens import lift_curtain, open_setup, play_screen, wait_view

FIXTURES = Path(__file__).parent.parent / "fixtures" / "decks"


@pytest.fixture
def app(make_app):
    return make_app(None, [FIXTURES])


def flat(app) -> str:
    """The screen's words with line breaks and runs of spaces as single spaces."""
    return " ".join(screen_text(app).split())


def said(screen, where: str) -> str:
    """The text of a line on the screen, wherever it is scrolled to."""
    return screen.query_one(where).render().plain


def tick_only(screen: RoundSetupScreen, deck_id: str) -> None:
    picker = screen.query_one("#decks", DeckPicker)
    for index, (value, *_rest) in enumerate(picker.entries):
        if (value in picker.chosen) != (value == deck_id):
            picker.toggle_index(index)


async def test_an_opt_in_deck_is_hidden_until_turned_on_in_settings(app, ready_store):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot, app)
        listed = [v for v, *_ in screen.query_one("#decks", DeckPicker).entries]
        assert "fixture-opt-in" not in listed and "fixture-plain" in listed
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        settings = app.screen
        settings.query_one("#deck-on-fixture-opt-in").scroll_visible(animate=False, top=True)
        await pilot.pause()
        settings.query_one("#settings-body").scroll_relative(y=-2, animate=False)  # and its heading
        await pilot.pause()
        text = screen_text(app)
        assert "Opt-in decks" in text and "Fixture opt-in deck (2 cards)" in text
        assert settings.query_one("#deck-on-fixture-opt-in-state").render().plain == "Off"
        settings.query_one("#deck-on-fixture-opt-in", Switch).toggle()
        await pilot.pause()
        assert settings.query_one("#deck-on-fixture-opt-in-state").render().plain == "On"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert decks_on(ready_store) == {"fixture-opt-in"}
        screen = await open_setup(pilot, app)
        assert "fixture-opt-in" in [v for v, *_ in screen.query_one("#decks", DeckPicker).entries]


def test_search_leaves_out_hidden_decks_and_keeps_their_answers(ready_store, clock):
    from tui.core.decks import hidden_deck_ids, load_decks

    decks = load_decks([FIXTURES]).decks
    card = next(c for d in decks if d.id == "fixture-opt-in" for c in d.cards)
    choices = Choices(decks=("fixture-opt-in",), length=1, mode="write", first="a")
    plan = plan_round([card], choices, usage={}, seq=1, window=20, rng=random.Random(1))
    state = store_rounds.start_round(ready_store, new_round(plan, choices, deck_titles={}, names=("A", "B"),
                                                            now=clock.now(), rng=random.Random(1)))
    state.submit("the quiet pond")
    state.submit("tea")
    state.finish_card(clock.now())
    store_rounds.save_round(ready_store, state)
    hidden = hidden_deck_ids(decks, decks_on(ready_store))
    assert store_rounds.search(ready_store, "pond", hidden=hidden) == []
    assert len(store_rounds.list_rounds(ready_store)) == 1  # still there
    set_deck_on(ready_store, "fixture-opt-in", True)
    assert len(store_rounds.search(ready_store, "pond", hidden=hidden_deck_ids(decks, decks_on(ready_store)))) == 1


async def test_a_challenge_is_played_one_day_at_a_time_and_home_says_where_you_are(app, ready_store, clock):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot, app)
        tick_only(screen, "fixture-challenge")
        await pilot.pause()
        assert screen.query_one("#challenge-row").display
        assert screen.query_one("#challenge-week", Select).value == 1
        assert "Week 1: Small hellos: Day 1 of 3" in said(screen, "#challenge-info")
        await pilot.press("ctrl+s")
        play = play_screen(app)
        assert [c.key for c in play.state.cards] == ["fixture-challenge/w1-d1"] and play.state.mode == "talk"
        await lift_curtain(pilot, app, "")  # whoever goes first
        await pilot.press("ctrl+s")  # read aloud, done together: no note
        await wait_view(pilot, app, "reveal")
        await pilot.press("n")  # the day's card is done
        await wait_view(pilot, app, "summary")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_for(pilot, lambda: "Day 1 of 3" in screen_text(app))
        assert "Day 1 of 3 done today. Day 2 opens tomorrow." in flat(app)
        screen = await open_setup(pilot, app)
        assert "Day 1 of 3 is done for today. Day 2 opens tomorrow." in said(screen, "#challenge-info")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RoundSetupScreen)  # nothing started: tomorrow's card waits
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        clock.advance(days=3)  # they come back a few days later: day 2, no word about the gap
        app.screen.refresh_due()
        await pilot.pause()
        text = flat(app)
        assert "Day 2 of 3 is ready when you are" in text and "miss" not in text.lower()
        screen = await open_setup(pilot, app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any(isinstance(s, RoundPlayScreen) for s in app.screen_stack))
        play = next(s for s in app.screen_stack if isinstance(s, RoundPlayScreen))
        assert [c.key for c in play.state.cards] == ["fixture-challenge/w1-d2"]
    assert store_challenges.progress(ready_store, "fixture-challenge", clock.now()).pending[0] == 2


async def test_a_challenge_with_other_decks_asks_to_be_played_alone(app, ready_store):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot, app)
        tick_only(screen, "fixture-challenge")
        screen.query_one("#decks", DeckPicker).toggle_index(
            [v for v, *_ in screen.query_one("#decks", DeckPicker).entries].index("fixture-plain"))
        await pilot.pause()
        assert "A challenge is played on its own" in said(screen, "#challenge-info")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RoundSetupScreen) and store_rounds.list_rounds(ready_store) == []


async def test_know_me_says_when_the_chosen_decks_have_no_cards_for_it(make_app, ready_store, tmp_path):
    folder = tmp_path / "decks"
    folder.mkdir()
    text = (FIXTURES / "plain.toml").read_text().replace("know_me = true\n", "")
    (folder / "plain.toml").write_text(text)
    app = make_app(None, [folder])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot, app)
        tick_only(screen, "fixture-plain")
        screen.query_one("#mode", Select).value = "knowme"
        await pilot.pause()
        assert "the chosen decks have none" in said(screen, "#knowme-note")
        await pilot.press("ctrl+s")  # starting anyway: the note says why, once (no second message under it)
        await pilot.pause()
        assert isinstance(app.screen, RoundSetupScreen) and store_rounds.list_rounds(ready_store) == []
        assert said(screen, "#plan-error") == "" and "the chosen decks have none" in said(screen, "#knowme-note")
        screen.query_one("#mode", Select).value = "talk"
        await pilot.pause()
        assert "the chosen decks have none" not in said(screen, "#knowme-note")


async def test_then_and_now_is_a_choice_on_setup_and_marks_the_returning_card(app, ready_store, clock):
    # one card answered eight months ago
    old = clock.now() - timedelta(days=240)
    from tui.core.decks import load_decks

    deck = load_decks([FIXTURES]).by_id()["fixture-plain"]
    choices = Choices(decks=("fixture-plain",), depth="light", length=1, mode="write", first="a")
    plan = plan_round([deck.cards[0]], choices, usage={}, seq=1, window=20, rng=random.Random(1))
    state = store_rounds.start_round(ready_store, new_round(plan, choices, deck_titles={}, names=("A", "B"),
                                                            now=old, rng=random.Random(1)))
    state.submit("blue")
    state.submit("green")
    state.finish_card(old)
    store_rounds.save_round(ready_store, state)
    store_rounds.end_round(ready_store, state, old)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot, app)
        tick_only(screen, "fixture-plain")
        box = screen.query_one("#then-and-now", MarkedCheckbox)
        assert "Then and now" in str(box.label) and box.value is False
        box.value = True
        screen.query_one("#mode", Select).value = "write"
        screen.query_one("#length", Select).value = "cards:3"
        screen.query_one("#first", Select).value = "a"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any(isinstance(s, RoundPlayScreen) for s in app.screen_stack))
        play = next(s for s in app.screen_stack if isinstance(s, RoundPlayScreen))
        returning = [c for c in play.state.cards if c.returning]
        assert [c.key for c in returning] == [deck.cards[0].key]
    assert store_rounds.last_choices(ready_store).then_and_now is True
