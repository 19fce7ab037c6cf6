"""Agreements (key 3 on home): every agreement by category, with its status and both yeses."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from ...widgets.footer import HearthFooter
from ..shared.styled_once import StyledOnce
from ...core.agreements import KINDS, Agreement, is_due
from .parts import consent_text, short_date, status_text
from ...store import agreements as store_ag
from ...store.couple_time import couple_now

LIST_CSS = """
{name} #list-intro {{ height: auto; padding: 0 1; color: $text-muted; }}
{name} #agreement-list {{ height: 1fr; border: round $primary; }}
{name} #agreement-list > .option-list--option-disabled {{ color: $text; }}
{name} #export-note {{ height: auto; padding: 0 1; }}
"""


def agreement_prompt(a: Agreement, couple, now, store=None) -> Text:
    """Two lines: title and status; then both partners' yes, need/want, review. With `store`
    (two homes), the archived day is the couple's, read on this computer's clock."""
    first = Text("  ")
    first.append(a.title, style="bold")
    first.append("  ")
    first.append_text(status_text(a))
    second = Text("    ")
    second.append_text(consent_text(a, couple))
    second.append(f"  · {KINDS.get(a.kind, a.kind).lower()}")
    if is_due(a, now):
        second.append("  · ", style="")
        second.append("review due", style="bold")
    elif a.retired and a.retired_at:
        day = store_ag.shown_day(store, a.retired_at, a.retired_home) if store is not None else a.retired_at.date()
        second.append(f"  · archived {short_date(day)}")
    if store is not None and store_ag.apart_edit_notice(store, a):
        second.append("  · changed at both homes", style="italic")
    return Text.assemble(first, "\n", second)


def fill_list(screen: Screen, options: OptionList, groups, empty: str, first: Option | None = None) -> None:
    """Category headings (not selectable) with their agreements, after `first` if given; keeps the highlight."""
    app = screen.app
    now = couple_now(app.store, app.clock.now())  # at two homes, the review day is the same at both
    keep = options.highlighted_option.id if options.highlighted_option else None
    options.clear_options()
    if first is not None:
        options.add_option(first)
    if not groups:
        options.add_option(Option(Text(empty), disabled=True))
        options.highlighted = 0 if first is not None else None
        return
    for cid, label, items in groups:
        heading = Text(f"{label} ({len(items)})", style="bold underline")
        options.add_option(Option(heading, id=f"cat:{cid}", disabled=True))
        for a in items:
            options.add_option(Option(agreement_prompt(a, app.couple, now, app.store), id=f"a:{a.id}"))
    index = None
    if keep:
        try:
            index = options.get_option_index(keep)
        except Exception:
            index = None
    if index is None:
        index = next((i for i in range(options.option_count) if not options.get_option_at_index(i).disabled), None)
    options.highlighted = index


class _Listed:
    """What both lists do: the list has the focus, and it is filled each time the screen shows
    (the first time included) and when the other home's changes come in."""

    def on_mount(self) -> None:
        self.query_one("#agreement-list").focus()

    def on_screen_resume(self) -> None:
        """Fills the list each time the screen shows, the first time included."""
        self.refresh_list()

    def on_other_home_changed(self, event) -> None:
        if event.touches("agreements"):
            self.refresh_list()


