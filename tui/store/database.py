"""Opening the database: lock, read, check, migrate, back up. The only door to the file."""

from __future__ import annotations

import json
from contextlib import contextmanager
import os
import shutil
import threading
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from filelock import FileLock, Timeout

from ..core.clock import Clock, SystemClock
from . import files
from .errors import (
    AlreadyOpenError,
    DamagedDatabaseError,
    LockedError,
    NewerSchemaError,
    NotWritableError,
    StoreError,
    WrongPassphraseError,
    json_problem,
)
from .schema import ENCRYPTION_HEADER, META_TABLE, SCHEMA_VERSION, migrate, shape_problem, version_of
from .storage import (
    INTEGRITY, HearthDB, HearthStorage, Tables, check_table, describe_os_error, integrity_problem, loads,
    read_integrity, scan_lines, verify_lines,
)
from tinydb.table import Table

if TYPE_CHECKING:
    from .sealed import Sealer


def real_path(path: Path | str) -> Path:
    """The file a name really points at, through any symbolic links (also a link to a file that
    does not exist yet)."""
    return Path(os.path.realpath(Path(path).expanduser()))


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def damaged_message(path: Path, reason: str) -> str:
    """What a person needs when the file can't be read: what, that it is safe, how to recover."""
    found = good_backup(path)
    if found:
        fix = f"The newest good backup is {found}. To restore it, run: hearth --db {path} restore {found}"
    else:
        fix = "There is no backup of it yet. Move the file aside to start afresh, or repair it by hand."
    return f"Hearth could not read {path}: {reason}. The file has been left exactly as it is. {fix}"


WRONG_PASSPHRASE = "That passphrase did not open it. Nothing was changed."


def unlock_file(path: Path, header: bytes | Any, passphrase: str | None) -> Sealer:
    """The key of an encrypted file from its header line, or a StoreError in words. Only here is
    `cryptography` imported: a plain Hearth never loads it."""
    if passphrase is None:
        raise LockedError(f"{path} is encrypted: Hearth needs a partner's passphrase (or the recovery code) to open it.")
    from . import sealed

    try:
        return sealed.unlock(header, passphrase)
    except sealed.WrongPassphrase:
        raise WrongPassphraseError(WRONG_PASSPHRASE) from None
    except sealed.UnsupportedFormat as exc:
        raise NewerSchemaError(f"{path} cannot be opened: {exc}. The file was not changed.") from None
    except sealed.Damaged as exc:
        raise DamagedDatabaseError(damaged_message(path, str(exc))) from None


def unusual_json(exc: BaseException) -> str:
    """Plain words for JSON the parser refuses although it may be valid: too deep, too long a number."""
    if isinstance(exc, RecursionError):
        return "its values are nested too deeply"
    if isinstance(exc, MemoryError):
        return "it is too large to read"
    if "digits" in str(exc):
        return "a number in it has too many digits"
    return str(exc)


#: The meta document's mark that the file lists checksums: without it, damage to the line of
#: checksums itself could make a file look like an older one that has none.
CHECKSUMS_MARK = "integrity"
NO_CHECKSUMS = "its line of checksums is missing or changed"


def lists_checksums(tables: Any) -> bool:
    try:
        return tables[META_TABLE]["1"].get(CHECKSUMS_MARK) == "crc32"
    except (KeyError, TypeError, AttributeError):
        return False


def good_backup(path: Path) -> Path | None:
    """The newest backup of `path` that reads whole, checksums and all (only asked on damage)."""
    for candidate in files.backups(path):
        try:
            read_tables(candidate)
        except LockedError:
            return candidate  # encrypted: restoring it checks it whole, with the passphrase
        except (DamagedDatabaseError, NewerSchemaError, NotWritableError):
            continue
        return candidate
    return None


def read_tables(path: Path) -> tuple[dict[str, Any], bytes]:
    """Parse a plain file into tables, or raise a clear DamagedDatabaseError / NewerSchemaError
    (LockedError for an encrypted one: see read_file)."""
    data, raw, _ = read_file(path, None)
    return data, raw


