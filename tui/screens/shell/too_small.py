"""Shown while the terminal is smaller than Hearth can draw cleanly."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

#: The smallest window Hearth draws; below it this screen asks for more room.
MIN_WIDTH, MIN_HEIGHT = 60, 20


class TooSmallScreen(Screen[None]):
    """Covers the screen while the window is too small. What is typed meanwhile is kept in
    `typed` and handed back to the text box underneath when the window is large again (a
    newcomer's words typed while it showed were lost)."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; }
    TooSmallScreen Static { width: 100%; text-align: center; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.typed: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            self.typed.append("\n")
        elif event.key == "backspace":
            if self.typed:
                self.typed.pop()
        elif event.is_printable and event.character:
            self.typed.append(event.character)
        elif event.key in ("escape", "tab", "shift+tab", "up", "down", "left", "right", "pageup", "pagedown",
                           "home", "end", "delete"):
            pass  # would move or leave the screen underneath, unseen
        else:
            return  # ctrl+t, ctrl+q and the like still work
        event.prevent_default()
        event.stop()

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
