"""A short question in a box over the screen, answered with one of its buttons.

Asked before something that cannot be taken back, or that hands an answer away: the first
button is the safe one and holds the keyboard, and Esc (each screen binds it) picks it too."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button

AnswerT = TypeVar("AnswerT")


class QuestionScreen(ModalScreen[AnswerT], Generic[AnswerT]):
    """Subclasses give the question's lines, its buttons (the safe one first) and what each
    button answers; `BOX_CLASSES` may make the box narrow (`-narrow`) or a warning (`-warning`)."""

    BOX_CLASSES = ""
    DEFAULT_CSS = """
    QuestionScreen { align: center middle; }
    QuestionScreen #question-box {
        width: 64; max-width: 100%; height: auto; padding: 1 2;
        border: round $primary; background: $surface;
    }
    QuestionScreen #question-box.-narrow { width: 60; }
    QuestionScreen #question-box.-warning { border: round $error; }
    QuestionScreen #question-buttons { height: auto; margin-top: 1; }
    QuestionScreen #question-buttons Button { margin-right: 1; }
    """

    def lines(self) -> list[Widget]:
        """The question and what it means, above the buttons."""
        raise NotImplementedError

    def buttons(self) -> list[Button]:
        raise NotImplementedError

    def answer(self, button_id: str) -> AnswerT:
        """What pressing the button with this id answers."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id="question-box", classes=self.BOX_CLASSES):
            yield from self.lines()
            with Horizontal(id="question-buttons"):
                yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#question-buttons", Horizontal).query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self.answer(event.button.id or ""))
