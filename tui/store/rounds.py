"""Question rounds in the database: the rounds themselves (sharded by year), which round is
still open, when each card was last met (for the repeat window and then-and-now), and stars.

Tables:
- ``rounds_<year>``: one document per round (`RoundState.to_dict()`); its id is "<year>-<doc_id>".
- ``round_meta``: document 1 holds the next round number and the id of the round left open.
- ``card_usage``: one small document per card ever met: its rounds (read in tui/store/card_usage.py).
- ``card_stars``: one document per starred card, with its text kept for when a deck changes.
"""

from __future__ import annotations

import copy
import unicodedata
import weakref
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterator

from tinydb import Query
from tinydb.table import Document

from ..core.clock import parse_time, read_time, stamp
from ..core.rounds import MODES, Choices, RoundState, RoundSummary, ago, find_folded, fold, stored_mode, when_label
from . import card_usage
from .card_usage import USAGE
from .database import Store
from .drafts import clear_draft, drafts_with_prefix
from .profile import load_couple, set_setting, setting
from .raw_search import doc_places, may_hold, raw_line
from .storage import loads, share_values_of

PREFIX = "rounds_"
META = "round_meta"
STARS = "card_stars"
CHOICES_SETTING = "round_choices"


# -- ids and shards ----------------------------------------------------------------------------------

def _shard(year: int) -> str:
    return f"{PREFIX}{year}"


def _split(round_id: str) -> tuple[int, int] | None:
    year, _, doc = str(round_id).partition("-")
    if not (year.isdigit() and doc.isdigit()):
        return None
    return int(year), int(doc)


def _shards(store: Store) -> list[str]:
    """Every year's round table, newest year first."""
    names = [n for n in store.db.tables() if n.startswith(PREFIX) and n[len(PREFIX):].isdigit()]
    return sorted(names, reverse=True)


def _meta(store: Store) -> dict[str, Any]:
    return dict(store.table(META).get(doc_id=1) or {})


def _put_meta(store: Store, **fields: Any) -> None:
    table = store.table(META)
    if table.contains(doc_id=1):
        table.update(fields, doc_ids=[1])
    else:
        table.insert(Document(fields, doc_id=1))


def draft_key(round_id: str, index: int, partner: int, what: str = "answer") -> str:
    """Drafts name the round, the card and the partner, so a private draft only returns to its writer."""
    if what == "note":
        return f"round:{round_id}:card:{index}:note:p{partner}"
    return f"round:{round_id}:card:{index}:p{partner}"


def clear_card_drafts(store: Store, round_id: str, index: int) -> None:
    for key in drafts_with_prefix(store, f"round:{round_id}:card:{index}:"):
        clear_draft(store, key)


# -- values shared in memory --------------------------------------------------------------------------

SHARED_UP_TO = 200
"""Strings this long or shorter are shared (ids, keys, times, card texts); longer ones are answers."""

#: each open store's storage → the tables whose values are shared already
_shared: "weakref.WeakKeyDictionary[Any, set[str]]" = weakref.WeakKeyDictionary()


def _share_repeats(store: Store, name: str) -> None:
    """Once a session, when a table a round uses has been read whole into memory (the round's
    year; the card history, when something needs all of it): its repeated values made one object
    each. The parser makes a new string for every value, so each round id in the card history
    (one per card met: 17,000 at ten years) and each card's key, text, status and time in a year of
    rounds was its own copy; shared, the card history took 2.4 MiB instead of 3.5 at ten years.
    Only equal values are swapped for one another, in place: what is saved and synced is unchanged."""
    loaded = getattr(store.storage.read(), "loaded", None)
    if loaded is None:
        return
    try:
        done = _shared.setdefault(store.storage, set())
    except TypeError:  # not something a weak reference can follow: nothing is kept about it
        return
    with store.storage.mutex:
        table = loaded.get(name)
        if table is None or name in done:
            return
        done.add(name)
        if name in getattr(store.storage.read(), "compacted", ()):
            return  # shared as it was read (_compactor)
        strings: dict[str, str] = {}
        ints: dict[int, int] = {}
        for doc in list(table.values()):
            _share_in(doc, strings, ints)
        if name == USAGE:
            _share_uses(table)


