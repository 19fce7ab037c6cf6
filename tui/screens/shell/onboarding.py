"""First run: the two names, and nothing else, to begin."""

from __future__ import annotations

import json
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Header, Input, Label, Static

from ...widgets.footer import HearthFooter
from ...core.partners import MAX_NAME, Couple, clean_name, name_problem
from ...store.drafts import clear_draft, load_draft, save_draft
from ...widgets.text_input import LimitLine, TextInput

#: The draft key for names typed here before Begin: a terminal closed on this screen keeps them.
NAMES_DRAFT = "onboarding:names"
#: Seconds from a change to the names being written as a draft (at once on quit or a signal).
DRAFT_AFTER = 0.4


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

    _timer: Timer | None = None
    _begun = False  # Begin took the names: no draft from here on

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._limits = LimitLine()

    def on_mount(self) -> None:
        """Names typed last time, before the terminal closed, are filled in again."""
        raw = load_draft(self.app.store, NAMES_DRAFT)
        try:
            typed = json.loads(raw) if raw else {}
        except ValueError:
            typed = {}
        if not isinstance(typed, dict):
            typed = {}
        for key in ("a", "b"):
            value = typed.get(key)
            if isinstance(value, str) and value:
                field = self.query_one(f"#name-{key}", Input)
                field.value = value[:MAX_NAME]
                field.cursor_position = len(field.value)
        if typed.get("a") and not typed.get("b"):
            self.query_one("#name-b", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("name-a", "name-b"):  # a full name box says so, as it fills
            self._limits.follow(event.input, self.query_one(f"#error-{event.input.id[-1]}", Static))
        if self._timer is None and not self._begun:
            self._timer = self.set_timer(DRAFT_AFTER, self.save_drafts)

    def save_drafts(self) -> None:
        """Keep what is typed (called after a pause in typing, and by the app on quit or a signal)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._begun:
            return
        a = self.query_one("#name-a", Input).value
        b = self.query_one("#name-b", Input).value
        text = json.dumps({"a": a, "b": b}, ensure_ascii=False) if a or b else ""
        if text != (load_draft(self.app.store, NAMES_DRAFT) or ""):
            save_draft(self.app.store, NAMES_DRAFT, text)  # empty: the draft goes

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
        for field, problem in ((a, problem_a), (b, problem_b)):
            self._limits.forget(field)
            self.query_one(f"#error-{field.id[-1]}", Static).update(problem or "")
        if problem_a:
            a.focus()
            return
        if problem_b:
            b.focus()
            return
        self._begun = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.dismiss(Couple.from_names(clean_name(a.value), clean_name(b.value)))
        clear_draft(self.app.store, NAMES_DRAFT)  # the names are the couple's now
