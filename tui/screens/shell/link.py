"""Two homes, from Settings: link this Hearth to a synced folder, see when the other computer was
last heard from, or unlink.

Linking merges once (the first computer sends everything; a new one gets everything), which can
take a moment with years of data: it runs in a thread, and the screen says what it is doing.
"""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, RadioSet, Static

from ...store import sync_watch
from ...store.homes_status import heard_line
from ...widgets.footer import HearthFooter
from ...widgets.text_input import TextInput
from ...widgets.toggles import MarkedRadioButton

#: The answers to "whose computer is this?", as the link keeps them.
WHOSE = (("whose-0", 0), ("whose-1", 1), ("whose-both", None))


def folder_problem(raw: str) -> str | None:
    """What is wrong with a typed folder before Hearth tries it, in words, or None."""
    text = raw.strip()
    if not text:
        return "Type the path of the folder your folder sync keeps on both computers."
    folder = Path(os.path.abspath(Path(text).expanduser()))
    if folder.exists() and not folder.is_dir():
        return f"{folder} is a file, not a folder. Type the folder that holds it, or a new folder's path."
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        return f"Hearth can't write in {existing}. Choose a folder of your own, or change its permissions."
    return None


class WhoseChoice(RadioSet):
    """Whose computer (or, in Encryption, whose passphrase) this is. Space marks a choice; Enter
    marks it and says it is chosen (even the one already marked), so the screen goes on."""

    BINDINGS = [Binding("enter", "choose", "Choose", show=False)]

    class Chosen(Message):
        pass

    def action_choose(self) -> None:
        self.action_toggle_button()
        self.post_message(self.Chosen())


#: Said when Enter in the folder box finds whose computer this is not chosen yet.
ASK_WHOSE = "Now say whose computer this is: ↑ ↓ to choose, then Enter to link."
#: Said when the folder holds an encrypted home's key: this one takes the same key.
ASK_PASSPHRASE = "Type a passphrase of either of you (or the recovery code), then Enter."


