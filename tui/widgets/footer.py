"""The footer every screen shows, compact on narrow terminals so help and time-out stay visible."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

NARROW = 100  # columns; below this the keys lose their padding instead of falling off the end


class HearthFooter(Footer):
    """Textual's Footer, made compact under 100 columns: at 80x24 a screen with five keys of its
    own would otherwise push F1 Help and ^t Time-out out of sight. There the ctrl+p hint goes too;
    help (F1) lists ctrl+p with the keys that work everywhere."""

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow
