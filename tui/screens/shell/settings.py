"""Settings: names, colours and symbols, pause words and length, bell, breathing, repeats, theme."""

from __future__ import annotations

import json

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Header, Input, Label, Select, Static, Switch

from ..shared.choice import ChoiceDialog
from ...widgets.footer import HearthFooter
from ..shared.styled_once import StyledOnce
from ...widgets.toggles import MarkedCheckbox
from ...core.reflection import EXTRA_STEPS, STEP_TITLES
from ...core.partners import COLOUR_CHOICES, MAX_NAME, SYMBOL_CHOICES, Couple, Partner, clean_name, name_problem
from ...core.calendar import DAYS, SlotError, parse_time, slot_from_settings
from ...store.optin import decks_on, set_deck_on
from ...store.drafts import clear_draft, load_draft, save_draft
from ...store.profile import set_setting, settings
from ...widgets.text_input import LimitLine, TextInput
from ...core.text import typed_line

COLOUR_NAMES = {
    "#e8a33d": "amber", "#5fb3b3": "teal", "#c678dd": "violet",
    "#98c379": "green", "#e06c75": "rose", "#61afef": "blue",
}
PAUSE_LENGTHS = (20, 30, 45, 60)
#: The draft key for changes made in Settings and not saved when Hearth quit.
SETTINGS_DRAFT = "settings:unsaved"
LOCK_CHOICES = ((0, "never"), (5, "after 5 minutes"), (10, "after 10 minutes"), (15, "after 15 minutes"),
                (30, "after 30 minutes"), (60, "after an hour"))


def encryption_words(app) -> str:
    """Where encryption stands: who can open it, and whether there is a recovery code. (The
    buttons under it open tui/screens/shell/encryption.py.)"""
    store = app.store
    if not store.encrypted:
        return ("Encryption is off: anyone who can read this computer account's files can read Hearth's. "
                "Lock it with a passphrase for each of you (either one opens it).")
    names = [p.name for p in app.couple.partners] if app.couple else ["Partner 1", "Partner 2"]
    opened = store.unlocked_with or ""
    who = {"recovery": "the recovery code"}.get(opened, "")
    if opened.startswith("partner-"):
        who = f"{names[int(opened[-1]) - 1]}'s passphrase"
    slots = store.slots()
    has = [names[i] for i in (0, 1) if f"partner-{i + 1}" in slots]
    opens = " and ".join(f"{n}'s passphrase" for n in has) or "no passphrase"
    code = ", and the recovery code" if "recovery" in slots else "; there is no recovery code"
    return (f"Encryption is on (opened with {who or 'a passphrase'}). It opens with {opens}{code}. "
            "Lock now: ctrl+l.")


def encryption_widgets(app) -> list:
    """The Encryption part of Settings: where it stands, and a button for each thing to do."""
    store = app.store
    out: list = [Static(encryption_words(app), id="encryption")]
    if not store.encrypted:
        out.append(Button("Lock Hearth with passphrases…", id="crypt-on"))
        return out
    has_code = "recovery" in store.slots()
    out.append(Horizontal(Button("Change a passphrase…", id="crypt-change"),
                          Button("Turn encryption off…", id="crypt-off"), classes="crypt-row"))
    out.append(Horizontal(Button("New recovery code…" if has_code else "Make a recovery code…", id="crypt-code"),
                          *([Button("Remove the recovery code…", id="crypt-remove-code")] if has_code else []),
                          classes="crypt-row"))
    out.append(Label("Lock Hearth when nobody has typed for a while"))
    minutes = settings(store)["lock_minutes"]
    out.append(Select([(words, m) for m, words in LOCK_CHOICES], id="lock-minutes", allow_blank=False,
                      value=minutes if minutes in dict(LOCK_CHOICES) else 0))
    return out



def switch_word(on: bool) -> str:
    """A switch's state in words: its look alone says nothing under NO_COLOR or on a mono screen."""
    return "On" if on else "Off"

