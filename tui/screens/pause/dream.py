"""The dream behind a conflict: the screen. The rules (turns, what is private until when, what may
be left empty) are in tui.core.dream; the trial arrangement is saved with the agreements store's
own `create`, so it is a draft like any other and consent works as for any agreement."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, RadioSet, Static

from ...core.agreements import AgreementError, MAX_TITLE
from ...core.dream import Dream, start_dream
from ...core.partners import Partner
from ...core.talk import MAX_TOPIC
from .hard_talk import HardTalkScreen
from .talk import texts
from ..shared.curtain import CurtainScreen, PrivateTurnGuard
from ...store import agreements as store_ag
from ...store import talks as talk_store
from ...widgets.draft_area import DraftArea
from ...widgets.partner import TurnBanner, partner_text
from ...widgets.toggles import MarkedRadioButton

STAGE_HELP = {
    "intro": "Name the topic if you like; the one who writes first presses their button.",
    "write": "Write, out of sight of the other, what your side of this means to you. Nobody sees it until you have both written.",
    "listen": "Read the other's words together. The listener asks about them aloud, and may note what they understood (ctrl+n leaves the note empty).",
    "mark": "Each of you writes what you can't give up, and where you can bend. At least one of the two.",
    "trial": "Write a trial arrangement together: a title, the words, and when to look at it again. It is saved as a draft agreement.",
    "done": "The arrangement is a draft in Agreements. It counts once you both say yes to it there.",
}


class DreamScreen(PrivateTurnGuard, HardTalkScreen):
    SUB_TITLE = "The dream behind a conflict"
    BINDINGS = [
        Binding("ctrl+s", "done", "Done", id="pause.dream.done"),
        Binding("ctrl+n", "skip", "Leave the note empty", id="pause.dream.skip"),
        Binding("escape", "leave", "Step away", id="pause.dream.leave"),
    ]
    DEFAULT_CSS = """
    DreamScreen #review { layout: horizontal; width: 100%; height: 3; }
    DreamScreen #review > RadioButton { width: auto; margin-right: 2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.dream: Dream | None = None
        self.view = "intro"

    @property
    def HELP(self) -> str:  # type: ignore[override]
        t = texts()
        return (f"{t['dream']['intro']} ctrl+s finishes a step, Esc steps away (everything waits for you), "
                f"ctrl+t takes a time-out at any moment.\n\nNow: {STAGE_HELP.get(self.view, '')}\n\n{t['safety']}")

    async def on_mount(self) -> None:
        self.dream = talk_store.active_dream(self.app.store)
        if self.dream is None:
            await self.show_intro()
        else:
            await self.show_current()

    def _area(self, part: str = "text", classes: str = "") -> DraftArea:  # type: ignore[override]
        return super()._area(self.dream.draft_key(part), part, classes)

    def _save(self) -> None:
        talk_store.save_dream(self.app.store, self.dream)

    # -- the private turn guard (a time-out over a private turn curtains it on return) ------------------
    def private_owner(self) -> Partner | None:
        if self.dream is not None and self.view == "write" and self.dream.private():
            return self.app.couple[self.dream.floor()]
        return None

    def private_area(self) -> Widget:
        return self.query_one("#hard-body")

    async def show_private_again(self, owner: Partner) -> None:
        await self.show_stage()

    # -- the flow -----------------------------------------------------------------------------------------
    async def show_intro(self) -> None:
        self.view = "intro"
        t = texts()
        await self._show(
            Static("The dream behind a conflict", classes="step"),
            Static(t["dream"]["intro"], classes="explain"),
            Input(placeholder="The topic that keeps coming back, in a few words (optional)", id="topic",
                  max_length=MAX_TOPIC),
            Static("Who writes first?", classes="prompt"),
            Horizontal(*[Button(Text.assemble(partner_text(p), " writes first"), id=f"first-{p.index}")
                         for p in self.app.couple.partners], classes="buttons"),
            Static(t["safety"], classes="safety"),
            focus="#topic")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    async def show_current(self) -> None:
        """The current step; a private one only after the curtain names its writer."""
        dream = self.dream
        if dream.private():
            self.view = "curtain"
            await self._show()  # nothing private behind the curtain
            writer = dream.floor()
            n = 1 if writer == dream.first else 2
            self.app.push_screen(CurtainScreen(self.app.couple[writer], f"Writing in private, {n} of 2."),
                                 lambda _: self.call_after_refresh(self.show_stage))
        else:
            await self.show_stage()

    async def show_stage(self) -> None:
        dream = self.dream
        if dream is None:
            return
        self.view = dream.stage
        t = texts()["dream"]
        step = dream.current()
        error = self.error_line()
        topic = [Static(Text(f"Topic: {dream.topic}", style="dim"))] if dream.topic else []
        done = Horizontal(Button("Done (ctrl+s)", id="done", variant="primary"), classes="buttons")
        if dream.stage == "write":
            await self._show(
                TurnBanner(self.app.couple[step.partner], "in private"), *topic,
                *[Static(line, classes="prompt" if i == 0 else "explain") for i, line in enumerate(t["write"])],
                self._area(), error, done, focus="#area-text")
        elif dream.stage == "listen":
            speaker, listener = step.partner, 1 - step.partner
            await self._show(
                TurnBanner(self.app.couple[listener], "listening"),
                Static(Text.assemble(self.who(speaker), " wrote:"), classes="prompt"),
                Static(Text(dream.shown_meaning(speaker) or ""), classes="shown"),
                Static(Text.assemble("For ", self.who(listener), ":"), classes="prompt"),
                *[Static(f"· {line}", classes="explain") for line in t["listen"]],
                Static(t["listen_note"], classes="prompt"), self._area(classes="small"), error,
                Horizontal(Button("Done (ctrl+s)", id="done", variant="primary"),
                           Button("No note (ctrl+n)", id="skip"), classes="buttons"),
                focus="#area-text")
        elif dream.stage == "mark":
            await self._show(
                TurnBanner(self.app.couple[step.partner], "your turn"), *topic,
                Static(t["firm"], classes="prompt"), self._area("firm", "small"),
                Static(t["flexible"], classes="prompt"), self._area("flexible", "small"), error, done,
                focus="#area-firm")
        elif dream.stage == "trial":
            await self.show_trial()
        else:
            await self.show_done()

    async def show_trial(self) -> None:
        dream = self.dream
        t = texts()["dream"]
        marks: list[Widget] = []
        for p in (dream.first, 1 - dream.first):
            body = Text()
            if dream.firm.get(p):
                body.append(f"{t['firm']}: ", style="bold")
                body.append(dream.firm[p])
            if dream.flexible.get(p):
                body.append(("\n" if body else "") + f"{t['flexible']}: ", style="bold")
                body.append(dream.flexible[p])
            marks += [Static(Text.assemble(self.who(p), ":"), classes="prompt"), Static(body, classes="shown")]
        title = Input(placeholder="A title for the trial", id="title", max_length=MAX_TITLE,
                      value=f"Trial: {dream.topic}" if dream.topic else "")
        await self._show(
            Static("A trial arrangement, together", classes="step"), Static(t["trial"], classes="explain"),
            *marks, Static("Title", classes="prompt"), title,
            Static("What you'll try", classes="prompt"), self._area(),
            Static("When to look at it again", classes="prompt"),
            RadioSet(MarkedRadioButton("After a month", value=True, id="rev-monthly"),
                     MarkedRadioButton("After three months", id="rev-quarterly"), id="review"),
            self.error_line(),
            Horizontal(Button("Save as a draft agreement (ctrl+s)", id="done", variant="primary"), classes="buttons"),
            focus="#title" if not title.value else "#area-text")

    async def show_done(self) -> None:
        self.view = "done"
        await self._show(
            Static("Thank you both.", classes="step"),
            Static("Your trial arrangement is in Agreements as a draft, with its review. It counts once you "
                   "both say yes to it there. The notes you wrote on the way are not kept.", classes="explain"),
            Horizontal(Button("Open it in Agreements", id="open", variant="primary"),
                       Button("Close", id="close"), classes="buttons"),
            focus="#open")

    # -- answers --------------------------------------------------------------------------------------------
    async def action_done(self) -> None:
        dream = self.dream
        if dream is None or self.view != dream.stage:
            return
        if dream.stage == "write":
            await self._step(lambda _now: dream.write(self._text()))
        elif dream.stage == "listen":
            await self._step(lambda _now: dream.listen(self._text()))
        elif dream.stage == "mark":
            await self._step(lambda _now: dream.mark(self._text("firm"), self._text("flexible")))
        elif dream.stage == "trial":
            await self.save_trial()

    async def save_trial(self) -> None:
        dream = self.dream
        pressed = self.query_one("#review", RadioSet).pressed_button
        review = str(pressed.id).removeprefix("rev-") if pressed is not None else "monthly"
        title, text = self.query_one("#title", Input).value, self._text()
        problem = dream.trial_problem(title, text, review)
        if problem:
            self._error(problem)
            return
        try:
            agreement = store_ag.create(self.app.store, dream.first, title=title, text=text, kind="want",
                                        category="conflict", review=review, now=self.app.clock.now())
        except AgreementError as exc:
            self._error(str(exc))
            return
        dream.made_agreement(agreement.id)
        for area in self.query(DraftArea):
            area.discard()
        talk_store.end_dream(self.app.store, dream)
        await self.show_done()

    async def action_skip(self) -> None:
        if self.dream is not None and self.view == "listen" and self.dream.may_skip():
            await self._step(lambda _now: self.dream.listen(""))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "skip":
            return self.view == "listen"
        if action == "done":
            return self.view in ("write", "listen", "mark", "trial")
        return True

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        bid = str(event.button.id or "")
        if bid.startswith("first-"):
            self.dream = start_dream(int(bid[-1]), self.app.clock.now(), self.query_one("#topic", Input).value)
            self._save()
            await self.show_current()
        elif bid == "done":
            await self.action_done()
        elif bid == "skip":
            await self.action_skip()
        elif bid == "open":
            agreement_id = self.dream.agreement_id if self.dream else None
            self.dismiss()
            if agreement_id is not None:
                self.app.open_agreement(agreement_id)
        elif bid == "close":
            self.dismiss()

    def action_leave(self) -> None:
        """Step away: the dream talk waits, drafts and all, until you open it again."""
        self.app.save_drafts()
        if self.dream is not None and self.view != "done":
            self.app.notify("Your talk waits here for you; open it again to go on.", timeout=4)
        self.dismiss()
