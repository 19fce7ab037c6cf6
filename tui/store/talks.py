"""Talk it through and the dream behind a conflict, in the database.

The talk or dream in progress is one document (tables `talk_active`, `dream_active`), written after
every step, so a restart picks it up where it was. A finished talk leaves a record in `talks` only
if someone chose to keep their words; a dream leaves its trial arrangement as a draft agreement.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any, Callable, TypeVar

from tinydb import Query
from tinydb.table import Document

from ..core.clock import UNKNOWN_TIME, read_time, stamp
from ..core.dream import Dream
from ..core.talk import Talk, begun_by
from .couple_time import home_of, on_this_clock
from .database import Store
from .drafts import DRAFTS, clear_draft, drafts_with_prefix, load_draft, save_draft

TALK_ACTIVE = "talk_active"
DREAM_ACTIVE = "dream_active"
TALKS = "talks"
#: At two homes: what this partner was writing when a talk stopped, offered back next time.
ASIDE = "talk:aside"
#: At two homes: the talk as this computer last wrote or saw it. It stays home (it does not
#: travel), so words written here in a talk that a merge replaced are still found (see `keep_lost`).
HERE = "talk_here"

T = TypeVar("T")


def _active(store: Store, table: str, reader: Callable[[dict[str, Any]], T]) -> T | None:
    doc = store.table(table).get(doc_id=1)
    if not doc:
        return None
    try:
        return reader(copy.deepcopy(dict(doc)))
    except (KeyError, ValueError, TypeError, AttributeError):
        return None  # an unreadable leftover must never block the app


def _save_active(store: Store, table_name: str, data: dict[str, Any]) -> None:
    table = store.table(table_name)
    if table.contains(doc_id=1):
        table.update(data, doc_ids=[1])  # every key is always written
    else:
        table.insert(Document(data, doc_id=1))


def _forget_drafts(store: Store, prefix: str) -> None:
    store.table(DRAFTS).remove(Query().key.test(lambda k: isinstance(k, str) and k.startswith(prefix)))


# -- talk it through ---------------------------------------------------------------------------------
def active_talk(store: Store) -> Talk | None:
    return _active(store, TALK_ACTIVE, Talk.from_dict)


def save_talk(store: Store, talk: Talk) -> None:
    _save_active(store, TALK_ACTIVE, talk.to_dict())
    if _me(store) is not None:
        _save_active(store, HERE, talk.to_dict())


def _me(store: Store) -> int | None:
    from .sync_watch import this_partner

    return this_partner(store)


def end_talk(store: Store, talk: Talk, *, keep: dict[int, bool], keep_ideas: bool = False,
             keep_unsent: bool = False) -> dict[str, Any] | None:
    """The talk is over: keep what was chosen (nothing else), then forget the talk and its drafts
    (at two homes, `keep_unsent` first sets aside what was being written when it stopped)."""
    record = talk.kept(keep, keep_ideas)
    if record is not None:
        store.table(TALKS).upsert(record, Query().id == talk.id)
    store.table(TALK_ACTIVE).truncate()
    store.table(HERE).truncate()
    if keep_unsent:
        set_aside(store, talk.id)
    _forget_drafts(store, f"talk:{talk.id}:")
    return record


def _put_in_box(store: Store, winner: Talk | None, me: int, words: list[str]) -> str:
    """`words` wait in `me`'s box for their next turn to speak in `winner` (or, in a together step
    or with no talk open, are set aside to be offered back), after anything already there. A piece
    already there is not added again, and one that grew since (typed on after it was kept) takes
    its place: each word is kept once. Returns what was added."""
    key = (winner.next_speak_key(me) if winner is not None else None) or ASIDE
    before = load_draft(store, key) or ""
    parts = [p for p in before.split("\n\n") if p.strip()]
    added: list[str] = []
    for w in (w.strip() for w in words):
        if not w or any(w == p.strip() for p in parts) or ("\n\n" in w and w in before):
            continue
        grown = next((i for i, p in enumerate(parts) if w.startswith(p.strip())), None)
        if grown is not None:
            parts[grown] = w
        else:
            parts.append(w)
        added.append(w)
    if added:
        save_draft(store, key, "\n\n".join(parts))
    return "\n\n".join(added)


def _said(entry: Any) -> tuple[str, int, str]:
    return (entry.kind, entry.round, entry.text.strip())


def keep_lost(store: Store) -> str:
    """At two homes, after a merge (or whenever the talk is read): words this partner wrote in a
    talk that is no longer the open one, and not by their own choice, are kept. That is a talk
    begun here at the same moment as one at the other home, which the merge replaced (the same
    winner at both homes), and drafts typed in it. They wait in this partner's box for their
    next turn to speak in the one talk, or are set aside. A talk that ended after this partner
    chose what to keep brings nothing back. Safe to call any number of times: each word is
    kept once. Returns the words kept this time."""
    me = _me(store)
    if me is None:
        return ""
    here = _active(store, HERE, Talk.from_dict)
    now = active_talk(store)
    said: list[Any] = []
    if here is not None and me not in here.keeps:
        if now is None or now.id != here.id:
            said = [e for e in here.entries if e.partner == me]
        else:  # the same talk, but something written here is not in it (a mix of two starts)
            there = {_said(e) for e in now.entries}
            said = [e for e in here.entries if e.partner == me and _said(e) not in there]
    open_id = now.id if now is not None else None
    strays = {k: t for k, t in drafts_with_prefix(store, "talk:").items()
              if k != ASIDE and k.count(":") >= 2 and k.split(":")[1] != open_id}
    typed = [t.strip() for _, t in sorted(strays.items()) if isinstance(t, str) and t.strip()]
    pieces = [e.text.strip() for e in said if e.text.strip()]
    words = _put_in_box(store, now, me, pieces + [t for t in typed if t not in pieces])
    for key in strays:
        clear_draft(store, key)
    if now is None:
        store.table(HERE).truncate()
    elif here is None or here.to_dict() != now.to_dict() or words:
        note = bool(words) or bool((store.table(HERE).get(doc_id=1) or {}).get("folded"))
        _save_active(store, HERE, {**now.to_dict(), "folded": note})
    return words


def take_fold_note(store: Store) -> bool:
    """Whether words were kept by `keep_lost` since the Talk screen last said so (then forgotten),
    so the screen can say where they wait even when the merge did it on another screen."""
    doc = store.table(HERE).get(doc_id=1)
    if not doc or not doc.get("folded"):
        return False
    store.table(HERE).update({"folded": False}, doc_ids=[1])
    return True


def open_line(store: Store, me: int, names: tuple[str, str]) -> str | None:
    """At two homes, home's line for a talk that is open: whose turn it is."""
    talk = active_talk(store)
    if talk is None:
        return None
    return f"A talk is open: {talk.whose_turn(me, names)} (press 2, then t)."


