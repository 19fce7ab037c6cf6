"""Home: every activity with its one-key shortcut, and what is due."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from tui import activities
from tui.widgets.footer import HearthFooter
from tui.store.due import due_lines
from tui.widgets.partner import partner_text


class HomeScreen(Screen[None]):
    """The starting point. Keys 1-4 and h open the activities."""

    SUB_TITLE = "Home"
    HELP = (
        "Pick an activity with its key, or with the arrows and Enter. "
        "Question rounds help you keep discovering each other; Pause & repair is for when a "
        "talk gets too hot (ctrl+t works from anywhere); Agreements hold what you both said yes to; "
        "the Weekly reflection looks back on the week. What is due is listed below the activities."
    )
    BINDINGS = [
        Binding("1", "open('1')", "Round", show=False),
        Binding("2", "open('2')", "Pause", show=False),
        Binding("3", "open('3')", "Agreements", show=False),
        Binding("4", "open('4')", "Reflection", show=False),
        Binding("h", "open('h')", "History", show=False),
        Binding("s", "settings", "Settings"),
    ]
    DEFAULT_CSS = """
    HomeScreen #home-body { height: 1fr; padding: 0 1; }
    HomeScreen #couple { height: 1; margin: 1 0 0 0; }
    HomeScreen #activities { height: auto; max-height: 12; margin: 1 0; border: round $primary; }
    HomeScreen #due-title { text-style: bold; }
    HomeScreen #due { height: auto; color: $text; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-body"):
            yield Static(id="couple")
            yield OptionList(id="activities")
            yield Static("What's due", id="due-title")
            with VerticalScroll():
                yield Static(id="due")
        yield HearthFooter()

    def on_screen_resume(self) -> None:
        """Each time home shows (the first push sends ScreenResume too)."""
        self.refresh_home()

    def refresh_home(self) -> None:
        app = self.app
        couple = app.couple
        if couple:
            self.query_one("#couple", Static).update(
                Text.assemble("Hello, ", partner_text(couple[0]), " and ", partner_text(couple[1]), ".")
            )
        options = self.query_one("#activities", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        shown = activities.available()
        title_width = max((len(a.title) for a in shown), default=0)
        for act in shown:
            # a grid, so a blurb that wraps at 80 columns stays in its own column
            row = Table.grid(padding=(0, 2))
            row.add_column(no_wrap=True)
            row.add_column(width=title_width, no_wrap=True)
            row.add_column(ratio=1)
            row.add_row(Text(f" {act.key} ", style="bold reverse"), Text(act.title, style="bold"), Text(act.blurb))
            options.add_option(Option(row, id=act.key))
        if options.option_count:
            options.highlighted = highlighted if highlighted is not None and highlighted < options.option_count else 0
        # the menu paints first; what's due (which reads several stores) follows a moment later
        self.call_after_refresh(self.refresh_due)

    def refresh_due(self) -> None:
        if not self.is_attached:
            return
        due = due_lines(self.app.store, self.app.clock.now())
        self.query_one("#due", Static).update("\n".join(f"• {d}" for d in due) if due else "Nothing is due. Enjoy your day.")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_open(event.option.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return activities.by_key(str(parameters[0])) is not None
        return True

    def action_open(self, key: str) -> None:
        act = activities.by_key(key)
        if act is not None:
            self.app.open_activity(act)

    def action_settings(self) -> None:
        self.app.open_settings()
