"""The pass-the-keyboard curtain: fills the screen between private turns, showing nothing
of the turn before, until the named partner presses a key."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Center, Middle, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from ...core.partners import Partner
from .closing import dismiss_once
from ...widgets.partner import partner_text


LIFT_KEYS = ("enter", "space")


class CurtainScreen(Screen[None]):
    """Lifts on the keys it names, Enter or Space, or a click: any other key (Esc above all, a
    habit for 'back') does nothing, so nobody lands on the next turn's buttons by surprise.
    ctrl+t still opens a pause, through the app's priority binding."""

    HELP = (
        "Hand the keyboard over. Nothing private is on screen. "
        "The person named presses Enter or Space when they are ready."
    )
    DEFAULT_CSS = """
    CurtainScreen {
        align: center middle;
        background: $background;
    }
    CurtainScreen #curtain-box {
        width: 60;
        max-width: 100%;
        height: auto;
        padding: 1 2;
        border: round $primary;
    }
    CurtainScreen .curtain-name { text-align: center; width: 1fr; }
    CurtainScreen .curtain-hint { text-align: center; width: 1fr; color: $text-muted; margin-top: 1; }
    """

    def __init__(self, partner: Partner, note: str = "") -> None:
        super().__init__()
        self.partner = partner
        self.note = note

    def compose(self) -> ComposeResult:
        with Middle():
            with Center():
                yield Vertical(id="curtain-box")

    def on_mount(self) -> None:
        box = self.query_one("#curtain-box")
        box.styles.border = ("round", self.partner.colour)
        line = partner_text(self.partner)
        line.stylize("bold")
        text = partner_text(self.partner)
        from rich.text import Text

        msg = Text.assemble("Pass the keyboard to ", text, ".")
        box.mount(Static(msg, classes="curtain-name"))
        hint = self.note or "Nothing private is on screen."
        box.mount(Static(f"{hint}\nPress Enter or Space when you are ready.", classes="curtain-hint"))

    def on_key(self, event: events.Key) -> None:
        if event.key in ("ctrl+q", "ctrl+t", "f1"):
            return  # let the app's bindings handle these
        event.stop()
        if event.key in LIFT_KEYS:
            dismiss_once(self)  # keys pressed quickly after the lift are let go, not passed on

    def on_click(self) -> None:
        dismiss_once(self)


class PrivateTurnGuard:
    """Mixed into a screen that shows one partner's private turn.

    A pause can open over that turn, and the keyboard can change hands before the screen is seen
    again. So the turn is hidden the moment a pause opens, and when the screen is back on top the
    curtain names its owner again before anything private is shown.
    """

    def private_owner(self) -> Partner | None:
        """The partner whose private turn is on screen now, or None."""
        raise NotImplementedError

    def private_area(self) -> Widget:
        """The part of the screen that holds the private turn."""
        raise NotImplementedError

    async def show_private_again(self, owner: Partner) -> None:
        """Rebuild the private turn for `owner` (its drafts were saved when the pause opened)."""
        raise NotImplementedError

    def hide_for_pause(self) -> None:
        owner = self.private_owner()
        if owner is None:
            return
        self._guarded_owner = owner
        self.private_area().display = False

    def on_screen_resume(self) -> None:
        owner: Partner | None = getattr(self, "_guarded_owner", None)
        if owner is None:
            return
        self._guarded_owner = None
        self.app.push_screen(CurtainScreen(owner, "Welcome back. The turn you left is waiting."),
                             lambda _: self.call_after_refresh(self._lift_guard, owner))

    async def _lift_guard(self, owner: Partner) -> None:
        self.private_area().display = True
        await self.show_private_again(owner)
