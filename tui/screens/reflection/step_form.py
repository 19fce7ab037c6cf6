"""The shape every step of the reflection takes, the optional ones (extra_steps.py) too."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Static

from ...core import reflection as rules
from ...core.partners import Couple
from ...core.reflection import IsoWeek, Reflection


class StepForm(Vertical):
    """One step's content, with its message line and its Save and Skip buttons."""

    DEFAULT_CSS = """
    StepForm { height: 1fr; }
    StepForm > .step-scroll { height: 1fr; padding: 0 1; }
    StepForm .step-hint { color: $text-muted; margin-bottom: 1; }
    StepForm .step-title { text-style: bold; margin-top: 1; }
    StepForm .field-error { color: $error; height: auto; }
    StepForm > #step-error { padding: 0 1; }
    StepForm .words { height: 5; min-height: 3; }
    StepForm > .buttons { height: 3; padding: 0 1; }
    StepForm > .buttons Button { margin-right: 2; }
    """
    next_label = "Save and go on"
    skip_label = "Skip this step"

    def __init__(self, flow: Any, partner: int | None = None) -> None:
        super().__init__()
        self.flow = flow
        self.partner = partner

    @property
    def store(self):
        return self.flow.app.store

    @property
    def couple(self) -> Couple:
        return self.flow.app.couple

    @property
    def week(self) -> IsoWeek:
        return self.flow.week

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="step-scroll"):
            yield from self.content()
        yield Static("", classes="field-error", id="step-error")
        with Horizontal(classes="buttons"):
            yield Button(self.next_label, id="next", variant="primary")
            if self.skip_label:
                yield Button(self.skip_label, id="skip")

    def content(self) -> ComposeResult:
        yield from ()

    def first_focus(self) -> Widget | None:
        """Where the keyboard goes when this step first shows."""
        return self.query_one("#next", Button)

    def show_error(self, message: str) -> None:
        self.query_one("#step-error", Static).update(Text(message))

    def submit(self, r: Reflection, now) -> Reflection:
        return rules.advance(r, now)

    def skip(self, r: Reflection, now) -> Reflection:
        return rules.advance(r, now, skipped=True)

    def keep_typed(self, r: Reflection, now) -> Reflection | None:
        """When the other home moved the week on from this step: the week with what was typed
        here added to it, or None when there is nothing to add."""
        return None

    def discard_drafts(self) -> None:
        pass
