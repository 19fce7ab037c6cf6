"""The steps taken together: the week in words, last week's items, the next ones, what is due,
and the close."""

from __future__ import annotations

import importlib
import importlib.util
import json
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static

from ...core import reflection as rules
from ...core.reflection import ActionItem, IsoWeek, Reflection, ReflectionError
from .choice_row import ChoiceRow
from .parts import draft_key, texts, who_text
from .step_form import StepForm
from ...store import reflections as store_r
from ...store.drafts import clear_draft, load_draft, save_draft
from ...store.due import KEY_HINT, due_lines
from ...widgets.draft_area import DraftArea
from ...widgets.partner import partner_text
from ...widgets.text_input import TextInput

#: "tui" in the source tree, "hearth" once installed: module names here are built on it.
_TOP_PACKAGE = (__package__ or __name__).partition(".")[0]

AGREEMENTS_MODULE = f"{_TOP_PACKAGE}.store.agreements"


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


def waiting_lines(store: Any) -> list[str]:
    """Agreements waiting for a yes, without home's key hints (no keys of home work here)."""
    try:
        provider = getattr(importlib.import_module(AGREEMENTS_MODULE), "waiting_lines", None)
        found = list(provider(store)) if callable(provider) else []
    except Exception:
        return []
    return [KEY_HINT.sub("", line) for line in found]


class WordsForm(StepForm):
    @property
    def fields(self) -> tuple[tuple[str, str | None], ...]:
        """The boxes shown: on one partner's own computer, only theirs and the shared one (the
        other writes theirs at their own computer)."""
        me = self.flow.me
        if me is None:
            return rules.WORD_FIELDS
        return tuple((prompt, who) for prompt, who in rules.WORD_FIELDS if who in (None, rules.pkey(me)))

    def _hint(self) -> str:
        me = self.flow.me
        if me is None:
            return "Talk it through, then jot down a few words. Any box can stay empty."
        other = self.couple[1 - me].name
        return f"Write yours; {other} writes theirs at their computer. The last box is for you both. Any box can stay empty."

    def content(self) -> ComposeResult:
        r = self.flow.reflection
        prompts = texts()["words_prompts"]
        yield Static(self._hint(), classes="step-hint")
        for prompt, who in self.fields:
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
        for prompt, who in self.fields:
            out[rules.word_key(prompt, who)] = self.query_one(f"#words-{prompt}-{who or 'both'}", DraftArea)
        return out

    def first_focus(self) -> Widget | None:
        return self.query_one(DraftArea)

    def submit(self, r: Reflection, now) -> Reflection:
        words = dict(r.words)  # the other's words, written at their computer, are kept
        words.update({k: a.text for k, a in self._areas().items()})
        return rules.set_words(r, words, now)

    def keep_typed(self, r: Reflection, now) -> Reflection | None:
        """The other home went on from this step while words were typed here: add them to the
        week without writing over what came in (both texts kept where both wrote one)."""
        words = dict(r.words)
        for key, area in self._areas().items():
            mine = rules.clean_text(area.text)
            theirs = words.get(key, "")
            if mine and mine != theirs and mine not in theirs:
                words[key] = f"{theirs}\n{mine}" if theirs else mine
        if words == r.words:
            return None
        out = rules.set_words(r, words, now)
        out.step = r.step  # set_words goes on a step; the week is already past this one
        return out

    def skip(self, r: Reflection, now) -> Reflection:
        for area in self._areas().values():
            area.save_now()
        return super().skip(r, now)

    def discard_drafts(self) -> None:
        for area in self._areas().values():
            area.discard()


class LastItemsForm(StepForm):
    def __init__(self, flow: Any) -> None:
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


#: Put before a line's problem, so it is found without telling colours apart.
PROBLEM_MARK = "▲"


def item_problem(n: int, text: str, who: str | None, exc: ReflectionError) -> str:
    """What is missing in action item n (from 0), said with its number: the message at the bottom
    of the step names the line, not just "the line marked above"."""
    try:
        rules.clean_item(text, "both")
    except ReflectionError:
        return f"Action item {n + 1}: {exc}"  # the words themselves
    if who not in rules.WHO:
        return f"Action item {n + 1} needs someone: choose who will do it."
    return f"Action item {n + 1}: {exc}"


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
        problems: list[str] = []
        for n, (text, who, carried) in enumerate(self._rows()):
            error = self.query_one(f"#item-error-{n}", Static)
            if not text.strip():
                error.update("")
                continue
            try:
                item = rules.clean_item(text, who)
            except ReflectionError as exc:
                problem = item_problem(n, text, who, exc)
                error.update(Text(f"{PROBLEM_MARK} {problem}"))  # a mark that is not colour only
                problems.append(problem)
                continue
            error.update("")
            item.carried_from = carried
            items.append(item)
        if len(problems) == 1:
            raise ReflectionError(problems[0])
        if problems:
            raise ReflectionError(f"{len(problems)} action items need a look: each is marked {PROBLEM_MARK} above.")
        return rules.set_items(r, items, now)

    def discard_drafts(self) -> None:
        clear_draft(self.store, self.key)


class DueForm(StepForm):
    next_label = "Go on"

    def content(self) -> ComposeResult:
        app = self.flow.app
        now = app.clock.now()
        lines = agreement_lines(app.store, now) + waiting_lines(app.store) + due_lines(
            app.store, now, only=(f"{_TOP_PACKAGE}.store.pauses",))
        yield Static("Anything waiting for the two of you?", classes="step-title")
        if lines:
            yield Static(Text("\n".join(f"• {line}" for line in lines)), id="due-list")
            yield Static("You can look at these now or pick a time for them. Both are fine.", classes="step-hint")
        else:
            yield Static(
                "Nothing is waiting: no agreement to review or to say yes to, and no talk set aside for later.",
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
