"""What Talk it through and the dream screen share: one body that shows a step at a time, the
typed text of its boxes, its error line, and applying one rule with what is on screen.

Neither is a PauseScreenBase: ctrl+t must still open a time-out over them at any moment."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Header, Static

from ...core.talk import TalkError
from ...widgets.draft_area import DraftArea
from ...widgets.footer import HearthFooter
from ...widgets.partner import partner_text
from ...widgets.swap import Focus, swap_children


class HardTalkScreen(Screen[None]):
    DEFAULT_CSS = """
    HardTalkScreen #hard-body { height: 1fr; padding: 0 2; }
    HardTalkScreen .step { text-style: bold; height: auto; }
    HardTalkScreen .explain { color: $text-muted; height: auto; }
    HardTalkScreen .safety { color: $text-muted; height: auto; margin-top: 1; text-style: italic; }
    HardTalkScreen .prompt { height: auto; margin-top: 1; text-style: bold; }
    HardTalkScreen .shown { height: auto; padding: 0 1; border-left: thick $secondary; }
    HardTalkScreen DraftArea { height: 5; min-height: 3; }
    HardTalkScreen DraftArea.small { height: 3; }
    HardTalkScreen .buttons { height: auto; }
    HardTalkScreen .buttons Button { margin-right: 2; }
    HardTalkScreen #turn-error { height: auto; }
    HardTalkScreen #turn-error.empty { display: none; }
    """

    def compose_top(self) -> ComposeResult:
        """Anything between the header and the body (the talk's timer line)."""
        yield from ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_top()
        yield VerticalScroll(id="hard-body")
        yield HearthFooter()

    def who(self, i: int) -> Text:
        return partner_text(self.app.couple[i])

    async def _show(self, *widgets: Widget, focus: Focus = None) -> None:
        """Show one step, with `focus` holding the keyboard from its first frame."""
        await swap_children(self.query_one("#hard-body", VerticalScroll), list(widgets), focus)
        self.refresh_bindings()

    def _area(self, draft_key: str, part: str = "text", classes: str = "") -> DraftArea:
        return DraftArea(self.app.store, draft_key, id=f"area-{part}", classes=classes)

    @staticmethod
    def error_line() -> Static:
        return Static("", id="turn-error", classes="field-error empty")

    def _text(self, part: str = "text") -> str:
        areas = self.query(f"#area-{part}")
        return areas.first(DraftArea).text if areas else ""

    def _error(self, message: str) -> None:
        error = self.query_one("#turn-error", Static)
        error.update(message)
        error.remove_class("empty")

    def _save(self) -> None:
        raise NotImplementedError

    async def show_current(self) -> None:
        raise NotImplementedError

    async def _step(self, rule: Callable[[datetime], object]) -> None:
        """Apply one rule with what is on screen. If it holds, the drafts are done with, the
        state is saved and the next step shows; if not, its message shows and nothing is lost."""
        try:
            rule(self.app.clock.now())
        except TalkError as exc:
            self._error(str(exc))
            return
        for area in self.query(DraftArea):
            area.discard()
        self._save()
        await self.show_current()
