"""Every saved version of one agreement, and what changed from it to the current wording."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from ...widgets.footer import HearthFooter
from ...core.content import help_text
from ...core.agreements import KINDS, apart_versions, describe_change, diff_against_current, has_changes, written_over
from .parts import diff_text, short_time
from ...store import agreements as store_ag
from ...widgets.partner import partner_text


class VersionsScreen(Screen[None]):
    SUB_TITLE = "Agreements · versions"
    HELP = help_text("agreements", "VersionsScreen")
    BINDINGS = [
        Binding("escape", "back", "Back", id="agreements.versions.back"),
        Binding("t", "toggle", "Changes / whole text", id="agreements.versions.toggle"),
    ]
    DEFAULT_CSS = """
    VersionsScreen #v-head { height: auto; padding: 0 1; text-style: bold; }
    VersionsScreen #v-apart { height: auto; padding: 0 1; color: $accent; }
    VersionsScreen #v-list { height: auto; max-height: 8; border: round $primary; }
    VersionsScreen #v-caption { height: auto; padding: 0 1; color: $text-muted; }
    VersionsScreen #v-diff { height: 1fr; border: round $secondary; padding: 0 1; }
    """

    def __init__(self, agreement_id: int) -> None:
        super().__init__()
        self.agreement_id = agreement_id
        self.whole = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="v-head")
        yield Static(id="v-apart")
        yield OptionList(id="v-list")
        yield Static(id="v-caption")
        with VerticalScroll(id="v-diff"):
            yield Static(id="v-diff-text")
        yield HearthFooter()

    def on_mount(self) -> None:
        store = self.app.store
        self.agreement = a = store_ag.get(store, self.agreement_id)
        store_ag.mark_apart_edit_seen(store, self.agreement_id)  # both wordings are on screen now
        own = store_ag.own_categories(store)
        couple = self.app.couple
        self.query_one("#v-head", Static).update(Text(f"Versions of “{a.title}” ({len(a.versions)})"))
        options = self.query_one("#v-list", OptionList)
        last = len(a.versions) - 1
        for index in range(last, -1, -1):
            v = a.versions[index]
            prev = written_over(a, index)
            prompt = Text.assemble(
                (f"Version {index + 1}", "bold"), f" · {short_time(store_ag.version_time(store, v))} · ", partner_text(couple[v.author]),
                f" · {describe_change(prev, v, own)}", (" (current)" if index == last else "", "italic"),
            )
            options.add_option(Option(prompt, id=str(index)))
        apart = apart_versions(a)
        note = self.query_one("#v-apart", Static)
        note.display = bool(apart)
        if apart:
            numbers = [str(i + 1) for i in apart]
            listed = ", ".join(numbers[:-1]) + " and " + numbers[-1]
            note.update(f"Versions {listed} were written at the same time, one at each home. "
                        "Read them together: say yes to the wording shown now, or edit it into the one you both want.")
        # start on the version before the current one: its diff shows the latest change
        options.highlighted = 1 if last else 0
        options.focus()
        self.show(last - 1 if last else 0)

    def show(self, index: int) -> None:
        a = self.agreement
        v = a.versions[index]
        caption = self.query_one("#v-caption", Static)
        body = self.query_one("#v-diff-text", Static)
        if self.whole:
            caption.update(f"Version {index + 1} as it was written ({KINDS.get(v.kind, v.kind).lower()}). t shows the changes.")
            body.update(Text.assemble((v.title, "bold"), "\n\n", v.text))
            return
        lines = diff_against_current(a, index)
        if not has_changes(lines):
            caption.update(f"Version {index + 1} has the same title and wording as now.")
        else:
            caption.update(f"From version {index + 1} to now:  - taken out   + added   (t: whole text)")
        body.update(diff_text(lines))

    def _current(self) -> int:
        option = self.query_one("#v-list", OptionList).highlighted_option
        return int(option.id) if option and option.id else len(self.agreement.versions) - 1

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.show(int(event.option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#v-diff").focus()

    def action_toggle(self) -> None:
        self.whole = not self.whole
        self.show(self._current())

    def action_back(self) -> None:
        self.dismiss()
