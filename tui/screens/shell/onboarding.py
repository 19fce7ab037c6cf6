"""First run: the two names, and nothing else, to begin."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Static

from ...widgets.footer import HearthFooter
from ...core.partners import MAX_NAME, Couple, clean_name, name_problem
from ...widgets.text_input import TextInput


class OnboardingScreen(Screen[Couple]):
    """Asks for both names. Tab moves between fields; Enter on the last one finishes."""

    SUB_TITLE = "Welcome"
    AUTO_FOCUS = "#name-a"  # set before the first frame, so a name typed at first sight lands in it
    HELP = (
        "Hearth is for two people taking turns at one keyboard. Type both of your names "
        "(nicknames are fine). You can change them later in Settings. Everything stays on "
        "this computer."
    )
    DEFAULT_CSS = """
    OnboardingScreen { align: center middle; }
    OnboardingScreen #welcome {
        width: 64; max-width: 100%; height: auto; padding: 0 2;
        border: round $primary;
    }
    OnboardingScreen Input { margin-bottom: 0; }
    OnboardingScreen .field-error { color: $error; height: auto; min-height: 1; }
    OnboardingScreen #intro { margin: 0; }
    OnboardingScreen #begin { margin-top: 0; width: 100%; }
    OnboardingScreen #where { margin: 0; color: $text-muted; }  /* the line it gave up: encryption's, now in it */
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="welcome"):
            yield Static(
                "Welcome to Hearth. It's a quiet place for the two of you to talk, take a pause, "
                "make agreements and look back on your week.",
                id="intro",
            )
            yield Static(Text(self._where()), id="where")
            yield Label("First partner's name")
            yield TextInput(placeholder="e.g. Ana", id="name-a", max_length=MAX_NAME)
            yield Static("", id="error-a", classes="field-error")
            yield Label("Second partner's name")
            yield TextInput(placeholder="e.g. Sam", id="name-b", max_length=MAX_NAME)
            yield Static("", id="error-b", classes="field-error")
            yield Button("Begin", id="begin", variant="primary")
        yield HearthFooter()

    def _where(self) -> str:
        """Where this couple's file lives, and the way to try Hearth without it."""
        path = Path(self.app.store.path)
        try:
            shown = "~/" + str(path.relative_to(Path.home()))
        except ValueError:
            shown = str(path)
        return (f"It all stays on this computer, in {shown}. To look around with sample data "
                "first, quit (ctrl+q) and run hearth --demo. To lock it with a passphrase each: "
                "Settings, later.")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "name-a" and not self.query_one("#name-b", Input).value.strip():
            self.query_one("#name-b", Input).focus()
        else:
            self.finish()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "begin":
            self.finish()

    def finish(self) -> None:
        a = self.query_one("#name-a", Input)
        b = self.query_one("#name-b", Input)
        problem_a = name_problem(a.value)
        problem_b = name_problem(b.value, a.value if not problem_a else None)
        self.query_one("#error-a", Static).update(problem_a or "")
        self.query_one("#error-b", Static).update(problem_b or "")
        if problem_a:
            a.focus()
            return
        if problem_b:
            b.focus()
            return
        self.dismiss(Couple.from_names(clean_name(a.value), clean_name(b.value)))
