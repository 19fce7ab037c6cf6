"""Changing a table a document at a time without reading it (Tables.can_patch): starting a round
writes one document into this year's rounds, which used to read the whole year into memory. What
is saved must be exactly what changing the table read whole would give."""

from __future__ import annotations

import json
from pathlib import Path

from tinydb import Query

from tui.core.clock import FakeClock
from tui.store import Store
from tui.store.export import export_data

from tests.conftest import START


def _make(path: Path) -> dict:
    with Store.open(path, clock=FakeClock(START), background=False) as s:
        for year in (2018, 2019):
            t = s.table(f"rounds_{year}")
            for i in range(6):
                t.insert({"year": year, "i": i, "text": f"answer {i} \u00e9 \"quoted\"\nline"})
        t.remove(doc_ids=[3])  # a gap: ids are not all in a row
        return export_data(s)["tables"]


def _whole(path: Path) -> dict:
    with Store.open(path, clock=FakeClock(START), background=False) as s:
        return export_data(s)["tables"]


def test_insert_update_and_read_by_id_leave_the_table_unread(tmp_path: Path):
    path = tmp_path / "hearth.json"
    expected = _make(path)
    with Store.open(path, clock=FakeClock(START)) as s:
        tables = s.storage.read()
        t = s.table("rounds_2019")
        new = t.insert({"new": True})
        assert new == 7  # after the highest id, as TinyDB gives it
        t.update({"text": "changed", "more": [1, 2]}, doc_ids=[2])
        t.update({"again": 1}, doc_ids=[new])
        assert t.contains(doc_id=2) and not t.contains(doc_id=3) and t.get(doc_id=2)["text"] == "changed"
        assert t.get(doc_id=4)["i"] == 3  # still as in the file
        t.remove(doc_ids=[5])
        assert "rounds_2019" not in tables.loaded and "rounds_2019" in tables.patched
        assert s.storage.peek_doc("rounds_2019", "7") == {"new": True, "again": 1}
        assert set(s.storage.peek("rounds_2019")) == {"1", "2", "4", "6", "7"}
        assert s.flush()
        t.update({"later": True}, doc_ids=[1])  # a second save, after the first
        assert s.flush()
        assert "rounds_2019" not in tables.loaded
    year = expected["rounds_2019"]
    year["2"].update({"text": "changed", "more": [1, 2]})
    year["7"] = {"new": True, "again": 1}
    year["1"]["later"] = True
    del year["5"]
    got = _whole(path)
    assert got == expected
    assert list(got["rounds_2019"]) == ["1", "2", "4", "6", "7"]  # in the order they were
    assert list(json.loads(path.read_text())["rounds_2019"]) == ["1", "2", "4", "6", "7"]


def test_a_change_by_query_reads_the_table_whole_with_the_patches(tmp_path: Path):
    path = tmp_path / "hearth.json"
    expected = _make(path)
    with Store.open(path, clock=FakeClock(START)) as s:
        t = s.table("rounds_2018")
        t.update({"text": "by id"}, doc_ids=[1])
        assert "rounds_2018" in s.storage.read().patched
        t.update({"seen": True}, Query().i >= 4)  # goes through every document: read whole first
        tables = s.storage.read()
        assert "rounds_2018" in tables.loaded and "rounds_2018" not in tables.patched
        assert t.get(doc_id=1)["text"] == "by id" and len(t.search(Query().seen == True)) == 2  # noqa: E712
        assert s.flush()
    expected["rounds_2018"]["1"]["text"] = "by id"
    for doc in expected["rounds_2018"].values():
        if doc["i"] >= 4:
            doc["seen"] = True
    assert _whole(path) == expected


def test_a_patched_table_read_whole_later_keeps_its_changes(tmp_path: Path):
    path = tmp_path / "hearth.json"
    expected = _make(path)
    with Store.open(path, clock=FakeClock(START)) as s:
        t = s.table("rounds_2019")
        t.update({"text": "x"}, doc_ids=[4])
        assert s.flush()
        assert len(t.all()) == 5  # everything: read whole now
        t.update({"text": "y"}, doc_ids=[6])
        assert s.flush()
    expected["rounds_2019"]["4"]["text"] = "x"
    expected["rounds_2019"]["6"]["text"] = "y"
    assert _whole(path) == expected


def test_only_the_changed_documents_are_encoded_and_nothing_else_is_parsed(tmp_path: Path, monkeypatch):
    path = tmp_path / "hearth.json"
    _make(path)
    with Store.open(path, clock=FakeClock(START)) as s:
        encoded = []
        real = json.dumps
        monkeypatch.setattr("tui.store.storage.json.dumps", lambda obj, **kw: (encoded.append(obj), real(obj, **kw))[1])
        s.table("rounds_2019").insert({"new": 1})
        assert s.flush()
    assert [e for e in encoded if isinstance(e, dict)] == [{"new": 1}]


def test_a_table_that_is_not_plain_ascii_is_read_whole_as_before(tmp_path: Path):
    """A file edited by hand (no checksums, raw UTF-8 in a line): documents cannot be found by
    byte place there, so the table is read whole, and the change still saved right."""
    from tests.unit.test_lazy_store import without_checksums

    path = tmp_path / "hearth.json"
    expected = _make(path)
    raw = without_checksums(path.read_bytes())
    assert b"\\u00e9" in raw
    path.write_bytes(raw.replace(b"\\u00e9", "\u00e9".encode()))
    with Store.open(path, clock=FakeClock(START)) as s:
        s.table("rounds_2019").update({"text": "changed"}, doc_ids=[2])
        tables = s.storage.read()
        assert "rounds_2019" in tables.loaded and "rounds_2019" not in tables.patched
        assert s.flush()
    expected["rounds_2019"]["2"]["text"] = "changed"
    assert _whole(path) == expected
