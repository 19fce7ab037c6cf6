"""Export: the whole database as JSON in a documented, versioned shape (see README)."""

from __future__ import annotations

import copy
from typing import Any

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
