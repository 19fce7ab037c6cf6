"""History's list of rounds, kept small: one row per round (its date, mode, decks, how many cards
were played, its status), so that History's first open reads one small table instead of parsing
every year of rounds (twenty years took 0.3-0.8 s).

Table ``round_index``: one document per year (doc id = the year),

    {"v": 2, "crc": <CRC-32 of the year's line as the file held it>, "n": <rounds>,
     "rows": "<one JSON array a round, newest first, a line each>", "left_out": [...]}

(a row: [doc id, started, seq, mode, deck titles, cards played, status, played apart])

(rows in one string: parsed as one small value, and made into summaries only when listed).

The index is derived and never trusted over the rounds themselves: a year's entry is used only
while the year's table is still exactly the line it was made from (same CRC-32 as the file's own
checksum of that line), so a round saved, deleted, arriving from the other home, a restored or
hand-edited file, or a damaged entry all make that year be read again from its rounds (and the
entry made again). A year changed in this session is listed from memory. The table stays on this
computer (tui/store/sync_tables.py leaves it home) and is sealed like every line when the file is
encrypted. The rows hold no answer words: only what the list shows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.clock import read_time
from ..core.rounds import RoundSummary, stored_mode
from .database import Store
from .rounds import BAD_FIELD, PREFIX, _shards

TABLE = "round_index"
VERSION = 3  # 3: a row says whether the round is played apart (History calls an open one "in progress")


class Year:
    """One year's rounds as History lists them, newest first: a year changed in this session as
    summaries, a year from the index as its rows' text (one JSON array a line), made into summaries
    only when listed (twenty years as 3,000 summaries kept 1.5 MiB while a page shows 100)."""

    def __init__(self, name: str, rounds: list[RoundSummary] | None = None, left_out: list[str] | None = None,
                 crc: int | None = None, lines: str | None = None, count: int | None = None) -> None:
        self.name = name  # the year's table
        self.crc = crc  # the year's line this was read from; None: from memory (changed here)
        self.left_out = list(left_out or [])  # ids of rounds that could not be read
        self._rounds = rounds
        self._lines = lines
        self.count = len(rounds) if rounds is not None else (count or 0)

    def rounds(self, limit: int | None = None) -> list[RoundSummary]:
        """The first `limit` summaries (all when None), newest first."""
        if self._rounds is not None:
            return self._rounds[:limit] if limit is not None else list(self._rounds)
        year = self.name[len(PREFIX):]
        found = []
        lines = (self._lines.split("\n", limit)[:limit] if limit is not None else self._lines.split("\n")) \
            if self._lines else []
        for line in lines:
            try:
                found.append(_from_row(year, json.loads(line)))
            except (*BAD_FIELD, ValueError):
                continue  # only an index written by hand gets here; the rounds themselves are intact
        return found

    def ids(self) -> list[str]:
        """The rounds' document ids, newest first (what search reads a year in)."""
        if self._rounds is not None:
            return [s.id.partition("-")[2] for s in self._rounds]
        return [line[2:line.find('"', 2)] for line in self._lines.split("\n")] if self._lines else []


@dataclass
class Listing:
    """What History can list at once: the years known (from the index or memory), newest first,
    and the years to read from their rounds (no entry, or one that no longer matches)."""

    years: list[Year | None]  # in the order of `names`; None where a year still has to be read
    names: list[str]  # every year's table, newest first

    @property
    def missing(self) -> list[str]:
        return [n for n, y in zip(self.names, self.years) if y is None]


class Order(Mapping):
    """Each year's document ids, newest first, for the years read from their lines as the file
    holds them (search_by_year's `order`); worked out for a year only when search reaches it."""

    def __init__(self, years: list[Year | None]) -> None:
        self._years = {y.name: y for y in years if y is not None and y.crc is not None}
        self._ids: dict[str, list[str]] = {}

    def __getitem__(self, name: str) -> list[str]:
        if name not in self._ids:
            self._ids[name] = self._years[name].ids()
        return self._ids[name]

    def __iter__(self):
        return iter(self._years)

    def __len__(self) -> int:
        return len(self._years)


def _row(summary: RoundSummary, raw_started: Any) -> list[Any]:
    return [summary.id.partition("-")[2], raw_started, summary.seq, summary.mode,
            list(summary.deck_titles), summary.played, summary.status, summary.apart]


def _from_row(year: str, row: Any) -> RoundSummary:
    """A row back into a summary; anything unexpected raises."""
    doc_id, started, seq, mode, decks, played, status, apart = row
    if not (isinstance(doc_id, str) and doc_id.isdigit() and isinstance(seq, int) and isinstance(played, int)
            and isinstance(decks, list) and all(isinstance(d, str) for d in decks)
            and isinstance(status, str) and isinstance(mode, str) and isinstance(apart, bool)):
        raise ValueError("not an index row")
    return RoundSummary(f"{year}-{doc_id}", read_time(started), seq, stored_mode({"mode": mode}),
                        tuple(decks), played, status, apart)


