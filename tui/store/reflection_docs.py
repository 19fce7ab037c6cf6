"""A stored week read back as a Reflection, apart from the rest of the reflections' store: the
export's withholding (tui.store.withhold) needs it, and reflections imports the export module,
so keeping it there made an import circle."""

from __future__ import annotations

from typing import Any

from ..core.reflection import Reflection

#: Each home's furthest step of a week played apart (the step shown is the furthest either reached).
REACHED = "reached"


def furthest(r: Reflection, reached: Any) -> Reflection:
    """The week at the furthest step either home has reached (`reached`: home id -> step)."""
    if not isinstance(reached, dict) or r.step not in r.steps:
        return r  # (finished weeks keep their own fields)
    at = r.steps.index(r.step)
    best = max((r.steps.index(v) for v in reached.values() if isinstance(v, str) and v in r.steps), default=at)
    if best > at:
        r.step = r.steps[best]
    return r


def from_doc(doc: Any) -> Reflection | None:
    """A stored week as a Reflection, or None when there is none or it cannot be read."""
    if not doc:
        return None
    try:
        return furthest(Reflection.from_dict(dict(doc)), doc.get(REACHED))
    except (KeyError, TypeError, ValueError):
        return None
