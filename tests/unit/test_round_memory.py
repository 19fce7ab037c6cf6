"""Issue 17: what a round reads from years of rounds, it reads a year (or a document) at a time and keeps none of."""

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


def test_then_and_now_reads_the_rounds_a_document_at_a_time(three_years, monkeypatch):
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
        real_each = store.storage.each_doc
        read: list[str] = []

        def peek(name):
            raise AssertionError(f"{name} parsed whole")

        most: list[int] = []

        def each_doc(name, start, add):
            read.append(name)

            def counted(acc, doc_id, doc):
                most.append(sum(_Doc.alive.values()))  # what is still alive of the rounds before
                add(acc, doc_id, _Doc(name, doc))

            return real_each(name, start, counted)

        monkeypatch.setattr(store.storage, "peek", peek)
        monkeypatch.setattr(store.storage, "each_doc", each_doc)
        _Doc.alive.clear()
        answered = store_rounds.last_answered(store)
        assert len(most) > 100 and max(most) == 0  # none kept once noted
        assert sorted(read) == sorted(years)  # each year gone through once, a document at a time
        assert answered == {key: when for key, (when, done) in expected.items() if done}
        assert set(store.storage._tables.loaded) == before  # and none of them kept


def _big_years(path: Path, docs: int = 400) -> dict:
    """Three past years of rounds of about 1 MB each (several pieces of CHECK_PIECE), plain ASCII."""
    from tui.store.export import export_data

    with Store.open(path, background=False) as s:
        for year in (2017, 2018, 2019):
            s.table(f"rounds_{year}").insert_multiple(
                {"year": year, "i": i, "text": f"answer {i} " + "words \"quoted\" é " * 120} for i in range(docs))
        return export_data(s)["tables"]


def test_earlier_answers_read_a_past_year_a_piece_at_a_time(tmp_path):
    """A reveal reads one round of a past year: the year's bytes are never all in memory at once
    (read whole, they were its bytes and its text: 2.6 MB at ten years, at every first read)."""
    import tracemalloc

    from tui.store import storage

    path = tmp_path / "hearth.json"
    expected = _big_years(path)
    size = path.stat().st_size
    with Store.open(path) as s:
        tables = s.storage.read()
        assert tables.crcs is not None
        tracemalloc.start()
        try:
            assert s.storage.peek_doc("rounds_2018", "250") == expected["rounds_2018"]["250"]
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert size > 3_000_000 and peak < 6 * storage.CHECK_PIECE, f"{peak / 2**20:.2f} MiB at the peak"
        for doc_id in ("1", "400", "137"):  # then one document at a time, from the places noted
            assert s.storage.peek_doc("rounds_2018", doc_id) == expected["rounds_2018"][doc_id]
        assert s.storage.peek_doc("rounds_2018", "401") is None
        assert s.storage.peek_doc("rounds_2017", "401") is None and "rounds_2017" in tables._places
        assert "rounds_2018" in tables.cold  # and the year is not kept


def test_one_document_of_a_table_with_other_than_ascii_is_still_found(tmp_path):
    """A hand-edited table (not ASCII, no checksums) cannot be read by byte offsets: read whole."""
    from tests.unit.test_lazy_store import without_checksums

    path = tmp_path / "hearth.json"
    expected = _big_years(path, docs=30)
    raw = without_checksums(path.read_bytes()).replace(b'"i":7,', '"i":7,"who":"Zoë",'.encode(), 1)
    path.write_bytes(raw)
    with Store.open(path) as s:
        assert s.storage.peek_doc("rounds_2017", "8") == {**expected["rounds_2017"]["8"], "who": "Zoë"}
        assert s.storage.peek_doc("rounds_2017", "9") == expected["rounds_2017"]["9"]
        assert s.storage.peek_doc("rounds_2018", "9") == expected["rounds_2018"]["9"]
