"""Closing a screen once, whatever arrives at once.

Textual's `Screen.dismiss` pops whichever screen is on top. Keys typed quickly in a terminal
arrive together and are all queued for the screen on top before the first one is handled, so a
second Enter or Space meant for a curtain or a dialog that is already closing would close the
screen below it too (or, on the last screen, raise ScreenStackError)."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def dismiss_once(screen: Screen[Any], result: Any = None) -> bool:
    """Dismiss `screen` with `result` if it is on top and not dismissed yet; say whether it was."""
    if getattr(screen, "_dismissed_once", False) or not screen.is_attached or screen.app.screen is not screen:
        return False
    screen._dismissed_once = True  # type: ignore[attr-defined]
    screen.dismiss(result)
    return True
