"""Playing a round apart: on my own computer I answer my cards one after another, a card's reveal
shows as soon as both answers are in, and while the other's answers are on their way the screen
says so and waits.

No curtain: the other partner is not here. The rules come from tui.core.apart; every change goes
through tui.store.apart_rounds, which reads the stored round again first, so what the other home
sent is never written over. When something comes in from the other home (OtherHomeChanged), the
round is read again, keeping what is being typed, so a reveal appears the moment it is ready.

Each change is saved in a worker (apart_rounds.off_loop), so the screen keeps drawing while a
merge shares the interpreter; meanwhile no other change starts, and what comes in is shown after.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import datetime
from typing import AsyncIterator

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Header, Static

from ...core import apart
from ...core.decks import DEPTHS
from ...core.partners import Couple
from ...core.rounds import MODES, RoundState, answer_problem
from .dialogs import LeaveRoundScreen
from .parts import closeness_labels, press_shared_button, texts
from .play import RoundPlayScreen
from .reveal import after_reveal, answer_boxes, closeness_widgets, star_label
from .summary import summary_view
from .turns import answer_form
from ...store import apart_rounds
from ...store import rounds as store_rounds
from ...store.sync_watch import this_partner
from ...widgets.draft_area import DraftArea
from ...widgets.footer import HearthFooter
from ...widgets.partner import TurnBanner, partner_text
from ...widgets.swap import swap_children
from ...widgets.two_homes import OtherHomeChanged


class LeaveApartScreen(LeaveRoundScreen):
    """Escape during a round played apart: it waits for both, or ends for both."""

    WORDS = ("Everything you answered is saved, and the round waits for you both: leave it for "
             "later (press 1 on home), or end it here for both of you. An answer not revealed yet "
             "stays with its writer, for them alone.")


def apart_closings() -> list[str]:
    """The closing ideas for a round played apart (tui/content/rounds.toml)."""
    return [str(c) for c in texts().get("apart_closing_suggestions", [])] or ["Thank each other for sharing."]


def resume_offer(store) -> RoundState | None:
    """The round played apart that has something left for the partner at this computer, if any."""
    me = this_partner(store)
    if me is None:
        return None
    return next((s for s in apart_rounds.in_progress(store) if not apart.done_for(s, me)), None)


class ApartPlayScreen(Screen[None]):
    """One round played apart, from the side of the partner at this computer (`me`)."""

    SUB_TITLE = "Question round"
    HELP = (
        "You each answer on your own computer, at your own time. Answer your cards one after "
        "another; your partner sees nothing you wrote until you have both answered a card, and "
        "then its reveal opens on both computers. While their answers are on the way, this screen "
        "waits and shows the reveal as soon as it arrives, or you can come back later from home "
        "(press 1). Either of you can pass on a card, with no need to explain."
    )
    BINDINGS = [
        Binding("ctrl+s", "submit", "Save my answer", id="rounds.apart_play.submit"),
        Binding("ctrl+o", "pass_card", "Pass", id="rounds.apart_play.pass_card"),
        Binding("1", "rate(0)", "Spot on", show=False, id="rounds.apart_play.rate_0"),
        Binding("2", "rate(1)", "Close", show=False, id="rounds.apart_play.rate_1"),
        Binding("3", "rate(2)", "Not quite", show=False, id="rounds.apart_play.rate_2"),
        Binding("s", "star", "Star", id="rounds.apart_play.star"),
        Binding("n", "next_card", "Go on", id="rounds.apart_play.next_card"),
        Binding("escape", "leave", "Leave", id="rounds.apart_play.leave"),
    ]
    # the same look as a round at one keyboard
    DEFAULT_CSS = RoundPlayScreen.DEFAULT_CSS.replace("RoundPlayScreen", "ApartPlayScreen")

    def __init__(self, round_id: str, me: int | None = None) -> None:
        super().__init__()
        self.round_id = round_id
        self.me = me
        self.state: RoundState | None = None
        self.index: int | None = None  # the card on screen
        self._view = "blank"  # "blank", "answer", "reveal", "closeness", "wait", "summary"
        self._note_lines: list[str] = []  # the card's own lines under its number
        self._flash = ""
        self._changing_depth = 0  # a change is being saved (in a worker) and shown
        self._came_in: OtherHomeChanged | None = None  # what came in meanwhile, shown after

    # -- set-up --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="round-body")
        yield HearthFooter()

    async def on_mount(self) -> None:
        store = self.app.store
        if self.me is None:
            self.me = this_partner(store)
        state = apart_rounds.load(store, self.round_id)
        if state is None or self.me is None or not state.apart:
            self.notify("That round could not be found here; it may have been deleted.", severity="warning")
            self.dismiss()
            return
        self.state = state
        self.sub_title = f"Question round · {MODES[state.mode]}, apart"
        async with self._changing():
            await self._show()

    @property
    def couple(self) -> Couple:
        return self.app.couple

    @property
    def other(self):
        return self.couple.other(self.me)

    @property
    def body(self) -> VerticalScroll:
        return self.query_one("#round-body", VerticalScroll)

    def _now(self) -> datetime:
        return self.app.clock.now()

    def _closings(self) -> list[str]:
        """Ways to close the round that work apart: their own list, as a hug, a walk or a cup of
        something together need the other in the room."""
        return apart_closings()

    @property
    def names(self) -> tuple[str, str]:
        return self.couple[0].name, self.couple[1].name

    @asynccontextmanager
    async def _changing(self) -> AsyncIterator[None]:
        """While a change here is saved off the event loop and then shown: no other change starts
        (check_action), and what comes in from the other home meanwhile is shown after it."""
        self._changing_depth += 1
        try:
            yield
        finally:
            self._changing_depth -= 1
            if not self._changing_depth and self._came_in is not None:
                report, self._came_in = self._came_in.report, None
                self.post_message(OtherHomeChanged(report))

    @property
    def changing(self) -> bool:
        return self._changing_depth > 0

    def _sent(self, state: RoundState | None) -> bool:
        """After a change here: keep the round as saved and ask for a merge soon, as the other
        home waits for it. False when the round is gone."""
        if state is None:
            self.notify("That round is no longer here; it may have been deleted at the other home.",
                        severity="warning")
            self.dismiss()
            return False
        self.state = state
        homes = getattr(self.app, "homes", None)
        if homes is not None:
            homes.soon()
        return True

    async def _set_view(self, name: str, widgets: list[Widget], focus: str | None = None) -> None:
        self._view = name
        await swap_children(self.body, widgets, focus)
        self.refresh_bindings()

    # -- what comes next -------------------------------------------------------------------------
    async def _show(self) -> None:
        state, me = self.state, self.me
        what, index = apart.what_next(state, me)
        if state.status != "open" and what != "reveal":  # ended: reveals still ready come first
            await self._show_summary()
            return
        self.index = index
        if what == "reveal":
            try:
                saved = await apart_rounds.off_loop(apart_rounds.reveal, self.app.store, state.id, index, me,
                                                    self._now(), self._closings())
            except ValueError:  # changed by a merge a moment ago: show what the round holds now
                saved = apart_rounds.load(self.app.store, state.id)
                if saved is not None and index in apart.to_reveal(saved, me):
                    self.state = saved  # both answers are in: shown, even if not marked as seen
                    await self._show_reveal("reveal")
                elif self._sent(saved):
                    await self._show()
                return
            if self._sent(saved):
                await self._show_reveal("reveal")
        elif what == "closeness":
            await self._show_reveal("closeness")
        elif what == "answer":
            await self._show_answer()
        elif what == "wait":
            await self._show_wait()
        else:
            await self._show_summary()

    def _info(self, index: int) -> list[Widget]:
        state, card = self.state, self.state.cards[index]
        bits = [f"Card {index + 1} of {len(state.cards)}", card.deck, DEPTHS.get(card.depth, "")]
        out: list[Widget] = [Static(" · ".join(b for b in bits if b), classes="info")]
        lines = [self._flash] if self._flash else []
        self._flash = ""
        if card.returning:
            lines.append("Coming back, for then and now: you answered this card six months ago or more. "
                         "What you said then shows at the reveal.")
        self._note_lines = lines
        note = Static(Text("\n".join(lines)), id="apart-note", classes="flash")
        note.display = bool(lines)  # no empty line while there is nothing to say
        out.append(note)
        return out

    def _answer_note(self) -> list[str]:
        """While I write: whether the other has answered this card, and reveals that became
        ready meanwhile (they open after this answer)."""
        lines = []
        if 1 - self.me in self.state.cards[self.index].answers:
            lines.append(f"{self.other.name} has answered this one; its reveal opens once yours is saved.")
        ready = [i for i in apart.to_reveal(self.state, self.me) if i != self.index]
        if ready:
            lines.append(f"{apart.ready_words(ready)}: it opens after this answer.")
        return lines

    async def _show_answer(self) -> None:
        state, index, me = self.state, self.index, self.me
        card = state.cards[index]
        key = store_rounds.draft_key(state.id, index, me)
        head = [TurnBanner(self.couple[me], "your turn · only you can see this"), *self._info(index)]
        widgets = answer_form(card, apart.role(state, card, me), self.couple[me], self.other,
                              self.app.store, key, head, other_done=1 - me in card.answers)
        await self._set_view("answer", widgets, "#answer")
        self._update_note(self._answer_note())

    def _update_note(self, more: list[str]) -> None:
        lines = self._note_lines + more
        note = self.query_one("#apart-note", Static)
        note.update(Text("\n".join(lines)))
        note.display = bool(lines)

    async def _show_reveal(self, view: str) -> None:
        state, index, me = self.state, self.index, self.me
        card = state.cards[index]
        widgets: list[Widget] = [Static("Both answers are in", classes="together"), *self._info(index),
                                 Static(Text(card.text), classes="card-text")]
        widgets.extend(answer_boxes(state.mode, card, apart.visible(card, me), self.couple))
        if state.mode == "knowme" and card.subject == me and card.closeness is None:
            widgets.extend(closeness_widgets(card, self.couple))
        elif state.mode == "knowme" and card.subject == me:  # said: on to 'go on' (1-3 change it)
            widgets.append(Static(Text(f"How close: {card.closeness}"), id="closeness-said", classes="hint"))
        elif state.mode == "knowme":
            said = (f"How close: {card.closeness}" if card.closeness else
                    f"{self.other.name} says how close your guess was; it shows here when it arrives.")
            widgets.append(Static(Text(said), id="closeness-said", classes="hint"))
        widgets.extend(after_reveal(self.app.store, state.id, card, self.couple, self._now(), "Go on"))
        owed = state.mode == "knowme" and card.subject == me and card.closeness is None
        await self._set_view(view, widgets, "#rate-0" if owed else "#next")

    async def _show_wait(self) -> None:
        other = self.other
        words = apart.waiting_words(self.state, self.me, self.names)
        widgets: list[Widget] = [
            Static(Text.assemble("Waiting for ", partner_text(other)), classes="together"),
            Static(Text(f"Your answers are in. {words}."), classes="lead"),
            Static(Text(f"Each reveal opens here as soon as {other.name}'s answer arrives, or later "
                        "from home (press 1). Nothing you wrote shows on their computer before then."),
                   classes="hint"),
            Horizontal(Button("Back home", id="home", variant="primary"), classes="buttons"),
        ]
        await self._set_view("wait", widgets, "#home")

    async def _show_summary(self) -> None:
        state = self.state
        widgets = summary_view(state, self.couple, self.app.store)
        if state.status == "open":  # done here; the other has a reveal still to see
            widgets.insert(2, Static(Text(f"{self.other.name} has a reveal still to see; it waits on "
                                          f"{self.other.name}'s computer."), classes="hint"))
        await self._set_view("summary", widgets, "#home")

    # -- the other home --------------------------------------------------------------------------
    async def on_other_home_changed(self, message: OtherHomeChanged) -> None:
        """Read the round again (what is being typed stays in its box) and show what is new."""
        if not message.touches("rounds_") or self.state is None:
            return
        if self.changing:  # a change of ours is on its way: this is shown once it is saved
            self._came_in = message
            return
        async with self._changing():
            await self._came_in_now()

    async def _came_in_now(self) -> None:
        fresh = apart_rounds.load(self.app.store, self.round_id)
        if fresh is None:
            self._sent(None)
            return
        # ended early at the other home (a round that simply came to its end needs no word)
        ended = self.state.status == "open" and fresh.status != "open" and not apart.over(fresh)
        self.state = fresh
        if ended and self._view in ("reveal", "closeness", "wait"):
            self._say_ended()
        if self._view == "wait":
            await self._show()
            self._flash_left()
        elif self._view == "answer":
            await self._answer_changed()
        elif self._view == "summary":
            await self._show_summary()  # ended at the other home: its closing shows here too
        elif self._view in ("reveal", "closeness") and fresh.mode == "knowme":
            said = self.query("#closeness-said")
            card = fresh.cards[self.index]
            if said and card.closeness:
                said.first(Static).update(Text(f"How close: {card.closeness}"))

    def _say_ended(self) -> None:
        """The other home ended the round: said at once, and what is still to reveal opens first."""
        words = f"{self.other.name} ended the round."
        if apart.to_reveal(self.state, self.me):
            words += " What you both answered still opens here before the summary."
        if self._view != "wait":
            self._update_note([words])  # said on the card itself: no notice over what is read
        else:
            self._flash = words

    def _flash_left(self) -> None:
        """Words meant for the card's note that no card showed (the summary came next): a notice."""
        if self._flash:
            self.notify(self._flash, timeout=6)
            self._flash = ""

    async def _answer_changed(self) -> None:
        card = self.state.cards[self.index]
        if self.state.status == "open" and apart.needs(card, self.me):
            self._update_note(self._answer_note())
            return
        # set aside (or the round ended) at the other home while I wrote: my words are kept for me
        area = self.query_one("#answer", DraftArea)
        typed = area.text
        if typed.strip():
            index = self.index
            me = self.me
            if not self._sent(await apart_rounds.off_loop(apart_rounds.change, self.app.store, self.round_id,
                                                          lambda s: apart.keep_for_me(s, index, me, typed), self._now())):
                return
        area.discard()
        ended = self.state.status != "open"
        self._flash = (f"{self.other.name} ended the round." if ended else
                       f"{self.other.name} passed on card {self.index + 1}.")
        if typed.strip():
            self._flash += " What you wrote is kept for you alone, in History."
        await self._show()
        self._flash_left()

    # -- actions -----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self._view
        if self.changing and action in ("submit", "pass_card", "rate", "next_card", "leave"):
            return False  # one change at a time: the one on its way is saved in a moment
        if action in ("submit", "pass_card"):
            return view == "answer"
        if action == "star":
            return view in ("reveal", "closeness")
        if action == "next_card":
            return view in ("reveal", "closeness")
        if action == "rate":
            card = self.state.cards[self.index] if self.state is not None and self.index is not None else None
            return view in ("reveal", "closeness") and card is not None and self.state.mode == "knowme" \
                and card.subject == self.me
        return True

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        event.stop()
        if not await press_shared_button(self, bid) and bid == "home":
            self.dismiss()

    async def action_submit(self) -> None:
        if self._view != "answer":
            return
        area = self.query_one("#answer", DraftArea)
        raw = area.text
        problem = answer_problem(raw)
        if problem is None:
            area.save_now()  # on disk until the answer is (it goes in the same change)
            area.read_only = True  # what is sent is what was typed: no key lands meanwhile
            async with self._changing():
                try:
                    saved = await apart_rounds.off_loop(apart_rounds.answer, self.app.store, self.round_id,
                                                        self.index, self.me, raw, self._now(), area.draft_key)
                except ValueError as exc:  # passed at the other home a moment ago, say
                    problem = str(exc)
                    area.read_only = False
                else:
                    if not self._sent(saved):
                        return
                    area.discard()
                    await self._show()
                    return
        error = self.query_one("#answer-error", Static)
        error.update(problem)
        error.display = True
        area.focus()

    async def action_pass_card(self) -> None:
        if self._view != "answer":
            return
        area = self.query_one("#answer", DraftArea)
        typed = area.text
        async with self._changing():
            if typed.strip():  # words typed before passing stay with their writer, as on "End it here"
                index, me = self.index, self.me
                await apart_rounds.off_loop(apart_rounds.change, self.app.store, self.round_id,
                                            lambda s: apart.keep_for_me(s, index, me, typed), self._now())
            saved = await apart_rounds.off_loop(apart_rounds.pass_card, self.app.store, self.round_id, self.index,
                                                self.me, self._now(), self._closings())
            if not self._sent(saved):
                return
            area.discard()  # (else it would be saved again as the box goes, beside a passed card)
            self._flash = texts().get("pass_line", "Passed. On to the next card.")
            await self._show()

    async def action_rate(self, index: int) -> None:
        if not self.check_action("rate", ()):
            return
        label = closeness_labels()[index]
        async with self._changing():
            saved = await apart_rounds.off_loop(apart_rounds.rate, self.app.store, self.round_id, self.index,
                                                self.me, label, self._now(), self._closings())
            if not self._sent(saved):
                return
            await self._show_reveal("reveal")  # the closeness said shows; focus on Go on

    async def action_next_card(self) -> None:
        if self._view not in ("reveal", "closeness"):
            return
        card = self.state.cards[self.index]
        if self.state.mode == "knowme" and card.subject == self.me and card.closeness is None:
            self.query_one("#rate-error", Static).update(
                Text.assemble(partner_text(self.couple[self.me]), ", choose how close the guess was first (1, 2 or 3)."))
            self.query_one("#rate-0", Button).focus()
            return
        async with self._changing():
            await self._show()

    def action_star(self) -> None:
        if self._view not in ("reveal", "closeness"):
            return
        card = self.state.cards[self.index]
        now_starred = store_rounds.toggle_star(self.app.store, card.key, card.text, card.deck, self._now())
        self.query_one("#star", Button).label = star_label(now_starred)
        self.notify("Starred. Find it under Favourites." if now_starred else "Star removed.", timeout=3)

    def action_leave(self) -> None:
        if self._view == "summary":
            self.dismiss()
            return
        self.app.push_screen(LeaveApartScreen(), self._after_leave)

    async def _after_leave(self, choice: str | None) -> None:
        if choice == "later":
            self.app.save_drafts()
            self.dismiss()
        elif choice == "end":
            self.app.save_drafts()
            typed = self.query_one("#answer", DraftArea).text if self._view == "answer" else ""
            async with self._changing():
                if typed.strip():  # words not saved yet stay with their writer, like a saved answer
                    index, me = self.index, self.me
                    await apart_rounds.off_loop(apart_rounds.change, self.app.store, self.round_id,
                                                lambda s: apart.keep_for_me(s, index, me, typed), self._now())
                saved = await apart_rounds.off_loop(apart_rounds.end_here, self.app.store, self.round_id,
                                                    self._now(), self._closings())
                if self._sent(saved):
                    await self._show()
