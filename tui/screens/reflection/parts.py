"""Small helpers the reflection's screens share: its texts, draft keys, names and a week's status."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from tui.core import reflection as rules
from tui.core.content import load
from tui.core.partners import Couple
from tui.core.reflection import IsoWeek, Reflection
from tui.widgets.partner import partner_text


def texts() -> dict[str, Any]:
    return load("reflection")


def draft_key(week: IsoWeek, *parts: str) -> str:
    return ":".join(("reflection", week.key, *parts))


def who_text(couple: Couple, who: str) -> Text:
    if who in rules.PARTNERS:
        return partner_text(couple[rules.PARTNERS.index(who)])
    return Text("Both", style="bold")


def status_line(r: Reflection | None) -> str:
    """How far a week has got, in a few words."""
    if r is None:
        return "not started"
    if r.done:
        return "done"
    n, total = r.position
    return f"under way, step {n} of {total}"