def _share_uses(table: dict[str, Any]) -> None:
    """The card history's uses, each [round id, number] pair one list for every card met in that
    round (twelve cards a round: twelve equal lists were 1.5 MiB of the 3.5 at ten years). These
    lists are never changed in place: a change to a card's uses makes a new list of them."""
    pairs: dict[tuple[Any, Any], list[Any]] = {}
    for doc in list(table.values()):
        _share_doc_uses(doc, pairs)


def _share_doc_uses(doc: Any, pairs: dict[tuple[Any, Any], list[Any]]) -> None:
    uses = doc.get("uses") if isinstance(doc, dict) else None
    if not isinstance(uses, list):
        return
    for i, use in enumerate(uses):
        if type(use) is list and len(use) == 2 and type(use[0]) is str and type(use[1]) is int:
            uses[i] = pairs.setdefault((use[0], use[1]), use)


def _compactor(usage: bool) -> Callable[[Any], None]:
    """What the store passes each document of the card history or of a year of rounds through as
    it reads them (tui.store.storage.share_values_of): _share_repeats, a document at a time, so
    that the repeated values are never all held at once."""
    strings: dict[str, str] = {}
    ints: dict[int, int] = {}
    pairs: dict[tuple[Any, Any], list[Any]] = {}

    def compact(doc: Any) -> None:
        if isinstance(doc, dict):
            _share_in(doc, strings, ints)
            if usage:
                _share_doc_uses(doc, pairs)

    return compact


share_values_of(lambda name: name == USAGE, lambda: _compactor(True))
share_values_of(lambda name: name.startswith(PREFIX) and name[len(PREFIX):].isdigit(), lambda: _compactor(False))


def _share_in(value: Any, strings: dict[str, str], ints: dict[int, int]) -> None:
    """Equal strings and ints inside `value` (a dict or a list) made one object each (bools, which
    equal 0 and 1, and floats are left as they are)."""
    stack = [value]
    while stack:
        here = stack.pop()
        items = here.items() if isinstance(here, dict) else enumerate(here)
        for k, v in list(items):
            kind = type(v)
            if kind is str:
                if len(v) <= SHARED_UP_TO:
                    here[k] = strings.setdefault(v, v)
            elif kind is int:
                here[k] = ints.setdefault(v, v)
            elif kind is dict or kind is list:
                stack.append(v)


# -- rounds ----------------------------------------------------------------------------------------

def next_seq(store: Store) -> int:
    """The number the next round will get (rounds are counted for the repeat window)."""
    return int(_meta(store).get("next_seq", 1))


def start_round(store: Store, state: RoundState) -> RoundState:
    """Save a new round, give it its number and id, and remember it as the open round."""
    seq = next_seq(store)
    year = state.started.year
    table = store.table(_shard(year))
    state.seq = seq
    doc_id = table.insert({})
    state.id = f"{year}-{doc_id}"
    table.update(state.to_dict(), doc_ids=[doc_id])
    _share_repeats(store, _shard(year))
    # a round played apart is not this computer's open round: both homes find it by its flag
    # (tui/store/apart_rounds.py), and starting another round here never sets it aside
    _put_meta(store, next_seq=seq + 1, **({} if state.apart else {"open": state.id}))
    return copy.deepcopy(state)


def save_round(store: Store, state: RoundState) -> None:
    """Write the round as it stands (called the moment anything is submitted)."""
    where = _split(state.id)
    if where is None:
        raise ValueError(f"round {state.id!r} was never started")
    year, doc_id = where
    table = store.table(_shard(year))
    if not table.contains(doc_id=doc_id):
        return  # deleted meanwhile (from History): nothing to update
    table.update(state.to_dict(), doc_ids=[doc_id])
    _share_repeats(store, _shard(year))  # a round resumed after a restart reads its year here
    _record_usage(store, state)


def end_round(store: Store, state: RoundState, now: datetime) -> None:
    """The round is over (with a summary): keep it, and it is no longer the open one."""
    state.status = "done"
    state.ended = now
    save_round(store, state)
    if _meta(store).get("open") == state.id:
        _put_meta(store, open=None)


