"""The CRDT side of a merge: everything that calls into pycrdt, and nothing that touches the database.

Why apart: pycrdt (Yrs, through PyO3) holds Python's GIL for the whole of each call, and loading
ten years of merge state is one call of seconds. Run in the app's worker thread, that froze the
screen. So `Core` takes plain JSON documents in and gives plain JSON documents out, and can run
either in this process (`hearth sync`, the tests) or in a child process of its own
(`sync_child`), where its GIL is not the screen's. Each method is one step of a merge, so a
merge is a few calls, not one per document.

The CRDT is one flat map (`sync_json`): key `table ␟ document ␟ field...`. `index` knows which
keys make up each document, so a document is read or written without a scan.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from pycrdt import Array, Doc, Map, get_state

from . import files, sync_files
from .sync_files import ChangeFile, ChangeFileProblem
from .sync_json import EMPTY, SEP, Unnamable, flatten, plain, prelim, same, set_array, unflatten

_GONE = object()

#: The label the merge state file is sealed with.
STATE_LABEL = "hearth-sync-state"
#: An update that changes nothing is two bytes long.
EMPTY_UPDATE = 2

Owner = tuple[str, str]
#: Whether a field (by its flat key) holds what a person typed: None when not, else what joins
#: two texts of it both homes typed at once.
Words = Callable[[str], "str | None"]

_PARAS, _LINE = "\n\n", " / "  # what joins two texts of many lines, of one

#: What people type, by table (`sync_tables.family`): where both homes change one of these in
#: the moment of a merge, nothing either typed is lost (see `_over`). Paths are fields joined
#: by "/", "[]" for an item of a list, "*" for any one name. Any other field, the change made
#: here wins, as a status or a time should. An agreement's title and text are not here: both
#: wordings are kept as versions (its `versions` list is), and tui.core.agreements.settle shows
#: the newest and asks both again, as when both edit it apart.
WORDS: dict[str, dict[str, str]] = {
    "agreements": {"versions": ""},
    "reflections_": {"close": _PARAS, "words/*": _PARAS, "appreciations/*": "", "items": "", "items[]/text": _LINE,
                     "review[]/text": _LINE, "extra/good_times": _PARAS, "extra/feel_loved/*": _PARAS,
                     "extra/one_issue/topic": _LINE, "extra/one_issue/entries": "",
                     "extra/one_issue/entries[]/text": _PARAS},
    "rounds_": {"closing": _PARAS, "notes": "", "cards[]/answers/*": _PARAS, "cards[]/notes/*": _PARAS,
                "cards[]/kept/*": _PARAS},
    "pauses_": {"topic": _LINE, "notes/*": "", "notes/*[]/text": _PARAS, "notes/*[]/apology": _PARAS,
                "private_notes/*": _PARAS, "late/*": "", "pause/topic": _LINE, "pause/note": _PARAS,
                "pause/repair/answers/*/text": _PARAS, "pause/repair/answers/*/apology": _PARAS},
    "pause_active": {"topic": _LINE, "note": _PARAS, "repair/answers/*/text": _PARAS,
                     "repair/answers/*/apology": _PARAS},
    "talks": {"topic": _LINE, "entries": "", "entries[]/text": _PARAS},
    "talk_active": {"topic": _LINE, "entries": "", "entries[]/text": _PARAS},
    "dream_active": {"topic": _LINE, "meaning/*": _PARAS, "understood/*": _PARAS, "firm/*": _PARAS,
                     "flexible/*": _PARAS},
}


def words_of(table: str, prefix: str) -> Words:
    """`Words` for the documents of `table` (their flat keys begin with `prefix`)."""
    from .sync_tables import family

    patterns = _patterns(family(table) or "")
    if not patterns:
        return lambda flat: None
    cut = len(prefix) + 1

    def words(flat: str) -> str | None:
        path = flat[cut:].replace(SEP, "/")
        return next((join for pattern, join in patterns if pattern.match(path)), None)

    return words


@lru_cache(maxsize=None)
def _patterns(family: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(re.escape(pattern).replace(r"\*", "[^/]*") + r"\Z"), join)
                 for pattern, join in WORDS.get(family, {}).items())


class Core:
    """One linked store's CRDT. Not thread-safe: the replica calls it under its own lock."""

    def __init__(self) -> None:
        self._key: Any = None
        self._pending: tuple[Any, ...] | None = None  # a delta made, not written yet
        self._new_doc()

    def _new_doc(self) -> None:
        self.doc = Doc()
        self.root = self.doc.get("docs", type=Map)
        self.index: dict[Owner, set[str]] = {}

    # -- the couple's key (None: not encrypted) ---------------------------------------------------
    def set_key(self, raw: bytes | None) -> None:
        from . import crypto

        self._key = crypto.DataKey(raw) if raw else None

    @property
    def _seal(self) -> Callable[[str, bytes], bytes] | None:
        return self._key.seal if self._key is not None else None

    @property
    def _unseal(self) -> Callable[[str, bytes], bytes] | None:
        return self._key.open if self._key is not None else None

    # -- the index of keys ------------------------------------------------------------------------
    @staticmethod
    def owner(flat: str) -> Owner | None:
        parts = flat.split(SEP, 2)
        return (parts[0], parts[1]) if len(parts) >= 2 else None

    def _index_add(self, flat: str) -> None:
        owner = self.owner(flat)
        if owner:
            self.index.setdefault(owner, set()).add(flat)

    def _index_drop(self, flat: str) -> None:
        owner = self.owner(flat)
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
        changed = _write_flat(self.root, new, old)
        for flat in old - new.keys():
            self._index_drop(flat)
        for flat in new:
            self._index_add(flat)
        return changed

    # -- the steps of a merge ---------------------------------------------------------------------
    def state(self) -> bytes:
        return self.doc.get_state()

    def load(self, path: Path, folder: Path, home: str, mine_now: list[int],
             applied_now: dict[str, list[int]]) -> dict[str, Any]:
        """The CRDT as the merge state file left it, then brought up to what the database already
        holds: this computer's own files up to `mine_now`, the other homes' up to `applied_now`.
        Returns the state file's header (what it was saved with; {} when there was none)."""
        info: dict[str, Any] = {}
        unseal = self._unseal
        try:
            raw = path.read_bytes()
            head, _, body = raw.partition(b"\n")
            info = json.loads(head)
            if not isinstance(info, dict):
                raise ValueError("not a header")
            self.doc.apply_update(unseal(STATE_LABEL, body) if unseal else body)
        except FileNotFoundError:
            info = {}
        except Exception:
            # The state is only a cache of what the folder and the database hold: build it again.
            self._new_doc()
            info = {}
        by_home = _by_home(folder)
        _catch_up(by_home.pop(home, {}), info.get("mine") or [0, -1], self._take_quietly, mine_now)
        applied_then = info.get("applied") or {}
        for other, found in sorted(by_home.items()):
            _catch_up(found, applied_then.get(other, [0, -1]), self._take_quietly, applied_now.get(other, [0, -1]))
        self._rebuild_index()
        return info

    def _take_quietly(self, change: ChangeFile) -> bool:
        """Apply one file while catching up (its problems are said by the merge that follows)."""
        try:
            _, payload = sync_files.read(change, self._unseal)
            self.doc.apply_update(payload)
        except Exception:
            return False
        return True

    def put(self, table: str, docs: list[tuple[str, dict[str, Any]]], here: list[str] | None) -> int:
        """Documents changed here into the CRDT; with `here` (every key the table still holds),
        the documents not in it are deleted. Returns how many changed."""
        changed = 0
        with self.doc.transaction():
            for key, doc in docs:
                try:
                    changed += self.write_doc(table, key, doc)
                except Unnamable:
                    continue  # a field name with a control character: it stays on this computer
            if here is not None:
                present = set(here)
                for owner in [k for k in self.index if k[0] == table and k[1] not in present]:
                    changed += self.write_doc(owner[0], owner[1], None)
        return changed

    def put_over(self, table: str, docs: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]]) -> list[tuple[str, str, Any]]:
        """Changes made here while a merge was under way, put into the CRDT over what came in
        meanwhile: for each (key, document now, document before the change; None: not there),
        only the fields the change made differ are written, a list three ways (what was removed
        here is removed, what either home added stays), and where both homes changed the same
        words in that moment, both are kept (`WORDS`). Returns the documents as they are then
        (as `read` does)."""
        with self.doc.transaction():
            for key, now, before in docs:
                try:
                    self._put_over(table, key, now, before)
                except Unnamable:
                    continue  # (as in put: it stays on this computer)
        return self.read([(table, key) for key, _, _ in docs])

    def _put_over(self, table: str, key: str, now: dict[str, Any] | None, before: dict[str, Any] | None) -> None:
        if now is None:
            if before is not None:
                self.write_doc(table, key, None)  # removed here
            return
        have = self.index.get((table, key), set())
        if not have:  # gone from the CRDT meanwhile (removed at the other home): kept whole, as changed here
            self.write_doc(table, key, now)
            return
        prefix = f"{table}{SEP}{key}"

        def full(path: str) -> str:
            return f"{prefix}{SEP}{path}" if path else prefix

        then = {full(p): v for p, v in flatten(before).items()} if before is not None else {}
        flat_now = {full(p): v for p, v in flatten(now).items()}
        for flat in _over(self.root, then, flat_now, have, words_of(table, prefix)):
            self._index_add(flat)
        for flat in then.keys() - flat_now.keys():
            self._index_drop(flat)

    def send(self, folder: Path, home: str, gen: int, seq: int, written_sv: bytes, changed_here: bool,
             info: dict[str, Any], compact_after: int, compact: bool = True,
             defer: bool = False) -> tuple[int, int, bool, bytes, bool]:
        """This computer's changes into a new change file of its own: a delta since `written_sv`,
        or a new base (removing the older files) when there is none yet, after `compact_after`
        deltas, or when encryption was turned on or off. Without `compact`, a base due only
        because of the deltas' number is left for a call with it (the merge makes it after the
        database's lock is let go: it is the whole state). With `defer`, a delta is made now but
        written by `write_pending` (after that lock too: writing a file waits for the disk).
        Returns (gen, seq, sent, state, due), `due` when that base is still to be written."""
        seal = self._seal
        sent = False
        mine = [c for c in sync_files.listing(folder) if c.home == home]
        base = next((c for c in mine if c.gen == gen and c.seq == 0), None)
        first = gen == 0 or base is None or _sealed(base) != (seal is not None)
        if first or (seq >= compact_after and compact):
            # (encryption turned on or off since: the files before are written again the new way)
            gen += 1
            sync_files.write(folder, home, gen, 0, self.doc.get_update(), {**info, "kind": "base"}, seal)
            for old in mine:
                if old.gen < gen:
                    sync_files.remove(old)
            seq = 0
            sent = True
        elif seq >= compact_after:
            return gen, seq, False, self.doc.get_state(), True
        elif changed_here:
            # (an update always carries every deletion ever made: its length says nothing)
            delta = self.doc.get_update(written_sv) if written_sv else self.doc.get_update()
            if len(delta) > EMPTY_UPDATE:
                seq += 1
                self._pending = (folder, home, gen, seq, delta, {**info, "kind": "delta"})
                if not defer:
                    self.write_pending()
                sent = True
        return gen, seq, sent, self.doc.get_state(), False

    def write_pending(self) -> None:
        """Write the delta `send(defer=True)` made (OSError if the folder refuses it)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            folder, home, gen, seq, delta, info = pending
            sync_files.write(folder, home, gen, seq, delta, info, self._seal)

    def receive(self, folder: Path, home: str, applied: dict[str, list[int]], heard: dict[str, Any],
                now: str, compact_after: int) -> tuple[dict[str, list[int]], dict[str, Any], list[str], set[Owner]]:
        """The other homes' files not read yet, checked and applied in order. Returns where each
        home got to, who was heard from, the problems in words, and the documents they changed."""
        unseal = self._unseal
        changed: set[Owner] = set()
        problems: list[str] = []

        def note(events: list[Any]) -> None:
            for event in events:
                path = list(event.path)
                if path:  # inside a list of one field
                    owner = self.owner(str(path[0]))
                    if owner:
                        changed.add(owner)
                    continue
                for flat, what in (getattr(event, "keys", {}) or {}).items():
                    action = what.get("action") if isinstance(what, dict) else None
                    if action == "delete":
                        self._index_drop(flat)
                    else:
                        self._index_add(flat)
                    owner = self.owner(flat)
                    if owner:
                        changed.add(owner)

        by_home = _by_home(folder)
        by_home.pop(home, None)

        def take(change: ChangeFile) -> bool:
            try:
                header, payload = sync_files.read(change, unseal)
                after_all = applied.get(change.home, [0, -1])
                known = (change.seq == 0 and after_all[0] == change.gen - 1 and after_all[1] >= compact_after
                         and covers(self.doc.get_state(), get_state(payload)))
                if not known:  # a new base after all its home's changes were applied adds nothing
                    self.doc.apply_update(payload)
            except ChangeFileProblem as exc:
                problems.append(f"Skipped {exc}.")
                return False
            except Exception:
                problems.append(f"Skipped {change.path.name}: its changes could not be read (it was left as it is).")
                return False
            heard[change.home] = {"written": header.get("written"), "arrived": now,
                                  "partner": header.get("partner") if header.get("partner") in (0, 1) else None}
            return True

        subscription = self.root.observe_deep(note)
        try:
            for other, found in sorted(by_home.items()):
                applied[other] = _catch_up(found, applied.get(other, [0, -1]), take)
        finally:
            self.root.unobserve(subscription)
        return applied, heard, problems, changed

    def read(self, owners: list[Owner]) -> list[tuple[str, str, Any]]:
        """(table, key, document) for each: None when deleted, an Unnamable when not a document."""
        out: list[tuple[str, str, Any]] = []
        with self.doc.transaction():  # one read of the CRDT, not one per value
            for table, key in owners:
                try:
                    out.append((table, key, self.read_doc(table, key)))
                except Unnamable as exc:
                    out.append((table, key, exc))
        return out

    def save(self, path: Path, info: dict[str, Any]) -> None:
        """The merge state beside the database (0600, sealed when encrypted)."""
        seal = self._seal
        payload = self.doc.get_update()
        body = seal(STATE_LABEL, payload) if seal else payload
        files.atomic_write(path, [json.dumps(info).encode("ascii") + b"\n", body])

    def ping(self) -> bool:
        return True


def _over(target: Map, then: dict[str, Any], now: dict[str, Any], have: set[str],
          words: Words = lambda flat: None) -> list[str]:
    """Three ways, on one flat map: write into `target` (which holds the keys `have`) only what
    differs between `then` and `now`, both flat. Returns the keys written.

    Where the other home changed the same key meanwhile, the change made here wins, except in
    what a person typed (`words` of the key): there both texts are kept (`both_words`), and a
    list keeps every item either home added (`_over_array`)."""
    written = []
    for flat in then.keys() - now.keys():
        if flat in have:
            current = target[flat]
            if words(flat) is not None and isinstance(current, str) and current != then[flat]:
                continue  # removed here, typed at the other home meanwhile: the words stay
            del target[flat]
    for flat, value in now.items():
        was = then.get(flat, _GONE)
        if was is not _GONE and same(was, value):
            continue  # not changed here: what came in stays
        current = target[flat] if flat in have else None
        if isinstance(value, list) and isinstance(was, list) and isinstance(current, Array):
            _over_array(current, was, value, words(flat) is not None, _item_words(words, flat))
        else:
            join = words(flat)
            if join is not None and isinstance(value, str) and isinstance(current, str):
                value = both_words(was if isinstance(was, str) else "", current, value, join)
            target[flat] = prelim(value)
        written.append(flat)
    return written


def _write_flat(target: Map, new: dict[str, Any], old_keys: set[str]) -> bool:
    """Make the keys `old_keys` of `target` hold the flat items `new`, touching only what
    differs, so the other home's edit of another field, made meanwhile, survives (as
    sync_json.set_flat does). A list made shorter loses only the items removed (`_over_array`
    from what it holds), where taking the whole list down and putting it back lost what the
    other home changed in the items that stayed. Returns whether anything changed."""
    changed = False
    for key in old_keys - new.keys():
        del target[key]
        changed = True
    for key, value in new.items():
        if key not in old_keys:
            target[key] = prelim(value)
            changed = True
            continue
        current = target[key]
        if isinstance(value, list) and isinstance(current, Array):
            if len(value) >= len(current):
                changed |= set_array(current, value)  # (grown or the same length: changed in place, appended)
                continue
            had = plain(current)
            if not same(had, value):
                _over_array(current, had, value)
                changed = True
        elif not same(plain(current), value):
            target[key] = prelim(value)
            changed = True
    return changed


def _item_words(words: Words, flat: str) -> Words:
    """`words` for the fields of an object inside the list at `flat` (named `list[]␟field`)."""
    return lambda inner: words(f"{flat}[]{SEP}{inner}")


def both_words(was: str, there: str, here: str, join: str = "\n\n") -> str:
    """One text both homes changed at once, with nothing either typed lost: the one that holds
    the other (typed on from it, or the other emptied it), or else both, the other's first."""
    if there == was or there in here or not there.strip():
        return here
    if here == was or here in there or not here.strip():
        return there
    return f"{there}{join}{here}"


