"""Two computers' clocks differ: how far, as seen when a change file arrived.

A change file carries the time it was written by the other computer's clock; we note when it
arrived by ours. `arrived - written` (the lag) is the clock difference plus however long the folder
sync took. Alone, a lag under an hour is taken as the clock difference (a little more only moves
a time-out's end later, never into the past); longer means the file was simply late.

Both ways, the lags bound the difference however large it is: ours is `offset + delay`, the
other home's (of our files, told in its "still here" file) is `-offset + delay'`, so when the two
add up to a short round trip, ours is the offset to within that round trip, even when the clocks
are hours apart (`offset_between`). Ours is what is used: it errs on the later side. The newest
lags that pass the check, not the least: a clock put right counts at once, and a file that was
late fails the check, so the lag before it is used (with none, the rule of one hour applies).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .clock import parse_time

MAX_OFFSET = timedelta(hours=1)
#: Both homes' smallest lags adding up to at most this: the lag seen here is the clock difference.
MAX_ROUND_TRIP = timedelta(minutes=30)
#: How many recent lags each home keeps per other home (a clock put right soon stops counting).
LAG_SAMPLES = 12


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


def lag_of(written: datetime | str | None, arrived: datetime | str | None) -> float | None:
    """`arrived - written` in seconds, or None when either is unknown."""
    try:
        w = parse_time(written) if isinstance(written, str) else written
        a = parse_time(arrived) if isinstance(arrived, str) else arrived
        return None if w is None or a is None else (a - w).total_seconds()
    except (TypeError, ValueError, OverflowError):
        return None


def noted(lags: object, lag: float | None) -> list[float]:
    """The recent lags with one more (the oldest go first, LAG_SAMPLES kept)."""
    kept = [float(x) for x in lags if isinstance(x, (int, float)) and not isinstance(x, bool)] \
        if isinstance(lags, list) else []
    if lag is not None:
        kept.append(float(lag))
    return kept[-LAG_SAMPLES:]


def latest(lags: object) -> float | None:
    kept = noted(lags, None)
    return kept[-1] if kept else None


def offset_between(lags_here: object, back: object, written: datetime | str | None = None,
                   arrived: datetime | str | None = None, *, to_there: bool = False) -> timedelta:
    """What to add to a time of the other computer's clock to read it on ours. The newest lag
    here (of `lags_here`, oldest first) that the other home's latest lag of our files (`back`)
    confirms is taken as the offset, however many hours it is: the two add up to a round trip of
    at most MAX_ROUND_TRIP (a file that was late fails this, and an older lag is taken). Without
    one, as `offset_seen` of the newest: under an hour, or none.

    `to_there`: the offset for writing a time of ours on the other clock (subtracted from it):
    when confirmed, the other bound (`-back`), so that way too a time errs later, never sooner."""
    kept = noted(lags_here, None)
    here = kept[-1] if kept else lag_of(written, arrived)
    there = float(back) if isinstance(back, (int, float)) and not isinstance(back, bool) else None
    if here is None:
        return timedelta(0)
    if there is not None:  # the newest lag the other way confirms (an older one if a file was late)
        for lag in reversed(kept or [here]):
            if 0 <= lag + there <= MAX_ROUND_TRIP.total_seconds():
                return timedelta(seconds=round(-there if to_there else lag))
    return timedelta(seconds=round(here)) if abs(here) < MAX_OFFSET.total_seconds() else timedelta(0)


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
