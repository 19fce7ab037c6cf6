"""The weekly reflection's optional steps (rules in tui/core/reflection_extras.py), and the choice
of them when a week begins.

The forms are step forms (step_form.py), as the flow screen (flow.py) asks. They do not import
flow.py, which finds them lazily, so there is no import circle."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, RadioSet, Static

from ...core import reflection_extras as extras
from ...core.content import help_text, load
from ...core.reflection import EXTRA_STEPS, STEP_TITLES, Reflection
from ...core.talk import MAX_TOPIC, Talk
from .parts import draft_key
from .step_form import StepForm
from ...widgets.draft_area import DraftArea
from ...widgets.partner import TurnBanner, partner_text
from ...widgets.toggles import MarkedCheckbox, MarkedRadioButton

EXTRA_HINTS = {  # short: a checkbox line at 80 columns
    "one_issue": "a short turn each, understand first",
    "good_times": "something to look forward to",
    "feel_loved": "what would help, asked of each",
}
SETTING = "reflection_extras"


class ExtraStepForm(StepForm):
    """The flow's step form, with what the optional steps share: their answer boxes, kept as drafts."""

    DEFAULT_CSS = """
    ExtraStepForm .shown { height: auto; padding: 0 1; border-left: thick $secondary; }
    ExtraStepForm DraftArea { height: 4; min-height: 3; }
    ExtraStepForm #who-first { layout: horizontal; height: 3; width: 100%; }
    ExtraStepForm #who-first > RadioButton { width: auto; margin-right: 2; }
    """
    HELP = ""

    @property
    def reflection(self) -> Reflection:
        return self.flow.reflection

    def key(self, *parts: str) -> str:
        return draft_key(self.week, *parts)

    def first_focus(self) -> Widget | None:
        areas = self.query(DraftArea)
        return areas.first() if areas else self.query_one("#next", Button)

    def text(self, widget_id: str) -> str:
        return self.query_one(widget_id, DraftArea).text

    def submit(self, r: Reflection, now: datetime) -> Reflection:
        raise NotImplementedError

    def skip(self, r: Reflection, now: datetime) -> Reflection:
        for area in self.query(DraftArea):
            area.save_now()
        return super().skip(r, now)

    def discard_drafts(self) -> None:
        for area in self.query(DraftArea):
            area.discard()


# -- one issue -------------------------------------------------------------------------------------------
PROMPTS = {
    "speak": "your turn to speak",
    "mirror": "say back what you heard",
    "check": "did I get it?",
    "validate": "what makes sense to you",
}


class OneIssueForm(ExtraStepForm):
    HELP = help_text("reflection", "OneIssueForm")

    @property
    def talk(self) -> Talk | None:
        return extras.issue_talk(self.reflection)

    def content(self) -> ComposeResult:
        talk = self.talk
        t = load("talk")["talk"]
        yield Static("One issue", classes="step-title")
        if talk is None:
            yield Static("Choose one topic from this week together. Understand first, solve later.",
                         classes="step-hint")
            yield Input(placeholder="The topic, in a few words", id="issue-topic", max_length=MAX_TOPIC)
            yield Static("Who speaks first?", classes="step-title")
            yield RadioSet(*[MarkedRadioButton(partner_text(p), value=p.index == 0, id=f"issue-first-{p.index}")
                             for p in self.couple.partners], id="who-first")
            return
        speaker, listener = talk.speaker, talk.listener
        holder = talk.floor()
        yield TurnBanner(self.couple[holder], PROMPTS.get(talk.stage, "your turn"))
        yield Static(Text(f"Topic: {talk.topic}", style="dim"))
        if talk.stage == "speak":
            yield Static(t["speak"], classes="step-title")
        else:
            yield Static(Text.assemble(partner_text(self.couple[speaker]), " said:"), classes="step-title")
            yield Static(Text(talk.piece()), classes="shown")
        if talk.stage == "check":
            heard = talk.last("mirror")
            yield Static(Text.assemble(partner_text(self.couple[listener]), " heard:"), classes="step-title")
            yield Static(Text(heard.text if heard else ""), classes="shown")
            yield Static("Leave the box empty if they got it, or add what was missed.", classes="step-hint")
        elif talk.stage == "mirror":
            yield Static(t["mirror"], classes="step-hint")
        elif talk.stage == "validate":
            yield Static(t["validate"] + " \"That makes sense to me, because…\"", classes="step-hint")
        yield DraftArea(self.store, self.key("one_issue", talk.draft_key()), id="issue-text")
        if talk.stage == "validate":
            yield Static(t["feeling"], classes="step-hint")
            yield DraftArea(self.store, self.key("one_issue", talk.draft_key("feeling")), id="issue-feeling")

    def first_focus(self) -> Widget | None:
        if self.talk is None:
            return self.query_one("#issue-topic", Input)
        return super().first_focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#who-first", RadioSet).focus()

    def submit(self, r: Reflection, now: datetime) -> Reflection:
        talk = self.talk
        if talk is None:
            pressed = self.query_one("#who-first", RadioSet).pressed_button
            first = int(str(pressed.id)[-1]) if pressed is not None else 0
            return extras.begin_issue(r, first, self.query_one("#issue-topic", Input).value, now)
        said = self.text("#issue-text")
        if talk.stage == "speak":
            return extras.issue_turn(r, lambda t: t.speak(said, now), now)
        if talk.stage == "mirror":
            return extras.issue_turn(r, lambda t: t.mirror(said, now), now)
        if talk.stage == "check":
            if said.strip():
                return extras.issue_turn(r, lambda t: t.correct(said, now), now)
            return extras.issue_turn(r, lambda t: t.confirm(now), now)
        feeling = self.text("#issue-feeling")
        return extras.issue_turn(r, lambda t: t.validate(said, feeling, now), now)


