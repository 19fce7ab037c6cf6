"""Export: the whole database as JSON in a documented, versioned shape (see README)."""

from __future__ import annotations

import copy
import json
from typing import Any, Iterator

from tui import __version__
from tui.core.clock import stamp
from tui.store.database import Store
from tui.store.schema import SCHEMA_VERSION

EXPORT_FORMAT = "hearth-export"
EXPORT_VERSION = 1


def export_data(store: Store) -> dict[str, Any]:
    """`{"format", "format_version", "hearth_version", "schema", "exported_at", "tables"}`.

    `tables` maps each table name to its documents keyed by id, exactly as stored.
    """
    with store.storage.mutex:
        live = store.storage.read()
        tables = {name: copy.deepcopy(live[name]) for name in list(live)}  # reads tables not used yet
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "hearth_version": __version__,
        "schema": SCHEMA_VERSION,
        "exported_at": stamp(store.clock.now()),
        "tables": {name: tables[name] for name in sorted(tables)},
    }


def export_json(store: Store) -> Iterator[str]:
    """export_data() as JSON text, in pieces, one table at a time: each table is read from the file
    (and let go of after, if it was not in memory), encoded by json's C encoder and handed on, so
    twenty years are never in memory twice. `indent=2` over the whole export made json use its
    pure-Python encoder (58% of the time) and a deep copy of every table took another third.
    The outer object is indented; each table is on one line of its own."""
    head = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "hearth_version": __version__,
        "schema": SCHEMA_VERSION,
        "exported_at": stamp(store.clock.now()),
    }
    yield "{\n"
    for key, value in head.items():
        yield f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n"
    yield '  "tables": {'
    storage = store.storage
    names = sorted(storage.read())
    for i, name in enumerate(names):
        table = storage.peek(name) or {}
        text = json.dumps(table, ensure_ascii=False)
        del table
        yield f'{"," if i else ""}\n    {json.dumps(name, ensure_ascii=False)}: {text}'
        del text
    yield "\n  }\n}\n" if names else "}\n}\n"
