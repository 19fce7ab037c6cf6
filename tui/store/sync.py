"""Two homes: a linked Hearth keeps its database together with the other home's through a folder.

The local TinyDB file stays what the screens read. Beside it, a pycrdt document holds the same
couple's data as a CRDT (`sync_json`), so two computers' offline edits merge the same way on
both. One merge (`Replica.sync`) does, in this order:

1. **send**: what changed here since the last merge goes into the CRDT, and from there into a new
   change file of this computer's own in the folder (`sync_files`);
2. **receive**: the other home's files not read yet are checked and applied to the CRDT;
3. **apply**: each document they changed is written into the local database;
4. **remember**: the CRDT's state is saved beside the database (after the database, so a crash
   in between never makes a document look deleted here).

The folder holds, per computer, one base file (everything) and at most `COMPACT_AFTER` change
files after it; then a new base replaces them all, so the folder stays under about twice the
couple's data whatever the months offline.
"""

from __future__ import annotations

import base64
import os
import secrets
import threading
import time
from collections import Counter
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

from ..core.clock import stamp
from . import files, sync_files, sync_tables, sync_watch
from .errors import StoreError
from .sync_child import CoreGone
from .sync_core import EMPTY_UPDATE, _by_home, _catch_up, _sealed, covers  # noqa: F401 (the tests use them)
from .sync_files import ChangeFile
from .sync_json import SEP, same
from .switching import PROMPT_SWITCH, prompt_switching

LINK_TABLE = sync_watch.LINK_TABLE
COMPACT_AFTER = 64
#: The merge state (a whole copy of the CRDT) is written at most this often, and at quit: writing
#: ten years of it holds the interpreter for a moment. Between, the database and the folder hold
#: everything it could be made again from.
SAVE_EVERY = 600.0
#: How often a running Hearth with nothing new says it is there (hearth-<id>.here.json).
HERE_EVERY = 300.0
#: Documents go to and from the core this many at a time: one message of a whole year, pickled
#: in one call, would hold the GIL longer than a frame.
PIECE = 64
#: Where a replica's CRDT runs when its caller does not say: True, in a child process; False, here;
#: None, in a child process when first used from a thread other than the main one.
APART: bool | None = None


#: While a merge runs off the main thread, the GIL is handed on every millisecond (switching.py).
SWITCH_WHILE_MERGING = PROMPT_SWITCH
_prompt_switching = prompt_switching


class SyncError(StoreError):
    """Linking or merging could not go on; the message says why, and nothing was changed."""


@dataclass
class Link:
    """This computer's link: the folder, its own id there, and whose computer it is."""

    folder: Path
    home: str
    slot: int
    partner: int | None  # 0 or 1; None: both partners use this computer
    linked: str


@dataclass
class SyncReport:
    """What one merge did, for `hearth sync`, the home screen and the tests."""

    came_in: Counter = field(default_factory=Counter)  # kind of thing → how many changed
    problems: list[str] = field(default_factory=list)
    sent: bool = False
    changed: set[tuple[str, str]] = field(default_factory=set)  # (table, key) written here

    def lines(self) -> list[str]:
        """["2 changes to rounds", "your names"]: what came in, in words."""
        out = []
        for kind, n in sorted(self.came_in.items()):
            one, many = KINDS.get(kind, ("a change", "changes"))
            out.append(one if n == 1 else (many if many == one else f"{n} {many}"))
        return out


def link_of(store: Any) -> Link | None:
    doc = store.table(LINK_TABLE).get(doc_id=1)
    if not doc or not doc.get("folder"):
        return None
    partner = doc.get("partner")
    return Link(Path(doc["folder"]), str(doc.get("home", "")), int(doc.get("slot", 1)),
                partner if partner in (0, 1) else None, str(doc.get("linked", "")))


def _link_doc(store: Any) -> dict[str, Any]:
    return dict(store.table(LINK_TABLE).get(doc_id=1) or {})


def _put_link(store: Any, **fields: Any) -> None:
    """Change fields of the link, only if they differ: a merge that found nothing new must not
    make the database save (every few seconds, all day)."""
    doc = _link_doc(store)
    if all(doc.get(k) == v for k, v in fields.items()):
        return
    doc.update(fields)
    store.table(LINK_TABLE).put_doc(1, doc)


def state_path(store: Any) -> Path:
    return store.path.with_name(store.path.name + ".sync-state")


#: What came in, in words: (one, many) for each kind of table.
KINDS = {
    "rounds_": ("a change to a round", "changes to rounds"),
    "agreements": ("a change to an agreement", "changes to agreements"),
    "pauses_": ("a pause record", "pause records"), "pause_active": ("a change to the pause", "changes to the pause"),
    "reflections_": ("a change to a reflection", "changes to reflections"),
    "card_usage": ("a card's count", "cards' counts"), "card_stars": ("a starred card", "starred cards"),
    "profile": ("your names", "your names"), "settings": ("a setting", "settings"),
    "talks": ("a talk", "talks"), "talk_active": ("a change to the talk", "changes to the talk"),
    "dream_active": ("a change to the dream", "changes to the dream"),
    "challenge_progress": ("a challenge day", "challenge days"),
}


def _kind(table: str) -> str:
    return sync_tables.family(table) or table


