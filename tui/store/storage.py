"""TinyDB storage that keeps the data in memory and saves it atomically, off the UI thread.

Why its own storage: TinyDB's JSONStorage re-reads the file on every query and rewrites
it in place, which a kill mid-save can leave unparseable. Here reads come from memory,
and each save serializes only the tables that changed (big tables are sharded by year),
then replaces the file atomically from a writer thread so typing never waits on the disk.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Callable

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from tui.store.files import atomic_write

Tables = dict[str, dict[str, Any]]
StatusListener = Callable[[str | None], None]
RETRY_SECONDS = 2.0


def describe_os_error(exc: OSError) -> str:
    """Plain words for the save errors people actually meet."""
    import errno

    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "permission was refused",
        errno.EPERM: "permission was refused",
        errno.EROFS: "the disk is read-only",
        errno.EIO: "the disk reported an input/output error",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return reason


class HearthStorage(Storage):
    """In-memory tables, saved whole and atomically; see the module docstring."""

    def __init__(self, path: Path, data: Tables, *, background: bool = True) -> None:
        self.path = path
        self._data = data
        self.mutex = threading.RLock()
        self.dirty: set[str] = set(data)
        self._cache: dict[str, str] = {}
        self._generation = 0
        self._saved = 0
        self._error: str | None = None
        self._listeners: list[StatusListener] = []
        self._wake = threading.Condition()
        self._closing = False
        self._background = background
        self._thread: threading.Thread | None = None
        if background:
            self._thread = threading.Thread(target=self._run, name="hearth-writer", daemon=True)
            self._thread.start()

    # -- TinyDB's Storage interface -------------------------------------------------
    def read(self) -> Tables:
        return self._data

    def write(self, data: Tables) -> None:
        with self.mutex:
            self._data = data
            self._generation += 1
        if self._background:
            with self._wake:
                self._wake.notify_all()
        else:
            self._save_once(raise_errors=True)

    def close(self) -> None:
        if self._thread is not None:
            self.flush(timeout=10.0)
            with self._wake:
                self._closing = True
                self._wake.notify_all()
            self._thread.join(timeout=10.0)
            self._thread = None

    # -- status -------------------------------------------------------------------------
    @property
    def error(self) -> str | None:
        """The last save problem in plain words, or None when everything is on disk."""
        return self._error

    @property
    def pending(self) -> bool:
        return self._saved < self._generation

    def add_listener(self, listener: StatusListener) -> None:
        """`listener(error_or_None)` is called from the writer thread after each save attempt."""
        self._listeners.append(listener)

    def flush(self, timeout: float | None = 5.0) -> bool:
        """Wait until everything written so far is on disk. False if it could not be saved."""
        if not self._background:
            if self.pending:
                self._save_once(raise_errors=False)
            return not self.pending
        with self._wake:
            self._wake.notify_all()
            target = self._generation
            ok = self._wake.wait_for(lambda: self._saved >= target or self._error is not None, timeout)
        return ok and self._saved >= target

    # -- saving ---------------------------------------------------------------------------
    def serialize(self) -> tuple[int, list[bytes]]:
        """JSON for the whole database as chunks, re-encoding only tables changed since last time.

        Under the mutex we only take a shallow copy of each changed table; encoding then runs
        one document at a time, so the UI thread gets the GIL back between documents and a
        ten-year database never freezes typing.
        """
        with self.mutex:
            generation = self._generation
            names = sorted(self._data)
            changed = {n: dict(self._data[n]) for n in names if n in self.dirty or n not in self._cache}
            self.dirty.clear()
            for name in list(self._cache):
                if name not in self._data:
                    del self._cache[name]
        for name, table in changed.items():
            docs = ",".join(
                f"{json.dumps(doc_id)}:{json.dumps(doc, ensure_ascii=True, separators=(',', ':'))}"
                for doc_id, doc in table.items()
            )
            self._cache[name] = f"{json.dumps(name)}:{{{docs}}}".encode("ascii")
        chunks = [b"{"]
        for i, name in enumerate(names):
            if name in self._cache:
                chunks.append(b"," + self._cache[name] if i else self._cache[name])
        chunks.append(b"}")
        return generation, chunks

    def _save_once(self, *, raise_errors: bool) -> None:
        generation, chunks = self.serialize()
        try:
            atomic_write(self.path, chunks)
        except OSError as exc:
            self._error = f"Could not save to {self.path}: {describe_os_error(exc)}. Nothing is lost yet; Hearth keeps trying."
            self._notify()
            if raise_errors:
                from tui.store.errors import StoreError

                raise StoreError(self._error) from exc
            return
        with self._wake:
            self._saved = max(self._saved, generation)
            self._error = None
            self._wake.notify_all()
        self._notify()

    def _notify(self) -> None:
        for listener in list(self._listeners):
            try:
                listener(self._error)
            except Exception:  # a listener's bug must never stop saving
                pass

    def _run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._closing or self._saved < self._generation,
                                    RETRY_SECONDS if self._error else None)
                if self._closing and self._saved >= self._generation:
                    return
            self._save_once(raise_errors=False)
            if self._error:
                with self._wake:
                    self._wake.notify_all()
                    if self._closing:
                        return
                    self._wake.wait(RETRY_SECONDS)


class HearthTable(Table):
    """A TinyDB table that tells the storage which table a change touched."""

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        storage = self._storage
        assert isinstance(storage, HearthStorage)
        with storage.mutex:
            storage.dirty.add(self.name)
            super()._update_table(updater)


class HearthDB(TinyDB):
    """TinyDB wired to HearthStorage and HearthTable."""

    table_class = HearthTable
