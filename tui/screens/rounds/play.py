"""Playing a round: the turn screens, the curtain between private turns, the reveal with
'then and now', and the summary with a closing suggestion.

All the rules (whose turn, what may be seen) come from tui.core.rounds; every submitted
answer is saved at once through tui.store.rounds. The views are built in turns.py, reveal.py
and summary.py, the two questions (leave, keep an answer) are in dialogs.py.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Header, Static

from ...widgets.footer import HearthFooter
from ...core.content import help_text
from ...core.decks import DEPTHS
from ...core.partners import Couple, Partner
from ...core.rounds import (
    CLOSING_TIMER_SECONDS,
    MODES,
    TALK_TIMER_SECONDS,
    CardPlay,
    RoundState,
    Step,
    answer_problem,
    note_problem,
    minutes_left,
    pick,
)
from .dialogs import KeepAnswerScreen, LeaveRoundScreen
from .parts import clock_text, closeness_labels, press_shared_button, texts
from .reveal import gate_view, reveal_view, star_label
from .summary import summary_view
from .turns import ask_view, private_view
from ..shared.curtain import CurtainScreen, PrivateTurnGuard
from ...store import rounds as store_rounds
from ...widgets.draft_area import DraftArea
from ...widgets.partner import partner_text
from ...widgets.swap import swap_children

class RoundPlayScreen(PrivateTurnGuard, Screen[None]):
    """One round, card by card. The body is rebuilt for each step; nothing private outlives its turn."""

    SUB_TITLE = "Question round"
    HELP = help_text("rounds", "RoundPlayScreen")
    BINDINGS = [
        Binding("ctrl+s", "submit", "Save & go on", id="rounds.round_play.submit"),
        Binding("ctrl+o", "pass_card", "Pass", id="rounds.round_play.pass_card"),
        Binding("ctrl+r", "timer", "Timer", id="rounds.round_play.timer"),
        Binding("r", "reveal", "Reveal", id="rounds.round_play.reveal"),  # at the gate only (check_action); Enter works on its button
        Binding("1", "rate(0)", "Spot on", show=False, id="rounds.round_play.rate_0"),
        Binding("2", "rate(1)", "Close", show=False, id="rounds.round_play.rate_1"),
        Binding("3", "rate(2)", "Not quite", show=False, id="rounds.round_play.rate_2"),
        Binding("s", "star", "Star", id="rounds.round_play.star"),
        Binding("n", "next_card", "Next card", id="rounds.round_play.next_card"),
        Binding("n", "finish_round", "Finish", id="rounds.round_play.finish_round"),  # the same key on the last card, named for what it does
        Binding("escape", "leave", "Leave", id="rounds.round_play.leave"),
    ]
    DEFAULT_CSS = """
    RoundPlayScreen #round-body { height: 1fr; padding: 0 1; }
    RoundPlayScreen .info { color: $text-muted; height: auto; }
    RoundPlayScreen .flash { color: $text-success; height: auto; }
    RoundPlayScreen .card-text {
        height: auto; padding: 0 1; border: round $primary; text-style: bold; margin: 0 0 0 0;
    }
    RoundPlayScreen .hint { height: auto; color: $text-muted; }
    RoundPlayScreen .section-title { text-style: bold; margin-top: 1; height: auto; }
    RoundPlayScreen .lead { height: auto; margin-top: 1; }
    RoundPlayScreen DraftArea { height: 6; min-height: 3; }
    RoundPlayScreen .note-area { height: 4; }
    RoundPlayScreen .field-error { height: auto; }
    RoundPlayScreen .buttons { height: auto; margin-top: 1; }
    RoundPlayScreen .buttons Button { margin-right: 1; }
    RoundPlayScreen .answers { height: auto; }
    RoundPlayScreen .answer { width: 1fr; height: auto; min-height: 3; padding: 0 1; border: round $primary; }
    RoundPlayScreen .answer-title { height: auto; margin-top: 1; }
    RoundPlayScreen .answer-open { height: auto; padding: 0 1; }
    RoundPlayScreen .then-now { height: auto; padding: 0 1; border-left: thick $primary-darken-2; margin-bottom: 1; }
    RoundPlayScreen .together {
        width: 1fr; height: 1; padding: 0 1; background: $boost; text-style: bold;
    }
    RoundPlayScreen #timer-line { height: auto; }
    """

    def __init__(self, round_id: str) -> None:
        super().__init__()
        self.round_id = round_id
        self.state: RoundState | None = None
        self._flash = ""
        self._gate_open = False  # the reveal gate was passed for the current card
        self._timer_end: datetime | None = None
        self._ticker: Timer | None = None
        self._view = "blank"  # "blank", "ask", "private", "gate", "reveal", "summary"
        self._first_view = True

    # -- set-up --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="round-body")
        yield HearthFooter()

    async def on_mount(self) -> None:
        state = store_rounds.get_round(self.app.store, self.round_id)
        if state is None:
            self.notify("That round could not be found; it may have been deleted.", severity="warning")
            self.dismiss()
            return
        self.state = state
        self.sub_title = f"Question round · {MODES[state.mode]}"
        self._ticker = self.set_interval(0.5, self._tick, pause=True)
        await self._advance()

    @property
    def couple(self) -> Couple:
        return self.app.couple

    @property
    def body(self) -> VerticalScroll:
        return self.query_one("#round-body", VerticalScroll)

    def _now(self) -> datetime:
        return self.app.clock.now()

    def _save(self) -> None:
        store_rounds.save_round(self.app.store, self.state)

    # -- flow ----------------------------------------------------------------------------------
    async def _advance(self) -> None:
        """Show whatever comes next: a curtain before a hand-over, a gate before a reveal, or the summary."""
        state = self.state
        self._stop_timer()
        if state.finished:
            await self._show_summary()
            return
        step = state.step
        if step.hands_over:
            await self._set_view("blank", [])
            self.app.push_screen(CurtainScreen(self.couple[step.partner]), self._after_curtain)
        elif state.mode != "talk" and not self._gate_open and state.card.status != "done":
            await self._show_gate()  # a card already revealed (then quit, say) opens at its reveal
        else:
            await self._render_step()

    async def _after_curtain(self, _result: object = None) -> None:
        await self._render_step()

    # -- a pause over a private turn (PrivateTurnGuard) -----------------------------------------
    def private_owner(self) -> Partner | None:
        if self._view != "private" or self.state is None or self.state.finished:
            return None
        return self.couple[self.state.step.partner]

    def private_area(self) -> Widget:
        return self.body

    async def show_private_again(self, owner: Partner) -> None:
        await self._render_step()

    async def _set_view(self, name: str, widgets: list[Widget], focus: str | None = None) -> None:
        """Show a new step, with `focus` (a selector) holding the keyboard from its first frame."""
        self._view = name
        await swap_children(self.body, widgets, focus)
        self.refresh_bindings()

    def _info(self, card: CardPlay) -> list[Widget]:
        """Card number, deck and depth, time left, and anything the couple should be told."""
        state = self.state
        bits = [f"Card {state.card_number} of {len(state.cards)}", card.deck, DEPTHS.get(card.depth, "")]
        left = minutes_left(state, self._now())
        if left is not None:
            bits.append("time is up, finish when you like" if left == 0 else f"about {left} min left")
        out: list[Widget] = [Static(" · ".join(b for b in bits if b), classes="info")]
        lines: list[str] = []
        if self._flash:
            lines.append(self._flash)
            self._flash = ""
        if self._first_view and state.notes and state.position == 0:
            lines.extend(state.notes)
        elif card.again and card.step == 0:
            lines.append("This card is back: you've met all the others lately.")
        if card.returning and card.step == 0:
            lines.append("Coming back, for then and now: you answered this card six months ago or more. "
                         "What you said then shows at the reveal.")
        self._first_view = False
        if lines:
            out.append(Static(Text("\n".join(lines)), classes="flash"))
        return out

    async def _render_step(self) -> None:
        state = self.state
        if state is None or state.finished:
            return
        step = state.step
        if step.kind == "ask":
            await self._show_ask(step)
        elif step.private:
            await self._show_private(step)
        else:
            await self._show_reveal()

    # -- the views (built in turns.py, reveal.py and summary.py) -------------------------------
    async def _show_ask(self, step: Step) -> None:
        info = self._info(self.state.card)
        widgets = ask_view(self.state, step, self.couple, self.app.store, info, self._timer_text())
        await self._set_view("ask", widgets, "#answer")

    def _timer_text(self) -> str:
        minutes = TALK_TIMER_SECONDS // 60
        if self._timer_end is None:
            return f"Timer: off (ctrl+r starts {minutes} minutes)"
        left = (self._timer_end - self._now()).total_seconds()
        if left <= 0:
            return "Timer: time's up. No rush, finish the thought."
        return f"Timer: {clock_text(left)} left (ctrl+r stops it)"

    async def _show_private(self, step: Step) -> None:
        widgets = private_view(self.state, step, self.couple, self.app.store, self._info(self.state.card))
        await self._set_view("private", widgets, "#answer")

    async def _show_gate(self) -> None:
        await self._set_view("gate", gate_view(self.state, self._info(self.state.card)), "#reveal")

    async def _show_reveal(self) -> None:
        state, card = self.state, self.state.card
        if card.status == "open":
            state.reveal(self._now())  # seen together: kept as shared whichever way the round ends
            self._save()
        widgets, focus = reveal_view(state, self.couple, self.app.store, self._info(card), self._now())
        await self._set_view("reveal", widgets, focus)

    async def _show_summary(self) -> None:
        state = self.state
        store = self.app.store
        if state.status == "open":
            if not state.closing:
                rng = random.Random(f"{state.id}:closing")
                state.closing = (pick(list(texts().get("closing_suggestions", [])), 1, rng) or ["Thank each other."])[0]
            touched = any(c.status in ("done", "passed") or c.kept for c in state.cards)
            if touched:
                store_rounds.end_round(store, state, self._now())
            else:  # nothing happened: no empty round in History, no card counted as met
                store_rounds.delete_round(store, state.id)
                state.status = "done"
        await self._set_view("summary", summary_view(state, self.couple, store), "#home")

    # -- timers ---------------------------------------------------------------------------------------
    def _start_timer(self, seconds: int) -> None:
        self._timer_end = self._now() + timedelta(seconds=seconds)
        if self._ticker is not None:
            self._ticker.resume()
        self._tick()

    def _stop_timer(self) -> None:
        self._timer_end = None
        if self._ticker is not None:
            self._ticker.pause()

    def _tick(self) -> None:
        lines = self.query("#timer-line")
        if not lines:
            return
        line = lines.first(Static)
        if self._view == "ask":
            line.update(self._timer_text())
        elif self._view == "summary" and self._timer_end is not None:
            left = (self._timer_end - self._now()).total_seconds()
            line.update(f"{clock_text(left)} left" if left > 0 else "That's the time. No need to hurry back.")
        if self._timer_end is not None and self._timer_end <= self._now() and self._ticker is not None:
            self._ticker.pause()

    # -- actions -----------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self._view
        if action == "submit":
            return view in ("ask", "private")
        if action == "pass_card":
            if view == "reveal":  # answered already; in Know me, passing skips saying how close
                return self.state is not None and self.state.mode == "knowme"
            return view in ("ask", "private", "gate")
        if action == "timer":
            return view == "ask"
        if action == "star":
            return view == "reveal"
        if action in ("next_card", "finish_round"):
            last = self.state is not None and self.state.position == len(self.state.cards) - 1
            return view == "reveal" and last == (action == "finish_round")
        if action == "rate":
            return view == "reveal" and self.state is not None and self.state.mode == "knowme"
        if action == "reveal":
            return view == "gate"
        return True

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        event.stop()
        if await press_shared_button(self, bid):
            return
        if bid == "reveal":
            await self.action_reveal()
        elif bid == "home":
            self._stop_timer()
            self.dismiss()
        elif bid == "closing-timer":
            self._start_timer(CLOSING_TIMER_SECONDS)

    async def action_submit(self) -> None:
        if self._view not in ("ask", "private"):
            return
        state = self.state
        step = state.step
        area = self.query_one("#answer", DraftArea)
        raw = area.text
        problem = answer_problem(raw) if step.private else note_problem(raw)
        if problem:  # nothing typed is cut: the words stay in the box until they fit
            error = self.query_one("#answer-error", Static)
            error.update(problem)
            error.display = True
            area.focus()
            return
        state.submit(raw)
        self._save()
        area.discard()
        await self._advance()

    async def _ask_writers(self, why: Text, then) -> None:
        """Before unrevealed answers leave the card, ask each writer, alone behind the curtain,
        whether to keep theirs; then call `then(kept)` with those who said keep."""
        writers = self.state.unrevealed_writers()
        card_text = self.state.card.text
        kept: set[int] = set()
        self.app.save_drafts()

        def ask(i: int) -> None:
            if i == len(writers):
                self.call_later(then, kept)
                return
            writer = self.couple[writers[i]]

            def answered(keep: bool | None) -> None:
                if keep is not False:
                    kept.add(writers[i])
                ask(i + 1)

            self.app.push_screen(
                CurtainScreen(writer, "A question about your own answer comes next."),
                lambda _: self.app.push_screen(KeepAnswerScreen(writer, why, card_text), answered))

        await self._set_view("blank", [])  # nothing of the turn shows behind the question
        ask(0)

    async def action_pass_card(self) -> None:
        if not self.check_action("pass_card", ()):
            return
        state = self.state
        if state.unrevealed_writers():
            step = state.step
            if step.partner is not None:
                why = Text.assemble(partner_text(self.couple[step.partner]), " passed on it.")
            else:
                why = Text("You passed on it together.")
            await self._ask_writers(why, self._pass_keeping)
            return
        await self._pass_keeping(set())

    async def _pass_keeping(self, kept: set[int]) -> None:
        state = self.state
        index = state.position
        state.pass_card(self._now(), keep=kept)
        self._save()
        store_rounds.clear_card_drafts(self.app.store, state.id, index)
        self._gate_open = False
        self._flash = texts().get("pass_line", "Passed. On to the next card.")
        await self._advance()

    async def action_reveal(self) -> None:
        if self._view != "gate":
            return
        self._gate_open = True
        await self._render_step()

    def action_rate(self, index: int) -> None:
        if self._view != "reveal" or self.state.mode != "knowme":
            return
        labels = closeness_labels()
        self.state.rate(labels[index])
        self._save()
        for i in range(3):
            self.query_one(f"#rate-{i}", Button).variant = "success" if i == index else "default"
        self.query_one("#rate-error", Static).update("")
        self.query_one("#next", Button).focus()

    async def action_finish_round(self) -> None:
        await self.action_next_card()

    async def action_next_card(self) -> None:
        if self._view != "reveal":
            return
        state = self.state
        if state.mode == "knowme" and state.card.closeness is None:
            subject = self.couple[state.card.subject]
            self.query_one("#rate-error", Static).update(
                Text.assemble(partner_text(subject), ", choose how close the guess was first (1, 2 or 3)."))
            self.query_one("#rate-0", Button).focus()
            return
        state.finish_card(self._now())
        self._save()
        self._gate_open = False
        await self._advance()

    def action_star(self) -> None:
        if self._view != "reveal":
            return
        card = self.state.card
        now_starred = store_rounds.toggle_star(self.app.store, card.key, card.text, card.deck, self._now())
        self.query_one("#star", Button).label = star_label(now_starred)
        self.notify("Starred. Find it under Favourites." if now_starred else "Star removed.", timeout=3)

    def action_timer(self) -> None:
        if self._view != "ask":
            return
        if self._timer_end is None:
            self._start_timer(TALK_TIMER_SECONDS)
        else:
            self._stop_timer()
            self._tick()
            self.query_one("#timer-line", Static).update(self._timer_text())

    def action_leave(self) -> None:
        if self._view == "summary":
            self._stop_timer()
            self.dismiss()
            return
        self.app.push_screen(LeaveRoundScreen(), self._after_leave)

    async def _after_leave(self, choice: str | None) -> None:
        if choice == "later":
            self.app.save_drafts()
            self._stop_timer()
            self.dismiss()
        elif choice == "end":
            self.app.save_drafts()
            if self.state.unrevealed_writers():
                await self._ask_writers(Text("The round ended before the reveal."), self._end_keeping)
            else:
                await self._end_keeping(set())

    async def _end_keeping(self, kept: set[int]) -> None:
        self.state.end_early(keep=kept)
        self._save()
        await self._advance()