class Replica:
    """The CRDT copy of one linked store. One merge at a time (`lock`); the store's own mutex
    guards each database write.

    Every call into pycrdt goes through `core` (`sync_core.Core`): in this process, or with
    `apart` in a child process of its own (`sync_child`), so that a merge run from a thread of the
    app never holds the screen's GIL. This side reads what changed in the database and writes in
    what came in; the core keeps the CRDT, reads and writes the change files and the state file.
    """

    def __init__(self, store: Any, link: Link, *, apart: bool | None = None) -> None:
        self.store = store
        self.link = link
        self.lock = threading.Lock()
        #: held while the merge state is loaded or saved, and a new base written: work on the whole
        #: CRDT, done outside `lock` and the database's mutex so a save on screen never waits for it
        self._state_lock = threading.Lock()
        self._base_due = False  # a new base is to be written after this merge
        #: None: apart when first used from a thread other than the main one (the app's merges
        #: and linking run in worker threads; `hearth sync` and most tests in the main thread)
        self.apart = apart if apart is not None else APART
        self.core: Any = None
        self._key_in_core: Any = None  # the DataKey the core was last given
        self._loaded = False
        sync_watch.attach(store)
        self.touched: sync_watch.Touched = store.touched
        #: the first merge of a session also looks at this and last year's tables whole, in case
        #: the last session ended before it could send them
        self._first = True
        self._dirty = False  # merged since the state file was last saved
        self._here_at: float | None = None  # when this computer last said it is there
        self._saved_at: float | None = None
        self._arrived: dict[str, Any] | None = None  # (receive → _note_arrived)
        self._over = False  # changes made meanwhile were put into the CRDT by this merge (apply)

    @property
    def _quiet(self) -> bool:
        return self.touched.quiet

    @_quiet.setter
    def _quiet(self, value: bool) -> None:
        self.touched.quiet = value

    def watch_everything(self, recent_only: bool = False) -> None:
        """Look at every table that travels on the next merge (after linking, or only the recent
        ones at the start of a session)."""
        year = self.store.clock.now().year
        names = [n for n in self.store.db.tables() if sync_tables.travels(n)]
        if recent_only:
            names = [n for n in names if not n[-4:].isdigit() or int(n[-4:]) >= year - 1]
        self.touched.everything(names)

    # -- the core (pycrdt), here or in a child process ------------------------------------------
    def _where(self) -> bool:
        """Whether the core runs apart, decided at first use (see `apart`)."""
        if self.apart is None:
            self.apart = threading.current_thread() is not threading.main_thread()
        return self.apart

    def _core(self) -> Any:
        """The core, started on first use, with the couple's key as the database has it now."""
        if self.core is None:
            apart = self._where()
            if apart:
                from .sync_child import ChildCore

                self.core = ChildCore()
            else:
                from .sync_core import Core

                self.core = Core()
            self._key_in_core = None
        sealer = self.store.storage.sealer
        key = sealer.key if sealer is not None else None
        if key is not self._key_in_core:
            self.core.set_key(getattr(key, "_raw", None) if key is not None else None)
            self._key_in_core = key
        return self.core

    def _lost_core(self) -> None:
        """The child stopped: the next merge starts a new one and loads the state again, and
        looks at this and last year's tables whole (what it was given may not have gone)."""
        core, self.core = self.core, None
        self._loaded = False
        self.watch_everything(recent_only=True)
        if core is not None and hasattr(core, "close"):
            core.close()

    def close(self) -> None:
        """Let the core's child process go (the app quits, or the store is unlinked)."""
        with self.lock:
            if self.core is not None and hasattr(self.core, "close"):
                self.core.close()
            self.core = None
            self._loaded = False

    # -- the CRDT's own file ----------------------------------------------------------------------
    def load(self) -> None:
        """The CRDT as the last merge state file left it, then brought up to what the database
        already holds: this computer's own files sent since (they may be newer than the state,
        after a crash), and the other home's up to what was last written in here. Without that,
        a change of the other home's that builds on one of ours would wait for it for ever."""
        if self._loaded:
            return
        doc = _link_doc(self.store)
        mine_now = [int(doc.get("gen", 0)), int(doc.get("seq", 0))]
        applied_now = {h: list(v) for h, v in (doc.get("applied") or {}).items() if isinstance(v, list) and len(v) == 2}
        core = self._core()
        info = core.load(state_path(self.store), self.link.folder, self.link.home, mine_now, applied_now)
        self._loaded = True
        self._quiet = True
        try:
            _put_link(self.store, written_sv=base64.b64encode(core.state()).decode("ascii"))
        finally:
            self._quiet = False
        # Tables changed since the state was saved (their line's checksum differs) are looked at
        # whole on the first merge; the others are as the state knows them.
        now_crcs = file_crcs(self.store.path) or {}
        then = info.get("crcs") or {}
        changed = [n for n in self.store.db.tables() if sync_tables.travels(n) and then.get(n) != now_crcs.get(n)]
        self.touched.everything(changed)
        self._first = False
        self._saved_at = time.monotonic()  # as good as saved: the next save waits SAVE_EVERY

    def keep(self) -> None:
        """Save the merge state now if a merge changed it (at quit, after `hearth sync`)."""
        with self._whole():
            if self._dirty and self._loaded and self.core is not None:
                self.save()
                self._dirty = False

    @contextmanager
    def _whole(self) -> Iterator[None]:
        """For work on the whole CRDT: `_state_lock`; and `lock` too when the core is in this
        process (two threads must not call pycrdt at once; a child takes one call at a time)."""
        with self._state_lock:
            if self.apart:
                yield
            else:
                with self.lock:
                    yield

    def save(self) -> None:
        self.store.flush()
        doc = _link_doc(self.store)
        info = {"applied": doc.get("applied") or {}, "mine": [int(doc.get("gen", 0)), int(doc.get("seq", 0))],
                "crcs": file_crcs(self.store.path) or {}}
        self._core().save(state_path(self.store), info)
        self._saved_at = time.monotonic()

    # -- 1. send ----------------------------------------------------------------------------------
    def take_local(self) -> int:
        """Put what changed in the database into the CRDT. Returns how many documents changed."""
        if self._first:
            self._first = False
            self.watch_everything(recent_only=True)
        changed = 0
        with self.store.storage.mutex:  # (a change noted meanwhile is in one or the other)
            taken = self.touched.take()
        try:
            for name, ids in taken.items():
                if sync_tables.travels(name):
                    changed += self._take_table(name, ids)
        except BaseException:
            for name, ids in taken.items():  # not in the CRDT yet: looked at again next merge
                self.touched.note(name, ids)
            raise
        return changed

    def _take_table(self, name: str, ids: set[str] | None) -> int:
        raw = self.store.storage.read()
        if name in raw:
            raw[name]  # (read first, on its own: see _apply_table)
        with self.store.storage.mutex:
            docs = dict(raw[name]) if name in raw else {}
        here: list[str] = []
        out: list[tuple[str, dict[str, Any]]] = []
        changed = 0
        core = self._core()
        for doc_id, doc in docs.items():
            key = sync_tables.doc_key(name, doc_id, doc)
            if key is None or SEP in key:
                continue
            here.append(key)
            if ids is not None and doc_id not in ids:
                continue
            out.append((key, sync_tables.outgoing(name, plain_copy(doc))))
            if len(out) >= PIECE:  # in pieces: one pickle of a whole year would hold the GIL
                changed += core.put(name, out, None)
                out = []
        removed = ids is None or any(i not in docs for i in ids)  # something was removed here
        if out or removed:
            changed += core.put(name, out, here if removed else None)
        return changed

    def send(self, report: SyncReport, now: datetime, changed_here: int = 1, compact: bool = True,
             defer: bool = False) -> tuple[int, int] | None:
        """What changed here into a change file (see Core.send). With `defer`, a delta is only made:
        returns its (gen, seq), for `_written` once the file is written."""
        doc = _link_doc(self.store)
        gen, seq = int(doc.get("gen", 0)), int(doc.get("seq", 0))
        info = {"written": stamp(now), "partner": self.link.partner, "slot": self.link.slot,
                "couple": doc.get("couple")}
        sv = base64.b64decode(doc.get("written_sv") or "")
        gen2, seq2, sent, state, due = self._core().send(self.link.folder, self.link.home, gen, seq, sv,
                                                         bool(changed_here), info, COMPACT_AFTER, compact, defer)
        report.sent |= sent
        self._base_due = due
        if due:
            return None  # the base carries what changed here
        if defer and sent and (gen2, seq2) != (gen + 1, 0):
            return gen2, seq2
        self._written(gen2, seq2, state)
        return None

    def _written(self, gen: int, seq: int, state: bytes) -> None:
        """A change file is in the folder: where this computer got to, and what it has sent."""
        self._quiet = True
        try:
            _put_link(self.store, gen=gen, seq=seq, unsent=False, written_sv=base64.b64encode(state).decode("ascii"))
        finally:
            self._quiet = False

    def _say_here(self, now: datetime) -> None:
        """A running Hearth with nothing new still says it is there, every few minutes, in a
        small file of its own (so the other home's "last heard from" stays true)."""
        if self._here_at is not None and time.monotonic() - self._here_at < HERE_EVERY:
            return
        import json

        from ..core.clock_offset import latest

        lags = {h: latest(v) for h, v in (_link_doc(self.store).get("lags") or {}).items() if latest(v) is not None}
        body = json.dumps({"format": "hearth-here", "home": self.link.home, "partner": self.link.partner,
                           "written": stamp(now), "lags": lags}).encode("ascii")
        files.atomic_write(self.link.folder / here_name(self.link.home), body)
        self._here_at = time.monotonic()

    def _heard_here(self, heard: dict[str, Any], now: datetime) -> None:
        """The other homes' "still here" files: a newer one counts as hearing from them."""
        import json
        import re

        pattern = re.compile(r"^hearth-([0-9a-f]{12})\.here\.json$")
        try:
            names = os.listdir(self.link.folder)
        except OSError:
            return
        for name in names:
            found = pattern.match(name)
            if not found or found.group(1) == self.link.home:
                continue
            try:
                raw = (self.link.folder / name).read_bytes()
                doc = json.loads(raw[:4096])
                written = doc["written"] if isinstance(doc, dict) and isinstance(doc.get("written"), str) else None
            except (OSError, ValueError, KeyError):
                continue  # half arrived or not ours: the change files still say when
            home = found.group(1)
            before = heard.get(home) or {}
            if written and written != before.get("here"):
                partner = doc.get("partner") if doc.get("partner") in (0, 1) else before.get("partner")
                back = (doc.get("lags") or {}).get(self.link.home) if isinstance(doc.get("lags"), dict) else None
                heard[home] = {**before, "here": written, "here_arrived": stamp(now), "arrived": stamp(now),
                               "partner": partner,
                               **({"back": back} if isinstance(back, (int, float)) and not isinstance(back, bool) else {})}

    def _send_keys(self) -> None:
        """An encrypted Hearth puts its wrapped key in the folder (its own file, like the rest):
        a second computer linking asks for a passphrase and opens the same key with it. The file
        holds no words, only the key wrapped for each passphrase (Argon2id) and the recovery code."""
        sealer = self.store.storage.sealer
        path = self.link.folder / keys_name(self.link.home)
        if sealer is None:
            files.remove_quietly(path)
            return
        import json

        body = json.dumps(sealer.header.to_json(sealer.key, {}), sort_keys=True).encode("utf-8")
        try:
            if path.read_bytes() == body:
                return
        except OSError:
            pass
        files.atomic_write(path, body)

    # -- 2. receive -------------------------------------------------------------------------------
    def receive(self, report: SyncReport, now: datetime) -> set[tuple[str, str]]:
        doc = _link_doc(self.store)
        heard: dict[str, Any] = dict(doc.get("heard") or {})
        applied: dict[str, list[int]] = {h: list(v) for h, v in (doc.get("applied") or {}).items()
                                         if isinstance(v, list) and len(v) == 2}
        before = {h: dict(v) for h, v in heard.items() if isinstance(v, dict)}
        self._heard_here(heard, now)
        here_files = {h: {k: v[k] for k in ("here", "here_arrived", "back") if k in v}
                      for h, v in heard.items() if isinstance(v, dict)}
        applied, heard, problems, changed = self._core().receive(
            self.link.folder, self.link.home, applied, heard, stamp(now), COMPACT_AFTER)
        report.problems.extend(problems)
        for h, kept in here_files.items():  # a change file says nothing of the "still here" file
            if isinstance(heard.get(h), dict):
                heard[h] = {**kept, **heard[h]}
        lags = _lags_with(doc, heard, before)
        self._arrived = {"applied": applied, "heard": heard, "lags": lags}
        return changed

    def _note_arrived(self) -> None:
        """Where each home's files were read up to, written once what they changed is written in
        (`apply`, which no longer holds the database's lock throughout): a save of the database
        meanwhile, then a crash, must not say files were applied whose documents are not."""
        arrived, self._arrived = self._arrived, None
        if arrived:
            self._quiet = True
            try:
                _put_link(self.store, **arrived)
            finally:
                self._quiet = False

    # -- 3. apply ---------------------------------------------------------------------------------
    def apply(self, changed: set[tuple[str, str]], report: SyncReport) -> None:
        tables: dict[str, list[str]] = {}
        for table, key in sorted(changed):
            if sync_tables.travels(table):
                tables.setdefault(table, []).append(key)
        core = self._core()
        self._quiet = True
        try:
            with self.store.one_save():
                for table, keys in tables.items():
                    for start in range(0, len(keys), PIECE):  # in pieces, as on the way out
                        found = core.read([(table, k) for k in keys[start:start + PIECE]])
                        self._apply_table(table, {key: doc for _, key, doc in found}, report)
        finally:
            self._quiet = False
        with self.store.one_save():
            self._settle(report)

    def _settle(self, report: SyncReport) -> None:
        """Agreements both homes changed are made whole (tui.core.agreements.settle); what that
        writes is sent like any change here, and both homes write the same. Words written here in
        a talk the merge replaced are kept (tui.store.talks.keep_lost), whatever screen is open."""
        from .agreements import TABLE, settle_stored
        from .talks import TALK_ACTIVE, keep_lost

        if any(table == TALK_ACTIVE for table, _ in report.changed):
            try:  # a talk begun here that the merge replaced: its words are kept
                keep_lost(self.store)
            except Exception as exc:  # never stops the merge; the words stay where they were
                report.problems.append(f"Hearth could not yet move the words of a talk begun here into the one talk ({exc}); it tries again next merge.")
        for table, key in sorted(report.changed):
            if table == TABLE and key.isdigit():
                try:
                    settle_stored(self.store, int(key))
                except Exception as exc:  # a document the rules can't read: say so, keep going
                    report.problems.append(f"Agreement {key} came in in a shape Hearth can't read ({exc}); it was kept as it is.")

    def _apply_table(self, name: str, found: dict[str, Any], report: SyncReport) -> None:
        """Write the documents that came in (key → document, None: deleted) into the database,
        in one change of the table (one change per document copied a big table each time)."""
        field_name = sync_tables.key_field(name)
        table = self.store.table(name)
        raw = self.store.storage.read()
        if name in raw:
            raw[name]  # a table not read yet is read first, on its own (the lock is held while it is parsed)
        with self.store.storage.mutex:  # one piece at a time: a save on screen waits for one piece at most
            docs = dict(raw[name]) if name in raw else {}
            index = _index(name, field_name, docs)
            kept = (self.touched.before or {}).get(name)
            if kept:
                self._changed_meanwhile(name, found, docs, index, kept)
            self._write_in(name, table, field_name, found, docs, index, report)

    def _changed_meanwhile(self, name: str, found: dict[str, Any], docs: dict[str, Any],
                           index: dict[str, str], kept: dict[str, Any]) -> None:
        """Documents that came in and were also changed here since the merge read the database
        (a save on screen meanwhile): what that change did goes into the CRDT over what came in,
        and `found` gets the documents as they are then. Under the database's lock, so nothing
        changes them again before they are written."""
        named: dict[str, str] = {}  # key → the id of a document kept as it was
        by_id = sync_tables.key_field(name) is None
        for doc_id, doc in kept.items():
            key = sync_tables.doc_key(name, doc_id, doc) if isinstance(doc, dict) else (doc_id if by_id else None)
            if key is not None:
                named.setdefault(key, doc_id)
        over = []
        for key in found:
            doc_id = index.get(key)
            before_id = doc_id if doc_id in kept else named.get(key)
            if before_id is None:
                continue
            before = kept[before_id]
            now = docs.get(doc_id) if doc_id is not None else None
            if isinstance(now, dict) and isinstance(before, dict) and same(plain_copy(now), plain_copy(before)):
                continue  # only read meanwhile (TinyDB's update looks at every document)
            over.append((key, sync_tables.outgoing(name, plain_copy(now)) if isinstance(now, dict) else None,
                         sync_tables.outgoing(name, plain_copy(before)) if isinstance(before, dict) else None))
        for start in range(0, len(over), PIECE):
            for _, key, doc in self._core().put_over(name, over[start:start + PIECE]):
                found[key] = doc
        self._over |= bool(over)  # in the CRDT now, not sent yet (see _merge)

    def _write_in(self, name: str, table: Any, field_name: str | None, found: dict[str, Any],
                  docs: dict[str, Any], index: dict[str, str], report: SyncReport) -> None:
        puts: dict[int, dict[str, Any] | None] = {}  # document id → its new document (None: dropped)

        def flush() -> None:
            if not puts:
                return
            ready = dict(puts)
            puts.clear()

            def change(docs_now: dict[Any, Any]) -> None:
                for doc_id, doc in ready.items():
                    key = table.document_id_class(doc_id)
                    if doc is None:
                        docs_now.pop(key, None)
                    else:
                        docs_now[key] = doc
            table._update_table(change)

        for key in sorted(found):
            new = found[key]
            if isinstance(new, Exception):
                report.problems.append(f"Skipped a change to {name} ({key}): it is not a document.")
                continue
            doc_id = index.get(key)
            if field_name is None and doc_id is None and key.isdigit():
                doc_id = key
            if new is None:
                if doc_id is not None and doc_id in docs:
                    puts[int(doc_id)] = None
                    report.came_in[_kind(name)] += 1
                    report.changed.add((name, key))
                continue
            here = plain_copy(docs[doc_id]) if doc_id is not None and doc_id in docs else None
            new = sync_tables.incoming(name, new, here)
            if field_name is not None and str(new.get(field_name)) != key:
                report.problems.append(f"Skipped a change to {name} ({key}): it does not say what it is.")
                continue
            if here is not None and same(here, new):
                continue
            problem = readable(name, new)
            if problem:
                report.problems.append(f"Skipped a change to {name} ({key}): {problem}. It was left out here.")
                continue
            if doc_id is None:
                if field_name is None:
                    report.problems.append(f"Skipped a change to {name}: {key!r} is not a document number.")
                    continue
                flush()  # a new id is worked out from the table as it is
                doc_id = str(table._get_next_id())
            puts[int(doc_id)] = new
            index[key] = doc_id
            report.came_in[_kind(name)] += 1
            report.changed.add((name, key))
        flush()

    # -- one whole merge --------------------------------------------------------------------------
    def sync(self, now: datetime) -> SyncReport:
        """Send, receive, apply, remember. Problems with single files are reported and skipped;
        a folder that is not there (a stick not plugged in) is said once and nothing else happens.

        Only the merge proper holds `lock` (one merge at a time); it holds the database's mutex
        only to read a table or write one piece of what came in (see `_merge`), so a change on
        screen never waits for it. Loading the state, writing a new base and saving the state,
        which work on the whole CRDT, come before or after it."""
        report = SyncReport()
        folder = self.link.folder
        if not folder.is_dir():
            report.problems.append(f"The linked folder {folder} is not there just now; nothing was merged.")
            return report
        self._where()
        try:
            with self._whole():
                self.load()
            with self.lock, (_prompt_switching() if self.apart else nullcontext()):
                self._merge(report, now)
            with self._whole(), (_prompt_switching() if self.apart else nullcontext()):
                if self._base_due:
                    self._write_base(report, now)
                if self._dirty and (self._saved_at is None or time.monotonic() - self._saved_at >= SAVE_EVERY):
                    try:
                        self.save()
                        self._dirty = False
                    except OSError as exc:
                        report.problems.append(f"Hearth could not keep its merge state ({exc.strerror or exc}); the next merge reads the folder again.")
        except CoreGone as exc:
            self._lost_core()
            report.problems.append(f"{exc}.")
        return report

    def _merge(self, report: SyncReport, now: datetime) -> None:
        self.load()  # (again, after a lost core)
        _readers()  # imported before the database's lock is taken, not while the screen waits
        try:  # small files of this computer's own, written before that lock too
            self._send_keys()
            self._say_here(now)
        except OSError:
            pass  # the change file below says the same, in words
        # No lock of the database's is held while the merge works, only while it reads a table
        # or writes one piece of what came in: from the moment it reads what changed here, a
        # change on screen keeps what it replaced (Touched.before), and before writing a document
        # that came in the merge puts such a change together with it (`_apply_table`). So a save
        # on screen never waits for the merge, and none is written over or left unsent.
        # The delta is made meanwhile, and written to the folder after (the disk can be slow).
        delta: list[tuple[int, int] | None] = [None]
        storage = self.store.storage
        with storage.mutex:
            self.touched.before = {}
            storage.keeping = self.touched.keeping
        try:
            changed_here = self.take_local() or bool(_link_doc(self.store).get("unsent"))
            sent = self._unsent_if(report, lambda: delta.__setitem__(
                0, self.send(report, now, changed_here, compact=False, defer=True)))
            changed = self.receive(report, now)
            # (before apply: what changed here meanwhile goes into the CRDT there, and is still to send)
            state = self._core().state()
            self.apply(changed, report)
            self._note_arrived()
            if sent and delta[0] is None:  # (a failed send: the next delta is measured from before it)
                self._quiet = True
                try:  # what came in is the other home's to send, not ours: later deltas leave it out
                    _put_link(self.store, written_sv=base64.b64encode(state).decode("ascii"))
                finally:
                    self._quiet = False
        finally:
            with storage.mutex:
                storage.keeping = None
                self.touched.before = None
        if delta[0] is not None:
            gen, seq = delta[0]
            if self._unsent_if(report, self._core().write_pending):
                self._written(gen, seq, state)
            else:
                report.sent = False
        if self._over:  # changes made here meanwhile, in the CRDT after this merge's delta: the next one sends them
            self._over = False
            self._quiet = True
            try:
                _put_link(self.store, unsent=True)
            finally:
                self._quiet = False
        self._dirty |= bool(report.changed or report.sent)

    def _write_base(self, report: SyncReport, now: datetime) -> None:
        """After COMPACT_AFTER deltas: a new base with everything, the older files removed."""
        self._base_due = False
        self._unsent_if(report, lambda: self.send(report, now, 1))
        self._dirty |= report.sent

    def _unsent_if(self, report: SyncReport, send: Callable[[], None]) -> bool:
        """Send; if the folder refuses, what did not go is sent with the next merge, even after a
        restart. Returns whether it went."""
        try:
            send()
            return True
        except OSError as exc:
            self._quiet = True
            try:
                _put_link(self.store, unsent=True)
            finally:
                self._quiet = False
            report.problems.append(f"Hearth could not write its changes into {self.link.folder} ({exc.strerror or exc}); they will go next time.")
            return False


