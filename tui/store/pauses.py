"""Pauses in the database: the one active pause (so a restart resumes it) and the records.

The active pause lives in table `pause_active` (one document). Records are sharded by the year
the pause started (`pauses_2026`...), so saving one only re-serializes a small table.
A talk planned for later is a record with status "waiting" that holds the whole pause, so it
can be picked up again at its time.
"""

from __future__ import annotations

import copy
import weakref
from dataclasses import replace
from datetime import datetime, timedelta

from tinydb import Query
from tinydb.table import Document

from ..core.pause import (Pause, PauseRecord, clock_label, late_words, make_record, minutes_text, month_stats,
                          MonthStats)
from ..core import repair_apart
from ..core.clock import parse_time
from ..core.timewords import at_clock
from . import sync_watch
from .database import Store
from .peeks import peek, unread
from .schema import PAUSE_ACTIVE_TABLE

ACTIVE = PAUSE_ACTIVE_TABLE
PREFIX = "pauses_"


def _year_table(store: Store, year: int):
    return store.table(f"{PREFIX}{year}")


def _record_tables(store: Store) -> list[str]:
    names = [n for n in store.db.tables() if n.startswith(PREFIX) and n[len(PREFIX):].isdigit()]
    return sorted(names, reverse=True)


# -- the active pause ---------------------------------------------------------------------------
def _my_home(store: Store) -> str:
    doc = sync_watch.link_doc(store)
    return str(doc.get("home") or "") if doc else ""


def clock_offset(store: Store, doc: dict) -> timedelta:
    """How to read a pause taken at the other home on this computer's clock: the offset seen when
    it first arrived, kept in the pause under this computer's own key so it stays the same."""
    me, theirs = _my_home(store), str(doc.get("home") or "")
    if not me or not theirs or theirs == me:
        return timedelta(0)
    kept = (doc.get("offsets") or {}).get(me)
    if isinstance(kept, (int, float)):
        return timedelta(seconds=kept)
    from .couple_time import other_offset

    return other_offset(store, theirs)


def active(store: Store) -> Pause | None:
    """The pause in progress (a copy), on this computer's clock, or None."""
    doc = store.table(ACTIVE).get(doc_id=1)
    if not doc:
        return None
    try:
        pause = Pause.from_dict(copy.deepcopy(dict(doc)))
    except (KeyError, ValueError, TypeError):
        return None  # an unreadable leftover must never block the app
    return pause.shifted(clock_offset(store, doc))


def keep_offset(store: Store) -> None:
    """A pause from the other home just arrived: keep the clock offset seen now, so its times
    read the same here from now on (a later file's delay does not move them)."""
    table = store.table(ACTIVE)
    doc = table.get(doc_id=1)
    me = _my_home(store)
    if not doc or not me or str(doc.get("home") or me) == me or me in (doc.get("offsets") or {}):
        return
    offsets = {**(doc.get("offsets") or {}), me: clock_offset(store, doc).total_seconds()}
    table.update({"offsets": offsets}, doc_ids=[1])


def save_active(store: Store, pause: Pause) -> None:
    """Write the pause in progress; called after every change, so nothing is lost on a crash.
    A pause taken at the other home is saved on its clock, as it came."""
    table = store.table(ACTIVE)
    existing = table.get(doc_id=1)
    if existing is None and not pause.home:
        pause.home = _my_home(store)  # taken here: its times are this computer's clock
    offset = clock_offset(store, dict(existing)) if existing else timedelta(0)
    if existing is not None and offset and "offsets" not in existing:
        keep_offset(store)
    data = pause.shifted(-offset).to_dict()
    if table.contains(doc_id=1):
        table.update(data, doc_ids=[1])  # every key is always written, so this replaces the whole pause
    else:
        table.insert(Document(data, doc_id=1))


def clear_active(store: Store) -> None:
    store.table(ACTIVE).truncate()


def _time_or_none(raw) -> datetime | None:
    try:
        return parse_time(raw) if isinstance(raw, str) else None
    except (TypeError, ValueError):
        return None