def open_round(store: Store) -> RoundState | None:
    """The round left unfinished (quit, crash, or 'later'), to resume at its card and turn."""
    round_id = _meta(store).get("open")
    if not round_id:
        return None
    state = get_round(store, round_id)
    if state is None or state.status != "open":
        return None
    return state


def set_aside_open(store: Store, now: datetime) -> None:
    """Starting a new round instead of resuming: the old one keeps what was answered in History;
    one with nothing in it at all is simply removed."""
    state = open_round(store)
    _put_meta(store, open=None)
    if state is None:
        return
    touched = any(c.status in ("done", "passed") or c.answers or c.notes for c in state.cards)
    if not touched:
        delete_round(store, state.id)
        return
    state.status = "left"
    state.ended = now
    save_round(store, state)


def get_round(store: Store, round_id: str) -> RoundState | None:
    where = _split(round_id)
    if where is None:
        return None
    year, doc_id = where
    if _shard(year) not in store.db.tables():
        return None
    # one document, without reading its year into memory (earlier answers look back years)
    doc = store.storage.peek_doc(_shard(year), str(doc_id))
    if not doc or "started" not in doc:
        return None
    try:
        return _state(doc, f"{year}-{doc_id}")
    except BAD_FIELD:
        return None  # a damaged round: History leaves it out and says so


def _state(doc: dict[str, Any], round_id: str) -> RoundState:
    """A RoundState that shares nothing mutable with the stored document: from_dict builds new
    lists, dicts and tuples throughout (a deep copy first made History take 0.3 s at ten years)."""
    state = RoundState.from_dict(doc)
    state.id = round_id
    return state


def _docs(store: Store) -> list[tuple[str, dict[str, Any]]]:
    """Every stored round as (id, document), in no particular order."""
    return [item for year in _years(store) for item in year]