def _index(name: str, field_name: str | None, docs: dict[str, Any]) -> dict[str, str]:
    """Key → document id of a table's documents (as sync_tables.doc_key names them, done here
    for a whole table at once: it is built under the database's lock)."""
    if field_name is None:
        return {str(doc_id): doc_id for doc_id in docs}
    index = {}
    for doc_id, doc in docs.items():
        value = doc.get(field_name) if isinstance(doc, dict) else None
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
            index[str(value)] = doc_id
    return index


def _lags_with(doc: dict[str, Any], heard: dict[str, Any], before: dict[str, Any]) -> dict[str, list[float]]:
    """Each other home's recent lags (arrived here minus written there, tui.core.clock_offset),
    with one more for each home a file (a change file or a "still here" file) came from now."""
    from ..core.clock_offset import lag_of, noted

    lags = {h: noted(v, None) for h, v in (doc.get("lags") or {}).items()} if isinstance(doc.get("lags"), dict) else {}
    for home, entry in heard.items():
        was = before.get(home) or {}
        if not isinstance(entry, dict):
            continue
        for written, arrived in (("written", "arrived"), ("here", "here_arrived")):
            if entry.get(written) and entry.get(written) != was.get(written) and entry.get(arrived):
                lags[home] = noted(lags.get(home), lag_of(entry.get(written), entry.get(arrived)))
    return lags