# -- good times and feeling loved -------------------------------------------------------------------------
class GoodTimesForm(ExtraStepForm):
    HELP = help_text("reflection", "GoodTimesForm")

    def content(self) -> ComposeResult:
        yield Static("Plan for good times", classes="step-title")
        yield Static("One thing to look forward to together next week: a meal, a walk, an evening, "
                     "anything you'd both enjoy.", classes="step-hint")
        yield DraftArea(self.store, self.key("good_times"), id="good-times")

    def submit(self, r: Reflection, now: datetime) -> Reflection:
        return extras.plan_good_times(r, self.text("#good-times"), now)


class FeelLovedForm(ExtraStepForm):
    HELP = help_text("reflection", "FeelLovedForm")

    def content(self) -> ComposeResult:
        yield Static("What would help you feel loved this week?", classes="step-title")
        yield Static("Something small and concrete the other can do. Either of you may leave yours empty.",
                     classes="step-hint")
        for p in self.couple.partners:
            yield Static(partner_text(p), classes="step-title")
            yield DraftArea(self.store, self.key("feel_loved", f"p{p.index}"), id=f"loved-{p.index}")

    def submit(self, r: Reflection, now: datetime) -> Reflection:
        return extras.feel_loved(r, {p: self.text(f"#loved-{p}") for p in (0, 1)}, now)


EXTRA_FORMS: dict[str, type[ExtraStepForm]] = {
    "one_issue": OneIssueForm,
    "good_times": GoodTimesForm,
    "feel_loved": FeelLovedForm,
}


# -- choosing them when a week begins -----------------------------------------------------------------------
class ExtrasChoiceScreen(ModalScreen[tuple[str, ...] | None]):
    """Which optional steps this week has; ticked as in Settings to begin with."""

    SUB_TITLE = "Weekly reflection"
    HELP = help_text("reflection", "ExtrasChoiceScreen")
    BINDINGS = [Binding("escape", "cancel", "Back", id="reflection.extras_choice.cancel"), Binding("ctrl+s", "begin", "Begin", id="reflection.extras_choice.begin")]
    DEFAULT_CSS = """
    ExtrasChoiceScreen { align: center middle; }
    ExtrasChoiceScreen #extras-box { width: 72; max-width: 100%; height: auto; border: round $primary;
        background: $surface; padding: 0 1; }
    ExtrasChoiceScreen .hint { color: $text-muted; }
    ExtrasChoiceScreen Horizontal { height: auto; }
    """

    def __init__(self, chosen: Sequence[str]) -> None:
        super().__init__()
        self.chosen = extras.clean_extras(chosen)

    def compose(self) -> ComposeResult:
        with Vertical(id="extras-box"):
            yield Static(Text("Add to this week's reflection?", style="bold"))
            for step in EXTRA_STEPS:
                yield MarkedCheckbox(f"{STEP_TITLES[step]}: {EXTRA_HINTS[step]}", value=step in self.chosen,
                                     id=f"extra-{step}")
            yield Static("Your usual choice is in Settings.", classes="hint")
            with Horizontal():
                yield Button("Begin", id="begin", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#begin", Button).focus()

    def picked(self) -> tuple[str, ...]:
        return tuple(s for s in EXTRA_STEPS if self.query_one(f"#extra-{s}", Checkbox).value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_begin()

    def action_begin(self) -> None:
        self.dismiss(self.picked())

    def action_cancel(self) -> None:
        self.dismiss(None)


def begin_full(app: Any, week: Any, *, choose: bool, flow: type) -> None:
    """Begin a week's full reflection with the extras chosen in Settings, or, when `choose`,
    with those ticked now (`flow` is the flow screen's class, passed in to keep imports one-way)."""
    from ...store.profile import setting

    usual = extras.clean_extras(setting(app.store, SETTING, []) or [])
    if not choose:
        app.push_screen(flow(week, "full", usual))
        return

    def begin(chosen: tuple[str, ...] | None) -> None:
        if chosen is not None:
            app.push_screen(flow(week, "full", chosen))

    app.push_screen(ExtrasChoiceScreen(usual), begin)
