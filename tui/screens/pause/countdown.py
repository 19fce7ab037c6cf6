"""During the pause: a calm full-screen view with the countdown, the return time, a breathing guide,
ideas for settling, the couple's conflict agreements and a gentle safety line.

The display is refreshed four times a second from the stored deadline and the clock, never by
counting ticks, so it stays right after a restart, a closed lid or a busy machine."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Digits, Header, Static

from ...widgets.footer import HearthFooter
from ...core.content import help_text
from ...core.partners import Partner
from ...core.pause import Pause, countdown_text, settle_idea
from ...core.timewords import at_clock
from . import across
from .common import PauseScreenBase, conflict_agreements, ring_if_due, texts, words_for
from .widgets import BreathingGuide
from ..shared.question import QuestionScreen
from ...store import pauses as pause_store
from ...store.profile import setting
from ...widgets.partner import partner_text

TICK_SECONDS = 0.25


class ConfirmUndoScreen(QuestionScreen[bool]):
    """Past the first seconds, a pause is taken back only by the one who asked for it."""

    BINDINGS = [Binding("escape", "keep", "Keep the pause", id="pause.confirm_undo.keep")]
    BOX_CLASSES = "-narrow"

    def __init__(self, caller: Partner) -> None:
        super().__init__()
        self.caller = caller

    def lines(self) -> list[Widget]:
        return [
            Static(Text.assemble("This pause is ", partner_text(self.caller), "'s to take back.", style="bold")),
            Static(Text.assemble("If you are ", partner_text(self.caller),
                                 " and started it by mistake, you can take it back. Otherwise it keeps running.")),
        ]

    def buttons(self) -> list[Button]:
        return [Button("Keep the pause", id="keep", variant="primary"),
                Button(f"I'm {self.caller.name}: take it back", id="undo")]

    def answer(self, button_id: str) -> bool:
        return button_id == "undo"

    def action_keep(self) -> None:
        self.dismiss(False)


class PauseCountdownScreen(PauseScreenBase):
    SUB_TITLE = "Pause"
    HELP = help_text("pause", "PauseCountdownScreen")
    BINDINGS = [
        Binding("r", "ready", "I'm ready", id="pause.pause_countdown.ready"),
        Binding("n", "next_idea", "New idea", id="pause.pause_countdown.next_idea"),
        Binding("f2,p", "phrases", "Phrases", key_display="F2", id="pause.pause_countdown.phrases"),
        Binding("u", "undo", "Undo", id="pause.pause_countdown.undo"),
        Binding("escape", "leave", "Leave", id="pause.pause_countdown.leave"),
    ]
    DEFAULT_CSS = """
    PauseCountdownScreen #pause-body { height: 1fr; padding: 0 1; }
    PauseCountdownScreen #words {
        height: auto; padding: 0 1; border-left: thick $accent; background: $boost; text-style: bold;
    }
    PauseCountdownScreen #countdown { text-align: center; margin-top: 1; color: $accent; }
    PauseCountdownScreen #back-line { text-align: center; height: auto; }
    PauseCountdownScreen #ready-row { height: auto; margin-top: 1; display: none; }
    PauseCountdownScreen #ready-row.shown { display: block; }
    PauseCountdownScreen #ready-line { text-align: center; width: 1fr; height: auto; }
    PauseCountdownScreen #take-back-row { height: auto; align-horizontal: center; }
    PauseCountdownScreen #take-back-row.hidden { display: none; }
    PauseCountdownScreen #timeup { height: auto; align-horizontal: center; display: none; margin-top: 1; }
    PauseCountdownScreen #timeup.shown { display: block; }
    PauseCountdownScreen #timeup Static { text-align: center; width: 1fr; text-style: bold; }
    PauseCountdownScreen #timeup Button { margin-top: 1; }
    PauseCountdownScreen #timeup-row { height: auto; align-horizontal: center; }
    PauseCountdownScreen BreathingGuide { margin-top: 1; }
    PauseCountdownScreen #idea { text-align: center; height: auto; margin-top: 1; color: $text; }
    PauseCountdownScreen #agreements { height: auto; margin-top: 1; color: $text-muted; }
    PauseCountdownScreen #safety { height: auto; padding: 0 1; color: $text-muted; text-style: italic; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.pause: Pause | None = None
        self._nudge = 0
        self._shown = ""
        self._timeup_shown = False
        self._undo_open = True
        self._idea = ""
        self._ready_text: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="pause-body"):
            yield Static(id="words")
            yield Digits("", id="countdown")
            yield Static(id="back-line")
            with Vertical(id="ready-row"):  # at two homes: who has said "I'm ready" early
                yield Static(id="ready-line")
                with Horizontal(id="take-back-row"):
                    yield Button("I need the time after all", id="take-back")
            with Vertical(id="timeup"):
                yield Static("Time to check in with each other.")
                with Vertical(id="timeup-row"):
                    yield Button("Check in", id="checkin", variant="primary")
            if setting(self.app.store, "breathing", True) is not False:
                yield BreathingGuide(id="breath")
            yield Static(id="idea")
            yield Static(id="agreements")
        yield Static(texts()["safety_line"], id="safety")
        yield HearthFooter()

    def on_mount(self) -> None:
        self.pause = self.active()
        if self.pause is None or self.pause.phase != "countdown":
            self.call_after_refresh(self.go_next)
            return
        p = self.pause
        now = self.now()
        self.query_one("#words", Static).update(Text(f"“{words_for(self.app.store, p.deadline, now)}”"))
        self._show_back_line()
        items = conflict_agreements(self.app.store)
        block = self.query_one("#agreements", Static)
        if items:
            text = Text("What you agreed about disagreements\n", style="bold")
            for title, body in items[:6]:
                text.append(f"• {title}", style="bold")
                if body:
                    text.append("\n  " + " ".join(body.split())[:300])
                text.append("\n")
            block.update(text)
        else:
            block.display = False
        self._tick()
        self.set_interval(TICK_SECONDS, self._tick)

    def read_again(self) -> None:
        """The pause changed at the other home (more time taken there): show it as it is now."""
        found = self.active()
        if found is None or found.phase != "countdown":
            return
        self.pause = found
        self.query_one("#words", Static).update(Text(f"“{words_for(self.app.store, found.deadline, self.now())}”"))
        self._show_back_line()
        self._tick()

    def _show_back_line(self) -> None:
        p, now = self.pause, self.now()
        couple = self.app.couple
        # 'Back together tomorrow at 00:40' past midnight (at_clock brings its own 'at' or 'on')
        line = Text.assemble(("Back together ", ""), (at_clock(p.deadline, now), "bold"), " · ",
                             partner_text(couple[p.asked_by]), " asked for this pause")
        if p.topic:
            line.append(f" · to come back to: {p.topic}")
        if p.more_taken:
            n = p.more_taken
            line.append(f" · more time taken {n} time{'s' if n != 1 else ''}")
        self.query_one("#back-line", Static).update(line)
        self._show_ready_line()

    def _show_ready_line(self) -> None:
        """At two homes, an early "I'm ready" is one partner's: say calmly who has said it."""
        p, now = self.pause, self.now()
        text = across.ready_line(self.app, p, now)
        if text == self._ready_text:
            return
        self._ready_text = text
        self.query_one("#ready-line", Static).update(text)
        self.query_one("#ready-row").set_class(bool(text), "shown")
        mine = across.me(self.app)
        self.query_one("#take-back-row").set_class(not (mine is not None and p.waiting_on_ready(mine)), "hidden")

    def _tick(self) -> None:
        """Recompute everything from the deadline and the clock."""
        p = self.pause
        if p is None or self not in self.app.screen_stack:
            return  # left already: a last tick must not ring where the app-wide watch would notify
        now = self.now()
        text = countdown_text(p.remaining(now))
        if text != self._shown:
            self._shown = text
            self.query_one("#countdown", Digits).update(text)
        elapsed = (now - p.started).total_seconds()
        if self.query("#breath"):
            self.query_one("#breath", BreathingGuide).show(elapsed)
        idea = settle_idea(texts()["settle_ideas"], p.id, elapsed, self._nudge)
        if idea != self._idea:
            self._idea = idea
            self.query_one("#idea", Static).update(Text.assemble(("Something to try: ", "dim"), idea))
        if self._undo_open != p.can_undo(now):
            self._undo_open = p.can_undo(now)
            self.refresh_bindings()
        if p.time_up(now) and not self._timeup_shown:
            self._show_ready_line()  # the time is up: no one waits on a word any more
            self._timeup_shown = True
            self.query_one("#timeup").add_class("shown")
            self.query_one("#checkin", Button).focus()
            self.refresh_bindings()
            ring_if_due(self.app, p)

    # -- keys -------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":  # and never at the other home: it is not theirs to take back there
            return self.pause is not None and self.pause.can_undo(self.now()) and across.may_undo(self.app, self.pause)
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "checkin":
            self.action_ready()
        elif event.button.id == "take-back":
            self.take_back_ready()

    def action_ready(self) -> None:
        """Go to the check-in; it asks first if the time isn't up yet. At two homes, once you
        have said you're ready, there is nothing more to say until the other has too."""
        from .checkin import CheckInScreen

        mine = across.me(self.app)
        p = self.pause
        if p is not None and mine is not None and p.waiting_on_ready(mine) and not p.time_up(self.now()):
            self.app.notify(f"You've said you're ready; the check-in begins when "
                            f"{self.app.couple[1 - mine].name} is ready too.", timeout=5)
            return
        self.app.switch_screen(CheckInScreen())

    def take_back_ready(self) -> None:
        """"I need the time after all": this partner's early ready is withdrawn."""
        mine = across.me(self.app)
        found = self.active()  # read again: the other home's word may have come in
        if mine is None or found is None or found.phase != "countdown":
            return
        found.take_back_ready(mine)
        self.save(found)
        across.merge_soon(self.app)
        self.pause = found
        self._show_ready_line()
        self.set_focus(None)

    def action_next_idea(self) -> None:
        self._nudge += 1
        self._tick()

    def action_undo(self) -> None:
        p = self.pause
        if p is None or not p.can_undo(self.now()):
            return
        if p.undo_needs_caller(self.now()):
            self.app.push_screen(ConfirmUndoScreen(self.app.couple[p.caller]), self._after_confirm_undo)
            return
        self._take_back()

    def _after_confirm_undo(self, undo: bool | None) -> None:
        if undo and self.pause is not None and self.pause.can_undo(self.now()):
            self._take_back()

    def _take_back(self) -> None:
        pause_store.undo(self.app.store)
        self.app.notify("The pause was taken back.", timeout=4)
        self.dismiss()
