"""An injectable clock, so timers and weeks can be tested without waiting."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time as an aware datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock, in the machine's local time zone."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc).astimezone()


class FakeClock:
    """A clock that only moves when a test moves it."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 3, 14, 20, 25, tzinfo=timezone.utc)
        if self._now.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")

    def now(self) -> datetime:
        return self._now

    def advance(self, **kwargs: float) -> datetime:
        """Move forward by a timedelta's keyword arguments (minutes=5, days=2...)."""
        self._now += timedelta(**kwargs)
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when


def parse_time(value: str) -> datetime:
    """Read a stored ISO timestamp back into an aware datetime."""
    when = datetime.fromisoformat(value)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when


#: A stored time that cannot be read (a damaged or hand-edited field): sorts before every real
#: time, and lists show it as "date unknown" (see tui.core.rounds.when_label).
UNKNOWN_TIME = datetime(1, 1, 2, tzinfo=timezone.utc)


def read_time(value: object) -> datetime:
    """parse_time for a field read back for display: a malformed value is UNKNOWN_TIME, never an error."""
    try:
        return parse_time(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return UNKNOWN_TIME


def stamp(when: datetime) -> str:
    """The one way times are written to the database: ISO 8601 with offset."""
    return when.isoformat(timespec="seconds")
