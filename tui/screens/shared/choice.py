"""A short question with a few buttons, as a dialog over the screen (agreements, settings)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from .closing import dismiss_once


class ChoiceDialog(ModalScreen[str | None]):
    """A short question with a few buttons; returns the chosen id, or None on Escape."""

    BINDINGS = [Binding("escape", "cancel", "Close", id="agreements.choice.cancel")]
    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog #choice-box {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 1 2;
    }
    ChoiceDialog #choice-question { margin-bottom: 1; }
    ChoiceDialog #choice-buttons { height: auto; }
    ChoiceDialog #choice-buttons Button { margin-right: 2; min-width: 0; width: auto; }
    """

    def __init__(self, question: str | Text, choices: list[tuple[str, str]], *, focus: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.choices = choices
        self.focus_id = focus or choices[0][0]

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(self.question, id="choice-question")
            with Horizontal(id="choice-buttons"):
                for cid, label in self.choices:
                    yield Button(label, id=f"choice-{cid}", compact=True,
                                 variant="primary" if cid == self.focus_id else "default")

    def on_mount(self) -> None:
        self.query_one(f"#choice-{self.focus_id}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        dismiss_once(self, (event.button.id or "").removeprefix("choice-"))

    def action_cancel(self) -> None:
        dismiss_once(self, None)
