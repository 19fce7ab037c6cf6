"""The weekly reflection on one partner's own computer: my private part, then a kind wait for
the other's, then the reveal once both are in (rules in tui/core/reflection_apart.py).

No curtain here: nobody else is at this keyboard. Nothing of the other's part is shown, or
even said, beyond that it is in.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ...core import reflection_apart as apart
from ...core.reflection import PRIVATE_STEPS, STEP_TITLES, Reflection
from .step_form import StepForm

WAITING = "waiting"


def prepared(r: Reflection, me: int | None, now: datetime) -> Reflection:
    """The week as this computer works on it: once both parts are in, at the reveal (in memory
    only; it is saved with the first shared step taken here)."""
    if me is not None and r.step in PRIVATE_STEPS and apart.both_in(r):
        return apart.open_shared(r, now)
    return r


def where(r: Reflection, me: int | None) -> str:
    """The step this computer shows: a shared step, my next private step, or the wait."""
    if me is None:
        return r.step
    if r.step not in PRIVATE_STEPS:
        return apart.REVEAL if apart.reveal_waits(r, me) else r.step
    todo = apart.still_to_do(r, me)
    return todo[0] if todo else WAITING


def progress_text(r: Reflection, me: int, other_name: str) -> str:
    """'your part, 1 of 2 · Appreciations', or the wait, for the line above the step."""
    step = where(r, me)
    if step == WAITING:
        return f"your part is in · waiting for {other_name}'s"
    mine = apart.private_steps(r)
    return f"your part, {mine.index(step) + 1} of {len(mine)} · {STEP_TITLES[step]}"


class WaitingForm(StepForm):
    """My part is in and the other's is not: say so kindly; the reveal opens by itself."""

    next_label = "Leave for now"
    skip_label = ""

    def content(self) -> ComposeResult:
        other = self.couple[1 - self.partner].name
        yield Static(
            Text(f"Your part is in. When {other}'s part arrives, you'll see them side by side."),
            classes="step-title", id="waiting-note",
        )
        yield Static(
            f"You can stay or leave: it is saved, and {other}'s part finds its way here by itself. "
            "Nothing of either part is shown until both are in.",
            classes="step-hint",
        )
