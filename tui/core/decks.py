"""Deck files: loading and validating TOML card decks, with every problem located.

One broken deck never stops the app: it is left out, and its problems are reported
as ``FILE:LINE: message`` so a person can find and fix them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

DEPTHS = {1: "Light", 2: "Deeper", 3: "Deepest"}
KINDS = ("question", "activity")
SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
DECK_KEYS = {"id", "title", "description", "tags", "themes", "opt_in", "challenge", "weeks"}
CARD_KEYS = {"id", "text", "depth", "kind", "follow_ups", "know_me", "week", "day"}
#: A challenge week has at most this many days (one card a day).
DAYS_PER_WEEK = 7


@dataclass(frozen=True, slots=True)
class Card:
    """One card. Its id is stable within its deck, so history survives edits."""

    deck_id: str
    id: str
    text: str
    depth: int
    kind: str = "question"
    follow_ups: tuple[str, ...] = ()
    know_me: bool = False  # a short, guessable answer: the only cards Know me draws
    week: int | None = None  # challenge decks: which week (1-based) and day (1..7) the card is for
    day: int | None = None

    @property
    def key(self) -> str:
        """Globally unique id used in the database: 'deck/card'."""
        return f"{self.deck_id}/{self.id}"


@dataclass(frozen=True)
class Deck:
    """A deck as loaded from one file."""

    id: str
    title: str
    description: str
    tags: tuple[str, ...]
    cards: tuple[Card, ...]
    path: Path
    opt_in: bool = False  # hidden (not listed, drawn or searched) until the couple turns it on
    challenge: bool = False  # played one day at a time, in order (tui/core/challenges.py)
    weeks: tuple[str, ...] = ()  # a challenge's week titles, week 1 first

    def week_title(self, week: int) -> str:
        """'Week 2: Small surprises', or 'Week 2' when the deck names no title for it."""
        if 1 <= week <= len(self.weeks):
            return f"Week {week}: {self.weeks[week - 1]}"
        return f"Week {week}"

    def week_numbers(self) -> list[int]:
        """The weeks this challenge has cards for, in order."""
        return sorted({c.week for c in self.cards if c.week is not None})

    def week_cards(self, week: int) -> list[Card]:
        """One week's cards, day 1 first."""
        return sorted((c for c in self.cards if c.week == week), key=lambda c: c.day or 0)


@dataclass(frozen=True)
class Problem:
    """Something wrong in a deck file, with where it is."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class DeckSet:
    """All decks that loaded, and the problems of those that did not."""

    decks: list[Deck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def by_id(self) -> dict[str, Deck]:
        return {d.id: d for d in self.decks}

    def card(self, key: str) -> Card | None:
        deck_id, _, card_id = key.partition("/")
        deck = self.by_id().get(deck_id)
        if deck is None:
            return None
        return next((c for c in deck.cards if c.id == card_id), None)

    @property
    def broken_files(self) -> list[Path]:
        return sorted({p.path for p in self.problems})


class _Lines:
    """Finds the line of a table or key in the raw text, for messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.card_starts = [i + 1 for i, ln in enumerate(self.lines) if ln.strip().startswith("[[cards]]")]
        self.deck_start = next((i + 1 for i, ln in enumerate(self.lines) if ln.strip() == "[deck]"), 1)

    def card(self, index: int) -> int:
        return self.card_starts[index] if index < len(self.card_starts) else 1

    def key(self, start: int, name: str) -> int:
        """Line of `name = ...` in the table whose header is on line `start` (0: top level)."""
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
        for i in range(start, len(self.lines)):
            line = self.lines[i]
            if line.lstrip().startswith("["):
                break
            if pattern.match(line):
                return i + 1
        return max(start, 1)


TOO_DEEP = "the file is nested too deeply (or is too large) to read as a deck"


def _toml_error_line(exc: tomllib.TOMLDecodeError) -> int:
    found = re.search(r"line (\d+)", str(exc))
    return int(found.group(1)) if found else 1


