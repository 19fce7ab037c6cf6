"""A pause across two homes: a time-out taken at the other computer shows here as soon as it
arrives, and on a computer of one partner the check-in asks only that partner.

Kept apart from the phase screens so they change by a line or two; the app calls `arrived` when
something came in from the other home (tui/widgets/two_homes.py)."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.widgets import Static

from ...core.pause import Pause, clock_label
from .common import PauseScreenBase, ensure_watch
from .router import screen_for
from ...store import pauses as pause_store
from ...store.sync_watch import this_partner
from ...widgets.two_homes import merge_soon

__all__ = ["arrived", "may_undo", "me", "merge_soon", "turn_here", "waiting_line"]

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


def arrived(app: App, event: Any) -> None:
    """Something came in from the other home. If it touched the pause: keep the clock offset seen
    now, then show the pause's phase (a new time-out, the other's check-in, its end), unless one
    of you is answering a check-in on screen right now (that screen reads the pause again before
    it saves)."""
    if not event.touches("pause_active") or app.couple is None:
        return
    store = app.store
    pause_store.keep_offset(store)
    pause = pause_store.active(store)
    top = app.screen
    showing = next((s for s in reversed(app.screen_stack) if isinstance(s, PauseScreenBase)), None)
    if showing is None:
        if pause is None:
            return
        ensure_watch(app)
        caller = app.couple[pause.caller].name
        if pause.phase == "countdown" and not pause.time_up(app.clock.now()):
            app.notify(f"{caller} asked for a pause until {clock_label(pause.deadline, app.clock.now())}.",
                       title="Pause", timeout=10)
        app.hide_private_turns()
        app.show_pause_phase(None)
        return
    if top is not showing:
        return  # under help, a curtain or the phrases: shown again when they close
    if pause is not None and type(screen_for(pause)) is type(showing):
        if not getattr(showing, "checks_in", False) or getattr(showing, "state", None) in ANSWERING:
            reader = getattr(showing, "read_again", None)
            if callable(reader):
                reader()  # the same phase, changed there (a countdown given more time)
            return
    app.show_pause_phase(showing)
