"""Home's lines about a weekly reflection played apart, on one partner's computer.

Kept apart from reflections.py so home can ask one small question: whose private part of this
week is in. Nothing of the other's part is said but that it is in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from ..core import reflection_apart as apart
from ..core.reflection import IsoWeek
from . import reflections as store_r
from .database import Store


def waiting_lines(store: Store, me: int, names: Sequence[str], now: datetime) -> list[str]:
    """What this week's reflection waits for, seen from `me`'s computer (`names`: both partners'
    names, partner 0 first). Empty when there is nothing to say beyond the usual due line."""
    from .couple_time import couple_week

    r = store_r.get(store, couple_week(store, now))
    other = names[1 - me] if len(names) > 1 - me else "your partner"
    state = apart.waiting_on(r, me)
    if state == "mine":
        return [f"{other}'s part of this week's reflection is in; yours is waiting (press 4)."]
    if state == "theirs":
        return [f"Your part of this week's reflection is in; {other}'s is still to come."]
    if state == "reveal":
        return ["Both parts of this week's reflection are in: see them side by side (press 4)."]
    return []
