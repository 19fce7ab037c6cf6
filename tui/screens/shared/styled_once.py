"""A screen whose first showing is styled once, not twice."""

from __future__ import annotations

from textual import events


class StyledOnce:
    """Put before Screen in the bases. Textual restyles a whole screen each time it shows, the
    first time too, when every widget was styled as it mounted a moment before: styling them all
    again was a fifth of a screen's first open (measured at 100x30). The first showing skips it;
    later showings (back from a screen above) restyle as before. Textual calls this handler before
    Screen's own, which reads `refresh_styles`."""

    _styled_once = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._styled_once:
            self._styled_once = True
            event.refresh_styles = False
