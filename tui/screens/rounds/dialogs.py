"""The round's two questions: leave the round for now, and keep an answer that won't be revealed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.core.partners import Partner
from tui.widgets.partner import partner_text


class LeaveRoundScreen(ModalScreen[str]):
    """Escape during a round: keep going, leave it for later, or end it here."""

    BINDINGS = [Binding("escape", "stay", "Keep going", id="rounds.leave_round.stay")]
    DEFAULT_CSS = """
    LeaveRoundScreen { align: center middle; }
    LeaveRoundScreen #leave-box {
        width: 64; max-width: 100%; height: auto; padding: 1 2;
        border: round $primary; background: $surface;
    }
    LeaveRoundScreen #leave-buttons { height: auto; margin-top: 1; }
    LeaveRoundScreen #leave-buttons Button { margin-right: 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="leave-box"):
            yield Static(Text("Leave this round for now?", style="bold"))
            yield Static("Everything answered so far is saved. Leave it for later and pick it up at "
                         "this card (press 1 on home), or end it here and see what you shared. An answer "
                         "not yet revealed stays with its writer if they want it.")
            with Horizontal(id="leave-buttons"):
                yield Button("Keep going", id="stay", variant="primary")
                yield Button("Leave for later", id="later")
                yield Button("End it here", id="end")

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "stay")

    def action_stay(self) -> None:
        self.dismiss("stay")


class KeepAnswerScreen(ModalScreen[bool]):
    """Asked of one writer, alone at the keyboard, when their answer will not be revealed: keep it
    for themselves (never shown to the partner) or let it go. Esc keeps it: no word is lost by a
    key pressed in a hurry. The answer itself is not shown, so a pause over this leaves nothing."""

    BINDINGS = [Binding("escape", "keep", "Keep it", id="rounds.keep_answer.keep")]
    DEFAULT_CSS = """
    KeepAnswerScreen { align: center middle; }
    KeepAnswerScreen #keep-box {
        width: 64; max-width: 100%; height: auto; padding: 1 2;
        border: round $primary; background: $surface;
    }
    KeepAnswerScreen #keep-buttons { height: auto; margin-top: 1; }
    KeepAnswerScreen #keep-buttons Button { margin-right: 1; }
    """

    def __init__(self, writer: Partner, why: Text, card_text: str) -> None:
        super().__init__()
        self.writer = writer
        self.why = why
        self.card_text = card_text

    def compose(self) -> ComposeResult:
        with Vertical(id="keep-box"):
            yield Static(Text.assemble(partner_text(self.writer), ", your answer to this card won't be revealed.",
                                       style="bold"))
            yield Static(Text(self.card_text), classes="hint")
            yield Static(Text.assemble(self.why, " Keep it for yourself? Only you open it, from History, "
                                       "after a curtain with your name. Or let it go."))
            with Horizontal(id="keep-buttons"):
                yield Button("Keep it for me", id="keep", variant="primary")
                yield Button("Let it go", id="drop")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "keep")

    def action_keep(self) -> None:
        self.dismiss(True)
