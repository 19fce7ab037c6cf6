"""One finished week, to read, and the export of all weeks."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from ...widgets.footer import HearthFooter
from ...core.content import help_text
from ...core.reflection import IsoWeek
from ...store import reflections as store_r


class WeekScreen(Screen[None]):
    """One finished week, to read together, and to export."""

    SUB_TITLE = "Weekly reflection"
    HELP = help_text("reflection", "WeekScreen")
    BINDINGS = [
        Binding("e", "export", "Export this week", id="reflection.week.export"),
        Binding("escape", "back", "Back", id="reflection.week.back"),
    ]
    DEFAULT_CSS = """
    WeekScreen #week-scroll { height: 1fr; padding: 0 1; }
    WeekScreen #export-note { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, week: IsoWeek) -> None:
        super().__init__()
        self.week = week

    def compose(self) -> ComposeResult:
        # Imported here: Markdown brings markdown-it, 140 ms of the reflection screen's first open.
        from textual.widgets import Markdown

        yield Header()
        with VerticalScroll(id="week-scroll"):
            yield Markdown(store_r.week_markdown(self.app.store, self.week), id="week-md")
        yield Static("", id="export-note")
        yield HearthFooter()

    def on_mount(self) -> None:
        self.query_one("#week-scroll").focus()

    def action_export(self) -> None:
        try:
            path = store_r.export_week(self.app.store, self.week)
        except OSError as exc:
            self.notify(f"Could not write the file: {exc.strerror or exc}", severity="error")
            return
        self.query_one("#export-note", Static).update(Text(f"Saved to {path}"))
        self.notify(f"{self.week.label} saved to {path}", title="Exported", timeout=8)

    def action_back(self) -> None:
        self.dismiss()


def export_all(screen: Screen) -> None:
    app = screen.app
    if not store_r.all_reflections(app.store):
        screen.notify("There is nothing to export yet.", timeout=4)
        return
    try:
        path = store_r.export_all(app.store, app.clock.now())
    except OSError as exc:
        screen.notify(f"Could not write the file: {exc.strerror or exc}", severity="error")
        return
    screen.query_one("#export-note", Static).update(Text(f"All weeks saved to {path}"))
    screen.notify(f"All weeks saved to {path}", title="Exported", timeout=8)