class AgreementsScreen(StyledOnce, _Listed, Screen[None]):
    """The list. Enter opens one; n starts a new one; a shows the archive; m writes Markdown."""

    SUB_TITLE = "Agreements"
    HELP = (
        "Agreements hold how you want to treat each other. Each one is listed under its category with "
        "its status: ○ Draft (written, nobody has said yes), ◐ Proposed (one of you said yes), "
        "● Agreed (both said yes), and a ✓ next to each name that has said yes. "
        "Enter opens an agreement to say yes, edit it, see its versions, review, retire or delete it. "
        "Changing the wording of an agreed one asks both of you again. "
        "Press n for a new one, from a template or a blank page; a for the archive; "
        "m to write all current agreements to a Markdown file you can print."
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="agreements.agreements.back"),
        Binding("n", "new", "New", id="agreements.agreements.new"),
        Binding("a", "archive", "Archive", id="agreements.agreements.archive"),
        Binding("m", "export", "Export (Markdown)", id="agreements.agreements.export"),
    ]
    DEFAULT_CSS = LIST_CSS.format(name="AgreementsScreen")

    def __init__(self) -> None:
        super().__init__()
        self._written = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Enter opens one · n new · a archive · m export to Markdown", id="list-intro")
        yield OptionList(id="agreement-list")
        yield Static("", id="export-note")
        yield HearthFooter()

    def refresh_list(self) -> None:
        options = self.query_one("#agreement-list", OptionList)
        empty = (
            "No agreements yet.\nPress n to write your first one, from one of the starter templates "
            "or from a blank page."
        )
        fill_list(self, options, store_ag.by_category(self.app.store), empty, self._draft_option())
        self._note(self._written)

    def _draft_option(self) -> Option | None:
        """A new agreement started and not saved yet, at the top of the list, so it is found again."""
        draft = store_ag.editor_draft(self.app.store, None)
        if not draft:
            return None
        from .editor import draft_title

        first = Text("  ")
        first.append("✎ Not saved yet: ", style="bold")
        first.append(draft_title(draft))
        second = Text("    A new one you started writing · Enter goes on with it", style="dim")
        return Option(Text.assemble(first, "\n", second), id="new-draft")

    def _note(self, text: str) -> None:
        note = self.query_one("#export-note", Static)
        note.update(text)
        note.display = bool(text)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id == "new-draft":
            self._picked({"kind": "resume"})
        elif option_id.startswith("a:"):
            from .detail import AgreementDetailScreen

            self.app.push_screen(AgreementDetailScreen(int(option_id[2:])))

    def action_back(self) -> None:
        self.dismiss()

    def action_new(self) -> None:
        from .editor import TemplatePickerScreen

        self.app.push_screen(TemplatePickerScreen(), self._picked)

    def _picked(self, choice: dict | None) -> None:
        if choice is None:
            return
        from .editor import AgreementEditorScreen

        editor = AgreementEditorScreen(None, template=choice.get("template"), resume=choice["kind"] == "resume")
        self.app.push_screen(editor, self._created)

    def _created(self, agreement_id: int | None) -> None:
        if agreement_id is None:
            return
        from .detail import AgreementDetailScreen

        self.app.push_screen(AgreementDetailScreen(agreement_id))

    def action_archive(self) -> None:
        self.app.push_screen(ArchiveScreen())

    def action_export(self) -> None:
        folders = [Path.home(), Path.cwd()]
        try:
            path = store_ag.write_markdown_file(self.app.store, folders, self.app.clock.now())
        except OSError as exc:
            message = f"Could not write the file ({exc.strerror or exc}). Nothing else was changed."
            self._note(message)
            self.notify(message, title="Export", severity="error", timeout=8)
            return
        message = f"Written to {path}"
        if self.app.store.encrypted:
            message += " as plain text, not encrypted"
        self._written = f"{message} (all current agreements, by category)."
        self._note(self._written)
        self.notify(message, title="Export to Markdown", timeout=8)


class ArchiveScreen(_Listed, Screen[None]):
    """Retired agreements, kept with their history. Enter opens one to bring it back or delete it."""

    SUB_TITLE = "Agreements · archive"
    HELP = (
        "Agreements you retired are kept here with all their versions. They are not current: "
        "they are not exported and never come up for review. Enter opens one, to read it, "
        "see its versions, bring it back, or delete it for good."
    )
    BINDINGS = [Binding("escape", "back", "Back", id="agreements.archive.back")]
    DEFAULT_CSS = LIST_CSS.format(name="ArchiveScreen")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("The archive: agreements you retired. Enter opens one.", id="list-intro")
        yield OptionList(id="agreement-list")
        yield HearthFooter()

    def refresh_list(self) -> None:
        options = self.query_one("#agreement-list", OptionList)
        fill_list(self, options, store_ag.by_category(self.app.store, retired=True),
                  "The archive is empty. Retired agreements wait here.")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("a:"):
            from .detail import AgreementDetailScreen

            self.app.push_screen(AgreementDetailScreen(int(option_id[2:])))

    def action_back(self) -> None:
        self.dismiss()
