"""The other home's clock, and the couple's calendar, at two homes.

Why here: a time written at the other home is read on this computer's clock by adding the
offset seen between the two (tui.core.clock_offset); and a day that is due must be the same day
at both homes, so at two homes days are counted on one calendar, the first home's (the computer of the partner
named first, the one that linked first), with the other computer's clock put right by the offset.

What is stored stays as it was written: a time keeps the clock of the computer that wrote it, and
a record says which home that was (`my_home`, kept beside the time); it is put right only when
read (`on_this_clock`), so a better offset found later corrects old records too, and nothing
stored claims a precision it never had. Days (challenge days, agreed and archived dates, the
reflection's streak) are counted on the couple's calendar (`couple_day`, `couple_now`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from ..core.calendar import couple_today
from ..core.clock import parse_time
from ..core.clock_offset import offset_between
from . import sync_watch


def other_offset(store: Any, home: str, *, to_there: bool = False) -> timedelta:
    """What to add to a time of `home`'s clock to read it on this computer's (zero if unknown);
    `to_there`: what to subtract from a time of ours to write it on `home`'s (erring later)."""
    doc = sync_watch.link_doc(store) or {}
    heard = ((doc.get("heard") or {}).get(home) or {}) if isinstance(doc.get("heard"), dict) else {}
    lags = (doc.get("lags") or {}).get(home) if isinstance(doc.get("lags"), dict) else None
    return offset_between(lags, heard.get("back"), heard.get("written"), heard.get("arrived"), to_there=to_there)


def _first_home(doc: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The other home whose calendar the couple's days follow, with what was heard from it;
    None when this computer is that home (or nothing was heard yet)."""
    if doc.get("partner") == 0:
        return None
    for home, entry in (doc.get("heard") or {}).items():
        if isinstance(entry, dict) and entry.get("partner") == 0 and home != doc.get("home"):
            return home, entry
    return None


def couple_now(store: Any, now: datetime) -> datetime:
    """`now` on the couple's calendar: at one keyboard, and at the first home, `now` itself; at
    the other home, the first home's clock (this one's put right by the offset), in the first
    home's own time zone as its last file gave it. Days that are due are counted from this, so
    both homes agree which day it is."""
    doc = sync_watch.link_doc(store)
    if not doc:
        return now
    found = _first_home(doc)
    if found is None:
        return now
    home, heard = found
    zone = None
    for key in ("here", "written"):
        try:
            zone = parse_time(heard[key]).tzinfo if isinstance(heard.get(key), str) else None
        except (TypeError, ValueError):
            zone = None
        if zone is not None:
            break
    return couple_today(now, other_offset(store, home), zone)


def my_home(store: Any) -> str:
    """This computer's home id at two homes ('' at one keyboard): the name a time is marked with
    when it is written here, so the other computer knows whose clock it is on."""
    doc = sync_watch.link_doc(store)
    return str(doc.get("home") or "") if doc else ""


def on_this_clock(store: Any, when: datetime, home: object) -> datetime:
    """A time written by `home`'s clock (a home id, as `my_home` gave it there), read on this
    computer's clock. A time written here, or with no home known (at one keyboard, or a record
    from before homes were marked), is left as it is. Screens show it in their own zone."""
    if isinstance(home, str) and home and home != my_home(store):
        return when + other_offset(store, home)
    return when


def home_of(store: Any, partner: object) -> str:
    """The home id of `partner`'s own computer, as its files told it ('' when not known: at one
    keyboard, or nothing heard from it yet), or this one's own when it is theirs."""
    doc = sync_watch.link_doc(store)
    if not doc or partner not in (0, 1):
        return ""
    if doc.get("partner") == partner:
        return str(doc.get("home") or "")
    for home, entry in (doc.get("heard") or {}).items():
        if isinstance(entry, dict) and entry.get("partner") == partner and home != doc.get("home"):
            return str(home)
    return ""


def couple_day(store: Any, when: datetime, now: datetime, home: object = None) -> date:
    """The couple's calendar day (see `couple_now`) of a time written by `home`'s clock: put
    right to this clock first, then read on the first home's calendar, so both homes show one
    date for it, and never one after today (`now`, this computer's clock): a clock that ran fast
    must not date a thing tomorrow."""
    here = min(on_this_clock(store, when, home), now).astimezone(now.tzinfo)  # in this zone, as `now`
    return couple_now(store, here).date()


def couple_week(store: Any, now: datetime) -> Any:
    """The week of the weekly reflection, on the couple's calendar (the same at both homes)."""
    from ..core.reflection import IsoWeek

    return IsoWeek.of(couple_now(store, now))


__all__ = ["other_offset", "couple_now", "couple_week", "my_home", "home_of", "on_this_clock", "couple_day"]
