"""Reading a table without keeping it in memory. Home draws its due lines on every visit from a
few tables (agreements, this week's reflection, years of pauses); kept, ten years of them held about
3 MiB at home, twenty years 5 MiB, though only the screens that show them need them whole."""

from __future__ import annotations

from typing import Any

from .database import Store


def peek(store: Store, name: str) -> dict[str, Any] | None:
    """A table to read without keeping it in memory (Tables.peek): home draws its due lines on
    every visit, and what it reads for them need not stay. Works on a Store and on the read-only
    Snapshot of `hearth due` alike. None if there is no such table."""
    storage = getattr(store, "storage", None)
    data = storage.read() if storage is not None else store.db.storage.read()
    reader = getattr(data, "peek", None)
    return reader(name) if reader is not None else (data or {}).get(name)


def unread(store: Store) -> set[str]:
    """The tables not read yet (still as in the file: such a table never changes, a change makes
    it read). Empty for a read-only Snapshot, which lives for one command."""
    storage = getattr(store, "storage", None)
    return {name for name, _span in storage.cold_spans()} if storage is not None else set()
