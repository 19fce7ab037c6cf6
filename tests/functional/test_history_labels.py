"""History's list says what each unfinished round is: one left at one keyboard is "unfinished",
one played apart and still open is "in progress" (not a bare card count), also when the list
comes from the index kept for it (tui/store/round_index.py)."""

from __future__ import annotations

from dataclasses import replace

from tui.core.rounds import RoundSummary
from tui.screens.history.browse import HistoryScreen, round_label
from tui.screens.shell.home import HomeScreen
from tui.store import Store, apart_rounds, round_index

from tests.helpers import screen_text, wait_for
from tests.unit.test_apart_store import start_apart


def started_apart(store, clock):
    state = start_apart(store, "write")
    apart_rounds.answer(store, state.id, 0, 0, "mine", clock.now())
    apart_rounds.answer(store, state.id, 0, 1, "yours", clock.now())
    apart_rounds.reveal(store, state.id, 0, 0, clock.now())
    return state


async def test_an_apart_round_in_progress_says_so(make_app, ready_store, clock):
    started_apart(ready_store, clock)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and "1 card" in screen_text(app))
        assert "1 card · in progress" in screen_text(app)


def test_the_index_keeps_which_rounds_are_apart(ready_store, clock, db_path):
    state = started_apart(ready_store, clock)
    round_index.remember(ready_store, [round_index.read_year(ready_store, f"rounds_{state.started.year}")])
    ready_store.close()
    with Store.open(db_path, clock=clock, background=False) as again:
        [year] = round_index.listing(again).years
        [summary] = year.rounds()
    assert summary.apart and str(round_label(summary)).endswith("1 card · in progress")


def test_a_round_left_at_one_keyboard_is_unfinished(ready_store, clock):
    state = started_apart(ready_store, clock)
    summary = replace(RoundSummary.of(apart_rounds.load(ready_store, state.id)), apart=False)
    assert str(round_label(summary)).endswith("1 card · unfinished")
