"""Two computers' clocks differ: how far, as seen when a change file arrived.

A change file carries the time it was written by the other computer's clock; we note when it
arrived by ours. `arrived - written` is the clock difference plus however long the folder sync
took. Under an hour, that is taken as the clock difference (a little more only moves a time-out's
end later, never into the past). Longer means the file was simply late: no correction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .clock import parse_time

MAX_OFFSET = timedelta(hours=1)


def offset_seen(written: datetime | str | None, arrived: datetime | str | None) -> timedelta:
    """What to add to a time of the other computer's clock to read it on ours (zero if unknown,
    or if the file was over an hour late either way)."""
    try:
        w = parse_time(written) if isinstance(written, str) else written
        a = parse_time(arrived) if isinstance(arrived, str) else arrived
    except (TypeError, ValueError):
        return timedelta(0)
    if w is None or a is None:
        return timedelta(0)
    try:
        offset = a - w
    except TypeError:  # one with a time zone, one without
        return timedelta(0)
    return offset if abs(offset) < MAX_OFFSET else timedelta(0)


def to_here(when: datetime | None, offset: timedelta) -> datetime | None:
    """A time of the other computer's clock, on ours."""
    return None if when is None else when + offset


def heard_words(then: datetime, now: datetime) -> str:
    """'just now', '5 minutes ago', '2 hours ago', 'yesterday', '3 days ago' (a time a little in
    the future, from a clock ahead of ours, is 'just now')."""
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    days = hours // 24
    return "yesterday" if days == 1 else f"{days} days ago"
