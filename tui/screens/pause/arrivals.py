"""A pause that came in from the other home: show its phase here, as a pause found at start is.

Its own module because it needs the router (which imports the phase screens), and the phase
screens import `across`: here nothing imports back, so there is no circle."""

from __future__ import annotations

from typing import Any

from textual.app import App

from ...core.pause import clock_label
from ...store import pauses as pause_store
from .across import ANSWERING
from .common import PauseScreenBase, ensure_watch
from .router import screen_for


def arrived(app: App, event: Any) -> None:
    """Something came in from the other home. If it touched the pause: keep the clock offset seen
    now, then show the pause's phase (a new time-out, the other's check-in, its end), unless one
    of you is answering a check-in on screen right now (that screen reads the pause again before
    it saves)."""
    if not event.touches("pause_active") or app.couple is None:
        return
    store = app.store
    pause_store.fold_remnant(store)  # a pause ended there while this home still wrote into it
    pause_store.keep_offset(store)
    pause = pause_store.active(store)
    top = app.screen
    showing = next((s for s in reversed(app.screen_stack) if isinstance(s, PauseScreenBase)), None)
    if showing is None:
        if pause is None:
            return
        ensure_watch(app)
        # No notice on top: the countdown itself says who asked and until when, and at 80x24 a
        # notice covered its line about where to find help.
        app.hide_private_turns()
        app.show_pause_phase(None)
        return
    if top is not showing:
        return  # under help, a curtain or the phrases: shown again when they close
    if getattr(showing, "over_talk", False) and pause is not None and pause.phase == "repair":
        return  # a time-out being taken over an open talk: the other's words there must not take over
    ended = getattr(showing, "other_home_ended", None)
    if pause is None and callable(ended):
        app.call_later(ended)  # finished at the other home: say so, rather than vanish
        return
    if pause is None:  # planned for later at the other home: say when, calmly
        was = getattr(getattr(showing, "pause", None), "id", None)
        planned = next((r for r in pause_store.waiting(store) if r.id == was and r.revisit_at), None)
        if planned is not None:
            app.notify(f"Your talk is planned for {clock_label(planned.revisit_at, app.clock.now())}; "
                       "home will remind you.", title="Pause", timeout=10)
    if pause is not None and type(screen_for(pause)) is type(showing):
        if not getattr(showing, "checks_in", False) or getattr(showing, "state", None) in ANSWERING:
            reader = getattr(showing, "read_again", None)
            if callable(reader):
                reader()  # the same phase, changed there (a countdown given more time)
            return
    app.show_pause_phase(showing)
