"""The only code that touches the database file. See `database.Store`."""

from .database import Store, restore_backup
from .errors import (
    AlreadyOpenError,
    DamagedDatabaseError,
    NewerSchemaError,
    NotWritableError,
    StoreError,
)

__all__ = [
    "Store",
    "restore_backup",
    "StoreError",
    "AlreadyOpenError",
    "DamagedDatabaseError",
    "NewerSchemaError",
    "NotWritableError",
]
