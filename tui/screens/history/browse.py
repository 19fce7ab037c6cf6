"""History: past rounds by date and deck, one round's cards and answers, search across
answers, starred cards, and deleting a round (after asking)."""

from __future__ import annotations

import threading
import time
from datetime import tzinfo
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Header, Input, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from textual.worker import get_current_worker

from ...widgets.footer import HearthFooter
from .lazy_list import FIRST, NEAR, LazyOptionList
from ...core.content import help_text
from ...core.decks import hidden_deck_ids
from ...core.clock import UNKNOWN_TIME
from ...core.rounds import MODES, RoundState, RoundSummary, when_label
from ...core.timewords import shown_time
from ..shared.question import QuestionScreen
from ..shared.styled_once import StyledOnce
from ...store import round_index
from ...store import rounds as store_rounds
from ...store.optin import decks_on
from ...store.sync_watch import this_partner
from ...widgets.partner import partner_text
from ...widgets.text_input import TextInput, width_uncertain

STATUS_WORDS = {"open": "unfinished", "left": "set aside"}
PAGE = 100
"""Rounds listed at a time: a list of every round took over a second to draw at ten years."""
MORE = "more"  # the id of the "Show older rounds" line
SYNC_SECONDS = 0.02
"""How long History reads rounds on the UI thread before a worker takes over the older years."""


def _round_option(state: RoundSummary, zone: tzinfo | None = None) -> Option:
    return Option(round_label(state, zone), id=state.id)


def round_label(state: RoundSummary, zone: tzinfo | None = None) -> Text:
    """'Sat 14 Mar 2026 · Write & reveal · Knowing you now · 3 cards'. `zone`: this computer's
    time zone, so a round begun at the other home (in Tokyo, say) is dated by the day here."""
    played = state.played
    decks = ", ".join(state.deck_titles) or "cards"
    text = Text()
    started = state.started
    if zone is not None and started != UNKNOWN_TIME:
        started = started.astimezone(zone)
    text.append(when_label(started), style="bold")
    text.append(f" · {MODES.get(state.mode, state.mode)} · {decks} · ")
    text.append("1 card" if played == 1 else f"{played} cards")
    words = "in progress" if state.apart and state.status == "open" else STATUS_WORDS.get(state.status)
    if words:  # apart, "open" is each playing at their own time; at one keyboard, left to resume
        text.append(f" · {words}", style="italic")
    return text


class ConfirmDeleteScreen(QuestionScreen[bool]):
    """Deleting is for good, so it is asked once, with 'Keep it' focused."""

    BINDINGS = [Binding("escape", "keep", "Keep it", id="history.confirm_delete.keep")]
    BOX_CLASSES = "-narrow -warning"

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def lines(self) -> list[Widget]:
        return [Static(Text(f"Delete the round from {self.what}?", style="bold")),
                Static("Its cards and answers will be gone for good. This can't be undone.")]

    def buttons(self) -> list[Button]:
        return [Button("Keep it", id="keep", variant="primary"), Button("Delete", id="delete", variant="error")]

    def answer(self, button_id: str) -> bool:
        return button_id == "delete"

    def action_keep(self) -> None:
        self.dismiss(False)