def fold_remnant(store: Store) -> PauseRecord | None:
    """At two homes, a pause ended at one home (finished, left for now, planned for later) while
    the other home was still writing into it: the merge leaves a few fields of it with no pause
    around them. Words in it go to the record of the pause just ended, each partner's own, to be
    read in the log; what else it held (a time chosen there) is behind both of you now. Then the
    remnant goes, the same at both homes. Returns the record the words went to, if any."""
    table = store.table(ACTIVE)
    doc = table.get(doc_id=1)
    if not doc or ("id" in doc and "started" in doc):
        return None  # no remnant (a damaged whole pause is left alone, never overwritten)
    try:
        Pause.from_dict(copy.deepcopy(dict(doc)))
        return None  # a whole pause: nothing to fold
    except (KeyError, ValueError, TypeError, AttributeError):
        pass
    words = late_words(((doc.get("repair") or {}) if isinstance(doc.get("repair"), dict) else {}).get("answers"))
    found = _records(store)
    if not found:
        return None  # the end has not arrived yet: keep it until it does
    record = found[0]  # the pause just ended is the newest
    asked = _time_or_none(doc.get("deadline"))
    if record.status == "waiting" and asked is not None and record.revisit_at is not None \
            and asked > record.revisit_at and "phase" in doc:
        record.revisit_at = asked  # more time asked there as the talk was planned here: never sooner
        save_record(store, record)
    if words:
        late = {p: list(v) for p, v in record.late.items()}
        for p, items in words.items():
            late[p] = late.get(p, []) + [i for i in items if i not in late.get(p, [])]
        if late != record.late:
            record.late = late
            save_record(store, record)
    clear_active(store)
    return copy.deepcopy(record) if words else None


# -- records --------------------------------------------------------------------------------------
def save_record(store: Store, record: PauseRecord) -> None:
    table = _year_table(store, record.started.year)
    table.upsert(record.to_dict(), Query().id == record.id)


def finish(store: Store, pause: Pause, now: datetime, *, keep: dict[int, bool] | None = None,
           keep_note: bool = False, repair: str | None = None) -> PauseRecord:
    """The pause is over: write its record and clear the active pause, in that order. At two
    homes the record's times are on the clock of the home the pause was taken at (whichever home
    writes it), and `records` reads them on this computer's."""
    off = _to_its_home(store, pause)
    record = make_record(pause.shifted(-off), now - off, keep=keep, keep_note=keep_note, repair=repair)
    record.home = pause.home
    save_record(store, record)
    clear_active(store)
    return copy.deepcopy(record)


def postpone(store: Store, pause: Pause, now: datetime) -> PauseRecord:
    """'Revisit later': keep the pause as a waiting record; home shows it at its time."""
    theirs = pause.shifted(-_to_its_home(store, pause))  # at two homes, on the clock of the home it was taken at
    record = make_record(theirs, now - _to_its_home(store, pause), status="waiting", repair="later")
    record.home = pause.home
    me = sync_watch.this_partner(store)
    if me is not None and theirs.revisit_at is not None:
        record.revisit_asks = {me: theirs.revisit_at}  # this partner's own key: both homes' choices meet
    save_record(store, record)
    clear_active(store)
    return copy.deepcopy(record)


def _to_its_home(store: Store, pause: Pause) -> timedelta:
    """What to subtract from a time of this computer's to write it on the clock of the home the
    pause was taken at (erring later there, never sooner)."""
    from .couple_time import other_offset

    me = _my_home(store)
    if not me or not pause.home or pause.home == me:
        return timedelta(0)
    return other_offset(store, pause.home, to_there=True)


def set_aside_for(store: Store, talk: Pause, now: datetime, new_id: str) -> PauseRecord:
    """A new time-out (`new_id`) is taken during an open talk: the talk is kept whole as a
    waiting record, marked with the time-out it made way for, so taking that back restores it."""
    record = postpone(store, talk, now)
    record.pause = {**(record.pause or {}), "set_aside_for": new_id}
    save_record(store, record)
    return record


