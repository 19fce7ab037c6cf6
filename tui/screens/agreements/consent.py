"""One partner's own turn to say yes to an agreement, after the curtain. Nothing about the
other's answer is on screen: each decides on their own."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from ...widgets.footer import HearthFooter
from ...core.agreements import KINDS, changes_since_agreed
from . import apart
from .parts import diff_text
from ...store import agreements as store_ag
from ...widgets.partner import TurnBanner


class ConsentScreen(Screen[bool | None]):
    """Dismisses with True (yes), False (not yet) or None (stepped away)."""

    SUB_TITLE = "Agreements · your answer"
    HELP = (
        "This is your own turn. Read the agreement and answer for yourself: yes if you agree to it "
        "as written, or not yet if you would like to talk about it or change it first. "
        "Not yet is a fine answer."
    )
    BINDINGS = [
        Binding("y", "answer(True)", "Yes, I agree", show=False, id="agreements.consent.answer_true"),
        Binding("n", "answer(False)", "Not yet", show=False, id="agreements.consent.answer_false"),
        Binding("escape", "step_away", "Step away", id="agreements.consent.step_away"),
    ]
    DEFAULT_CSS = """
    ConsentScreen #c-body { height: 1fr; padding: 0 1; }
    ConsentScreen #c-title { text-style: bold; margin-top: 1; }
    ConsentScreen #c-meta { color: $text-muted; }
    ConsentScreen #c-text { margin: 1 0; }
    ConsentScreen #c-changes-title { text-style: bold; }
    ConsentScreen #c-changed { height: auto; padding: 0 1; color: $warning; }
    ConsentScreen #c-elsewhere { height: auto; padding: 0 1; color: $text-muted; }
    ConsentScreen #c-question { height: auto; padding: 0 1; text-style: bold; }
    ConsentScreen #c-buttons { height: auto; padding: 0 1; }
    ConsentScreen #c-buttons Button { margin-right: 2; min-width: 0; width: auto; }
    """

    def __init__(self, agreement_id: int, who: int) -> None:
        super().__init__()
        self.agreement_id = agreement_id
        self.who = who
        self.changed_meanwhile = False

    def compose(self) -> ComposeResult:
        store = self.app.store
        a = store_ag.get(store, self.agreement_id)
        partner = self.app.couple[self.who]
        yield Header()
        yield TurnBanner(partner, "your turn to decide")
        with VerticalScroll(id="c-body"):
            yield Static(Text(a.title), id="c-title")
            yield Static(f"{store_ag.category_label(store, a.category)} · {KINDS.get(a.kind, a.kind)}", id="c-meta")
            yield Static(Text(a.text) if a.text else Text("(No text: the title says it all.)", style="italic"), id="c-text")
            changes = changes_since_agreed(a)
            if changes:
                yield Static("What changed since you both last agreed (- taken out, + added):", id="c-changes-title")
                # the whole text is just above, so only the changed lines here
                yield Static(diff_text([line for line in changes if line.mark != " "]), id="c-changes")
        if self.changed_meanwhile:
            yield Static("This agreement was just changed on the other computer: here it is as it is now.",
                         id="c-changed")
        other = 1 - self.who
        if apart.me(self.app) == self.who and other in a.waiting_for:
            name = self.app.couple[other].name
            yield Static(f"Your yes is yours alone; {name}'s comes from {name}'s computer.", id="c-elsewhere")
        yield Static("Do you agree to this, as it is written?", id="c-question")
        with Horizontal(id="c-buttons"):
            yield Button("Yes, I agree (y)", id="c-yes", variant="success", compact=True)
            yield Button("Not yet (n)", id="c-no", compact=True)
        yield HearthFooter()

    def on_mount(self) -> None:
        self.query_one("#c-body").focus()

    async def on_other_home_changed(self, event) -> None:
        """The other computer changed this agreement while it was being read: show it as it is
        now, so a yes is given to the words on screen."""
        if apart.touches(event, self.agreement_id):
            if not store_ag.exists(self.app.store, self.agreement_id):
                self.dismiss(None)  # deleted on the other computer
                return
            self.changed_meanwhile = True
            await self.recompose()
            self.query_one("#c-body").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "c-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_step_away(self) -> None:
        self.dismiss(None)
