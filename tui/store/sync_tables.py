"""Which tables travel between two homes, and what names a document there.

A table travels when it holds what the couple made together (rounds, agreements, pauses,
reflections, stars...). What belongs to one computer stays home: drafts being typed, the file's
own meta data, the link itself, and settings such as the theme or the idle lock.

Documents are named by something both computers agree on: a natural key where the store finds
documents by one (a reflection by its week, a pause by its id), the document id elsewhere. Ids
new documents get on a linked computer never collide with the other home's (`sync_watch.ID_STRIDE`).
"""

from __future__ import annotations

import re
from typing import Any


#: Tables with one document (id 1), merged field by field.
SINGLE = {"profile", "settings", "pause_active", "talk_active", "dream_active"}
#: Tables whose documents are found by a field rather than by their id.
NATURAL = {
    "pauses_": "id", "reflections_": "week", "card_usage": "key", "card_stars": "key",
    "talks": "id", "challenge_progress": "deck",
}
#: Tables named by their document ids (ids kept apart by sync_watch.ID_STRIDE).
BY_ID = {"agreements", "rounds_"}

#: Settings of one computer, not of the couple.
LOCAL_SETTINGS = {"theme", "bell", "breathing", "lock_minutes", "calendar_id", "round_choices", "round_apart"}

_YEAR = re.compile(r"^(pauses_|reflections_|rounds_)(\d{4})$")


def family(table: str) -> str | None:
    """The rule a table follows ('rounds_', 'agreements', ...), or None when it stays home."""
    match = _YEAR.match(table)
    if match:
        return match.group(1)
    if table in SINGLE or table in NATURAL or table in BY_ID:
        return table
    return None


def travels(table: str) -> bool:
    return family(table) is not None


def key_field(table: str) -> str | None:
    """The field that names a document, or None when its id does."""
    fam = family(table)
    return NATURAL.get(fam) if fam else None


def doc_key(table: str, doc_id: str, doc: dict[str, Any]) -> str | None:
    """What the document is called in the shared state, or None if it can't be named (left out)."""
    field = key_field(table)
    if field is None:
        return str(doc_id)
    value = doc.get(field)
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value) else None


def outgoing(table: str, doc: dict[str, Any]) -> dict[str, Any]:
    """The document as it travels (one computer's own settings left out)."""
    if table == "settings":
        return {k: v for k, v in doc.items() if k not in LOCAL_SETTINGS}
    return doc


def incoming(table: str, doc: dict[str, Any], here: dict[str, Any] | None) -> dict[str, Any]:
    """A document arriving, with this computer's own settings kept as they are."""
    if table == "settings" and here:
        kept = {k: v for k, v in here.items() if k in LOCAL_SETTINGS}
        return {**doc, **kept}
    return doc
