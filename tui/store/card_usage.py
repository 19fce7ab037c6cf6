"""The card history (table ``card_usage``): one small document per card ever met, with the rounds
it was met in (id and number). What the repeat window and then-and-now read.

It is read a document at a time and never kept whole (Tables.each_doc): kept, it was 1.5 MiB of a
round's memory at ten years. What is kept is each card's document id, so that a round's save
reads and changes only the documents of its own cards; it is worked out again whenever the table
has changed by any other way (a merge from the other home, a round deleted)."""

from __future__ import annotations

import weakref
from typing import Any, Iterable

from .database import Store

USAGE = "card_usage"

#: each open store's storage → (its change mark for the table when read, card key → document id)
_ids: "weakref.WeakKeyDictionary[Any, tuple[tuple[int, int], dict[str, int]]]" = weakref.WeakKeyDictionary()


def _number(value: Any) -> int:
    return value if type(value) is int else 0


def _use(value: Any) -> tuple[Any, int] | None:
    """A use as (round id, round number), or None for one that is not a pair (never changed here)."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return value[0], _number(value[1])
    return None


def last_seqs(store: Store) -> dict[str, int]:
    """Card key → the number of the last round it was met in (and each card's document id noted)."""
    def add(acc: tuple[dict[str, int], dict[str, int]], doc_id: str, doc: dict[str, Any]) -> None:
        key = doc.get("key")
        if isinstance(key, str) and key not in acc[1] and str(doc_id).isdigit():
            acc[0][key] = _number(doc.get("last_seq", 0))
            acc[1][key] = int(doc_id)

    storage = store.storage
    with storage.mutex:
        mark = storage.changes(USAGE)
        seqs, ids = storage.each_doc(USAGE, lambda: ({}, {}), add) or ({}, {})
        _ids[storage] = (mark, ids)
    return seqs


def _doc_ids(store: Store) -> dict[str, int]:
    kept = _ids.get(store.storage)
    if kept is None or kept[0] != store.storage.changes(USAGE):
        last_seqs(store)
        kept = _ids[store.storage]
    return kept[1]


def uses_of(store: Store, key: str) -> list[tuple[Any, int]]:
    """The rounds a card was met in, as (round id, number): read only its own document."""
    with store.storage.mutex:
        doc_id = _doc_ids(store).get(key)
        doc = store.table(USAGE).get(doc_id=doc_id) if doc_id is not None else None
    uses = doc.get("uses") if doc is not None else None
    return [u for u in map(_use, uses) if u is not None] if isinstance(uses, list) else []


def record(store: Store, round_id: str, seq: int, keys: Iterable[str]) -> None:
    """These cards were met in this round: each card's document gains the round once."""
    storage = store.storage
    table = store.table(USAGE)
    with storage.mutex:
        ids = _doc_ids(store)
        for key in dict.fromkeys(keys):
            doc_id = ids.get(key)
            doc = table.get(doc_id=doc_id) if doc_id is not None else None
            stored = doc.get("uses") if doc is not None else None
            uses = list(stored) if isinstance(stored, list) else []  # the pairs are shared: never changed
            if any(u is not None and u[0] == round_id for u in map(_use, uses)):
                continue
            uses.append([round_id, seq])
            last = max(u[1] for u in map(_use, uses) if u is not None)
            fields = {"key": key, "uses": uses, "last_seq": last}
            if doc_id is not None and doc is not None:
                table.update(fields, doc_ids=[doc_id])
            else:
                ids[key] = table.insert(fields)
        _ids[storage] = (storage.changes(USAGE), ids)
