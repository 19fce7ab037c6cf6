"""Which pause screen shows a pause in its current phase, and moving to it.

The phase screens derive from `common.PauseScreenBase`; they reach this module through the app
(`HearthApp.show_pause_phase`) or from the start screen, so no pause screen imports another in a circle.
"""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen

from ...core.pause import Pause
from .common import ensure_watch
from ...store import pauses as pause_store


def screen_for(pause: Pause) -> Screen:
    """The screen that shows a pause in its current phase (imported when first needed, so ctrl+t
    loads only the phase it shows)."""
    if pause.phase == "countdown":
        from .countdown import PauseCountdownScreen

        return PauseCountdownScreen()
    if pause.phase in ("checkin", "more_time"):
        from .checkin import CheckInScreen

        return CheckInScreen()
    from .repair import RepairScreen

    return RepairScreen()


def goto_phase(app: App, current: Screen | None) -> None:
    """Replace `current` with the screen for the active pause's phase; pop it if the pause is over."""
    pause = pause_store.active(app.store)
    if pause is None:
        if current is not None and app.screen is current:
            current.dismiss()
        return
    ensure_watch(app)
    target = screen_for(pause)
    if current is not None and app.screen is current:
        app.switch_screen(target)
    else:
        app.push_screen(target)