def file_crcs(path: Path) -> dict[str, str] | None:
    """The checksum of each table's line, from the database file's last line (cheap: its tail)."""
    import re

    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 65536))
            tail = f.read()
    except OSError:
        return None
    found = re.search(rb'"_integrity":\{"1":\{"crc32":\{([^}]*)\}', tail)
    if not found:
        return None
    return {k.decode(): v.decode() for k, v in re.findall(rb'"([^"]+)":"([0-9a-f]{8})"', found.group(1))}


def _readers() -> None:
    """Import the rules `readable` checks with (once; each import is compiled at first use)."""
    from ..core import reflection, rounds  # noqa: F401
    from . import agreements  # noqa: F401


def readable(table: str, doc: dict[str, Any]) -> str | None:
    """Why a document that came in can't be read by Hearth's rules, or None. Checked before it is
    written, so a hostile or half-made document never reaches a screen."""
    fam = sync_tables.family(table)
    try:
        if fam == "agreements":
            from .agreements import _from_doc

            _from_doc(doc, 1)
        elif fam == "rounds_":
            from ..core.rounds import RoundState

            RoundState.from_dict(doc)
        elif fam == "reflections_":
            from ..core.reflection import Reflection

            Reflection.from_dict(doc)
    except Exception as exc:
        return f"it is not in a shape Hearth can read ({type(exc).__name__})"
    return None