def _toml_error_text(exc: tomllib.TOMLDecodeError) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)", "", str(exc))


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def parse_deck(path: Path, text: str) -> tuple[Deck | None, list[Problem]]:
    """Validate one deck file's text. Returns the deck (None if unusable) and all problems."""
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [Problem(path, _toml_error_line(exc), f"TOML syntax error: {_toml_error_text(exc)}")]
    except (RecursionError, MemoryError):
        return None, [Problem(path, 1, TOO_DEEP)]
    where = _Lines(text)

    deck = data.get("deck")
    if not isinstance(deck, dict):
        problem(1, "missing [deck] table (it holds id, title and description)")
        deck = {}
    top_extra = set(data) - {"deck", "cards"}
    for name in sorted(top_extra):
        problem(where.key(0, name), f"unknown top-level entry '{name}' (expected [deck] and [[cards]])")
    ds = where.deck_start
    for name in sorted(set(deck) - DECK_KEYS):
        problem(where.key(ds, name), f"deck: unknown field '{name}'")
    deck_id = deck.get("id")
    if deck and not _is_text(deck_id):
        problem(where.key(ds, "id"), "deck: field 'id' is missing or empty")
    elif deck and not SLUG.match(deck_id):
        problem(where.key(ds, "id"), f"deck: field 'id' must be lowercase letters, digits and dashes, not '{deck_id}'")
    if deck and not _is_text(deck.get("title")):
        problem(where.key(ds, "title"), "deck: field 'title' is missing or empty")
    if deck and "description" in deck and not isinstance(deck["description"], str):
        problem(where.key(ds, "description"), "deck: field 'description' must be text")
    tags = deck.get("tags", deck.get("themes", []))
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        problem(where.key(ds, "tags"), "deck: field 'tags' must be a list of words")
        tags = []
    flags: dict[str, bool] = {}
    for name in ("opt_in", "challenge"):
        value = deck.get(name, False)
        if not isinstance(value, bool):
            problem(where.key(ds, name), f"deck: field '{name}' must be true or false, not {value!r}")
            value = False
        flags[name] = value
    challenge = flags["challenge"]
    weeks = deck.get("weeks", [])
    if not isinstance(weeks, list) or not all(_is_text(w) for w in weeks):
        problem(where.key(ds, "weeks"), "deck: field 'weeks' must be a list of week titles, week 1 first")
        weeks = []
    elif weeks and not challenge:
        problem(where.key(ds, "weeks"), "deck: field 'weeks' is only for a challenge deck (add challenge = true)")

    cards_raw = data.get("cards")
    if cards_raw is None:
        problem(len(where.lines) or 1, "no cards: add at least one [[cards]] table")
        cards_raw = []
    elif not isinstance(cards_raw, list):
        problem(where.key(0, "cards"), "'cards' must be written as [[cards]] tables")
        cards_raw = []

    cards: list[Card] = []
    seen: dict[str, int] = {}
    slots: dict[tuple[int, int], int] = {}  # challenge (week, day) -> card index
    for index, raw in enumerate(cards_raw):
        start = where.card(index)
        label = f"card {index + 1}"
        if isinstance(raw, dict) and _is_text(raw.get("id")):
            label = f"card {index + 1} (id '{raw['id']}')"
        if not isinstance(raw, dict):
            problem(start, f"{label}: must be a table")
            continue
        ok = True
        for name in sorted(set(raw) - CARD_KEYS):
            problem(where.key(start, name), f"{label}: unknown field '{name}'")
        cid = raw.get("id")
        if not _is_text(cid):
            problem(start, f"{label}: field 'id' is missing or empty")
            ok = False
        elif not SLUG.match(cid):
            problem(where.key(start, "id"), f"{label}: field 'id' must be lowercase letters, digits and dashes")
            ok = False
        elif cid in seen:
            problem(where.key(start, "id"), f"{label}: id '{cid}' is already used by card {seen[cid] + 1}")
            ok = False
        else:
            seen[cid] = index
        text_value = raw.get("text")
        if not _is_text(text_value):
            problem(start if "text" not in raw else where.key(start, "text"), f"{label}: field 'text' is missing or empty")
            ok = False
        depth = raw.get("depth")
        if depth is None:
            problem(start, f"{label}: field 'depth' is missing (1 light, 2 deeper, 3 deepest)")
            ok = False
        elif isinstance(depth, bool) or not isinstance(depth, int) or depth not in DEPTHS:
            problem(where.key(start, "depth"), f"{label}: field 'depth' must be 1, 2 or 3, not {depth!r}")
            ok = False
        kind = raw.get("kind", "question")
        if kind not in KINDS:
            problem(where.key(start, "kind"), f"{label}: field 'kind' must be 'question' or 'activity', not {kind!r}")
            ok = False
        follow = raw.get("follow_ups", [])
        if not isinstance(follow, list) or not all(_is_text(f) for f in follow):
            problem(where.key(start, "follow_ups"), f"{label}: field 'follow_ups' must be a list of short questions")
            ok = False
            follow = []
        know_me = raw.get("know_me", False)
        if not isinstance(know_me, bool):
            problem(where.key(start, "know_me"), f"{label}: field 'know_me' must be true or false, not {know_me!r}")
            ok = False
        elif know_me and kind == "activity":
            problem(where.key(start, "know_me"), f"{label}: an activity cannot be a Know me card (Know me guesses answers)")
            ok = False
        week, day = raw.get("week"), raw.get("day")
        if not challenge:
            for name in ("week", "day"):
                if name in raw:
                    problem(where.key(start, name),
                            f"{label}: field '{name}' is only for a challenge deck (add challenge = true to [deck])")
                    ok = False
        else:
            for name, value, top in (("week", week, len(weeks) or None), ("day", day, DAYS_PER_WEEK)):
                if value is None:
                    problem(start, f"{label}: field '{name}' is missing (a challenge card says its week and day)")
                    ok = False
                elif isinstance(value, bool) or not isinstance(value, int) or value < 1 or (top and value > top):
                    span = f"from 1 to {top}" if top else "1 or more"
                    why = f" (the deck names {top} weeks)" if name == "week" and top else ""
                    problem(where.key(start, name), f"{label}: field '{name}' must be a whole number {span}{why}, not {value!r}")
                    ok = False
            if ok and (week, day) in slots:
                problem(where.key(start, "day"), f"{label}: week {week} day {day} is already card {slots[(week, day)] + 1}")
                ok = False
            elif ok:
                slots[(week, day)] = index
        if ok:
            cards.append(
                Card(str(deck_id or ""), cid.strip(), " ".join(text_value.split()), depth, kind,
                     tuple(" ".join(f.split()) for f in follow), know_me,
                     week if challenge else None, day if challenge else None)
            )
    if cards_raw == [] and "cards" in data:
        problem(1, "no cards: add at least one [[cards]] table")
    if challenge and not problems:
        for week in sorted({w for w, _ in slots}):
            days = sorted(d for w, d in slots if w == week)
            gap = next((d for d in range(1, len(days) + 1) if d not in days), None)
            if gap is not None:
                first = where.card(min(i for (w, _), i in slots.items() if w == week))
                problem(first, f"week {week} has no card for day {gap}; days run 1, 2, 3... without gaps")

    if problems:
        return None, problems
    return (
        Deck(deck_id, " ".join(deck["title"].split()), " ".join(str(deck.get("description", "")).split()),
             tuple(tags), tuple(cards), path, flags["opt_in"], challenge, tuple(" ".join(w.split()) for w in weeks)),
        [],
    )