def undo(store: Store) -> None:
    """A pause started by mistake leaves no record; a talk it had set aside is open again, as it was."""
    taken = active(store)
    clear_active(store)
    if taken is None:
        return
    rec = next((r for r in _records(store, waiting_only=True)
                if set_aside(r) and r.pause.get("set_aside_for") == taken.id), None)
    if rec is None:
        return
    pause = Pause.from_dict(copy.deepcopy(rec.pause))  # as saved: on the clock of its own home
    save_active(store, pause)
    _year_table(store, rec.started.year).remove(Query().id == rec.id)


def records(store: Store, *, read_only: bool = False) -> list[PauseRecord]:
    """Every record, newest first (copies), with its times on this computer's clock, and in the
    order of those (as stored, one from a clock five hours fast came first for five hours).
    read_only (the export): the records may share the stored documents' inner parts, and each year
    is parsed from the file and let go of, not kept: copying twenty years took a fifth of an export."""
    seen: dict[str, timedelta] = {}
    found = [_on_this_clock(store, r, seen) for r in _records(store, read_only=read_only)]
    found.sort(key=lambda r: r.started, reverse=True)
    return found


def _is_waiting(doc: dict) -> bool:
    return str(doc.get("status", "done")) == "waiting" and bool(doc.get("pause"))


#: Per open store, the year tables still as in the file that were seen to hold no talk planned for
#: later (tables not read yet never change: a change makes them read). See _waiting_docs.
_NONE_WAITING: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()


def _waiting_docs(store: Store, name: str, cold: set[str]) -> list:
    """The documents of one year table that may be waiting. Home asks on every visit: a year not
    read yet is parsed once without being kept, and remembered if it holds none (ten years of
    pauses kept for that took 3 MiB at home, twenty 5 MiB). A year that holds one is read as usual."""
    if name in cold:
        seen = _NONE_WAITING.setdefault(store.storage, set())  # (unread() is empty without a storage)
        if name in seen:
            return []
        table = peek(store, name) or {}
        if not any(isinstance(doc, dict) and _is_waiting(doc) for doc in table.values()):
            seen.add(name)
            return []
    return [doc for doc in store.table(name).all() if _is_waiting(doc)]


def _records(store: Store, *, waiting_only: bool = False, read_only: bool = False) -> list[PauseRecord]:
    out: list[PauseRecord] = []
    cold = unread(store) if waiting_only else set()
    for name in _record_tables(store):
        if waiting_only:
            docs = _waiting_docs(store, name, cold)
        elif read_only:
            docs = [doc for doc in (peek(store, name) or {}).values() if isinstance(doc, dict)]
        else:
            docs = store.table(name).all()
        for doc in docs:
            try:
                out.append(PauseRecord.from_dict(doc if read_only else copy.deepcopy(dict(doc))))
            except (KeyError, ValueError, TypeError):
                continue
    out.sort(key=lambda r: r.started, reverse=True)
    return out


def waiting(store: Store) -> list[PauseRecord]:
    """Talks planned for later, soonest first. Home asks on every visit, so only the waiting
    records are copied, not ten years of finished ones."""
    seen: dict[str, timedelta] = {}
    found = [_on_this_clock(store, r, seen) for r in _records(store, waiting_only=True)]
    return sorted(found, key=lambda r: r.revisit_at or r.started)


def _waiting_offset(store: Store, record: PauseRecord, seen: dict[str, timedelta] | None = None) -> timedelta:
    """At two homes a record keeps its times on the clock of the home its pause was taken at
    (`finish`, `postpone`), as the active pause does: this is how to read them here."""
    home = record.home or ((record.pause or {}).get("home") if isinstance(record.pause, dict) else None)
    if not home:
        return timedelta(0)
    if seen is None:
        return clock_offset(store, {"home": home})
    if home not in seen:
        seen[home] = clock_offset(store, {"home": home})
    return seen[home]