class KeptAnswerScreen(ModalScreen[None]):
    """One writer's kept answer, shown after the curtain named them; any key closes it."""

    BINDINGS = [Binding("escape", "close", "Close", id="history.kept_answer.close"),
                Binding("enter", "close", "Close", show=False, id="history.kept_answer.close_enter")]
    DEFAULT_CSS = """
    KeptAnswerScreen { align: center middle; }
    KeptAnswerScreen #kept-box {
        width: 70; max-width: 100%; height: auto; max-height: 90%; padding: 1 2;
        border: round $primary; background: $surface;
    }
    """

    def __init__(self, title: Text, card_text: str, answer: str) -> None:
        super().__init__()
        self.title_text, self.card_text, self.answer = title, card_text, answer

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="kept-box"):
            yield Static(self.title_text)
            yield Static(Text(self.card_text, style="bold"))
            yield Static(Text(self.answer))
            yield Static(Text("Esc closes it.", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)


class RoundDetailScreen(Screen[bool]):
    """One past round: every card, with the answers, guesses and notes. Dismisses True if deleted."""

    SUB_TITLE = "History · a round"
    HELP = help_text("history", "RoundDetailScreen")
    BINDINGS = [
        Binding("d", "delete", "Delete round", id="history.round_detail.delete"),
        Binding("escape", "back", "Back", id="history.round_detail.back"),
    ]
    DEFAULT_CSS = """
    RoundDetailScreen #detail { padding: 0 1; }
    RoundDetailScreen .title { text-style: bold; height: auto; margin-top: 1; }
    RoundDetailScreen .meta { color: $text-muted; height: auto; }
    RoundDetailScreen .card { height: auto; padding: 0 1; margin-top: 1; border: round $primary; }
    RoundDetailScreen .card.open-right { border: none; border-left: thick $primary; }
    RoundDetailScreen .kept { margin-left: 1; }
    """

    def __init__(self, round_id: str, focus_card: int | None = None) -> None:
        super().__init__()
        self.round_id = round_id
        self.focus_card = focus_card

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="detail")
        yield HearthFooter()

    def on_mount(self) -> None:
        state = store_rounds.get_round(self.app.store, self.round_id)
        if state is None:
            self.notify("That round is no longer here.", severity="warning")
            self.dismiss(False)
            return
        self.state = state
        body = self.query_one("#detail", VerticalScroll)
        body.mount_all(self._widgets(state))
        if self.focus_card is not None:
            self.call_after_refresh(self._scroll_to_card)
        body.focus()

    def _scroll_to_card(self) -> None:
        found = self.query(f"#card-{self.focus_card}")
        if found:
            self.query_one("#detail", VerticalScroll).scroll_to_widget(found.first(), animate=False, top=True)

    def _widgets(self, state: RoundState) -> list[Widget]:
        couple = self.app.couple
        out: list[Widget] = [Static(round_label(RoundSummary.of(state), self.app.clock.now().tzinfo), classes="title")]
        bits = [f"Depth: {state.choices.depth.replace('climb', 'start light, go deeper')}"]
        if state.closing:
            bits.append(f"Closing: {state.closing}")
        out.append(Static(Text(" · ".join(bits)), classes="meta"))
        shown = 0
        for i, card in enumerate(state.cards):
            if card.status not in ("done", "passed") and not card.kept:
                continue  # unplayed, or answers never revealed
            shown += 1
            text = Text()
            text.append(card.text, style="bold")
            text.append(f"\n{card.deck}", style="dim")
            if card.status == "passed" and not card.answers:
                text.append("\nPassed.", style="italic")
            elif card.status != "done" and not card.answers:
                text.append("\nNot revealed: the round ended first.", style="italic")
            for p in ([card.subject, card.guesser] if state.mode == "knowme" else [0, 1]):
                if p in card.answers and (card.status == "done" or not state.apart):  # apart: never one alone
                    label = "'s guess: " if state.mode == "knowme" and p == card.guesser else ": "
                    text.append("\n")
                    text.append_text(partner_text(couple[p], label))
                    text.append(card.answers[p])
            if card.closeness:
                text.append(f"\nHow close: {card.closeness}", style="italic")
            for p in sorted(card.notes):
                text.append("\n")
                text.append_text(partner_text(couple[p], "'s note: "))
                text.append(card.notes[p])
            # no right border for emoji a terminal draws wider than counted to push aside
            wide = " open-right" if width_uncertain(text.plain) else ""
            out.append(Static(text, classes="card" + wide, id=f"card-{i}"))
            # only the writer opens it, after a curtain with their name; on one partner's own
            # linked computer, only that partner's own (the other's travels here, never shown)
            for p in sorted(k for k in card.kept if this_partner(self.app.store) in (None, k)):
                out.append(Button(Text.assemble(partner_text(couple[p]), ": the answer you kept for yourself"),
                                  id=f"kept-{i}-{p}", classes="kept"))
        if not shown:
            out.append(Static("No cards were answered in this round.", classes="meta"))
        return out

    def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        if not bid.startswith("kept-"):
            return
        event.stop()
        from ..shared.curtain import CurtainScreen

        index, partner = (int(x) for x in bid.removeprefix("kept-").split("-"))
        card, writer = self.state.cards[index], self.app.couple[partner]
        title = Text.assemble(partner_text(writer), ", what you kept for yourself:")
        self.app.push_screen(
            CurtainScreen(writer, "Only your kept answer shows next."),
            lambda _: self.app.push_screen(KeptAnswerScreen(title, card.text, card.kept.get(partner, ""))))

    def action_back(self) -> None:
        self.dismiss(False)

    def action_delete(self) -> None:
        self.app.push_screen(ConfirmDeleteScreen(when_label(self.state.started)), self._after_confirm)

    def _after_confirm(self, delete: bool | None) -> None:
        if delete:
            store_rounds.delete_round(self.app.store, self.round_id)
            self.notify("The round was deleted.", timeout=3)
            self.dismiss(True)