class SettingsScreen(StyledOnce, Screen[None]):
    SUB_TITLE = "Settings"
    HELP = (
        "Change your names, each partner's colour and symbol, the words said when a pause starts, "
        "the usual pause length, the bell and the breathing guide, how many rounds pass before a "
        "card can come back, the opt-in decks you want to see, the theme, and encryption: lock Hearth with a passphrase "
        "for each of you, change one, make or remove the recovery code, turn it off, and choose when "
        "it locks itself. Opt-in decks (such as "
        "parenting, desire and romance, or grief) stay hidden until you turn them on here: not listed, "
        "not drawn and not found in History search. Turning one off again keeps what you answered. "
        "Press ctrl+s or the Save button. Esc goes back, and asks first if you changed something: "
        "save it, throw it away, or stay."
    )
    # The first name, so typing changes it. The scrolling body takes no focus: Tab never lands on
    # something that shows no sign of having the keyboard (each field scrolls into view instead).
    AUTO_FOCUS = "Input"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="shell.settings.save"),
        Binding("escape", "back", "Back", id="shell.settings.back"),
        Binding("ctrl+o", "link", "Two homes", id="shell.settings.link"),
    ]
    DEFAULT_CSS = """
    SettingsScreen #settings-body { padding: 0 2; }
    SettingsScreen .row { height: auto; }
    SettingsScreen .row > Input { width: 1fr; }
    SettingsScreen .row > Select { width: 18; }
    SettingsScreen Label { margin-top: 1; }
    SettingsScreen .switch-row { height: 3; }
    SettingsScreen .switch-row Label { margin: 1 1 0 0; width: 1fr; }
    SettingsScreen .switch-state { width: 4; margin: 1 0 0 1; }
    SettingsScreen #reflection-day { width: 20; }
    SettingsScreen #reflection-time { width: 12; }
    SettingsScreen .deck-row { height: auto; min-height: 3; }
    SettingsScreen .deck-row .deck-about { margin: 1 1 0 0; width: 1fr; height: auto; }
    SettingsScreen #save { margin: 1 0; }
    SettingsScreen #encryption-part { height: auto; }
    SettingsScreen .crypt-row { height: auto; }
    SettingsScreen .crypt-row Button { margin-right: 2; }
    """

    def compose(self) -> ComposeResult:
        app = self.app
        couple: Couple = app.couple
        s = settings(app.store)
        colours = [(COLOUR_NAMES.get(c, c), c) for c in COLOUR_CHOICES]
        symbols = [(sym, sym) for sym in SYMBOL_CHOICES]
        yield Header()
        with VerticalScroll(id="settings-body", can_focus=False):
            for p in couple.partners:
                yield Label(f"Partner {p.index + 1}: name, colour, symbol")
                with Horizontal(classes="row"):
                    yield TextInput(p.name, id=f"name-{p.index}", max_length=MAX_NAME)
                    yield Select(colours, value=p.colour if p.colour in COLOUR_CHOICES else COLOUR_CHOICES[p.index],
                                 id=f"colour-{p.index}", allow_blank=False)
                    yield Select(symbols, value=p.symbol if p.symbol in SYMBOL_CHOICES else SYMBOL_CHOICES[p.index],
                                 id=f"symbol-{p.index}", allow_blank=False)
                yield Static("", id=f"error-{p.index}", classes="field-error")
            yield Label("Pause words (leave empty for Hearth's; {time} becomes the return time)")
            yield TextInput(s["pause_words"], id="pause-words",
                        placeholder="I'm taking a break to calm down. I'm not leaving. I'll be back at {time}.")
            yield Label("Usual pause length")
            yield Select([(f"{m} minutes", m) for m in PAUSE_LENGTHS], value=s["pause_minutes"]
                         if s["pause_minutes"] in PAUSE_LENGTHS else 20, id="pause-minutes", allow_blank=False)
            yield Label("Optional steps in the weekly reflection")
            chosen = s.get("reflection_extras") or []
            for step in EXTRA_STEPS:
                yield MarkedCheckbox(STEP_TITLES[step], value=step in chosen, id=f"extra-{step}")
            yield Label("Rounds before a card may come back")
            yield Input(str(s["repeat_window"]), id="repeat-window", type="integer", max_length=3)
            yield Static("", id="error-repeat", classes="field-error")
            yield Label("Weekly reflection: day and time (for hearth calendar)")
            slot = slot_from_settings(s.get("reflection_day"), s.get("reflection_time"))
            with Horizontal(classes="row"):
                yield Select([(day.capitalize(), i) for i, day in enumerate(DAYS)], value=slot.weekday,
                             id="reflection-day", allow_blank=False)
                yield Input(slot.at.strftime("%H:%M"), id="reflection-time", max_length=5)
            yield Static("", id="error-slot", classes="field-error")
            with Horizontal(classes="switch-row"):
                yield Label("Ring the terminal bell when a pause ends")
                yield Switch(value=bool(s["bell"]), id="bell")
                yield Static(switch_word(bool(s["bell"])), id="bell-state", classes="switch-state")
            with Horizontal(classes="switch-row"):
                yield Label("Show the breathing guide during a pause")
                yield Switch(value=bool(s["breathing"]), id="breathing")
                yield Static(switch_word(bool(s["breathing"])), id="breathing-state", classes="switch-state")
            opt_in = [d for d in app.decks.decks if d.opt_in]
            if opt_in:
                on = decks_on(app.store)
                yield Label("Opt-in decks: hidden until you turn them on")
                for deck in opt_in:
                    with Horizontal(classes="deck-row"):
                        about = f"{deck.title} ({len(deck.cards)} cards)"
                        yield Static(f"{about}. {deck.description}" if deck.description else about, classes="deck-about")
                        yield Switch(value=deck.id in on, id=f"deck-on-{deck.id}", classes="deck-switch")
                        yield Static(switch_word(deck.id in on), id=f"deck-on-{deck.id}-state", classes="switch-state")
            yield Label("Theme")
            themes = sorted(app.available_themes)
            yield Select([(t, t) for t in themes], value=app.theme if app.theme in themes else themes[0],
                         id="theme", allow_blank=False)
            yield Label("Two homes: each of you on your own computer, through a synced folder")
            yield Button("Link to a folder… (ctrl+o)", id="open-link")
            yield Label("Encryption")
            yield Vertical(*encryption_widgets(app), id="encryption-part")
            yield Button("Save", id="save", variant="primary")
        yield HearthFooter()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "open-link":
            self.action_link()
        elif (event.button.id or "").startswith("crypt-"):
            from .encryption import EncryptionScreen

            self.app.push_screen(EncryptionScreen(event.button.id.removeprefix("crypt-")), self._after_encryption)

    async def _after_encryption(self, changed: bool | None) -> None:
        """Encryption was turned on or off, or a passphrase changed: show where it stands now,
        keeping whatever else was typed in Settings (only this part is built again)."""
        if not changed:
            return
        part = self.query_one("#encryption-part", Vertical)
        await part.remove_children()
        await part.mount_all(encryption_widgets(self.app))
        lock = self.query("#lock-minutes").results(Select)
        for found in lock:  # a new field, not a change made by the couple
            self._first_values["lock-minutes"] = found.value
        if not lock:
            self._first_values.pop("lock-minutes", None)
        first = next(iter(part.query(Button)), None)
        if first is not None:
            first.focus()

    def action_link(self) -> None:
        from .link import LinkScreen

        self.app.push_screen(LinkScreen())

    def on_switch_changed(self, event: Switch.Changed) -> None:
        """Each switch's state is said in words too (NO_COLOR and screen readers)."""
        for state in self.query(f"#{event.switch.id}-state"):  # switches without one are left alone
            state.update(switch_word(event.value))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("name-0", "name-1"):  # a full name box says so, as it fills
            self._limits.follow(event.input, self.query_one(f"#error-{event.input.id[-1]}", Static))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "theme" and isinstance(event.value, str):
            self.app.theme = event.value  # preview at once; remembered by the app

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._limits = LimitLine()

    def on_mount(self) -> None:
        self._first_values = self._form_values()
        self._first_theme = self.app.theme
        self._restore_draft()

    # -- changes not saved yet, kept on the way out (ctrl+q, a closed terminal) ------------------
    def save_drafts(self) -> None:
        """Called by the app as it quits: what was changed here and not saved is kept as a draft,
        not applied, and filled in again the next time Settings opens."""
        changed = {k: v for k, v in self._form_values().items()
                   if k and self._first_values.get(k) != v and isinstance(v, (str, bool, int))}
        if changed:
            save_draft(self.app.store, SETTINGS_DRAFT, json.dumps(changed, ensure_ascii=False))
        else:
            clear_draft(self.app.store, SETTINGS_DRAFT)

    def _restore_draft(self) -> None:
        raw = load_draft(self.app.store, SETTINGS_DRAFT)
        if not raw:
            return
        try:
            changed = json.loads(raw)
        except ValueError:
            changed = None
        if not isinstance(changed, dict):
            clear_draft(self.app.store, SETTINGS_DRAFT)
            return
        filled = 0
        for key, value in changed.items():
            for widget in self.query(f"#{key}") if isinstance(key, str) and key.replace("-", "").replace("_", "").isalnum() else []:
                try:
                    widget.value = value  # type: ignore[attr-defined]
                    filled += 1
                except Exception:
                    pass  # a choice that no longer exists: left as it is
        if filled:
            self.notify("The changes you had not saved last time are filled in again: ctrl+s saves "
                        "them, Esc asks whether to keep them.", title="Settings", timeout=8)


    def _form_values(self) -> dict[str | None, object]:
        """Every field's value, to tell whether anything was changed since the screen opened."""
        return {w.id: w.value for w in self.query("Input, Select, Switch, Checkbox")}  # type: ignore[attr-defined]

    def action_back(self) -> None:
        """Leave at once when nothing changed (and forget a draft of earlier changes); otherwise ask, as the agreement editor does, so a
        habit of pressing Esc never throws changes away without a word."""
        if self._form_values() == self._first_values:
            clear_draft(self.app.store, SETTINGS_DRAFT)
            self.dismiss()
            return
        self.app.push_screen(
            ChoiceDialog("You changed some settings. Keep these changes?",
                         [("save", "Save"), ("discard", "Throw away"), ("stay", "Stay here")]),
            self._leave,
        )

    def _leave(self, choice: str | None) -> None:
        if choice == "save":
            self.action_save()  # leaves when saved; a field to fix stays on screen with its message
        elif choice == "discard":
            clear_draft(self.app.store, SETTINGS_DRAFT)
            if self.app.theme != self._first_theme:
                self.app.theme = self._first_theme  # the theme was only a preview
            self.dismiss()

    def action_save(self) -> None:
        app = self.app
        names = [self.query_one(f"#name-{i}", Input).value for i in (0, 1)]
        problems = [name_problem(names[0]), name_problem(names[1], names[0])]
        for i in (0, 1):
            self._limits.forget(self.query_one(f"#name-{i}", Input))
            self.query_one(f"#error-{i}", Static).update(problems[i] or "")
        repeat_raw = self.query_one("#repeat-window", Input).value.strip()
        repeat_ok = repeat_raw.isdigit() and 0 <= int(repeat_raw) <= 500
        self.query_one("#error-repeat", Static).update("" if repeat_ok else "Please use a whole number from 0 to 500.")
        try:
            at = parse_time(self.query_one("#reflection-time", Input).value)
            slot_problem = ""
        except SlotError as exc:
            at, slot_problem = None, str(exc).capitalize() + "."
        self.query_one("#error-slot", Static).update(slot_problem)
        if slot_problem:
            self.query_one("#reflection-time", Input).focus()  # scrolls it, and its message, into view
        if any(problems) or not repeat_ok or at is None:
            return
        partners = tuple(
            Partner(i, clean_name(names[i]), self.query_one(f"#colour-{i}", Select).value,
                    self.query_one(f"#symbol-{i}", Select).value)
            for i in (0, 1)
        )
        app.set_couple(Couple((partners[0], partners[1])))
        store = app.store
        set_setting(store, "reflection_extras",
                    [step for step in EXTRA_STEPS if self.query_one(f"#extra-{step}", Checkbox).value])
        set_setting(store, "pause_words", typed_line(self.query_one("#pause-words", Input).value))
        set_setting(store, "pause_minutes", self.query_one("#pause-minutes", Select).value)
        set_setting(store, "repeat_window", int(repeat_raw))
        set_setting(store, "reflection_day", self.query_one("#reflection-day", Select).value)
        set_setting(store, "reflection_time", at.strftime("%H:%M"))
        set_setting(store, "bell", self.query_one("#bell", Switch).value)
        set_setting(store, "breathing", self.query_one("#breathing", Switch).value)
        for lock in self.query("#lock-minutes").results(Select):  # shown only when encrypted
            set_setting(store, "lock_minutes", lock.value)
        for switch in self.query(".deck-switch").results(Switch):
            set_deck_on(store, (switch.id or "")[len("deck-on-"):], switch.value)
        clear_draft(store, SETTINGS_DRAFT)
        self.notify("Settings saved.", timeout=3)
        self.dismiss()

