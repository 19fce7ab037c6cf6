"""Scores over the weeks, and every past week to open again."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Label, OptionList, Sparkline, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from ...widgets.footer import HearthFooter
from ...core.content import help_text
from ...core import reflection as rules
from ...core.partners import Couple
from ...core.reflection import IsoWeek
from .flow import ReflectionFlowScreen
from .parts import status_line, texts
from .week import WeekScreen, export_all
from ...store import reflections as store_r


class WeekSparkline(Sparkline):
    """A Sparkline on the fixed 1–5 scale, one bar per week (newest on the right); a week
    without a rating shows as a dot, so the lines of one view stay aligned in time."""

    BARS = "▁▂▃▄▅▆▇█"
    DEFAULT_CSS = "WeekSparkline { width: 1fr; height: 1; }"

    def render(self) -> Text:
        data = list(self.data or [])
        width = max(1, self.size.width)
        style = self.get_component_rich_style("sparkline--max-color", partial=True)
        out = Text()
        for value in data[-width:]:
            if value is None:
                out.append("·", style="dim")
            else:
                i = round((max(1.0, min(5.0, float(value))) - 1) / 4 * (len(self.BARS) - 1))
                out.append(self.BARS[i], style=style)
        return out


class TrendsScreen(Screen[None]):
    """Scores over the weeks, for each of you and together, and every past week."""

    SUB_TITLE = "Reflection trends"
    HELP = help_text("reflection", "TrendsScreen")
    BINDINGS = [
        Binding("e", "export", "Export all weeks", id="reflection.trends.export"),
        Binding("escape", "back", "Back", id="reflection.trends.back"),
    ]
    DEFAULT_CSS = """
    TrendsScreen #trends-scroll { height: 1fr; padding: 0 1; }
    TrendsScreen #trend-head { height: auto; }
    TrendsScreen #streak { color: $text-muted; height: auto; }
    TrendsScreen TabbedContent { height: auto; }
    TrendsScreen .trend-row { height: 1; }
    TrendsScreen .trend-label { width: 24; }
    TrendsScreen .trend-value { width: 6; margin-right: 1; text-align: right; }
    TrendsScreen .trend-overall { text-style: bold; }
    TrendsScreen .trend-head { color: $text-muted; }
    TrendsScreen #past-title { text-style: bold; margin-top: 1; }
    TrendsScreen #past { height: auto; max-height: 14; }
    TrendsScreen #export-note { height: auto; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        app = self.app
        trend = store_r.trends(app.store)
        couple: Couple = app.couple
        streak = rules.streak_text(store_r.weeks_in_a_row(app.store, app.clock.now()), texts()["streak_line"])
        yield Header()
        with VerticalScroll(id="trends-scroll"):
            if trend.weeks:
                first, last = trend.weeks[0], trend.weeks[-1]
                span = first.label if first == last else f"{first.label} to {last.label}"
                n = len(trend.weeks)
                head = f"{n} week{'s' if n != 1 else ''} with ratings: {span}."
            else:
                head = "Trends appear here once you have rated a week."
            yield Static(Text(head), id="trend-head")
            if streak:
                yield Static(Text(streak), id="streak")
            if trend.weeks:
                with TabbedContent(id="trend-tabs"):
                    for key, title in (("both", "Together"), ("p0", couple[0].label), ("p1", couple[1].label)):
                        with TabPane(Content(title), id=f"tab-{key}"):
                            yield from self._rows(trend, key)
            yield Static("Past weeks", id="past-title")
            yield OptionList(id="past")
            yield Static("", id="export-note")
        yield HearthFooter()

    def _rows(self, trend: rules.Trend, key: str) -> ComposeResult:
        with Horizontal(classes="trend-row trend-head"):
            yield Label("", classes="trend-label")
            yield Label("latest", classes="trend-value")
            yield Label("week by week, oldest first")
        series = [("Overall", trend.overall[key], True)]
        series += [(s["short"], trend.statements[s["id"]][key], False) for s in store_r.statements()]
        for label, values, bold in series:
            with Horizontal(classes="trend-row"):
                yield Label(Text(label), classes="trend-label" + (" trend-overall" if bold else ""))
                yield Label(rules.score_text(trend.latest(values)), classes="trend-value")
                yield WeekSparkline(values)

    def on_mount(self) -> None:
        self.refresh_past()
        tabs = self.query("Tabs")
        (tabs.first() if tabs else self.query_one("#past", OptionList)).focus()

    def on_screen_resume(self) -> None:
        self.refresh_past()

    def refresh_past(self) -> None:
        past = self.query_one("#past", OptionList)
        past.clear_options()
        found = list(reversed(store_r.all_reflections(self.app.store)))
        for r in found:
            kind = "two-minute check-in" if r.mode == rules.QUICK else "weekly reflection"
            past.add_option(Option(Text(f"{r.week.title} · {kind} · {status_line(r)}"), id=r.week.key))
        if not found:
            past.add_option(Option(Text("No weeks yet."), disabled=True))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if not event.option.id:
            return
        week = IsoWeek.parse(event.option.id)
        r = store_r.get(self.app.store, week)
        if r is not None and r.done:
            self.app.push_screen(WeekScreen(week))
        elif r is not None:
            self.app.push_screen(ReflectionFlowScreen(week, r.mode))

    def action_export(self) -> None:
        export_all(self)

    def action_back(self) -> None:
        self.dismiss()
