"""Coming back: each partner, in turn behind the curtain, says how calm they feel and whether
they're ready. If one isn't, they choose more time (or, after two extensions, a time later)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Header, Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from ...widgets.footer import HearthFooter
from ...core.content import help_text
from ...core.pause import MIN_MINUTES, Pause, PauseError, minutes_text
from ...core.timewords import at_clock
from ..shared.curtain import CurtainScreen
from . import across
from .common import PauseScreenBase, texts
from .widgets import CalmScale
from ...store import pauses as pause_store
from ...widgets.partner import TurnBanner
from ...widgets.swap import Focus, swap_children

LABEL_SECONDS = 5  # how often the "back at" times of the more-time choices are worked out again


class CheckInScreen(PauseScreenBase):
    SUB_TITLE = "Check-in"
    checks_in = True  # read again when the other home's check-in arrives (pause/across.py)
    HELP = help_text("pause", "CheckInScreen")
    BINDINGS = [
        Binding("y", "answer(True)", "I'm ready", id="pause.check_in.answer_true"),
        Binding("n", "answer(False)", "Not yet", id="pause.check_in.answer_false"),
        Binding("f2", "phrases", "Phrases", key_display="F2", id="pause.check_in.phrases"),
        Binding("escape", "back", "Back", id="pause.check_in.back"),
    ]
    DEFAULT_CSS = """
    CheckInScreen .title { text-style: bold; margin-top: 1; height: auto; }
    CheckInScreen .line { height: auto; margin-top: 1; }
    CheckInScreen .muted { color: $text-muted; height: auto; }
    CheckInScreen .note { height: auto; margin-top: 1; padding: 0 1; border-left: thick $secondary; }
    CheckInScreen .buttons { height: auto; margin-top: 1; }
    CheckInScreen .buttons Button { margin-right: 2; }
    CheckInScreen #choices { height: auto; max-height: 11; width: 60; max-width: 100%; }
    CheckInScreen #revisit-time { width: 36; }
    CheckInScreen CalmScale { margin-top: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.pause: Pause | None = None
        self.state = "intro"  # intro | curtain | turn | more_time
        self.turn_partner: int | None = None
        self._revisit_times: dict[str, datetime] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="body")
        yield HearthFooter()

    async def on_mount(self) -> None:
        self.pause = self.active()
        self.set_interval(LABEL_SECONDS, self._refresh_extension_labels)
        p = self.pause
        if p is None or p.phase not in ("countdown", "checkin", "more_time"):
            self.call_after_refresh(self.go_next)
            return
        if p.phase == "more_time":
            await self.show_more_time()
        elif p.phase == "checkin" and p.current_round:
            await self.next_turn()
        else:
            await self.show_intro()

    async def _show(self, *widgets: Widget, focus: Focus = None) -> None:
        """Show new content, with `focus` holding the keyboard from its first frame."""
        await swap_children(self.query_one("#body", VerticalScroll), list(widgets), focus)

    # -- intro --------------------------------------------------------------------------------------
    async def show_intro(self) -> None:
        self.state = "intro"
        p, now = self.pause, self.now()
        widgets: list[Widget] = []
        early = p.phase == "countdown" and not p.time_up(now)
        apart = across.me(self.app) is not None
        if early:
            widgets.append(Static("Ready to come back?", classes="title"))
            minutes = int(p.elapsed(now).total_seconds() // 60)
            if minutes < MIN_MINUTES:
                widgets.append(Static(
                    f"It's been {minutes_text(minutes) if minutes else 'less than a minute'}. Bodies often need about {MIN_MINUTES} minutes to "
                    "settle, but you know yourselves best.", classes="line"))
            if apart:  # one partner's word: the other may still need their time
                widgets.append(across.ready_explain(self.app, p, now))
        elif p.revisited:
            about = f" about {p.topic}" if p.topic else ""
            widgets.append(Static(f"Welcome back to your talk{about}.", classes="title"))
        elif p.ended_early and p.phase == "checkin":
            widgets.append(Static("You're both ready. Time to check in.", classes="title"))
        else:
            widgets.append(Static("Time to check in", classes="title"))
        if not (early and apart):
            widgets.append(Static(texts()["checkin_intro"], classes="line"))
        label = "Yes, I'm ready" if early and apart else "Begin the check-in"
        buttons = [Button(label, id="begin", variant="primary")]
        if p.phase == "countdown" and not p.time_up(now):
            buttons.append(Button("Back to the pause", id="back-to-pause"))
        widgets.append(Horizontal(*buttons, classes="buttons"))
        await self._show(*widgets, focus="#begin")

    async def begin(self) -> None:
        now = self.now()
        p = self.pause = self.active() or self.pause  # the other home's word may have come in
        mine = across.me(self.app)
        if p.phase == "countdown":
            if p.time_up(now):
                p.begin_checkin(now)
            elif mine is None:
                p.end_early(now)  # at one keyboard both of you are here: it ends now
            else:
                p.say_ready(mine, now)  # at two homes, only once both have said it
            self.save(p)
            across.merge_soon(self.app)
            if p.phase == "countdown":  # the other has not said so yet: back to the time-out
                self.go_next()
                return
        await self.next_turn()

    # -- a private turn -------------------------------------------------------------------------------
    async def next_turn(self) -> None:
        p = self.pause
        who = across.turn_here(self.app, p)
        if who is None and p.phase == "checkin":  # this partner's check-in is in; the other's is at their home
            self.state = "waiting"
            await self._show(across.waiting_line(self.app, p))
            return
        if who is None:
            await self.after_round()
            return
        self.state = "curtain"
        self.turn_partner = who
        await self._show()  # nothing of the last turn stays behind the curtain
        if across.me(self.app) is not None:  # this partner's own computer: no keyboard to hand over
            await self._after_curtain()
            return
        self.app.push_screen(
            CurtainScreen(self.app.couple[who], "Check-in: how calm you feel, and whether you're ready."),
            lambda _: self.call_after_refresh(self._after_curtain),
        )

    async def _after_curtain(self) -> None:
        await self.show_turn()

    async def show_turn(self) -> None:
        p = self.pause
        who = self.turn_partner
        partner = self.app.couple[who]
        self.state = "turn"
        widgets: list[Widget] = [
            TurnBanner(partner, "your check-in"),
            Static("How calm do you feel right now?", classes="title"),
            CalmScale(id="calm"),
            Static("0 = not calm at all · 10 = completely calm", classes="muted"),
            Static("", id="calm-error", classes="field-error"),
        ]
        if who == p.caller and p.note:
            widgets.append(Static(Text.assemble(("Your note to yourself: ", "bold"), p.note), classes="note"))
        widgets += [
            Static("Are you ready to talk?", classes="title"),
            Horizontal(
                Button("Yes, I'm ready (y)", id="ready-yes", variant="success"),
                Button("Not yet (n)", id="ready-no"),
                classes="buttons",
            ),
        ]
        await self._show(*widgets, focus="#calm")

    async def action_answer(self, ready: bool) -> None:
        if self.state != "turn" or self.turn_partner is None:
            return
        calm = self.query_one("#calm", CalmScale).value
        if calm is None:
            self.query_one("#calm-error", Static).update("Please pick a number from 0 to 10 first.")
            self.query_one("#calm", CalmScale).focus()
            return
        p = self.pause = self.active() or self.pause  # the other home's check-in may have come in
        if p.phase != "checkin":
            self.go_next()
            return
        p.record_checkin(self.turn_partner, calm, ready)
        self.save(p)
        across.merge_soon(self.app)
        self.turn_partner = None
        if p.phase == "checkin":
            await self.next_turn()
        else:
            await self.after_round()

    async def after_round(self) -> None:
        p = self.pause
        if p.phase == "repair":
            self.go_next()
        else:
            await self.show_more_time()

    # -- more time ----------------------------------------------------------------------------------
    async def show_more_time(self) -> None:
        self.state = "more_time"
        p, now = self.pause, self.now()
        t = texts()
        widgets: list[Widget] = [
            Static("One of you would like more time.", classes="title"),
            Static(t["not_ready_line"], classes="muted"),
        ]
        extensions = p.extension_options(now)
        revisits = p.revisit_options(now)
        self._revisit_times = {f"rev-{i}": when for i, when in enumerate(revisits)}
        offer_revisit = bool(revisits) and (p.suggests_revisit or not extensions)
        options: list[Option] = []
        if offer_revisit:
            widgets.append(Static(t["revisit_line"], classes="line"))
            options += [Option(f"Come back {at_clock(w, now)}", id=k) for k, w in self._revisit_times.items()]
        ext_options = [Option(self._extension_label(m, now), id=f"ext-{m}") for m in extensions]
        if ext_options and options:
            options.append(None)  # a separator between "later" and "a little more time now"
        options += ext_options
        if options:
            widgets.append(Static("Choose a time to come back, or a little more time now:" if offer_revisit
                                  else "How much more time?", classes="title"))
            widgets.append(OptionList(*options, id="choices"))
        if offer_revisit:
            widgets.append(Input(placeholder="Or type a time, like 21:30", id="revisit-time", max_length=12))
            widgets.append(Static("", id="revisit-error", classes="field-error"))
        if not options:
            widgets.append(Static(
                "The 24 hours since this pause began are nearly up. You can talk now, or leave it for now "
                "and come back to it when it feels right.", classes="line"))
            widgets.append(Horizontal(Button("Talk now", id="talk-now", variant="primary"),
                                      Button("Leave it for now", id="let-rest"), classes="buttons"))
        await self._show(*widgets, focus="#choices" if options else "#talk-now")

    def _extension_label(self, minutes: int, now: datetime) -> str:
        return f"{minutes} more minutes · back {at_clock(self.pause.extension_deadline(minutes, now), now)}"

    def _refresh_extension_labels(self) -> None:
        """The 'back at' times follow the clock while the choice waits on screen."""
        if self.state != "more_time" or not self.query("#choices"):
            return
        choices, now = self.query_one("#choices", OptionList), self.now()
        for m in self.pause.extension_options(now):
            try:
                choices.replace_option_prompt(f"ext-{m}", self._extension_label(m, now))
            except OptionDoesNotExist:  # not offered when the list was made
                pass

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        oid = event.option.id or ""
        if oid.startswith("ext-"):
            self.extend(int(oid[4:]))
        elif oid in self._revisit_times:
            self.revisit(self._revisit_times[oid])

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        event.stop()
        if bid == "begin":
            await self.begin()
        elif bid == "back-to-pause":
            await self.action_back()
        elif bid == "ready-yes":
            await self.action_answer(True)
        elif bid == "ready-no":
            await self.action_answer(False)
        elif bid == "talk-now":
            self.pause.talk_now()
            self.save(self.pause)
            self.go_next()
        elif bid == "let-rest":
            pause_store.finish(self.app.store, self.pause, self.now(), repair="not yet")
            self.app.notify("The pause is saved in your log.", timeout=5)
            self.dismiss()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "revisit-time":
            return
        event.stop()
        try:
            when = self.pause.parse_revisit(event.value, self.now())
        except PauseError as exc:
            self.query_one("#revisit-error", Static).update(str(exc))
            return
        self.revisit(when)

    def extend(self, minutes: int) -> None:
        try:
            self.pause.extend(minutes, self.now())
        except PauseError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        self.save(self.pause)
        self.go_next()

    def revisit(self, when: datetime) -> None:
        now = self.now()
        try:
            self.pause.choose_revisit(when, now)
        except PauseError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        pause_store.postpone(self.app.store, self.pause, now)
        self.app.notify(f"Saved. Home will remind you {at_clock(when, now)}.", title="Revisit later", timeout=6)
        self.dismiss()

    # -- keys ---------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":
            return self.state == "turn"
        return True

    async def action_back(self) -> None:
        """Back to the countdown if it's still running; otherwise step away (the pause stays)."""
        p = self.pause
        if p is not None and p.phase == "countdown" and not p.time_up(self.now()):
            self.go_next()
        else:
            self.action_leave()

