"""The footer every screen shows, compact on narrow terminals so help and time-out stay visible."""

from __future__ import annotations

from textual import events
from textual._context import active_app
from textual.app import ComposeResult
from textual.widgets import Footer

from tui.widgets.watchers import forget_closed_watchers

NARROW = 100  # columns; below this the keys lose their padding instead of falling off the end


class HearthFooter(Footer):
    """Textual's Footer, made compact under 100 columns: at 80x24 a screen with five keys of its
    own would otherwise push F1 Help and ^t Time-out out of sight. There the ctrl+p hint goes too;
    help (F1) lists ctrl+p with the keys that work everywhere."""

    def __init__(self) -> None:
        # Start in the right style: changing it after the first layout costs a restyle of every key.
        try:
            narrow = active_app.get().size.width < NARROW
        except LookupError:
            narrow = False
        super().__init__(compact=narrow, show_command_palette=not narrow)

    def compose(self) -> ComposeResult:
        # Footer recomposes at every change of keys, after removing the old ones, and each new key
        # watches `compact`: without this every key ever shown stayed alive (tui/widgets/watchers.py).
        forget_closed_watchers(self)
        yield from super().compose()

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow
