"""Setting up a question round: decks, depth, length, mode and who goes first.

When a round was left unfinished, this screen first offers to resume it.
"""

from __future__ import annotations

import random

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Header, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from tui.widgets.footer import HearthFooter
from tui.core.decks import Card
from tui.core.rounds import (
    CARD_LENGTHS,
    DEPTH_CHOICES,
    FAVOURITES,
    MINUTE_LENGTHS,
    MODE_ABOUT,
    MODES,
    Choices,
    length_label,
    new_round,
    plan_round,
    when_label,
)
from tui.store import rounds as store_rounds


class DeckPicker(OptionList):
    """A multi-select list of decks: each shows [x] or [ ], its title, card count and a line about it.

    (Textual's SelectionList keeps only one line per option; a deck needs two.)
    """

    BINDINGS = [Binding("space", "toggle", "Tick deck", show=False)]

    def __init__(self, entries: list[tuple[str, str, str, bool]], selected: set[str], **kwargs) -> None:
        # entries: (value, title with count, description, enabled)
        self.entries = entries
        self.chosen: set[str] = {v for v, _, _, ok in entries if ok and v in selected}
        super().__init__(*(self._option(e) for e in entries), **kwargs)
        self._show_chosen()

    def _show_chosen(self) -> None:
        """The ticked decks by name on the box's lower edge: a tick can sit below the visible
        part of the list, and a round drawn from a deck nobody saw ticked is a surprise."""
        names = [title.split(" · ")[0] for v, title, _a, _ok in self.entries if v in self.chosen]
        if not names:
            self.border_subtitle = "No deck ticked yet"
        else:
            self.border_subtitle = f"{len(names)} ticked: " + ", ".join(names)

    def _prompt(self, entry: tuple[str, str, str, bool]) -> Group:
        value, title, about, enabled = entry
        mark = "[x] " if value in self.chosen else "[ ] "
        head = Text.assemble((mark, "bold"), (title, "bold"))
        return Group(head, Padding(Text(about, style="dim"), (0, 0, 0, 4))) if about else Group(head)

    def _option(self, entry: tuple[str, str, str, bool]) -> Option:
        return Option(self._prompt(entry), id=entry[0], disabled=not entry[3])

    @property
    def selected(self) -> list[str]:
        """Chosen deck ids, in list order."""
        return [v for v, *_ in self.entries if v in self.chosen]

    def toggle_index(self, index: int) -> None:
        entry = self.entries[index]
        if not entry[3]:
            return
        self.chosen.symmetric_difference_update({entry[0]})
        self.replace_option_prompt_at_index(index, self._prompt(entry))
        self._show_chosen()
        self.post_message(self.Changed(self))

    def action_toggle(self) -> None:
        if self.highlighted is not None:
            self.toggle_index(self.highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.toggle_index(event.option_index)

    class Changed(Message):
        """The ticked decks changed."""

        def __init__(self, picker: "DeckPicker") -> None:
            super().__init__()
            self.picker = picker


class RoundSetupScreen(Screen[None]):
    """Choose and start a round (or resume the one left open)."""

    SUB_TITLE = "Question round"
    HELP = (
        "Pick one or more decks (Space or Enter ticks a deck), how deep the cards go, how long the "
        "round is, the way you'll play, and who goes first. 'Start light, go deeper' begins with "
        "easy cards and goes deeper as the round goes on. Cards you've met in recent rounds rest for "
        "a while (Settings says how long). Favourites plays the cards you starred. Your last choices "
        "are remembered. If a round was left unfinished, you can pick it up where you stopped."
    )
    BINDINGS = [
        Binding("ctrl+s", "start", "Start"),
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = """
    RoundSetupScreen #setup-body { padding: 0 1; }
    RoundSetupScreen #resume-box {
        height: auto; border: round $accent; padding: 0 1; margin-top: 1;
    }
    RoundSetupScreen #resume-buttons { height: auto; margin-top: 1; }
    RoundSetupScreen #resume-buttons Button { margin-right: 1; }
    RoundSetupScreen #form { height: auto; }
    RoundSetupScreen #decks { height: auto; max-height: 9; border: round $primary; margin-top: 1; }
    RoundSetupScreen #decks:focus { border: round $accent; }
    RoundSetupScreen .row { height: auto; }
    RoundSetupScreen .cell { width: 1fr; height: auto; margin-right: 1; }
    RoundSetupScreen .cell Label { width: 7; margin-top: 1; }
    RoundSetupScreen .cell Select { width: 1fr; }
    RoundSetupScreen .field-error { height: auto; }
    RoundSetupScreen .field-error.-empty { display: none; }
    RoundSetupScreen #mode-about { height: auto; color: $text-muted; }
    RoundSetupScreen #start { margin: 1 0; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._resuming = False

    # -- building -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        app = self.app
        store = app.store
        couple = app.couple
        last = store_rounds.last_choices(store)
        stars = store_rounds.starred(store)
        picked = set(last.decks)
        yield Header()
        with VerticalScroll(id="setup-body"):
            with Vertical(id="resume-box"):
                yield Static(id="resume-text")
                with Horizontal(id="resume-buttons"):
                    yield Button("Resume", id="resume", variant="primary")
                    yield Button("Start a new round", id="fresh")
            with Vertical(id="form"):
                entries: list[tuple[str, str, str, bool]] = [
                    (deck.id, f"{deck.title} · {len(deck.cards)} cards", deck.description, True)
                    for deck in app.decks.decks
                ]
                if stars:
                    entries.append((FAVOURITES, f"★ Favourites · {len(stars)} starred", "The cards you starred.", True))
                else:
                    entries.append((FAVOURITES, "★ Favourites", "Star a card at its reveal to add it here.", False))
                picker = DeckPicker(entries, picked, id="decks")
                picker.border_title = "Decks · Space or Enter ticks one or more"
                yield picker
                yield Static("", id="deck-error", classes="field-error")
                with Horizontal(classes="row"):
                    with Horizontal(classes="cell"):
                        yield Label("Depth")
                        yield Select([(label, key) for key, label in DEPTH_CHOICES.items()],
                                     value=last.depth, allow_blank=False, id="depth")
                    with Horizontal(classes="cell"):
                        yield Label("Length")
                        lengths = [(length_label("cards", n), f"cards:{n}") for n in CARD_LENGTHS]
                        lengths += [(length_label("minutes", n), f"minutes:{n}") for n in MINUTE_LENGTHS]
                        wanted = f"{last.unit}:{last.length}"
                        yield Select(lengths, value=wanted if wanted in {v for _, v in lengths} else "cards:5",
                                     allow_blank=False, id="length")
                with Horizontal(classes="row"):
                    with Horizontal(classes="cell"):
                        yield Label("Mode")
                        yield Select([(label, key) for key, label in MODES.items()],
                                     value=last.mode, allow_blank=False, id="mode")
                    with Horizontal(classes="cell"):
                        yield Label("First")
                        yield Select([(couple[0].label, "a"), (couple[1].label, "b"), ("Pick at random", "random")],
                                     value=last.first, allow_blank=False, id="first")
                yield Static(MODE_ABOUT[last.mode], id="mode-about")
                yield Static("", id="plan-error", classes="field-error")
                yield Button("Start the round", id="start", variant="primary")
        yield HearthFooter()

    def on_mount(self) -> None:
        self._say("#deck-error", "")
        self._say("#plan-error", "")
        self._show_resume_offer()

    def on_resize(self, event: events.Resize) -> None:
        """The deck list takes the rows a taller window has to spare (9 fit at 80x24)."""
        self.query_one("#decks", DeckPicker).styles.max_height = max(9, event.size.height - 15)

    def _show_resume_offer(self) -> None:
        state = store_rounds.open_round(self.app.store)
        box = self.query_one("#resume-box")
        form = self.query_one("#form")
        self._resuming = state is not None
        box.display = self._resuming
        form.display = not self._resuming
        if state is not None:
            self.query_one("#resume-text", Static).update(Text(
                f"You left a round on {when_label(state.started)}: {MODES[state.mode]}, "
                f"card {state.card_number} of {len(state.cards)}. Pick it up where you stopped?"
            ))
            self.query_one("#resume", Button).focus()
        else:
            self.query_one("#decks", DeckPicker).focus()
        self.refresh_bindings()

    # -- events --------------------------------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "mode" and event.value in MODE_ABOUT:
            self.query_one("#mode-about", Static).update(MODE_ABOUT[event.value])
        self._say("#plan-error", "")

    def on_deck_picker_changed(self, event: DeckPicker.Changed) -> None:
        if event.picker.selected:
            self._say("#deck-error", "")
        self._say("#plan-error", "")

    def _say(self, where: str, message: str) -> None:
        """A message at a field; the line takes no room while empty."""
        line = self.query_one(where, Static)
        line.update(message)
        line.set_class(not message, "-empty")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id
        event.stop()
        if bid == "start":
            self.action_start()
        elif bid == "resume":
            self._resume()
        elif bid == "fresh":
            store_rounds.set_aside_open(self.app.store, self.app.clock.now())
            self.notify("The round you left is kept in History with what you answered.", timeout=4)
            self._show_resume_offer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start":
            return not self._resuming
        return True

    def action_back(self) -> None:
        self.dismiss()

    def _resume(self) -> None:
        from tui.screens.round_play import RoundPlayScreen

        state = store_rounds.open_round(self.app.store)
        if state is None:
            self._show_resume_offer()
            return
        self.app.switch_screen(RoundPlayScreen(state.id))

    # -- starting --------------------------------------------------------------------------------
    def _choices(self) -> Choices:
        unit, _, length = str(self.query_one("#length", Select).value).partition(":")
        return Choices(
            decks=tuple(self.query_one("#decks", DeckPicker).selected),
            depth=str(self.query_one("#depth", Select).value),
            unit=unit,
            length=int(length) if length.isdigit() else 5,
            mode=str(self.query_one("#mode", Select).value),
            first=str(self.query_one("#first", Select).value),
        )

    def _pool(self, choices: Choices) -> list[Card]:
        decks = self.app.decks
        pool: list[Card] = []
        by_id = decks.by_id()
        for deck_id in choices.decks:
            if deck_id in by_id:
                pool.extend(by_id[deck_id].cards)
        if FAVOURITES in choices.decks:
            for star in store_rounds.starred(self.app.store):
                card = decks.card(star.key)
                if card is not None:
                    pool.append(card)
        return pool

    def action_start(self) -> None:
        if self._resuming:
            return
        from tui.screens.round_play import RoundPlayScreen

        app = self.app
        store = app.store
        choices = self._choices()
        if not choices.decks:
            self._say("#deck-error", "No deck chosen yet. Tick at least one deck with Space or Enter.")
            self.query_one("#decks", DeckPicker).focus()
            return
        store_rounds.remember_choices(store, choices)
        now = app.clock.now()
        rng = random.Random()
        seq = store_rounds.next_seq(store)
        plan = plan_round(self._pool(choices), choices, usage=store_rounds.usage(store), seq=seq,
                          window=store_rounds.repeat_window(store), rng=rng)
        if not plan.cards:
            self._say("#plan-error", "No cards fit these choices. Try another depth, another mode, or more decks.")
            return
        titles = {d.id: d.title for d in app.decks.decks}
        couple = app.couple
        state = new_round(plan, choices, deck_titles=titles, names=(couple[0].name, couple[1].name),
                          now=now, rng=rng)
        state = store_rounds.start_round(store, state)
        app.switch_screen(RoundPlayScreen(state.id))