class HistoryScreen(StyledOnce, Screen[None]):
    """Past rounds, search and starred cards, in three tabs."""

    SUB_TITLE = "History"
    HELP = help_text("history", "HistoryScreen")
    BINDINGS = [
        Binding("d", "delete", "Delete round", id="history.history.delete"),
        Binding("slash", "search", "Search", key_display="/", id="history.history.search"),
        Binding("p", "pauses", "Pauses log", id="history.history.pauses"),
        Binding("escape", "back", "Back", id="history.history.back"),
    ]
    DEFAULT_CSS = """
    HistoryScreen TabbedContent { height: 1fr; }
    HistoryScreen TabPane { padding: 0 1; }
    HistoryScreen OptionList { height: 1fr; }
    HistoryScreen #search { margin: 1 0 0 0; }
    HistoryScreen .meta { color: $text-muted; height: auto; }
    HistoryScreen #search-info { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    HistoryScreen #hits { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs"):
            with TabPane("Rounds", id="tab-rounds"):
                yield Static("", id="rounds-info", classes="meta")
                yield LazyOptionList(id="rounds")
            with TabPane("Search", id="tab-search"):
                yield TextInput(placeholder="Words from any answer, guess or note", id="search", max_length=200)
                yield Static("", id="search-info", classes="meta")
                yield LazyOptionList(id="hits")
            with TabPane("Starred", id="tab-starred"):
                yield Static("", id="stars-info", classes="meta")
                yield OptionList(id="stars")
        yield HearthFooter()

    def on_mount(self) -> None:
        self.refresh_lists()
        self.query_one("#rounds", OptionList).focus()

    def action_pauses(self) -> None:
        """Past pauses live with the pause screens; History is the other way in."""
        from ..pause.log import PauseLogScreen

        self.app.push_screen(PauseLogScreen())

    _shown = PAGE  # how many rounds the list holds; "Show older rounds" adds a page
    _counted = True  # False while older years are still being read
    _told_left_out = False  # rounds that could not be read are mentioned once
    _listing = 0  # which listing the rounds on screen belong to (a worker's late answer is dropped)
    _searching = 0  # which words' search the hits on screen belong to

    def refresh_lists(self, highlight: int | None = None) -> None:
        store = self.app.store
        listing = self.query_one("#rounds", OptionList)
        keep = listing.highlighted if highlight is None else highlight
        # The index and memory say at once what most years hold; a year not in the index yet (a
        # first open, or a year whose rounds changed since) is read from its rounds: the newest on
        # this thread until a page is listed and for a few milliseconds at most, the older in a
        # worker, which lists them all and keeps them in the index for next time.
        found = round_index.listing(store)
        years = found.years
        reads: list[round_index.Read] = []
        until = time.perf_counter() + SYNC_SECONDS
        count = 0
        for i, name in enumerate(found.names):
            if years[i] is None:
                if count > self._shown and time.perf_counter() > until:
                    break
                read = round_index.read_year(store, name)
                reads.append(read)
                years[i] = read.year
            count += years[i].count
        todo = [name for name, year in zip(found.names, years) if year is None]
        self._listing += 1
        self._show_years(years, keep, counted=not todo)
        if todo:
            self.run_worker(partial(self._read_older, self._listing, found.names, years, reads, keep),
                            thread=True, exclusive=True, group="rounds", exit_on_error=False)
        elif reads:
            round_index.remember(store, reads)
        stars = store_rounds.starred(store)
        star_list = self.query_one("#stars", OptionList)
        star_list.clear_options()
        for star in stars:
            star_list.add_option(Option(Text.assemble("★ ", star.text, (f"  {star.deck}", "dim")), id=star.key))
        self.query_one("#stars-info", Static).update(
            "Nothing starred yet. Star a card at its reveal with s." if not stars
            else "Play these with ★ Favourites when you set up a round.")
        self._run_search()

    def _read_older(self, which: int, names: list[str], years: list, reads: list, keep: int | None) -> None:
        """In a worker thread: the years not in the index, then the whole list on the screen."""
        worker = get_current_worker()
        years, reads = list(years), list(reads)
        for i, name in enumerate(names):
            if years[i] is not None:
                continue
            if worker.is_cancelled:
                return
            try:
                read = round_index.read_year(self.app.store, name)
            except Exception as exc:  # noqa: BLE001 - a damaged year: said in words, the list stays
                self.app.call_from_thread(self._not_read, str(exc))
                return
            reads.append(read)
            years[i] = read.year
        if not worker.is_cancelled:
            self.app.call_from_thread(self._older_read, which, years, reads, keep)

    def _older_read(self, which: int, years: list, reads: list, keep: int | None) -> None:
        if which != self._listing:
            return  # listed again meanwhile (a round deleted): that listing is the one that counts
        self._show_years(years, keep, counted=True)
        round_index.remember(self.app.store, reads)

    def _not_read(self, problem: str) -> None:
        self.notify(problem, title="History", severity="error", timeout=15, markup=False)

    _order: round_index.Order | dict = {}
    _years: list = []

    def _show_years(self, years: list, keep: int | None, counted: bool) -> None:
        """The rounds of the years known, newest first, up to the first year still being read: a
        page of them made into summaries, the rest only counted."""
        self._years = years
        self._order = round_index.Order(years)  # search reads a year's rounds in this order
        known = []
        for year in years:
            if year is None:
                break
            known.append(year)
        self._left_out = [i for year in known for i in year.left_out]
        total = sum(year.count for year in known)
        shown: list[RoundSummary] = []
        for year in known:
            if len(shown) >= self._shown:
                break
            shown.extend(year.rounds(self._shown - len(shown)))
        self._show_rounds(shown, total, keep, counted)

    def _show_rounds(self, rounds: list[RoundSummary], total: int, keep: int | None, counted: bool) -> None:
        """`rounds`: the newest, as many as the list holds now; `total`: how many there are."""
        self._counted = counted
        if counted and self._left_out and not self._told_left_out:
            self._told_left_out = True
            count = f"{len(self._left_out)} round{'s' if len(self._left_out) != 1 else ''}"
            self.notify(f"{count} in {self.app.store.path} could not be read (a damaged field) and "
                        f"{'are' if len(self._left_out) != 1 else 'is'} left out here. The file was not changed.",
                        title="History", severity="warning", timeout=10, markup=False)
        listing = self.query_one("#rounds", LazyOptionList)
        if keep is None:
            keep = listing.highlighted
        zone = self.app.clock.now().tzinfo  # a round begun at the other home, in another time zone
        options = [partial(_round_option, state, zone) for state in rounds[:self._shown]]
        if total > self._shown:
            hidden = total - self._shown
            more = min(PAGE, hidden)
            words = (f"Show {more} older round{'s' if more != 1 else ''} ({hidden:,} not listed yet)" if counted
                     else f"Show {more} older rounds (still counting the older years)")
            options.append(partial(Option, Text(words, style="italic"), id=MORE))
        if rounds:
            keep = min(keep or 0, len(options) - 1)
        listing.show(options, max(FIRST, (keep or 0) + 1))
        if rounds:
            listing.highlighted = keep
        self.query_one("#rounds-info", Static).update(
            "No rounds yet. Start one with 1 on home." if not rounds
            else "Enter opens a round · d deletes it (you'll be asked first)")

    def _run_search(self) -> None:
        """Search in a worker, newest year first, adding each year's hits as they come, so typing
        never waits on it; a new key stops the worker (issue 17: a key took up to 250 ms at twenty
        years on this thread)."""
        words = self.query_one("#search", Input).value
        self.workers.cancel_group(self, "search")
        self._searching += 1
        hits_list = self.query_one("#hits", OptionList)
        hits_list.show([])
        self._hits = 0
        info = self.query_one("#search-info", Static)
        if not words.strip():
            info.update("Type to search; Enter in the results opens the round.")
            return
        info.update(Text("Looking…"), layout=False)  # the words are named once something is found (or nothing is)
        hidden = hidden_deck_ids(self.app.decks.decks, decks_on(self.app.store))  # opt-in decks not turned on
        self.run_worker(partial(self._search_years, self._searching, words, hidden, self._order), thread=True,
                        exclusive=True, group="search", exit_on_error=False)

    def _search_years(self, which: int, words: str, hidden: frozenset[str], order: dict[str, list[str]]) -> None:
        """In a worker thread: each year's hits, handed to the screen as each year is read."""
        worker = get_current_worker()
        first = True
        try:
            for hits in store_rounds.search_by_year(self.app.store, words, hidden=hidden, order=order):
                if worker.is_cancelled:
                    return
                if hits:
                    drawn = threading.Event() if first else None
                    self.app.call_from_thread(self._add_hits, which, words, hits, drawn)
                    if drawn is not None:
                        # the first results on screen before the rest of the search takes the
                        # interpreter's lock again (drawing them waited on it: 20-40 ms a key)
                        drawn.wait(0.25)
                        first = False
        except Exception as exc:  # noqa: BLE001 - a damaged year: said in words, the screen stays
            if not worker.is_cancelled:
                self.app.call_from_thread(self._not_read, str(exc))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._say_found, which, words, True)

    def _add_hits(self, which: int, words: str, hits, drawn: threading.Event | None = None) -> None:
        """A year's hits from the worker: counted at once, made into options when in view."""
        if which != self._searching:
            if drawn is not None:
                drawn.set()
            return  # the words changed meanwhile
        hits_list = self.query_one("#hits", LazyOptionList)
        first = not hits_list.option_count
        start = self._hits
        self._hits += len(hits)
        # as many as the list shows (each hit is two lines), and a few more: each made now is
        # measured and drawn before the first results show
        made_now = hits_list.size.height // 2 + NEAR if hits_list.size.height else FIRST
        hits_list.add_waiting([partial(self._hit_option, start + i, hit, words) for i, hit in enumerate(hits)],
                              made_now)
        if first and hits_list.option_count:
            hits_list.highlighted = 0
        self._say_found(which, words, done=False)
        if drawn is not None:
            self.call_after_refresh(drawn.set)

    def _hit_option(self, n: int, hit, words: str) -> Option:
        width = max(60, self.query_one("#hits").size.width - 4)  # as wide as the list allows
        label = Text()
        when = when_label(shown_time(hit.when, self.app.clock.now(), past=False))  # in this zone
        label.append(when, style="bold")
        room = max(30, width - len(when) - 4)
        label.append(f" · {hit.card_text[:room]}{'…' if len(hit.card_text) > room else ''}\n  ")
        if hit.partner is not None:
            suffix = {"guess": "'s guess: ", "note": "'s note: "}.get(hit.what, ": ")
            label.append_text(partner_text(self.app.couple[hit.partner], suffix))
        else:
            label.append("Card: ", style="italic")
        line_start = len(label.plain) - label.plain.rindex("\n") - 1
        label.append(store_rounds.snippet(hit.text, words, max(40, width - line_start - 2)))
        return Option(label, id=f"{hit.round_id}|{hit.card_index}|{n}")

    def _say_found(self, which: int, words: str, done: bool) -> None:
        if which != self._searching:
            return
        count = self._hits
        shown = words.strip()
        if not done:
            text = f"{count:,} found so far for “{shown}”, still looking in older years…"
        elif not count:
            text = f"Nothing found for “{shown}”."
        else:
            text = f"{count} found for “{shown}”." if count > 1 else f"1 found for “{shown}”."
        self.query_one("#search-info", Static).update(Text(text), layout=False)  # one line, always

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self._run_search()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search" and self.query_one("#hits", OptionList).option_count:
            self.query_one("#hits", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        oid = event.option.id or ""
        if event.option_list.id == "rounds" and oid == MORE:
            first_new = self._shown
            self._shown += PAGE
            self._show_years(self._years, first_new, self._counted)
        elif event.option_list.id == "rounds":
            self.app.push_screen(RoundDetailScreen(oid), self._after_detail)
        elif event.option_list.id == "hits":
            round_id, card, _ = oid.split("|")
            self.app.push_screen(RoundDetailScreen(round_id, int(card)), self._after_detail)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id
        target = {"tab-rounds": "#rounds", "tab-search": "#search", "tab-starred": "#stars"}.get(pane or "")
        if target:
            self.query_one(target).focus()
        self.refresh_bindings()

    def _after_detail(self, deleted: bool | None) -> None:
        self.refresh_lists()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete":
            return self.query_one("#tabs", TabbedContent).active == "tab-rounds"
        return True

    def action_search(self) -> None:
        self.query_one("#tabs", TabbedContent).active = "tab-search"
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        self.dismiss()

    def action_delete(self) -> None:
        listing = self.query_one("#rounds", OptionList)
        if listing.highlighted is None or not listing.option_count:
            self.notify("There is no round to delete.", timeout=3)
            return
        round_id = listing.get_option_at_index(listing.highlighted).id
        if round_id == MORE:
            self.notify("Highlight a round to delete it.", timeout=3)
            return
        state = store_rounds.get_round(self.app.store, round_id)
        if state is None:
            self.refresh_lists()
            return

        def done(delete: bool | None) -> None:
            if delete:
                store_rounds.delete_round(self.app.store, round_id)
                self.notify("The round was deleted.", timeout=3)
                self.refresh_lists()

        self.app.push_screen(ConfirmDeleteScreen(when_label(state.started)), done)
