"""Weekly reflection: choose a week and a length, walk the steps, see trends, export.

The screens are thin: every rule (weeks, steps, turns, scores, carry-over) lives in
tui.core.reflection and every read or write goes through tui.store.reflections. Each step
and each private turn is saved the moment it is submitted, so leaving is always safe.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import random
from functools import partial
from typing import Any, Callable, Sequence

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import (
    Button,
    Header,
    Input,
    Label,
    Markdown,
    OptionList,
    Select,
    Sparkline,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from tui.widgets.footer import HearthFooter
from tui.core import reflection as rules
from tui.core.content import load
from tui.core.partners import Couple, Partner
from tui.core.reflection import DONE, PRIVATE_STEPS, STEP_TITLES, ActionItem, IsoWeek, Reflection, ReflectionError
from tui.screens.shared.curtain import CurtainScreen, PrivateTurnGuard
from tui.store import reflections as store_r
from tui.store.drafts import clear_draft, drafts_with_prefix, load_draft, save_draft
from tui.store.due import due_lines
from tui.widgets.draft_area import DraftArea
from tui.widgets.partner import TurnBanner, partner_text
from tui.widgets.swap import swap_children
from tui.widgets.text_input import TextInput

AGREEMENTS_MODULE = "tui.store.agreements"
DRAFT_DELAY = 0.4  # seconds after the last rating before it is kept as a draft


def texts() -> dict[str, Any]:
    return load("reflection")


def draft_key(week: IsoWeek, *parts: str) -> str:
    return ":".join(("reflection", week.key, *parts))


def who_text(couple: Couple, who: str) -> Text:
    if who in rules.PARTNERS:
        return partner_text(couple[rules.PARTNERS.index(who)])
    return Text("Both", style="bold")


def status_line(r: Reflection | None) -> str:
    """How far a week has got, in a few words."""
    if r is None:
        return "not started"
    if r.done:
        return "done"
    n, total = r.position
    return f"under way, step {n} of {total}"


def agreement_lines(store: Any, now: Any) -> list[str]:
    """Agreements due for review, if the agreements feature offers `due_reviews(store, now)`.
    Asked defensively: the feature may not exist, or may answer in another shape."""
    try:
        if importlib.util.find_spec(AGREEMENTS_MODULE) is None:
            return []
        provider = getattr(importlib.import_module(AGREEMENTS_MODULE), "due_reviews", None)
        if not callable(provider):
            return []
        found = list(provider(store, now) or [])
    except Exception:
        return []
    lines = []
    for item in found:
        if isinstance(item, str):
            lines.append(item)
            continue
        title = item.get("title") if isinstance(item, dict) else getattr(item, "title", None)
        lines.append(f"Agreement to look at again together: {title or item}")
    return lines


# -- small widgets ------------------------------------------------------------------------------
class ChoiceRow(Widget, can_focus=True):
    """A title and a row of choices picked with number keys, ←/→ or a click.
    The chosen one is shown in [brackets] and reversed, so colour is not the only signal."""

    DEFAULT_CSS = """
    ChoiceRow { height: auto; padding: 0 1; border-left: blank; margin-bottom: 1; }
    ChoiceRow:focus { border-left: thick $accent; background: $boost; }
    """
    BINDINGS = [
        Binding("left", "move(-1)", "Choose the one before", show=False),
        Binding("right", "move(1)", "Choose the one after", show=False),
        Binding("up", "step_focus(-1)", "Previous line", show=False),
        Binding("down,enter", "step_focus(1)", "Next line", show=False),
        Binding("backspace,delete,0", "clear", "Clear", show=False),
    ]

    class Changed(Message):
        def __init__(self, row: "ChoiceRow", value: Any) -> None:
            super().__init__()
            self.row = row
            self.value = value

    def __init__(
        self,
        title: str | Text,
        choices: Sequence[tuple[Any, str]],
        value: Any = None,
        *,
        describe: Callable[[Any], str] | None = None,
        empty_hint: str = "",
        advance: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.title = title
        self.choices = list(choices)
        self._value = value
        self.describe = describe
        self.empty_hint = empty_hint
        self.advance = advance

    @property
    def value(self) -> Any:
        return self._value

    @value.setter
    def value(self, value: Any) -> None:
        if value != self._value:
            self._value = value
            self.refresh()
            self.post_message(self.Changed(self, value))

    def render(self) -> Text:
        out = Text()
        out.append_text(self.title if isinstance(self.title, Text) else Text(str(self.title)))
        out.append("\n")
        for value, label in self.choices:
            if value == self._value:
                out.append(f"[{label}]", style="bold reverse")
            else:
                out.append(f" {label} ")
            out.append(" ")
        if self._value is not None and self.describe:
            out.append(" " + self.describe(self._value), style="italic")
        elif self._value is None and self.empty_hint:
            out.append(" " + self.empty_hint, style="dim")
        return out

    def on_key(self, event: events.Key) -> None:
        ch = event.character or ""
        if not ch.isdigit():
            return
        event.stop()
        event.prevent_default()
        # Keys typed quickly may be queued here after focus has already moved on: they belong
        # to the line that has focus now.
        focused = self.screen.focused
        target = focused if isinstance(focused, ChoiceRow) else self
        target.choose_number(int(ch))

    def choose_number(self, n: int) -> None:
        """Pick the n-th choice (1-based) and, for ratings, go on to the next line."""
        if not 1 <= n <= len(self.choices):
            return
        self.value = self.choices[n - 1][0]
        if self.advance:
            self.action_step_focus(1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y != self.content_region.height - 1:
            return
        x = 0
        for value, label in self.choices:
            width = len(label) + 2
            if x <= offset.x < x + width:
                self.value = value
                return
            x += width + 1

    def action_move(self, delta: int) -> None:
        values = [v for v, _ in self.choices]
        if self._value not in values:
            self.value = values[0 if delta > 0 else -1]
            return
        i = max(0, min(len(values) - 1, values.index(self._value) + delta))
        self.value = values[i]

    def action_step_focus(self, delta: int) -> None:
        """Move to the line before or after, scrolling it into view at once (no animation,
        so quick typists never wait)."""
        chain = self.screen.focus_chain
        if self not in chain:
            return
        target = chain[(chain.index(self) + delta) % len(chain)]
        # set_focus at once (Widget.focus waits a turn), so a fast next key lands on the next line
        self.screen.set_focus(target, scroll_visible=False)
        target.scroll_visible(animate=False)

    def action_clear(self) -> None:
        self.value = None


class WeekSparkline(Sparkline):
    """A Sparkline on the fixed 1–5 scale, one bar per week (newest on the right); a week
    without a rating shows as a dot, so the lines of one view stay aligned in time."""

    BARS = "▁▂▃▄▅▆▇█"
    DEFAULT_CSS = "WeekSparkline { width: 1fr; height: 1; }"

    def render(self) -> Text:
        data = list(self.data or [])
        width = max(1, self.size.width)
        style = self.get_component_rich_style("sparkline--max-color", partial=True)
        out = Text()
        for value in data[-width:]:
            if value is None:
                out.append("·", style="dim")
            else:
                i = round((max(1.0, min(5.0, float(value))) - 1) / 4 * (len(self.BARS) - 1))
                out.append(self.BARS[i], style=style)
        return out


# -- the steps -------------------------------------------------------------------------------------
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

    def __init__(self, flow: "ReflectionFlowScreen", partner: int | None = None) -> None:
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

    def discard_drafts(self) -> None:
        pass


class AppreciationsForm(StepForm):
    skip_label = "Skip my turn"

    def content(self) -> ComposeResult:
        quick = self.flow.reflection.mode == rules.QUICK
        yield TurnBanner(self.couple[self.partner], "your turn · appreciations")
        yield Static(Text(texts()["appreciation_prompt"]), classes="step-title")
        hint = (
            "Just one, for the two-minute check-in."
            if quick
            else "Write one to five; start a new line for each. Your partner reads them at the end."
        )
        yield Static(hint, classes="step-hint")
        yield DraftArea(self.store, self.key, id="appreciation-text", limit=rules.MAX_TEXT)

    @property
    def key(self) -> str:
        return draft_key(self.week, "appreciations", rules.pkey(self.partner))

    def first_focus(self) -> Widget | None:
        return self.query_one(DraftArea)

    def submit(self, r: Reflection, now) -> Reflection:
        area = self.query_one(DraftArea)
        found = rules.clean_appreciations(area.text, quick=r.mode == rules.QUICK)
        return rules.give_appreciations(r, self.partner, found, now)

    def skip(self, r: Reflection, now) -> Reflection:
        self.query_one(DraftArea).save_now()
        return rules.skip_turn(r, self.partner, now)

    def discard_drafts(self) -> None:
        self.query_one(DraftArea).discard()


class RatingsForm(StepForm):
    skip_label = "Skip my turn"
    _timer: Timer | None = None

    def content(self) -> ComposeResult:
        scale = texts()["scale"]
        yield TurnBanner(self.couple[self.partner], "your turn · private ratings")
        yield Static(
            f"How was this week for you? Press 1 to 5 for each line (1 {scale[0].lower()}, "
            f"5 {scale[-1].lower()}): each number takes you to the next line by itself; ↑ goes back. "
            "These stay private until you both have rated.",
            classes="step-hint",
        )
        saved = self._draft()
        for s in store_r.statements():
            yield ChoiceRow(
                Text(s["text"]),
                [(n, str(n)) for n in rules.SCALE],
                saved.get(s["id"]),
                describe=lambda v: scale[v - 1],
                empty_hint="not rated yet",
                id=f"rate-{s['id']}",
                classes="rating",
            )

    @property
    def key(self) -> str:
        return draft_key(self.week, "ratings", rules.pkey(self.partner))

    def _draft(self) -> dict[str, int]:
        raw = load_draft(self.store, self.key)
        try:
            found = json.loads(raw) if raw else {}
        except ValueError:
            return {}
        return {k: v for k, v in found.items() if isinstance(v, int) and v in rules.SCALE} if isinstance(found, dict) else {}

    def values(self) -> dict[str, int | None]:
        return {row.id.removeprefix("rate-"): row.value for row in self.query(ChoiceRow)}

    def on_choice_row_changed(self, event: ChoiceRow.Changed) -> None:
        """Ratings in progress are kept as a private draft, a moment after the last change."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DRAFT_DELAY, self.save_now)

    def save_now(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        given = {k: v for k, v in self.values().items() if v is not None}
        save_draft(self.store, self.key, json.dumps(given) if given else "")

    def on_unmount(self) -> None:
        if self._timer is not None:
            self.save_now()

    def first_focus(self) -> Widget | None:
        rows = list(self.query(ChoiceRow))
        return next((row for row in rows if row.value is None), rows[0] if rows else None)

    _warned: dict[str, int | None] | None = None  # the ratings the unrated-lines note was about

    def submit(self, r: Reflection, now) -> Reflection:
        values = self.values()
        note = rules.unrated_note(values, store_r.statement_ids())
        if note and self._warned != values:  # said once; saving again as they are goes on
            self._warned = values
            first = next((row for row in self.query(ChoiceRow) if row.value is None), None)
            if first is not None:
                self.screen.set_focus(first)
            raise ReflectionError(note)
        return rules.give_ratings(r, self.partner, values, store_r.statement_ids(), now)

    def skip(self, r: Reflection, now) -> Reflection:
        return rules.skip_turn(r, self.partner, now)

    def discard_drafts(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        clear_draft(self.store, self.key)


class RevealForm(StepForm):
    next_label = "Go on"
    skip_label = ""

    def content(self) -> ComposeResult:
        r = self.flow.reflection
        couple = self.couple
        sts = store_r.statements()
        ids = [s["id"] for s in sts]
        sc = rules.scores(r, ids)
        apart = set(rules.differences(r, ids))
        scale = texts()["scale"]
        yield Static(
            f"Both of your ratings, side by side (1 {scale[0].lower()} … 5 {scale[-1].lower()}).",
            classes="step-hint",
        )
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False, header_style="bold")
        table.add_column("This week", ratio=1)
        table.add_column(partner_text(couple[0]), justify="center")
        table.add_column(partner_text(couple[1]), justify="center")
        table.add_column("", no_wrap=True)
        p0, p1 = r.ratings.get("p0", {}), r.ratings.get("p1", {})
        for s in sts:
            marked = s["id"] in apart
            table.add_row(
                Text(s["short"]),
                str(p0.get(s["id"], "–")),
                str(p1.get(s["id"], "–")),
                Text("↔ talk", style="italic") if marked else "",
            )
        both = sc.overall["both"]
        table.add_row(
            Text("Overall", style="bold"),
            Text(rules.score_text(sc.overall["p0"]), style="bold"),
            Text(rules.score_text(sc.overall["p1"]), style="bold"),
            Text(f"together {rules.score_text(both)}", style="bold") if both is not None else "",
        )
        yield Static(table, id="reveal-table")
        if apart:
            yield Static(Text("↔ " + texts()["difference_note"], style="italic"), id="difference-note",
                         classes="step-title")
        for i in (0, 1):
            if not r.ratings.get(rules.pkey(i)):
                yield Static(Text.assemble(partner_text(couple[i]), " passed on the ratings this week."),
                             classes="step-hint")


class WordsForm(StepForm):
    def content(self) -> ComposeResult:
        r = self.flow.reflection
        prompts = texts()["words_prompts"]
        yield Static("Talk it through, then jot down a few words. Any box can stay empty.", classes="step-hint")
        for prompt, who in rules.WORD_FIELDS:
            label = Text()
            if who:
                label.append_text(partner_text(self.couple[rules.PARTNERS.index(who)], ": "))
            else:
                label.append("Together: ", style="bold")
            label.append(prompts.get(prompt, prompt))
            yield Static(label, classes="step-title")
            key = rules.word_key(prompt, who)
            yield DraftArea(self.store, draft_key(self.week, "words", key), r.words.get(key, ""),
                            id=f"words-{prompt}-{who or 'both'}", classes="words")

    def _areas(self) -> dict[str, DraftArea]:
        out = {}
        for prompt, who in rules.WORD_FIELDS:
            out[rules.word_key(prompt, who)] = self.query_one(f"#words-{prompt}-{who or 'both'}", DraftArea)
        return out

    def first_focus(self) -> Widget | None:
        return self.query_one(DraftArea)

    def submit(self, r: Reflection, now) -> Reflection:
        return rules.set_words(r, {k: a.text for k, a in self._areas().items()}, now)

    def skip(self, r: Reflection, now) -> Reflection:
        for area in self._areas().values():
            area.save_now()
        return super().skip(r, now)

    def discard_drafts(self) -> None:
        for area in self._areas().values():
            area.discard()


class LastItemsForm(StepForm):
    def __init__(self, flow: "ReflectionFlowScreen") -> None:
        super().__init__(flow)
        r = flow.reflection
        if r.review and r.review_from:
            self.source: tuple[IsoWeek, list[ActionItem]] | None = (IsoWeek.parse(r.review_from), r.review)
        else:
            self.source = store_r.items_to_review(flow.app.store, flow.week)
        if not self.source:
            self.next_label = "Go on"

    def content(self) -> ComposeResult:
        if not self.source:
            yield Static("There were no action items from last time, so there is nothing to look back on here.",
                         classes="step-hint")
            return
        origin, items = self.source
        yield Static(
            f"How did the small things from {origin.label} go? "
            "Anything marked “not yet” comes along into the coming week; skipping brings them all along "
            "as they are. Keys 1–3 or ←/→ choose.",
            classes="step-hint",
        )
        for n, item in enumerate(items):
            title = Text.assemble(Text(item.text, style="bold"), "  · ", who_text(self.couple, item.who))
            yield ChoiceRow(
                title,
                [(s, rules.STATUS_LABELS[s]) for s in rules.STATUSES],
                item.status or "not_yet",
                id=f"review-{n}",
                classes="review",
            )

    def first_focus(self) -> Widget | None:
        rows = list(self.query(ChoiceRow))
        return rows[0] if rows else self.query_one("#next", Button)

    def submit(self, r: Reflection, now) -> Reflection:
        if not self.source:
            return rules.advance(r, now)
        origin, items = self.source
        reviewed = []
        for n, item in enumerate(items):
            status = self.query_one(f"#review-{n}", ChoiceRow).value
            reviewed.append(ActionItem(item.text, item.who, item.carried_from, status))
        return rules.review_items(r, origin, reviewed, now)

    def skip(self, r: Reflection, now) -> Reflection:
        if not self.source:
            return super().skip(r, now)
        origin, items = self.source
        return rules.skip_review(r, origin, items, now)


class NextItemsForm(StepForm):
    DEFAULT_CSS = """
    NextItemsForm .item-row { height: auto; }
    NextItemsForm .item-row Input { width: 1fr; }
    NextItemsForm .item-row Select { width: 18; }
    NextItemsForm .carried { color: $text-muted; padding-left: 1; }
    """

    def content(self) -> ComposeResult:
        r = self.flow.reflection
        rows = self._draft() or [(i.text, i.who, i.carried_from) for i in r.items]
        rows = (list(rows) + [("", None, None)] * rules.MAX_ITEMS)[: rules.MAX_ITEMS]
        couple = self.couple
        options = [(couple[0].label, "p0"), (couple[1].label, "p1"), ("Both", "both")]
        yield Static(
            "Up to three small things for the coming week, each with who will do it. "
            "Leave a line empty to have fewer.",
            classes="step-hint",
        )
        self.carried = [c for _, _, c in rows]
        for n, (text, who, carried) in enumerate(rows):
            with Horizontal(classes="item-row"):
                yield TextInput(text, placeholder="A small thing for next week", id=f"item-{n}")
                yield Select(options, value=who if who in rules.WHO else Select.NULL, prompt="Who?",
                             id=f"who-{n}")
            if carried:
                yield Static(Text(f"carried over from {IsoWeek.parse(carried).label}"), classes="carried")
            yield Static("", classes="field-error", id=f"item-error-{n}")

    @property
    def key(self) -> str:
        return draft_key(self.week, "items")

    def _draft(self) -> list[tuple[str, str | None, str | None]] | None:
        raw = load_draft(self.store, self.key)
        try:
            found = json.loads(raw) if raw else None
            return [(str(t), w, c) for t, w, c in found] if isinstance(found, list) else None
        except (ValueError, TypeError):
            return None

    def _rows(self) -> list[tuple[str, str | None, str | None]]:
        out = []
        for n in range(rules.MAX_ITEMS):
            who = self.query_one(f"#who-{n}", Select).value
            out.append((self.query_one(f"#item-{n}", Input).value, who if who in rules.WHO else None,
                        self.carried[n]))
        return out

    def _save_draft(self) -> None:
        rows = self._rows()
        save_draft(self.store, self.key, json.dumps(rows) if any(t.strip() or w for t, w, _ in rows) else "")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._save_draft()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._save_draft()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()

    def first_focus(self) -> Widget | None:
        return self.query_one("#item-0", Input)

    def submit(self, r: Reflection, now) -> Reflection:
        items: list[ActionItem] = []
        problems = False
        for n, (text, who, carried) in enumerate(self._rows()):
            error = self.query_one(f"#item-error-{n}", Static)
            if not text.strip():
                error.update("")
                continue
            try:
                item = rules.clean_item(text, who)
            except ReflectionError as exc:
                error.update(Text(str(exc)))
                problems = True
                continue
            error.update("")
            item.carried_from = carried
            items.append(item)
        if problems:
            raise ReflectionError("Please look at the line marked above.")
        return rules.set_items(r, items, now)

    def discard_drafts(self) -> None:
        clear_draft(self.store, self.key)


class DueForm(StepForm):
    next_label = "Go on"

    def content(self) -> ComposeResult:
        app = self.flow.app
        now = app.clock.now()
        lines = agreement_lines(app.store, now) + due_lines(app.store, now, only=("tui.store.pauses",))
        yield Static("Anything waiting for the two of you?", classes="step-title")
        if lines:
            yield Static(Text("\n".join(f"• {line}" for line in lines)), id="due-list")
            yield Static("You can look at these now or pick a time for them. Both are fine.", classes="step-hint")
        else:
            yield Static(
                "Nothing is waiting: no agreements due for review and no talk set aside for later.",
                id="due-list",
            )


class CloseForm(StepForm):
    next_label = "Finish"
    skip_label = ""

    def content(self) -> ComposeResult:
        r = self.flow.reflection
        couple = self.couple
        if any(r.appreciations.get(p) for p in rules.PARTNERS):
            yield Static("What you appreciated in each other", classes="step-title")
            for i in (0, 1):
                found = r.appreciations.get(rules.pkey(i), [])
                if found:
                    body = Text.assemble(partner_text(couple[i], " wrote:"))
                    for t in found:
                        body.append("\n  • ")
                        body.append(t)
                    yield Static(body)
        if r.items:
            yield Static("For the coming week", classes="step-title")
            body = Text()
            for n, item in enumerate(r.items):
                if n:
                    body.append("\n")
                body.append(f"• {item.text}  · ")
                body.append_text(who_text(couple, item.who))
                if item.carried_from:
                    body.append(" (carried over)", style="dim")
            yield Static(body)
        yield Static("To close", classes="step-title")
        yield Static(Text(r.close), id="close-suggestion")


FORMS: dict[str, type[StepForm]] = {
    "appreciations": AppreciationsForm,
    "ratings": RatingsForm,
    "reveal": RevealForm,
    "words": WordsForm,
    "last_items": LastItemsForm,
    "next_items": NextItemsForm,
    "due": DueForm,
    "close": CloseForm,
}


def form_for(step: str) -> type:
    """The form of a step; the optional ones live in extra_steps.py (found here, lazily)."""
    if step in FORMS:
        return FORMS[step]
    from tui.screens.reflection.extra_steps import EXTRA_FORMS

    return EXTRA_FORMS[step]


PRIVATE_NOTES = {
    "appreciations": "Next: your appreciations, written on your own.",
    "ratings": "Next: your private ratings.",
}


# -- the flow --------------------------------------------------------------------------------------
class ReflectionFlowScreen(PrivateTurnGuard, Screen[bool]):
    """Walks one week's steps. Private turns happen behind the curtain; every step saves."""

    SUB_TITLE = "Weekly reflection"
    HELP = (
        "One step at a time. Appreciations and ratings are private: each of you takes a turn "
        "alone, with a curtain in between, and nothing is shown to the other until the reveal "
        "(ratings) or the end (appreciations). Then you look at the ratings side by side, put the week "
        "into words, see how last week's small plans went, choose up to three for next week, and "
        "close. Any step can be skipped. Everything is saved as you go, so you can leave and carry on later."
    )
    BINDINGS = [
        Binding("ctrl+s", "next", "Save and go on"),
        Binding("ctrl+b", "skip", "Skip"),
        Binding("escape", "leave", "Leave (saved)"),
    ]
    DEFAULT_CSS = """
    ReflectionFlowScreen #progress { height: auto; padding: 0 1; color: $text-muted; }
    ReflectionFlowScreen #step-body { height: 1fr; }
    """

    def __init__(self, week: IsoWeek, mode: str = rules.FULL, extras: tuple[str, ...] | None = None) -> None:
        super().__init__()
        self.week = week
        self.mode = mode
        self.extras = extras  # the optional steps chosen for a week begun now (extra_steps.py)
        self.reflection: Reflection | None = None
        self.at_keyboard: int | None = None
        self.form: StepForm | None = None
        self._busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="progress")
        yield Vertical(id="step-body")
        yield HearthFooter()

    async def on_mount(self) -> None:
        app = self.app
        self.reflection = store_r.start(app.store, self.week, self.mode, app.clock.now())
        if self.extras and self.mode == rules.FULL and rules.is_blank(self.reflection):
            from tui.core.reflection_extras import choose_extras

            self.reflection = store_r.save(app.store, choose_extras(self.reflection, self.extras, app.clock.now()))
        await self.show_step()

    def _progress(self) -> None:
        r = self.reflection
        kind = "two-minute check-in · " if r.mode == rules.QUICK else ""
        if r.step == DONE:
            text = f"{self.week.title} · {kind}done"
        else:
            n, total = r.position
            text = f"{self.week.title} · {kind}step {n} of {total} · {STEP_TITLES[r.step]}"
        self.query_one("#progress", Static).update(Text(text))

    async def show_step(self) -> None:
        """Clear the last step off the screen, then show the next one (behind a curtain if private)."""
        body = self.query_one("#step-body", Vertical)
        await body.remove_children()
        self.form = None
        r = self.reflection
        self._progress()
        if r.step == DONE:
            self.dismiss(True)
            return
        if r.step in PRIVATE_STEPS:
            partner = rules.next_private_partner(r.turns_done(r.step), self.at_keyboard, self._half_done(r.step))
            if partner is None:  # both turns were taken but the step never moved on (odd data)
                self.reflection = store_r.save(self.app.store, rules.advance(r, self.app.clock.now()))
                await self.show_step()
                return
            if partner == self.at_keyboard:
                await self._mount(FORMS[r.step](self, partner))
            else:
                self.at_keyboard = None
                self.app.push_screen(
                    CurtainScreen(self.app.couple[partner], PRIVATE_NOTES[r.step]),
                    partial(self._after_curtain, partner),
                )
            return
        self.at_keyboard = None
        if r.step == "close" and not r.close:
            suggestion = rules.pick_suggestion(texts()["close_suggestions"], random.Random())
            r.close = suggestion
            self.reflection = store_r.save(self.app.store, r)
        await self._mount(form_for(r.step)(self))

    def _half_done(self, step: str) -> int | None:
        """A partner who left this private step part-way (a draft is waiting) goes first."""
        for i in (0, 1):
            if load_draft(self.app.store, draft_key(self.week, step, rules.pkey(i))):
                return i
        return None

    async def _after_curtain(self, partner: int, _result: object = None) -> None:
        if not self.is_attached or self.reflection.step not in PRIVATE_STEPS:
            return
        self.at_keyboard = partner
        await self._mount(FORMS[self.reflection.step](self, partner))

    # -- a pause over a private turn (PrivateTurnGuard) -----------------------------------------
    def private_owner(self) -> Partner | None:
        r = self.reflection
        if r is None or self.form is None or self.at_keyboard is None or r.step not in PRIVATE_STEPS:
            return None
        return self.app.couple[self.at_keyboard]

    def private_area(self) -> Widget:
        return self.query_one("#step-body", Vertical)

    def hide_for_pause(self) -> None:
        self.save_drafts()  # ratings in progress are kept as a draft too, not only typed text
        super().hide_for_pause()

    async def show_private_again(self, owner: Partner) -> None:
        await self._after_curtain(owner.index)

    async def _mount(self, form: StepForm) -> None:
        self.form = form
        self.HELP = getattr(form, "HELP", "") or type(self).HELP  # an optional step has help of its own
        await swap_children(self.query_one("#step-body", Vertical), [form], form.first_focus)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "skip":
            return self.form is not None and bool(self.form.skip_label)
        if action == "next":
            return self.form is not None
        return True

    async def _apply(self, change: Callable[[StepForm, Reflection, Any], Reflection], *, discard: bool) -> None:
        form = self.form
        if form is None or self._busy:
            return
        self._busy = True
        try:
            now = self.app.clock.now()
            try:
                updated = change(form, self.reflection, now)
            except ReflectionError as exc:
                form.show_error(str(exc))
                return
            if updated.step == DONE and not updated.done:
                updated = rules.finish(updated, now)
            self.reflection = store_r.save(self.app.store, updated)
            if discard:
                form.discard_drafts()
            if self.reflection.done:
                self.app.store.flush()
                self.notify(f"{self.week.label} is saved. Thank you for taking the time.", timeout=6)
            await self.show_step()
        finally:
            self._busy = False

    async def action_next(self) -> None:
        await self._apply(lambda form, r, now: form.submit(r, now), discard=True)

    async def action_skip(self) -> None:
        if self.form is not None and self.form.skip_label:
            await self._apply(lambda form, r, now: form.skip(r, now), discard=False)

    def action_leave(self) -> None:
        self.save_drafts()
        r = self.reflection
        if r is not None and rules.is_blank(r) and not self._has_drafts():
            store_r.delete(self.app.store, self.week)  # only opened: the week stays "not started"
        elif r is not None and not r.done:
            self.notify("Saved. Pick it up any time from Weekly reflection.", timeout=4)
        self.dismiss(False)

    def _has_drafts(self) -> bool:
        return bool(drafts_with_prefix(self.app.store, draft_key(self.week, "")))

    def save_drafts(self) -> None:
        """Called on leave, quit, pause and signals: write what is being typed or rated now."""
        for area in self.query(DraftArea):
            area.save_now()
        for ratings in self.query(RatingsForm):
            ratings.save_now()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "next":
            await self.action_next()
        elif event.button.id == "skip":
            await self.action_skip()


