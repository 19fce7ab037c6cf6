"""Noting what changed on a linked computer, from the moment its database opens.

Kept apart from `sync` so that opening a linked database costs one small table read and no
pycrdt import: the merge itself runs later, off the screen's thread.
"""

from __future__ import annotations

from typing import Any

LINK_TABLE = "sync_link"
ID_STRIDE = 16


class Touched:
    """Which documents of which tables changed since the last merge (None: look at all of them)."""

    def __init__(self, travels: Any = None) -> None:
        self.tables: dict[str, set[str] | None] = {}
        self.quiet = False  # while a merge writes what came in: that is not ours to send back
        self._travels = travels

    def note(self, table: str, doc_ids: set[str] | None) -> None:
        if self.quiet or table == LINK_TABLE:
            return
        if doc_ids is None or self.tables.get(table, set()) is None:
            self.tables[table] = None
        else:
            self.tables.setdefault(table, set()).update(doc_ids)

    def everything(self, names: list[str]) -> None:
        for name in names:
            self.tables[name] = None

    def take(self) -> dict[str, set[str] | None]:
        taken, self.tables = self.tables, {}
        return taken


def attach(store: Any) -> bool:
    """If the database is linked, give new documents ids apart from the other home's and start
    noting changes. Returns whether it is linked."""
    doc = store.db.table(LINK_TABLE).get(doc_id=1)
    if not doc or not doc.get("folder"):
        return False
    slot = doc.get("slot")
    store.storage.id_slot = slot if isinstance(slot, int) and 0 < slot < ID_STRIDE else 1
    store.storage.id_stride = ID_STRIDE
    if store.touched is None:
        store.touched = Touched()
    store.storage.watcher = store.touched.note
    return True


def detach(store: Any) -> None:
    store.storage.watcher = None
    store.storage.id_slot = None
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
