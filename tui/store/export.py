"""Export: the whole database as JSON in a documented, versioned shape (see README)."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

from .. import __version__
from ..core.clock import stamp
from . import files
from .database import Store
from .round_index import TABLE as ROUND_INDEX
from .schema import SCHEMA_VERSION
from .sync_watch import this_partner
from .withhold import table_for

EXPORT_FORMAT = "hearth-export"
EXPORT_VERSION = 1
#: Exports made inside the app go beside the database, in a private folder.
EXPORT_FOLDER = "exports"
#: Tables Hearth makes from the others for speed (History's list of rounds): not the couple's data.
DERIVED = frozenset({ROUND_INDEX})


def export_data(store: Store) -> dict[str, Any]:
    """`{"format", "format_version", "hearth_version", "schema", "exported_at", "tables"}`.

    `tables` maps each table name to its documents keyed by id, exactly as stored.
    """
    with store.storage.mutex:
        live = store.storage.read()
        tables = {name: copy.deepcopy(live[name]) for name in list(live) if name not in DERIVED}  # reads tables not used yet
    me = this_partner(store)
    if me is not None:
        tables = {name: table_for(name, t, me) for name, t in tables.items()}
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "hearth_version": __version__,
        "schema": SCHEMA_VERSION,
        "exported_at": stamp(store.clock.now()),
        "tables": {name: tables[name] for name in sorted(tables)},
    }


def export_folder(store: Store) -> Path:
    return store.path.parent / EXPORT_FOLDER


def write_export(store: Store, text: str, filename: str) -> Path:
    """Write `text` to `<export folder>/<filename>` (0600, atomically) and return the path.
    An existing file of the same name is kept and the new one numbered."""
    folder = export_folder(store)
    files.ensure_private_folder(folder, force_mode=False)
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, "md"
    path = folder / f"{stem}.{ext}"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.{ext}"
        n += 1
    files.atomic_write(path, text.encode("utf-8"))  # written 0600
    return path


def export_json_file(store: Store, now: datetime) -> Path:
    """The whole database as the JSON export, in a new file of the export folder (from the palette)."""
    text = "".join(export_json(store))
    return write_export(store, text, f"hearth-export-{now.date().isoformat()}.json")
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
    names = sorted(name for name in storage.read() if name not in DERIVED)
    me = this_partner(store)
    for i, name in enumerate(names):
        table = storage.peek(name) or {}
        if me is not None:
            table = table_for(name, table, me)  # the other's answers not revealed yet stay out
        text = json.dumps(table, ensure_ascii=False)
        del table
        yield f'{"," if i else ""}\n    {json.dumps(name, ensure_ascii=False)}: {text}'
        del text
    yield "\n  }\n}\n" if names else "}\n}\n"