# -- reading one week ---------------------------------------------------------------------------
class WeekScreen(Screen[None]):
    """One finished week, to read together, and to export."""

    SUB_TITLE = "Weekly reflection"
    HELP = "A week you have finished, as you wrote it. Press e to save it as a Markdown file."
    BINDINGS = [
        Binding("e", "export", "Export this week"),
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = """
    WeekScreen #week-scroll { height: 1fr; padding: 0 1; }
    WeekScreen #export-note { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, week: IsoWeek) -> None:
        super().__init__()
        self.week = week

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="week-scroll"):
            yield Markdown(store_r.week_markdown(self.app.store, self.week), id="week-md")
        yield Static("", id="export-note")
        yield HearthFooter()

    def on_mount(self) -> None:
        self.query_one("#week-scroll").focus()

    def action_export(self) -> None:
        try:
            path = store_r.export_week(self.app.store, self.week)
        except OSError as exc:
            self.notify(f"Could not write the file: {exc.strerror or exc}", severity="error")
            return
        self.query_one("#export-note", Static).update(Text(f"Saved to {path}"))
        self.notify(f"{self.week.label} saved to {path}", title="Exported", timeout=8)

    def action_back(self) -> None:
        self.dismiss()


# -- trends and past weeks -------------------------------------------------------------------------
class TrendsScreen(Screen[None]):
    """Scores over the weeks, for each of you and together, and every past week."""

    SUB_TITLE = "Reflection trends"
    HELP = (
        "Each line is one statement over the weeks, oldest on the left, one bar per week "
        "(a dot means no rating that week). The number is the latest score, 1 to 5. Switch between "
        "together and each of you with the tabs. Past weeks are listed below: choose one to read it."
    )
    BINDINGS = [
        Binding("e", "export", "Export all weeks"),
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = """
    TrendsScreen #trends-scroll { height: 1fr; padding: 0 1; }
    TrendsScreen #trend-head { height: auto; }
    TrendsScreen #streak { color: $text-muted; height: auto; }
    TrendsScreen TabbedContent { height: auto; }
    TrendsScreen .trend-row { height: 1; }
    TrendsScreen .trend-label { width: 24; }
    TrendsScreen .trend-value { width: 6; margin-right: 1; text-align: right; }
    TrendsScreen .trend-overall { text-style: bold; }
    TrendsScreen .trend-head { color: $text-muted; }
    TrendsScreen #past-title { text-style: bold; margin-top: 1; }
    TrendsScreen #past { height: auto; max-height: 14; }
    TrendsScreen #export-note { height: auto; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        app = self.app
        trend = store_r.trends(app.store)
        couple: Couple = app.couple
        streak = rules.streak_text(store_r.weeks_in_a_row(app.store, app.clock.now()), texts()["streak_line"])
        yield Header()
        with VerticalScroll(id="trends-scroll"):
            if trend.weeks:
                first, last = trend.weeks[0], trend.weeks[-1]
                span = first.label if first == last else f"{first.label} to {last.label}"
                n = len(trend.weeks)
                head = f"{n} week{'s' if n != 1 else ''} with ratings: {span}."
            else:
                head = "Trends appear here once you have rated a week."
            yield Static(Text(head), id="trend-head")
            if streak:
                yield Static(Text(streak), id="streak")
            if trend.weeks:
                with TabbedContent(id="trend-tabs"):
                    for key, title in (("both", "Together"), ("p0", couple[0].label), ("p1", couple[1].label)):
                        with TabPane(Content(title), id=f"tab-{key}"):
                            yield from self._rows(trend, key)
            yield Static("Past weeks", id="past-title")
            yield OptionList(id="past")
            yield Static("", id="export-note")
        yield HearthFooter()

    def _rows(self, trend: rules.Trend, key: str) -> ComposeResult:
        with Horizontal(classes="trend-row trend-head"):
            yield Label("", classes="trend-label")
            yield Label("latest", classes="trend-value")
            yield Label("week by week, oldest first")
        series = [("Overall", trend.overall[key], True)]
        series += [(s["short"], trend.statements[s["id"]][key], False) for s in store_r.statements()]
        for label, values, bold in series:
            with Horizontal(classes="trend-row"):
                yield Label(Text(label), classes="trend-label" + (" trend-overall" if bold else ""))
                yield Label(rules.score_text(trend.latest(values)), classes="trend-value")
                yield WeekSparkline(values)

    def on_mount(self) -> None:
        self.refresh_past()
        tabs = self.query("Tabs")
        (tabs.first() if tabs else self.query_one("#past", OptionList)).focus()

    def on_screen_resume(self) -> None:
        self.refresh_past()

    def refresh_past(self) -> None:
        past = self.query_one("#past", OptionList)
        past.clear_options()
        found = list(reversed(store_r.all_reflections(self.app.store)))
        for r in found:
            kind = "two-minute check-in" if r.mode == rules.QUICK else "weekly reflection"
            past.add_option(Option(Text(f"{r.week.title} · {kind} · {status_line(r)}"), id=r.week.key))
        if not found:
            past.add_option(Option(Text("No weeks yet."), disabled=True))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if not event.option.id:
            return
        week = IsoWeek.parse(event.option.id)
        r = store_r.get(self.app.store, week)
        if r is not None and r.done:
            self.app.push_screen(WeekScreen(week))
        elif r is not None:
            self.app.push_screen(ReflectionFlowScreen(week, r.mode))

    def action_export(self) -> None:
        export_all(self)

    def action_back(self) -> None:
        self.dismiss()


def export_all(screen: Screen) -> None:
    app = screen.app
    if not store_r.all_reflections(app.store):
        screen.notify("There is nothing to export yet.", timeout=4)
        return
    try:
        path = store_r.export_all(app.store, app.clock.now())
    except OSError as exc:
        screen.notify(f"Could not write the file: {exc.strerror or exc}", severity="error")
        return
    screen.query_one("#export-note", Static).update(Text(f"All weeks saved to {path}"))
    screen.notify(f"All weeks saved to {path}", title="Exported", timeout=8)


# -- the start screen --------------------------------------------------------------------------------
class ReflectionScreen(Screen[None]):
    """Choose this week or last week (done late), full or the two-minute check-in."""

    SUB_TITLE = "Weekly reflection"
    HELP = (
        "Once a week, look back on the week together, for about 20 to 40 minutes: appreciations, "
        "private ratings shown side by side, the week in words, your small plans, and a way to close. "
        "Short on time? The two-minute check-in is just the ratings and one appreciation each. "
        "Last week's reflection can still be done late. It saves as you go, so you can stop and carry on."
    )
    BINDINGS = [
        Binding("t", "trends", "Trends and past weeks"),
        Binding("e", "export", "Export all weeks"),
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = """
    ReflectionScreen #reflection-body { height: 1fr; padding: 0 1; }
    ReflectionScreen #weeks { height: auto; margin-top: 1; }
    ReflectionScreen #streak { color: $text-muted; height: auto; }
    ReflectionScreen #streak.-empty { display: none; }
    ReflectionScreen #choices { height: auto; max-height: 10; margin: 1 0; border: round $primary; }
    ReflectionScreen #quick-intro { color: $text-muted; height: auto; }
    ReflectionScreen #export-note { height: auto; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="reflection-body"):
            yield Static(id="weeks")
            yield Static(id="streak")
            yield OptionList(id="choices")
            yield Static(Text(texts()["quick_intro"]), id="quick-intro")
            yield Static("", id="export-note")
        yield HearthFooter()

    def on_mount(self) -> None:
        self.refresh_choices()
        self.query_one("#choices", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_choices()

    def refresh_choices(self) -> None:
        app = self.app
        now = app.clock.now()
        this = IsoWeek.of(now)
        last = this.previous()
        r_this = store_r.get(app.store, this)
        r_last = store_r.get(app.store, last)
        self.query_one("#weeks", Static).update(
            Text(
                f"This week: {this.title}, {status_line(r_this)}.\n"
                f"Last week: {last.title}, {status_line(r_last)}."
            )
        )
        streak = rules.streak_text(store_r.weeks_in_a_row(app.store, now), texts()["streak_line"])
        self.query_one("#streak", Static).update(Text(streak or ""))
        self.query_one("#streak", Static).set_class(not streak, "-empty")
        options = self.query_one("#choices", OptionList)
        before = options.highlighted
        keep = options.get_option_at_index(before).id if before is not None and before < options.option_count else None
        options.clear_options()
        for week, r, which in ((this, r_this, "this"), (last, r_last, "last")):
            late = ", done late" if which == "last" else ""
            name = "this week's" if which == "this" else "last week's"
            if r is None:
                options.add_option(Option(Text(f"Begin {name} reflection{late}"), id=f"{which}:full"))
                options.add_option(Option(Text(f"Begin {name} reflection with extra steps…"), id=f"{which}:choose"))
                options.add_option(Option(Text(f"Two-minute check-in for {which} week{late}"), id=f"{which}:quick"))
            elif r.done:
                options.add_option(Option(Text(f"Read {name} reflection"), id=f"{which}:read"))
            else:
                n, total = r.position
                kind = "check-in" if r.mode == rules.QUICK else "reflection"
                options.add_option(
                    Option(Text(f"Carry on with {name} {kind} (step {n} of {total})"), id=f"{which}:{r.mode}")
                )
        options.add_option(Option(Text("Trends and past weeks"), id="trends"))
        options.add_option(Option(Text("Export all weeks as Markdown"), id="export"))
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        # the check-in's line only where a check-in is offered (not once this week is done)
        self.query_one("#quick-intro", Static).display = "this:quick" in ids
        if keep not in ids:  # first look: a week already under way comes first
            keep = next((f"{w}:{r.mode}" for w, r in (("this", r_this), ("last", r_last)) if r and not r.done), None)
        options.highlighted = ids.index(keep) if keep in ids else 0  # the same choice, wherever it moved

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        if choice == "trends":
            self.action_trends()
            return
        if choice == "export":
            self.action_export()
            return
        which, _, what = choice.partition(":")
        this = IsoWeek.of(self.app.clock.now())
        week = this if which == "this" else this.previous()
        if what == "read":
            self.app.push_screen(WeekScreen(week))
        elif what in ("full", "choose") and store_r.get(self.app.store, week) is None:
            from tui.screens.reflection.extra_steps import begin_full

            begin_full(self.app, week, choose=what == "choose", flow=ReflectionFlowScreen)
        elif what in rules.MODES:
            self.app.push_screen(ReflectionFlowScreen(week, what))

    def action_trends(self) -> None:
        self.app.push_screen(TrendsScreen())

    def action_export(self) -> None:
        export_all(self)

    def action_back(self) -> None:
        self.dismiss()