def _on_this_clock(store: Store, record: PauseRecord, seen: dict[str, timedelta] | None = None) -> PauseRecord:
    """A record with its times on this computer's clock (so a time chosen after 'not yet' at the
    other home, whose clock is off, comes due here at the same moment as there, and the log says
    when a pause began by this computer's clock)."""
    offset = _waiting_offset(store, record, seen)
    if not offset:
        return record
    return replace(record, started=record.started + offset,
                   finished_at=record.finished_at + offset if record.finished_at else None,
                   revisit_at=record.revisit_at + offset if record.revisit_at else None,
                   revisit_asks={p: w + offset for p, w in record.revisit_asks.items()})


def resume_waiting(store: Store, record_id: str, now: datetime) -> Pause | None:
    """Pick a planned talk up again: it becomes the active pause, starting with a check-in."""
    rec = next((r for r in _records(store, waiting_only=True) if r.id == record_id), None)  # as saved
    if rec is None or active(store) is not None:
        return None
    offset = _waiting_offset(store, rec)
    pause = Pause.from_dict(copy.deepcopy(rec.pause)).shifted(offset)  # read here, on this clock
    pause.resume_revisit(now)
    save_active(store, pause.shifted(-offset))  # and saved on the clock of the home it was taken at
    _year_table(store, rec.started.year).remove(Query().id == rec.id)
    return pause


def stats(store: Store) -> list[MonthStats]:
    return month_stats(r for r in records(store) if r.status == "done")


# -- home and export -------------------------------------------------------------------------------
def due_items(store: Store, now: datetime) -> list[str]:
    """A pause in progress, and any talk planned for later whose time has come."""
    lines: list[str] = []
    fold_remnant(store)
    p = active(store)
    if p is not None:
        if p.phase == "countdown" and not p.time_up(now):
            lines.append(f"A pause is on. Back together {at_clock(p.deadline, now)} (press 2 or ctrl+t).")
        elif p.phase in ("countdown", "checkin"):
            lines.append("Your pause is over: time to check in (press 2 or ctrl+t).")
        elif p.phase == "more_time":
            lines.append("Your pause is waiting for a new return time (press 2 or ctrl+t).")
        else:
            lines.append(_talk_line(store, p))
    lines += _open_talk(store, p)
    for r in waiting(store):
        if r.revisit_at is None and set_aside(r) and p is None:
            about = f" about {r.topic}" if r.topic else ""
            lines.append(f"Your talk{about} after an earlier pause is kept for you (press 2, then r).")
        elif r.revisit_at is not None and now >= r.revisit_at:
            about = f" about {r.topic}" if r.topic else ""
            lines.append(f"Time to come back to your talk{about}, planned for {clock_label(r.revisit_at, now)} (press 2).")
    return lines


def set_aside(record: PauseRecord) -> bool:
    """A talk after a pause set aside when a new time-out was taken in it (ctrl+t), kept whole
    to go back to: a waiting record whose pause was in its talk."""
    return record.status == "waiting" and isinstance(record.pause, dict) and record.pause.get("phase") == "repair"


def _open_talk(store: Store, pause: Pause | None = None) -> list[str]:
    """A Talk it through left open: at one keyboard a calm line saying it waits, and how to go on
    (home said nothing of it, even with the talk after a pause listed); at two homes (begun at
    either home) whose turn it is."""
    me = sync_watch.this_partner(store)
    if me is None:
        from .talks import active_talk

        talk = active_talk(store)
        if talk is None:
            return []
        about = f" about {talk.topic}" if talk.topic else ""
        if pause is None:
            how = " (press 2, then t)"
        elif pause.phase == "repair":
            how = " (press ctrl+t, then t)"  # 2 opens the talk after the pause; ctrl+t the start screen
        else:
            how = ", for after your pause"
        return [f"Your talk{about} in Talk it through is still open{how}."]
    from .profile import load_couple
    from .talks import open_line

    couple = load_couple(store)
    line = open_line(store, me, (couple[0].name, couple[1].name)) if couple else None
    return [line] if line else []


