"""Home: every activity with its one-key shortcut, and what is due."""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from ... import activities
from ...widgets.footer import HearthFooter
from ...store.due import due_lines
from ...store.homes_status import status_lines
from ...store.sync_watch import linked
from ...store.optin import decks_on
from ...widgets.partner import partner_text
from ...widgets.two_homes import OtherHomeChanged


#: How often the line saying when the other computer was last heard from is worked out again.
HEARD_SECONDS = 20.0

#: Activities a couple does together: opening one while a pause runs is asked first.
TOGETHER_KEYS = ("1", "4")


def activity_row(act: activities.Activity, title_width: int, width: int, key: str | None = None) -> Text:
    """' 1   Question round     Take turns…', the blurb wrapped under itself, not under the key.
    Plain Text, not a Rich table: a table per row cost 10-20 ms of the first paint (measured).
    `key` is the key in force when the couple remapped it."""
    head = f" {key or act.key} "
    indent = len(head) + 2 + title_width + 2
    lines = textwrap.wrap(act.blurb, max(20, width - indent)) or [""]
    row = Text.assemble((head, "bold reverse"), "  ", (act.title.ljust(title_width), "bold"), "  ", lines[0])
    for line in lines[1:]:
        row.append("\n" + " " * indent + line)
    return row


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
        Binding("1", "open('1')", "Round", show=False, id="home.round"),
        Binding("2", "open('2')", "Pause", show=False, id="home.pause"),
        Binding("3", "open('3')", "Agreements", show=False, id="home.agreements"),
        Binding("4", "open('4')", "Reflection", show=False, id="home.reflection"),
        Binding("h", "open('h')", "History", show=False, id="home.history"),
        Binding("s", "settings", "Settings", id="home.settings"),
    ]
    DEFAULT_CSS = """
    HomeScreen #home-body { height: 1fr; padding: 0 1; }
    HomeScreen #couple { height: 1; margin: 1 0 0 0; }
    HomeScreen #homes { height: auto; color: $text-muted; display: none; }
    HomeScreen #homes.linked { display: block; }
    HomeScreen #activities { height: auto; max-height: 12; margin: 1 0; border: round $primary; }
    HomeScreen #due-title { text-style: bold; }
    HomeScreen #due { height: auto; color: $text; }
    """

    _menu_width = 0  # the window's width the menu was last wrapped to
    _shown_before = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-body"):
            yield Static(self.couple_line(), id="couple")
            yield Static(id="homes")
            yield OptionList(*self.activity_options(), id="activities")
            yield Static("What's due", id="due-title")
            with VerticalScroll():
                yield Static(id="due")
        yield HearthFooter()

    def couple_line(self) -> Text:
        couple = self.app.couple
        if not couple:
            return Text()
        return Text.assemble("Hello, ", partner_text(couple[0]), " and ", partner_text(couple[1]), ".")

    def activity_options(self) -> list[Option]:
        """One option per activity, wrapped to the window's width as it is now."""
        shown = activities.available()
        title_width = max((len(a.title) for a in shown), default=0)
        self._menu_width = self.app.size.width
        width = self._menu_width - 8  # inside the box and its padding
        keys = self.app.keymap_keys
        return [Option(activity_row(act, title_width, width, keys.get(act.binding_id, "").split(",")[0]), id=act.key)
                for act in shown]

    def on_mount(self) -> None:
        self.query_one("#activities", OptionList).highlighted = 0
        # the menu paints first; what's due (which reads several stores) follows a moment later
        # (call_after_refresh still ran before the first frame reached the terminal: measured)
        self.set_timer(0.05, self.refresh_due)
        self.set_interval(HEARD_SECONDS, self.refresh_heard)  # "5 minutes ago" moves on, merges or not

    def on_resize(self) -> None:
        """The blurbs are wrapped to the window's width: wrap them again when it changes."""
        if self.app.size.width != self._menu_width:
            self.rewrap_menu()

    def on_screen_resume(self) -> None:
        """Each time home shows again: names may have changed in settings, things may be due.
        (The first showing is composed that way already, and its due lines follow on_mount.)"""
        if not self._shown_before:
            self._shown_before = True
            return
        self.query_one("#couple", Static).update(self.couple_line())
        if self.app.size.width != self._menu_width:
            self.rewrap_menu()
        self.refresh_due()

    def rewrap_menu(self) -> None:
        options = self.query_one("#activities", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(self.activity_options())
        if options.option_count:
            options.highlighted = highlighted if highlighted is not None and highlighted < options.option_count else 0

    def refresh_due(self) -> None:
        if not self.is_attached:
            return
        store, now = self.app.store, self.app.clock.now()
        homes = status_lines(store, now) if linked(store) else []
        homes_line = self.query_one("#homes", Static)
        homes_line.update(homes[0] if homes else "")
        homes_line.set_class(bool(homes), "linked")
        due = homes[1:] + self.challenge_lines() + due_lines(store, now)
        self.query_one("#due", Static).update("\n".join(f"• {d}" for d in due) if due else "Nothing is due. Enjoy your day.")

    def refresh_heard(self) -> None:
        if self.is_attached and self.app.screen is self and linked(self.app.store):
            homes = status_lines(self.app.store, self.app.clock.now(), providers=[])
            self.query_one("#homes", Static).update(homes[0] if homes else "")

    def on_other_home_changed(self, event: OtherHomeChanged) -> None:
        """Something came in from the other computer: what is waiting for whom may have changed."""
        self.refresh_due()

    def challenge_lines(self) -> list[str]:
        """'Day 3 of 7' for each challenge begun (decks are read only once one has been). Imported
        here, after the first paint: with the rounds' rules they pull in, 9 ms of its imports."""
        from ...core.decks import shown_decks
        from ...store import challenges as store_challenges

        store = self.app.store
        if not store_challenges.begun_ids(store):
            return []
        shown = shown_decks(self.app.decks.decks, decks_on(store))
        return store_challenges.home_lines(store, shown, self.app.clock.now())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_open(event.option.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return activities.by_key(str(parameters[0])) is not None
        return True

    def action_open(self, key: str) -> None:
        act = activities.by_key(key)
        if act is None:
            return
        if key in TOGETHER_KEYS and self._pause_running():
            from ...core.pause import clock_label
            from ..agreements.parts import ChoiceDialog
            from ...store import pauses as pause_store

            pause = pause_store.active(self.app.store)
            now = self.app.clock.now()
            when = clock_label(pause.deadline, now) if pause.phase == "countdown" and pause.deadline > now else ""
            where = {"checkin": "Your pause is waiting for its check-in.",
                     "repair": "The talk after your pause is still open.",
                     "more_time": "Your pause is waiting for you to choose what comes next."}.get(
                pause.phase, f"A pause is running{f' until {when}' if when else ''}.")
            question = f"{where} Go back to it, or open {act.title.lower()} anyway?"
            self.app.push_screen(
                ChoiceDialog(question, [("pause", "Back to the pause"), ("anyway", f"Open {act.title.lower()}")]),
                lambda choice: self._after_pause_question(choice, act))
            return
        self.app.open_activity(act)

    def _pause_running(self) -> bool:
        from ...store.schema import PAUSE_ACTIVE_TABLE

        # the app says whether pauses exist at all (screens do not import the app)
        return bool(self.app.check_action("pause", ())) and self.app.store.table(PAUSE_ACTIVE_TABLE).contains(doc_id=1)

    def _after_pause_question(self, choice: str | None, act: activities.Activity) -> None:
        if choice == "pause":
            self.app.action_pause()  # opens the running pause where it stands
        elif choice == "anyway":
            self.app.open_activity(act)

    def action_settings(self) -> None:
        self.app.open_settings()
