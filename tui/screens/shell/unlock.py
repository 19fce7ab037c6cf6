"""The unlock screen: at start for an encrypted Hearth, and again after Lock now or the idle lock.

The passphrase is checked in a thread (Argon2id takes a few tenths of a second and lets go of the
GIL), so the screen keeps drawing. A wrong one says so and changes nothing; there is no limit of
tries, so a couple can never be locked out by typing.
"""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

#: What a try returns: None when it opened, else the words to show (the screen stays).
Attempt = Callable[[str], "str | None"]


class UnlockScreen(Screen[bool]):
    """A masked field for a partner's passphrase or the recovery code. `attempt` runs in a thread;
    the screen is dismissed with True once it opens."""

    SUB_TITLE = "Locked"
    AUTO_FOCUS = "#passphrase"
    HELP = (
        "This Hearth is encrypted. Type either partner's passphrase, or the recovery code, and press "
        "Enter. Nothing is shown as you type. ctrl+q leaves."
    )
    DEFAULT_CSS = """
    UnlockScreen { align: center middle; }
    UnlockScreen #unlock { width: 60; max-width: 100%; height: auto; padding: 1 2; border: round $primary; }
    UnlockScreen #unlock-title { text-style: bold; margin-bottom: 1; }
    UnlockScreen #unlock-status { height: auto; min-height: 1; margin-top: 1; }
    UnlockScreen #unlock-status.problem { color: $error; }
    UnlockScreen #unlock-hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, attempt: Attempt, *, relock: bool = False) -> None:
        super().__init__()
        self._attempt = attempt
        self._relock = relock
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock"):
            yield Static("Hearth is locked." if self._relock else "This Hearth is locked.", id="unlock-title")
            yield Input(password=True, placeholder="Passphrase or recovery code", id="passphrase")
            yield Static("", id="unlock-status")
            yield Static("Either partner's passphrase opens it, and so does the recovery code. "
                         "Press Enter to open, ctrl+q to leave.", id="unlock-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._busy or not event.value:
            return
        self._busy = True
        self._status("Opening…")
        secret = event.value
        # Not @work: it keeps the repr of its arguments (the passphrase) as the worker's description.
        self.run_worker(lambda: self._try(secret), thread=True, exclusive=True, description="opening Hearth")

    def _try(self, secret: str) -> None:
        try:
            problem = self._attempt(secret)
        except Exception as exc:  # never a traceback on this screen
            problem = f"Hearth could not open it: {exc}"
        self.app.call_from_thread(self._done, problem)

    def _done(self, problem: str | None) -> None:
        self._busy = False
        field = self.query_one("#passphrase", Input)
        if problem is None:
            field.value = ""
            self.dismiss(True)
            return
        field.value = ""
        field.focus()
        self._status(problem, problem=True)

    def _status(self, text: str, *, problem: bool = False) -> None:
        status = self.query_one("#unlock-status", Static)
        status.update(text)
        status.set_class(problem, "problem")
