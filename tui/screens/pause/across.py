"""A pause across two homes: a time-out taken at the other computer shows here as soon as it
arrives, and on a computer of one partner the check-in asks only that partner.

Kept apart from the phase screens so they change by a line or two. What the app does when
something comes in from the other home is in `arrivals.py` (it needs the router, which imports
the phase screens that import this module)."""

from __future__ import annotations

from datetime import datetime

from textual.app import App
from textual.widgets import Static

from ...core.pause import Pause, clock_label
from ...store.sync_watch import this_partner
from ...widgets.two_homes import merge_soon

__all__ = ["ANSWERING", "may_undo", "me", "merge_soon", "ready_explain", "ready_line", "turn_here",
           "waiting_line"]

#: States of the check-in screen in which one partner is answering: never replaced under them.
ANSWERING = ("curtain", "turn")


def me(app: App) -> int | None:
    """Whose computer this is (0 or 1), or None when both of you use it."""
    return this_partner(app.store)


def turn_here(app: App, pause: Pause) -> int | None:
    """Who checks in next at this computer: on a computer of one partner, only that partner."""
    mine = me(app)
    if mine is None:
        return pause.next_to_check_in()
    if pause.phase != "checkin" or mine in pause.current_round:
        return None
    return mine


def may_undo(app: App, pause: Pause) -> bool:
    """A pause started by mistake is taken back at the computer where it was taken (on a computer
    of one partner, only by the one who asked for it)."""
    mine = me(app)
    return mine is None or mine == pause.caller


def waiting_line(app: App, pause: Pause) -> Static:
    """'Waiting for Sam's check-in on Sam's computer.'"""
    mine = me(app)
    other = app.couple[1 - mine] if mine is not None else None
    name = other.name if other else "your partner"
    return Static(f"Thank you. Waiting for {name}'s check-in on {name}'s computer; "
                  "this moves on by itself when it arrives.", classes="line", id="waiting-other")


def _other_name(app: App, mine: int) -> str:
    other = app.couple[1 - mine] if app.couple else None
    return other.name if other else "your partner"


def ready_explain(app: App, pause: Pause, now: datetime) -> Static:
    """Before an early "I'm ready" at two homes: what it does, and what it does not."""
    mine = me(app)
    name = _other_name(app, mine)
    until = clock_label(pause.deadline, now)
    if pause.said_ready(1 - mine):
        text = f"{name} is ready too, so the check-in begins at both homes as soon as you say so."
    else:
        text = (f"When you say you're ready, {name} sees it at their computer. The check-in begins when "
                f"{name} is ready too, or at {until}, whichever comes first; until then the pause goes on.")
    return Static(text, classes="line", id="ready-explain")


def ready_line(app: App, pause: Pause, now: datetime) -> str:
    """On the countdown at two homes: who has said they're ready early, calmly; '' if no one."""
    mine = me(app)
    if mine is None or pause.phase != "countdown" or pause.time_up(now):
        return ""
    name, until = _other_name(app, mine), clock_label(pause.deadline, now)
    if pause.waiting_on_ready(mine):
        return (f"You've said you're ready. {name} hasn't said so yet, and that's all right: "
                f"the pause goes on until {until}, or until {name} is ready too.")
    if pause.waiting_on_ready(1 - mine):
        return f"{name} is ready whenever you are. Take the time you need: the pause goes on until {until}."
    return ""
