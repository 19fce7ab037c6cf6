"""Issue 17: what a round reads from years of rounds, it reads a year at a time and keeps none of."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tui import demo
from tui.store import Store
from tui.store import rounds as store_rounds

from tests.conftest import START

SHAPE = replace(demo.DEMO, weeks=130, rounds_per_week=2)  # rounds in three year tables


@pytest.fixture
def three_years(db_path: Path) -> Path:
    with Store.open(db_path, background=False) as store:
        demo.populate(store, SHAPE, now=START)
    return db_path


class _Doc(dict):
    """A stored round that counts itself while alive."""

    alive: dict[str, int] = {}

    def __init__(self, year: str, doc: dict) -> None:
        super().__init__(doc)
        self.year = year
        _Doc.alive[year] = _Doc.alive.get(year, 0) + 1

    def __del__(self) -> None:
        _Doc.alive[self.year] -= 1


def test_then_and_now_reads_one_year_of_rounds_at_a_time(three_years, monkeypatch):
    with Store.open(three_years) as store:  # lazy, as the app opens it
        years = [n for n in store.db.tables() if n.startswith(store_rounds.PREFIX)]
        assert len(years) >= 3
        before = set(store.storage._tables.loaded)
        expected: dict[str, tuple] = {}
        for state in store_rounds.list_rounds(store):
            for card in state.cards:
                if card.status in ("done", "passed"):
                    when = card.done_at or state.started
                    if card.key not in expected or when > expected[card.key][0]:
                        expected[card.key] = (when, card.status == "done")
        real_peek = store.storage.peek
        most = []

        def peek(name):
            table = real_peek(name)
            if not name.startswith(store_rounds.PREFIX) or table is None:
                return table
            most.append(sum(n for year, n in _Doc.alive.items() if year != name))
            return {doc_id: _Doc(name, doc) for doc_id, doc in table.items()}

        monkeypatch.setattr(store.storage, "peek", peek)
        _Doc.alive.clear()
        answered = store_rounds.last_answered(store)
        assert len(most) == len(years) and max(most) == 0  # no other year alive while one is read
        assert answered == {key: when for key, (when, done) in expected.items() if done}
        assert set(store.storage._tables.loaded) == before  # and none of them kept
