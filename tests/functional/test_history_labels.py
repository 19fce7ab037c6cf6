"""History's list says what each unfinished round is: one left at one keyboard is "unfinished",
one played apart and still open is "in progress" (not a bare card count)."""

from __future__ import annotations

from tui.screens.history.browse import HistoryScreen
from tui.screens.shell.home import HomeScreen
from tui.store import apart_rounds

from tests.helpers import screen_text, wait_for
from tests.unit.test_apart_store import start_apart


async def test_an_apart_round_in_progress_says_so(make_app, ready_store, clock):
    state = start_apart(ready_store, "write")
    apart_rounds.answer(ready_store, state.id, 0, 0, "mine", clock.now())
    apart_rounds.answer(ready_store, state.id, 0, 1, "yours", clock.now())
    apart_rounds.reveal(ready_store, state.id, 0, 0, clock.now())
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and "card" in screen_text(app))
        await pilot.pause()
        print(screen_text(app))
        assert "1 card · in progress" in screen_text(app)
