"""Store errors: each carries a message a person can act on, with no traceback."""

from __future__ import annotations


class StoreError(Exception):
    """A problem with the database file, worded for the people using Hearth."""


class AlreadyOpenError(StoreError):
    """Another Hearth holds the lock on this database."""


class DamagedDatabaseError(StoreError):
    """The file could not be read; it is left exactly as it is."""


class NewerSchemaError(StoreError):
    """The file was written by a newer Hearth; it is left untouched."""


class NotWritableError(StoreError):
    """The database folder or file cannot be created or written."""


class LockedError(StoreError):
    """The file is encrypted and no passphrase was given; nothing was read or changed."""


class WrongPassphraseError(StoreError):
    """No key slot opened with the passphrase given; nothing was changed."""


def json_problem(msg: str) -> str:
    """Python's JSON error message as a phrase: "Invalid control character at" reads as
    "an invalid control character" (the place is said beside it)."""
    text = msg.removesuffix(" at").removesuffix(" starting").strip()
    text = text[:1].lower() + text[1:]
    if text.startswith(("expecting", "extra")) or text[:1] not in "aeiou":
        return text
    return f"an {text}"
