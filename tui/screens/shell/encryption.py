"""Encryption from Settings: lock Hearth with a passphrase for each partner, change one, make or
remove the recovery code, or turn encryption off; what `hearth encrypt`, `hearth passphrase` and
`hearth decrypt` do, in the app.

Every change runs in a worker thread: Argon2id takes a few tenths of a second, and turning
encryption on or off writes the whole file and its backups again. The screen says it is working,
keeps drawing, and takes no second press meanwhile.

Passphrases live only in the masked fields and, between the steps of turning encryption on, in
this screen's memory: never in a message, a toast, a worker's description or a file. Each field
is cleared as soon as it has been read; leaving the screen forgets what was typed.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, RadioSet, Static

from ...store import sync_watch
from ...store.crypto import same_passphrase
from ...store.errors import StoreError
from ...store.profile import set_setting
from ...widgets.footer import HearthFooter
from ...widgets.toggles import MarkedCheckbox, MarkedRadioButton
from .link import WhoseChoice

#: As `hearth encrypt` asks (tui/askpass.py): a passphrase shorter than this is refused, gently.
MIN_LENGTH = 8
SHORT = f"Please use at least {MIN_LENGTH} characters; a few words together are easy to remember."
MISMATCH = "The two did not match. Please type it twice again."
#: Said wherever the recovery code is made or removed (as the command line says it).
NO_RECOVERY = ("Without a passphrase or the recovery code, nothing in Hearth can be read again: "
               "no one, Hearth included, can recover it.")
CODE_ONCE = "Your recovery code, shown this once. Write it down and keep it away from this computer:"

#: What each way in does: (title, what the working step says).
MODES = {
    "on": ("Lock Hearth with passphrases", "Locking Hearth: every year of your words is written again, encrypted."),
    "change": ("Change a passphrase", "Changing the passphrase…"),
    "code": ("A new recovery code", "Making a new recovery code…"),
    "remove-code": ("Remove the recovery code", "Removing the recovery code…"),
    "off": ("Turn encryption off", "Writing Hearth as plain text again…"),
}


def slot_of(index: int) -> str:
    return f"partner-{index + 1}"


def linked_folder(store: Any) -> str | None:
    doc = sync_watch.link_doc(store)
    return str(doc.get("folder")) if doc else None


def hold_merges(store: Any):
    """The two-homes merge's lock, so no merge runs while the file changes key (or a no-op)."""
    from contextlib import nullcontext

    from ...store.sync import replica_for

    replica = replica_for(store)
    return replica.lock if replica is not None else nullcontext()


