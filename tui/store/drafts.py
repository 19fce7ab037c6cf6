"""Drafts: text being typed, saved as it is typed so a crash or quit never loses a word.

Keys name the place and the person, e.g. ``round:12:card:3:partner:0``, so a private
draft is only ever offered back to the partner who wrote it.
"""

from __future__ import annotations

from tinydb import Query

from ..core.clock import stamp
from .database import Store

DRAFTS = "drafts"


def save_draft(store: Store, key: str, text: str) -> None:
    """Keep `text` under `key`; an empty text removes the draft."""
    table = store.table(DRAFTS)
    if not text:
        table.remove(Query().key == key)
        return
    table.upsert({"key": key, "text": text, "updated": stamp(store.clock.now())}, Query().key == key)


def load_draft(store: Store, key: str) -> str | None:
    doc = store.table(DRAFTS).get(Query().key == key)
    return doc["text"] if doc else None


def clear_draft(store: Store, key: str) -> None:
    store.table(DRAFTS).remove(Query().key == key)


def drafts_with_prefix(store: Store, prefix: str) -> dict[str, str]:
    return {d["key"]: d["text"] for d in store.table(DRAFTS).all() if d["key"].startswith(prefix)}
