"""History: past rounds by date and deck, one round's cards and answers, search across
answers, starred cards, and deleting a round (after asking)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Header, Input, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from tui.widgets.footer import HearthFooter
from tui.core.decks import hidden_deck_ids
from tui.core.rounds import MODES, RoundState, RoundSummary, when_label
from tui.store import rounds as store_rounds
from tui.store.optin import decks_on
from tui.widgets.partner import partner_text
from tui.widgets.text_input import TextInput, width_uncertain

STATUS_WORDS = {"open": "unfinished", "left": "set aside"}
PAGE = 100
"""Rounds listed at a time: a list of every round took over a second to draw at ten years."""
MORE = "more"  # the id of the "Show older rounds" line


def round_label(state: RoundSummary) -> Text:
    """'Sat 14 Mar 2026 · Write & reveal · Knowing you now · 3 cards'."""
    played = state.played
    decks = ", ".join(state.deck_titles) or "cards"
    text = Text()
    text.append(when_label(state.started), style="bold")
    text.append(f" · {MODES.get(state.mode, state.mode)} · {decks} · ")
    text.append("1 card" if played == 1 else f"{played} cards")
    if state.status in STATUS_WORDS:
        text.append(f" · {STATUS_WORDS[state.status]}", style="italic")
    return text


class ConfirmDeleteScreen(ModalScreen[bool]):
    """Deleting is for good, so it is asked once, with 'Keep it' focused."""

    BINDINGS = [Binding("escape", "keep", "Keep it")]
    DEFAULT_CSS = """
    ConfirmDeleteScreen { align: center middle; }
    ConfirmDeleteScreen #confirm-box {
        width: 60; max-width: 100%; height: auto; padding: 1 2;
        border: round $error; background: $surface;
    }
    ConfirmDeleteScreen #confirm-buttons { height: auto; margin-top: 1; }
    ConfirmDeleteScreen #confirm-buttons Button { margin-right: 1; }
    """

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(f"Delete the round from {self.what}?", style="bold"))
            yield Static("Its cards and answers will be gone for good. This can't be undone.")
            with Horizontal(id="confirm-buttons"):
                yield Button("Keep it", id="keep", variant="primary")
                yield Button("Delete", id="delete", variant="error")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "delete")

    def action_keep(self) -> None:
        self.dismiss(False)


class KeptAnswerScreen(ModalScreen[None]):
    """One writer's kept answer, shown after the curtain named them; any key closes it."""

    BINDINGS = [Binding("escape", "close", "Close"), Binding("enter", "close", "Close", show=False)]
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
    HELP = "Every card of this round, with what each of you wrote. Press d to delete the round (you'll be asked first)."
    BINDINGS = [
        Binding("d", "delete", "Delete round"),
        Binding("escape", "back", "Back"),
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
        out: list[Widget] = [Static(round_label(RoundSummary.of(state)), classes="title")]
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
                if p in card.answers:
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
            for p in sorted(card.kept):  # only the writer opens it, after a curtain with their name
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
        from tui.screens.shared.curtain import CurtainScreen

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


class HistoryScreen(Screen[None]):
    """Past rounds, search and starred cards, in three tabs."""

    SUB_TITLE = "History"
    HELP = (
        "Your past rounds, newest first. Enter opens one to read its cards and answers; d deletes "
        "the highlighted round (you'll be asked first). Search finds words in any answer, guess or "
        "note. Starred shows the cards you starred; play them with Favourites in a new round. "
        "p opens the Pauses log: past pauses, and how often you came back on time."
    )
    BINDINGS = [
        Binding("d", "delete", "Delete round"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("p", "pauses", "Pauses log"),
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = """
    HistoryScreen TabbedContent { height: 1fr; }
    HistoryScreen TabPane { padding: 0 1; }
    HistoryScreen OptionList { height: 1fr; }
    HistoryScreen #search { margin: 1 0 0 0; }
    HistoryScreen .meta { color: $text-muted; height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs"):
            with TabPane("Rounds", id="tab-rounds"):
                yield Static("", id="rounds-info", classes="meta")
                yield OptionList(id="rounds")
            with TabPane("Search", id="tab-search"):
                yield TextInput(placeholder="Words from any answer, guess or note", id="search", max_length=200)
                yield Static("", id="search-info", classes="meta")
                yield OptionList(id="hits")
            with TabPane("Starred", id="tab-starred"):
                yield Static("", id="stars-info", classes="meta")
                yield OptionList(id="stars")
        yield HearthFooter()

    def on_mount(self) -> None:
        self.refresh_lists()
        self.query_one("#rounds", OptionList).focus()

    def action_pauses(self) -> None:
        """Past pauses live with the pause screens; History is the other way in."""
        from tui.screens.pause.log import PauseLogScreen

        self.app.push_screen(PauseLogScreen())

    _shown = PAGE  # how many rounds the list holds; "Show older rounds" adds a page
    _told_left_out = False  # rounds that could not be read are mentioned once

    def refresh_lists(self, highlight: int | None = None) -> None:
        store = self.app.store
        left_out: list[str] = []
        rounds = store_rounds.round_summaries(store, left_out)
        if left_out and not self._told_left_out:
            self._told_left_out = True
            count = f"{len(left_out)} round{'s' if len(left_out) != 1 else ''}"
            self.notify(f"{count} in {store.path} could not be read (a damaged field) and "
                        f"{'are' if len(left_out) != 1 else 'is'} left out here. The file was not changed.",
                        title="History", severity="warning", timeout=10)
        listing = self.query_one("#rounds", OptionList)
        keep = listing.highlighted if highlight is None else highlight
        listing.clear_options()
        options = [Option(round_label(state), id=state.id) for state in rounds[:self._shown]]
        if len(rounds) > self._shown:
            hidden = len(rounds) - self._shown
            more = min(PAGE, hidden)
            words = f"Show {more} older round{'s' if more != 1 else ''} ({hidden:,} not listed yet)"
            options.append(Option(Text(words, style="italic"), id=MORE))
        listing.add_options(options)
        if rounds:
            listing.highlighted = min(keep or 0, len(options) - 1)
        self.query_one("#rounds-info", Static).update(
            "No rounds yet. Start one with 1 on home." if not rounds
            else "Enter opens a round · d deletes it (you'll be asked first)")
        stars = store_rounds.starred(store)
        star_list = self.query_one("#stars", OptionList)
        star_list.clear_options()
        for star in stars:
            star_list.add_option(Option(Text.assemble("★ ", star.text, (f"  {star.deck}", "dim")), id=star.key))
        self.query_one("#stars-info", Static).update(
            "Nothing starred yet. Star a card at its reveal with s." if not stars
            else "Play these with ★ Favourites when you set up a round.")
        self._run_search()

    def _run_search(self) -> None:
        words = self.query_one("#search", Input).value
        hits_list = self.query_one("#hits", OptionList)
        hits_list.clear_options()
        info = self.query_one("#search-info", Static)
        if not words.strip():
            info.update("Type to search; Enter in the results opens the round.")
            return
        hidden = hidden_deck_ids(self.app.decks.decks, decks_on(self.app.store))  # opt-in decks not turned on
        hits = store_rounds.search(self.app.store, words, hidden=hidden)
        couple = self.app.couple
        for n, hit in enumerate(hits):
            label = Text()
            label.append(when_label(hit.when), style="bold")
            label.append(f" · {hit.card_text[:50]}{'…' if len(hit.card_text) > 50 else ''}\n  ")
            if hit.partner is not None:
                suffix = {"guess": "'s guess: ", "note": "'s note: "}.get(hit.what, ": ")
                label.append_text(partner_text(couple[hit.partner], suffix))
            else:
                label.append("Card: ", style="italic")
            label.append(store_rounds.snippet(hit.text, words, 56))
            hits_list.add_option(Option(label, id=f"{hit.round_id}|{hit.card_index}|{n}"))
        if hits:
            hits_list.highlighted = 0
        count = len(hits)
        info.update(Text(f"Nothing found for “{words.strip()}”." if not count
                         else f"{count} found for “{words.strip()}”." if count > 1 else f"1 found for “{words.strip()}”."))

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
            self.refresh_lists(highlight=first_new)
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
