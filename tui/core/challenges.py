"""Day-by-day challenges: one card a day, in order, with the day reached remembered.

A challenge deck (``challenge = true``) holds weeks of cards, each with its ``week`` and ``day``.
The couple picks a week; each calendar day they may do the next day's card. Coming back after
days away simply offers the next card: nothing is lost, nothing is counted against them, and no
line ever says a day was missed.

Plain Python with dates passed in, so the rules are tested with a fake clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .decks import Card, Deck


@dataclass(frozen=True)
class Progress:
    """Where a couple stands in one challenge: the week chosen and the days done (day -> date)."""

    deck_id: str
    week: int
    done: dict[int, date] = field(default_factory=dict)
    pending: tuple[int, str] | None = None  # (day, round id) of a day card begun, not yet done

    def to_dict(self) -> dict:
        return {"deck": self.deck_id, "week": self.week,
                "done": {str(d): when.isoformat() for d, when in sorted(self.done.items())},
                "pending": list(self.pending) if self.pending else None}

    @classmethod
    def from_dict(cls, raw: dict) -> "Progress | None":
        """Tolerant: anything unreadable in a stored entry is dropped, never raised."""
        deck_id, week = raw.get("deck"), raw.get("week")
        if not isinstance(deck_id, str) or isinstance(week, bool) or not isinstance(week, int) or week < 1:
            return None
        done: dict[int, date] = {}
        stored = raw.get("done")
        for day, when in (stored.items() if isinstance(stored, dict) else ()):
            try:
                done[int(day)] = date.fromisoformat(str(when))
            except ValueError:
                continue
        pending = raw.get("pending")
        ok = isinstance(pending, list) and len(pending) == 2 and isinstance(pending[0], int) and isinstance(pending[1], str)
        return cls(deck_id, week, done, (pending[0], pending[1]) if ok else None)


def local_date(when: datetime, now: datetime) -> date:
    """The calendar day of `when` where the couple is (the clock's zone)."""
    return when.astimezone(now.tzinfo).date() if now.tzinfo else when.date()


@dataclass(frozen=True)
class Today:
    """What a challenge offers now."""

    deck: Deck
    week: int
    total: int  # days in the week
    day: int | None  # the next day to do (None: the week is done)
    card: Card | None  # that day's card
    ready: bool  # it may be done today (one day's card per calendar day)
    done_today: bool

    @property
    def finished(self) -> bool:
        return self.day is None


def start_week(deck: Deck, week: int) -> Progress:
    """A week chosen afresh: day 1 comes next."""
    if week not in deck.week_numbers():
        raise ValueError(f"{deck.id} has no week {week}")
    return Progress(deck.id, week)


def default_week(deck: Deck, progress: Progress | None) -> int:
    """The week to offer: the one under way, or the next once it is done, or the first."""
    weeks = deck.week_numbers()
    if not weeks:
        return 1
    if progress is None or progress.week not in weeks:
        return weeks[0]
    if next_day(deck, progress) is None:
        later = [w for w in weeks if w > progress.week]
        return later[0] if later else progress.week
    return progress.week


def next_day(deck: Deck, progress: Progress) -> int | None:
    """The first day of the week not done yet; days are played in order."""
    days = [c.day for c in deck.week_cards(progress.week) if c.day is not None]
    return next((d for d in days if d not in progress.done), None)


def today(deck: Deck, progress: Progress, now: datetime) -> Today:
    """What the challenge offers at `now`: the next day's card, from the calendar day after the
    last one done (or at once, when they come back days later)."""
    cards = deck.week_cards(progress.week)
    day = next_day(deck, progress)
    card = next((c for c in cards if c.day == day), None) if day is not None else None
    done_today = local_date(now, now) in progress.done.values()
    return Today(deck, progress.week, len(cards), day, card, card is not None and not done_today, done_today)


def mark_done(progress: Progress, day: int, when: datetime, now: datetime, *, on: date | None = None) -> Progress:
    """The day's card was done: remember the day (and its date) and clear what was pending.
    `on`: the date, when the caller knows it better than `when`'s own (at two homes, the
    couple's day of a time written by the other computer's clock)."""
    done = dict(progress.done)
    done.setdefault(day, on or local_date(when, now))
    return Progress(progress.deck_id, progress.week, done, None)


def begin(progress: Progress, day: int, round_id: str) -> Progress:
    """Today's card went into a round: remember which, so finishing it marks the day done."""
    return Progress(progress.deck_id, progress.week, dict(progress.done), (day, round_id))


def status_line(found: Today, now: datetime) -> str | None:
    """One calm line for home, or None when there is nothing to say. Never counts misses."""
    where = f"{found.deck.title}, {found.deck.week_title(found.week)}"
    if found.finished:
        if found.done_today:
            return f"{where}: all {found.total} days done."
        return None
    if found.ready:
        return f"{where}: Day {found.day} of {found.total} is ready when you are (press 1)."
    return f"{where}: Day {found.day - 1} of {found.total} done today. Day {found.day} opens tomorrow."


def setup_line(found: Today) -> str:
    """What the round setup says about a chosen challenge."""
    where = found.deck.week_title(found.week)
    if found.finished:
        return f"{where}: all {found.total} days done. Pick another week, or this one to begin it again."
    if found.ready:
        return f"{where}: Day {found.day} of {found.total}. Starting plays today's card, together (Talk)."
    return f"{where}: Day {found.day - 1} of {found.total} is done for today. Day {found.day} opens tomorrow."
