"""The footer every screen shows, compact on narrow terminals so help and time-out stay visible."""

from __future__ import annotations

from textual import events
from textual._context import active_app
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from .watchers import forget_closed_watchers

NARROW = 100  # columns; below this the keys lose their padding instead of falling off the end
TIGHT = 80  # columns; below this (down to the 60 Hearth allows) the keys that work everywhere go first
FIRST = ("pause", "help")  # time-out and help: never the ones cut off at the right edge


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
        widgets = list(super().compose())
        for key in widgets:
            if isinstance(key, FooterKey) and not key.has_class("-command-palette"):  # not bound: stays compact
                # A key starts compact and is told the footer's style after mounting: at 100 columns
                # and up that change restyled every key of every footer a second time (measured: a
                # tenth of a screen's first open). Start it in the footer's style instead.
                key.set_reactive(FooterKey.compact, self.compact)
                key.set_class(self.compact, "-compact", update=False)
        if self.app.size.width < TIGHT:  # at 60x20 the last key read "Time-ou"
            first = [w for w in widgets if isinstance(w, FooterKey) and w.action in FIRST]
            first.sort(key=lambda w: FIRST.index(w.action))
            widgets = first + [w for w in widgets if w not in first]
        yield from widgets

    _keys_queued = False  # a recompose for changed keys is on its way

    def bindings_changed(self, screen: Screen) -> None:
        """Many changes of keys in one moment (a new screen's focus settling, its tabs mounting)
        make one recompose, not one each: Textual's Footer queued one per change, fifteen while
        History opened, each building and styling every key again (most of its 300 ms)."""
        if self._keys_queued:
            return
        super().bindings_changed(screen)  # queues a recompose only in this case:
        self._keys_queued = bool(screen.app.app_focus and self.is_attached and screen is self.screen)

    async def recompose(self) -> None:
        self._keys_queued = False  # from here on the keys are read afresh
        await super().recompose()

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow
        tight = self.app.size.width < TIGHT
        if tight != getattr(self, "_tight", None):
            if getattr(self, "_tight", None) is not None:
                self.refresh(recompose=True)
            self._tight = tight
