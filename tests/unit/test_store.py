"""The store: atomic saves, permissions, locking, damaged files, migration, temp cleanup, backups."""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from tui.store import AlreadyOpenError, DamagedDatabaseError, NewerSchemaError, Store, StoreError, restore_backup
from tui.store import files
from tui.store.drafts import load_draft, save_draft
from tui.store.schema import SCHEMA_VERSION


def write_good(store: Store, **doc) -> None:
    store.table("notes").insert(doc or {"text": "kept"})


def test_new_file_is_private_under_umask_022(tmp_path: Path, clock):
    old = os.umask(0o022)
    try:
        path = tmp_path / "fresh" / "deeper" / "hearth.json"
        with Store.open(path, clock=clock, background=False):
            pass
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_existing_loose_file_is_tightened(tmp_path: Path, clock):
    path = tmp_path / "hearth.json"
    path.write_text(json.dumps({"meta": {"1": {"schema": SCHEMA_VERSION}}}))
    os.chmod(path, 0o644)
    with Store.open(path, clock=clock, background=False):
        pass
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_saves_reach_disk_and_reads_come_from_memory(store: Store):
    write_good(store, text="hello")
    on_disk = json.loads(store.path.read_text())
    assert on_disk["notes"]["1"]["text"] == "hello"
    store.path.write_text("{}")  # a change behind Hearth's back is not re-read
    assert store.table("notes").all()[0]["text"] == "hello"


def test_background_writer_flushes(db_path: Path, clock):
    with Store.open(db_path, clock=clock) as s:
        for i in range(50):
            s.table("notes").insert({"i": i})
        assert s.flush()
        assert len(json.loads(db_path.read_text())["notes"]) == 50


def test_changes_made_together_are_saved_once(db_path: Path, clock, monkeypatch):
    """An action's few changes (an answer, then its draft cleared) become one save: each save
    rewrites the whole file. The writer waits for a quiet moment, and flush() cuts the wait short."""
    import tui.store.storage as storage

    monkeypatch.setattr(storage, "SETTLE_SECONDS", 30.0)  # only flush() ends the wait here
    monkeypatch.setattr(storage, "SETTLE_MAX_SECONDS", 60.0)
    with Store.open(db_path, clock=clock) as s:
        assert s.flush()
        writes: list[Path] = []
        real = storage.atomic_write
        monkeypatch.setattr(storage, "atomic_write", lambda path, data, **how: writes.append(path) or real(path, data, **how))
        entered = threading.Event()
        settle = storage.HearthStorage._settle
        monkeypatch.setattr(storage.HearthStorage, "_settle", lambda self: entered.set() or settle(self))
        s.table("notes").insert({"text": "the answer"})
        assert entered.wait(10)  # the writer has the first change and is waiting for more
        s.table("drafts").insert({"text": "its draft"})
        s.table("drafts").truncate()
        assert s.flush(timeout=10)
        assert writes == [db_path]
        assert json.loads(db_path.read_text())["notes"]["1"]["text"] == "the answer"


def test_the_replaced_file_is_not_left_behind(db_path: Path, clock):
    """Each save keeps the file it replaces under a temp name until the save is reported
    (so replacing it does not wait while the disk frees it), then removes it."""
    with Store.open(db_path, clock=clock) as s:
        for i in range(3):
            s.table("notes").insert({"i": i})
            assert s.flush()
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith(".")) == []


def _settled_database(db_path: Path, clock) -> None:
    """A file with tables that will stay unchanged (old years) beside ones that change."""
    with Store.open(db_path, clock=clock, background=False) as s:
        for year in range(2017, 2021):
            s.table(f"old_{year}").insert_multiple({"year": year, "text": "x" * 200} for _ in range(20))
        write_good(s, text="first")


def _wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.005)  # polling a condition the writer thread sets


