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
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from pycrdt import Doc, Map, get_state

from ..core.clock import stamp
from . import files, sync_files, sync_tables, sync_watch
from .errors import StoreError
from .sync_files import ChangeFile, ChangeFileProblem
from .sync_json import EMPTY, SEP, Unnamable, flatten, same, set_flat, unflatten

LINK_TABLE = sync_watch.LINK_TABLE
COMPACT_AFTER = 64
#: The merge state (a whole copy of the CRDT) is written at most this often, and at quit: writing
#: ten years of it holds the interpreter for a moment. Between, the database and the folder hold
#: everything it could be made again from.
SAVE_EVERY = 600.0
#: How often a running Hearth with nothing new says it is there (hearth-<id>.here.json).
HERE_EVERY = 300.0
#: An update that changes nothing is two bytes long.
EMPTY_UPDATE = 2


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


def _sealing(store: Any) -> tuple[Callable[[str, bytes], bytes] | None, Callable[[str, bytes], bytes] | None]:
    sealer = store.storage.sealer
    if sealer is None:
        return None, None
    return sealer.key.seal, sealer.key.open


class Replica:
    """The CRDT copy of one linked store. One merge at a time (`lock`); the store's own mutex
    guards each database write.

    The CRDT is one flat map (`sync_json`): key `table ␟ document ␟ field...`. `index` knows
    which keys make up each document, so a document is read or written without a scan.
    """

    def __init__(self, store: Any, link: Link) -> None:
        self.store = store
        self.link = link
        self.lock = threading.Lock()
        self._new_doc()
        self._loaded = False
        sync_watch.attach(store)
        self.touched: sync_watch.Touched = store.touched
        #: the first merge of a session also looks at this and last year's tables whole, in case
        #: the last session ended before it could send them
        self._first = True
        self._dirty = False  # merged since the state file was last saved
        self._here_at: float | None = None  # when this computer last said it is there
        self._saved_at: float | None = None

    def _new_doc(self) -> None:
        self.doc = Doc()
        self.root = self.doc.get("docs", type=Map)
        self.index: dict[tuple[str, str], set[str]] = {}

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

    # -- the index of keys ------------------------------------------------------------------------
    @staticmethod
    def _owner(flat: str) -> tuple[str, str] | None:
        parts = flat.split(SEP, 2)
        return (parts[0], parts[1]) if len(parts) >= 2 else None

    def _index_add(self, flat: str) -> None:
        owner = self._owner(flat)
        if owner:
            self.index.setdefault(owner, set()).add(flat)

    def _index_drop(self, flat: str) -> None:
        owner = self._owner(flat)
        if owner and owner in self.index:
            self.index[owner].discard(flat)
            if not self.index[owner]:
                del self.index[owner]

    def _rebuild_index(self) -> None:
        self.index = {}
        for flat in self.root.keys():
            self._index_add(flat)

    def read_doc(self, table: str, key: str) -> dict[str, Any] | None:
        """A document as the CRDT holds it, or None when it is not there (or was deleted)."""
        keys = self.index.get((table, key))
        if not keys:
            return None
        prefix = f"{table}{SEP}{key}"
        items = [("" if flat == prefix else flat[len(prefix) + 1:], self.root[flat]) for flat in keys]
        if any(path == "" and value != EMPTY for path, value in items):
            raise Unnamable(key)  # something that is not a document was put where one goes
        return unflatten(items)

    def write_doc(self, table: str, key: str, doc: dict[str, Any] | None) -> bool:
        prefix = f"{table}{SEP}{key}"
        old = self.index.get((table, key), set())
        new = {} if doc is None else {
            (f"{prefix}{SEP}{path}" if path else prefix): value for path, value in flatten(doc).items()}
        changed = set_flat(self.root, new, old)
        for flat in old - new.keys():
            self._index_drop(flat)
        for flat in new:
            self._index_add(flat)
        return changed

    # -- the CRDT's own file ----------------------------------------------------------------------
    def load(self) -> None:
        """The CRDT as the last merge state file left it, then brought up to what the database
        already holds: this computer's own files sent since (they may be newer than the state,
        after a crash), and the other home's up to what was last written in here. Without that,
        a change of the other home's that builds on one of ours would wait for it for ever."""
        if self._loaded:
            return
        self._loaded = True
        import json

        path = state_path(self.store)
        info: dict[str, Any] = {}
        _, unseal = _sealing(self.store)
        try:
            raw = path.read_bytes()
            head, _, body = raw.partition(b"\n")
            info = json.loads(head)
            self.doc.apply_update(unseal("hearth-sync-state", body) if unseal else body)
        except FileNotFoundError:
            info = {}
        except Exception:
            # The state is only a cache of what the folder and the database hold: build it again.
            self._new_doc()
            info = {}
        doc = _link_doc(self.store)
        by_home = _by_home(self.link.folder)
        mine_now = [int(doc.get("gen", 0)), int(doc.get("seq", 0))]
        _catch_up(by_home.pop(self.link.home, {}), info.get("mine") or [0, -1], self._take_quietly, mine_now)
        applied_then, applied_now = info.get("applied") or {}, doc.get("applied") or {}
        for home, found in sorted(by_home.items()):
            _catch_up(found, applied_then.get(home, [0, -1]), self._take_quietly, applied_now.get(home, [0, -1]))
        self._rebuild_index()
        self._quiet = True
        try:
            _put_link(self.store, written_sv=base64.b64encode(self.doc.get_state()).decode("ascii"))
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

    def _take_quietly(self, change: ChangeFile) -> bool:
        """Apply one file while catching up (its problems are said by the merge that follows)."""
        _, unseal = _sealing(self.store)
        try:
            _, payload = sync_files.read(change, unseal)
            self.doc.apply_update(payload)
        except Exception:
            return False
        return True

    def keep(self) -> None:
        """Save the merge state now if a merge changed it (at quit, after `hearth sync`)."""
        with self.lock:
            if self._dirty and self._loaded:
                self.save()
                self._dirty = False

    def save(self) -> None:
        import json

        self.store.flush()
        doc = _link_doc(self.store)
        info = {"applied": doc.get("applied") or {}, "mine": [int(doc.get("gen", 0)), int(doc.get("seq", 0))],
                "crcs": file_crcs(self.store.path) or {}}
        seal, _ = _sealing(self.store)
        payload = self.doc.get_update()
        body = seal("hearth-sync-state", payload) if seal else payload
        files.atomic_write(state_path(self.store), [json.dumps(info).encode("ascii") + b"\n", body])
        self._saved_at = time.monotonic()

    # -- 1. send ----------------------------------------------------------------------------------
    def take_local(self) -> int:
        """Put what changed in the database into the CRDT. Returns how many documents changed."""
        if self._first:
            self._first = False
            self.watch_everything(recent_only=True)
        changed = 0
        with self.doc.transaction():
            for name, ids in self.touched.take().items():
                if sync_tables.travels(name):
                    changed += self._take_table(name, ids)
        return changed

    def _take_table(self, name: str, ids: set[str] | None) -> int:
        with self.store.storage.mutex:
            raw = self.store.storage.read()
            docs = dict(raw[name]) if name in raw else {}
            docs = {k: plain_copy(v) for k, v in docs.items()}
        changed = 0
        here: set[str] = set()
        for doc_id, doc in docs.items():
            key = sync_tables.doc_key(name, doc_id, doc)
            if key is None or SEP in key:
                continue
            here.add(key)
            if ids is not None and doc_id not in ids:
                continue
            try:
                changed += self.write_doc(name, key, sync_tables.outgoing(name, doc))
            except Unnamable:
                continue  # a field name with a control character: it stays on this computer
        if ids is None or any(i not in docs for i in ids):  # something was removed here
            for table, key in [k for k in self.index if k[0] == name and k[1] not in here]:
                changed += self.write_doc(table, key, None)
        return changed
    def send(self, report: SyncReport, now: datetime, changed_here: int = 1) -> None:
        doc = _link_doc(self.store)
        gen, seq = int(doc.get("gen", 0)), int(doc.get("seq", 0))
        seal, _ = _sealing(self.store)
        mine = [c for c in sync_files.listing(self.link.folder) if c.home == self.link.home]
        info = {"written": stamp(now), "partner": self.link.partner, "slot": self.link.slot,
                "couple": doc.get("couple")}
        self._send_keys()
        self._say_here(now)
        base = next((c for c in mine if c.gen == gen and c.seq == 0), None)
        if gen == 0 or base is None or seq >= COMPACT_AFTER or _sealed(base) != (seal is not None):
            # (encryption turned on or off since: the files before are written again the new way)
            gen += 1
            sync_files.write(self.link.folder, self.link.home, gen, 0, self.doc.get_update(), {**info, "kind": "base"}, seal)
            for old in mine:
                if old.gen < gen:
                    sync_files.remove(old)
            seq = 0
            report.sent = True
        else:
            sv = base64.b64decode(doc.get("written_sv") or "")
            # (an update always carries every deletion ever made: its length says nothing)
            delta = self.doc.get_update(sv) if sv else self.doc.get_update()
            if changed_here and len(delta) > EMPTY_UPDATE:
                seq += 1
                sync_files.write(self.link.folder, self.link.home, gen, seq, delta, {**info, "kind": "delta"}, seal)
                report.sent = True
        self._quiet = True
        try:
            _put_link(self.store, gen=gen, seq=seq, unsent=False,
                      written_sv=base64.b64encode(self.doc.get_state()).decode("ascii"))
        finally:
            self._quiet = False

    def _say_here(self, now: datetime) -> None:
        """A running Hearth with nothing new still says it is there, every few minutes, in a
        small file of its own (so the other home's "last heard from" stays true)."""
        if self._here_at is not None and time.monotonic() - self._here_at < HERE_EVERY:
            return
        import json

        body = json.dumps({"format": "hearth-here", "home": self.link.home, "partner": self.link.partner,
                           "written": stamp(now)}).encode("ascii")
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
                heard[home] = {**before, "here": written, "arrived": stamp(now), "partner": partner}

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
        _, unseal = _sealing(self.store)
        changed: set[tuple[str, str]] = set()

        def note(events: list[Any]) -> None:
            for event in events:
                path = list(event.path)
                if path:  # inside a list of one field
                    owner = self._owner(str(path[0]))
                    if owner:
                        changed.add(owner)
                    continue
                for flat, what in (getattr(event, "keys", {}) or {}).items():
                    action = what.get("action") if isinstance(what, dict) else None
                    if action == "delete":
                        self._index_drop(flat)
                    else:
                        self._index_add(flat)
                    owner = self._owner(flat)
                    if owner:
                        changed.add(owner)

        by_home = _by_home(self.link.folder)
        by_home.pop(self.link.home, None)
        applied: dict[str, list[int]] = {h: list(v) for h, v in (doc.get("applied") or {}).items()
                                         if isinstance(v, list) and len(v) == 2}

        def take(change: ChangeFile) -> bool:
            try:
                header, payload = sync_files.read(change, unseal)
                after_all = applied.get(change.home, [0, -1])
                known = (change.seq == 0 and after_all[0] == change.gen - 1 and after_all[1] >= COMPACT_AFTER
                         and covers(self.doc.get_state(), get_state(payload)))
                if not known:  # a new base after all its home's changes were applied adds nothing
                    self.doc.apply_update(payload)
            except ChangeFileProblem as exc:
                report.problems.append(f"Skipped {exc}.")
                return False
            except Exception:
                report.problems.append(f"Skipped {change.path.name}: its changes could not be read (it was left as it is).")
                return False
            heard[change.home] = {"written": header.get("written"), "arrived": stamp(now),
                                  "partner": header.get("partner") if header.get("partner") in (0, 1) else None}
            return True

        self._heard_here(heard, now)
        subscription = self.root.observe_deep(note)
        try:
            for home, found in sorted(by_home.items()):
                applied[home] = _catch_up(found, applied.get(home, [0, -1]), take)
        finally:
            self.root.unobserve(subscription)
        self._quiet = True
        try:
            _put_link(self.store, applied=applied, heard=heard)
        finally:
            self._quiet = False
        return changed

    # -- 3. apply ---------------------------------------------------------------------------------
    def apply(self, changed: set[tuple[str, str]], report: SyncReport) -> None:
        tables: dict[str, set[str]] = {}
        for table, key in changed:
            if sync_tables.travels(table):
                tables.setdefault(table, set()).add(key)
        self._quiet = True
        try:
            with self.store.one_save(), self.doc.transaction():  # one read of the CRDT, not one per value
                for table, keys in tables.items():
                    self._apply_table(table, keys, report)
        finally:
            self._quiet = False
        with self.store.one_save():
            self._settle(report)

    def _settle(self, report: SyncReport) -> None:
        """Agreements both homes changed are made whole (tui.core.agreements.settle); what that
        writes is sent like any change here, and both homes write the same."""
        from .agreements import TABLE, settle_stored

        for table, key in sorted(report.changed):
            if table == TABLE and key.isdigit():
                try:
                    settle_stored(self.store, int(key))
                except Exception as exc:  # a document the rules can't read: say so, keep going
                    report.problems.append(f"Agreement {key} came in in a shape Hearth can't read ({exc}); it was kept as it is.")

    def _apply_table(self, name: str, keys: set[str], report: SyncReport) -> None:
        field_name = sync_tables.key_field(name)
        table = self.store.table(name)
        with self.store.storage.mutex:
            raw = self.store.storage.read()
            docs = dict(raw[name]) if name in raw else {}
            index = {}
            for doc_id, doc in docs.items():
                key = sync_tables.doc_key(name, doc_id, doc)
                if key is not None:
                    index[key] = doc_id
        for key in sorted(keys):
            try:
                new = self.read_doc(name, key)
            except Unnamable:
                report.problems.append(f"Skipped a change to {name} ({key}): it is not a document.")
                continue
            doc_id = index.get(key)
            if field_name is None and doc_id is None and key.isdigit():
                doc_id = key
            if new is None:
                if doc_id is not None and doc_id in docs:
                    table.drop_doc(int(doc_id))
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
                doc_id = str(table._get_next_id())
            table.put_doc(int(doc_id), new)
            report.came_in[_kind(name)] += 1
            report.changed.add((name, key))

    # -- one whole merge --------------------------------------------------------------------------
    def sync(self, now: datetime) -> SyncReport:
        """Send, receive, apply, remember. Problems with single files are reported and skipped;
        a folder that is not there (a stick not plugged in) is said once and nothing else happens."""
        report = SyncReport()
        with self.lock:
            folder = self.link.folder
            if not folder.is_dir():
                report.problems.append(f"The linked folder {folder} is not there just now; nothing was merged.")
                return report
            self.load()
            # The database's own lock is held from reading what changed here to writing in what
            # came in: a save on screen meanwhile would be neither sent nor kept (it waits instead,
            # for a week's merge about a tenth of a second).
            with self.store.storage.mutex:
                changed_here = self.take_local() or bool(_link_doc(self.store).get("unsent"))
                try:
                    self.send(report, now, changed_here)
                except OSError as exc:
                    self._quiet = True
                    try:  # what did not go is sent with the next merge, even after a restart
                        _put_link(self.store, unsent=True)
                    finally:
                        self._quiet = False
                    report.problems.append(f"Hearth could not write its changes into {folder} ({exc.strerror or exc}); they will go next time.")
                changed = self.receive(report, now)
                self.apply(changed, report)
                self._quiet = True
                try:  # what came in is the other home's to send, not ours: later deltas leave it out
                    _put_link(self.store, written_sv=base64.b64encode(self.doc.get_state()).decode("ascii"))
                finally:
                    self._quiet = False
            self._dirty |= bool(report.changed or report.sent)
            if self._dirty and (self._saved_at is None or time.monotonic() - self._saved_at >= SAVE_EVERY):
                try:
                    self.save()
                    self._dirty = False
                except OSError as exc:
                    report.problems.append(f"Hearth could not keep its merge state ({exc.strerror or exc}); the next merge reads the folder again.")
            return report


