"""The database as it is on disk, read without the lock and never written: for `hearth due`.

`hearth due` runs from a login shell or a desktop notifier, often while Hearth is open in
another window, so it must not need the lock. That is safe because every save replaces the
file whole with a rename: any moment's file is one complete version. Tables are parsed only
when a question needs them, so this stays fast with twenty years in the file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Table

from ..core.clock import Clock, SystemClock
from .database import open_lazily, read_file


class Snapshot:
    """Quacks like a Store for readers (`table`, `clock`, `path`); changes stay in memory."""

    def __init__(self, path: Path, data: Any, clock: Clock, source: Any = None) -> None:
        self.path = path
        self.clock = clock
        self._source = source
        self.db = TinyDB(storage=MemoryStorage)
        self.db.storage.memory = data

    @classmethod
    def open(cls, path: Path | str, *, clock: Clock | None = None, passphrase: str | None = None) -> "Snapshot":
        """Raises the store's own clear errors (damaged, newer schema, locked) like `Store.open`;
        a file that does not exist yet reads as empty. An encrypted file needs `passphrase`."""
        path = Path(os.path.realpath(Path(path).expanduser()))  # through links, as Store.open
        clock = clock or SystemClock()
        if not path.exists():
            return cls(path, {}, clock)
        lazy = open_lazily(path, clock.now().date(), passphrase)
        if lazy is not None:
            tables, _check = lazy
            return cls(path, tables, clock, tables.source)
        data, _raw, _sealer = read_file(path, passphrase)
        return cls(path, data, clock)

    def table(self, name: str) -> Table:
        return self.db.table(name)

    def close(self) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None

    def __enter__(self) -> "Snapshot":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
