"""What goes in the couple's calendar file: the weekly reflection slot and agreement reviews.

Plain data here; tui/store/calendar.py writes it as iCalendar. A slot the couple has not
picked yet is Sunday at 19:00, which the README and `hearth calendar` say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_DAY, DEFAULT_TIME = 6, "19:00"
REFLECTION_MINUTES = 30
TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


class SlotError(ValueError):
    """A day or time the couple typed that cannot be a weekly slot; the message says why."""


@dataclass(frozen=True)
class Slot:
    """The weekly reflection's day (0 Monday … 6 Sunday) and time, in the couple's local time."""

    weekday: int = DEFAULT_DAY
    at: time = time(19, 0)

    @property
    def label(self) -> str:
        return f"{DAYS[self.weekday].capitalize()}s at {self.at.strftime('%H:%M')}"

    def first_after(self, now: datetime) -> datetime:
        """The first slot at or after `now` (floating local time: no time zone attached)."""
        start = datetime.combine(now.date(), self.at)
        start += timedelta(days=(self.weekday - now.weekday()) % 7)
        if start < now.replace(tzinfo=None):
            start += timedelta(days=7)
        return start


def couple_today(now: datetime, offset: timedelta, zone: tzinfo | None) -> datetime:
    """At two homes, the couple's own time on the first home's calendar: `now` of this computer,
    less `offset` (how far this clock is ahead of the first home's), in the first home's time
    zone `zone` (this computer's own when unknown). Its `.date()` is the couple's day, the same
    at both homes even when the clocks are hours apart or the two homes are in different zones."""
    there = now - offset
    return there.astimezone(zone) if zone is not None else there


def parse_day(text: str) -> int:
    word = text.strip().casefold()
    for i, day in enumerate(DAYS):
        if len(word) >= 2 and day.startswith(word):
            return i
    raise SlotError(f"'{text}' is not a day of the week (for example: sunday, or su)")


def parse_time(text: str) -> time:
    found = TIME.match(text.strip())
    if not found:
        raise SlotError(f"'{text}' is not a time of day in 24-hour form (for example 19:00)")
    return time(int(found.group(1)), int(found.group(2)))


def slot_from_settings(day: object, at: object) -> Slot:
    """The stored slot; anything odd in the stored values falls back to the default, never an error."""
    weekday = day if isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 6 else DEFAULT_DAY
    try:
        when = parse_time(at) if isinstance(at, str) else parse_time(DEFAULT_TIME)
    except SlotError:
        when = parse_time(DEFAULT_TIME)
    return Slot(weekday, when)


@dataclass(frozen=True)
class Review:
    """One agreement's next review: an all-day event on that date."""

    agreement_id: str
    title: str
    on: date