def unsent(store: Store, talk_id: str) -> list[str]:
    """What was typed in this talk and never sent (the talk moved on or stopped at the other
    home meanwhile), oldest turn first."""
    found = drafts_with_prefix(store, f"talk:{talk_id}:")
    return [t.strip() for _, t in sorted(found.items()) if isinstance(t, str) and t.strip()]


def set_aside(store: Store, talk_id: str) -> None:
    """Keep this talk's unsent words in one draft of their own, to be offered back next time
    (added to any already set aside, never over them); the talk's drafts themselves then go."""
    words = unsent(store, talk_id)
    if words:
        before = aside(store)
        save_draft(store, ASIDE, "\n\n".join(([before] if before else []) + words))
    _forget_drafts(store, f"talk:{talk_id}:")


def aside(store: Store) -> str | None:
    """The words set aside from an earlier talk, if any."""
    text = load_draft(store, ASIDE)
    return text if text and text.strip() else None


def let_aside_go(store: Store) -> None:
    clear_draft(store, ASIDE)


def started_here(store: Store, doc: dict[str, Any], seen: dict[int | None, timedelta] | None = None) -> datetime:
    """When a kept talk began, on this computer's clock (UNKNOWN_TIME if unreadable).

    Corrected at display, not at arrival: the record keeps `started` as the computer that began
    the talk wrote it (its id says whose, `begun_by`), and it is put right here by the offset
    seen to that computer (tui.store.couple_time), so a better offset found later corrects it too
    and both homes keep the same record. `seen`: offsets already looked up, by partner."""
    when = read_time(doc.get("started"))
    if when == UNKNOWN_TIME:
        return when
    partner = begun_by(doc.get("id"))
    if seen is None or partner not in seen:
        offset = on_this_clock(store, when, home_of(store, partner)) - when
        if seen is None:
            return when + offset
        seen[partner] = offset
    return when + seen[partner]