def _years(store: Store, *, newest_first: bool = True) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Each year's rounds as (id, document), newest year first, read from the file and let go of
    when the next year is asked for (unless the year is in memory already). The documents are the
    stored ones: read them, never change them. A year is parsed as a whole (one C call, 10-20 ms
    at three rounds a week), so a worker thread reading them leaves the screen free in between."""
    for name in _shards(store) if newest_first else reversed(_shards(store)):
        # nothing of the year stays in this frame while the caller has it: a local here kept each
        # year alive until the next one was parsed, two years at once at the peak
        yield _year_docs(store, name)


def _year_docs(store: Store, name: str) -> list[tuple[str, dict[str, Any]]]:
    year = name[len(PREFIX):]
    table = store.storage.peek(name) or {}
    return [(f"{year}-{doc_id}", doc) for doc_id, doc in list(table.items())
            if isinstance(doc, dict) and "started" in doc]


def _line_docs(store: Store, name: str, raw: bytes) -> list[tuple[str, dict[str, Any]]]:
    """_year_docs() from the line already read (checked and opened): parsed once, not read again."""
    try:
        table = loads(raw)
    except (ValueError, RecursionError):
        table = None
    if not isinstance(table, dict):
        return _year_docs(store, name)  # the store's own reading names what is wrong, and where
    year = name[len(PREFIX):]
    return [(f"{year}-{doc_id}", doc) for doc_id, doc in table.items() if isinstance(doc, dict) and "started" in doc]


def recent_docs(store: Store, years: int = 2) -> Iterator[tuple[str, dict[str, Any]]]:
    """The stored rounds of the newest `years` years as (id, document): read them, never change them."""
    for i, year in enumerate(_years(store)):
        if i >= years:
            return
        yield from year


def _when(doc: dict[str, Any]) -> tuple[datetime, int]:
    """The order rounds are listed in (newest last), read straight from a stored round."""
    return read_time(doc["started"]), _seq(doc)


def _seq(doc: dict[str, Any]) -> int:
    try:
        return int(doc.get("seq", 0))
    except (TypeError, ValueError):
        return 0


#: What reading one stored document can raise when a field is damaged or hand-edited.
BAD_FIELD = (KeyError, TypeError, ValueError, AttributeError, OverflowError)


def _readable(convert: Callable[[Document, str], Any], docs: list[tuple[str, Document]],
              left_out: list[str] | None) -> list[Any]:
    """Each document converted; one whose fields cannot be read is left out (and its id noted),
    so one bad field never keeps History from opening."""
    found = []
    for round_id, doc in docs:
        try:
            found.append(convert(doc, round_id))
        except BAD_FIELD:
            if left_out is not None:
                left_out.append(round_id)
    return found


def list_rounds(store: Store, left_out: list[str] | None = None) -> list[RoundState]:
    """Every round, newest first."""
    found = _readable(_state, _docs(store), left_out)
    found.sort(key=lambda s: (s.started, s.seq), reverse=True)
    return found


def round_summaries(store: Store, left_out: list[str] | None = None) -> list[RoundSummary]:
    """A line's worth about every round, newest first, without building their cards. A stored
    time that cannot be read shows as 'date unknown'; a round that cannot be read at all is left
    out, its id added to `left_out`."""
    return [summary for year in summaries_by_year(store, left_out) for summary in year]


def summaries_by_year(store: Store, left_out: list[str] | None = None) -> Iterator[list[RoundSummary]]:
    """round_summaries(), a year at a time, newest first: History lists the newest page at once
    and counts the older years after (reading twenty years took 0.7-0.8 s)."""
    for year in _years(store):
        found = _readable(RoundSummary.from_dict, year, left_out)
        del year
        found.sort(key=lambda s: (s.started, s.seq), reverse=True)
        yield found


def delete_round(store: Store, round_id: str) -> bool:
    """Remove a round for good, and forget that its cards were met in it."""
    where = _split(round_id)
    if where is None:
        return False
    year, doc_id = where
    if _shard(year) not in store.db.tables():
        return False
    table = store.table(_shard(year))
    if not table.contains(doc_id=doc_id):
        return False
    table.remove(doc_ids=[doc_id])
    usage = store.table(USAGE)
    for doc in usage.all():
        uses = [u for u in doc.get("uses", []) if u[0] != round_id]
        if len(uses) == len(doc.get("uses", [])):
            continue
        if uses:
            usage.update({"uses": uses, "last_seq": max(u[1] for u in uses)}, doc_ids=[doc.doc_id])
        else:
            usage.remove(doc_ids=[doc.doc_id])
    if _meta(store).get("open") == round_id:
        _put_meta(store, open=None)
    for key in drafts_with_prefix(store, f"round:{round_id}:"):
        clear_draft(store, key)
    return True


# -- card usage: the repeat window and then-and-now ------------------------------------------------

def _record_usage(store: Store, state: RoundState) -> None:
    """Each card done or passed in the round joins the card history once (tui/store/card_usage.py).
    A save with no such card (most answers of a round played apart) never reads the history."""
    met = [card.key for card in state.cards if card.status in ("done", "passed")]
    if met:
        card_usage.record(store, state.id, state.seq, met)


def usage(store: Store) -> dict[str, int]:
    """Card key → the number of the last round it was met in."""
    return card_usage.last_seqs(store)


def last_answered(store: Store) -> dict[str, datetime]:
    """Card key -> when it was last met, for cards answered (done) that last time: what "then and
    now" may bring back. Read straight from the stored rounds, a document at a time (a year of
    rounds parsed whole was 2-3 MiB at once, at the start of a round; twenty years at once would
    be 60 MiB), and none of it kept."""
    last: dict[str, tuple[datetime, bool]] = {}

    def add(acc: dict[str, tuple[datetime, bool]], _doc_id: str, doc: dict[str, Any]) -> None:
        if isinstance(doc, dict) and "started" in doc:
            _note_last_met(doc, acc)

    for name in _shards(store):
        # the same dict each time: a year read again from its start (each_doc) notes the same again
        store.storage.each_doc(name, lambda: last, add)
    return {key: when for key, (when, answered) in last.items() if answered}


def _note_last_met(doc: dict[str, Any], last: dict[str, tuple[datetime, bool]]) -> None:
    """Into `last`: card key -> (when it was last met, whether answered then), from one round."""
    started = parse_time(doc["started"])
    cards = doc.get("cards")
    for card in cards if isinstance(cards, list) else ():
        if not isinstance(card, dict) or card.get("status") not in ("done", "passed"):
            continue
        key = card.get("key")
        if not isinstance(key, str):
            continue
        try:
            when = parse_time(card["done_at"]) if card.get("done_at") else started
        except (TypeError, ValueError):
            when = started
        if key not in last or when > last[key][0]:
            last[key] = (when, card.get("status") == "done")


@dataclass(frozen=True)
class Earlier:
    """One earlier time a card was answered: for 'then and now'."""

    round_id: str
    when: datetime
    mode: str
    leader: int
    answers: dict[int, str]
    notes: dict[int, str]
    closeness: str | None

    def ago(self, now: datetime) -> str:
        return ago(self.when, now)


def earlier_answers(store: Store, key: str, *, exclude: str = "", limit: int = 3) -> list[Earlier]:
    """The most recent earlier answers to this card, newest first (passed cards are left out).

    Rounds are read newest first (by their number) and only until `limit` answers are found: a card
    met in each of ten years would otherwise read every year's rounds into memory to show three."""
    found: list[Earlier] = []
    uses = sorted(card_usage.uses_of(store, key), key=lambda use: use[1], reverse=True)
    for round_id, _seq in uses:
        if len(found) >= limit:
            break
        if round_id == exclude:
            continue
        state = get_round(store, round_id)
        if state is None:
            continue
        for card in state.cards:
            if card.key == key and card.status == "done" and (card.answers or card.notes):
                found.append(Earlier(state.id, card.done_at or state.started, state.mode, card.leader,
                                     dict(card.answers), dict(card.notes), card.closeness))
    found.sort(key=lambda e: e.when, reverse=True)
    return found[:limit]


