"""Pause & repair: calling a time-out. `open_pause(app)` is what ctrl+t does on every screen;
`resume_on_start(app)` reopens a pause that was going on when Hearth closed."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Header, Input, RadioSet, Static

from ...widgets.footer import HearthFooter
from ..shared.styled_once import StyledOnce
from ...core.pause import LENGTHS, MAX_NOTE, MAX_TOPIC, PauseError, parse_length, start_pause
from ...core.timewords import at_clock
from .common import PauseScreenBase, ensure_watch, pause_screen_showing, texts, words_for
from .router import goto_phase, screen_for
from ...store import pauses as pause_store
from ...store.drafts import clear_draft, load_draft, save_draft
from ...store.profile import setting
from ...widgets.partner import fit_name, partner_text
from ...widgets.toggles import MarkedRadioButton
from ...widgets.text_input import TextInput
from ...widgets.two_homes import merge_soon

TOPIC_DRAFT = "pause:new:topic"
NOTE_DRAFT = "pause:new:note"


def open_pause(app: App) -> None:
    """ctrl+t, from anywhere: show the pause if one is on, else the screen to start one."""
    if pause_screen_showing(app):
        offer = getattr(app.screen, "offer_break_again", None)
        if callable(offer):
            offer()  # the talk after a pause, heating up again: another break
        return  # else already open (perhaps under help, the phrases panel or a curtain)
    ensure_watch(app)
    pause = pause_store.active(app.store)
    if pause is not None and pause.phase == "repair":
        # A talk left open is not the time-out asked for now: a flooded moment gets a pause at once,
        # and the talk is kept to go back to (a newcomer's ctrl+t opened last week's talk instead).
        app.push_screen(PauseStartScreen(over_talk=True))
        return
    app.push_screen(screen_for(pause) if pause is not None else PauseStartScreen())


def resume_on_start(app: App) -> None:
    """Hearth started during a pause (or before its check-in): open on the pause. A talk left
    open is not reopened by itself (every start showed it until Esc): home offers it (press 2)."""
    pause = pause_store.active(app.store)
    if pause is None or pause.phase == "repair" or pause_screen_showing(app):
        return
    ensure_watch(app)
    app.push_screen(screen_for(pause))


WHO_SUFFIX = " needs a break"


def who_label(partner, cells: int | None = None) -> Text:
    """'1 ◆ Ana needs a break'; in `cells` (a button's inside) a long name is shortened with
    "…" so the button never wraps onto its own border."""
    if cells is not None:
        room = cells - cell_len(f"{partner.index + 1} {partner.symbol} {WHO_SUFFIX}")
        partner = replace(partner, name=fit_name(partner.name, room))
    return Text.assemble((f"{partner.index + 1} ", "bold"), partner_text(partner), WHO_SUFFIX)


WHO_HINT = "Who needs the break? Press your key (in a text box, press Enter first)."
TOPIC_HINT = "Topic to come back to (optional)"
NOTE_HINT = "A note only you will see (optional)"
#: Below this many columns the start screen says less, so all of it fits (Hearth needs 60).
NARROW = 70


class PauseStartScreen(StyledOnce, PauseScreenBase):
    """Choose the length (20 minutes preselected), optionally a topic and a note; then whoever
    needs the break presses their key (1 or 2), and the pause starts."""

    SUB_TITLE = "Pause"
    HELP = (
        "A pause is a break to calm down, not leaving. Pick how long (at least 20 minutes, up to 24 hours), "
        "add a word or two about the topic to come back to and, if you like, a note for yourself: it comes back "
        "to you at your own check-in, and your partner sees it only if you choose to keep it in the log at the "
        "end. The one "
        "who needs the break presses their key: 1 or 2. Hearth shows the words to say and counts down "
        "to the time you come back. The Pauses log (l) lists past pauses. Not a time-out but a hard "
        "topic? t opens Talk it through, d the dream behind a conflict that keeps coming back."
    )
    AUTO_FOCUS = "#length"  # not the scrolling body first: each change of focus restyled it all
    BINDINGS = [
        Binding("1", "start(0)", "Partner 1 asks", show=False, id="pause.pause_start.start_0"),
        Binding("2", "start(1)", "Partner 2 asks", show=False, id="pause.pause_start.start_1"),
        Binding("l", "log", "Pauses log", id="pause.pause_start.log"),
        Binding("r", "revisit", "Begin the planned talk", id="pause.pause_start.revisit"),
        Binding("t", "talk('talk')", "Talk", id="pause.pause_start.talk_talk"),
        Binding("d", "talk('dream')", "Dream", id="pause.pause_start.talk_dream"),
        Binding("f2", "phrases", "Phrases", key_display="F2", id="pause.pause_start.phrases"),
        Binding("escape", "back", "Back", id="pause.pause_start.back"),
    ]
    DEFAULT_CSS = """
    PauseStartScreen #start-body { height: 1fr; padding: 0 1; }
    PauseStartScreen .intro { color: $text-muted; margin-bottom: 1; }
    PauseStartScreen .label { text-style: bold; height: 1; }
    PauseStartScreen #length { layout: horizontal; width: 100%; height: 3; }
    PauseStartScreen #length > RadioButton { width: auto; margin-right: 2; }
    PauseStartScreen.-narrow #length { padding: 0; }
    PauseStartScreen.-narrow #length > RadioButton { margin-right: 0; }
    PauseStartScreen #custom { width: 40; }
    PauseStartScreen #custom.hidden { display: none; }
    PauseStartScreen #words {
        height: auto; margin: 1 0 1 0; padding: 0 1; border-left: thick $accent; background: $boost;
    }
    PauseStartScreen #extras { height: auto; }
    PauseStartScreen #extras Input { width: 1fr; }
    PauseStartScreen #waiting { height: auto; color: $warning; margin-top: 1; }
    PauseStartScreen #who-bar { height: 4; padding: 0 1; }  /* below the 1fr body; docking it would sit under the Footer */
    PauseStartScreen #who-hint { height: 1; }
    PauseStartScreen #who { height: 3; }
    PauseStartScreen #who Button { width: 1fr; margin: 0 1 0 0; }
    """

    def __init__(self, over_talk: bool = False) -> None:
        super().__init__()
        self._draft_timer: Timer | None = None
        #: ctrl+t while a talk after an earlier pause is open: this time-out sets that talk aside
        self.over_talk = over_talk

    def _open_talk(self):
        """The talk this new time-out sets aside, if it was opened over one."""
        pause = pause_store.active(self.app.store)
        return pause if self.over_talk and pause is not None and pause.phase == "repair" else None

    def compose(self) -> ComposeResult:
        couple = self.app.couple
        t = texts()
        usual = setting(self.app.store, "pause_minutes", 20)
        usual = usual if usual in LENGTHS else 20
        yield Header()
        with VerticalScroll(id="start-body"):
            yield Static(t["intro"], classes="intro")
            yield Static("How long?", classes="label")
            with RadioSet(id="length"):
                for m in LENGTHS:
                    yield MarkedRadioButton(f"{m} min", value=(m == usual), id=f"len-{m}")
                yield MarkedRadioButton("Other", id="len-other")
            yield Input(placeholder="e.g. 90 or 1:30 (20 minutes to 24 hours)", id="custom", classes="hidden",
                        max_length=12)
            yield Static("", id="custom-error", classes="field-error")
            yield Static(id="words")
            with Horizontal(id="extras"):
                yield TextInput(placeholder=TOPIC_HINT, id="topic", max_length=MAX_TOPIC)
                yield TextInput(placeholder=NOTE_HINT, id="note", max_length=MAX_NOTE)
            yield Static("", id="waiting")
        with Vertical(id="who-bar"):
            yield Static(Text(WHO_HINT, style="bold"), id="who-hint")
            with Horizontal(id="who"):
                for p in self._askers(couple):
                    yield Button(who_label(p), id=f"who-{p.index}")
        yield HearthFooter()

    def on_mount(self) -> None:
        if pause_store.active(self.app.store) is not None and self._open_talk() is None:
            # opened from home while a pause is on: show that pause instead
            self.call_after_refresh(goto_phase, self.app, self)
            return
        couple = self.app.couple
        for p in self._askers(couple):
            self._bindings.bind(str(p.index + 1), f"start({p.index})", f"{p.name} needs a break")
        self.refresh_bindings()
        for key, widget_id in ((TOPIC_DRAFT, "#topic"), (NOTE_DRAFT, "#note")):
            draft = load_draft(self.app.store, key)
            if draft:
                self.query_one(widget_id, Input).value = draft
        self.query_one("#length", RadioSet).focus()
        self._show_waiting()
        self._refresh_words()
        self.set_interval(5, self._refresh_words)

    # -- length and words ----------------------------------------------------------------------------
    def _chosen_minutes(self) -> int:
        """The chosen length; raises PauseError for a custom length that can't be used."""
        radio = self.query_one("#length", RadioSet)
        button = radio.pressed_button
        if button is None or button.id == "len-other":
            if button is None:
                return 20
            return parse_length(self.query_one("#custom", Input).value)
        return int(str(button.id).removeprefix("len-"))

    def _refresh_words(self) -> None:
        now = self.app.clock.now()
        error = self.query_one("#custom-error", Static)
        try:
            minutes = self._chosen_minutes()
            error.update("")
        except PauseError as exc:
            if self.query_one("#custom", Input).value.strip():
                error.update(str(exc))
            else:
                error.update("")
            minutes = None
        words = self.query_one("#words", Static)
        if minutes is None:
            words.update(Text("Type a length to see the time you'll come back.", style="dim"))
            return
        back = now + timedelta(minutes=minutes)
        said = words_for(self.app.store, back, now)
        words.update(Text.assemble(("When you start, say:\n", "dim"), (f"“{said}”", "bold"),
                                   (f"\nBack together {at_clock(back, now)}.", "")))

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        other = event.pressed.id == "len-other"
        custom = self.query_one("#custom", Input)
        custom.set_class(not other, "hidden")
        if other:
            custom.focus()
        self._refresh_words()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "custom":
            self._refresh_words()
        elif event.input.id in ("topic", "note"):
            if self._draft_timer is not None:
                self._draft_timer.stop()
            self._draft_timer = self.set_timer(0.5, self.save_drafts)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id in ("topic", "note"):
            # out of the box and onto the start buttons, where 1 and 2 start the pause again
            self.query_one("#who-0", Button).focus()
        else:
            self.focus_next()

    def save_drafts(self) -> None:
        """Keep the topic and note as typed (the app also calls this on quit)."""
        if not self.is_mounted:
            return
        try:
            topic = self.query_one("#topic", Input).value
            note = self.query_one("#note", Input).value
        except Exception:
            return
        save_draft(self.app.store, TOPIC_DRAFT, topic)
        save_draft(self.app.store, NOTE_DRAFT, note)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_narrow(event.size.width)
        self.call_after_refresh(self._fit_who)

    def _fit_narrow(self, width: int) -> None:
        """Under 70 columns (down to the 60 Hearth needs), every length and the whole hint stay in
        view: the lengths sit closer, the hint and the boxes' hints say less."""
        narrow = width < NARROW
        self.set_class(narrow, "-narrow")
        hint = "Who needs the break? Press your key." if narrow else WHO_HINT
        self.query_one("#who-hint", Static).update(Text(hint, style="bold"))
        self.query_one("#topic", Input).placeholder = "Topic (optional)" if narrow else TOPIC_HINT
        self.query_one("#note", Input).placeholder = "Private note, optional" if narrow else NOTE_HINT

    def _fit_who(self) -> None:
        """Each start button's label fits its width, a long name shortened (never wrapped)."""
        for p in self._askers(self.app.couple):
            for button in self.query(f"#who-{p.index}").results(Button):
                cells = button.content_region.width - 2 * button.styles.line_pad  # line-pad: a cell each side
                if cells > 0:
                    button.label = who_label(p, cells)

    def _askers(self, couple) -> list:
        """Who can ask for the break here: both at a shared computer, only its owner on a
        partner's own computer (the other asks at theirs)."""
        from ...store.sync_watch import this_partner

        me = this_partner(self.app.store)
        return [p for p in couple.partners if me is None or p.index == me]

    # -- starting -------------------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id and event.button.id.startswith("who-"):
            self.action_start(int(event.button.id[-1]))

    def action_start(self, who: int) -> None:
        store = self.app.store
        talk = self._open_talk()
        if pause_store.active(store) is not None and talk is None:
            goto_phase(self.app, self)
            return
        try:
            minutes = self._chosen_minutes()
        except PauseError as exc:
            self.query_one("#custom-error", Static).update(str(exc))
            self.query_one("#custom", Input).focus()
            return
        now = self.app.clock.now()
        pause = start_pause(who, minutes, now,
                            topic=self.query_one("#topic", Input).value,
                            note=self.query_one("#note", Input).value)
        if talk is not None:
            # kept whole, as a talk planned for later: every word, ready to go back to afterwards
            # (and open again as it was if this time-out is taken back)
            pause_store.set_aside_for(store, talk, now, pause.id)
        pause_store.save_active(store, pause)
        merge_soon(self.app)  # the other home shows it as soon as it arrives
        if self._draft_timer is not None:
            self._draft_timer.stop()
        clear_draft(store, TOPIC_DRAFT)
        clear_draft(store, NOTE_DRAFT)
        goto_phase(self.app, self)

    # -- other keys -----------------------------------------------------------------------------------
    def _show_waiting(self) -> None:
        waiting = pause_store.waiting(self.app.store)
        line = self.query_one("#waiting", Static)
        if self._open_talk() is not None:
            line.update("Your talk after the last pause is kept as it is, to go back to afterwards.")
            return
        if not waiting:
            line.update("")
            line.display = False
            return
        rec = waiting[0]
        now = self.app.clock.now()
        about = f" about {rec.topic}" if rec.topic else ""
        if rec.revisit_at is None and pause_store.set_aside(rec):
            line.update(f"Your talk{about} is kept from an earlier pause. Press r to go back to it.")
            return
        when = at_clock(rec.revisit_at, now) if rec.revisit_at else "later"
        line.update(f"You planned to come back to a talk{about} {when}. Press r to begin it now.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "revisit":
            return self._open_talk() is None and bool(pause_store.waiting(self.app.store))
        return True

    def action_revisit(self) -> None:
        waiting = pause_store.waiting(self.app.store)
        if not waiting:
            return
        pause = pause_store.resume_waiting(self.app.store, waiting[0].id, self.app.clock.now())
        if pause is not None:
            goto_phase(self.app, self)

    def action_talk(self, which: str) -> None:
        """Talk it through or the dream flow, in place of this screen, so ctrl+t still opens a
        time-out over them (it does nothing while a pause screen is in the stack)."""
        from .dream import DreamScreen
        from .talk import TalkScreen

        kind = TalkScreen if which == "talk" else DreamScreen
        if any(isinstance(s, kind) for s in self.app.screen_stack):
            self.dismiss()  # one is open underneath already (a time-out was called from it)
            return
        self.save_drafts()
        self.app.switch_screen(kind())

    def action_log(self) -> None:
        from .log import PauseLogScreen

        self.app.push_screen(PauseLogScreen())

    def action_back(self) -> None:
        self.save_drafts()
        self.dismiss()


__all__ = ["PauseStartScreen", "open_pause", "resume_on_start"]
