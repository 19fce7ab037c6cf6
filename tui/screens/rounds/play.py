"""Playing a round: the turn screens, the curtain between private turns, the reveal with
'then and now', and the summary with a closing suggestion.

All the rules (whose turn, what may be seen) come from tui.core.rounds; every submitted
answer is saved at once through tui.store.rounds.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Header, Static

from tui.widgets.footer import HearthFooter
from tui.core import content
from tui.core.decks import DEPTHS
from tui.core.partners import Couple, Partner
from tui.core.rounds import (
    CLOSENESS_DEFAULT,
    CLOSING_TIMER_SECONDS,
    MAX_ANSWER,
    MODES,
    TALK_TIMER_SECONDS,
    CardPlay,
    RoundState,
    Step,
    answer_problem,
    closeness_tally,
    discoveries,
    minutes_left,
    pick,
    tally_line,
)
from tui.screens.shared.curtain import CurtainScreen, PrivateTurnGuard
from tui.store import rounds as store_rounds
from tui.widgets.bullet import Bullet
from tui.widgets.draft_area import DraftArea
from tui.widgets.partner import TurnBanner, partner_text
from tui.widgets.swap import swap_children
from tui.widgets.text_input import width_uncertain


class AnswerArea(DraftArea):
    """The round's answer box (a DraftArea draws nothing once removed, see its render_lines)."""


def texts() -> dict:
    return content.load("rounds")


def closeness_labels() -> tuple[str, ...]:
    labels = tuple(texts().get("closeness", ())) or CLOSENESS_DEFAULT
    return labels if len(labels) == 3 else CLOSENESS_DEFAULT


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))
    return f"{seconds // 60}:{seconds % 60:02d}"


def then_and_now(earlier: list[store_rounds.Earlier], couple: Couple, now: datetime) -> list[Widget]:
    """Widgets showing earlier answers to the same card, newest first, with when."""
    if not earlier:
        return []
    out: list[Widget] = [Static("Then and now", classes="section-title")]
    for e in earlier:
        text = Text()
        text.append(f"{e.ago(now).capitalize()} ({MODES.get(e.mode, e.mode)})", style="bold")
        # know me: the answer before the guess about it
        order = sorted(e.answers, key=lambda p: p != e.leader) if e.mode == "knowme" else sorted(e.answers)
        for p in order:
            text.append("\n")
            label = "'s guess" if e.mode == "knowme" and p != e.leader else ""
            text.append_text(partner_text(couple[p], f"{label}: "))
            text.append(e.answers[p])
        if e.closeness:
            text.append(f"\nHow close: {e.closeness}", style="italic")
        for p in sorted(e.notes):
            text.append("\n")
            text.append_text(partner_text(couple[p], "'s note: "))
            text.append(e.notes[p])
        out.append(Static(text, classes="then-now"))
    return out


