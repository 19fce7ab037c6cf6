"""The reflection's first screen: this week or last, full or the two-minute check-in."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from ...widgets.footer import HearthFooter
from ..shared.styled_once import StyledOnce
from ...core.content import help_text
from ...core import reflection as rules
from ...core.reflection_apart import position_for, waiting_on
from .parts import APART_STATUS, status_line, texts
from ...store import reflections as store_r
from ...core.reflection import IsoWeek
from ...store.couple_time import couple_now, couple_week
from ...store.sync_watch import this_partner


class ReflectionScreen(StyledOnce, Screen[None]):
    """Choose this week or last week (done late), full or the two-minute check-in."""

    SUB_TITLE = "Weekly reflection"
    AUTO_FOCUS = "#choices"  # not the scrolling body first: each change of focus restyled it all
    HELP = help_text("reflection", "ReflectionScreen")
    BINDINGS = [
        Binding("t", "trends", "Trends and past weeks", id="reflection.reflection.trends"),
        Binding("e", "export", "Export all weeks", id="reflection.reflection.export"),
        Binding("escape", "back", "Back", id="reflection.reflection.back"),
    ]
    DEFAULT_CSS = """
    ReflectionScreen #reflection-body { height: 1fr; padding: 0 1; }
    ReflectionScreen #weeks { height: auto; margin-top: 1; }
    ReflectionScreen #streak { color: $text-muted; height: auto; }
    ReflectionScreen #streak.-empty { display: none; }
    ReflectionScreen #choices { height: auto; max-height: 10; margin: 1 0; border: round $primary; }
    ReflectionScreen #quick-intro { color: $text-muted; height: auto; }
    ReflectionScreen #export-note { height: auto; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="reflection-body"):
            yield Static(id="weeks")
            yield Static(id="streak")
            yield OptionList(id="choices")
            yield Static(Text(texts()["quick_intro"]), id="quick-intro")
            yield Static("", id="export-note")
        yield HearthFooter()

    _fresh = False  # filled in by on_mount, not yet shown

    def on_mount(self) -> None:
        self.refresh_choices()
        self._fresh = True
        self.query_one("#choices", OptionList).focus()

    def on_screen_resume(self) -> None:
        if self._fresh:  # the first resume comes right after on_mount: nothing changed since
            self._fresh = False
            return
        self.refresh_choices()

    def refresh_choices(self) -> None:
        app = self.app
        now = couple_now(app.store, app.clock.now())  # at two homes, the same week at both
        this = IsoWeek.of(now)
        last = this.previous()
        r_this = store_r.get(app.store, this)
        r_last = store_r.get(app.store, last)
        me = this_partner(app.store)  # one partner's own computer: say whose part is in
        other = app.couple[1 - me].name if me is not None else ""
        self.query_one("#weeks", Static).update(
            Text(
                f"This week: {this.title}, {status_line(r_this, me, other)}.\n"
                f"Last week: {last.title}, {status_line(r_last, me, other)}."
            )
        )
        streak = rules.streak_text(store_r.weeks_in_a_row(app.store, app.clock.now()), texts()["streak_line"])
        self.query_one("#streak", Static).update(Text(streak or ""))
        self.query_one("#streak", Static).set_class(not streak, "-empty")
        options = self.query_one("#choices", OptionList)
        before = options.highlighted
        keep = options.get_option_at_index(before).id if before is not None and before < options.option_count else None
        options.clear_options()
        for week, r, which in ((this, r_this, "this"), (last, r_last, "last")):
            late = ", done late" if which == "last" else ""
            name = "this week's" if which == "this" else "last week's"
            if r is None:
                options.add_option(Option(Text(f"Begin {name} reflection{late}"), id=f"{which}:full"))
                options.add_option(Option(Text(f"Begin {name} reflection with extra steps…"), id=f"{which}:choose"))
                options.add_option(Option(Text(f"Two-minute check-in for {which} week{late}"), id=f"{which}:quick"))
            elif r.done:
                options.add_option(Option(Text(f"Read {name} reflection"), id=f"{which}:read"))
            else:
                n, total = position_for(r, me)  # the reveal first, if it waits for me here
                kind = "check-in" if r.mode == rules.QUICK else "reflection"
                apart_part = me is not None and waiting_on(r, me) in APART_STATUS
                where = status_line(r, me, other) if apart_part else f"step {n} of {total}"
                options.add_option(Option(Text(f"Carry on with {name} {kind} ({where})"), id=f"{which}:{r.mode}"))
        options.add_option(Option(Text("Trends and past weeks"), id="trends"))
        options.add_option(Option(Text("Export all weeks as Markdown"), id="export"))
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        # the check-in's line only where a check-in is offered (not once this week is done)
        self.query_one("#quick-intro", Static).display = "this:quick" in ids
        if keep not in ids:  # first look: a week already under way comes first
            keep = next((f"{w}:{r.mode}" for w, r in (("this", r_this), ("last", r_last)) if r and not r.done), None)
        options.highlighted = ids.index(keep) if keep in ids else 0  # the same choice, wherever it moved

    def on_other_home_changed(self, event) -> None:
        """A part or a step came in from the other home: say so here too."""
        if event.touches(store_r.PREFIX):
            self.refresh_choices()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        if choice == "trends":
            self.action_trends()
            return
        if choice == "export":
            self.action_export()
            return
        # The screens this one opens are imported when first opened, not with it: home imports
        # this module ahead, and theirs were 0.5 MiB of every session's memory (issue 17).
        from .flow import ReflectionFlowScreen
        from .week import WeekScreen

        which, _, what = choice.partition(":")
        this = couple_week(self.app.store, self.app.clock.now())
        week = this if which == "this" else this.previous()
        if what == "read":
            self.app.push_screen(WeekScreen(week))
        elif what in ("full", "choose") and store_r.get(self.app.store, week) is None:
            from .extra_steps import begin_full

            begin_full(self.app, week, choose=what == "choose", flow=ReflectionFlowScreen)
        elif what in rules.MODES:
            self.app.push_screen(ReflectionFlowScreen(week, what))

    def action_trends(self) -> None:
        from .trends import TrendsScreen

        self.app.push_screen(TrendsScreen())

    def action_export(self) -> None:
        from .week import export_all

        export_all(self)

    def action_back(self) -> None:
        self.dismiss()