def _sealed(change: ChangeFile) -> bool | None:
    """Whether a change file says it is encrypted (from its header line alone)."""
    header = sync_files.header_of(change)
    return None if header is None else bool(header.get("sealed"))


def _by_home(folder: Path) -> dict[str, dict[tuple[int, int], ChangeFile]]:
    found: dict[str, dict[tuple[int, int], ChangeFile]] = {}
    for change in sync_files.listing(folder):
        found.setdefault(change.home, {})[(change.gen, change.seq)] = change
    return found


def _catch_up(found: dict[tuple[int, int], ChangeFile], start: list[int], take: Callable[[ChangeFile], bool],
              upto: list[int] | None = None) -> list[int]:
    """Apply one home's files after `start` (gen, seq), in the order they were written and with
    no gap (a change applied before one it builds on would be lost: Yjs keeps it aside, and not
    always whole), up to `upto` if given. A newer base replaces everything before it. Returns
    where it got to."""
    gen, seq = start
    for g in sorted({g for g, _ in found}, reverse=True):
        if g < gen:
            break
        if upto is not None and g > upto[0]:
            continue
        if g > gen:
            base = found.get((g, 0))
            if base is None or not take(base):
                continue  # not here yet, or not whole: an older base may do meanwhile
            gen, seq = g, 0
        while (g, seq + 1) in found and (upto is None or (g, seq + 1) <= tuple(upto)) and take(found[(g, seq + 1)]):
            seq += 1
        break
    return [gen, seq]


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


def _var_uints(data: bytes) -> list[int]:
    out, value, shift = [], 0, 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            out.append(value)
            value, shift = 0, 0
    return out


def covers(ours: bytes, theirs: bytes) -> bool:
    """Whether state vector `ours` has seen everything `theirs` has (Yjs: client → clock)."""
    def vector(raw: bytes) -> dict[int, int]:
        nums = _var_uints(raw)
        return {nums[i]: nums[i + 1] for i in range(1, 1 + 2 * nums[0], 2)} if nums else {}

    try:
        mine, other = vector(ours), vector(theirs)
    except IndexError:
        return False
    return all(mine.get(client, 0) >= clock for client, clock in other.items())


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
    store.replica = None
    return found


def replica_for(store: Any) -> Replica | None:
    """The store's replica, made on first use (None when not linked)."""
    existing = getattr(store, "replica", None)
    if existing is not None:
        return existing
    found = link_of(store)
    if found is None:
        return None
    store.replica = Replica(store, found)
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
