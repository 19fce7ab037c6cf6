"""Noting what changed on a linked computer, from the moment its database opens.

Kept apart from `sync` so that opening a linked database costs one small table read and no
pycrdt import: the merge itself runs later, off the screen's thread.
"""

from __future__ import annotations

import threading
from typing import Any

LINK_TABLE = "sync_link"
ID_STRIDE = 16


class Touched:
    """Which documents of which tables changed since the last merge (None: look at all of them)."""

    def __init__(self, travels: Any = None) -> None:
        self.tables: dict[str, set[str] | None] = {}
        self._quiet_in: int | None = None  # the thread writing in what came in: not ours to send back
        self._travels = travels
        #: while a merge is under way: table → document id → the document as it was before a
        #: change made meanwhile (None: not there yet), kept by the first change to it
        self.before: dict[str, dict[str, Any]] | None = None

    @property
    def quiet(self) -> bool:
        return self._quiet_in is not None

    @quiet.setter
    def quiet(self, value: bool) -> None:
        """Only the merging thread's own writes are left out; a screen saving meanwhile is noted."""
        self._quiet_in = threading.get_ident() if value else None

    def note(self, table: str, doc_ids: set[str] | None) -> None:
        if table == LINK_TABLE or self._quiet_in == threading.get_ident():
            return
        if doc_ids is None or self.tables.get(table, set()) is None:
            self.tables[table] = None
        else:
            self.tables.setdefault(table, set()).update(doc_ids)

    def keeping(self, table: str) -> dict[str, Any] | None:
        """Where a change to `table` made now keeps what it replaces (HearthStorage.keeping):
        only while a merge is under way, for a table that travels, and not the merge's own."""
        before = self.before
        if before is None or self._quiet_in == threading.get_ident():
            return None
        from .sync_tables import travels

        if not travels(table):
            return None
        return before.setdefault(table, {})

    def everything(self, names: list[str]) -> None:
        for name in names:
            self.tables[name] = None

    def take(self) -> dict[str, set[str] | None]:
        taken, self.tables = self.tables, {}
        return taken


def attach(store: Any) -> bool:
    """If the database is linked, give new documents ids apart from the other home's and start
    noting changes. Returns whether it is linked.

    Unlinked after a link, the ids stay apart too: linking again goes on as the same home, and a
    document made meanwhile must not take an id the other home gives out."""
    doc = store.db.table(LINK_TABLE).get(doc_id=1)
    if not doc:
        return False
    linked = bool(doc.get("folder"))
    slot = doc.get("slot") if linked else (doc.get("was") or {}).get("slot")
    if isinstance(slot, int) and 0 < slot < ID_STRIDE:
        store.storage.id_slot, store.storage.id_stride = slot, ID_STRIDE
    elif linked:
        store.storage.id_slot, store.storage.id_stride = 1, ID_STRIDE
    if not linked:
        return False
    if store.touched is None:
        store.touched = Touched()
    store.storage.watcher = store.touched.note
    return True


def detach(store: Any) -> None:
    """Stop noting changes. The id slot stays (see `attach`)."""
    store.storage.watcher = None
    store.touched = None


def link_doc(store: Any) -> dict[str, Any] | None:
    """The link as saved (folder, home, slot, partner, heard...), or None when not linked."""
    doc = store.db.table(LINK_TABLE).get(doc_id=1)
    return dict(doc) if doc and doc.get("folder") else None


def this_partner(store: Any) -> int | None:
    """Whose computer this is (0 or 1), or None when both partners use it (or it is not linked).
    On a linked computer of one partner, only that partner's turns are played here."""
    doc = link_doc(store)
    partner = doc.get("partner") if doc else None
    return partner if partner in (0, 1) else None


def linked(store: Any) -> bool:
    return store.touched is not None