def _key(item: Any) -> str:
    """What an item of a list is compared by (as JSON, keys in order)."""
    return json.dumps(item, sort_keys=True, default=str)


def _ids(items: list[Any]) -> list[Any] | None:
    """The `id` of each item, when every item is an object with one of its own (none twice)."""
    ids = [item.get("id") for item in items if isinstance(item, dict)]
    if len(ids) != len(items) or any(isinstance(i, bool) or not isinstance(i, (str, int)) for i in ids):
        return None
    return ids if len(set(ids)) == len(ids) else None


def pairs(a: list[Any], b: list[Any], positional: bool) -> dict[int, int]:
    """Which item of `b` each item of `a` became (item index → item index; missing: removed).
    Objects with ids are paired by id; with `positional` (a list of no words that kept its
    length at both homes: who said yes, the two names, a round's cards) item by item; any other
    by value, in order, where items changed in one place pair off one for one."""
    ids_a, ids_b = _ids(a), _ids(b)
    if ids_a is not None and ids_b is not None and (a or b):
        where = {x: j for j, x in enumerate(ids_b)}
        return {i: where[x] for i, x in enumerate(ids_a) if x in where}
    if positional or len(b) >= len(a) and all(same(x, y) for x, y in zip(a, b)):
        return {i: i for i in range(len(a))}  # (or `b` is `a` and more after it: versions, appended)
    out: dict[int, int] = {}
    matcher = SequenceMatcher(None, [_key(x) for x in a], [_key(x) for x in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("equal", "replace"):
            out.update(zip(range(i1, i2), range(j1, j2)))
    return out


def _over_array(target: Array, was: list[Any], now: list[Any], words: bool = False,
                item_words: Words = lambda flat: None) -> None:
    """Three ways, on a list: `was` as this home read it, `now` as it made it, `target` as the
    other home's changes left it. An item removed here is removed, one added here is added
    where it was added (after any the other home added there), one changed here is changed
    where it now stands (an object field by field). What the other home added, removed or
    changed stays so, except an item changed at one home and removed at the other, which is
    kept as changed. An item both changed is as changed here, or, in a list of what people
    typed (`words`), both are kept, the other's first."""
    current = [plain(v) for v in target]
    positional = len(was) == len(now) == len(current) and not words
    here, there = pairs(was, now, positional), pairs(was, current, positional)
    came = Counter(_key(current[k]) for k in set(range(len(current))) - set(there.values()))
    drop: set[int] = set()
    change: dict[int, tuple[Any, Any]] = {}  # item of target → (as it was, as it is here)
    after: dict[int, list[Any]] = {}  # item of target → items kept right after it
    before: dict[int, list[Any]] = {}  # item of target (or its length: the end) → items put before it
    for i, item in enumerate(was):
        k = there.get(i)
        if i not in here:
            if k is not None and same(current[k], item):
                drop.add(k)  # (changed at the other home meanwhile: kept as changed)
            continue
        j = here[i]
        if k is None or same(now[j], item) or same(now[j], current[k]):
            continue  # (removed there and changed here: put back below, as an item added here)
        if same(current[k], item) or not words or isinstance(now[j], (dict, list)):
            change[k] = (item, now[j])
        else:
            after.setdefault(k, []).append(now[j])
    from_here = {j: i for i, j in here.items()}
    last = -1  # the item of `was` the next item added here comes after
    for j, item in enumerate(now):
        i = from_here.get(j)
        if i is not None and i in there:
            last = i
            continue
        if i is not None and same(item, was[i]):
            last = i
            continue  # (not changed here, removed at the other home: stays removed)
        if came[_key(item)] > 0:
            came[_key(item)] -= 1  # added at both homes: once
            continue
        at = next((there[n] for n in range(last + 1, len(was)) if n in there), len(current))
        before.setdefault(at, []).append(item)
    for k in range(len(current), -1, -1):  # from the end, so the places still to change keep their index
        if k < len(current):
            for item in reversed(after.get(k, [])):
                target.insert(k + 1, prelim(item))
            if k in drop:
                del target[k]
            elif k in change:
                _over_item(target, k, *change[k], words, item_words)
        for item in reversed(before.get(k, [])):
            target.insert(k, prelim(item))


def _over_item(target: Array, k: int, was: Any, now: Any, words: bool, item_words: Words) -> None:
    """Item `k` of `target`, changed here from `was` to `now`."""
    item = target[k]
    if isinstance(now, dict) and isinstance(was, dict) and isinstance(item, Map):
        _over(item, flatten(was), flatten(now), set(item.keys()), item_words)
    elif isinstance(now, list) and isinstance(was, list) and isinstance(item, Array):
        _over_array(item, was, now, words)
    else:
        del target[k]
        target.insert(k, prelim(now))


# -- reading a folder's files in order ----------------------------------------------------------------
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
