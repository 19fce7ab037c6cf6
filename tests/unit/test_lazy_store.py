"""The store reads tables on first use and copies unchanged ones from the file (see tui/store/storage.py):
what it saves must be exactly what a whole read would give, and damage must still stop every save.
Small databases only; this runs with the other tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.core.clock import FakeClock
from tui.store import DamagedDatabaseError, NewerSchemaError, Store
from tui.store.export import export_data
from tui.store.files import backups
from tui.store.storage import INTEGRITY

from tests.conftest import START


def _make(path: Path) -> dict:
    with Store.open(path, clock=FakeClock(START), background=False) as s:
        for year in (2017, 2018, 2019):
            t = s.table(f"rounds_{year}")
            for i in range(5):
                t.insert({"year": year, "i": i, "text": f"answer {i} \u00e9\u263a \"quoted\"\nline"})
        s.table("profile").insert({"partners": [{"name": "Ana"}, {"name": "Sam"}]})
        s.table("empty")
        return export_data(s)["tables"]


def plain(path: Path) -> dict:
    """The file as another tool reads it, less the line of checksums."""
    data = json.loads(path.read_text())
    assert INTEGRITY in data
    del data[INTEGRITY]
    return data


def without_checksums(raw: bytes) -> bytes:
    """A file as an older Hearth wrote it (hand edits then open; see README, Safe saves)."""
    lines = raw.split(b"\n")
    assert lines[-3].startswith(b'"_integrity":')
    older = b"\n".join([*lines[:-4], lines[-4].removesuffix(b","), *lines[-2:]])
    return older.replace(b',"integrity":"crc32"', b"")


def _whole(path: Path) -> dict:
    with Store.open(path, clock=FakeClock(START), background=False) as s:
        return export_data(s)["tables"]


def test_one_table_per_line_and_unchanged_tables_are_copied(tmp_path: Path):
    path = tmp_path / "hearth.json"
    expected = _make(path)
    lines = path.read_bytes().split(b"\n")
    assert lines[0] == b"{" and lines[-2] == b"}" and lines[1].startswith(b'"meta":')
    with Store.open(path, clock=FakeClock(START)) as s:
        storage = s.storage
        assert "rounds_2018" in storage.read().cold  # not parsed at open
        assert export_data(s)["tables"] == expected  # reads everything on demand
    with Store.open(path, clock=FakeClock(START)) as s:
        s.table("rounds_2019").update({"text": "changed"}, doc_ids=[2])
        s.table("rounds_2019").insert({"new": True})
        s.table("drafts").insert({"key": "k", "text": "t"})
        s.table("rounds_2017").remove(doc_ids=[1])
        assert "rounds_2018" in s.storage.read().cold  # never needed, so copied as it was
        assert s.flush()
    expected["rounds_2019"]["2"]["text"] = "changed"
    expected["rounds_2019"]["6"] = {"new": True}
    expected["drafts"] = {"1": {"key": "k", "text": "t"}}
    del expected["rounds_2017"]["1"]
    assert _whole(path) == expected == plain(path)


def test_only_changed_documents_are_reencoded(tmp_path: Path, monkeypatch):
    path = tmp_path / "hearth.json"
    _make(path)
    with Store.open(path, clock=FakeClock(START)) as s:
        encoded = []
        real = json.dumps
        monkeypatch.setattr("tui.store.storage.json.dumps", lambda obj, **kw: (encoded.append(obj), real(obj, **kw))[1])
        s.table("rounds_2019").update({"text": "x"}, doc_ids=[3])
        assert s.flush()
        s.table("rounds_2019").update({"text": "y"}, doc_ids=[4])
        assert s.flush()
    docs = [e for e in encoded if isinstance(e, dict)]
    # only the changed document each time: the others are copied from the file as they were read
    assert [d["i"] for d in docs] == [2, 3]
    got = json.loads(path.read_text())["rounds_2019"]
    assert got["4"]["text"] == "y" and got["3"]["text"] == "x"
    assert [int(k) for k in got] == [1, 2, 3, 4, 5]  # in the order they were


def _damage(path: Path, table: str) -> bytes:
    """Break the JSON inside one table's line, keeping the one-table-per-line shape."""
    raw = path.read_bytes()
    lines = raw.split(b"\n")
    i = next(n for n, line in enumerate(lines) if line.startswith(f'"{table}":'.encode()))
    lines[i] = lines[i].replace(b'"i":3', b'"i":3:', 1)
    broken = b"\n".join(lines)
    path.write_bytes(broken)
    return broken


