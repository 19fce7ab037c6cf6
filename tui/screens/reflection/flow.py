"""Weekly reflection: walking one week's steps.

The screens are thin: every rule (weeks, steps, turns, scores, carry-over) lives in
tui.core.reflection and every read or write goes through tui.store.reflections. Each step
and each private turn is saved the moment it is submitted, so leaving is always safe.
The steps' forms are in private_steps.py, steps.py and extra_steps.py.
"""

from __future__ import annotations

import random
from functools import partial
from typing import Any, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Header, Static

from ...widgets.footer import HearthFooter
from ...core.content import help_text
from ...core import reflection as rules
from ...core.partners import Partner
from ...core.reflection_apart import both_in, open_shared, position_for, step_done as given
from ...core.reflection import DONE, PRIVATE_STEPS, STEP_TITLES, IsoWeek, Reflection, ReflectionError
from .apart_steps import WAITING, WaitingForm, prepared, progress_text, where
from .parts import draft_key, texts
from .private_steps import AppreciationsForm, RatingsForm, RevealForm
from .step_form import StepForm
from .steps import CloseForm, DueForm, LastItemsForm, NextItemsForm, WordsForm
from ..shared.curtain import CurtainScreen, PrivateTurnGuard
from ...store import reflections as store_r
from ...store.drafts import drafts_with_prefix, load_draft
from ...store.sync_watch import linked, this_partner
from ...widgets.draft_area import DraftArea
from ...widgets.swap import swap_children


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
    from .extra_steps import EXTRA_FORMS

    return EXTRA_FORMS[step]


PRIVATE_NOTES = {
    "appreciations": "Next: your appreciations, written on your own.",
    "ratings": "Next: your private ratings.",
}


# -- the flow --------------------------------------------------------------------------------------
def close_idea(words: dict, week: IsoWeek, me: int | None) -> str:
    """The week's closing idea. Done apart (on one partner's own computer), one that needs no one
    in the room, picked the same at both homes, so whichever reaches the close first, both read
    the same idea."""
    if me is None:
        return rules.pick_suggestion(words["close_suggestions"], random.Random())
    ideas = words.get("apart_close_suggestions") or words["close_suggestions"]
    return rules.pick_suggestion(ideas, random.Random(f"{week.key}:close"))


