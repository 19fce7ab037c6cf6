"""Shown while the terminal is smaller than Hearth can draw cleanly."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

#: The smallest window Hearth draws; below it this screen asks for more room.
MIN_WIDTH, MIN_HEIGHT = 60, 20


class TooSmallScreen(Screen[None]):
    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; }
    TooSmallScreen Static { width: auto; text-align: center; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self._update()

    def on_resize(self) -> None:
        self._update()

    def _update(self) -> None:
        w, h = self.app.size
        self.query_one("#too-small", Static).update(
            f"This window is {w}×{h}.\nHearth needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\n"
            "Make it a little larger; nothing is lost."
        )