def read_file(path: Path, passphrase: str | None, sealer: Sealer | None = None) -> tuple[dict[str, Any], bytes, Sealer | None]:
    """Parse the file into tables (opening an encrypted one with `passphrase`, or with the key
    of `sealer` when it is a backup of the same file), or raise a clear StoreError."""
    try:
        raw = path.read_bytes()
    except PermissionError as exc:
        raise NotWritableError(f"Hearth cannot read {path}: permission was refused.") from exc
    except OSError as exc:
        raise DamagedDatabaseError(damaged_message(path, describe_os_error(exc))) from exc
    if not raw.strip():
        raise DamagedDatabaseError(damaged_message(path, "the file is empty"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DamagedDatabaseError(damaged_message(path, f"it is not valid UTF-8 text (byte {exc.start})")) from exc
    try:
        data: Any = loads(text)
    except json.JSONDecodeError as exc:
        raise DamagedDatabaseError(
            damaged_message(path, f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {json_problem(exc.msg)})")
        ) from exc
    except (ValueError, RecursionError, MemoryError) as exc:  # e.g. a 5,000-digit number, 100,000 brackets
        raise DamagedDatabaseError(damaged_message(path, f"it is not JSON Hearth can read ({unusual_json(exc)})")) from exc
    listed = data.pop(INTEGRITY, None) if isinstance(data, dict) else None
    if listed is not None:  # written by a Hearth that lists checksums: check them
        problem = verify_lines(raw)
        if problem:
            raise DamagedDatabaseError(damaged_message(path, problem))
    if isinstance(data, dict) and ENCRYPTION_HEADER in data:
        header = data.pop(ENCRYPTION_HEADER)
        if sealer is not None:
            try:
                sealer = sealer.same_key(header)
            except ValueError as exc:
                raise DamagedDatabaseError(damaged_message(path, str(exc))) from None
            if sealer is None:
                raise WrongPassphraseError(f"{path} was encrypted with another key.")
        else:
            sealer = unlock_file(path, header, passphrase)
        try:
            data = sealer.open_data(data)
        except ValueError as exc:
            raise DamagedDatabaseError(damaged_message(path, str(exc))) from None
    else:
        sealer = None
    problem = shape_problem(data)
    if problem:
        raise DamagedDatabaseError(damaged_message(path, problem))
    if listed is None and lists_checksums(data):
        raise DamagedDatabaseError(damaged_message(path, NO_CHECKSUMS))
    version = version_of(data)
    if version < 0:
        raise DamagedDatabaseError(damaged_message(path, "its schema version is not a number"))
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"{path} was written by a newer Hearth (data version {version}; this Hearth reads up to "
            f"{SCHEMA_VERSION}). Update Hearth to open it. The file was not changed."
        )
    return data, raw, sealer


def backup(path: Path, data: files.Data, day: date) -> None:
    try:
        files.make_daily_backup(path, data, day)
    except OSError:
        pass  # a missing backup must not stop the couple; the main file is fine


def open_lazily(path: Path, day: date, passphrase: str | None = None) -> tuple[Tables, Callable[[HearthStorage], str | None]] | None:
    """For the app: the tables of a file in the one-table-per-line shape, each parsed when first
    used, and the check the writer thread runs before its first save. None for any other file
    (it is then read whole, which names any damage precisely). An encrypted file is opened with
    `passphrase` first (its lines are then opened one by one as they are used)."""
    try:
        found = scan_lines(path)
    except OSError:
        return None
    if found is None:
        return None
    source, spans = found

    def damaged(reason: str) -> DamagedDatabaseError:
        return DamagedDatabaseError(damaged_message(path, reason))

    listed = spans.pop(INTEGRITY, None)
    crcs = None
    if listed is not None:
        try:
            crcs = read_integrity(loads(source.read(listed.value_offset, listed.value_length)))
        except (ValueError, OSError, RecursionError):
            crcs = None
        problem = integrity_problem(crcs, spans)
        if problem:
            source.close()
            raise damaged(problem)
    header = spans.pop(ENCRYPTION_HEADER, None)  # after the checksums: they list its line too
    tables = Tables(cold=spans, source=source, damaged=damaged)
    tables.crcs = crcs
    try:
        if header is not None:
            tables.sealer = unlock_file(path, source.read(header.value_offset, header.value_length), passphrase)
            problem = tables.sealer.missing(set(spans))
            if problem:
                raise damaged(problem)
        head = {META_TABLE: tables[META_TABLE]} if META_TABLE in tables else {}
        if crcs is None and lists_checksums(head):
            raise damaged(NO_CHECKSUMS)
        version = version_of(head)
        if version < 0:
            raise damaged("its schema version is not a number")
        if version > SCHEMA_VERSION:
            raise NewerSchemaError(
                f"{path} was written by a newer Hearth (data version {version}; this Hearth reads up to "
                f"{SCHEMA_VERSION}). Update Hearth to open it. The file was not changed."
            )
    except BaseException:
        source.close()
        raise

    def check(storage: HearthStorage) -> str | None:
        """Every table not used yet must match its checksum (or, in an older file without them,
        parse); then the file is good enough to back up."""
        try:
            if crcs is not None:
                for name, span in storage.cold_spans():
                    if storage.span_crc(span) != crcs.get(name):
                        return damaged_message(
                            path, f"table '{name}' does not match its checksum (some of its bytes have changed)")
                    if tables.sealer is not None:  # a checksum anyone can remake; the key's check, no one
                        tables.sealer.open_value(name, source.read(span.value_offset, span.value_length))
            else:
                for name, pieces in storage.cold_tables():
                    problem = check_table(pieces)
                    if problem:
                        return damaged_message(path, f"{problem} (in table '{name}')")
        except ValueError as exc:  # an encrypted line that does not open: never read as data
            return damaged_message(path, str(exc))
        backup(path, [files.FileRange(source.fd, 0, source.size)], day)  # copied file to file
        return None

    return tables, check


class Store:
    """An open Hearth database. Use `Store.open()`; always `close()` (or use `with`)."""

    def __init__(self, path: Path, db: HearthDB, storage: HearthStorage, lock: FileLock, clock: Clock) -> None:
        self.path = path
        self.db = db
        self.storage = storage
        self.clock = clock
        self._lock = lock
        self._closing_lock = threading.Lock()
        self._closed = False
        self.removed_temps: list[Path] = []
        self.convert_problems: list[str] = []  # backups `encrypt`/`decrypt` could not convert
        self.replica: Any = None  # the two-homes merge state, once linked (tui/store/sync.py)
        self.touched: Any = None  # what changed since the last merge (tui/store/sync_watch.py)

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        clock: Clock | None = None,
        background: bool = True,
        private_folder: bool = False,
        lock_wait: float = 0.0,
        passphrase: str | None = None,
    ) -> "Store":
        """Lock and load `path`, creating it if absent.

        `private_folder` tightens an existing folder to 0700 (for Hearth's own data folder);
        a folder Hearth creates is always 0700. `lock_wait`: seconds to wait for another Hearth
        that is closing (a window closed and opened again at once) before saying it is open.
        An encrypted file needs `passphrase` (LockedError without one, WrongPassphraseError for
        a wrong one; either way nothing is changed).
        """
        path = real_path(path)  # a link and its target are one database: one lock, and saves keep the link
        clock = clock or SystemClock()
        try:
            files.ensure_private_folder(path.parent, force_mode=private_folder)
        except OSError as exc:
            raise NotWritableError(f"Hearth cannot create its folder {path.parent}: {describe_os_error(exc)}.") from exc
        if not os.access(path.parent, os.W_OK | os.X_OK):
            raise NotWritableError(f"Hearth cannot write in {path.parent}: permission was refused.")
        # not thread-local: the exit guard (tui/app.py) lets go of it from its own thread
        lock = FileLock(str(lock_path(path)), timeout=lock_wait, mode=files.FILE_MODE, thread_local=False)
        try:
            lock.acquire(poll_interval=0.02)
        except Timeout as exc:
            raise AlreadyOpenError(
                f"{path} is already open in another Hearth window. Close that one first; nothing here was changed."
            ) from exc
        except OSError as exc:
            raise NotWritableError(f"Hearth cannot lock {path}: {describe_os_error(exc)}.") from exc
        try:
            files.keep_owner(lock_path(path), path)  # under sudo: the user must still be able to lock it
        except OSError:
            pass
        try:
            return cls._load(path, lock, clock, background, passphrase)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def _load(cls, path: Path, lock: FileLock, clock: Clock, background: bool, passphrase: str | None) -> "Store":
        existed = path.exists()
        day = clock.now().date()
        check = None
        sealer = None
        data: dict[str, Any] | Tables
        lazy = open_lazily(path, day, passphrase) if existed and background else None
        if lazy is not None:
            data, check = lazy  # the day's backup is made once the writer has checked every table
        elif existed:
            data, raw, sealer = read_file(path, passphrase)
            backup(path, raw, day)
        else:
            data = {}
        removed = files.remove_stale_temps(path)  # after a wrong passphrase, not one byte has changed
        try:
            data, changed = migrate(data)
            if changed and isinstance(data, Tables) and data.cold:  # our shape, yet older: read it all now
                data.load_all()
                backup(path, [files.FileRange(data.source.fd, 0, data.source.size)], day)
                check = None
        except BaseException:
            if isinstance(data, Tables) and data.source is not None:
                data.source.close()
            raise
        storage = HearthStorage(path, data, background=background, check=check)
        if sealer is not None:
            storage._tables.sealer = sealer
        try:
            if changed or not existed:
                storage._save_once(raise_errors=True)
            os.chmod(path, files.FILE_MODE)
        except Exception as exc:
            storage.close()
            raise NotWritableError(f"Hearth cannot write {path}: {exc}") from exc
        db = HearthDB(storage=lambda: storage)
        if background and not lists_checksums(storage.read()):
            # from the next save on, the file lists checksums and says so (an older file gains them)
            meta = db.table(META_TABLE)
            if meta.contains(doc_id=1):
                meta.update({CHECKSUMS_MARK: "crc32"}, doc_ids=[1])
        store = cls(path, db, storage, lock, clock)
        store.removed_temps = removed
        from .sync_watch import attach

        attach(store)  # a linked computer notes every change from here on, for the next merge
        return store

    # -- encryption (issue 18) -------------------------------------------------------------------
    @property
    def encrypted(self) -> bool:
        return self.storage.sealer is not None

    @property
    def unlocked_with(self) -> str | None:
        """The key slot that opened the file: "partner-1", "partner-2" or "recovery"."""
        sealer = self.storage.sealer
        return sealer.slot if sealer else None

    def slots(self) -> list[str]:
        sealer = self.storage.sealer
        return sorted(sealer.header.slots) if sealer else []

    def encrypt(self, passphrases: dict[str, str], *, recovery: bool = True,
                cost: dict[str, int] | None = None) -> str | None:
        """Encrypt the file and its backups from now on; the recovery code to show once, or None.
        `passphrases`: slot ("partner-1", "partner-2") -> passphrase."""
        from . import sealed

        if self.encrypted:
            raise StoreError(f"{self.path} is encrypted already.")
        sealer, code = sealed.create(passphrases, recovery=recovery, cost=cost)
        self._convert(None, sealer)
        return code

    def adopt_key(self, sealer: Sealer) -> None:
        """Encrypt with a key opened from elsewhere (the other home's, when a second computer
        links): both computers then seal with the couple's one key."""
        from . import sealed

        self._convert(self.storage.sealer, sealed.Sealer(sealer.key, sealer.header, sealer.slot))

    def decrypt(self) -> None:
        """Write the file (and its backups) as plain text again."""
        if not self.encrypted:
            raise StoreError(f"{self.path} is not encrypted.")
        self._convert(self.storage.sealer, None)

    def set_passphrase(self, slot: str, passphrase: str) -> None:
        """Give one partner's slot a new passphrase (the other's and the code still open it)."""
        sealer = self._sealer()
        sealer.header.set_passphrase(sealer.key, slot, passphrase)
        self._save_header()

    def new_recovery_code(self) -> str:
        sealer = self._sealer()
        code = sealer.header.new_recovery_code(sealer.key)
        self._save_header()
        return code

    def remove_slot(self, slot: str) -> None:
        sealer = self._sealer()
        sealer.header.remove_slot(slot)
        self._save_header()

    def check_passphrase(self, secret: str) -> bool:
        """Whether `secret` opens this file (Lock now asks again). Runs Argon2id: off the UI thread."""
        sealer = self.storage.sealer
        return sealer is not None and sealer.matches(secret)

    def _sealer(self) -> Sealer:
        sealer = self.storage.sealer
        if sealer is None:
            raise StoreError(f"{self.path} is not encrypted.")
        return sealer

    def _save_header(self) -> None:
        self.storage.rewrite()
        if not self.storage.flush(timeout=30.0):
            raise StoreError(self.storage.error or f"Could not save {self.path}.")

    def _convert(self, old: Sealer | None, new: Sealer | None) -> None:
        """The file, then each backup, written again with the `new` key (None: plain)."""
        problem = self.storage.check_now()  # first: the check makes today's backup of the file as it was
        if problem:
            raise DamagedDatabaseError(problem)
        self.storage.set_sealer(new)
        if not self.storage.flush(timeout=60.0):
            raise StoreError(self.storage.error or f"Could not save {self.path}.")
        self.convert_problems = convert_backups(self.path, old, new)

    def table(self, name: str) -> Table:
        return self.db.table(name)

    @contextmanager
    def one_save(self) -> Iterator[None]:
        """Many changes, one save. A store that saves in the background already gathers them;
        a synchronous one (the command line) would write the whole file once per change, which
        for the other home's ten years (a second computer linking) means thousands of rewrites.
        TinyDB changes the tables `storage.read()` returns in place, then calls `write`; while
        this runs, `write` keeps them in place (still marked changed), and one write saves all."""
        storage = self.storage
        if storage._background:
            yield
            return
        live = storage.read()
        held = []
        owner = threading.get_ident()

        def hold(data: Any) -> None:
            if threading.get_ident() != owner:  # another thread's change (a screen, mid-merge): saved as always
                type(storage).write(storage, data)
                return
            held.append(True)
            if data is not live:
                live.clear()
                live.update(data)

        storage.write = hold  # type: ignore[method-assign]  # this instance only
        try:
            yield
        finally:
            del storage.write
            if held:
                storage.write(live)

    def flush(self, timeout: float | None = 5.0) -> bool:
        """Block until every change is on disk; False if saving is failing."""
        return self.storage.flush(timeout)

    @property
    def save_error(self) -> str | None:
        return self.storage.error

    def close(self) -> None:
        """Save what is pending, then let go of the file. Safe to call twice and from two threads
        (the exit guard in tui/app.py may close while the app is still shutting down)."""
        with self._closing_lock:
            if self._closed:
                return
            self._closed = True
            try:
                self.db.close()
            finally:
                if self._lock.is_locked:
                    self._lock.release()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_tables(path: Path, data: dict[str, Any], sealer: Sealer | None) -> None:
    """Write `data` as a whole file at `path`, the way the store writes its own (sealed with
    `sealer`'s key if given), replacing what is there atomically."""
    storage = HearthStorage(path, data, background=False)
    storage._tables.sealer = sealer
    try:
        storage._save_once(raise_errors=True)
    finally:
        storage.close()


