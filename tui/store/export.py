"""Export: the whole database as JSON in a documented, versioned shape (see README)."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from tui import __version__
from tui.core.clock import stamp
from tui.store import files
from tui.store.database import Store
from tui.store.schema import SCHEMA_VERSION

EXPORT_FORMAT = "hearth-export"
EXPORT_VERSION = 1
#: Exports made inside the app go beside the database, in a private folder.
EXPORT_FOLDER = "exports"


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
    text = json.dumps(export_data(store), ensure_ascii=False, indent=2) + "\n"
    return write_export(store, text, f"hearth-export-{now.date().isoformat()}.json")
