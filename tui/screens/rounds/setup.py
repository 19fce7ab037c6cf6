"""Setting up a question round: decks, depth, length, mode and who goes first.

When a round was left unfinished, this screen first offers to resume it.
"""

from __future__ import annotations

import random

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Header, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ...widgets.footer import HearthFooter
from ..shared.styled_once import StyledOnce
from ...widgets.light_select import LightSelect
from ...widgets.toggles import MarkedCheckbox
from ...widgets.warm_styles import parse_ahead
from ...core import challenges
from ...core.decks import Card, Deck, shown_decks
from ...core.rounds import (
    CARD_LENGTHS,
    DEPTH_CHOICES,
    FAVOURITES,
    MINUTE_LENGTHS,
    MODE_ABOUT,
    MODES,
    Choices,
    Plan,
    RoundState,
    length_label,
    new_round,
    plan_round,
    when_label,
)
from ...store import challenges as store_challenges
from ...store import rounds as store_rounds
from ...store.optin import decks_on
from .apart_setup import ApartChoice
from .deck_prompt import DeckPrompt


class DeckPicker(OptionList):
    """A multi-select list of decks: each shows [x] or [ ], its title, card count and a line about it.

    (Textual's SelectionList keeps only one line per option; a deck needs two.)
    """

    BINDINGS = [Binding("space", "toggle", "Tick deck", show=False, id="rounds.deck_picker.toggle")]

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

    def _prompt(self, entry: tuple[str, str, str, bool]) -> DeckPrompt:
        value, title, about, enabled = entry
        mark = "[x] " if value in self.chosen else "[ ] "
        return DeckPrompt(Content.styled(mark + title, "bold"), Content.styled(about, "dim") if about else None)

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


