"""The private steps, taken by each partner alone (appreciations, ratings), and the reveal of
the ratings side by side."""

from __future__ import annotations

import json

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from ...core import reflection as rules
from ...core import reflection_apart as apart
from ...core.reflection import Reflection, ReflectionError
from .choice_row import ChoiceRow
from .parts import draft_key, texts
from .step_form import StepForm
from ...store import reflections as store_r
from ...store.drafts import clear_draft, load_draft, save_draft
from ...widgets.draft_area import DraftArea
from ...widgets.partner import TurnBanner, partner_text

DRAFT_DELAY = 0.4  # seconds after the last rating before it is kept as a draft


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
        if self.flow.me is not None:  # on my own computer: only my own keys are written
            return apart.give_appreciations(r, self.partner, found, now)
        return rules.give_appreciations(r, self.partner, found, now)

    def skip(self, r: Reflection, now) -> Reflection:
        self.query_one(DraftArea).save_now()
        if self.flow.me is not None:
            return apart.skip_step(r, self.partner, "appreciations", now)
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
        if self.flow.me is not None:
            return apart.give_ratings(r, self.partner, values, store_r.statement_ids(), now)
        return rules.give_ratings(r, self.partner, values, store_r.statement_ids(), now)

    def skip(self, r: Reflection, now) -> Reflection:
        if self.flow.me is not None:
            return apart.skip_step(r, self.partner, "ratings", now)
        return rules.skip_turn(r, self.partner, now)

    def discard_drafts(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        clear_draft(self.store, self.key)


class RevealForm(StepForm):
    next_label = "Go on"
    skip_label = ""

    def submit(self, r: Reflection, now) -> Reflection:
        if self.flow.me is not None:  # on my own computer: I saw it; the other sees it at theirs
            return apart.see_reveal(r, self.flow.me, now)
        return super().submit(r, now)

    def content(self) -> ComposeResult:
        r = self.flow.reflection
        couple = self.couple
        sts = store_r.statements()
        ids = [s["id"] for s in sts]
        sc = rules.scores(r, ids)
        far = set(rules.differences(r, ids))
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
            marked = s["id"] in far
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
        if far:
            yield Static(Text("↔ " + texts()["difference_note"], style="italic"), id="difference-note",
                         classes="step-title")
        for i in (0, 1):
            if not r.ratings.get(rules.pkey(i)):
                yield Static(Text.assemble(partner_text(couple[i]), " passed on the ratings this week."),
                             classes="step-hint")
