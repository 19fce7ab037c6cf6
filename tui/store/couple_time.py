"""The other home's clock, and the couple's calendar, at two homes.

Why here: a time written at the other home is read on this computer's clock by adding the
offset seen between the two (tui.core.clock_offset); and a day that is due must be the same day
at both homes, so at two homes days are counted on one calendar, the first home's (the computer of the partner
named first, the one that linked first), with the other computer's clock put right by the offset.
"""

from __future__ import annotations

from datetime import datetime, timedelta
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


def couple_week(store: Any, now: datetime) -> Any:
    """The week of the weekly reflection, on the couple's calendar (the same at both homes)."""
    from ..core.reflection import IsoWeek

    return IsoWeek.of(couple_now(store, now))


__all__ = ["other_offset", "couple_now", "couple_week"]