def convert_backups(path: Path, old: Sealer | None, new: Sealer | None) -> list[str]:
    """Write each backup of `path` again with the `new` key (None: plain), so no copy keeps the
    words in the other form. A backup that cannot be read (damaged, or made under an earlier key)
    is left as it is; what happened to each is returned in words."""
    problems = []
    for found in files.backups(path):
        try:
            data, _, _ = read_file(found, None, sealer=old)
            write_tables(found, data, new)
        except LockedError:
            problems.append(f"{found} is encrypted under an earlier key and was left as it is")
        except (StoreError, OSError) as exc:
            problems.append(f"{found} was left as it is: {exc}")
    return problems


def restore_backup(path: Path, backup: Path | None, now: datetime,
                   passphrase: str | None = None) -> tuple[Path, Path | None]:
    """Put a backup in place of `path`. The current file, if any, is moved aside, never deleted."""
    path = real_path(path)
    lock = FileLock(str(lock_path(path)), timeout=0, mode=files.FILE_MODE)
    try:
        lock.acquire()
    except Timeout as exc:
        raise AlreadyOpenError(f"{path} is open in another Hearth window. Close it before restoring.") from exc
    try:
        if backup is None:
            found = files.backups(path)
            if not found:
                raise DamagedDatabaseError(f"There is no backup of {path} to restore.")
            backup = found[0]
        backup = Path(backup)
        try:
            read_file(backup, passphrase)  # an encrypted backup is checked whole with the passphrase
        except (DamagedDatabaseError, NewerSchemaError) as exc:
            raise DamagedDatabaseError(f"The backup {backup} cannot be used either: {exc}") from exc
        aside = None
        if path.exists():
            aside = path.with_name(f"{path.name}.damaged-{now.strftime('%Y%m%d-%H%M%S')}")
            os.replace(path, aside)
        tmp = path.with_name(files.temp_prefix(path) + "restore.tmp")
        shutil.copyfile(backup, tmp)
        os.chmod(tmp, files.FILE_MODE)
        os.replace(tmp, path)
        return backup, aside
    finally:
        lock.release()
