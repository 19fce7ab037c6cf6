"""A malformed stored field never crashes History (issue 14, defect 9): a time that cannot be
read shows as 'date unknown', a round that cannot be read at all is left out and named."""

from __future__ import annotations

from tui.screens.history.browse import HistoryScreen
from tui.screens.shell.home import HomeScreen
from tui.store import rounds as store_rounds

from tests.helpers import screen_text, wait_for

GOOD = {"started": "2026-03-01T10:00:00+00:00", "mode": "talk", "seq": 1, "cards": [],
        "deck_titles": ["Good deck"], "status": "done"}


def damaged_rounds(store) -> None:
    table = store.table("rounds_2026")
    table.insert(GOOD)
    table.insert({**GOOD, "started": "the day we met", "deck_titles": ["Bad date"], "seq": 2})
    table.insert({**GOOD, "started": 12345, "deck_titles": ["Number date"], "seq": 3})
    table.insert({**GOOD, "deck_titles": 7, "seq": 4})  # cannot be read at all
    store.table(store_rounds.STARS).insert({"key": "k/1", "text": "A starred card", "deck": "d", "at": "??"})


def test_summaries_tolerate_bad_fields(ready_store):
    damaged_rounds(ready_store)
    left_out: list[str] = []
    found = store_rounds.round_summaries(ready_store, left_out)
    assert sorted(s.deck_titles[0] for s in found) == ["Bad date", "Good deck", "Number date"]
    assert left_out == ["2026-4"]
    assert [s.text for s in store_rounds.starred(ready_store)] == ["A starred card"]
    assert store_rounds.get_round(ready_store, "2026-4") is None
    assert store_rounds.get_round(ready_store, "2026-2").started.year == 1


async def test_history_opens_and_says_what_it_left_out(make_app, ready_store):
    damaged_rounds(ready_store)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.pause()
        text = screen_text(app)
        assert "date unknown" in text and "Good deck" in text
        assert any(str(ready_store.path) in n.message and "1 round" in n.message for n in app._notifications)
        await pilot.press("end", "enter")  # open the round whose date cannot be read
        await pilot.pause()
        assert "date unknown" in screen_text(app) or isinstance(app.screen, HistoryScreen)
