"""Help for the screen underneath: its keys, and a short 'how this works'."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

#: The app-wide actions, with the keys shown when a screen's bindings cannot be read.
GLOBAL_KEYS = (
    ("help", "F1 or ?", "this help"),
    ("pause", "ctrl+t", "take a time-out (pause), from anywhere"),
    ("command_palette", "ctrl+p", "command palette: every activity, search, export, themes"),
    ("quit", "ctrl+q", "quit (everything typed is saved)"),
)


NOISE = {"app.focus_next", "app.focus_previous", "focus_next", "focus_previous", "screen.copy_text", "copy_text"}


def describe_keys(screen: Screen) -> list[tuple[str, str]]:
    """The screen's own keys (not every widget's scrolling keys), as (key, what it does)."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if active.node is not screen or not binding.description or not active.enabled:
            continue
        if binding.system or binding.action in seen or binding.action in NOISE:
            continue
        seen.add(binding.action)
        rows.append((binding.key_display or screen.app.get_key_display(binding), binding.description))
    return rows


def global_keys(screen: Screen) -> list[tuple[str, str]]:
    """The app-wide keys in force on `screen`, remapped ones included (config.toml)."""
    found: dict[str, list[str]] = {}
    for key, active in screen.active_bindings.items():
        action = active.binding.action.removeprefix("app.")
        if active.node is screen.app and action in {a for a, _, _ in GLOBAL_KEYS}:
            display = screen.app.get_key_display(active.binding)
            found.setdefault(action, [])
            if display not in found[action]:
                found[action].append(display)
    return [(" or ".join(found[action]) if found.get(action) else default, what)
            for action, default, what in GLOBAL_KEYS]


class HelpScreen(ModalScreen[None]):
    """A modal over the current screen. Escape, F1, ? or q close it."""

    BINDINGS = [
        Binding("escape,f1,question_mark,q", "dismiss", "Close", show=True),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help-box {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $surface;
        padding: 0 2;
    }
    HelpScreen .help-title { text-style: bold; margin-top: 1; }
    """

    def __init__(self, target: Screen) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        title = getattr(self.target, "SUB_TITLE", None) or "Hearth"
        how = getattr(self.target, "HELP", None) or ""
        keys = describe_keys(self.target)
        with VerticalScroll(id="help-box"):
            yield Static(Text.assemble((f"Help · {title}", "bold"), ("   Esc closes", "dim")), classes="help-title")
            if how:
                yield Static(Text(how.strip()))
            yield Static("Keys on this screen", classes="help-title")
            yield Static(self._table(keys) if keys else Text("Arrow keys, Tab and Enter move and choose."))
            yield Static("Keys everywhere", classes="help-title")
            yield Static(self._table(global_keys(self.target)))

    @staticmethod
    def _table(rows: list[tuple[str, str]]) -> Text:
        width = max(len(k) for k, _ in rows) + 2
        text = Text()
        for i, (key, what) in enumerate(rows):
            if i:
                text.append("\n")
            text.append(key.ljust(width), style="bold")
            text.append(what)
        return text

    def action_dismiss(self) -> None:
        self.dismiss()