# -- stars -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Star:
    key: str
    text: str
    deck: str
    at: datetime


def is_starred(store: Store, key: str) -> bool:
    return store.table(STARS).contains(Query().key == key)


def toggle_star(store: Store, key: str, text: str, deck: str, now: datetime) -> bool:
    """Star or unstar a card; returns whether it is starred now."""
    table = store.table(STARS)
    if table.contains(Query().key == key):
        table.remove(Query().key == key)
        return False
    table.insert({"key": key, "text": text, "deck": deck, "at": stamp(now)})
    return True


def starred(store: Store) -> list[Star]:
    """Starred cards, most recently starred first."""
    stars = [Star(str(d["key"]), str(d.get("text", "")), str(d.get("deck", "")), read_time(d["at"]))
             for d in store.table(STARS).all() if "key" in d and "at" in d]
    return sorted(stars, key=lambda s: s.at, reverse=True)


# -- search ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hit:
    """A place where the searched words appear."""

    round_id: str
    when: datetime
    mode: str
    card_index: int
    card_text: str
    what: str  # "answer", "guess", "note" or "card"
    partner: int | None
    text: str


def search(store: Store, words: str, limit: int = 200, hidden: frozenset[str] | set[str] = frozenset()) -> list[Hit]:
    """Rounds whose answers, notes or cards contain `words` (any case, any Unicode form), newest first.

    Cards of the decks in `hidden` (opt-in decks not turned on) stay out of the results; their
    answers stay stored."""
    hits: list[Hit] = []
    for found in search_by_year(store, words, limit, hidden):
        hits.extend(found)
    return hits


FIRST_HITS = 30
"""search_by_year hands these on as soon as they are found, the rest of the year after."""


