"""The round's two questions: leave the round for now, and keep an answer that won't be revealed."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Button, Static

from ...core.partners import Partner
from ..shared.question import QuestionScreen
from ...widgets.partner import partner_text


class LeaveRoundScreen(QuestionScreen[str]):
    """Escape during a round: keep going, leave it for later, or end it here."""

    BINDINGS = [Binding("escape", "stay", "Keep going", id="rounds.leave_round.stay")]
    WORDS = ("Everything answered so far is saved. Leave it for later and pick it up at this card "
             "(press 1 on home), or end it here and see what you shared. An answer not yet revealed "
             "stays with its writer if they want it.")

    def lines(self) -> list[Widget]:
        return [Static(Text("Leave this round for now?", style="bold")), Static(self.WORDS)]

    def buttons(self) -> list[Button]:
        return [Button("Keep going", id="stay", variant="primary"), Button("Leave for later", id="later"),
                Button("End it here", id="end")]

    def answer(self, button_id: str) -> str:
        return button_id or "stay"

    def action_stay(self) -> None:
        self.dismiss("stay")


class KeepAnswerScreen(QuestionScreen[bool]):
    """Asked of one writer, alone at the keyboard, when their answer will not be revealed: keep it
    for themselves (never shown to the partner) or let it go. Esc keeps it: no word is lost by a
    key pressed in a hurry. The answer itself is not shown, so a pause over this leaves nothing."""

    BINDINGS = [Binding("escape", "keep", "Keep it", id="rounds.keep_answer.keep")]

    def __init__(self, writer: Partner, why: Text, card_text: str) -> None:
        super().__init__()
        self.writer = writer
        self.why = why
        self.card_text = card_text

    def lines(self) -> list[Widget]:
        return [
            Static(Text.assemble(partner_text(self.writer), ", your answer to this card won't be revealed.",
                                 style="bold")),
            Static(Text(self.card_text), classes="hint"),
            Static(Text.assemble(self.why, " Keep it for yourself? Only you open it, from History, "
                                 "after a curtain with your name. Or let it go.")),
        ]

    def buttons(self) -> list[Button]:
        return [Button("Keep it for me", id="keep", variant="primary"), Button("Let it go", id="drop")]

    def answer(self, button_id: str) -> bool:
        return button_id == "keep"

    def action_keep(self) -> None:
        self.dismiss(True)
