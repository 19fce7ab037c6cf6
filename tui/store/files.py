"""Crash-safe file operations: atomic replace, private permissions, stale temp files, backups.

Each step of a save is a small named function so the fault-injection tests can make any
one of them fail and check that the old file survives.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import IO, Iterable

FILE_MODE = 0o600
DIR_MODE = 0o700
BACKUPS_KEPT = 7
_BACKUP = re.compile(r"^(?P<name>.+)\.(?P<day>\d{4}-\d{2}-\d{2})\.bak$")


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


def _write(f: IO[bytes], data: bytes | Iterable[bytes]) -> None:
    if isinstance(data, bytes):
        f.write(data)
    else:
        for chunk in data:
            f.write(chunk)


def _flush(f: IO[bytes]) -> None:
    f.flush()


def _fsync(f: IO[bytes]) -> None:
    os.fsync(f.fileno())


def _replace(src: str, dst: Path) -> None:
    os.replace(src, dst)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write `data` to a temp file beside `path`, fsync it, replace `path`, fsync the folder.

    On any failure before the replace the old file is untouched and the temp file removed.
    """
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as f:
            _write(f, data)
            _flush(f)
            _fsync(f)
        _replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(folder)


def ensure_private_folder(folder: Path, *, force_mode: bool) -> None:
    """Create the folder as 0700. An existing folder is tightened only when it is ours."""
    if not folder.exists():
        folder.mkdir(parents=True, mode=DIR_MODE)
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask
    elif force_mode:
        os.chmod(folder, DIR_MODE)


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete temp files a killed save left behind. Only call while holding the lock."""
    removed = []
    for p in path.parent.glob(temp_prefix(path) + "*.tmp"):
        try:
            p.unlink()
            removed.append(p)
        except OSError:
            pass
    return removed


def backups(path: Path) -> list[Path]:
    """Backups of `path`, newest first."""
    found = []
    for p in path.parent.glob(path.name + ".*.bak"):
        m = _BACKUP.match(p.name)
        if m and m.group("name") == path.name:
            found.append((m.group("day"), p))
    return [p for _, p in sorted(found, reverse=True)]


def backup_name(path: Path, day: date) -> Path:
    return path.with_name(f"{path.name}.{day.isoformat()}.bak")


def make_daily_backup(path: Path, data: bytes | Iterable[bytes], day: date) -> Path | None:
    """Keep one copy a day of a file that just read fine, and the last few days only."""
    target = backup_name(path, day)
    if target.exists():
        return None
    atomic_write(target, data)
    for old in backups(path)[BACKUPS_KEPT:]:
        try:
            old.unlink()
        except OSError:
            pass
    return target
