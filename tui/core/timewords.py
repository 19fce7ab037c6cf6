"""Clock times in words that name the day when it is not today.

A bare '00:40' shown at 23:50 reads as forty minutes ago, not as fifty minutes from now; so a
time on another day says which: 'tomorrow at 00:40', 'Friday at 09:00', or the date when it is
a week or more away. Times are shown in the time zone `now` is in (the couple's local time).

At two homes a record's time may come from the other computer: its store reads it on this
computer's clock first (tui.store.couple_time.on_this_clock, tui.store.pauses.records); what is
left for the words is the zone (a time from Tokyo keeps Tokyo's offset) and, where the writer is
not known, a clock that ran fast: `shown_time` puts both right at display, nothing stored changes."""

from __future__ import annotations

from datetime import datetime

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day_and_time(when: datetime, now: datetime) -> tuple[int, str, str]:
    """(days from today, the day's words or '' for today, 'HH:MM'), in now's time zone."""
    local = when.astimezone(now.tzinfo)
    days = (local.date() - now.date()).days
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if days == 0:
        day = ""
    elif days == 1:
        day = "tomorrow"
    elif days == -1:
        day = "yesterday"
    elif 1 < days < 7:
        day = WEEKDAYS[local.weekday()]
    else:  # a week or more away, or further back than yesterday: the date, not a weekday that repeats
        day = f"{WEEKDAYS[local.weekday()][:3]} {local.day} {MONTHS[local.month - 1]}"
    return days, day, clock


def shown_time(when: datetime, now: datetime, *, past: bool = True) -> datetime:
    """`when` in the time zone `now` is in, for a label ('Sat 14 Mar 2026, 21:30', 'yesterday').
    `past`: it is a time something happened, so one ahead of `now` (from a clock that runs fast)
    is shown as now, never as later today or tomorrow."""
    if when.tzinfo is not None and now.tzinfo is not None:
        when = when.astimezone(now.tzinfo)
    return min(when, now) if past and (when.tzinfo is None) == (now.tzinfo is None) else when


def clock_words(when: datetime, now: datetime) -> str:
    """'20:45', 'tomorrow at 00:40', 'Friday at 09:00', 'Sat 21 Mar at 09:00' (after 'until', 'for')."""
    _days, day, clock = _day_and_time(when, now)
    return f"{day} at {clock}" if day else clock


def at_clock(when: datetime, now: datetime) -> str:
    """The same with its own preposition, to follow a verb: 'back at 20:45', 'back tomorrow at
    00:40', 'back on Friday at 09:00'."""
    days, day, clock = _day_and_time(when, now)
    if not day:
        return f"at {clock}"
    return f"{day} at {clock}" if abs(days) == 1 else f"on {day} at {clock}"