def summarise(name: str, table: dict[str, Any], crc: int | None) -> tuple[Year, list[list[Any]]]:
    """One year's summaries from its documents (newest first), and the index rows for them."""
    year = name[len(PREFIX):]
    found: list[tuple[RoundSummary, Any]] = []
    left_out: list[str] = []
    for doc_id, doc in list(table.items()):
        if not isinstance(doc, dict) or "started" not in doc:
            continue
        try:
            found.append((RoundSummary.from_dict(doc, f"{year}-{doc_id}"), doc["started"]))
        except BAD_FIELD:
            left_out.append(f"{year}-{doc_id}")
    found.sort(key=lambda item: (item[0].started, item[0].seq), reverse=True)
    return Year(name, [s for s, _ in found], left_out, crc), [_row(s, raw) for s, raw in found]


def _line_crcs(store: Store) -> dict[str, int | None]:
    """Each year's table still exactly as the file held it → the CRC-32 of its line (None for an
    older file without checksums: then worked out when needed). Years not listed here are in memory."""
    tables = store.storage.read()
    listed = getattr(tables, "crcs", None) or {}
    return {name: listed.get(name) for name, _span in store.storage.cold_spans() if name.startswith(PREFIX)}


def _crc_of(store: Store, name: str) -> int | None:
    for found, span in store.storage.cold_spans():
        if found == name:
            return store.storage.span_crc(span)
    return None


def _entries(store: Store) -> dict[str, dict[str, Any]]:
    """The index's entries by year; a damaged or unreadable index is simply no index."""
    try:
        table = store.storage.peek(TABLE) or {}
    except Exception:  # noqa: BLE001 - the rounds themselves are read instead, and say what is wrong
        return {}
    return {str(k): v for k, v in table.items() if isinstance(v, dict) and v.get("v") == VERSION}


def _entry_year(name: str, entry: dict[str, Any] | None, crc: int | None) -> Year | None:
    if entry is None or crc is None or entry.get("crc") != crc:
        return None
    lines, count, left_out = entry.get("rows"), entry.get("n"), entry.get("left_out", [])
    if not (isinstance(lines, str) and isinstance(count, int) and isinstance(left_out, list)):
        return None
    if count != (lines.count("\n") + 1 if lines else 0) or (lines and not lines.startswith('["')):
        return None
    return Year(name, None, [str(i) for i in left_out], crc, lines=lines, count=count)


def listing(store: Store) -> Listing:
    """What the index and memory say at once (no year is parsed here): a year changed in this
    session is listed from memory, one whose line still matches its entry from the index."""
    names = _shards(store)
    crcs = _line_crcs(store)
    entries = _entries(store) if any(n in crcs for n in names) else {}
    years: list[Year | None] = []
    for name in names:
        if name not in crcs:  # in memory: read or changed in this session
            table = store.storage.peek(name) or {}
            years.append(summarise(name, table, None)[0])
            continue
        crc = crcs[name]
        entry = entries.get(name[len(PREFIX):])
        years.append(_entry_year(name, entry, crc) if crc is not None else None)
    return Listing(years, names)


@dataclass
class Read:
    """A year read from its rounds (in a worker), with the index entry to keep for next time."""

    year: Year
    entry: dict[str, Any] | None  # None when the year was in memory (nothing to remember)


def read_year(store: Store, name: str) -> Read:
    """One year from its rounds: parsed, summarised and let go of. Safe in a worker thread."""
    crcs = _line_crcs(store)
    cold = name in crcs
    crc = (crcs[name] if crcs[name] is not None else _crc_of(store, name)) if cold else None
    table = store.storage.peek(name) or {}
    year, rows = summarise(name, table, crc)
    del table
    if crc is None:
        return Read(year, None)
    lines = "\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows)
    return Read(year, {"v": VERSION, "crc": crc, "n": len(rows), "rows": lines, "left_out": year.left_out})


WORTH_A_SAVE = 2
"""Years read before their entries are kept: each save writes the whole file, and the writer holds
the tables unchanged since open while it does (13 MB at ten years, 28 at twenty). One year read
again at each open (the one a round was played in, usually) costs 5-10 ms and no save."""


def remember(store: Store, reads: list[Read]) -> None:
    """Keep the entries of years just read, and drop those of years no longer in the file, so the
    next first open reads only the index; only when WORTH_A_SAVE years or more were read. Called on
    the UI thread (it writes the database); a year whose line changed since it was read is left to
    be read again next time."""
    crcs = _line_crcs(store)
    fresh = {r.year.name[len(PREFIX):]: r.entry for r in reads
             if r.entry is not None and r.year.name in crcs
             and crcs[r.year.name] in (None, r.entry["crc"])}
    present = {n[len(PREFIX):] for n in _shards(store)}
    try:
        stale = [k for k in (store.storage.peek(TABLE) or {}) if k not in present]
    except Exception:  # noqa: BLE001 - a damaged index: the store reports the file itself
        return
    if len(fresh) < WORTH_A_SAVE:
        return
    if store.storage.stopped or store.storage.damage:
        return  # saving has stopped (a damaged file): an index is not worth a rescue file
    table = store.table(TABLE)
    with store.one_save():
        for year, entry in fresh.items():
            table.upsert(_doc(int(year), entry))
        if stale:
            table.remove(doc_ids=[int(k) for k in stale if k.isdigit()])


def _doc(doc_id: int, fields: dict[str, Any]):
    from tinydb.table import Document

    return Document(fields, doc_id=doc_id)
