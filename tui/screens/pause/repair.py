"""The repair conversation: five steps, one at a time, each private turn behind the curtain,
then read together. In "How I saw it" the listener sums up and the speaker confirms or corrects.
Any step can be skipped. Every answer is saved the moment it is given.

At two homes (a computer of one partner), each writes their own part at their own computer and
reads a step once the other's part has arrived; what shows is worked out by
tui/core/repair_apart.py, and the screen says plainly what it is waiting for."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Header, SelectionList, Static

from ...widgets.footer import HearthFooter
from ...core.content import help_text
from ...core import repair_apart
from ...core.pause import KEEP_STEP, MAX_ANSWER, Pause, PauseError, RepairState, Turn, clean_text
from ..shared.choice import ChoiceDialog
from ..shared.curtain import CurtainScreen
from . import across
from .common import PauseScreenBase, texts
from ...store import pauses as pause_store
from ...store.drafts import clear_draft, load_draft, save_draft
from ...widgets.toggles import MarkedCheckbox, MarkedSelectionList
from ...widgets.draft_area import DraftArea
from ...widgets.partner import TurnBanner, partner_text
from ...widgets.swap import Focus, swap_children


def step_texts() -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in texts()["repair_steps"]}


class RepairScreen(PauseScreenBase):
    SUB_TITLE = "Repair"
    HELP = help_text("pause", "RepairScreen")
    BINDINGS = [
        Binding("ctrl+s", "done", "Done", id="pause.repair.done"),
        Binding("ctrl+n", "skip", "Skip", id="pause.repair.skip"),
        Binding("f2", "phrases", "Phrases", key_display="F2", id="pause.repair.phrases"),
        Binding("escape", "leave", "Step away", id="pause.repair.leave"),
    ]
    DEFAULT_CSS = """
    RepairScreen .step { text-style: bold; height: auto; }
    RepairScreen .together { margin-top: 1; }
    RepairScreen .explain { color: $text-muted; height: auto; }
    RepairScreen .prompt { height: auto; margin-top: 1; text-style: bold; }
    RepairScreen .shown { height: auto; padding: 0 1; border-left: thick $secondary; }
    RepairScreen #felt-row { height: 10; margin-top: 1; }
    RepairScreen #felt-row SelectionList { width: 30; height: 10; }
    RepairScreen #felt-row Vertical { width: 1fr; height: 10; padding-left: 1; }
    RepairScreen #felt-row .prompt { margin-top: 0; }
    RepairScreen #felt-row DraftArea { height: 1fr; }
    RepairScreen DraftArea { height: 6; min-height: 3; }
    RepairScreen DraftArea.small { height: 4; }
    RepairScreen .buttons { height: auto; }
    RepairScreen .buttons Button { margin-right: 2; }
    RepairScreen #turn-error { height: auto; }
    RepairScreen #turn-error.empty { display: none; }
    RepairScreen Checkbox { margin-top: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.pause: Pause | None = None
        self.turn: Turn | None = None
        self.state = "intro"  # intro | curtain | turn | reveal | wait | done
        self.me: int | None = None  # whose computer this is; None at one keyboard
        self.reading: int | None = None  # apart: the place in the plan of the reading on screen
        self._words_started = False  # typing at the feelings list went on into the words box
        self._drawing = False  # apart: a view is being drawn; `_again`: draw once more after it
        self._again = False

    @property
    def repair(self) -> RepairState:
        return self.pause.repair

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="body")
        yield HearthFooter()

    async def on_mount(self) -> None:
        self.pause = self.active()
        self.me = across.me(self.app)
        if self.pause is None or self.pause.phase != "repair" or self.pause.repair is None:
            self.call_after_refresh(self.go_next)
            return
        if self.me is not None:
            if repair_apart.started_by(self.repair, self.me):
                await self.show_apart()
            else:
                await self.show_intro()
        elif self.repair.pos == 0:
            await self.show_intro()
        else:
            await self.show_current()

    async def _show(self, *widgets: Widget, focus: Focus = None) -> None:
        """Show new content, with `focus` holding the keyboard from its first frame."""
        await swap_children(self.query_one("#body", VerticalScroll), list(widgets), focus)

    def who(self, i: int) -> Text:
        return partner_text(self.app.couple[i])

    # -- the flow ----------------------------------------------------------------------------------------
    async def show_intro(self) -> None:
        self.state = "intro"
        steps = step_texts()
        listing = Text("\n".join(f"{i}. {steps[sid]['title']}" for i, sid in enumerate(self.repair.steps, 1)))
        how = ("Five short steps, one at a time. Each of you writes in turn, out of sight of the other, "
               "and then you read it together. Any step can be skipped.")
        buttons = [Button("Begin", id="begin", variant="primary"), Button("Leave it for now", id="let-rest")]
        leave = ("Not the moment after all? You can leave it for now; the pause stays in your log, "
                 "and you can talk whenever you are both ready.")
        if self.me is not None:
            other = self.app.couple[1 - self.me].name
            how = (f"Five short steps, one at a time, each of you at your own computer. You write your part "
                   f"here, out of sight of {other}; when {other}'s part has arrived too, you read both. "
                   "Any turn of yours can be skipped.")
            if repair_apart.anything_written(self.repair):  # begun at the other home: not yours to end
                buttons = buttons[:1]
                leave = f"{other} has begun already. Your part is waiting for you here."
        await self._show(
            Static("You're both ready. Let's talk it through.", classes="step together"),
            Static(how, classes="explain"),
            Static(listing, classes="shown"),
            Static(leave, classes="explain"),
            Horizontal(*buttons, classes="buttons"),
            focus="#begin",
        )

    # -- apart: each at their own computer ---------------------------------------------------------------
    async def show_apart(self) -> None:
        """What this partner does next, from the pause as it is now (the other's part may have come).
        One at a time: a part arriving while the last view is still being drawn is shown after it,
        never under it."""
        if self._drawing:
            self._again = True
            return
        self._drawing = True
        try:
            while True:
                self._again = False
                await self._show_apart()
                if not self._again:
                    break
        finally:
            self._drawing = False

    async def _show_apart(self) -> None:
        fresh = self.active()
        if fresh is None:
            await self.other_home_ended()
            return
        if fresh.phase != "repair" or fresh.repair is None:
            self.go_next()
            return
        self.pause = fresh
        nxt = repair_apart.what_next(fresh.repair, self.me)
        if nxt.what == "write":
            self.turn = fresh.repair.plan[nxt.index]
            await self.show_turn(self.turn)
        elif nxt.what == "read":
            self.reading = nxt.index
            self.turn = fresh.repair.plan[nxt.index]
            await self.show_reveal(self.turn, nxt.index)
        elif nxt.what == "wait":
            await self.show_wait(nxt.waiting)
        else:
            await self.finish()

    def waiting_words(self, turn: Turn) -> str:
        """'Sam's part of step 1 (How I felt) has not arrived yet.'"""
        name = self.app.couple[turn.partner].name
        if turn.step == KEEP_STEP:
            return f"{name}'s choice of what to keep has not arrived yet."
        n, title = self.repair.step_number(turn.step), step_texts()[turn.step]["title"]
        what = {"speak": f"{name}'s side", "summary": f"{name}'s summary of what you said",
                "confirm": f"{name}'s answer to your summary"}.get(turn.kind, f"{name}'s part")
        return f"{what} of step {n} ({title}) has not arrived yet." if turn.kind == "answer" else \
            f"Step {n} ({title}): {what} has not arrived yet."

    async def show_wait(self, turn: Turn | None) -> None:
        self.state = "wait"
        self.turn = None
        line = self.waiting_words(turn) if turn is not None else ""
        await self._show(
            Static("Thank you. Your part is in.", classes="step together"),
            Static(line, classes="prompt", id="waiting-for"),
            Static("It shows here by itself when it arrives. You can step away in the meantime (Esc): "
                   "everything is kept, and ctrl+t from home brings you back.", classes="explain"),
            Horizontal(Button("Step away", id="step-away"), classes="buttons"),
            focus="#step-away",
        )

    def read_again(self) -> None:
        """Something of the pause came in from the other home: a part waited for may be here.
        Never replaces what is being written or read."""
        if self.me is not None and self.state == "wait":
            self.call_later(self.show_apart)

    async def other_home_ended(self) -> None:
        """The pause was finished at the other home (both chose what to keep, or it was left for
        now before this partner began): say so here, instead of the screen vanishing."""
        if self.state == "done" or self.pause is None:
            return
        for area in self.query(DraftArea):
            area.save_now()  # whatever was being typed stays, as a draft
        record = next((r for r in pause_store.records(self.app.store) if r.id == self.pause.id), None)
        if record is None:
            self.dismiss()
            return
        self.state = "done"
        if record.repair == "not yet":
            other = self.app.couple[1 - self.me].name if self.me is not None else "One of you"
            mine = " What you had written is kept with it, for you to read there." \
                if self.me is not None and record.late.get(self.me) else ""
            await self._show(
                Static(f"{other} chose to leave the talk for now.", classes="step together"),
                Static("The pause is saved in your Pauses log, and you can talk whenever you are both ready."
                       + mine, classes="explain"),
                Horizontal(Button("Close", id="close", variant="primary"), classes="buttons"),
                focus="#close")
            return
        await self._show_end(self.repair)

    async def show_current(self) -> None:
        turn = self.repair.current()
        self.turn = turn
        if turn is None:
            await self.finish()
        elif turn.private:
            self.state = "curtain"
            await self._show()  # the curtain never has anything private behind it
            note = self._curtain_note(turn)
            self.app.push_screen(CurtainScreen(self.app.couple[turn.partner], note),
                                 lambda _: self.call_after_refresh(self._after_curtain))
        else:
            await self.show_reveal(turn, self.repair.pos)

    async def _after_curtain(self) -> None:
        if self.turn is not None and self.turn.private:
            await self.show_turn(self.turn)

    def _curtain_note(self, turn: Turn) -> str:
        if turn.step == KEEP_STEP:
            return "Last thing: what to keep in your log."
        title = step_texts()[turn.step]["title"]
        n = self.repair.step_number(turn.step)
        what = {"summary": "sum up what you heard", "confirm": "say if that caught it"}.get(turn.kind, "")
        return f"Step {n} of {len(self.repair.steps)}: {title}" + (f", {what}." if what else ".")

    # -- a private turn ----------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        """Words typed while the list of feelings has the keyboard go to the words box beside it
        (a newcomer typed 'tired' there, and it was lost); Space still ticks a feeling."""
        if not isinstance(self.focused, SelectionList) or self.focused.id != "feelings":
            return
        if not (event.is_printable and event.character):
            return
        if event.key == "space" and not self._words_started:
            return  # Space ticks a feeling, until words have begun (a fast typist's space is a word's)
        areas = self.query("#area-text").results(DraftArea)
        area = next(areas, None)
        if area is None:
            return
        event.stop()
        event.prevent_default()
        self._words_started = True
        area.focus()
        area.insert(event.character)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if getattr(event.widget, "id", None) == "feelings":
            self._words_started = False  # back at the list on purpose: Space ticks again

    def _draft_key(self, turn: Turn, part: str) -> str:
        """Where a part of a turn's answer waits until it is given: its words, or its ticked feelings."""
        return f"pause:{self.pause.id}:{turn.key}:{part}"

    def _area(self, turn: Turn, part: str, classes: str = "") -> DraftArea:
        return DraftArea(self.app.store, self._draft_key(turn, part), id=f"area-{part}", classes=classes,
                         limit=MAX_ANSWER)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        """A feeling ticked or unticked is kept at once, as a typed word is: Esc, ctrl+q or a
        closed terminal must not lose it (a newcomer's three ticks were gone on return)."""
        if event.selection_list.id != "feelings" or self.state != "turn" or self.turn is None:
            return
        save_draft(self.app.store, self._draft_key(self.turn, "feelings"), "\n".join(event.selection_list.selected))

    def _step_header(self, turn: Turn) -> list[Widget]:
        st = step_texts()[turn.step]
        n = self.repair.step_number(turn.step)
        return [Static(f"Step {n} of {len(self.repair.steps)} · {st['title']}", classes="step"),
                Static(st["explain"], classes="explain")]

    async def show_turn(self, turn: Turn) -> None:
        self.state = "turn"
        partner = self.app.couple[turn.partner]
        widgets: list[Widget] = []
        focus = "#area-text"
        if turn.step == KEEP_STEP:
            widgets += [TurnBanner(partner, "your turn"),
                        Static("Keep what you wrote?", classes="step together"),
                        Static("Your words from this talk can stay in your Pauses log, where you can both "
                               "read them later. Or you can let them go.", classes="explain"),
                        MarkedCheckbox("Keep my words in our log", value=True, id="keep")]
            if turn.partner == self.pause.caller and self.pause.note:
                widgets += [Static(Text.assemble(("Your private note: ", "bold"), self.pause.note), classes="shown"),
                            MarkedCheckbox("Keep my private note in the log too", value=False, id="keep-note")]
            widgets.append(Horizontal(Button("Done (ctrl+s)", id="done", variant="primary"), classes="buttons"))
            await self._show(*widgets, focus="#keep")
            return
        st = step_texts()[turn.step]
        what = {"summary": "your turn to sum up", "confirm": "your turn to check"}.get(turn.kind, "your turn")
        widgets.append(TurnBanner(partner, what))
        widgets += self._step_header(turn)
        if turn.kind == "summary":
            widgets += [Static(Text.assemble(st["listener_prompt"], " You are summing up what ",
                                             self.who(turn.about), " said."), classes="prompt"),
                        self._area(turn, "text")]
        elif turn.kind == "confirm":
            summary = self.repair.answer_for(turn.step, "summary", 1 - turn.about, turn.about) or {}
            heard = summary.get("text") or "(no summary this time)"
            widgets += [Static(Text.assemble(self.who(1 - turn.about), " heard:"), classes="prompt"),
                        Static(Text(heard), classes="shown"),
                        Static(st["confirm_prompt"], classes="prompt"),
                        self._area(turn, "text", "small")]
        else:
            if turn.step == "felt":
                feelings = texts()["feelings"]
                ticked = set((load_draft(self.app.store, self._draft_key(turn, "feelings")) or "").split("\n"))
                widgets.append(Horizontal(
                    MarkedSelectionList[str](*[(f, f, f in ticked) for f in feelings], id="feelings"),
                    Vertical(Static(st["prompt"] + " (your own words, if you like)", classes="prompt"),
                             self._area(turn, "text")),
                    id="felt-row"))
                focus = "#feelings"
            else:
                widgets += [Static(st["prompt"], classes="prompt"), self._area(turn, "text")]
            if turn.step == "part":
                widgets += [Static(st["apology_prompt"], classes="prompt"), self._area(turn, "apology", "small")]
        widgets.append(Static("", id="turn-error", classes="field-error empty"))
        buttons = [Button("Done (ctrl+s)", id="done", variant="primary")]
        if turn.kind == "confirm":
            buttons = [Button("Yes, that's it", id="confirm-yes", variant="success"),
                       Button("Save my correction (ctrl+s)", id="done")]
        buttons.append(Button("Skip my turn (ctrl+n)", id="skip"))
        widgets.append(Horizontal(*buttons, classes="buttons"))
        await self._show(*widgets, focus=focus)

    def _collect(self, turn: Turn) -> dict[str, Any] | None:
        """The answer on screen; None (with a message) if something can't be kept."""
        answer: dict[str, Any] = {}
        if turn.step == KEEP_STEP:
            answer["keep"] = self.query_one("#keep", Checkbox).value
            notes = self.query("#keep-note")
            answer["keep_note"] = bool(notes and notes.first(Checkbox).value)
            return answer
        for part in ("text", "apology"):
            areas = self.query(f"#area-{part}")
            if areas:
                raw = areas.first(DraftArea).text
                if len(raw) > MAX_ANSWER:
                    error = self.query_one("#turn-error", Static)
                    error.update(f"That's a lot of words; please keep it under {MAX_ANSWER} characters "
                                 f"(now {len(raw)}).")
                    error.remove_class("empty")
                    return None
                answer[part] = clean_text(raw)
        lists = self.query("#feelings")
        if lists:
            answer["feelings"] = list(lists.first(SelectionList).selected)
        return answer

    async def submit(self, confirmed: bool | None = None) -> None:
        turn = self.turn
        if self.state != "turn" or turn is None:
            return
        answer = self._collect(turn)
        if answer is None:
            return
        if turn.kind != "confirm" and turn.step != KEEP_STEP and not any(answer.values()):
            # An empty box sent by a stray Enter would use up the turn for good.
            error = self.query_one("#turn-error", Static)
            error.update("Nothing is written yet. Write a few words, or press ctrl+n to pass your turn.")
            error.remove_class("empty")
            return
        if turn.kind == "confirm":
            answer["confirmed"] = bool(confirmed) or not answer.get("text")
        if self.me is not None:
            await self._give_apart(turn, answer)
            return
        self.repair.submit(turn, answer)
        self.save(self.pause)
        self._discard_drafts(turn)
        await self.show_current()

    def _discard_drafts(self, turn: Turn) -> None:
        """The answer is saved for real: its drafts (words and ticks) go."""
        for area in self.query(DraftArea):
            area.discard()
        clear_draft(self.app.store, self._draft_key(turn, "feelings"))

    async def _give_apart(self, turn: Turn, answer: dict[str, Any]) -> None:
        """Keep this partner's answer in the pause as it is now (never over what came in from
        the other home), then send it and show what comes next."""
        fresh = self.active()
        if fresh is None or fresh.repair is None:
            await self.other_home_ended()
            return
        repair_apart.answer(fresh.repair, turn, answer)
        self.save(fresh)
        self.pause = fresh
        across.merge_soon(self.app)
        self._discard_drafts(turn)
        await self.show_apart()

    # -- reading together ----------------------------------------------------------------------------
    async def show_reveal(self, turn: Turn, index: int) -> None:
        self.state = "reveal"
        r = self.repair
        prev = r.plan[index - 1] if index else None
        heading = " Read it together "
        if self.me is not None:  # apart: what has arrived to read
            name = self.app.couple[turn.about].name if turn.about is not None else ""
            heading = (" Both parts are here " if turn.about is None
                       else f" {name}'s side is here " if prev is not None and prev.kind == "speak"
                       else f" {name}'s answer is here ")
        widgets: list[Widget] = [Static(Text(heading, style="bold reverse"), classes="step together")]
        widgets += self._step_header(turn)
        nothing = Text("nothing this time", style="dim italic")
        if turn.about is not None:
            speaker = turn.about
            if prev is not None and prev.kind == "speak":
                said = (r.answer_for(turn.step, "speak", speaker, speaker) or {}).get("text")
                widgets += [Static(Text.assemble(self.who(speaker), "'s side:"), classes="prompt"),
                            Static(Text(said) if said else nothing, classes="shown"),
                            Static(Text.assemble("Read it aloud if you like. Next, ", self.who(1 - speaker),
                                                 " sums up what they heard, without replying yet.")
                                   if self.me is None else
                                   Text("Next, you sum up what you heard, in your own words, without replying yet."),
                                   classes="explain")]
            else:
                summary = (r.answer_for(turn.step, "summary", 1 - speaker, speaker) or {}).get("text")
                conf = r.answer_for(turn.step, "confirm", speaker, speaker) or {}
                widgets += [Static(Text.assemble(self.who(1 - speaker), " heard:"), classes="prompt"),
                            Static(Text(summary) if summary else nothing, classes="shown")]
                if conf.get("confirmed") and not conf.get("text"):
                    widgets.append(Static(Text.assemble(self.who(speaker), ": yes, that's it."), classes="prompt"))
                else:
                    widgets += [Static(Text.assemble(self.who(speaker), " adds:"), classes="prompt"),
                                Static(Text(conf.get("text") or "") or nothing, classes="shown")]
        else:
            for p in (r.first, 1 - r.first):
                a = r.answer_for(turn.step, "answer", p) or {}
                body = Text()
                if a.get("feelings"):
                    body.append(", ".join(a["feelings"]), style="bold")
                    if a.get("text"):
                        body.append("\n")
                if a.get("text"):
                    body.append(a["text"])
                if a.get("apology"):
                    body.append(("\n" if body else "") + "Sorry: ", style="bold")
                    body.append(a["apology"])
                if a.get("skipped"):
                    body = Text("passed on this one", style="dim italic")
                widgets += [Static(Text.assemble(self.who(p), ":"), classes="prompt"),
                            Static(body if body else nothing, classes="shown")]
        buttons = [Button("Continue", id="continue", variant="primary")]
        nxt = r.plan[index + 1] if index + 1 < len(r.plan) else None
        if nxt is not None and nxt.step == turn.step and self.me is None:
            buttons.append(Button("Skip the rest of this step (ctrl+n)", id="skip"))
        widgets.append(Horizontal(*buttons, classes="buttons"))
        await self._show(*widgets, focus="#continue")

    async def next_after_reveal(self) -> None:
        if self.state != "reveal" or self.turn is None:
            return
        if self.me is not None:
            fresh = self.active()
            if fresh is None or fresh.repair is None:
                await self.other_home_ended()
                return
            repair_apart.mark_read(fresh.repair, self.reading, self.me)
            self.save(fresh)
            self.pause = fresh
            across.merge_soon(self.app)
            await self.show_apart()
            return
        self.repair.submit(self.turn, {})
        self.save(self.pause)
        await self.show_current()

    # -- the end -------------------------------------------------------------------------------------------
    async def finish(self) -> None:
        self.state = "done"
        r = self.repair
        keep = {p: bool((r.answer_for(KEEP_STEP, "keep", p) or {}).get("keep")) for p in (0, 1)}
        keep_note = bool((r.answer_for(KEEP_STEP, "keep", self.pause.caller) or {}).get("keep_note"))
        if self.me is not None:
            r.skipped = repair_apart.skipped_steps(r)  # for the record: steps nobody said anything in
        pause_store.finish(self.app.store, self.pause, self.now(), keep=keep, keep_note=keep_note)
        if self.me is not None:
            across.merge_soon(self.app)
        await self._show_end(r)

    async def _show_end(self, r: RepairState) -> None:
        self.state = "done"
        tries = []
        for p in (r.first, 1 - r.first):
            text = (r.answer_for("next", "answer", p) or {}).get("text")
            if text:
                tries.append(Text.assemble(self.who(p), ": ", text))
        widgets: list[Widget] = [
            Static("Thank you both.", classes="step together"),
            Static("Coming back to each other after a hard moment takes care. This pause is saved in your "
                   "Pauses log.", classes="explain"),
        ]
        if tries:
            widgets.append(Static("What you'll each try next time:", classes="prompt"))
            widgets += [Static(t, classes="shown") for t in tries]
        widgets.append(Horizontal(Button("Close", id="close", variant="primary"), classes="buttons"))
        await self._show(*widgets, focus="#close")

    # -- keys and buttons ------------------------------------------------------------------------------
    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        bid = event.button.id
        if bid == "begin":
            if self.me is not None:
                await self.show_apart()
            else:
                await self.show_current()
        elif bid == "done":
            await self.submit()
        elif bid == "confirm-yes":
            await self.submit(confirmed=True)
        elif bid == "skip":
            await self.action_skip()
        elif bid == "continue":
            await self.next_after_reveal()
        elif bid == "close":
            self.dismiss()
        elif bid == "step-away":
            self.action_leave()
        elif bid == "let-rest":
            # nothing has been written yet at the start, so nothing is lost
            if self.me is not None:
                fresh = self.active()
                if fresh is None or fresh.repair is None or repair_apart.anything_written(fresh.repair):
                    await self.show_apart() if fresh is not None else await self.other_home_ended()
                    return  # begun at the other home meanwhile: not this home's to end
                self.pause = fresh
            pause_store.finish(self.app.store, self.pause, self.now(), repair="not yet")
            if self.me is not None:
                across.merge_soon(self.app)
            self.app.notify("The pause is saved in your log.", timeout=5)
            self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "done":
            return self.state == "turn"
        if action == "skip":
            if self.me is not None and self.state == "reveal":
                return False  # apart, a reading is each partner's own: nothing to skip for both
            return self.state in ("turn", "reveal") and self.turn is not None and self.turn.step != KEEP_STEP
        return True

    async def action_done(self) -> None:
        await self.submit()

    async def action_skip(self) -> None:
        if self.state not in ("turn", "reveal") or self.turn is None or self.turn.step == KEEP_STEP:
            return
        for area in self.query(DraftArea):
            area.save_now()  # skipped, not lost: the draft stays if they come back to it
        if self.me is not None:
            if self.state == "turn":
                await self._give_apart(self.turn, {"skipped": True})  # this partner's own turn only
            return
        if self.state == "turn":
            self.repair.skip_turn()  # one partner's skip is their own turn only
        else:
            self.repair.skip_step()  # read together: the rest of the step, for both
        self.save(self.pause)
        await self.show_current()

    def offer_break_again(self) -> None:
        """ctrl+t during the talk: another break, for either of you, asked how long first (and, at
        one keyboard, who needs it: the break is theirs). Everything written so far is kept, and
        the talk goes on after the next check-in."""
        pause = self.active()
        if pause is None or pause.phase != "repair" or self.state == "done":
            return
        for area in self.query(DraftArea):
            area.save_now()
        options = pause.break_options(self.now())
        if not options:
            # too near a day from the start for this pause: a new time-out, with the talk kept
            if self.app.screen is self:
                self.dismiss()
                self.app.call_later(self.app.action_pause)  # what ctrl+t does (no import of the start screen here)
            return
        self.app.push_screen(
            ChoiceDialog("Take another break? Everything you have both written is kept, and the talk goes "
                         "on from here after you check in again. How long?",
                         [*((f"break-{m}", f"{m} min") for m in options), ("stay", "Go on talking")]),
            self._after_break_choice)

    def _after_break_choice(self, choice: str | None) -> None:
        if not choice or not choice.startswith("break-"):
            return
        minutes = int(choice.removeprefix("break-"))
        if self.me is not None:
            self._take_break(minutes, self.me)  # this partner's own computer: the break is theirs
            return
        couple = self.app.couple
        self.app.push_screen(
            ChoiceDialog("Who needs the break?",
                         [*((f"who-{p.index}", f"{p.name} needs a break") for p in couple.partners),
                          ("stay", "Go on talking")]),
            lambda who: self._take_break(minutes, int(who[-1])) if who and who.startswith("who-") else None)

    def _take_break(self, minutes: int, by: int) -> None:
        pause = self.active()
        if pause is None or pause.phase != "repair":
            return
        try:
            pause.break_again(minutes, self.now(), by=by)
        except PauseError as exc:
            self.app.notify(str(exc), title="Pause", timeout=8)
            return
        self.save(pause)
        if self.me is not None:
            across.merge_soon(self.app)
        self.app.show_pause_phase(self)

    def action_leave(self) -> None:
        if self.state == "done":
            self.dismiss()
            return
        super().action_leave()