def search_by_year(store: Store, words: str, limit: int = 200,
                   hidden: frozenset[str] | set[str] = frozenset(),
                   order: dict[str, list[str]] | None = None) -> Iterator[list[Hit]]:
    """search(), a year at a time (newest first), so that a screen can show the first hits while
    older years are still being read, and stop when the words change. At most `limit` hits.

    A year whose line cannot hold the words is never parsed (tui/store/raw_search.py). `order`
    (History's index: each year's document ids, newest first, read from the same lines) lets a
    year's rounds be read one at a time, newest first, each only if its own bytes can hold the
    words; the first FIRST_HITS of the search are then handed on before the year is done."""
    needle = fold(" ".join(words.split()))  # NFC and case-folded, as the texts are (tui.core.rounds.fold)
    if not needle:
        return
    left = limit
    early = FIRST_HITS
    for name in _shards(store):
        raw = raw_line(store, name)
        if raw is not None and not may_hold(raw, needle):
            del raw
            yield []
            continue
        ids = (order or {}).get(name) if raw is not None else None
        places = doc_places((len(raw), zlib.crc32(raw)), raw) if ids is not None else None
        if places is not None:
            year = name[len(PREFIX):]
            docs: Iterator[tuple[str, dict[str, Any]]] = _docs_newest_first(raw, year, ids, places, needle)
        else:
            docs = iter(sorted(_year_docs(store, name) if raw is None else _line_docs(store, name, raw),
                               key=lambda item: _when(item[1]), reverse=True))
        del raw
        hits: list[Hit] = []
        handed = 0
        for round_id, doc in docs:
            if not _mentions(doc, needle):
                continue  # a round is built only if it holds the words, and only until the limit
            try:
                hits.extend(_hits(_state(doc, round_id), needle, hidden))
            except BAD_FIELD:
                continue  # a damaged round: History's list says so; search simply leaves it out
            if len(hits) >= left:
                yield hits[handed:left]
                return
            if early and len(hits) >= early:
                yield hits[handed:]
                handed, early = len(hits), 0
        del docs
        left -= len(hits)
        yield hits[handed:]


