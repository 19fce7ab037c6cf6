"""Reading a table a document at a time without keeping it (Tables.each_doc), and the card history
read that way (tui/store/card_usage.py): what is read must be what reading the table whole gives,
in every state a table can be in (on disk, changed by id, read whole, not plain ASCII, damaged)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.clock import FakeClock
from tui.store import Store
from tui.store import card_usage
from tui.store.errors import StoreError

from tests.conftest import START


def _collect(store: Store, name: str) -> dict | None:
    def add(acc: dict, doc_id: str, doc: dict) -> None:
        assert doc_id not in acc, "a document handed over twice"
        acc[doc_id] = doc

    return store.storage.each_doc(name, dict, add)


def _make(path: Path, text: str = "plain answer") -> None:
    with Store.open(path, clock=FakeClock(START), background=False) as s:
        t = s.table("rounds_2019")
        for i in range(8):
            t.insert({"i": i, "text": f"{text} {i}"})
        t.remove(doc_ids=[3])
        s.table("settings").insert({"theme": "dark"})


def test_a_table_on_disk_is_read_without_being_kept(tmp_path: Path):
    path = tmp_path / "hearth.json"
    _make(path)
    with Store.open(path, clock=FakeClock(START)) as s:
        tables = s.storage.read()
        got = _collect(s, "rounds_2019")
        assert "rounds_2019" in tables.cold and "rounds_2019" not in tables.loaded
        assert got == dict(s.storage.peek("rounds_2019"))
        assert set(got) == {"1", "2", "4", "5", "6", "7", "8"}
        assert _collect(s, "no_such_table") is None


def test_a_table_changed_by_id_is_read_with_its_changes_in_place(tmp_path: Path):
    path = tmp_path / "hearth.json"
    _make(path)
    with Store.open(path, clock=FakeClock(START)) as s:
        t = s.table("rounds_2019")
        t.update({"text": "changed"}, doc_ids=[2])
        t.remove(doc_ids=[5])
        new = t.insert({"new": True})
        tables = s.storage.read()
        assert "rounds_2019" in tables.patched
        got = _collect(s, "rounds_2019")
        assert "rounds_2019" not in tables.loaded
        assert got == dict(s.storage.peek("rounds_2019"))
        assert got["2"]["text"] == "changed" and "5" not in got and got[str(new)] == {"new": True}
        assert list(got)[:2] == ["1", "2"]  # in the file's order, the new one last
        whole = dict(t._read_table())  # read whole now: the same documents
        assert "rounds_2019" in tables.loaded
        assert _collect(s, "rounds_2019") == whole


def test_a_table_that_is_not_plain_ascii_is_read_whole_and_let_go(tmp_path: Path):
    path = tmp_path / "hearth.json"
    _make(path, text="réponse")
    with Store.open(path, clock=FakeClock(START)) as s:
        got = _collect(s, "rounds_2019")
        assert got == dict(s.storage.peek("rounds_2019")) and got["1"]["text"] == "réponse 0"
        assert "rounds_2019" not in s.storage.read().loaded


def test_a_damaged_table_is_said_to_be_damaged(tmp_path: Path):
    path = tmp_path / "hearth.json"
    _make(path)
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b"plain answer 4", b"plain answer 9", 1))  # still JSON; checksum differs
    with Store.open(path, clock=FakeClock(START)) as s:
        with pytest.raises(StoreError, match="checksum"):
            _collect(s, "rounds_2019")


def test_the_change_mark_moves_with_changes_to_its_table_only(tmp_path: Path):
    path = tmp_path / "hearth.json"
    _make(path)
    with Store.open(path, clock=FakeClock(START)) as s:
        before = s.storage.changes("rounds_2019")
        s.table("settings").update({"theme": "light"}, doc_ids=[1])
        assert s.storage.changes("rounds_2019") == before
        s.table("rounds_2019").update({"text": "x"}, doc_ids=[1])
        assert s.storage.changes("rounds_2019") != before


def test_the_card_history_notes_each_round_once_and_sees_other_changes(tmp_path: Path):
    path = tmp_path / "hearth.json"
    with Store.open(path, clock=FakeClock(START), background=False) as s:
        card_usage.record(s, "2019-1", 1, ["d/a", "d/b", "d/a"])  # a card twice in one list: once
        card_usage.record(s, "2019-1", 1, ["d/a"])  # the same round again: nothing new
    with Store.open(path, clock=FakeClock(START)) as s:
        assert card_usage.last_seqs(s) == {"d/a": 1, "d/b": 1}
        card_usage.record(s, "2019-2", 2, ["d/b", "d/c"])
        assert card_usage.USAGE not in s.storage.read().loaded  # changed by id, never read whole
        assert card_usage.last_seqs(s) == {"d/a": 1, "d/b": 2, "d/c": 2}
        assert card_usage.uses_of(s, "d/b") == [("2019-1", 1), ("2019-2", 2)]
        # a change made another way (as a merge from the other home makes one): seen at once
        s.table(card_usage.USAGE).put_doc(40, {"key": "d/e", "uses": [["2019-3", 3]], "last_seq": 3})
        assert card_usage.uses_of(s, "d/e") == [("2019-3", 3)]
        card_usage.record(s, "2019-4", 4, ["d/e"])
        assert s.flush()
    with Store.open(path, clock=FakeClock(START), background=False) as s:
        docs = list(s.storage.read()[card_usage.USAGE].values())
    assert sorted(d["key"] for d in docs) == ["d/a", "d/b", "d/c", "d/e"]  # no key twice
    e = next(d for d in docs if d["key"] == "d/e")
    assert e["uses"] == [["2019-3", 3], ["2019-4", 4]] and e["last_seq"] == 4


def test_odd_uses_in_a_hostile_file_are_kept_and_passed_over(tmp_path: Path):
    path = tmp_path / "hearth.json"
    with Store.open(path, clock=FakeClock(START), background=False) as s:
        s.table(card_usage.USAGE).insert({"key": "d/a", "uses": ["odd", ["2019-1", "x"], ["2019-2", 2]], "last_seq": "?"})
    with Store.open(path, clock=FakeClock(START)) as s:
        assert card_usage.last_seqs(s) == {"d/a": 0}
        assert card_usage.uses_of(s, "d/a") == [("2019-1", 0), ("2019-2", 2)]
        card_usage.record(s, "2019-3", 3, ["d/a"])
        assert s.flush()
    with Store.open(path, clock=FakeClock(START), background=False) as s:
        (doc,) = s.storage.read()[card_usage.USAGE].values()
    assert doc["uses"] == ["odd", ["2019-1", "x"], ["2019-2", 2], ["2019-3", 3]] and doc["last_seq"] == 3
