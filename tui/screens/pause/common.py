"""Shared pieces of the pause screens: the base class, the phrases panel, the conflict agreements,
the pause words and the watch that rings the bell off-screen."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core.content import load
from ...core.pause import Pause, clock_label, pause_words
from ...core.timewords import at_clock
from ...store import pauses as pause_store
from ...store.profile import setting

#: "tui" in the source tree, "hearth" once installed: module names here are built on it.
_TOP_PACKAGE = (__package__ or __name__).partition(".")[0]

AGREEMENTS_MODULE = f"{_TOP_PACKAGE}.store.agreements"
WATCH_SECONDS = 1.0


def texts() -> dict[str, Any]:
    return load("pause")


class PauseScreenBase(Screen[None]):
    """Every full pause screen derives from this, so ctrl+t knows a pause is already showing."""

    SUB_TITLE = "Pause"
    DEFAULT_CSS = """
    PauseScreenBase #body { height: 1fr; padding: 0 2; }
    """

    def active(self) -> Pause | None:
        return pause_store.active(self.app.store)

    def save(self, pause: Pause) -> None:
        pause_store.save_active(self.app.store, pause)

    def now(self):
        return self.app.clock.now()

    def go_next(self) -> None:
        """Show the screen for the pause's current phase in place of this one (or leave if it's over).

        Asked of the app, so this base class need not import the phase screens that derive from it."""
        self.app.show_pause_phase(self)

    def action_phrases(self) -> None:
        self.app.push_screen(PhrasesScreen())

    def action_leave(self) -> None:
        """Step away from the pause screens; the pause keeps going (ctrl+t or 2 brings it back)."""
        if self.app.screen is self:
            self.dismiss()


def pause_screen_showing(app: App) -> bool:
    return any(isinstance(s, PauseScreenBase) for s in app.screen_stack)


# -- the agreements and the words ---------------------------------------------------------------------
def _field(item: Any, name: str) -> str:
    value = item.get(name) if isinstance(item, dict) else getattr(item, name, "")
    return str(value or "")


def conflict_agreements(store) -> list[tuple[str, str]]:
    """(title, text) of the couple's current conflict agreements, if the agreements feature exists."""
    try:
        if importlib.util.find_spec(AGREEMENTS_MODULE) is None:
            return []
        finder = getattr(importlib.import_module(AGREEMENTS_MODULE), "current_in_category", None)
        if not callable(finder):
            return []
        items = finder(store, "conflict") or []
    except Exception:
        return []  # the pause must always open, whatever happens elsewhere
    out = []
    for item in items:
        title, text = _field(item, "title").strip(), _field(item, "text").strip()
        if title or text:
            out.append((title, text))
    return out


def words_for(store, pause_deadline, now) -> str:
    """The pause words with the return time filled in."""
    custom = setting(store, "pause_words", "") or ""
    agreements = [text for _, text in conflict_agreements(store)]
    return pause_words(str(custom), agreements, texts()["default_words"], clock_label(pause_deadline, now),
                       at_clock(pause_deadline, now))


# -- the bell, even when the pause screen isn't showing -----------------------------------------------
def ring_if_due(app: App, pause: Pause) -> bool:
    """Ring once per return time. Returns True if it rang (or would have, with the bell off)."""
    now = app.clock.now()
    if not pause.time_up(now) or pause.bell_for == pause.deadline:
        return False
    pause.bell_for = pause.deadline
    pause_store.save_active(app.store, pause)
    if setting(app.store, "bell", True) is not False:
        app.bell()
    return True


def _watch(app: App) -> None:
    stack = app.screen_stack  # empty while the app is closing: the timer can still fire then
    if not stack or getattr(app, "couple", None) is None or isinstance(stack[-1], PauseScreenBase):
        return
    pause = pause_store.active(app.store)
    if pause is not None and ring_if_due(app, pause):
        app.notify("Your pause time is up. Press ctrl+t when you're both ready to check in.",
                   title="Pause", timeout=30)


def ensure_watch(app: App) -> None:
    """One app-wide timer that notices a pause ending while another screen is showing."""
    if getattr(app, "_hearth_pause_watch", None) is None:
        app._hearth_pause_watch = app.set_interval(WATCH_SECONDS, lambda: _watch(app), name="pause-watch")


# -- repair phrases -------------------------------------------------------------------------------------
class PhrasesScreen(ModalScreen[None]):
    """A panel of ready phrases to point at, when finding words is hard."""

    SUB_TITLE = "Repair phrases"
    HELP = (
        "Phrases to point at when words are hard to find. Move with the arrows; Enter shows a phrase "
        "large at the top, so the other person can read it. Esc or F2 closes the panel."
    )
    BINDINGS = [Binding("escape,f2", "close", "Close", id="pause.phrases.close")]
    DEFAULT_CSS = """
    PhrasesScreen { align: center middle; }
    PhrasesScreen #phrases-box {
        width: 76; max-width: 100%; height: 90%; max-height: 28;
        border: round $primary; background: $surface; padding: 0 1;
    }
    PhrasesScreen #phrases-title { text-style: bold; height: 1; }
    PhrasesScreen #phrase-shown {
        height: auto; min-height: 3; padding: 0 1; margin: 0 0 1 0;
        border: tall $accent; text-style: bold;
    }
    PhrasesScreen #phrase-list { height: 1fr; }
    PhrasesScreen #phrases-hint { height: 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="phrases-box"):
            yield Static("Repair phrases · point at one instead of finding words", id="phrases-title")
            yield Static("Choose a phrase with Enter and it shows here, large.", id="phrase-shown")
            options: list[Option] = []
            for group in texts()["phrase_groups"]:
                options.append(Option(Text(group["title"], style="bold underline"), disabled=True))
                for i, phrase in enumerate(group["phrases"]):
                    options.append(Option(f"  {phrase}", id=f"{group['id']}-{i}"))
            yield OptionList(*options, id="phrase-list")
            yield Static("Enter shows a phrase · Esc closes", id="phrases-hint")

    def on_mount(self) -> None:
        self.query_one("#phrase-list", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        phrase = str(event.option.prompt).strip()
        self.query_one("#phrase-shown", Static).update(Text(f"“{phrase}”"))

    def action_close(self) -> None:
        self.dismiss()