def _docs_newest_first(raw: bytes, year: str, ids: list[str], places: dict[str, tuple[int, int]],
                       needle: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """The rounds of a year's line in `ids` order, each parsed alone and only if its bytes can
    hold `needle`; rounds not in `ids` (not in the index: left out of the list) come last."""
    listed = set(ids)
    for doc_id in [*ids, *(i for i in places if i not in listed)]:
        where = places.get(doc_id)
        if where is None:
            continue
        piece = raw[where[0]:where[0] + where[1]]
        if not may_hold(piece, needle):
            continue
        doc = loads(piece)
        if isinstance(doc, dict) and "started" in doc:
            yield f"{year}-{doc_id}", doc


def _hits(state: RoundState, needle: str, hidden: frozenset[str] | set[str]) -> list[Hit]:
    hits: list[Hit] = []
    for i, card in enumerate(state.cards):
        if card.status != "done" or card.key.partition("/")[0] in hidden:
            continue  # unrevealed or passed words, and hidden decks, stay out of sight
        for partner, text in sorted(card.answers.items()):
            if needle in fold(text):
                what = "guess" if state.mode == "knowme" and partner == card.guesser else "answer"
                hits.append(Hit(state.id, state.started, state.mode, i, card.text, what, partner, text))
        for partner, text in sorted(card.notes.items()):
            if needle in fold(text):
                hits.append(Hit(state.id, state.started, state.mode, i, card.text, "note", partner, text))
        if needle in fold(card.text):
            hits.append(Hit(state.id, state.started, state.mode, i, card.text, "card", None, card.text))
    return hits


def _mentions(doc: dict[str, Any], needle: str) -> bool:
    """Whether any card text, answer or note of a stored round holds `needle` (folded: NFC and case-folded)."""
    cards = doc.get("cards")
    for card in cards if isinstance(cards, list) else ():
        if not isinstance(card, dict):
            continue
        texts = [card.get("text", "")]
        for field in ("answers", "notes"):
            found = card.get(field)
            if isinstance(found, dict):
                texts.extend(found.values())
        if any(needle in fold(str(t)) for t in texts):
            return True
    return False


def snippet(text: str, words: str, width: int = 60) -> str:
    """A short piece of `text` around the first match, on one line."""
    flat = unicodedata.normalize("NFC", " ".join(text.split()))
    if flat.isascii():  # folding plain ASCII is lower-casing, and keeps every index where it was
        at = flat.lower().find(fold(" ".join(words.split()))) if words.strip() else -1
    else:
        at = find_folded(flat, words)
    if at < 0 or len(flat) <= width:
        return flat[:width] + ("…" if len(flat) > width else "")
    start = max(0, at - width // 3)
    piece = flat[start:start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")


# -- remembered choices --------------------------------------------------------------------------------

def last_choices(store: Store) -> Choices:
    return Choices.from_dict(setting(store, CHOICES_SETTING, {}))


def remember_choices(store: Store, choices: Choices) -> None:
    set_setting(store, CHOICES_SETTING, choices.to_dict())


def repeat_window(store: Store) -> int:
    raw = setting(store, "repeat_window", 20)
    try:
        return max(0, int(raw))
    except (TypeError, ValueError):
        return 20


# -- home and export ------------------------------------------------------------------------------------

def due_items(store: Store, now: datetime) -> list[str]:
    """One line when a round was left unfinished."""
    state = open_round(store)
    if state is None or not state.cards or state.apart:  # apart: tui.store.apart_rounds.waiting_lines
        return []
    return [f"Resume the round you left ({MODES[state.mode]}, card {state.card_number} of {len(state.cards)}): press 1."]


def markdown(store: Store) -> str:
    """'## Question rounds': every round with its cards and answers."""
    return "".join(markdown_parts(store))


def markdown_parts(store: Store) -> Iterator[str]:
    """markdown() in pieces, a year of rounds at a time (oldest first), so that an export of twenty
    years is written as it is made instead of being held whole, with every round, in memory. The
    lines are read straight from the stored documents (only what they show, with from_dict's
    readings): building each round's RoundState first was half of a Markdown export's time."""
    couple = load_couple(store)
    begun = False
    for year in _years(store, newest_first=False):
        # newest first by (start, number), then by start alone: rounds begun at the same moment
        # stay in the first order, as the export has always listed them
        rounds = sorted(((read_time(doc["started"]), int(doc.get("seq", 0)), doc) for _id, doc in year),
                        key=lambda r: r[:2], reverse=True)
        del year
        if not rounds:
            continue
        lines = [] if begun else ["## Question rounds", ""]
        for started, _seq_no, doc in sorted(rounds, key=lambda r: r[0]):
            lines.extend(_round_lines(doc, started, couple))
        yield ("\n" if begun else "") + "\n".join(lines)
        begun = True
    if not begun:
        return
    stars = starred(store)
    if stars:
        lines = ["### Starred cards", ""]
        lines.extend(f"- {s.text} ({s.deck})" for s in stars)
        lines.append("")
        yield "\n" + "\n".join(lines)


def _round_lines(raw: dict[str, Any], started: datetime, couple) -> list[str]:
    """One stored round's lines, each field read as RoundState.from_dict and CardPlay.from_dict do."""
    if couple:
        names = [couple[0].name, couple[1].name]
    else:
        stored = list(raw.get("names") or ["", ""]) + ["", ""]
        names = [str(stored[i]) or f"Partner {i + 1}" for i in (0, 1)]
    mode = stored_mode(raw)
    decks = ", ".join(tuple(raw.get("deck_titles", ()))) or "cards"
    lines = [f"### {when_label(started)} · {MODES[mode]} · {decks}", ""]
    shown = [c for c in raw.get("cards", []) if isinstance(c, dict) and str(c.get("status", "open")) in ("done", "passed")]
    if not shown:
        lines.append("No cards were answered.")
        lines.append("")
    for card in shown:
        lines.append(f"- **{card.get('text', '')}**")
        if str(card.get("status")) == "passed":
            lines.append("  - Passed.")
            continue
        answers = {int(k): str(v) for k, v in (card.get("answers") or {}).items()}
        if mode == "knowme":
            subject = int(card.get("leader", 0)) % 2
            lines.append(f"  - {names[subject]}: {_one_line(answers.get(subject, ''))}")
            lines.append(f"  - {names[1 - subject]}'s guess: {_one_line(answers.get(1 - subject, ''))}")
            if card.get("closeness"):
                lines.append(f"  - How close: {card['closeness']}")
        else:
            for p in (0, 1):
                if p in answers:
                    lines.append(f"  - {names[p]}: {_one_line(answers[p])}")
        notes = {int(k): str(v) for k, v in (card.get("notes") or {}).items()}
        for p in (0, 1):
            if p in notes:
                lines.append(f"  - Note by {names[p]}: {_one_line(notes[p])}")
    lines.append("")
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())