def load_file(path: Path) -> tuple[Deck | None, list[Problem]]:
    """Read and validate one deck file; unreadable files are a problem, not a crash."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(path, 1, f"cannot read the file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(path, line, "the file is not valid UTF-8 text")]
    try:
        return parse_deck(path, text)
    except (RecursionError, MemoryError):  # e.g. a value nested so deep that even naming it fails
        return None, [Problem(path, 1, TOO_DEEP)]


def deck_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to their *.toml files; keep files as given; skip missing folders."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(sorted(p.glob("*.toml")))
        elif p.exists() or p.suffix == ".toml":
            found.append(p)
    return found


def load_decks(paths: Iterable[Path]) -> DeckSet:
    """Load every deck under `paths`. Broken decks are left out with their problems listed."""
    result = DeckSet()
    owners: dict[str, Path] = {}
    for path in deck_files(paths):
        if not path.exists():
            result.problems.append(Problem(path, 1, "no such file or folder"))
            continue
        deck, problems = load_file(path)
        result.problems.extend(problems)
        if deck is None:
            continue
        if deck.id in owners:
            result.problems.append(
                Problem(path, 1, f"deck id '{deck.id}' is also used by {owners[deck.id]}; deck ids must be unique")
            )
            continue
        owners[deck.id] = path
        result.decks.append(deck)
    result.decks.sort(key=lambda d: d.title.casefold())
    return result


def is_hidden(deck: Deck, turned_on: Iterable[str]) -> bool:
    """An opt-in deck stays out of sight until the couple turns it on in Settings."""
    return deck.opt_in and deck.id not in set(turned_on)


def shown_decks(decks: Iterable[Deck], turned_on: Iterable[str]) -> list[Deck]:
    """The decks a couple can see: every deck but the opt-in ones they have not turned on."""
    on = set(turned_on)
    return [d for d in decks if not is_hidden(d, on)]


def hidden_deck_ids(decks: Iterable[Deck], turned_on: Iterable[str]) -> set[str]:
    """Ids of the decks kept out of sight (their answers stay stored, just not searched)."""
    on = set(turned_on)
    return {d.id for d in decks if is_hidden(d, on)}