class EncryptionScreen(Screen[bool]):
    """One of MODES, step by step. Dismissed with True when something changed (Settings then
    shows the new state), False when left with nothing changed."""

    BINDINGS = [Binding("escape", "back", "Back", id="shell.encryption.back")]
    DEFAULT_CSS = """
    EncryptionScreen #crypt-body { padding: 0 2; }
    EncryptionScreen #crypt-title { text-style: bold; margin-top: 1; }
    EncryptionScreen .words { height: auto; margin-top: 1; }
    EncryptionScreen .muted { height: auto; margin-top: 1; color: $text-muted; }
    EncryptionScreen Label { margin-top: 1; }
    EncryptionScreen #crypt-status { height: auto; min-height: 1; margin-top: 1; }
    EncryptionScreen #crypt-status.problem { color: $error; }
    EncryptionScreen #whose, EncryptionScreen #recovery { height: auto; width: 100%; }
    EncryptionScreen #whose { layout: horizontal; }
    EncryptionScreen #whose RadioButton { margin-right: 2; }
    EncryptionScreen #code { text-style: bold; margin: 1 0 0 4; height: auto; }
    EncryptionScreen .buttons { height: auto; margin-top: 1; }
    EncryptionScreen .buttons Button { margin-right: 2; }
    """

    class Finished(Message):
        """The work thread's result (posted, never waited on: see save_drafts)."""

        def __init__(self, result: dict) -> None:
            super().__init__()
            self.result = result

    def __init__(self, mode: str) -> None:
        super().__init__()
        assert mode in MODES, mode
        self.mode = mode
        self.sub_title = MODES[mode][0]
        self.step = ""
        self._given: dict[str, str] = {}  # slot -> passphrase, only while turning encryption on
        self._busy = False
        self._changed = False
        self._code_shown = False  # a code is on screen: leaving asks that it was written down
        self._idle = threading.Event()  # set while no work runs
        self._idle.set()

    HELP = (
        "Encryption keeps Hearth's words unreadable to anyone who gets its files without a passphrase. "
        "Each of you has your own passphrase (either one opens Hearth), and a recovery code can open it "
        "if both are forgotten. Nothing you type here is shown. Esc leaves without changing anything, "
        "until Hearth has started writing."
    )

    # -- names and places -------------------------------------------------------------------------
    def names(self) -> tuple[str, str]:
        couple = self.app.couple
        return (couple[0].name, couple[1].name) if couple else ("Partner 1", "Partner 2")

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="crypt-body", can_focus=False)
        yield HearthFooter()

    async def on_mount(self) -> None:
        first = {"on": "partner-0", "change": "change"}.get(self.mode, "confirm")
        await self.show(first)

    async def show(self, step: str, **extra: Any) -> None:
        """Put one step on screen (the body is built again; nothing typed is carried across)."""
        self.step = step
        body = self.query_one("#crypt-body", VerticalScroll)
        await body.remove_children()
        a, b = self.names()
        title = {"partner-0": f"1 of 3: {a}'s passphrase", "partner-1": f"2 of 3: {b}'s passphrase",
                 "recovery": "3 of 3: a recovery code"}.get(step)
        await body.mount_all([*([Static(title, id="crypt-title")] if title else []), *self.widgets(step, **extra)])
        body.scroll_home(animate=False)
        # The first decision first: on "change", whose passphrase it is (the one marked is only who
        # opened Hearth); Enter there takes it and goes on to the new passphrase.
        focus = next(iter(self.query("#whose, #new, #recovery, #keep, #code-written, #done")), None)
        if focus is not None:
            focus.focus()

    def widgets(self, step: str, **extra: Any) -> list:
        a, b = self.names()
        store = self.app.store
        folder = linked_folder(store)
        if step.startswith("partner-"):
            index = int(step[-1])
            name = (a, b)[index]
            if index == 0:
                words = (f"{name}, choose a passphrase of your own. Nothing shows as you type. Either of "
                         "your passphrases will open Hearth.")
            else:
                words = (f"{name}, choose a passphrase of your own, or leave both fields empty to add one "
                         "later in Settings. Nothing shows as you type.")
            out = [Static(words, classes="words"), *self.passphrase_fields(name)]
            buttons = [Button("Next", id="next", variant="primary")]
            if index == 1:
                buttons.append(Button("Add mine later", id="later"))
            return out + [Horizontal(*buttons, Button("Cancel", id="cancel"), classes="buttons")]
        if step == "recovery":
            out = [Static("A recovery code opens Hearth if you both forget your passphrases. It is shown "
                          "once, for you to write down on paper.", classes="words"),
                   RadioSet(MarkedRadioButton("Make a recovery code (recommended)", id="with-code", value=True),
                            MarkedRadioButton("No recovery code", id="no-code"), id="recovery"),
                   Static(NO_RECOVERY, classes="words")]
            if folder:
                out.append(Static(self.linked_on_words(folder), classes="muted"))
            return out + [Static("", id="crypt-status"),
                          Horizontal(Button("Lock Hearth", id="go", variant="primary"), Button("Cancel", id="cancel"),
                                     classes="buttons")]
        if step == "change":
            slots = set(store.slots())
            opened = store.unlocked_with or ""
            buttons = []
            for i, name in enumerate((a, b)):
                label = f"{name}'s" + ("" if slot_of(i) in slots else " (none yet)")
                buttons.append(MarkedRadioButton(label, id=f"whose-{i}", value=opened == slot_of(i)))
            out = [Static("Whose passphrase? The other one and the recovery code keep working.", classes="words"),
                   WhoseChoice(*buttons, id="whose")]
            out += self.passphrase_fields("the")
            if folder:
                out.append(Static("This changes it on this computer. The Hearth on the other computer keeps "
                                  "opening with the passphrase it had: change it there too.", classes="muted"))
            return out + [Horizontal(Button("Change it", id="go", variant="primary"), Button("Cancel", id="cancel"),
                                     classes="buttons")]
        if step == "confirm":
            return self.confirm_widgets(folder)
        if step == "working":
            return [Static(MODES[self.mode][1], classes="words"),
                    Static("This takes a moment. Please leave Hearth open until it is done.", classes="muted"),
                    Static("Working…", id="crypt-status")]
        if step == "code":
            return self.code_widgets(extra.get("code"), extra.get("notes", []))
        raise ValueError(step)

    def passphrase_fields(self, whose: str) -> list:
        return [Label("New passphrase" if whose == "the" else f"{whose}'s new passphrase"),
                Input(password=True, id="new", placeholder="A few words only you would put together"),
                Label("The same again"),
                Input(password=True, id="again", placeholder="Type it again"),
                Static("", id="crypt-status")]

    def linked_on_words(self, folder: str) -> str:
        return (f"This Hearth is linked to {folder}. Its changes go there encrypted from now on, and the "
                "other computer can't read them until it takes the key: there, quit Hearth and run "
                f"hearth unlink, then hearth link {folder}, which asks for one of these passphrases.")

    def confirm_widgets(self, folder: str | None) -> list:
        if self.mode == "off":
            words = ("Turn encryption off? Hearth's file and its backups are written again as plain text: "
                     "anyone who can read this computer account's files can then read your words. Hearth "
                     "stops asking for a passphrase, and the passphrases and the recovery code stop "
                     "mattering (turning it on again makes new ones).")
            more = (f"This Hearth is linked to {folder}. The other computer's Hearth stays encrypted, and "
                    "until it is turned off there too, the two merge nothing from each other."
                    ) if folder else None
            go = "Turn encryption off"
        elif self.mode == "code":
            had = "recovery" in self.app.store.slots()
            words = ("Make a new recovery code? " + ("The old code stops opening Hearth. " if had else "")
                     + "The new one is shown once, for you to write down.")
            more = ("On the other computer, its Hearth keeps the code it had: make a new one there too."
                    ) if folder else None
            go = "Make a new code"
        else:
            words = f"Remove the recovery code? It will no longer open Hearth. {NO_RECOVERY}"
            more = ("On the other computer, its Hearth keeps the code it had until you remove it there too."
                    ) if folder else None
            go = "Remove the code"
        out = [Static(words, classes="words")]
        if more:
            out.append(Static(more, classes="muted"))
        return out + [Static("", id="crypt-status"),
                      Horizontal(Button("Keep it as it is", id="keep", variant="primary"),
                                 Button(go, id="go", variant="error" if self.mode == "off" else "default"),
                                 classes="buttons")]

    def code_widgets(self, code: str | None, notes: list[str]) -> list:
        out: list = []
        if self.mode == "on":
            a, b = self.names()
            out.append(Static("Hearth is encrypted now. It will ask for a passphrase each time it opens; "
                              "ctrl+l locks it at once.", classes="words"))
            if "partner-2" not in self.app.store.slots():
                out.append(Static(f"{b} can add a passphrase of their own in Settings.", classes="muted"))
        if code:
            out += [Static(CODE_ONCE, classes="words"), Static(code, id="code"), Static(NO_RECOVERY, classes="words"),
                    MarkedCheckbox("I have written the code down", id="code-written")]
        else:
            out.append(Static("There is no recovery code. " + NO_RECOVERY, classes="words"))
        out += [Static(note, classes="muted") for note in notes]
        return out + [Static("", id="crypt-status"), Horizontal(Button("Done", id="done", variant="primary"),
                                                                 classes="buttons")]

    def status(self, text: str, problem: bool = False) -> None:
        for found in self.query("#crypt-status"):
            found.update(text)
            found.set_class(problem, "problem")

    # -- typing -----------------------------------------------------------------------------------
    def on_whose_choice_chosen(self, event: WhoseChoice.Chosen) -> None:
        """Enter on whose passphrase it is: on to typing the new one."""
        event.stop()
        self.status("")
        self.query_one("#new", Input).focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "new":
            self.query_one("#again", Input).focus()
        elif event.input.id == "again":
            await self.action_next()

    def typed_pair(self, *, optional: bool = False) -> str | None:
        """The passphrase typed twice, or None (and a word why) when it can't be used. Both
        fields are emptied either way: what was typed stays nowhere but in the return value.
        `optional`: both left empty is "later", returned as ""."""
        new, again = self.query_one("#new", Input), self.query_one("#again", Input)
        first, second = new.value, again.value
        new.value = again.value = ""
        new.focus()
        if optional and not first and not second:
            return ""
        if len(first) < MIN_LENGTH:
            self.status(SHORT, problem=True)
            return None
        if first != second:
            self.status(MISMATCH, problem=True)
            return None
        return first

    async def action_next(self) -> None:
        if self._busy:
            return
        if self.step.startswith("partner-"):
            await self.next_partner(later=False)
        elif self.step == "change":
            await self.change()

    async def next_partner(self, *, later: bool) -> None:
        index = int(self.step[-1])
        if later:
            for field in self.query(Input):
                field.value = ""
            secret: str | None = ""
        else:
            secret = self.typed_pair(optional=index == 1)
        if secret is None:
            return
        if secret and index == 1 and same_passphrase(secret, self._given.get("partner-1", "")):
            # Allowed by the file, refused here: changing "your own" later would leave the old one
            # opening Hearth through the other's slot, which is what changing it was meant to stop.
            self.status(f"That is the same as {self.names()[0]}'s. Each of you needs your own, so changing "
                        "one really retires it; or leave it empty and add it later.", problem=True)
            return
        if secret:
            self._given[slot_of(index)] = secret
        await self.show("partner-1" if index == 0 else "recovery")

    # -- buttons ----------------------------------------------------------------------------------
    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        which = event.button.id
        if which == "cancel" or which == "keep":
            self.leave()
        elif which == "next":
            await self.action_next()
        elif which == "later":
            await self.next_partner(later=True)
        elif which == "go":
            await self.go()
        elif which == "done":
            self.finish()

    def on_checkbox_changed(self, event: MarkedCheckbox.Changed) -> None:
        if event.checkbox.id == "code-written" and event.value:
            self.status("")

    async def go(self) -> None:
        """The last press before Hearth writes: each mode's change, in a thread, once."""
        if self._busy:
            return
        if self.step == "change":
            await self.change()
            return
        store = self.app.store
        if self.mode == "on":
            pressed = self.query_one("#recovery", RadioSet).pressed_button
            recovery = pressed is None or pressed.id == "with-code"
            given = dict(self._given)
            self._given.clear()
            await self.start(lambda: self.encrypt(store, given, recovery))
        elif self.mode == "off":
            await self.start(lambda: self.decrypt(store))
        elif self.mode == "code":
            await self.start(lambda: {"code": self.locked(store, store.new_recovery_code)})
        elif self.mode == "remove-code":
            await self.start(lambda: self.remove_code(store))

    async def change(self) -> None:
        pressed = self.query_one("#whose", RadioSet).pressed_button
        if pressed is None:
            for field in self.query(Input):
                field.value = ""
            self.status("Please choose whose passphrase this is.", problem=True)
            self.query_one("#whose", RadioSet).focus()
            return
        index = int((pressed.id or "whose-0")[-1])
        secret = self.typed_pair()
        if secret is None:
            return
        store = self.app.store

        def work() -> dict:
            if store.check_passphrase(secret):
                return {"problem": "That one opens Hearth already (it is a passphrase of yours now, or your "
                                   "partner's). Please choose a new one of your own."}
            self.locked(store, lambda: store.set_passphrase(slot_of(index), secret))
            return {"changed": index}

        await self.start(work, working_step=False)

    # -- the work, in a thread --------------------------------------------------------------------
    @staticmethod
    def locked(store: Any, what: Callable[[], Any]) -> Any:
        with hold_merges(store):
            return what()

    @staticmethod
    def encrypt(store: Any, given: dict[str, str], recovery: bool) -> dict:
        with hold_merges(store):
            code = store.encrypt(given, recovery=recovery)
        given.clear()
        return {"code": code, "notes": list(store.convert_problems)}

    @staticmethod
    def remove_code(store: Any) -> dict:
        with hold_merges(store):
            if "recovery" in store.slots():
                store.remove_slot("recovery")
        return {}

    @staticmethod
    def decrypt(store: Any) -> dict:
        with hold_merges(store):
            store.decrypt()
        set_setting(store, "lock_minutes", 0)  # nothing to lock with now: the idle lock stops too
        return {"notes": list(store.convert_problems)}

    async def start(self, work: Callable[[], Any], *, working_step: bool = True) -> None:
        """Run `work` in a thread, once: a second press meanwhile does nothing. (Not Textual's
        @work: it keeps its arguments' repr, a passphrase, as the worker's description.)"""
        self._busy = True
        for button in self.query(Button):
            button.disabled = True
        if working_step:
            await self.show("working")
        else:
            self.status("Working…")

        def run() -> None:
            try:
                result = work() or {}
            except StoreError as exc:
                result = {"problem": f"{exc} Nothing else was changed."}
            except Exception as exc:  # never a traceback here, and never the message (it could quote)
                result = {"problem": f"Hearth could not do it ({type(exc).__name__}). Nothing else was changed."}
            self._idle.set()
            self.post_message(self.Finished(result))

        # A thread of its own, not a Textual worker: it starts at once, without waiting for the
        # event loop, so quitting right after the press still finds it running and waits for it.
        self._idle.clear()
        threading.Thread(target=run, name="hearth-encryption", daemon=False).start()

    async def on_encryption_screen_finished(self, message: "EncryptionScreen.Finished") -> None:
        await self.done(message.result)

    def save_drafts(self) -> None:
        """Called by the app on every screen before it quits (and before Lock now): a change of
        key half-done would leave backups in the old form while the file has the new one, so the
        app waits here until the work thread has finished (it cannot be stopped half-way)."""
        self._idle.wait(timeout=300)

    async def done(self, result: dict) -> None:
        self._busy = False
        problem = result.get("problem")
        if problem:
            if self.step == "working":  # turning on or off failed: say so where it happened
                await self.show("confirm" if self.mode != "on" else "recovery")
            for button in self.query(Button):
                button.disabled = False
            self.status(problem, problem=True)
            return
        self._changed = True
        self.after_change()
        if "changed" in result:
            name = self.names()[result["changed"]]
            self.leave(f"{name}'s passphrase is changed. The other passphrase and the recovery code work as before.")
            return
        if self.mode in ("on", "code"):
            self._code_shown = bool(result.get("code"))
            await self.show("code", code=result.get("code"), notes=result.get("notes", []))
            return
        if self.mode == "off":
            words = "Encryption is off. Hearth's file and its backups are plain text again."
        else:
            words = f"The recovery code no longer opens Hearth. {NO_RECOVERY}"
        for note in result.get("notes", []):
            words += f" Note: {note}."
        self.leave(words)

    def after_change(self) -> None:
        """The linked folder hears of the change at once (the idle lock's check runs always and
        looks at whether Hearth is encrypted each time)."""
        homes = getattr(self.app, "homes", None)
        if homes is not None:
            homes.soon()  # the folder gets this computer's files encrypted now

    # -- leaving ----------------------------------------------------------------------------------
    def finish(self) -> None:
        if self._code_shown and not self.query_one("#code-written", MarkedCheckbox).value:
            self.status("Please write the code down and tick the box: it is not shown again.", problem=True)
            self.query_one("#code-written", MarkedCheckbox).focus()
            return
        self.leave()

    def action_back(self) -> None:
        if self._busy:
            self.status("Please wait a moment: Hearth is writing the file, and stopping half-way is not safe.")
            return
        if self.step == "code":
            self.finish()
            return
        self.leave()

    def leave(self, words: str | None = None) -> None:
        self._given.clear()
        for field in self.query(Input):
            field.value = ""
        self._code_shown = False
        if words:
            self.app.notify(words, title="Encryption", timeout=8, markup=False)
        self.dismiss(self._changed)
