"""The couple's calendar file (iCalendar, RFC 5545), so their own calendar app reminds them.

Written with `icalendar` and imported only by `hearth calendar`. UIDs are stable per database,
so importing a newer file updates the events instead of adding them twice.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from icalendar import Alarm, Calendar, Event

from .. import __version__
from ..core.agreements import Status
from ..core.calendar import REFLECTION_MINUTES, Review, Slot, slot_from_settings
from .agreements import list_agreements
from .database import Store
from .profile import set_setting, setting

CALENDAR_ID = "calendar_id"


def reflection_slot(store: Store) -> Slot:
    return slot_from_settings(setting(store, "reflection_day"), setting(store, "reflection_time"))


def reviews(store: Store) -> list[Review]:
    """Agreed, current agreements with a review date, soonest first."""
    found = [Review(a.id, a.title, a.next_review) for a in list_agreements(store)
             if a.status is Status.AGREED and a.next_review is not None and a.retired_at is None]
    return sorted(found, key=lambda r: (r.on, r.title.casefold()))


def _calendar_id(store: Store) -> str:
    """A random id for this database, kept in its settings: the events' UIDs are built on it."""
    value = setting(store, CALENDAR_ID)
    if not isinstance(value, str) or not value:
        value = secrets.token_hex(8)
        set_setting(store, CALENDAR_ID, value)
    return value


def calendar_text(store: Store, now: datetime) -> str:
    """The .ics text: a weekly reflection from the next slot on, and each agreement review."""
    base = _calendar_id(store)
    cal = Calendar()
    cal.add("prodid", f"-//Hearth//Hearth {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Hearth")
    stamp = now.astimezone() if now.tzinfo else now

    slot = reflection_slot(store)
    start = slot.first_after(now)
    weekly = Event()
    weekly.add("uid", f"reflection-{base}@hearth")
    weekly.add("dtstamp", stamp)
    weekly.add("summary", "Weekly reflection together")
    weekly.add("description", "A look back at the week in Hearth: press 4 on its home screen.")
    weekly.add("dtstart", start)  # floating local time: 19:00 wherever the couple is
    weekly.add("dtend", start + timedelta(minutes=REFLECTION_MINUTES))
    weekly.add("rrule", {"freq": "weekly"})
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Weekly reflection in 15 minutes")
    alarm.add("trigger", timedelta(minutes=-15))
    weekly.add_component(alarm)
    cal.add_component(weekly)

    for review in reviews(store):
        event = Event()
        event.add("uid", f"review-{review.agreement_id}-{base}@hearth")
        event.add("dtstamp", stamp)
        event.add("summary", f"Look again at “{review.title}” together")
        event.add("description", "An agreement's review date, from Hearth: press 3 on its home screen.")
        event.add("dtstart", review.on)
        event.add("dtend", review.on + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")