def test_tables_that_stay_unchanged_are_written_ahead_of_the_next_save(db_path: Path, clock, monkeypatch):
    """After a save, the writer puts the tables unchanged since open into a temp file ahead of
    time; the next save only adds the rest. The file must read the same either way."""
    import tui.store.storage as storage

    monkeypatch.setattr(storage, "STAGE_MIN_BYTES", 0)
    _settled_database(db_path, clock)
    commits: list[int] = []
    real_commit = storage.commit
    monkeypatch.setattr(storage, "commit", lambda *a, **k: commits.append(1) or real_commit(*a, **k))
    with Store.open(db_path, clock=clock) as s:
        write_good(s, text="second")
        assert s.flush()
        _wait_until(lambda: s.storage._staged is not None)
        staged = Path(s.storage._staged.tmp)
        assert staged.exists() and stat.S_IMODE(staged.stat().st_mode) == 0o600
        write_good(s, text="third")  # a table outside the staged part
        assert s.flush()
        assert commits == [1] and not staged.exists()
        on_disk = json.loads(db_path.read_text())
        assert [d["text"] for d in on_disk["notes"].values()] == ["first", "second", "third"]
        assert len(on_disk["old_2019"]) == 20
        _wait_until(lambda: s.storage._staged is not None)
        s.table("old_2019").truncate()  # a staged table changed: the whole file is written
        assert s.flush()
        assert commits == [1]
        on_disk = json.loads(db_path.read_text())
        assert on_disk["old_2019"] == {} and len(on_disk["old_2020"]) == 20 and len(on_disk["notes"]) == 3
        _wait_until(lambda: s.storage._staged is not None)
    leftovers = [p.name for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []  # closing removes the staged file


@pytest.mark.parametrize("step", ["_write", "_flush", "_fsync", "_replace", "_fsync_dir"])
def test_a_failing_step_after_staging_keeps_the_old_file(db_path: Path, clock, monkeypatch, step):
    import tui.store.storage as storage

    monkeypatch.setattr(storage, "STAGE_MIN_BYTES", 0)
    monkeypatch.setattr(storage, "RETRY_SECONDS", 0.05)
    _settled_database(db_path, clock)
    with Store.open(db_path, clock=clock) as s:
        write_good(s, text="second")
        assert s.flush()
        _wait_until(lambda: s.storage._staged is not None)
        before = db_path.read_bytes()
        disk_full = threading.Event()
        disk_full.set()
        real = getattr(files, step)

        def step_that_fails_while_the_disk_is_full(*args, **kwargs):
            if disk_full.is_set():
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(*args, **kwargs)

        monkeypatch.setattr(files, step, step_that_fails_while_the_disk_is_full)
        write_good(s, text="third")
        assert not s.flush(timeout=5)
        assert s.save_error and "Could not save" in s.save_error
        assert s.storage.pending  # memory is ahead, and it says so
        if step != "_fsync_dir":  # a failing folder fsync comes after the file was replaced
            assert db_path.read_bytes() == before
        assert not [p for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]
        disk_full.clear()  # space again: the retry writes the whole file
        _wait_until(lambda: s.save_error is None and not s.storage.pending)
        assert [d["text"] for d in json.loads(db_path.read_text())["notes"].values()] == ["first", "second", "third"]


def test_second_instance_is_refused_and_file_untouched(store: Store, db_path: Path, clock):
    write_good(store)
    before = db_path.read_bytes()
    with pytest.raises(AlreadyOpenError, match="already open"):
        Store.open(db_path, clock=clock, background=False)
    assert db_path.read_bytes() == before


def test_a_hearth_that_is_closing_is_waited_for(db_path: Path, clock):
    """A window closed and opened again at once: the new Hearth waits for the old one to let go
    (a fraction of a second) instead of saying it is open elsewhere."""
    import threading

    first = Store.open(db_path, clock=clock, background=False)
    trying = threading.Event()
    closer = threading.Thread(target=lambda: (trying.wait(5), first.close()))
    closer.start()
    trying.set()
    second = Store.open(db_path, clock=clock, background=False, lock_wait=5.0)
    second.close()
    closer.join()


@pytest.mark.parametrize("step", ["_write", "_flush", "_fsync", "_replace"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
def test_failing_step_keeps_old_file_and_removes_temp(store: Store, monkeypatch, step, code):
    write_good(store, text="old")
    before = store.path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files, step, boom)
    with pytest.raises(StoreError) as info:
        write_good(store, text="new")
    assert "Could not save" in str(info.value)
    assert store.path.read_bytes() == before
    assert not list(store.path.parent.glob(".*.tmp"))
    assert store.save_error and ("disk" in store.save_error)
    assert store.storage.pending  # memory is ahead, and it says so
    monkeypatch.undo()
    assert store.flush()  # the next save catches up
    assert "new" in store.path.read_text()


def test_failing_folder_fsync_is_reported(store: Store, monkeypatch):
    def boom(folder):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(files, "_fsync_dir", boom)
    with pytest.raises(StoreError):
        write_good(store)
    assert not list(store.path.parent.glob(".*.tmp"))
    assert store.storage.pending


def test_background_save_failure_is_retried(db_path: Path, clock, monkeypatch):
    monkeypatch.setattr("tui.store.storage.RETRY_SECONDS", 0.05)
    calls = {"n": 0}
    real = files._fsync

    def flaky(f):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(f)

    import threading

    with Store.open(db_path, clock=clock) as s:
        messages = []
        recovered = threading.Event()

        def listen(message):
            messages.append(message)
            if message is None and messages[:-1]:
                recovered.set()

        s.storage.add_listener(listen)
        monkeypatch.setattr(files, "_fsync", flaky)
        s.table("notes").insert({"text": "must land"})
        assert not s.flush(timeout=5)  # the first attempt fails and says so
        assert any(m and "disk is full" in m for m in messages)
        assert recovered.wait(timeout=10)  # then the writer retries on its own
        assert not s.storage.pending and s.save_error is None
    assert "must land" in db_path.read_text()


DAMAGED = {
    "empty": b"",
    "truncated": b'{"meta":{"1":{"schema":1}},"profile":{"1":{"partn',
    "trailing garbage": b'{"meta":{"1":{"schema":1}}}garbage',
    "invalid utf-8": b'{"meta":{"1":{"schema":1}},"x":{"1":{"t":"\xff\xfe"}}}',
    "wrong shape": b'[1, 2, 3]',
    "wrong table shape": b'{"meta": [1]}',
}


@pytest.mark.parametrize("kind", sorted(DAMAGED))
def test_damaged_file_is_named_and_never_overwritten(tmp_path: Path, clock, kind):
    path = tmp_path / "hearth.json"
    path.write_bytes(DAMAGED[kind])
    with pytest.raises(DamagedDatabaseError) as info:
        Store.open(path, clock=clock, background=False)
    message = str(info.value)
    assert str(path) in message and "left exactly as it is" in message
    assert path.read_bytes() == DAMAGED[kind]
    # and the lock was let go, so a fixed file opens at once
    path.write_text("{}")
    Store.open(path, clock=clock, background=False).close()


def test_newer_schema_is_refused_untouched(tmp_path: Path, clock):
    path = tmp_path / "hearth.json"
    raw = json.dumps({"meta": {"1": {"schema": SCHEMA_VERSION + 5}}}).encode()
    path.write_bytes(raw)
    with pytest.raises(NewerSchemaError, match="newer Hearth"):
        Store.open(path, clock=clock, background=False)
    assert path.read_bytes() == raw


def test_damaged_message_names_newest_backup_and_restore_works(tmp_path: Path, clock):
    path = tmp_path / "hearth.json"
    with Store.open(path, clock=clock, background=False) as s:
        write_good(s, text="precious")
    with Store.open(path, clock=clock, background=False):
        pass  # a clean open makes today's backup
    assert files.backups(path)
    path.write_bytes(b"{oops")
    with pytest.raises(DamagedDatabaseError) as info:
        Store.open(path, clock=clock, background=False)
    assert str(files.backups(path)[0]) in str(info.value) and "restore" in str(info.value)
    used, aside = restore_backup(path, None, clock.now())
    assert aside is not None and aside.read_bytes() == b"{oops"
    with Store.open(path, clock=clock, background=False) as s:
        assert s.table("notes").all()[0]["text"] == "precious"


def test_backups_roll_to_seven(tmp_path: Path, clock):
    path = tmp_path / "hearth.json"
    for day in range(10):
        with Store.open(path, clock=clock, background=False) as s:
            write_good(s, day=day)
        clock.advance(days=1)
    assert len(files.backups(path)) == files.BACKUPS_KEPT
    assert all(stat.S_IMODE(b.stat().st_mode) == 0o600 for b in files.backups(path))


def test_old_schema_is_migrated(tmp_path: Path, clock):
    path = tmp_path / "hearth.json"
    path.write_text(json.dumps({"_default": {"1": {"partners": [{"name": "Ana"}, {"name": "Sam"}]}}}))
    with Store.open(path, clock=clock, background=False) as s:
        assert s.table("profile").get(doc_id=1)["partners"][0]["name"] == "Ana"
    data = json.loads(path.read_text())
    assert data["meta"]["1"]["schema"] == SCHEMA_VERSION and "_default" not in data


def test_stale_temp_files_are_removed_at_start(tmp_path: Path, clock):
    path = tmp_path / "hearth.json"
    with Store.open(path, clock=clock, background=False):
        pass
    stale = tmp_path / (files.temp_prefix(path) + "abc123.tmp")
    stale.write_text("half a save")
    other = tmp_path / ".notes.txt.tmp"
    other.write_text("not ours")
    with Store.open(path, clock=clock, background=False) as s:
        assert stale in s.removed_temps
    assert not stale.exists() and other.exists()


def test_drafts_round_trip_and_clear(store: Store):
    save_draft(store, "round:1:card:0:p0", "half a thought")
    assert load_draft(store, "round:1:card:0:p0") == "half a thought"
    save_draft(store, "round:1:card:0:p0", "")
    assert load_draft(store, "round:1:card:0:p0") is None


def test_only_changed_tables_are_reencoded(store: Store, monkeypatch):
    store.table("big").insert({"text": "x" * 1000})
    store.table("small").insert({"n": 1})
    encoded = []
    real = json.dumps
    monkeypatch.setattr("tui.store.storage.json.dumps", lambda obj, **kw: (encoded.append(obj), real(obj, **kw))[1])
    store.table("small").update({"n": 2}, doc_ids=[1])
    docs = [e for e in encoded if isinstance(e, dict)]
    assert {"n": 2} in docs and not any("text" in d for d in docs)