def kept_talks(store: Store) -> list[dict[str, Any]]:
    """The kept talks, newest first (copies), each with `started` read on this computer's clock
    and in its time zone (`started_here`), in order of when they really began: sorted by the
    stored text, a talk begun in Tokyo sorted before one begun in Berlin hours earlier, and one
    begun on a clock five hours fast came before those begun in the five hours after it."""
    zone = store.clock.now().tzinfo
    seen: dict[int | None, timedelta] = {}
    out: list[tuple[datetime, dict[str, Any]]] = []
    for d in store.table(TALKS).all():
        if not isinstance(d.get("entries"), list):
            continue
        doc = copy.deepcopy(dict(d))
        when = started_here(store, doc, seen)
        if when != UNKNOWN_TIME:
            doc["started"] = stamp(when.astimezone(zone))
        out.append((when, doc))
    out.sort(key=lambda pair: pair[0], reverse=True)
    return [doc for _, doc in out]


ENTRY_TITLES = {"speak": "said", "correct": "added", "mirror": "heard", "validate": "understood",
                "ideas": "Ideas we wrote together"}


def entry_label(kind: str, name: str) -> str:
    """'Ana said', 'Sam heard'... for the kept talks and the export."""
    title = ENTRY_TITLES.get(kind, kind)
    return title if kind == "ideas" else f"{name} {title}"


def markdown(store: Store) -> str:
    """The Talks section of the Markdown export: only what was chosen to be kept."""
    from .profile import load_couple

    kept = kept_talks(store)
    if not kept:
        return ""
    couple = load_couple(store)
    lines = ["## Talks you kept", ""]
    for talk in kept:
        lines += [f"### {str(talk.get('started', ''))[:16].replace('T', ' ')}"
                  + (f": {talk['topic']}" if talk.get("topic") else ""), ""]
        for e in talk["entries"]:
            p = e.get("partner")
            name = couple[p].name if couple and p in (0, 1) else "One of you"
            text = " ".join(str(e.get("text", "")).split())
            feeling = f" (I imagine you feel {e['feeling']})" if e.get("feeling") else ""
            lines.append(f"- {entry_label(str(e.get('kind')), name)}: {text}{feeling}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# -- the dream behind a conflict -----------------------------------------------------------------------
def active_dream(store: Store) -> Dream | None:
    return _active(store, DREAM_ACTIVE, Dream.from_dict)


def save_dream(store: Store, dream: Dream) -> None:
    _save_active(store, DREAM_ACTIVE, dream.to_dict())


def end_dream(store: Store, dream: Dream) -> None:
    """The dream talk is over: its notes are not kept (the arrangement lives on as an agreement)."""
    store.table(DREAM_ACTIVE).truncate()
    _forget_drafts(store, f"dream:{dream.id}:")


__all__ = ["active_talk", "save_talk", "end_talk", "unsent", "set_aside", "aside", "let_aside_go",
           "open_line", "keep_lost", "take_fold_note", "kept_talks", "active_dream", "save_dream", "end_dream"]