def test_damage_in_a_table_not_used_yet_stops_every_save(tmp_path: Path):
    path = tmp_path / "hearth.json"
    _make(path)
    for old in backups(path):
        old.unlink()
    broken = _damage(path, "rounds_2017")
    with Store.open(path, clock=FakeClock(START)) as s:
        assert s.table("profile").all()  # the rest can still be read
        s.table("drafts").insert({"key": "k", "text": "typed"})
        assert not s.flush(timeout=5)
        assert "could not read" in (s.save_error or "") and "rounds_2017" in s.save_error
    assert path.read_bytes() == broken  # left exactly as it was
    assert not backups(path)  # and no backup of a damaged file
    with pytest.raises(DamagedDatabaseError):
        _whole(path)


def test_damage_in_a_table_read_on_demand_is_reported(tmp_path: Path):
    path = tmp_path / "hearth.json"
    _make(path)
    broken = _damage(path, "rounds_2018")
    with Store.open(path, clock=FakeClock(START)) as s:
        with pytest.raises(DamagedDatabaseError):
            s.table("rounds_2018").all()
        s.table("drafts").insert({"key": "k", "text": "typed"})
        assert not s.flush(timeout=5)
    assert path.read_bytes() == broken


def test_newer_schema_in_a_line_file_is_refused(tmp_path: Path):
    path = tmp_path / "hearth.json"
    _make(path)
    raw = without_checksums(path.read_bytes()).replace(b'"schema":1', b'"schema":99', 1)
    path.write_bytes(raw)
    with pytest.raises(NewerSchemaError):
        Store.open(path, clock=FakeClock(START))
    assert path.read_bytes() == raw


def test_a_file_of_another_shape_is_read_whole(tmp_path: Path):
    path = tmp_path / "hearth.json"
    expected = _make(path)
    del expected["meta"]["1"]["integrity"]  # hand edits drop the checksums (README, Safe saves)
    path.write_text(json.dumps(expected, indent=2))  # e.g. edited by hand
    with Store.open(path, clock=FakeClock(START)) as s:
        assert not s.storage.read().cold
        tables = export_data(s)["tables"]
        assert tables["meta"]["1"].pop("integrity") == "crc32"  # the next save lists them again
        assert tables == expected
        s.table("drafts").insert({"key": "k", "text": "t"})
        assert s.flush()
    assert path.read_bytes().startswith(b"{\n")  # saved in the line shape from then on
    assert _whole(path)["profile"] == expected["profile"]


def test_drop_tables(tmp_path: Path):
    path = tmp_path / "hearth.json"
    _make(path)
    with Store.open(path, clock=FakeClock(START)) as s:
        s.db.drop_table("rounds_2018")
        assert s.flush()
    assert "rounds_2018" not in json.loads(path.read_text())
    with Store.open(path, clock=FakeClock(START)) as s:
        s.db.drop_tables()
        s.table("profile").insert({"partners": []})
        assert s.flush()
    assert plain(path) == {"profile": {"1": {"partners": []}}}


def test_one_document_is_read_without_keeping_its_table(tmp_path: Path):
    """A round's earlier answers are in past years: reading one of their rounds must not keep the year."""
    path = tmp_path / "hearth.json"
    expected = _make(path)
    with Store.open(path, clock=FakeClock(START)) as s:
        storage = s.storage
        parsed = storage.tables_parsed
        for doc_id in ("3", "1", "5", "3"):  # the first read notes where each document is; then one at a time
            assert storage.peek_doc("rounds_2018", doc_id) == expected["rounds_2018"][doc_id]
        assert storage.peek_doc("rounds_2018", "9") is None
        assert storage.peek_doc("rounds_1999", "1") is None
        assert "rounds_2018" in storage.read().cold and storage.tables_parsed == parsed
        s.table("rounds_2018").update({"text": "changed"}, doc_ids=[2])  # now in memory: that one is read
        assert storage.peek_doc("rounds_2018", "2")["text"] == "changed"


def test_one_document_of_a_damaged_table_is_never_read_as_data(tmp_path: Path):
    path = tmp_path / "hearth.json"
    _make(path)
    _damage(path, "rounds_2018")  # its checksum no longer matches
    with Store.open(path, clock=FakeClock(START)) as s:
        with pytest.raises(DamagedDatabaseError):
            s.storage.peek_doc("rounds_2018", "1")
    path = tmp_path / "older.json"
    _make(path)
    path.write_bytes(without_checksums(path.read_bytes()).replace(b'"i":3', b'"i":3:', 1))  # no checksum says so
    with Store.open(path, clock=FakeClock(START)) as s:
        with pytest.raises(DamagedDatabaseError):
            s.storage.peek_doc("rounds_2017", "1")