def _talk_line(store: Store, p: Pause) -> str:
    """The talk after a pause; at two homes, whose part it waits for."""
    me = sync_watch.this_partner(store)
    if me is None or p.repair is None:
        return "Your talk after the pause is still open, to go back to when you are both ready (press 2)."
    nxt = repair_apart.what_next(p.repair, me)
    if nxt.what == "wait" and nxt.waiting is not None:
        from .profile import load_couple

        couple = load_couple(store)
        name = couple[nxt.waiting.partner].name if couple else "Your partner"
        return f"Your talk after the pause: {name}'s part has not arrived yet."
    return "Your part of the talk after the pause is waiting for you (press 2)."


STEP_TITLES = {"felt": "How I felt", "side": "How I saw it", "touched": "Why it touched a nerve",
               "part": "My part in it", "next": "Next time"}
KIND_TITLES = {"summary": "summing up", "confirm": "confirming"}


def markdown(store: Store) -> str:
    """The Pauses section of the Markdown export: the log and the kept notes."""
    from .profile import load_couple

    recs = records(store, read_only=True)
    if not recs:
        return ""
    couple = load_couple(store)

    def name(i: int) -> str:
        return couple[i].name if couple else f"Partner {i + 1}"

    lines = ["## Pauses", ""]
    for s in month_stats(r for r in recs if r.status == "done"):  # stats(), from the records read above
        lines.append(f"- {s.label}: {s.count} pause{'s' if s.count != 1 else ''}, "
                     f"back at the agreed time {s.on_time} of {s.returned}")
    lines.append("")
    for r in recs:
        when = r.started.strftime("%Y-%m-%d %H:%M")
        lines.append(f"### {when}: {name(r.caller)} asked for a pause" + (f" ({r.topic})" if r.topic else ""))
        lines.append("")
        lines.append(f"- Planned {minutes_text(r.planned_minutes)}, took {minutes_text(r.actual_minutes)}")
        if r.extensions:
            lines.append(f"- More time: {', '.join(minutes_text(m) for m in r.extensions)}")
        for i, rnd in enumerate(r.calm, 1):
            calm = ", ".join(f"{name(p)} {v}/10" for p, v in sorted(rnd.items()))
            lines.append(f"- Calm at check-in {i}: {calm}")
        talk = {"now": "right after the pause", "later": "later, at a planned time", "not yet": "not yet"}
        if r.status == "waiting":
            planned = r.revisit_at.strftime("%Y-%m-%d %H:%M") if r.revisit_at else "later"
            lines.append(f"- Talk planned for {planned}")
        else:
            lines.append(f"- Talked it through: {talk.get(r.repair, r.repair)}")
        for p, notes in sorted(r.notes.items()):
            lines.append(f"- {name(p)}'s notes:")
            for n in notes:
                title = STEP_TITLES.get(n["step"], n["step"])
                kind = KIND_TITLES.get(n["kind"], "")
                label = f"{title}{' (' + kind + ')' if kind else ''}"
                parts = []
                if n.get("feelings"):
                    parts.append(", ".join(n["feelings"]))
                if n.get("confirmed") is True:
                    parts.append("yes, that's it")
                if n.get("text"):
                    parts.append(" ".join(str(n["text"]).split()))
                if n.get("apology"):
                    parts.append("Sorry: " + " ".join(str(n["apology"]).split()))
                lines.append(f"  - {label}: {' · '.join(parts)}")
        for p, note in sorted(r.private_notes.items()):
            lines.append(f"- {name(p)}'s own note: {' '.join(note.split())}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


__all__ = [
    "active", "save_active", "clear_active", "fold_remnant", "finish", "postpone", "set_aside", "set_aside_for",
    "undo", "records", "waiting",
    "resume_waiting", "stats", "due_items", "markdown",
]