class RoundSetupScreen(StyledOnce, ApartChoice, Screen[None]):
    """Choose and start a round (or resume the one left open)."""

    SUB_TITLE = "Question round"
    HELP = (
        "Pick one or more decks (Space or Enter ticks a deck), how deep the cards go, how long the "
        "round is, the way you'll play, and who goes first. 'Start light, go deeper' begins with "
        "easy cards and goes deeper as the round goes on. Cards you've met in recent rounds rest for "
        "a while (Settings says how long), and cards you have never met always come first. 'Then and "
        "now' brings back one card you answered six months ago or more, to see what changed. A "
        "challenge deck is played one day at a time: tick it on its own, pick a week, and start to "
        "play today's card. Know me draws only cards with short answers to guess. Favourites plays "
        "the cards you starred. Opt-in decks appear once turned on in Settings. Your last choices "
        "are remembered. If a round was left unfinished, you can pick it up where you stopped."
    )
    # The deck list, not the scrolling body: the body took focus first and gave it to the list on
    # mount, each change restyling the sixty widgets inside it (measured: a third of the open).
    AUTO_FOCUS = "#decks"
    BINDINGS = [
        Binding("ctrl+s", "start", "Start", id="rounds.round_setup.start"),
        Binding("escape", "back", "Back", id="rounds.round_setup.back"),
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
    RoundSetupScreen .challenge-says { width: 1fr; margin-top: 1; display: none; }
    RoundSetupScreen #then-and-now { margin: 1 0 0 0; border: none; padding: 0; height: 1; width: auto; }
    RoundSetupScreen #then-and-now:focus { border: none; }
    RoundSetupScreen .setup-note { height: auto; }
    RoundSetupScreen .setup-note.-empty { display: none; }
    RoundSetupScreen #challenge-row { height: auto; }
    RoundSetupScreen #challenge-row Label { width: 7; margin-top: 1; }
    RoundSetupScreen #challenge-week { width: 1fr; }
    RoundSetupScreen #start { margin: 0; }
    /* linked: "Play apart" adds a line; two lines of space go so Start still shows at 80x24 */
    RoundSetupScreen.-apart #decks { margin-top: 0; }
    RoundSetupScreen.-apart #then-and-now { margin-top: 0; }
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
        apart_box = self.apart_box()  # first: it says whose computer this is, which the offer needs
        self.set_class(bool(apart_box), "-apart")
        self._waiting = self.waiting_round(store_rounds.open_round(store))
        yield Header()
        with VerticalScroll(id="setup-body"):
            if self._waiting is not None:  # composed only when there is a round to offer
                yield from self._resume_box()
            with Vertical(id="form"):
                entries: list[tuple[str, str, str, bool]] = [
                    (deck.id, deck_label(deck), deck.description, True)
                    for deck in shown_decks(app.decks.decks, decks_on(store))
                ]
                if stars:
                    entries.append((FAVOURITES, f"★ Favourites · {len(stars)} starred", "The cards you starred.", True))
                else:
                    entries.append((FAVOURITES, "★ Favourites", "Star a card at its reveal to add it here.", False))
                picker = DeckPicker(entries, picked, id="decks")
                picker.border_title = "Decks · Space or Enter ticks one or more"
                yield picker
                yield Static("", id="deck-error", classes="field-error -empty")
                with Horizontal(classes="row", id="depth-row"):
                    with Horizontal(classes="cell"):
                        yield Label("Depth")
                        yield LightSelect([(label, key) for key, label in DEPTH_CHOICES.items()],
                                     value=last.depth, allow_blank=False, id="depth")
                    with Horizontal(classes="cell"):
                        yield Label("Length")
                        lengths = [(length_label("cards", n), f"cards:{n}") for n in CARD_LENGTHS]
                        lengths += [(length_label("minutes", n), f"minutes:{n}") for n in MINUTE_LENGTHS]
                        wanted = f"{last.unit}:{last.length}"
                        yield LightSelect(lengths, value=wanted if wanted in {v for _, v in lengths} else "cards:5",
                                     allow_blank=False, id="length")
                with Horizontal(classes="row"):
                    with Horizontal(classes="cell"):
                        yield Label("Mode")
                        yield LightSelect([(label, key) for key, label in MODES.items()],
                                     value=last.mode, allow_blank=False, id="mode")
                        # a challenge day is always talked through: it says so in place of the choice
                        yield Static(f"Challenge day · {MODES['talk']}, 1 card", id="mode-challenge", classes="challenge-says")
                    with Horizontal(classes="cell"):
                        yield Label("First")
                        yield LightSelect([(couple[0].label, "a"), (couple[1].label, "b"), ("Pick at random", "random")],
                                     value=last.first, allow_blank=False, id="first")
                yield Static(MODE_ABOUT[last.mode], id="mode-about")
                yield Static("", id="knowme-note", classes="setup-note -empty")
                yield from apart_box
                # the week's row (a challenge deck ticked alone) is added when first shown
                yield Static("", id="challenge-info", classes="setup-note -empty")
                yield Static("", id="plan-error", classes="field-error -empty")
                # on a line of its own above the button: beside it, the two crowded one line
                yield MarkedCheckbox("Then and now: a card from six months ago or more",
                                     last.then_and_now, id="then-and-now")
                yield Button("Start the round", id="start", variant="primary")
        yield HearthFooter()

    def _resume_box(self) -> list[Widget]:
        return [Vertical(Static(id="resume-text"),
                         Horizontal(Button("Resume", id="resume", variant="primary"),
                                    Button("Start a new round", id="fresh"), id="resume-buttons"),
                         id="resume-box")]

    def on_mount(self) -> None:
        self._show_resume_offer(self._waiting)
        self._refresh_notes()

    def on_resize(self, event: events.Resize) -> None:
        """The deck list takes the rows a taller window has to spare (9 fit at 80x24)."""
        self.query_one("#decks", DeckPicker).styles.max_height = max(9, event.size.height - 15)

    _waiting: RoundState | None = None

    def _show_resume_offer(self, state: RoundState | None | bool = False) -> None:
        """Offer the round left open (or waiting apart), else show the form. `state` False: look again."""
        if state is False:
            state = self.waiting_round(store_rounds.open_round(self.app.store))
        if state is not None and not self.query("#resume-box"):
            self.query_one("#setup-body").mount_all(self._resume_box(), before="#form")
        box = self.query("#resume-box")
        form = self.query_one("#form")
        self._resuming = state is not None
        box.set(display=self._resuming)
        form.display = not self._resuming
        if self._apart_offer:
            self.query_one("#resume-text", Static).update(self.apart_offer_text(state))
            self._focus_later("#resume")
        elif state is not None:
            self.query_one("#resume-text", Static).update(Text(
                f"You left a round on {when_label(state.started)}: {MODES[state.mode]}, "
                f"card {state.card_number} of {len(state.cards)}. Pick it up where you stopped?"
            ))
            self._focus_later("#resume")
        else:
            self.query_one("#decks", DeckPicker).focus()
        self.refresh_bindings()

    def _focus_later(self, where: str) -> None:
        """Focus a widget that may have been mounted just now (focus waits for it)."""
        widget = self.query_one(where)
        if widget.is_mounted:
            widget.focus()
        else:
            self.call_after_refresh(widget.focus)

    # -- events --------------------------------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        self._say("#plan-error", "")
        if event.select.id in ("mode", "challenge-week"):
            self._refresh_notes(week_changed=event.select.id == "challenge-week")

    def on_deck_picker_changed(self, event: DeckPicker.Changed) -> None:
        if event.picker.selected:
            self._say("#deck-error", "")
        self._say("#plan-error", "")
        self._refresh_notes()

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
        elif bid == "fresh" and self._apart_offer:
            self.put_off_apart()
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
        from .play import RoundPlayScreen

        if self._apart_offer:
            self.open_apart(self._apart_offer)
            return
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
            then_and_now=self.query_one("#then-and-now", MarkedCheckbox).value,
        )

    def _pool(self, choices: Choices) -> list[Card]:
        decks = self.app.decks
        pool: list[Card] = []
        by_id = {d.id: d for d in self._shown()}
        for deck_id in choices.decks:
            if deck_id in by_id and not by_id[deck_id].challenge:
                pool.extend(by_id[deck_id].cards)
        if FAVOURITES in choices.decks:
            for star in store_rounds.starred(self.app.store):
                card = decks.card(star.key)
                if card is not None and card.deck_id in by_id:  # a hidden deck's stars stay out
                    pool.append(card)
        return pool

    def action_start(self) -> None:
        if self._resuming:
            return
        from .play import RoundPlayScreen

        app = self.app
        store = app.store
        choices = self._choices()
        if not choices.decks:
            self._say("#deck-error", "No deck chosen yet. Tick at least one deck with Space or Enter.")
            self.query_one("#decks", DeckPicker).focus()
            return
        if self.apart_note(choices.mode):
            self._say("#plan-error", self.apart_note(choices.mode))
            return
        store_rounds.remember_choices(store, choices)
        now = app.clock.now()
        rng = random.Random()
        challenge = self._chosen_challenges()
        if challenge:
            self._start_challenge(choices, challenge, now, rng)
            return
        seq = store_rounds.next_seq(store)
        answered = store_rounds.last_answered(store) if choices.then_and_now else None
        plan = plan_round(self._pool(choices), choices, usage=store_rounds.usage(store), seq=seq,
                          window=store_rounds.repeat_window(store), rng=rng, answered=answered, now=now)
        if not plan.cards:
            if self._knowme_note(choices.mode):  # the note above already says why: one message, not two
                self._say("#plan-error", "")
                self.query_one("#decks", DeckPicker).focus()
                return
            self._say("#plan-error", "No cards fit these choices. Try another depth, another mode, or more decks.")
            return
        titles = {d.id: d.title for d in app.decks.decks}
        couple = app.couple
        state = new_round(plan, choices, deck_titles=titles, names=(couple[0].name, couple[1].name),
                          now=now, rng=rng)
        state.apart = self.apart_chosen()
        self.remember_apart()
        state = store_rounds.start_round(store, state)
        if state.apart:
            self.open_apart(state.id)
            return
        app.switch_screen(RoundPlayScreen(state.id))

    # -- know me, then-and-now, challenges ----------------------------------------------------------
    def _shown(self) -> list[Deck]:
        """The decks this couple sees: opt-in ones only once turned on in Settings."""
        return shown_decks(self.app.decks.decks, decks_on(self.app.store))

    def _chosen_challenges(self) -> list[Deck]:
        chosen = set(self.query_one("#decks", DeckPicker).selected)
        return [d for d in self._shown() if d.challenge and d.id in chosen]

    def _knowme_note(self, mode: str) -> str:
        """Why Know me cannot start with the decks ticked (none has a card to guess), or ""."""
        if mode != "knowme":
            return ""
        shown = {d.id: d for d in self._shown()}
        plain = [shown[d] for d in self.query_one("#decks", DeckPicker).selected if d in shown and not shown[d].challenge]
        if plain and not any(c.know_me for d in plain for c in d.cards):
            return ("Know me draws only cards with short answers to guess, and the chosen decks have none. "
                    "Add a deck that has them, or pick another way to play.")
        return ""

    def _refresh_notes(self, week_changed: bool = False) -> None:
        """Lines that follow the choices: Know me without Know me cards, and a chosen challenge."""
        picker = self.query_one("#decks", DeckPicker)
        mode = str(self.query_one("#mode", Select).value)
        shown = {d.id: d for d in self._shown()}
        plain = [shown[d] for d in picker.selected if d in shown and not shown[d].challenge]
        self._say("#knowme-note", self.apart_note(mode) or self._knowme_note(mode))
        challenge = self._chosen_challenges()
        self._week_row(len(challenge) == 1)
        self.query_one("#then-and-now").display = not challenge
        self._show_day_alone(len(challenge) == 1 and not plain and FAVOURITES not in picker.selected, mode)
        if not challenge:
            self._say("#challenge-info", "")
            return
        if len(challenge) > 1 or plain or FAVOURITES in picker.selected:
            self._say("#challenge-info", "A challenge is played on its own, one day at a time: "
                      "tick just that deck to play today's card.")
            return
        deck = challenge[0]
        week_select = self._week()
        assert week_select is not None  # made above: one challenge deck is ticked
        found = store_challenges.progress(self.app.store, deck.id, self.app.clock.now())
        if not week_changed:
            options = [(deck.week_title(w), w) for w in deck.week_numbers()]
            week_select.set_options(options)
            if options:
                week_select.value = challenges.default_week(deck, found)
        week = week_select.value
        if not isinstance(week, int):
            self._say("#challenge-info", "Pick a week to begin.")
            return
        self._say("#challenge-info", challenges.setup_line(self._today(deck, found, week)))

    def _week_row(self, shown: bool) -> None:
        """The challenge's week choice, made the first time it is shown."""
        found = self.query("#challenge-row")
        if found:
            found.first().display = shown
        elif shown:
            self._week_select = LightSelect([], id="challenge-week", allow_blank=True, prompt="Pick a week")
            self.query_one("#form").mount(Horizontal(Label("Week"), self._week_select, id="challenge-row"),
                                          before="#challenge-info")

    _week_select: LightSelect | None = None

    def _week(self) -> LightSelect | None:
        """The week choice (None until a challenge deck was ticked alone); it may be mounting still."""
        return self._week_select

    def _show_day_alone(self, day: bool, mode: str) -> None:
        """A challenge day is one card, talked through: the mode's line says that, not the
        choices kept for other rounds (which come back as they were once the challenge is unticked)."""
        self.query_one("#mode", Select).display = not day
        self.query_one("#mode-challenge", Static).display = day
        # A day is one card whatever the depth, and the day's line below says so: the depth row
        # and the mode's line give their four rows to the week's choice, so Start still shows at 80x24.
        self.query_one("#depth-row").display = not day
        about = self.query_one("#mode-about", Static)
        about.display = not day
        if not day:
            about.update(MODE_ABOUT.get(mode, ""))

    def _today(self, deck: Deck, found: challenges.Progress | None, week: int) -> challenges.Today:
        """What the challenge offers for `week`: the week under way, or a fresh start of it."""
        return store_challenges.offer(self.app.store, deck, found, week, self.app.clock.now())

    def _start_challenge(self, choices: Choices, chosen: list[Deck], now, rng: random.Random) -> None:
        """Today's card of the chosen week, as a one-card Talk round; finishing it marks the day done."""
        from .play import RoundPlayScreen

        app, store = self.app, self.app.store
        picker = self.query_one("#decks", DeckPicker)
        if len(chosen) > 1 or len(picker.selected) > 1:
            self._refresh_notes()
            return
        deck = chosen[0]
        week_select = self._week()
        week = week_select.value if week_select is not None else None
        if not isinstance(week, int):
            self._say("#plan-error", "Pick a week to begin.")
            return
        found = store_challenges.progress(store, deck.id, now)
        if found is None or found.week != week or challenges.next_day(deck, found) is None:
            found = challenges.start_week(deck, week)
        offer = store_challenges.offer(store, deck, found, week, now)  # on the couple's day
        if offer.card is None or not offer.ready:
            self._say("#plan-error", challenges.setup_line(offer))
            return
        talk = Choices(decks=(deck.id,), depth=choices.depth, unit="cards", length=1, mode="talk",
                       first=choices.first)
        couple = app.couple
        title = f"{deck.title}, {deck.week_title(offer.week)}, day {offer.day} of {offer.total}"
        state = new_round(Plan([offer.card], 1), talk, deck_titles={deck.id: title},
                          names=(couple[0].name, couple[1].name), now=now, rng=rng)
        state = store_rounds.start_round(store, state)
        store_challenges.begun(store, found, offer.day, state.id)
        app.switch_screen(RoundPlayScreen(state.id))


def warm(app) -> None:
    """While home is idle (HearthApp._preload_next): the styles of this screen's widgets are
    parsed ahead, so the key that opens it does not wait on them (issue 17)."""
    from textual.widgets._select import SelectCurrent

    parse_ahead(app, RoundSetupScreen, DeckPicker, LightSelect, SelectCurrent, MarkedCheckbox, Button, Label,
                Horizontal, Vertical, VerticalScroll)


def deck_label(deck: Deck) -> str:
    """'Title · 40 cards', or for a challenge 'Title · challenge, 4 weeks of days'."""
    if deck.challenge:
        weeks = len(deck.week_numbers())
        return f"{deck.title} · challenge, {weeks} week{'s' if weeks != 1 else ''}, one card a day"
    return f"{deck.title} · {len(deck.cards)} cards"