def plain_copy(doc: Any) -> Any:
    """A document as plain JSON, detached from the table (TinyDB hands out live dicts)."""
    if isinstance(doc, dict):
        return {str(k): plain_copy(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [plain_copy(v) for v in doc]
    return doc


# -- linking ----------------------------------------------------------------------------------------
KEYS = "hearth-{home}.keys.json"


def here_name(home: str) -> str:
    return f"hearth-{home}.here.json"


def keys_name(home: str) -> str:
    return KEYS.format(home=home)


def folder_keys(folder: Path) -> list[Path]:
    """The wrapped-key files other homes left in the folder (one per encrypted computer)."""
    import re

    pattern = re.compile(r"^hearth-[0-9a-f]{12}\.keys\.json$")
    try:
        return sorted(folder / n for n in os.listdir(folder) if pattern.match(n))
    except OSError:
        return []


def folder_couple(folder: Path) -> str | None:
    """The couple id the folder's change files carry (the first home's, made when it linked)."""
    for change in sync_files.listing(folder):
        couple = (sync_files.header_of(change) or {}).get("couple")
        if isinstance(couple, str) and couple:
            return couple
    return None


def folder_names(folder: Path, passphrase: str | None = None) -> tuple[str, str] | None:
    """The couple's two names as the other home's files in `folder` hold them, so a new computer
    can ask whose it is by name. Read into a CRDT of its own, in this process, and let go; the
    link that follows reads the folder again. None when there are no names there yet, or they
    can't be read (an encrypted folder without the right passphrase)."""
    import json

    folder = Path(folder)
    if not _others(folder):
        return None
    raw = None
    keys = folder_keys(folder)
    if keys:
        from . import sealed

        for path in keys:
            try:
                raw = getattr(sealed.unlock(json.loads(path.read_bytes()), passphrase or "").key, "_raw", None)
                break
            except Exception:
                continue
        if raw is None:
            return None
    from .sync_core import Core

    core = Core()
    try:
        core.set_key(raw)
        core.receive(folder, "", {}, {}, "", COMPACT_AFTER)
        partners = (core.read_doc("profile", "1") or {}).get("partners")
    except Exception:  # only a question's wording depends on it
        return None
    if not isinstance(partners, list) or len(partners) != 2:
        return None
    names = [p.get("name") if isinstance(p, dict) else None for p in partners]
    if not all(isinstance(n, str) and n.strip() for n in names):
        return None
    return names[0].strip(), names[1].strip()


def _others(folder: Path, home: str | None = None) -> list[ChangeFile]:
    return [c for c in sync_files.listing(folder) if c.home != home]


def _slots_in(folder: Path) -> set[int]:
    slots = set()
    for change in sync_files.listing(folder):
        slot = (sync_files.header_of(change) or {}).get("slot")
        if isinstance(slot, int) and 0 < slot < sync_watch.ID_STRIDE:
            slots.add(slot)
    return slots


#: Tables that hold the couple's own data: a second computer must not have any to link.
def has_own_data(store: Any) -> bool:
    for name in store.db.tables():
        if sync_tables.travels(name) and name not in ("profile", "settings") and len(store.table(name)):
            return True
    return False


def needs_passphrase(store: Any, folder: Path) -> bool:
    """Whether linking to `folder` needs a passphrase: the other home is encrypted, so this one
    takes the couple's key (and becomes encrypted with it)."""
    return bool(folder_keys(Path(folder).expanduser())) and _adopted(store, Path(folder).expanduser()) is None


def _adopted(store: Any, folder: Path) -> Any:
    """This store's sealer if it already holds the folder's key (a computer linking again)."""
    sealer = store.storage.sealer
    if sealer is None:
        return None
    for path in folder_keys(folder):
        try:
            import json

            from . import crypto

            header, mac, body = crypto.Header.parse(json.loads(path.read_bytes()))
            if sealer.key.mac(body) == mac:
                return sealer
        except Exception:
            continue
    return None


def _take_key(store: Any, folder: Path, passphrase: str | None) -> Any:
    """Before a second computer links to an encrypted home: open the folder's key with a
    passphrase, for this database to be encrypted with that same key (`store.adopt_key`, by the
    caller). None when there is no key to take; SyncError, with nothing changed, otherwise."""
    keys = folder_keys(folder)
    if not keys:
        if store.storage.sealer is not None and _others(folder):
            raise SyncError(
                "The other home's Hearth is not encrypted, and this one is. Turn encryption on there "
                "first (hearth encrypt), or link this one unencrypted (hearth decrypt). Nothing was changed.")
        return None
    if _adopted(store, folder) is not None:
        return None
    if passphrase is None:
        raise SyncError("The other home's Hearth is encrypted: linking needs one of your passphrases (or the recovery code).")
    import json

    from . import sealed

    for path in keys:
        try:
            found = sealed.unlock(json.loads(path.read_bytes()), passphrase)
        except sealed.WrongPassphrase:
            continue
        except Exception as exc:
            raise SyncError(f"{path.name} in the folder can't be read ({exc}). Nothing was changed.") from None
        return found
    from .database import WRONG_PASSPHRASE

    raise SyncError(WRONG_PASSPHRASE)


def link(store: Any, folder: Path, partner: int | None, now: datetime,
         passphrase: str | None = None) -> tuple[Link, SyncReport]:
    """Link this database to `folder` and merge once. The first computer sends everything; a
    second one, which must hold no rounds, agreements or other shared data of its own yet (or
    only what came from this same couple's folder before), gets everything from the first."""
    if not str(folder).strip():
        raise SyncError("Say which folder to link to: the path of the folder you sync between your computers.")
    folder = Path(os.path.abspath(Path(folder).expanduser()))
    if link_of(store) is not None:
        raise SyncError(f"This Hearth is already linked to {link_of(store).folder}. Run `hearth unlink` first.")
    if folder.exists() and not folder.is_dir():
        raise SyncError(f"{folder} is a file, not a folder.")
    try:
        files.ensure_private_folder(folder, force_mode=False)
    except OSError as exc:
        raise SyncError(f"Hearth could not make the folder {folder} ({exc.strerror or exc}).") from None
    others = _others(folder)
    couple = folder_couple(folder) if others else None
    before = _link_doc(store).get("couple")
    if others and has_own_data(store) and not (couple and couple == before):
        raise SyncError(
            f"{folder} already holds another home's Hearth, and this one has rounds or agreements of "
            "its own. Two separate histories can't be joined: link a new, empty Hearth here instead "
            "(it gets everything from the other home). Nothing was changed.")
    key = _take_key(store, folder, passphrase)
    was = _link_doc(store).get("was")
    home = was.get("home") if isinstance(was, dict) else None
    # Linking again where this computer's own files still are: it goes on as the same home, from
    # where it left off (what it did while unlinked is sent as changes, what the other home did
    # meanwhile comes in), so the folder never keeps files of a home that no longer writes.
    again = bool(home) and couple == before and home in _by_home(folder)
    if again:
        slot = int(was.get("slot", 1))
        going_on = {k: was[k] for k in ("gen", "seq", "written_sv", "applied", "heard") if k in was}
    else:
        taken = _slots_in(folder)
        slot = next(s for s in range(1, sync_watch.ID_STRIDE) if s not in taken)
        home = secrets.token_hex(6)
        going_on = {}
    store.table(LINK_TABLE).put_doc(1, {
        "folder": str(folder), "home": home, "slot": slot, "partner": partner, "linked": stamp(now),
        "gen": 0, "seq": 0, "written_sv": "", "applied": {}, "heard": {}, **going_on,
        "couple": couple or before or secrets.token_hex(8),
    })
    if not again:
        files.remove_quietly(state_path(store))
    found = link_of(store)
    assert found is not None
    replica = Replica(store, found)
    if again:  # the merge state and the folder as this home left them, read as they were written
        replica.load()
    replica._loaded = True
    if key is not None:  # from here on encrypted with the couple's key, and so is what it sends
        store.adopt_key(key)
    replica.watch_everything()
    report = replica.sync(now)
    replica.keep()
    store.replica = replica
    return found, report


def unlink(store: Any) -> Link | None:
    """Stop merging. The folder and everything in it are left as they are."""
    found = link_of(store)
    if found is None:
        return None
    doc = _link_doc(store)
    # Linking again to this couple's folder is allowed, and goes on as the same home (`link`):
    # where it had got to is kept, and so is the merge state beside the database.
    was = {k: doc[k] for k in ("home", "slot", "gen", "seq", "written_sv", "applied", "heard") if k in doc}
    store.table(LINK_TABLE).put_doc(1, {"couple": doc.get("couple"), "was": was})
    sync_watch.detach(store)
    if getattr(store, "replica", None) is not None:
        store.replica.close()  # (its child process, if any, goes; the state file stays)
    store.replica = None
    return found


def replica_for(store: Any, *, apart: bool | None = None) -> Replica | None:
    """The store's replica, made on first use (None when not linked); `apart`: see Replica."""
    existing = getattr(store, "replica", None)
    if existing is not None:
        return existing
    found = link_of(store)
    if found is None:
        return None
    store.replica = Replica(store, found, apart=apart)
    return store.replica


def sync_now(store: Any, now: datetime, *, keep: bool = False) -> SyncReport | None:
    """One merge; with `keep`, the merge state is saved at once (a command that ends next)."""
    replica = replica_for(store)
    if replica is None:
        return None
    report = replica.sync(now)
    if keep:
        replica.keep()
    return report


@dataclass
class Heard:
    partner: int | None
    written: str | None
    arrived: str | None


def heard_from(store: Any) -> list[Heard]:
    """When the other computer(s) were last heard from (their clock, and ours on arrival)."""
    doc = _link_doc(store)
    return [Heard(v.get("partner"), v.get("written"), v.get("arrived"))
            for v in (doc.get("heard") or {}).values() if isinstance(v, dict)]