class ReflectionFlowScreen(PrivateTurnGuard, Screen[bool]):
    """Walks one week's steps. Private turns happen behind the curtain; every step saves."""

    SUB_TITLE = "Weekly reflection"
    HELP = help_text("reflection", "ReflectionFlowScreen")
    BINDINGS = [
        Binding("ctrl+s", "next", "Save and go on", id="reflection.reflection_flow.next"),
        Binding("ctrl+b", "skip", "Skip", id="reflection.reflection_flow.skip"),
        Binding("escape", "leave", "Leave (saved)", id="reflection.reflection_flow.leave"),
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
        #: On one partner's own computer (two homes): whose it is. Their private part is played
        #: here without a curtain, and the other's arrives from the other home.
        self.me: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="progress")
        yield Vertical(id="step-body")
        yield HearthFooter()

    async def on_mount(self) -> None:
        app = self.app
        self.me = this_partner(app.store)
        self.reflection = store_r.start(app.store, self.week, self.mode, app.clock.now())
        if self.extras and self.mode == rules.FULL and rules.is_blank(self.reflection):
            from ...core.reflection_extras import choose_extras

            self.reflection = store_r.save(app.store, choose_extras(self.reflection, self.extras, app.clock.now()))
        self.reflection = prepared(self.reflection, self.me, app.clock.now())
        await self.show_step()

    def _progress(self) -> None:
        r = self.reflection
        kind = "two-minute check-in · " if r.mode == rules.QUICK else ""
        if r.step == DONE:
            text = f"{self.week.title} · {kind}done"
        elif self.me is not None and r.step in PRIVATE_STEPS:
            text = f"{self.week.title} · {kind}{progress_text(r, self.me, self.app.couple[1 - self.me].name)}"
        else:
            n, total = position_for(r, self.me)  # the reveal first, if it waits for me here
            text = f"{self.week.title} · {kind}step {n} of {total} · {STEP_TITLES[where(r, self.me)]}"
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
        if self.me is not None and r.step in PRIVATE_STEPS:
            step = where(r, self.me)
            self.at_keyboard = self.me
            await self._mount(WaitingForm(self, self.me) if step == WAITING else FORMS[step](self, self.me))
            return
        if r.step in PRIVATE_STEPS:
            done = [rules.pkey(i) for i in (0, 1) if given(r, i, r.step)]  # a part given apart counts too
            partner = rules.next_private_partner(done, self.at_keyboard, self._half_done(r.step))
            if partner is None:  # both turns were taken (apart, or odd data) but the step never moved on
                now = self.app.clock.now()
                moved_on = open_shared(r, now) if both_in(r) else rules.advance(r, now)
                self.reflection = store_r.save(self.app.store, moved_on)
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
        step = where(r, self.me)  # on my own computer, the reveal if I have not seen it yet
        if step == "close" and not r.close:
            r.close = close_idea(texts(), self.week, self.me)
            self.reflection = store_r.save(self.app.store, r)
        await self._mount(form_for(step)(self))

    def _half_done(self, step: str) -> int | None:
        """A partner who left this private step part-way (a draft is waiting) goes first."""
        for i in (0, 1):
            if load_draft(self.app.store, draft_key(self.week, step, rules.pkey(i))):
                return i
        return None

    async def _after_curtain(self, partner: int, _result: object = None) -> None:
        if not self.is_attached or self.reflection.step not in PRIVATE_STEPS:
            return
        if self.me is not None:
            await self.show_step()
            return
        self.at_keyboard = partner
        await self._mount(FORMS[self.reflection.step](self, partner))

    # -- a pause over a private turn (PrivateTurnGuard) -----------------------------------------
    def private_owner(self) -> Partner | None:
        r = self.reflection
        if r is None or self.form is None or self.at_keyboard is None or r.step not in PRIVATE_STEPS:
            return None
        if self.me is not None:
            return None  # one partner's own computer: nobody else is at this keyboard
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
            return self.form is not None and not isinstance(self.form, WaitingForm)  # its button leaves
        return True

    async def _apply(self, change: Callable[[StepForm, Reflection, Any], Reflection], *, discard: bool) -> None:
        form = self.form
        if form is None or self._busy:
            return
        self._busy = True
        try:
            now = self.app.clock.now()
            with store_r.held(self.app.store):  # no merge writes between reading and saving
                was = self._take_fresh(now)
                if was is None:
                    try:
                        updated = change(form, self.reflection, now)
                    except ReflectionError as exc:
                        form.show_error(str(exc))
                        return
                    if updated.step == DONE and not updated.done:
                        updated = rules.finish(updated, now)
                    self.reflection = store_r.save(self.app.store, updated)
            if was is not None:
                await self._follow(was)
                return
            if discard:
                form.discard_drafts()
            self.reflection = prepared(self.reflection, self.me, now)
            if self.app.homes is not None:
                self.app.homes.soon()  # the other home may be waiting for this
            if self.reflection.done:
                self.app.store.flush()
                self.notify(f"{self.week.label} is saved. Thank you for taking the time.", timeout=6)
            await self.show_step()
        finally:
            self._busy = False

    # -- two homes -----------------------------------------------------------------------------------
    def _take_fresh(self, now) -> str | None:
        """On a linked computer, read the week again before saving over it, so what came in from
        the other home is kept. Returns the step that was shown if the week has moved on from
        it (then `_follow` shows where it is now), else None."""
        if not linked(self.app.store):
            return None
        fresh = store_r.get(self.app.store, self.week)
        if fresh is None:
            return None
        fresh = prepared(fresh, self.me, now)
        was = where(self.reflection, self.me)
        self.reflection = fresh
        return was if where(fresh, self.me) != was else None

    async def _follow(self, was: str) -> None:
        """Show the step the week has moved on to (what was typed stays as a draft), saying why."""
        self.save_drafts()
        self._keep_typed()
        fresh = self.reflection
        who = self.app.couple[1 - self.me].name if self.me is not None else "The other home"
        if fresh.step == DONE:
            self.notify(f"{who} closed {self.week.label}. Thank you for taking the time.", timeout=6, markup=False)
        elif was in STEP_TITLES and was not in PRIVATE_STEPS and where(fresh, self.me) in STEP_TITLES:
            self.notify(f"{who} went on to “{STEP_TITLES[where(fresh, self.me)]}”, so this screen did too.",
                        timeout=5, markup=False)
        await self.show_step()

    def _keep_typed(self) -> None:
        """Words typed in a step the other home has gone on from are added to the week."""
        form, store, now = self.form, self.app.store, self.app.clock.now()
        if form is None or self.reflection.step == DONE:
            return
        with store_r.held(store):
            fresh = store_r.get(store, self.week)
            try:
                kept = form.keep_typed(fresh, now) if fresh is not None else None
            except ReflectionError:  # too long to add: it stays as this step's draft
                kept = None
            if kept is None:
                return
            self.reflection = prepared(store_r.save(store, kept), self.me, now)
        form.discard_drafts()
        if self.app.homes is not None:
            self.app.homes.soon()

    async def on_other_home_changed(self, event) -> None:
        """Something came in from the other home: the week is read again (keeping the step on
        screen, and what is typed in it, unless the week has moved on)."""
        if not event.touches(store_r.PREFIX) or self.reflection is None or self._busy or not self.is_attached:
            return
        if self.app.screen is not self:  # help or a pause on top: read it again once back
            self._came_in = True
            return
        await self._read_again()

    _came_in = False  # something came in while another screen was on top

    async def on_screen_resume(self) -> None:
        """Back on top (PrivateTurnGuard has its own turn at this too): on one partner's own
        computer, catch up with what came in meanwhile (the other's part, a step taken there)."""
        if self._came_in and self.me is not None and self.reflection is not None and not self._busy:
            self._came_in = False
            await self._read_again()

    async def _read_again(self) -> None:
        self._busy = True
        try:
            was = self._take_fresh(self.app.clock.now())
            if was is not None:
                await self._follow(was)
        finally:
            self._busy = False

    async def action_next(self) -> None:
        if isinstance(self.form, WaitingForm):
            self.action_leave()
            return
        await self._apply(lambda form, r, now: form.submit(r, now), discard=True)

    async def action_skip(self) -> None:
        if self.form is not None and self.form.skip_label:
            await self._apply(lambda form, r, now: form.skip(r, now), discard=False)

    def action_leave(self) -> None:
        self.save_drafts()
        r = self.reflection
        if r is not None and self.me is None and rules.is_blank(r) and not self._has_drafts():
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
