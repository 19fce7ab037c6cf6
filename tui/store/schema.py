"""Schema versions and migrations: older files are upgraded on open, newer ones refused."""

from __future__ import annotations

from typing import Any, Callable

SCHEMA_VERSION = 1
META_TABLE = "meta"
#: The pause in progress (tui/store/pauses.py). Named here so start-up can look for one without
#: importing the pause rules.
PAUSE_ACTIVE_TABLE = "pause_active"
#: An encrypted file's header line (tui/store/crypto.py). Named here so that opening a file can
#: tell it is encrypted without importing `cryptography`.
ENCRYPTION_HEADER = "_encryption"

Tables = dict[str, dict[str, Any]]


def _v0_to_v1(data: Tables) -> Tables:
    """Pre-release files kept the couple's names in TinyDB's '_default' table."""
    default = data.pop("_default", {})
    if default and "profile" not in data:
        data["profile"] = default
    return data


MIGRATIONS: dict[int, Callable[[Tables], Tables]] = {0: _v0_to_v1}


def version_of(data: Tables) -> int:
    meta = data.get(META_TABLE, {}).get("1", {})
    version = meta.get("schema", 0)
    return version if isinstance(version, int) else -1


def migrate(data: Tables) -> tuple[Tables, bool]:
    """Upgrade `data` to SCHEMA_VERSION. Returns it and whether anything changed."""
    version = version_of(data)
    changed = False
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        changed = True
    if changed or META_TABLE not in data:
        meta = dict(data.get(META_TABLE, {}).get("1", {}))
        meta["schema"] = SCHEMA_VERSION
        meta.setdefault("integrity", "crc32")  # every line's checksum is listed (tui/store/storage.py)
        data[META_TABLE] = {"1": meta}
        changed = True
    return data, changed


def shape_problem(data: Any) -> str | None:
    """Why parsed JSON is not a Hearth database, or None if its shape is right."""
    if not isinstance(data, dict):
        return "it is JSON, but not a Hearth database (the top level is not an object of tables)"
    for name, table in data.items():
        if not isinstance(table, dict):
            return f"it is JSON, but table '{name}' is not an object of documents"
        for doc_id, doc in table.items():
            if not isinstance(doc, dict):
                return f"it is JSON, but document {doc_id} in table '{name}' is not an object"
    return None
