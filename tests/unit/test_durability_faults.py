"""Fault injection (issue 14): each step of a save (create the temp file, write, fsync, rename,
fsync the folder) failing with ENOSPC, EIO, EROFS and EACCES, on the synchronous and the
background path. The old file survives (or, past the rename, the new one is whole), no temp file
is left, the message says what happened in words, and the save catches up once the fault goes."""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from pathlib import Path

import pytest

from tui.store import Store, StoreError
from tui.store import files

STEPS = ["_create", "_write", "_fsync", "_replace", "_fsync_dir"]
CODES = {
    errno.ENOSPC: "the disk is full",
    errno.EIO: "input/output error",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission was refused",
}


def inject(monkeypatch, step: str, code: int) -> threading.Event:
    """Make `step` fail with `code` while the returned event is set."""
    failing = threading.Event()
    failing.set()
    real = getattr(files, step)

    def faulty(*args, **kwargs):
        if failing.is_set():
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    monkeypatch.setattr(files, step, faulty)
    return failing


def texts(path: Path) -> list[str]:
    return [d["text"] for d in json.loads(path.read_text())["notes"].values()]


def no_temps(path: Path) -> bool:
    return not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("code", sorted(CODES), ids=[errno.errorcode[c] for c in sorted(CODES)])
@pytest.mark.parametrize("step", STEPS)
def test_synchronous_save(store: Store, monkeypatch, step, code):
    store.table("notes").insert({"text": "old"})
    before = store.path.read_bytes()
    failing = inject(monkeypatch, step, code)
    with pytest.raises(StoreError) as info:
        store.table("notes").insert({"text": "new"})
    assert CODES[code] in str(info.value) and str(store.path) in str(info.value)
    if step != "_fsync_dir":  # a failing folder fsync comes after the rename
        assert store.path.read_bytes() == before
    assert texts(store.path) in (["old"], ["old", "new"])  # never damaged
    assert no_temps(store.path)
    assert store.storage.pending
    failing.clear()
    assert store.flush()
    assert texts(store.path) == ["old", "new"] and store.save_error is None


@pytest.mark.parametrize("code", sorted(CODES), ids=[errno.errorcode[c] for c in sorted(CODES)])
@pytest.mark.parametrize("step", STEPS)
def test_background_save(db_path: Path, clock, monkeypatch, step, code):
    monkeypatch.setattr("tui.store.storage.RETRY_SECONDS", 0.05)
    with Store.open(db_path, clock=clock) as s:
        s.table("notes").insert({"text": "old"})
        assert s.flush()
        before = db_path.read_bytes()
        failing = inject(monkeypatch, step, code)
        s.table("notes").insert({"text": "new"})
        assert not s.flush(timeout=5)
        assert CODES[code] in s.save_error and "Nothing is lost yet" in s.save_error
        if step != "_fsync_dir":
            assert db_path.read_bytes() == before
        assert texts(db_path) in (["old"], ["old", "new"])
        assert s.storage.pending and s.storage._thread.is_alive()
        failing.clear()
        deadline = time.monotonic() + 10
        while s.storage.pending or s.save_error:  # the writer retries on its own
            assert time.monotonic() < deadline, "the save never caught up"
            time.sleep(0.01)
        assert texts(db_path) == ["old", "new"] and no_temps(db_path)


@pytest.mark.parametrize("code", sorted(CODES), ids=[errno.errorcode[c] for c in sorted(CODES)])
def test_quitting_during_a_fault_rescues_the_changes(db_path: Path, clock, monkeypatch, code):
    monkeypatch.setattr("tui.store.storage.RETRY_SECONDS", 0.05)
    with Store.open(db_path, clock=clock) as s:
        s.table("notes").insert({"text": "old"})
        assert s.flush()
        real = files._replace
        monkeypatch.setattr(files, "_replace", lambda src, dst: real(src, dst) if Path(dst) != db_path
                            else (_ for _ in ()).throw(OSError(code, os.strerror(code))))
        s.table("notes").insert({"text": "new"})
        assert not s.flush(timeout=5)
    problem = s.storage.exit_problem()
    assert CODES[code] in problem and str(s.storage.rescue_path) in problem
    assert [d["text"] for d in json.loads(s.storage.rescue_path.read_text())["notes"].values()] == ["old", "new"]
    assert texts(db_path) == ["old"]
