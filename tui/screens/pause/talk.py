"""Talk it through: the speaker-listener screen. The rules (turns, who may pass, the timer, what
is kept) are in tui.core.talk; this screen shows the stage the talk is in and hands answers over.

At two homes (a computer of one partner), whoever has the floor writes at their own computer and
the other's screen says who has it and moves on by itself when it arrives; together steps are
each partner's own answer, ideas each partner's own, and each chooses what of theirs is kept.

It is not a PauseScreenBase: ctrl+t must still open a time-out over it at any moment."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Header, Input, RadioSet, Static

from ...core.content import load
from ...core.talk import DEFAULT_TURN_MINUTES, FLOOR_STAGES, MAX_TOPIC, TURN_MINUTES, Talk, start_talk
from . import across
from .hard_talk import HardTalkScreen
from ...store import talks as talk_store
from ...widgets.two_homes import OtherHomeChanged
from ...widgets.draft_area import DraftArea
from ...widgets.footer import HearthFooter
from ...widgets.partner import TurnBanner, partner_text
from ...widgets.swap import Focus
from ...widgets.toggles import MarkedCheckbox, MarkedRadioButton


def texts() -> dict[str, Any]:
    return load("talk")


STAGE_HELP = {
    "intro": "Write a topic if you like, choose the turn length or turn the timer off, then the one who "
             "speaks first presses their button.",
    "speak": "The speaker writes one short piece. ctrl+n passes the floor to the other if you'd rather listen first.",
    "mirror": "The listener writes back what they heard, in their own words.",
    "check": "The speaker says whether that caught it: \"Yes, that's it\", or add what was missed (ctrl+s).",
    "validate": "The listener says what makes sense in it, and the feeling they imagine. Then you swap.",
    "heard": "Each of you says whether you feel heard. If not yet, you take another turn each.",
    "solve_ask": "Only if you both want to, you look for a way forward. One \"not now\" is enough to stop here.",
    "solve": "Write down ideas you'd both like to try, then choose what to keep.",
    "keep": "Tick what Hearth should keep. Each of you decides about your own words; nothing else is kept.",
}


class TalkScreen(HardTalkScreen):
    SUB_TITLE = "Talk it through"
    BINDINGS = [
        Binding("ctrl+s", "done", "Done", id="pause.talk.done"),
        Binding("ctrl+n", "pass_floor", "Pass", id="pause.talk.pass_floor"),
        Binding("f3", "timer", "Timer", key_display="F3", id="pause.talk.timer"),
        Binding("f4", "stop", "Stop", key_display="F4", id="pause.talk.stop"),
        Binding("k", "kept", "Talks you kept", id="pause.talk.kept"),
        Binding("escape", "leave", "Step away", id="pause.talk.leave"),
    ]
    DEFAULT_CSS = """
    TalkScreen #talk-timer { height: 1; color: $text-muted; }
    TalkScreen #talk-timer.off { display: none; }
    TalkScreen #timer-row { height: 3; }
    TalkScreen #turn-minutes { layout: horizontal; width: 1fr; height: 3; }
    TalkScreen #turn-minutes > RadioButton { width: auto; margin-right: 2; }
    TalkScreen .answer-row { height: auto; }
    TalkScreen .answer-row Static { width: 16; padding: 1 0; }
    TalkScreen .answer-row Button { margin-right: 2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.talk: Talk | None = None
        self.view = "intro"
        self.me: int | None = None  # whose computer this is; None at one keyboard
        self._turn_key: tuple | None = None
        self._turn_seen = None
        self._has_kept = False  # looked up when the intro or the end shows, not on every refresh

    @property
    def HELP(self) -> str:  # type: ignore[override]
        t = texts()
        return (f"{t['talk']['intro']} ctrl+s finishes a turn, ctrl+n lets the speaker pass the floor, "
                "F3 turns the gentle timer on or off (it only nudges, it never cuts anyone off), F4 stops "
                "the talk and goes to choosing what to keep, Esc steps away (the talk waits for you), and "
                f"ctrl+t takes a time-out at any moment.\n\nNow: {STAGE_HELP.get(self.view, '')}\n\n{t['safety']}")

    def compose_top(self) -> ComposeResult:
        yield Static("", id="talk-timer")

    async def on_mount(self) -> None:
        self.me = across.me(self.app)
        folded = False
        if self.me is not None:
            talk_store.keep_lost(self.app.store)  # (the merge does it too; this is cheap and sure)
            folded = talk_store.take_fold_note(self.app.store)
        self.talk = talk_store.active_talk(self.app.store)
        self.set_interval(1, self._tick)
        if self.talk is None:
            await self.show_intro()
        else:
            await self.show_stage()
        if folded:
            self._say_folded(self.talk, True)

    async def _show(self, *widgets: Widget, focus: Focus = None) -> None:
        await super()._show(*widgets, focus=focus)
        self._tick()

    def _turn_clock(self):
        """The gentle timer. At two homes it counts from when this turn first showed here, on
        this computer's clock (the other computer's clock may be off), and only for the one who
        has the floor."""
        talk, now = self.talk, self.app.clock.now()
        if talk is None:
            return None
        if self.me is None:
            return talk.turn_clock(now)
        if talk.floor() != self.me:
            return None
        key = (talk.id, talk.stage, talk.round, talk.tries)
        if key != self._turn_key:
            self._turn_key, self._turn_seen = key, now
        return replace(talk, turn_started=self._turn_seen).turn_clock(now)

    def _tick(self) -> None:
        line = self.query_one("#talk-timer", Static)
        clock = self._turn_clock()
        if clock is None:
            off = self.talk is not None and not self.talk.timer_on and self.talk.floor() is not None
            line.update(" Timer off (F3 turns it on)" if off else "")
            line.set_class(not off, "off")
            return
        line.remove_class("off")
        line.update(Text(f" {clock.text}  ·  F3 turns the timer off", style="bold" if clock.over else ""))

    def _area(self, part: str = "text", classes: str = "") -> DraftArea:  # type: ignore[override]
        return super()._area(self.talk.draft_key(part), part, classes)

    def _save(self) -> None:
        talk_store.save_talk(self.app.store, self.talk)
        if self.me is not None:
            across.merge_soon(self.app)

    def _fresh(self) -> Talk | None:
        """At two homes, the talk as it is now, before this partner's answer is added to it (so
        nothing that came in from the other home is written over)."""
        if self.me is not None and self.talk is not None:
            found = talk_store.active_talk(self.app.store)
            if found is not None and found.id == self.talk.id:
                self.talk = found
            elif found is not None and self.view not in ("intro", "done"):
                self._fold_into(found)
        return self.talk

    def _fold_into(self, found: Talk) -> None:
        """Both of you began a talk at the same moment, one at each home: the merge kept one, the
        same at both. The one begun here folds into it: what was written or being typed here
        waits in this partner's box for their turn to speak (nothing typed is lost)."""
        for area in self.query(DraftArea):
            area.save_now()
        lost, self.talk = self.talk, found
        # The merge has already kept what was written (tui.store.talks.keep_lost); this keeps
        # what was typed on this screen since, and says where it all waits.
        typed = bool(talk_store.unsent(self.app.store, lost.id))
        talk_store.keep_lost(self.app.store)
        talk_store.take_fold_note(self.app.store)  # said here and now
        self._say_folded(found, typed or any(e.partner == self.me for e in lost.entries))

    def _say_folded(self, found: Talk | None, words: bool) -> None:
        """The calm word after two starts at once became one talk: whose turn, and where the words wait."""
        if self.me is None:
            return
        if found is None:
            if words:
                self.app.notify("What you had written in a talk begun at the same moment as another is kept for you "
                                "below.", title="Talk it through", timeout=10)
            return
        where = (" What you had written waits in your box for your turn to speak." if words and
                 found.next_speak_key(self.me) else
                 " What you had written is kept for you: it shows when you next open Talk it through." if words else "")
        self.app.notify(f"You both began a talk at the same moment, so there is one talk for you both: "
                        f"{found.whose_turn(self.me, (self.app.couple[0].name, self.app.couple[1].name))}.{where}",
                        title="Talk it through", timeout=10)

    def _other(self) -> str:
        return self.app.couple[1 - self.me].name

    async def on_other_home_changed(self, message: OtherHomeChanged) -> None:
        """Something came in from the other home: show the talk as it is now, unless this
        partner is writing (what is typed stays in its box either way)."""
        if self.me is None or not message.touches("talk_active"):
            return
        found = talk_store.active_talk(self.app.store)
        if found is None:
            if self.talk is not None and self.view != "done":
                await self.ended_there()
            return
        if self.talk is None or found.id != self.talk.id:
            if self.view == "intro":  # begun at the other home
                self.talk = found
                await self.show_stage()
            elif self.talk is not None and self.view != "done":  # begun at both homes at once
                self._fold_into(found)
                await self.show_stage()
            return
        was = self.talk
        self.talk = found
        writing = self.view == found.stage and self._mine_to_write(found)
        if not writing or (was.stage, was.round, was.tries) != (found.stage, found.round, found.tries):
            await self.show_stage()

    def _mine_to_write(self, talk: Talk) -> bool:
        """Whether this partner has something of their own open on screen to type in now."""
        if talk.stage in FLOOR_STAGES:
            return talk.floor() == self.me
        if talk.stage == "solve":
            return not talk.ideas_done.get(self.me)
        if talk.stage == "keep":
            return self.me not in talk.keeps  # ticks being chosen are never redrawn under them
        return False

    async def ended_there(self) -> None:
        """Both chose what to keep, and the other home closed the talk first."""
        kept = [t for t in talk_store.kept_talks(self.app.store) if t.get("id") == self.talk.id]
        for area in self.query(DraftArea):
            area.save_now()
        talk_store.set_aside(self.app.store, self.talk.id)  # what was being written here, offered back
        self.talk = None
        await self._say_thanks(bool(kept))

    # -- the start ----------------------------------------------------------------------------------
    async def show_intro(self) -> None:
        self.view = "intro"
        self._has_kept = bool(talk_store.kept_talks(self.app.store))
        t = texts()
        couple = self.app.couple
        apart = []
        if self.me is not None:
            other = self.app.couple[1 - self.me].name
            apart = [Static(f"At two homes, whoever has the floor writes at their own computer, and the other's "
                            f"screen moves on by itself when it arrives. Once one of you begins, {other}'s "
                            "Hearth shows the talk too.", classes="explain")]
        await self._show(
            Static("Talk it through", classes="step"),
            Static(t["talk"]["intro"], classes="explain"), *apart, *self._aside_here(),
            Input(placeholder="The topic, in a few words (optional)", id="topic", max_length=MAX_TOPIC),
            Horizontal(
                MarkedCheckbox("Gentle timer", value=True, id="timer-on"),
                RadioSet(*[MarkedRadioButton(f"{m} min", value=(m == DEFAULT_TURN_MINUTES), id=f"min-{m}")
                           for m in TURN_MINUTES], id="turn-minutes"), id="timer-row"),
            Static("Who has the floor first?", classes="prompt"),
            Horizontal(*[Button(Text.assemble(partner_text(p), " starts"), id=f"first-{p.index}")
                         for p in couple.partners], classes="buttons"),
            Static(t["safety"], classes="safety"),
            focus="#topic",
        )

    def _aside_here(self) -> list[Widget]:
        """Words this partner was writing when their last talk stopped at the other home: offered
        back here, to carry into this talk or let go."""
        words = talk_store.aside(self.app.store)
        if not words:
            return []
        return [Static("What you were writing when your last talk stopped, kept for you:", classes="prompt"),
                Static(Text(words), classes="shown", id="talk-aside"),
                Horizontal(Button("Let them go", id="aside-go"), classes="buttons")]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the topic goes to the buttons that begin; the timer is a Tab away."""
        event.stop()
        self.query_one("#first-0", Button).focus()

    async def begin(self, first: int) -> None:
        on = self.query_one("#timer-on", Checkbox).value
        pressed = self.query_one("#turn-minutes", RadioSet).pressed_button
        minutes = int(str(pressed.id).removeprefix("min-")) if pressed is not None else DEFAULT_TURN_MINUTES
        self.talk = start_talk(first, self.app.clock.now(), topic=self.query_one("#topic", Input).value,
                               timer_on=on, turn_minutes=minutes, home=self.me)
        self._save()
        await self.show_stage()

    # -- the stages ---------------------------------------------------------------------------------
    async def show_stage(self) -> None:
        talk = self.talk
        self.view = talk.stage
        t = texts()["talk"]
        speaker, listener = talk.speaker, talk.listener
        error = self.error_line()
        topic = [Static(Text(f"Topic: {talk.topic}", style="dim"))] if talk.topic else []
        if self.me is not None and talk.stage in FLOOR_STAGES and talk.floor() != self.me:
            await self.show_their_floor()
            return
        if talk.stage == "speak":
            await self._show(
                TurnBanner(self.app.couple[speaker], "you have the floor"), *topic,
                Static(t["speak"], classes="prompt"),
                Static(Text.assemble(self.who(listener), " ", t["speak_listener"]), classes="explain"),
                self._area(), error,
                Horizontal(Button("Done (ctrl+s)", id="done", variant="primary"),
                           Button("Pass the floor (ctrl+n)", id="pass"), classes="buttons"),
                focus="#area-text")
        elif talk.stage == "mirror":
            again = " (again, with what they added)" if talk.tries else ""
            await self._show(
                TurnBanner(self.app.couple[listener], "say back what you heard" + again),
                Static(Text.assemble(self.who(speaker), " said:"), classes="prompt"),
                Static(Text(talk.piece()), classes="shown"),
                Static(t["mirror"], classes="prompt"), self._area(), error,
                Horizontal(Button("Done (ctrl+s)", id="done", variant="primary"), classes="buttons"),
                focus="#area-text")
        elif talk.stage == "check":
            heard = talk.last("mirror")
            await self._show(
                TurnBanner(self.app.couple[speaker], "did I get it?"),
                Static(Text.assemble(self.who(listener), " heard:"), classes="prompt"),
                Static(Text(heard.text if heard else ""), classes="shown"),
                Static(t["check"], classes="prompt"),
                Horizontal(Button("Yes, that's it", id="yes", variant="success"), classes="buttons"),
                Static("Or add what was missed:", classes="explain"), self._area(classes="small"), error,
                Horizontal(Button("Add this (ctrl+s)", id="done"), classes="buttons"),
                focus="#yes")
        elif talk.stage == "validate":
            await self._show(
                TurnBanner(self.app.couple[listener], "what makes sense to you"),
                Static(Text.assemble(self.who(speaker), " said:"), classes="prompt"),
                Static(Text(talk.piece()), classes="shown"),
                Static(t["validate"] + " \"That makes sense to me, because…\"", classes="prompt"),
                self._area(),
                Static(t["feeling"] + ": \"I imagine you feel…\"", classes="prompt"),
                self._area("feeling", "small"), error,
                Horizontal(Button("Done, swap (ctrl+s)", id="done", variant="primary"), classes="buttons"),
                focus="#area-text")
        elif talk.stage in ("heard", "solve_ask"):
            await self._show_together(talk.stage)
        elif talk.stage == "solve" and self.me is not None and talk.ideas_done.get(self.me):
            await self._show(
                Static("Looking for a way forward", classes="step"), *topic,
                Static(f"Thank you. {self._other()}'s ideas have not arrived yet; they show here when they do.",
                       classes="prompt", id="talk-waiting"))
        elif talk.stage == "solve":
            await self._show(
                Static("Looking for a way forward", classes="step"), *topic,
                Static(t["solve"], classes="explain"), self._area(), error,
                Horizontal(Button("Done (ctrl+s)", id="done", variant="primary"), classes="buttons"),
                focus="#area-text")
        elif talk.stage == "keep":
            await self.show_keep()

    async def show_their_floor(self) -> None:
        """At two homes, while the other has the floor: who has it and what they are doing."""
        talk = self.talk
        name = self._other()
        doing = {"speak": f"{name} is writing one short piece. When it arrives, you say back what you heard.",
                 "mirror": f"{name} is saying back what they heard from you.",
                 "check": f"{name} is reading what you heard, to say whether it caught it.",
                 "validate": f"{name} is writing what makes sense to them in what you said."}[talk.stage]
        shown: list[Widget] = []
        if talk.stage in ("mirror", "validate") and talk.piece():
            shown = [Static("What you said:", classes="prompt"), Static(Text(talk.piece()), classes="shown")]
        elif talk.stage == "check" and talk.last("mirror"):
            shown = [Static("What you heard:", classes="prompt"), Static(Text(talk.last("mirror").text), classes="shown")]
        await self._show(
            TurnBanner(self.app.couple[1 - self.me], "has the floor"),
            Static(doing, classes="prompt", id="talk-waiting"), *shown,
            Static("This moves on by itself when it arrives. Esc steps away; the talk waits for you.",
                   classes="explain"))

    async def _show_together(self, stage: str) -> None:
        t = texts()["talk"]
        talk = self.talk
        answers = talk.heard if stage == "heard" else talk.wants_solving
        yes, no = ("Yes, I feel heard", "Not yet") if stage == "heard" else ("Yes, let's", "Not now")
        rows: list[Widget] = []
        first_open = None
        for p in (talk.first, 1 - talk.first):
            if p in answers:
                said = yes if answers[p] else no
                rows.append(Static(Text.assemble(self.who(p), f": {said}."), classes="prompt"))
            elif self.me is not None and p != self.me:  # the other's own answer, at their computer
                rows.append(Static(Text.assemble(self.who(p), ": their answer has not arrived yet."),
                                   classes="prompt", id="talk-waiting"))
            else:
                first_open = first_open or f"#{stage}-{p}-yes"
                rows.append(Horizontal(Static(self.who(p)), Button(yes, id=f"{stage}-{p}-yes", variant="primary"),
                                       Button(no, id=f"{stage}-{p}-no"), classes="answer-row"))
        title = "Do you each feel heard?" if stage == "heard" else "Look for a way forward?"
        await self._show(Static(title, classes="step"), Static(t[stage], classes="explain"), *rows,
                         focus=first_open)

    async def show_keep(self) -> None:
        self.view = "keep"
        talk = self.talk
        if self.me is not None:
            await self.show_my_keep()
            return
        boxes: list[Widget] = []
        for p in (talk.first, 1 - talk.first):
            if any(e.partner == p for e in talk.entries):
                name = self.app.couple[p].name
                boxes.append(MarkedCheckbox(f"{name}: keep my words in our log", value=False, id=f"keep-{p}"))
        if talk.ideas():
            boxes.append(MarkedCheckbox("Keep the ideas we wrote together (both of us say yes)", value=False,
                                        id="keep-ideas"))
        if not boxes:
            boxes.append(Static("Nothing was written, so there is nothing to keep.", classes="explain"))
        await self._show(
            Static("What to keep", classes="step"), Static(texts()["talk"]["keep"], classes="explain"), *boxes,
            Horizontal(Button("Done (ctrl+s)", id="done", variant="primary"), classes="buttons"),
            focus=lambda: self.query(Checkbox).first() if self.query(Checkbox) else self.query_one("#done"))

    async def show_my_keep(self) -> None:
        """At two homes: this partner's own choice; the ideas are kept only if both say yes."""
        talk, me = self.talk, self.me
        if me in talk.keeps:
            if talk.both_chose():
                await self.finish()
                return
            await self._show(Static("What to keep", classes="step"),
                             Static(f"Thank you. {self._other()}'s choice of what to keep has not arrived yet.",
                                    classes="prompt", id="talk-waiting"))
            return
        boxes: list[Widget] = []
        if any(e.partner == me for e in talk.entries):
            boxes.append(MarkedCheckbox("Keep my words in our log", value=False, id=f"keep-{me}"))
        if talk.ideas():
            boxes.append(MarkedCheckbox("Keep the ideas we wrote (kept only if we both say yes)", value=False,
                                        id="keep-ideas"))
        unsent = self._unsent_here()
        if not boxes:
            boxes.append(Static("Nothing of yours was sent this time, so there is nothing of yours to keep in "
                                "the log." if unsent else
                                "You wrote nothing this time, so there is nothing of yours to keep.", classes="explain"))
        await self._show(
            Static("What to keep", classes="step"), Static(texts()["talk"]["keep"], classes="explain"),
            *unsent, *boxes,
            Horizontal(Button("Done (ctrl+s)", id="done", variant="primary"), classes="buttons"),
            focus=lambda: self.query(Checkbox).first() if self.query(Checkbox) else self.query_one("#done"))

    def _unsent_here(self) -> list[Widget]:
        """At two homes, what this partner was writing when the talk stopped or moved on at the
        other home: shown again here, kept for them (never sent), and offered back next time."""
        for area in self.query(DraftArea):
            area.save_now()
        words = talk_store.unsent(self.app.store, self.talk.id) if self.talk is not None else []
        if not words:
            return []
        return [Static("What you were writing when the talk stopped is kept for you (it was not sent); "
                       "it shows again when you next open Talk it through:", classes="explain", id="talk-unsent-note"),
                Static(Text("\n".join(words)), classes="shown", id="talk-unsent")]

    async def finish(self) -> None:
        if self.me is not None:
            await self.finish_apart()
            return
        keep = {p: bool(self.query(f"#keep-{p}") and self.query_one(f"#keep-{p}", Checkbox).value) for p in (0, 1)}
        ideas = bool(self.query("#keep-ideas") and self.query_one("#keep-ideas", Checkbox).value)
        record = talk_store.end_talk(self.app.store, self.talk, keep=keep, keep_ideas=ideas)
        self.talk = None
        await self._say_thanks(record is not None)

    async def finish_apart(self) -> None:
        """Keep this partner's choice; once both have chosen, the talk ends here (the other home
        ends it the same way, with the same record)."""
        talk, me = self._fresh(), self.me
        if me not in talk.keeps:
            words = bool(self.query(f"#keep-{me}") and self.query_one(f"#keep-{me}", Checkbox).value)
            ideas = bool(self.query("#keep-ideas") and self.query_one("#keep-ideas", Checkbox).value)
            talk.keep_mine(me, words, ideas)
            self._save()
        if not talk.both_chose():
            await self.show_my_keep()
            return
        keep = {p: bool(k.get("words")) for p, k in talk.keeps.items()}
        ideas = all(k.get("ideas") for k in talk.keeps.values())
        record = talk_store.end_talk(self.app.store, talk, keep=keep, keep_ideas=ideas, keep_unsent=True)
        across.merge_soon(self.app)
        self.talk = None
        await self._say_thanks(record is not None)

    async def _say_thanks(self, kept: bool) -> None:
        self.view = "done"
        self._has_kept = kept or bool(talk_store.kept_talks(self.app.store))
        said = ("What you chose is kept: k shows the talks you kept." if kept
                else "Nothing from this talk was kept.")
        if self.me is not None and talk_store.aside(self.app.store):
            said += " What you were writing when it stopped is kept for you: it shows when you next open Talk it through."
        await self._show(
            Static("Thank you both.", classes="step"),
            Static("Listening well when it's hard is real work. " + said, classes="explain"),
            Horizontal(Button("Close", id="close", variant="primary"), classes="buttons"),
            focus="#close")

    # -- answers --------------------------------------------------------------------------------------
    async def show_current(self) -> None:
        await self.show_stage()

    async def action_done(self) -> None:
        if self.view == "keep":
            await self.finish()
            return
        talk = self._fresh()
        if talk is None or self.view != talk.stage:
            if talk is not None:
                for area in self.query(DraftArea):
                    area.save_now()  # moved on meanwhile at the other home: the words stay as a draft
                await self.show_stage()
            return
        if self.me is not None and not self._mine_to_write(talk):
            return
        if talk.stage == "solve" and self.me is not None:
            await self._step(lambda now: talk.add_my_ideas(self.me, self._text(), now))
            return
        if talk.stage == "speak":
            await self._step(lambda now: talk.speak(self._text(), now))
        elif talk.stage == "mirror":
            await self._step(lambda now: talk.mirror(self._text(), now))
        elif talk.stage == "check":
            await self._step(lambda now: talk.correct(self._text(), now))
        elif talk.stage == "validate":
            await self._step(lambda now: talk.validate(self._text(), self._text("feeling"), now))
        elif talk.stage == "solve":
            await self._step(lambda now: talk.add_ideas(self._text(), now))

    async def action_pass_floor(self) -> None:
        self._fresh()
        if self.talk is not None and self.view == "speak" and self.talk.may_skip(self.me):
            for area in self.query(DraftArea):
                area.save_now()  # passed, not lost
            await self._step(self.talk.pass_floor)

    def action_timer(self) -> None:
        self._fresh()
        if self.talk is None:
            if self.view == "intro":
                box = self.query_one("#timer-on", Checkbox)
                box.value = not box.value
            return
        self.talk.set_timer(not self.talk.timer_on, self.app.clock.now())
        self._save()
        self._tick()

    async def action_stop(self) -> None:
        self._fresh()
        if self.talk is None or self.view in ("keep", "done"):
            return
        for area in self.query(DraftArea):
            area.save_now()
        self.talk.stop_here(self.app.clock.now())
        self._save()
        await self.show_stage()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pass_floor":
            return self.talk is not None and self.view == "speak" and self.talk.may_skip(self.me)
        if action == "stop":
            return self.talk is not None and self.view not in ("keep", "done")
        if action == "done":
            if self.me is not None and self.talk is not None and not self._mine_to_write(self.talk):
                return False
            return self.view in ("speak", "mirror", "check", "validate", "solve", "keep")
        if action == "timer":
            return self.view == "intro" or self.view in FLOOR_STAGES
        if action == "kept":
            return self.view in ("intro", "done") and self._has_kept
        return True

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        bid = str(event.button.id or "")
        talk = self.talk
        if bid.startswith("first-"):
            await self.begin(int(bid[-1]))
        elif bid == "done":
            await self.action_done()
        elif bid == "pass":
            await self.action_pass_floor()
        elif bid == "yes" and talk is not None:
            talk = self._fresh()
            if talk.stage == "check":
                await self._step(talk.confirm)
        elif bid.startswith(("heard-", "solve_ask-")) and talk is not None:
            stage, p, answer = bid.rsplit("-", 2)
            talk = self._fresh()
            if talk.stage != stage:
                await self.show_stage()
                return
            rule = talk.say_heard if stage == "heard" else talk.say_wants_solving
            await self._step(lambda now: rule(int(p), answer == "yes", now))
        elif bid == "close":
            self.dismiss()
        elif bid == "aside-go":
            talk_store.let_aside_go(self.app.store)
            self.app.notify("Those words are let go.", timeout=3)
            await self.show_intro()

    def action_kept(self) -> None:
        self.app.push_screen(KeptTalksScreen())

    def action_leave(self) -> None:
        """Step away: the talk waits, just as it is (drafts too), until you come back to it."""
        self.app.save_drafts()
        if self.talk is not None and self.view not in ("keep", "done"):
            self.app.notify("Your talk waits here for you; open Talk it through to go on.", timeout=4)
        self.dismiss()


class KeptTalksScreen(Screen[None]):
    """The talks whose words someone chose to keep, newest first, to read again."""

    SUB_TITLE = "Talks you kept"
    HELP = ("The talks in which one or both of you chose to keep your words, newest first. Only what was "
            "ticked at the end of a talk is here. Esc goes back.")
    BINDINGS = [Binding("escape", "back", "Back", id="pause.kept_talks.back")]
    DEFAULT_CSS = """
    KeptTalksScreen #kept-body { height: 1fr; padding: 0 2; }
    KeptTalksScreen .step { text-style: bold; height: auto; margin-top: 1; }
    KeptTalksScreen .shown { height: auto; padding: 0 1; border-left: thick $secondary; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="kept-body"):
            couple = self.app.couple
            for talk in talk_store.kept_talks(self.app.store):
                when = str(talk.get("started", ""))[:16].replace("T", " ")
                yield Static(when + (f" · {talk['topic']}" if talk.get("topic") else ""), classes="step")
                body = Text()
                for e in talk["entries"]:
                    p = e.get("partner")
                    name = couple[p].name if p in (0, 1) else ""
                    if body:
                        body.append("\n")
                    body.append(talk_store.entry_label(str(e.get("kind")), name) + ": ", style="bold")
                    body.append(str(e.get("text", "")))
                    if e.get("feeling"):
                        body.append(f" (I imagine you feel {e['feeling']})", style="italic")
                yield Static(body, classes="shown")
        yield HearthFooter()

    def on_mount(self) -> None:
        self.query_one("#kept-body").focus()

    def action_back(self) -> None:
        self.dismiss()
