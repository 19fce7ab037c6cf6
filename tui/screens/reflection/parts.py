"""Small helpers the reflection's screens share: its texts, draft keys, names and a week's status."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from ...core import reflection as rules
from ...core import reflection_apart as apart
from ...core.content import load
from ...core.partners import Couple
from ...core.reflection import IsoWeek, Reflection
from ...widgets.partner import partner_text


APART_STATUS = {
    "theirs": "your part is in, {other}'s is on its way",
    "mine": "{other}'s part is in, yours is waiting",
    "reveal": "both parts are in, ready to see side by side",
}


def texts() -> dict[str, Any]:
    return load("reflection")


def draft_key(week: IsoWeek, *parts: str) -> str:
    return ":".join(("reflection", week.key, *parts))


def who_text(couple: Couple, who: str) -> Text:
    if who in rules.PARTNERS:
        return partner_text(couple[rules.PARTNERS.index(who)])
    return Text("Both", style="bold")


def status_line(r: Reflection | None, me: int | None = None, other: str = "your partner") -> str:
    """How far a week has got, in a few words; on one partner's own computer (`me`), whose
    private part is in (never more of it than that)."""
    if r is None:
        return "not started"
    if r.done:
        return "done"
    waiting = apart.waiting_on(r, me) if me is not None else None
    if waiting in APART_STATUS:
        return APART_STATUS[waiting].format(other=other)
    n, total = apart.position_for(r, me)
    return f"under way, step {n} of {total}"