class LeaveRoundScreen(ModalScreen[str]):
    """Escape during a round: keep going, leave it for later, or end it here."""

    BINDINGS = [Binding("escape", "stay", "Keep going")]
    DEFAULT_CSS = """
    LeaveRoundScreen { align: center middle; }
    LeaveRoundScreen #leave-box {
        width: 64; max-width: 100%; height: auto; padding: 1 2;
        border: round $primary; background: $surface;
    }
    LeaveRoundScreen #leave-buttons { height: auto; margin-top: 1; }
    LeaveRoundScreen #leave-buttons Button { margin-right: 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="leave-box"):
            yield Static(Text("Leave this round for now?", style="bold"))
            yield Static("Everything answered so far is saved. Leave it for later and pick it up at "
                         "this card (press 1 on home), or end it here and see what you shared. An answer "
                         "not yet revealed stays with its writer if they want it.")
            with Horizontal(id="leave-buttons"):
                yield Button("Keep going", id="stay", variant="primary")
                yield Button("Leave for later", id="later")
                yield Button("End it here", id="end")

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "stay")

    def action_stay(self) -> None:
        self.dismiss("stay")


class KeepAnswerScreen(ModalScreen[bool]):
    """Asked of one writer, alone at the keyboard, when their answer will not be revealed: keep it
    for themselves (never shown to the partner) or let it go. Esc keeps it: no word is lost by a
    key pressed in a hurry. The answer itself is not shown, so a pause over this leaves nothing."""

    BINDINGS = [Binding("escape", "keep", "Keep it")]
    DEFAULT_CSS = """
    KeepAnswerScreen { align: center middle; }
    KeepAnswerScreen #keep-box {
        width: 64; max-width: 100%; height: auto; padding: 1 2;
        border: round $primary; background: $surface;
    }
    KeepAnswerScreen #keep-buttons { height: auto; margin-top: 1; }
    KeepAnswerScreen #keep-buttons Button { margin-right: 1; }
    """

    def __init__(self, writer: Partner, why: Text, card_text: str) -> None:
        super().__init__()
        self.writer = writer
        self.why = why
        self.card_text = card_text

    def compose(self) -> ComposeResult:
        with Vertical(id="keep-box"):
            yield Static(Text.assemble(partner_text(self.writer), ", your answer to this card won't be revealed.",
                                       style="bold"))
            yield Static(Text(self.card_text), classes="hint")
            yield Static(Text.assemble(self.why, " Keep it for yourself? Only you open it, from History, "
                                       "after a curtain with your name. Or let it go."))
            with Horizontal(id="keep-buttons"):
                yield Button("Keep it for me", id="keep", variant="primary")
                yield Button("Let it go", id="drop")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "keep")

    def action_keep(self) -> None:
        self.dismiss(True)


class RoundPlayScreen(PrivateTurnGuard, Screen[None]):
    """One round, card by card. The body is rebuilt for each step; nothing private outlives its turn."""

    SUB_TITLE = "Question round"
    HELP = (
        "Take turns with the cards. When the screen says to pass the keyboard, hand it over: "
        "nothing from the turn before stays on screen until you both see the reveal. Either of you "
        "can pass on a card at any time, with no need to explain. Every answer is saved the moment "
        "it is submitted, and what you are typing is kept as a draft. Esc lets you leave the round "
        "for later (press 1 on home to resume at the same card) or end it here."
    )
    BINDINGS = [
        Binding("ctrl+s", "submit", "Save & go on"),
        Binding("ctrl+o", "pass_card", "Pass"),
        Binding("ctrl+r", "timer", "Timer"),
        Binding("r", "reveal", "Reveal"),  # at the gate only (check_action); Enter works on its button
        Binding("1", "rate(0)", "Spot on", show=False),
        Binding("2", "rate(1)", "Close", show=False),
        Binding("3", "rate(2)", "Not quite", show=False),
        Binding("s", "star", "Star"),
        Binding("n", "next_card", "Next card"),
        Binding("n", "finish_round", "Finish"),  # the same key on the last card, named for what it does
        Binding("escape", "leave", "Leave"),
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

    # -- Talk -----------------------------------------------------------------------------------
    async def _show_ask(self, step: Step) -> None:
        state, card = self.state, self.state.card
        asker, listener = self.couple[step.partner], self.couple.other(step.partner)
        rng = random.Random(f"{state.id}:{state.position}:{card.step}")
        prompts = pick(list(texts().get("listening_prompts", [])), 2, rng)
        widgets: list[Widget] = [TurnBanner(asker, "your turn to ask"), *self._info(card)]
        if card.kind == "activity":
            lead = Text.assemble("Read this aloud to ", partner_text(listener), ", then do it together:")
        else:
            lead = Text.assemble("Read this aloud to ", partner_text(listener), ", then listen:")
        widgets.append(Static(lead, classes="lead"))
        widgets.append(Static(Text(card.text), classes="card-text"))
        if card.follow_ups:
            widgets.append(Static(Text("To go further: " + "  ".join(card.follow_ups)), classes="hint"))
        if prompts and card.kind != "activity":
            widgets.append(Static(Text("While you listen: " + "  ".join(prompts)), classes="hint"))
        widgets.append(Static(self._timer_text(), id="timer-line", classes="hint"))
        widgets.append(Static("A short note to keep (optional):", classes="lead"))
        key = store_rounds.draft_key(state.id, state.position, step.partner, "note")
        widgets.append(AnswerArea(self.app.store, key, id="answer", classes="note-area", limit=MAX_ANSWER))
        widgets.append(Horizontal(
            Button("Done, swap roles" if len(state.steps) == 3 and card.step == 0 else "Done",
                   id="submit", variant="primary"),
            Button("Pass on this card", id="pass"),
            classes="buttons",
        ))
        await self._set_view("ask", widgets, "#answer")

    def _timer_text(self) -> str:
        minutes = TALK_TIMER_SECONDS // 60
        if self._timer_end is None:
            return f"Timer: off (ctrl+r starts {minutes} minutes)"
        left = (self._timer_end - self._now()).total_seconds()
        if left <= 0:
            return "Timer: time's up. No rush, finish the thought."
        return f"Timer: {clock_text(left)} left (ctrl+r stops it)"

    # -- private turns ----------------------------------------------------------------------------
    async def _show_private(self, step: Step) -> None:
        state, card = self.state, self.state.card
        me, other = self.couple[step.partner], self.couple.other(step.partner)
        widgets: list[Widget] = [TurnBanner(me, "your turn · only you can see this"), *self._info(card)]
        if step.kind == "write":
            lead = Text.assemble("Write your answer. ", partner_text(other), " sees it at the reveal.")
        elif step.kind == "self":
            lead = Text.assemble("Answer about yourself. ", partner_text(other), " will try to guess it.")
        else:
            lead = Text.assemble("How do you think ", partner_text(other), " answered this? Write your guess.")
        widgets.append(Static(Text(card.text), classes="card-text"))
        widgets.append(Static(lead, classes="lead"))
        key = store_rounds.draft_key(state.id, state.position, step.partner)
        widgets.append(AnswerArea(self.app.store, key, id="answer", limit=MAX_ANSWER))
        error = Static("", id="answer-error", classes="field-error")
        error.display = False  # until there is something to say: a hidden line costs no keystroke time
        widgets.append(error)
        widgets.append(Horizontal(
            Button("Save my answer" if step.kind != "guess" else "Save my guess", id="submit", variant="primary"),
            Button("Pass on this card", id="pass"),
            classes="buttons",
        ))
        await self._set_view("private", widgets, "#answer")

    # -- together -----------------------------------------------------------------------------------
    async def _show_gate(self) -> None:
        card = self.state.card
        words = "Both answers are in." if self.state.mode == "write" else "The answer and the guess are in."
        widgets: list[Widget] = [
            Static("Together now", classes="together"),
            *self._info(card),
            Static(Text(card.text), classes="card-text"),
            Static(Text(f"{words} Sit together, then reveal them side by side."), classes="lead"),
            Horizontal(Button("Reveal", id="reveal", variant="primary"),
                       Button("Pass on this card", id="pass"), classes="buttons"),
        ]
        await self._set_view("gate", widgets, "#reveal")

    async def _show_reveal(self) -> None:
        state, card = self.state, self.state.card
        couple = self.couple
        if card.status == "open":
            state.reveal(self._now())  # seen together: kept as shared whichever way the round ends
            self._save()
        shown = state.visible_answers()
        widgets: list[Widget] = [Static("Together now", classes="together"), *self._info(card)]
        widgets.append(Static(Text(card.text), classes="card-text"))
        if state.mode == "talk":
            done = "You did this one together." if card.kind == "activity" else "You've both asked this one."
            widgets.append(Static(done, classes="lead"))
            for p in sorted(card.notes):
                widgets.append(Static(Text.assemble(partner_text(couple[p], "'s note: "), card.notes[p]),
                                      classes="hint"))
        else:
            order = [card.subject, card.guesser] if state.mode == "knowme" else [0, 1]
            if any(width_uncertain(shown.get(p, "")) for p in order):
                # emoji a terminal may draw wider than counted: one under the other, with nothing
                # to the right of the text that a wider line could push out of place
                for p in order:
                    title = partner_text(couple[p], "'s guess" if state.mode == "knowme" and p == card.guesser else "")
                    title.append(":")
                    widgets.append(Static(title, classes="answer-title"))
                    box = Static(Text(shown.get(p, "")), classes="answer-open")
                    box.styles.border_left = ("thick", couple[p].colour)
                    widgets.append(box)
            else:
                boxes = []
                for p in order:
                    box = Static(Text(shown.get(p, "")), classes="answer")
                    title = partner_text(couple[p], "'s guess" if state.mode == "knowme" and p == card.guesser else "")
                    box.border_title = title
                    box.styles.border = ("round", couple[p].colour)
                    boxes.append(box)
                widgets.append(Horizontal(*boxes, classes="answers"))
        if state.mode == "knowme":
            labels = closeness_labels()
            ask = Text.assemble(partner_text(couple[card.subject]), ", how close was the guess?")
            widgets.append(Static(ask, classes="lead"))
            buttons = []
            for i, label in enumerate(labels):
                chosen = card.closeness == label
                buttons.append(Button(f"{i + 1} {label}", id=f"rate-{i}", variant="success" if chosen else "default"))
            widgets.append(Horizontal(*buttons, classes="buttons"))
            widgets.append(Static("", id="rate-error", classes="field-error"))
        earlier = store_rounds.earlier_answers(self.app.store, card.key, exclude=state.id)
        widgets.extend(then_and_now(earlier, couple, self._now()))
        starred = store_rounds.is_starred(self.app.store, card.key)
        last = state.position == len(state.cards) - 1
        widgets.append(Horizontal(
            Button("Finish the round" if last else "Next card", id="next", variant="primary"),
            Button(self._star_label(starred), id="star"),
            classes="buttons",
        ))
        focus = "#rate-0" if state.mode == "knowme" and card.closeness is None else "#next"
        await self._set_view("reveal", widgets, focus)

    @staticmethod
    def _star_label(starred: bool) -> str:
        return "★ Starred (s)" if starred else "☆ Star this card (s)"

    # -- summary ---------------------------------------------------------------------------------------
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
        couple = self.couple
        played = state.played
        widgets: list[Widget] = [Static("The round is complete", classes="together")]
        if played:
            count = "one card" if len(played) == 1 else f"{len(played)} cards"
            widgets.append(Static(f"You went through {count} together. Everything is saved.", classes="lead"))
        else:
            widgets.append(Static("No cards this time, and that's fine.", classes="lead"))
        if any(c.kept for c in state.cards):
            widgets.append(Static("An answer kept for its writer alone is in History, behind a curtain "
                                  "with their name.", classes="hint"))
        if state.mode == "knowme" and played:
            labels = closeness_labels()
            found = discoveries(state, labels)
            widgets.append(Static(Text(texts().get("discovery_intro", "")), classes="lead"))
            tally = closeness_tally(found)
            for guesser in (0, 1):
                line = tally_line(tally[guesser], labels)
                if line:
                    widgets.append(Static(Text.assemble(
                        partner_text(couple[guesser], " guessing about "), partner_text(couple[1 - guesser]),
                        f": {line}"), classes="hint"))
            landed = [d for d in found if d.landed]
            new = [d for d in found if not d.landed]
            if landed:
                widgets.append(Static("What landed", classes="section-title"))
                widgets.extend(Bullet("•", Text.assemble(partner_text(couple[d.guesser]), " knew ",
                                                         partner_text(couple[d.subject]), f": {d.text}"))
                               for d in landed)
            if new:
                widgets.append(Static("New to discover", classes="section-title"))
                widgets.extend(Bullet("•", Text.assemble(partner_text(couple[d.subject]), f": {d.text}"))
                               for d in new)
        elif played:
            widgets.append(Static("The cards", classes="section-title"))
            for card in played:
                star = "★" if store_rounds.is_starred(store, card.key) else "•"
                widgets.append(Bullet(star, Text(card.text)))
        widgets.append(Static("To close", classes="section-title"))
        widgets.append(Static(Text(state.closing or "Thank each other."), classes="lead"))
        widgets.append(Static("", id="timer-line", classes="hint"))
        buttons = [Button("Back home", id="home", variant="primary")]
        if state.closing in texts().get("timed_closings", []):  # a hug wants a timer; a walk does not
            buttons.append(Button(f"Start a {CLOSING_TIMER_SECONDS}-second timer", id="closing-timer"))
        widgets.append(Horizontal(*buttons, classes="buttons"))
        await self._set_view("summary", widgets, "#home")

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
        if bid == "submit":
            await self.action_submit()
        elif bid == "pass":
            await self.action_pass_card()
        elif bid == "reveal":
            await self.action_reveal()
        elif bid == "next":
            await self.action_next_card()
        elif bid == "star":
            self.action_star()
        elif bid.startswith("rate-"):
            self.action_rate(int(bid.removeprefix("rate-")))
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
        if step.private:
            problem = answer_problem(raw)
            if problem:
                error = self.query_one("#answer-error", Static)
                error.update(problem)
                error.display = True
                area.focus()
                return
        elif len(raw) > MAX_ANSWER:
            self.notify(f"That note is long; it was kept to its first {MAX_ANSWER} characters.", timeout=4)
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
        self.query_one("#star", Button).label = self._star_label(now_starred)
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
