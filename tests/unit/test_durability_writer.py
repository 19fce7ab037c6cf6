"""Whatever fails in the write path, Hearth stops saving, says so, and every change reaches a
rescue file beside the database (issue 14, defects 1-3)."""

from __future__ import annotations

import errno
import json
import os
import stat
import time
from pathlib import Path

import pytest

from tui.store import Store, StoreError, restore_backup
from tui.store import files


def _deep(levels: int) -> list:
    value: list = []
    for _ in range(levels):
        value = [value]
    return value


def _rescued(store: Store) -> dict:
    path = store.storage.rescue_path
    assert path is not None and path.exists(), "no rescue file"
    assert path.parent == store.path.parent
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return json.loads(path.read_text())


@pytest.mark.parametrize("bad", ["a set", "deep nesting"])
def test_a_failure_that_is_not_the_disks_stops_saving_and_rescues_every_change(db_path: Path, clock, bad):
    value = {1, 2} if bad == "a set" else _deep(5000)
    with Store.open(db_path, clock=clock) as s:
        s.table("notes").insert({"text": "saved before"})
        assert s.flush()
        s.table("odd").insert({"value": value})  # JSON cannot encode this one
        s.table("notes").insert({"text": "typed after the bad value"})
        assert not s.flush(timeout=5)
        assert s.storage.stopped
        assert "stopped saving" in s.save_error and str(s.storage.rescue_path) in s.save_error
        assert "Left out of it" in s.save_error and "table 'odd'" in s.save_error
        s.table("notes").insert({"text": "typed once saving had stopped"})
        deadline = time.monotonic() + 10
        while s.storage._rescued < s.storage._generation:  # the writer rewrites the rescue file
            assert time.monotonic() < deadline
            time.sleep(0.01)
        rescued = _rescued(s)
        started = time.monotonic()
    assert time.monotonic() - started < 3  # closing does not wait for a writer that is gone
    texts = [d["text"] for d in rescued["notes"].values()]
    assert texts == ["saved before", "typed after the bad value", "typed once saving had stopped"]
    assert rescued["odd"] == {}  # only the value that cannot be written is left out
    problem = s.storage.exit_problem()
    assert problem and str(s.storage.rescue_path) in problem and "restore" in problem
    on_disk = json.loads(db_path.read_text())
    assert [d["text"] for d in on_disk["notes"].values()] == ["saved before"]
    # and the rescue file can be put in place
    restore_backup(db_path, s.storage.rescue_path, clock.now())
    with Store.open(db_path, clock=clock, background=False) as again:
        assert len(again.table("notes").all()) == 3


def test_the_synchronous_path_stops_and_rescues_too(store: Store):
    store.table("notes").insert({"text": "first"})
    with pytest.raises(StoreError, match="stopped saving"):
        store.table("odd").insert({"value": object()})
    assert store.storage.stopped
    store.table("notes").insert({"text": "second"})  # goes to the rescue file, no error
    assert [d["text"] for d in _rescued(store)["notes"].values()] == ["first", "second"]


def test_a_writer_thread_that_dies_anywhere_is_reported(db_path: Path, clock, monkeypatch):
    import tui.store.storage as storage

    with Store.open(db_path, clock=clock) as s:
        assert s.flush()

        def broken(self, *args, **kwargs):
            raise RuntimeError("a bug")

        monkeypatch.setattr(storage.HearthStorage, "serialize", broken)
        s.table("notes").insert({"text": "must not vanish"})
        assert not s.flush(timeout=5)
        monkeypatch.undo()
        assert s.storage.stopped and s.storage._thread.is_alive()
    assert [d["text"] for d in _rescued(s)["notes"].values()] == ["must not vanish"]


def _disk_full_in(monkeypatch, *folders: Path) -> None:
    """Temp files cannot be made in these folders, as on a full disk."""
    real = files.open_temp
    full = {f.resolve() for f in folders}

    def open_temp(path: Path):
        if path.parent.resolve() in full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(path)

    monkeypatch.setattr(files, "open_temp", open_temp)


def test_quitting_while_the_disk_is_full_says_where_the_words_are(db_path: Path, clock, monkeypatch, tmp_path):
    with Store.open(db_path, clock=clock) as s:
        s.table("notes").insert({"text": "saved"})
        assert s.flush()
        _disk_full_in(monkeypatch, db_path.parent, Path.home())
        s.table("notes").insert({"text": "an answer typed on a full disk"})
        assert not s.flush(timeout=5)
        assert "Hearth keeps trying" in s.save_error  # true while Hearth runs: it is in memory
    problem = s.storage.exit_problem()
    assert "keeps trying" not in problem and "Nothing is lost yet" not in problem
    rescue = s.storage.rescue_path
    assert rescue is not None and rescue.parent != db_path.parent  # beside it was full: the temp folder
    assert str(rescue) in problem and "the disk is full" in problem
    try:
        assert stat.S_IMODE(rescue.stat().st_mode) == 0o600
        texts = [d["text"] for d in json.loads(rescue.read_text())["notes"].values()]
        assert texts == ["saved", "an answer typed on a full disk"]
    finally:
        rescue.unlink()


def test_when_nothing_can_be_written_the_exit_message_says_the_changes_are_lost(db_path: Path, clock, monkeypatch):
    import tempfile

    with Store.open(db_path, clock=clock) as s:
        assert s.flush()
        _disk_full_in(monkeypatch, db_path.parent, Path.home(), Path(tempfile.gettempdir()))
        s.table("notes").insert({"text": "cannot land"})
        assert not s.flush(timeout=5)
    problem = s.storage.exit_problem()
    assert s.storage.rescue_path is None
    assert "could not be written anywhere" in problem and "lost" in problem and "Nothing is lost" not in problem