class LinkScreen(Screen[None]):
    SUB_TITLE = "Two homes"
    HELP = (
        "Each of you can have Hearth on your own computer, kept together through a folder that a "
        "folder sync (Syncthing, Nextcloud, a network share) keeps the same on both. Type the folder's "
        "path, say whose computer this is, and press Link. The second computer links to the same "
        "folder and gets everything from the first. Unlink stops; the folder is left as it is."
    )
    AUTO_FOCUS = "#folder"
    BINDINGS = [Binding("escape", "back", "Back", id="shell.link.back")]
    DEFAULT_CSS = """
    LinkScreen #link-body { padding: 0 2; }
    LinkScreen Label { margin-top: 1; }
    LinkScreen #whose { height: auto; width: 100%; }
    LinkScreen #link-pass-row { height: auto; }
    LinkScreen #link-status { height: auto; margin-top: 1; }
    LinkScreen #link-status.problem { color: $error; }
    LinkScreen #linked-info { height: auto; margin-top: 1; }
    LinkScreen .muted { height: auto; margin-top: 1; color: $text-muted; }
    LinkScreen #notes-title { height: auto; margin-top: 1; }
    LinkScreen .notes { height: auto; color: $warning; }
    LinkScreen .buttons { height: auto; margin-top: 1; }
    LinkScreen .buttons Button { margin-right: 2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._busy = False
        self._whose_chosen = False  # the person chose whose computer this is (not only the default)

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="link-body", can_focus=False)
        yield HearthFooter()

    async def on_mount(self) -> None:
        await self.show()

    async def show(self) -> None:
        body = self.query_one("#link-body", VerticalScroll)
        await body.remove_children()
        doc = sync_watch.link_doc(self.app.store)
        if doc is None:
            await body.mount_all(self.unlinked_widgets())
            self.query_one("#folder", Input).focus()
        else:
            await body.mount_all(self.linked_widgets(doc))
            self.query_one("#unlink", Button).focus()

    def names(self) -> tuple[str, str]:
        couple = self.app.couple
        return (couple[0].name, couple[1].name) if couple else ("Partner 1", "Partner 2")

    def unlinked_widgets(self) -> list:
        a, b = self.names()
        return [
            Static("Keep this Hearth together with the one on your partner's computer, through a folder "
                   "your folder sync keeps the same on both. Nothing goes anywhere else."),
            Label("The synced folder"),
            TextInput(placeholder="e.g. ~/Sync/hearth", id="folder"),
            Label("Whose computer is this?"),
            WhoseChoice(MarkedRadioButton(f"{a}'s", id="whose-0", value=True), MarkedRadioButton(f"{b}'s", id="whose-1"),
                        MarkedRadioButton("Both of you use it", id="whose-both"), id="whose"),
            Vertical(id="link-pass-row"),  # a passphrase box, only when the folder's home is encrypted
            Static("", id="link-status"),
            Horizontal(Button("Link", id="link", variant="primary"), Button("Back", id="back"), classes="buttons"),
        ]

    def linked_widgets(self, doc: dict) -> list:
        names = self.names()
        me = sync_watch.this_partner(self.app.store)
        return [
            Static(f"This Hearth is linked to {doc.get('folder')}.", id="linked-folder"),
            Static(heard_line(self.app.store, me, names, self.app.clock.now()), id="linked-info"),
            *self.notes_widgets(),
            Static("Unlinking stops merging with the other computer. Everything here stays, and the "
                   "folder is left as it is.", classes="muted"),
            Static("", id="link-status"),
            Horizontal(Button("Unlink", id="unlink"), Button("Back", id="back"), classes="buttons"),
        ]

    def notes_widgets(self) -> list:
        """What the last merge left out, in full (the notice that told of it is short)."""
        report = getattr(getattr(self.app, "homes", None), "last_report", None)
        notes = list(getattr(report, "problems", None) or [])
        if not notes:
            return []
        return [Static("Left out at the last merge (each is tried again at the next):", id="notes-title"),
                Static(Text("\n".join(f"• {n}" for n in notes)), id="folder-notes", classes="notes")]

    def status(self, text: str, problem: bool = False) -> None:
        for found in self.query("#link-status"):
            found.update(text)
            found.set_class(problem, "problem")

    # -- linking ----------------------------------------------------------------------------------
    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "link":
            self.action_link()
        elif event.button.id == "unlink":
            self.ask_unlink()
        elif event.button.id == "back":
            self.action_back()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the folder box: link, or first ask whose computer this is if not chosen yet
        (the marked default could be the wrong partner's)."""
        event.stop()
        if event.input.id == "link-pass":
            self.action_link()
            return
        problem = folder_problem(event.value)
        if problem:
            self.status(problem, problem=True)
            return
        if self._whose_chosen:
            self.action_link()
            return
        self.status(ASK_WHOSE)
        self.query_one("#whose", RadioSet).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id == "whose" and event.radio_set.has_focus:  # a click, or a key
            self._whose_chosen = True

    def on_whose_choice_chosen(self, event: WhoseChoice.Chosen) -> None:
        """Enter on whose computer this is: the last thing needed, so it links."""
        event.stop()
        self._whose_chosen = True
        self.action_link()

    def action_link(self) -> None:
        if self._busy or not self.query("#folder"):
            return
        raw = self.query_one("#folder", Input).value
        problem = folder_problem(raw)
        if problem:
            self.status(problem, problem=True)
            self.query_one("#folder", Input).focus()
            return
        pressed = self.query_one("#whose", RadioSet).pressed_button
        partner = dict(WHOSE).get(pressed.id if pressed else "whose-0")
        folder = Path(raw.strip()).expanduser()
        secret = None
        boxes = self.query("#link-pass")
        if boxes:
            box = boxes.first(Input)
            secret, box.value = box.value, ""  # never kept on screen once used
            if not secret:
                self.status(ASK_PASSPHRASE)
                box.focus()
                return
        elif self._needs_passphrase(folder):
            row = self.query_one("#link-pass-row", Vertical)
            row.mount(Label("The other home is encrypted; this one will be too, with the same key."),
                      Input(password=True, placeholder="Passphrase or recovery code", id="link-pass"))
            self.status(ASK_PASSPHRASE)
            self.call_after_refresh(self._ask_passphrase)
            return
        self._busy = True
        self.status("Opening the other home's key and linking…" if secret else "Linking and merging for the first time…")
        self.link_in_thread(folder, partner, secret)

    def _ask_passphrase(self) -> None:
        """The box has the keyboard, and the words that say why are in view (at 80x24 they fall
        below the box)."""
        self.query_one("#link-pass", Input).focus()
        self.query_one("#link-status", Static).scroll_visible(animate=False)

    def _needs_passphrase(self, folder: Path) -> bool:
        from ...store.sync import needs_passphrase

        try:
            return needs_passphrase(self.app.store, folder)
        except OSError:
            return False  # linking itself says what is wrong with the folder

    def link_in_thread(self, folder: Path, partner: int | None, secret: str | None = None) -> None:
        # Not @work: it would keep the repr of its arguments (a passphrase) as the worker's description.
        self.run_worker(lambda: self._link(folder, partner, secret), thread=True, exclusive=True,
                        group="link", description="linking")

    def _link(self, folder: Path, partner: int | None, secret: str | None) -> None:
        from ...store.sync import SyncError, link

        try:
            found, report = link(self.app.store, folder, partner, self.app.clock.now(), passphrase=secret)
        except SyncError as exc:
            self.app.call_from_thread(self.linked, None, str(exc))
            return
        except OSError as exc:
            self.app.call_from_thread(self.linked, None,
                                      f"Hearth could not use {folder} ({exc.strerror or exc}). Nothing was changed.")
            return
        words = ("Linked, and everything from the other computer came in." if report.came_in else
                 "Linked. On the other computer, link Hearth to this same folder.")
        if report.problems:
            words += " " + " ".join(report.problems)
        self.app.call_from_thread(self.linked, words, None)

    async def linked(self, words: str | None, problem: str | None) -> None:
        self._busy = False
        if problem:
            self.status(problem, problem=True)
            for box in self.query("#link-pass"):
                box.focus()  # a wrong passphrase: type it again, nothing was changed
            return
        self.app.start_homes()
        await self.show()
        self.status(words or "Linked.")  # said here, where it is read, not in a notice over it

    # -- unlinking --------------------------------------------------------------------------------
    def ask_unlink(self) -> None:
        from ..agreements.parts import ChoiceDialog

        self.app.push_screen(
            ChoiceDialog("Unlink this Hearth? It stops merging with the other computer. Everything here "
                         "stays, and so does the folder.", [("keep", "Stay linked"), ("unlink", "Unlink")]),
            self.after_unlink_question)

    async def after_unlink_question(self, choice: str | None) -> None:
        if choice != "unlink":
            return
        from ...store.sync import unlink

        self.app.stop_homes()
        found = unlink(self.app.store)
        await self.show()
        if found is not None:
            self.status(f"Unlinked. {found.folder} was left as it is.")

    def action_back(self) -> None:
        if not self._busy:
            self.dismiss()
