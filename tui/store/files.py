"""Crash-safe file operations: atomic replace, private permissions, stale temp files, backups.

Each step of a save is a small named function so the fault-injection tests can make any
one of them fail and check that the old file survives.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import IO, Iterable, NamedTuple

FILE_MODE = 0o600
DIR_MODE = 0o700
BACKUPS_KEPT = 7
_BACKUP = re.compile(r"^(?P<name>.+)\.(?P<day>\d{4}-\d{2}-\d{2})\.bak$")


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


class FileRange(NamedTuple):
    """Bytes of an open file to write as they are, copied by the kernel where it can: the tables a
    save copies from the file read at open (13 of 15 MB at ten years) never pass through memory,
    and the writer thread lets go of the GIL once for the whole copy, not once a megabyte."""

    fd: int
    offset: int
    length: int

    def __bytes__(self) -> bytes:
        """The bytes themselves (for a reader that needs them; writing never asks)."""
        parts = []
        done = 0
        while done < self.length:
            part = os.pread(self.fd, min(self.length - done, COPY_PIECE), self.offset + done)
            if not part:
                raise _ended(self, done)
            parts.append(part)
            done += len(part)
        return b"".join(parts)


Data = bytes | FileRange | Iterable[bytes | FileRange]

#: Bytes copied at a time where the kernel cannot copy between files (and read at a time for bytes()).
COPY_PIECE = 1 << 20
#: Errors that only mean "this kernel or file system cannot copy between these files": read and write.
_NO_KERNEL_COPY = {errno.ENOSYS, errno.EXDEV, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EBADF,
                   errno.ETXTBSY, errno.EPERM}
_kernel_copy = hasattr(os, "copy_file_range")


def _ended(part: FileRange, done: int) -> OSError:
    return OSError(errno.EIO, f"the database file ended early (at byte {part.offset + done})")


def _copy_range(f: IO[bytes], part: FileRange) -> None:
    """Append `part` to `f` (written sequentially, as every file here is)."""
    global _kernel_copy
    f.flush()
    out = f.fileno()
    done = 0
    while done < part.length:
        count = min(part.length - done, 1 << 30)
        n = -1
        if _kernel_copy:
            try:
                n = os.copy_file_range(part.fd, out, count, part.offset + done)
            except OSError as exc:
                if exc.errno not in _NO_KERNEL_COPY:
                    raise  # the disk's own error (full, read-only, input/output): the save reports it
                _kernel_copy = False  # not on this system: read and write from now on
        if n < 0:
            piece = os.pread(part.fd, min(count, COPY_PIECE), part.offset + done)
            view = memoryview(piece)
            while view:
                view = view[os.write(out, view):]
            n = len(piece)
            del piece, view  # one piece at a time, not the last one beside the next
        if n == 0:
            raise _ended(part, done)
        done += n
    f.seek(0, os.SEEK_END)  # the buffered file learns where the copy ended


def _write(f: IO[bytes], data: Data) -> None:
    if isinstance(data, bytes):
        f.write(data)
        return
    for chunk in [data] if isinstance(data, FileRange) else data:
        if isinstance(chunk, FileRange):
            _copy_range(f, chunk)
        else:
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


def _link_aside(path: Path, aside: str) -> bool:
    """Give the file about to be replaced a second name, so that replacing it does not wait while
    its blocks are freed (10 ms for a 15 MB file on a disk mounted with `discard`)."""
    try:
        os.link(path, aside)
        return True
    except OSError:
        return False  # no file yet, or no hard links here: the replace frees it, as usual


def remove_quietly(name: str | Path | None) -> None:
    if name is not None:
        try:
            os.unlink(name)
        except OSError:
            pass


def owner_for(path: Path) -> tuple[int, int] | None:
    """Under sudo (running as root), the owner a file Hearth writes at `path` must keep: that of the
    file it replaces, else of its folder. Otherwise a user's database would silently become
    root's, and the user could no longer open it. None when nothing needs changing."""
    if os.geteuid() != 0:
        return None
    for candidate in (path, path.parent):
        try:
            st = os.stat(candidate)
        except OSError:
            continue
        return None if st.st_uid == 0 else (st.st_uid, st.st_gid)
    return None


def keep_owner(fd_or_path: int | Path, path: Path) -> None:
    owner = owner_for(path)
    if owner is not None:
        if isinstance(fd_or_path, int):
            os.fchown(fd_or_path, *owner)
        else:
            os.chown(fd_or_path, *owner)


def _create(path: Path) -> tuple[int, str]:
    return tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=path.parent)


def open_temp(path: Path) -> tuple[str, IO[bytes]]:
    """A new private (0600) temp file beside `path`, open for writing, owned like `path` (owner_for)."""
    fd, tmp = _create(path)
    try:
        os.fchmod(fd, FILE_MODE)
        keep_owner(fd, path)
        return tmp, os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        remove_quietly(tmp)
        raise


def discard_temp(tmp: str, f: IO[bytes]) -> None:
    try:
        f.close()
    except OSError:
        pass
    remove_quietly(tmp)


def prepare_temp(path: Path, data: Data) -> tuple[str, IO[bytes]]:
    """A temp file beside `path` that already holds `data`, fsynced and still open: commit()
    adds the rest later. (The store writes the tables that rarely change this way, ahead of time.)"""
    tmp, f = open_temp(path)
    try:
        _write(f, data)
        _flush(f)
        _fsync(f)
    except BaseException:
        discard_temp(tmp, f)
        raise
    return tmp, f


def commit(path: Path, tmp: str, f: IO[bytes], data: Data, *, keep_old: bool = False) -> str | None:
    """Add `data` to the temp file `f`, fsync it, replace `path` with it, fsync the folder.

    On any failure before the replace the old file is untouched and the temp file removed.
    With `keep_old`, the replaced file is kept under a temp name, which is returned: the caller
    removes it (remove_quietly) once the save is reported, and a crash leaves it to
    remove_stale_temps.
    """
    aside: str | None = None
    try:
        with f:
            _write(f, data)
            _flush(f)
            _fsync(f)
        if keep_old:
            aside = tmp.removesuffix(".tmp") + "-old.tmp"
            if not _link_aside(path, aside):
                aside = None
        _replace(tmp, path)
    except BaseException:
        remove_quietly(tmp)
        remove_quietly(aside)
        raise
    try:
        _fsync_dir(path.parent)
    except BaseException:
        remove_quietly(aside)
        raise
    return aside


def atomic_write(path: Path, data: Data, *, keep_old: bool = False) -> str | None:
    """Write `data` to a temp file beside `path`, fsync it, replace `path`, fsync the folder
    (see commit)."""
    tmp, f = open_temp(path)
    return commit(path, tmp, f, data, keep_old=keep_old)


def ensure_private_folder(folder: Path, *, force_mode: bool) -> None:
    """Create the folder as 0700. An existing folder is tightened only when it is ours."""
    if not folder.exists():
        folder.mkdir(parents=True, mode=DIR_MODE)
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask
        keep_owner(folder, folder.parent)  # under sudo, owned like the folder it is in
    elif force_mode:
        os.chmod(folder, DIR_MODE)


def append_private(path: Path, text: str) -> None:
    """Add `text` to a log file that only this account can read (0600 in a 0700 folder; an older
    looser file or folder is tightened)."""
    ensure_private_folder(path.parent, force_mode=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        os.write(fd, text.encode("utf-8", "replace"))
    finally:
        os.close(fd)


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


def make_daily_backup(path: Path, data: Data, day: date) -> Path | None:
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
