"""A challenge day on the round setup says what it is (one card, talked through), not the mode
and length kept from other rounds, such as Know me."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.rounds import Choices
from tui.screens.rounds.setup import DeckPicker, RoundSetupScreen
from tui.screens.shell.home import HomeScreen
from tui.store import rounds as store_rounds

from tests.helpers import screen_text, wait_for

FIXTURES = Path(__file__).parent.parent / "fixtures" / "decks"


def tick_only(screen: RoundSetupScreen, deck_id: str) -> None:
    picker = screen.query_one("#decks", DeckPicker)
    for index, (value, *_rest) in enumerate(picker.entries):
        if (value in picker.chosen) != (value == deck_id):
            picker.toggle_index(index)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_challenge_day_shows_what_it_is_not_know_me(make_app, ready_store, size):
    store_rounds.remember_choices(ready_store, Choices(decks=("fixture-plain",), mode="knowme", length=10))
    app = make_app(None, [FIXTURES])
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("1")
        await wait_for(pilot, lambda: isinstance(app.screen, RoundSetupScreen))
        await pilot.pause()
        screen = app.screen
        assert "Know me" in screen_text(app)
        tick_only(screen, "fixture-challenge")
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Know me" not in text and "10 cards" not in text
        assert "Challenge day · Talk, 1 card" in text and "today's card" in text
        tick_only(screen, "fixture-plain")  # back to a plain round: the kept choices come back
        await pilot.pause()
        assert "Know me" in screen_text(app) and "Challenge day" not in screen_text(app)
