"""Question rounds: which cards, in what order, whose turn, and when answers may be seen.

Plain Python (no Textual), so the rules are tested with a fake clock and a seeded random
generator. The store keeps a round as `RoundState.to_dict()`; screens only ask this module
what comes next and what may be shown.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable

from .clock import UNKNOWN_TIME, read_time, stamp
from .decks import Card
from .partners import alternate, first_turn
from .text import typed_lines

# -- choices ------------------------------------------------------------------------------------

MODES: dict[str, str] = {"talk": "Talk", "write": "Write & reveal", "knowme": "Know me"}
MODE_ABOUT: dict[str, str] = {
    "talk": "One of you reads the card aloud, the other answers aloud. Then you swap.",
    "write": "You both write an answer privately, then see both side by side.",
    "knowme": "One of you answers about yourself, the other guesses. Then you compare.",
}
DEPTH_CHOICES: dict[str, str] = {
    "light": "Light",
    "deeper": "Deeper",
    "deepest": "Deepest",
    "climb": "Start light, go deeper",
}
FIXED_DEPTH = {"light": 1, "deeper": 2, "deepest": 3}
CARD_LENGTHS = (3, 5, 8, 12)
MINUTE_LENGTHS = (15, 30, 45)
#: A rough pace, so "30 minutes" can become a number of cards.
MINUTES_PER_CARD = {"talk": 6, "write": 5, "knowme": 5}
FIRST_CHOICES = ("a", "b", "random")
#: The pseudo-deck that plays from starred cards.
FAVOURITES = "*favourites"
MAX_ANSWER = 4000
TALK_TIMER_SECONDS = 180
CLOSING_TIMER_SECONDS = 20


@dataclass(frozen=True)
class Choices:
    """What the couple picked on the setup screen (also remembered for next time)."""

    decks: tuple[str, ...] = ()
    depth: str = "climb"
    unit: str = "cards"  # "cards" or "minutes"
    length: int = 5
    mode: str = "talk"
    first: str = "random"  # "a", "b" or "random"
    then_and_now: bool = False  # bring back one card answered six months ago or more

    def to_dict(self) -> dict[str, Any]:
        return {"decks": list(self.decks), "depth": self.depth, "unit": self.unit,
                "length": self.length, "mode": self.mode, "first": self.first,
                "then_and_now": self.then_and_now}

    @classmethod
    def from_dict(cls, raw: Any) -> "Choices":
        """Tolerant of anything stored: unknown values fall back to the defaults."""
        base = cls()
        if not isinstance(raw, dict):
            return base
        decks = raw.get("decks", [])
        decks = tuple(d for d in decks if isinstance(d, str)) if isinstance(decks, list) else ()
        depth = raw.get("depth") if raw.get("depth") in DEPTH_CHOICES else base.depth
        unit = raw.get("unit") if raw.get("unit") in ("cards", "minutes") else base.unit
        length = raw.get("length")
        top = 50 if unit == "cards" else 180
        if isinstance(length, bool) or not isinstance(length, int) or not 1 <= length <= top:
            length = (CARD_LENGTHS if unit == "cards" else MINUTE_LENGTHS)[1]
        mode = raw.get("mode") if raw.get("mode") in MODES else base.mode
        first = raw.get("first") if raw.get("first") in FIRST_CHOICES else base.first
        then_and_now = raw.get("then_and_now") is True
        return cls(decks, depth, unit, length, mode, first, then_and_now)


def card_count(choices: Choices) -> int:
    """How many cards a round of this length holds."""
    if choices.unit == "minutes":
        return max(1, choices.length // MINUTES_PER_CARD[choices.mode])
    return max(1, choices.length)


def length_label(unit: str, length: int) -> str:
    return f"{length} cards" if unit == "cards" else f"About {length} minutes"


# -- planning -------------------------------------------------------------------------------------

#: "Then and now": a card comes back only once this long has passed since it was last answered.
RETURN_AFTER = timedelta(days=182)


def fits_mode(card: Card, mode: str) -> bool:
    """Activities are done together, so they only suit Talk; writing needs questions; Know me
    needs a short answer the other can guess, so it takes only the cards marked know_me."""
    if mode == "knowme":
        return card.kind == "question" and card.know_me
    return mode == "talk" or card.kind == "question"


def depth_targets(depth: str, count: int) -> list[int]:
    """The depth wanted at each position. The climb spreads 1, 2, 3 evenly over the round."""
    if depth in FIXED_DEPTH:
        return [FIXED_DEPTH[depth]] * count
    return [1 + (3 * i) // count for i in range(count)] if count else []


def is_recent(last_seq: int | None, seq: int, window: int) -> bool:
    """Was the card met in one of the `window` rounds before round `seq`?"""
    return last_seq is not None and window > 0 and last_seq >= seq - window


@dataclass
class Plan:
    """The cards chosen for a round, and anything the couple should be told about them."""

    cards: list[Card]
    wanted: int
    again: set[str] = field(default_factory=set)  # card keys met before: every fresh card was used up
    returning: str | None = None  # "then and now": the one card brought back on purpose
    notes: list[str] = field(default_factory=list)

    @property
    def short(self) -> bool:
        return len(self.cards) < self.wanted


NO_RETURN_NOTE = "Then and now: none of these cards was answered six months ago or more yet, so none comes back."


def too_few_note(found: int) -> str:
    if found == 1:
        return "Only 1 card fits these choices, so this round has just that one."
    return f"Only {found} cards fit these choices, so this round has {found}."


def again_note(window: int, recent: bool) -> str:
    if recent:
        return (f"You've met every card here, some in your last {window} rounds, "
                "so the ones from longest ago come back first.")
    return "You've met every card here before, so the ones from longest ago come back first."


def fitting_cards(pool: Iterable[Card], choices: Choices) -> list[Card]:
    """The cards of `pool` these choices can draw (each once): mode, then a fixed depth."""
    seen: set[str] = set()
    cards: list[Card] = []
    for card in pool:
        if card.key not in seen and fits_mode(card, choices.mode):
            seen.add(card.key)
            cards.append(card)
    if choices.depth in FIXED_DEPTH:
        cards = [c for c in cards if c.depth == FIXED_DEPTH[choices.depth]]
    return cards


def returning_candidates(cards: Iterable[Card], answered: dict[str, datetime], now: datetime) -> list[Card]:
    """Cards last met RETURN_AFTER ago or more (and answered then), oldest first."""
    cutoff = now - RETURN_AFTER
    found = [c for c in cards if c.key in answered and answered[c.key] <= cutoff]
    return sorted(found, key=lambda c: (answered[c.key], c.key))


def plan_round(
    pool: Iterable[Card],
    choices: Choices,
    *,
    usage: dict[str, int],
    seq: int,
    window: int,
    rng: random.Random,
    answered: dict[str, datetime] | None = None,
    now: datetime | None = None,
) -> Plan:
    """Choose cards for round number `seq`.

    A card never met (`usage` maps card key to the last round it was in) always comes before any
    card met before, so a couple sees every card that fits before one repeats. Among cards met
    before, those outside the repeat window (`window` rounds) come before those inside it, and
    within each the least recently used first. With the climb a slot takes a fresh card from the
    nearest depth before any card comes back; among cards equally fresh, the nearest depth wins.

    With "then and now" chosen (`choices.then_and_now`), one card answered RETURN_AFTER ago or more
    (`answered`: card key -> when it was last met, for cards answered then) takes one slot.
    """
    wanted = card_count(choices)
    cards = fitting_cards(pool, choices)
    returning: Card | None = None
    if choices.then_and_now and answered and now is not None:
        candidates = returning_candidates(cards, answered, now)
        if candidates:
            returning = candidates[0]
            cards = [c for c in cards if c.key != returning.key]
    order = {c.key: rng.random() for c in cards}
    targets = depth_targets(choices.depth, wanted)
    if returning is not None:
        # the returning card takes the slot nearest its own depth
        targets.pop(min(range(len(targets)), key=lambda i: (abs(targets[i] - returning.depth), -i)))

    def tier(c: Card) -> int:
        last = usage.get(c.key)
        if last is None:
            return 0
        return 2 if is_recent(last, seq, window) else 1

    chosen: list[Card] = [returning] if returning is not None else []
    left = list(cards)
    for target in targets:
        if not left:
            break
        best = min(left, key=lambda c: (tier(c), abs(c.depth - target), usage.get(c.key, 0), order[c.key]))
        left.remove(best)
        chosen.append(best)
    if choices.depth == "climb":
        chosen.sort(key=lambda c: c.depth)  # stable: keeps the random order within a depth
    plan = Plan(chosen, wanted, returning=returning.key if returning is not None else None)
    plan.again = {c.key for c in chosen if c.key in usage and c is not returning}
    if plan.short:
        plan.notes.append(too_few_note(len(chosen)) if chosen else "No cards fit these choices.")
    if plan.again:
        plan.notes.append(again_note(window, any(is_recent(usage[k], seq, window) for k in plan.again)))
    if choices.then_and_now and returning is None and chosen:
        plan.notes.append(NO_RETURN_NOTE)
    return plan


# -- turns and the reveal ------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One screen of a card: who holds the keyboard and what they do.

    kind: "ask" (Talk: read aloud, listen), "write" (own answer), "self" (Know me: answer about
    yourself), "guess" (Know me: guess the other's answer), "reveal" (together: see it all).
    """

    kind: str
    partner: int | None  # None: both of you together

    @property
    def private(self) -> bool:
        return self.kind in ("write", "self", "guess")

    @property
    def hands_over(self) -> bool:
        """Steps that begin with the keyboard being passed (the curtain)."""
        return self.partner is not None


def steps_for(mode: str, leader: int, kind: str = "question") -> list[Step]:
    """The steps of one card. `leader` asks first (Talk), writes first, or is the one guessed.

    In Talk the roles swap on the same card; an activity is done together, so it is read once.
    """
    other = 1 - leader
    if mode == "talk":
        if kind == "activity":
            return [Step("ask", leader), Step("reveal", None)]
        return [Step("ask", leader), Step("ask", other), Step("reveal", None)]
    if mode == "write":
        return [Step("write", leader), Step("write", other), Step("reveal", None)]
    if mode == "knowme":
        return [Step("self", leader), Step("guess", other), Step("reveal", None)]
    raise ValueError(f"unknown mode {mode!r}")


def leaders(first: int, count: int) -> list[int]:
    """Who leads each card: alternating, so the roles swap card by card."""
    return alternate(first, count)


def clean_answer(raw: str) -> str:
    """Every character typed or pasted is kept (tui/core/text.py); blank ends trimmed; length capped."""
    return typed_lines(raw).strip(" \t\n")[:MAX_ANSWER]


def answer_problem(raw: str) -> str | None:
    """Why a typed answer can't be saved as it is, or None."""
    text = clean_answer(raw)
    if not text.strip():
        return "Write a few words first, or pass on this card."
    if len(raw.strip()) > MAX_ANSWER:
        return f"That's a lot to hold. Please keep it under {MAX_ANSWER} characters."
    return None


def note_problem(raw: str) -> str | None:
    """Why a Talk note can't be kept as it is, or None: an empty note is fine, a cut one is not."""
    if len(typed_lines(raw).strip(" \t\n")) > MAX_ANSWER:  # what clean_answer would cut
        return f"That note is longer than {MAX_ANSWER:,} characters. Shorten it to keep it; nothing is lost meanwhile."
    return None


@dataclass
class CardPlay:
    """A card within a round, with its answers so far."""

    key: str
    text: str
    deck: str  # deck title at the time
    depth: int
    kind: str
    follow_ups: tuple[str, ...]
    leader: int
    again: bool = False
    returning: bool = False  # "then and now": brought back on purpose, marked as coming back
    step: int = 0
    status: str = "open"  # "open", "done" or "passed"
    answers: dict[int, str] = field(default_factory=dict)  # partner → own answer (or guess in Know me)
    notes: dict[int, str] = field(default_factory=dict)  # Talk: a short note each asker kept
    closeness: str | None = None  # Know me, said by the one who answered
    done_at: datetime | None = None
    #: answers never revealed that their writer chose to keep for themselves alone: never shown
    #: at a reveal, in search or to the partner; History shows them to the writer behind a curtain
    kept: dict[int, str] = field(default_factory=dict)
    #: a round played apart (tui/core/apart.py): who has seen the reveal on their own computer;
    #: each partner writes only their own key, so two homes never write over each other
    seen: dict[int, bool] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "text": self.text, "deck": self.deck, "depth": self.depth, "kind": self.kind,
            "follow_ups": list(self.follow_ups), "leader": self.leader, "again": self.again,
            "returning": self.returning,
            "step": self.step, "status": self.status,
            "answers": {str(k): v for k, v in self.answers.items()},
            "notes": {str(k): v for k, v in self.notes.items()},
            "closeness": self.closeness, "done_at": stamp(self.done_at) if self.done_at else None,
            **({"kept": {str(k): v for k, v in self.kept.items()}} if self.kept else {}),
            **({"seen": {str(k): v for k, v in self.seen.items()}} if self.seen else {}),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "CardPlay":
        return cls(
            key=str(raw.get("key", "")), text=str(raw.get("text", "")), deck=str(raw.get("deck", "")),
            depth=int(raw.get("depth", 1)), kind=str(raw.get("kind", "question")),
            follow_ups=tuple(raw.get("follow_ups", ())), leader=int(raw.get("leader", 0)) % 2,
            again=bool(raw.get("again", False)), returning=raw.get("returning") is True,
            step=int(raw.get("step", 0)),
            status=str(raw.get("status", "open")),
            answers={int(k): str(v) for k, v in (raw.get("answers") or {}).items()},
            notes={int(k): str(v) for k, v in (raw.get("notes") or {}).items()},
            closeness=raw.get("closeness"),
            done_at=read_time(raw["done_at"]) if raw.get("done_at") else None,
            kept={int(k): str(v) for k, v in (raw.get("kept") or {}).items()},
            seen={int(k): True for k, v in (raw.get("seen") or {}).items() if str(k) in ("0", "1") and v is True},
        )

    @classmethod
    def from_card(cls, card: Card, deck_title: str, leader: int, again: bool = False,
                  returning: bool = False) -> "CardPlay":
        return cls(card.key, card.text, deck_title, card.depth, card.kind, card.follow_ups, leader, again,
                   returning)

    @property
    def subject(self) -> int:
        """Know me: whose answer is being guessed."""
        return self.leader

    @property
    def guesser(self) -> int:
        return 1 - self.leader


@dataclass
class RoundState:
    """A round in progress (or finished): its cards, where it stands, and its choices."""

    mode: str
    cards: list[CardPlay]
    started: datetime
    choices: Choices = field(default_factory=Choices)
    id: str = ""
    seq: int = 0
    position: int = 0  # index of the current card
    status: str = "open"  # "open", "done" (ended with a summary) or "left" (set aside for a new one)
    ended: datetime | None = None
    deck_titles: tuple[str, ...] = ()
    names: tuple[str, str] = ("", "")
    notes: tuple[str, ...] = ()
    closing: str = ""
    #: each partner answers on their own computer, at their own time (tui/core/apart.py); the
    #: shared `position` and `step` are then not used, as both homes would move them
    apart: bool = False

    # -- where we are --------------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        return self.position >= len(self.cards)

    @property
    def card(self) -> CardPlay | None:
        return None if self.finished else self.cards[self.position]

    @property
    def steps(self) -> list[Step]:
        card = self.card
        return steps_for(self.mode, card.leader, card.kind) if card else []

    @property
    def step(self) -> Step | None:
        card = self.card
        if card is None:
            return None
        steps = self.steps
        return steps[min(card.step, len(steps) - 1)]

    # -- moving on ------------------------------------------------------------------------------
    def submit(self, text: str) -> Step | None:
        """Keep what the person at the keyboard wrote for this step, and move to the next step."""
        card, step = self.card, self.step
        if card is None or step is None or step.kind == "reveal":
            raise ValueError("nothing to submit at this point of the round")
        text = clean_answer(text)
        if step.kind == "ask":
            if text:
                card.notes[step.partner] = text
        else:
            if not text:
                raise ValueError("an answer cannot be empty")
            card.answers[step.partner] = text
        card.step += 1
        return self.step

    def rate(self, closeness: str) -> None:
        card = self.card
        if card is None or self.mode != "knowme" or self.step.kind != "reveal":
            raise ValueError("closeness is only said at a Know me reveal")
        card.closeness = closeness

    def finish_card(self, now: datetime) -> CardPlay:
        """The card's reveal is over: mark it done and go to the next card."""
        card, step = self.card, self.step
        if card is None or step is None or step.kind != "reveal":
            raise ValueError("a card is finished from its reveal")
        if self.mode == "knowme" and card.closeness is None:
            raise ValueError("say how close the guess was first")
        if card.status != "done":
            card.status = "done"
            card.done_at = now
        self.position += 1
        return card

    def reveal(self, now: datetime) -> CardPlay:
        """The answers are on screen together: from now on the card counts as shared, whatever way
        the round is left (End it here, a quit, a closed terminal, setting it aside)."""
        card, step = self.card, self.step
        if card is None or step is None or step.kind != "reveal":
            raise ValueError("a card is revealed at its reveal step")
        if card.status == "open":
            card.status = "done"
            card.done_at = now
        return card

    def unrevealed_writers(self) -> list[int]:
        """Who wrote an answer to the current card that has not been seen together yet: they are
        asked whether to keep it for themselves before the card is passed or the round ends."""
        card, step = self.card, self.step
        if card is None or step is None or card.status == "done" or self.mode == "talk":
            return []
        return sorted(card.answers)

    def _set_aside_answers(self, card: CardPlay, keep: Iterable[int]) -> None:
        """Unrevealed answers leave the card: kept for their writer alone, or let go."""
        for p in keep:
            if p in card.answers:
                card.kept[p] = card.answers[p]
        card.answers.clear()

    def pass_card(self, now: datetime, keep: Iterable[int] = ()) -> CardPlay:
        """Set the card aside, at any step: no penalty, nothing counted. Unrevealed words go,
        except those their writer chose to keep for themselves (`keep`). Talk notes stay: they
        are never private."""
        card = self.card
        if card is None:
            raise ValueError("no card to pass")
        if card.status != "done":
            self._set_aside_answers(card, keep)
            card.status = "passed"
            card.done_at = now
        self.position += 1
        return card

    def end_early(self, keep: Iterable[int] = ()) -> None:
        """End the round at the current card. A revealed card stays shared; unrevealed answers are
        kept for their writers (`keep`) or let go; cards not begun are marked unplayed."""
        card = self.card
        if card is not None and card.status == "open" and self.mode != "talk":
            self._set_aside_answers(card, keep)
        for card in self.cards[self.position:]:
            if card.status == "open" and not card.answers and not card.notes:
                card.status = "unplayed"
        self.position = len(self.cards)

    # -- what may be seen ------------------------------------------------------------------------
    def visible_answers(self) -> dict[int, str]:
        """Answers that may be on screen now: only at the reveal (Talk notes are never private)."""
        card, step = self.card, self.step
        if card is None or step is None:
            return {}
        if step.kind == "reveal":
            return dict(card.answers)
        return {}

    # -- counting -------------------------------------------------------------------------------
    @property
    def played(self) -> list[CardPlay]:
        return [c for c in self.cards if c.status == "done"]

    @property
    def gone_through(self) -> list[CardPlay]:
        """The cards a round's summary counts: those revealed, and in Talk a card passed after
        one of you had asked and kept a note. A note is said aloud and never private, so such a
        card was shared, not passed over (a pass alone still counts nothing)."""
        return [c for c in self.cards if c.status == "done" or (c.status == "passed" and c.notes)]

    @property
    def card_number(self) -> int:
        """1-based number of the current card among those in the round."""
        return min(self.position + 1, len(self.cards))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "seq": self.seq, "mode": self.mode, "status": self.status,
            "started": stamp(self.started), "ended": stamp(self.ended) if self.ended else None,
            "position": self.position, "choices": self.choices.to_dict(),
            "deck_titles": list(self.deck_titles), "names": list(self.names), "notes": list(self.notes),
            "closing": self.closing, "cards": [c.to_dict() for c in self.cards],
            **({"apart": True} if self.apart else {}),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "RoundState":
        names = list(raw.get("names") or ["", ""]) + ["", ""]
        return cls(
            mode=stored_mode(raw),
            cards=[CardPlay.from_dict(c) for c in raw.get("cards", []) if isinstance(c, dict)],
            started=read_time(raw["started"]),
            choices=Choices.from_dict(raw.get("choices")),
            id=str(raw.get("id", "")), seq=int(raw.get("seq", 0)),
            position=int(raw.get("position", 0)), status=str(raw.get("status", "open")),
            ended=read_time(raw["ended"]) if raw.get("ended") else None,
            deck_titles=tuple(raw.get("deck_titles", ())), names=(str(names[0]), str(names[1])),
            notes=tuple(raw.get("notes", ())), closing=str(raw.get("closing", "")),
            apart=raw.get("apart") is True,
        )


def stored_mode(raw: dict[str, Any]) -> str:
    """A stored round's mode; anything unknown is read as Talk."""
    mode = raw.get("mode")
    return mode if isinstance(mode, str) and mode in MODES else "talk"


@dataclass(frozen=True)
class RoundSummary:
    """What a list of rounds shows about one, read without building its cards
    (History lists every round; at ten years that was 18,000 cards to build)."""

    id: str
    started: datetime
    seq: int
    mode: str
    deck_titles: tuple[str, ...]
    played: int  # cards done
    status: str
    apart: bool = False  # played apart: open means "in progress", not "left unfinished"

    @classmethod
    def from_dict(cls, raw: dict[str, Any], round_id: str) -> "RoundSummary":
        cards = raw.get("cards")
        played = sum(1 for c in cards if isinstance(c, dict) and c.get("status") == "done") if isinstance(cards, list) else 0
        return cls(
            id=round_id, started=read_time(raw["started"]), seq=int(raw.get("seq", 0)),
            mode=stored_mode(raw),
            deck_titles=tuple(raw.get("deck_titles", ())), played=played,
            status=str(raw.get("status", "open")), apart=raw.get("apart") is True,
        )

    @classmethod
    def of(cls, state: "RoundState") -> "RoundSummary":
        played = sum(1 for c in state.cards if c.status == "done")
        return cls(state.id, state.started, state.seq, state.mode, state.deck_titles, played, state.status,
                   state.apart)


def new_round(
    plan: Plan,
    choices: Choices,
    *,
    deck_titles: dict[str, str],
    names: tuple[str, str],
    now: datetime,
    rng: random.Random,
) -> RoundState:
    """A fresh round from a plan: leaders alternate from who goes first."""
    first = first_turn(choices.first, rng)
    order = leaders(first, len(plan.cards))
    cards = [
        CardPlay.from_card(card, deck_titles.get(card.deck_id, card.deck_id), order[i], card.key in plan.again,
                           card.key == plan.returning)
        for i, card in enumerate(plan.cards)
    ]
    titles = tuple(deck_titles.get(d, "Favourites" if d == FAVOURITES else d) for d in choices.decks)
    return RoundState(choices.mode, cards, now, choices, deck_titles=titles, names=names, notes=tuple(plan.notes))


# -- Know me: what landed -------------------------------------------------------------------------

CLOSENESS_DEFAULT = ("Spot on", "Close", "Not quite")


@dataclass(frozen=True)
class Discovery:
    """Know me, one card: who guessed about whom, and how close it was."""

    text: str
    subject: int
    guesser: int
    closeness: str
    landed: bool  # spot on or close: something already known


def discoveries(state: RoundState, labels: tuple[str, ...] = CLOSENESS_DEFAULT) -> list[Discovery]:
    """The revealed Know me cards, in order. "Landed" means spot on or close."""
    landed = set(labels[:2])
    return [
        Discovery(c.text, c.subject, c.guesser, c.closeness, c.closeness in landed)
        for c in state.played if c.closeness
    ]


def closeness_tally(found: list[Discovery]) -> dict[int, Counter]:
    """Per guesser: how many guesses were spot on, close, not quite. Shown as discovery, not a score."""
    tally: dict[int, Counter] = {0: Counter(), 1: Counter()}
    for d in found:
        tally[d.guesser][d.closeness] += 1
    return tally


def tally_line(counter: Counter, labels: tuple[str, ...] = CLOSENESS_DEFAULT) -> str:
    """'2 spot on, 1 close, 1 still to discover' (no totals, no percentages)."""
    parts = []
    for label, count in ((labels[0], counter[labels[0]]), (labels[1], counter[labels[1]])):
        if count:
            parts.append(f"{count} {label.lower()}")
    if counter[labels[2]]:
        parts.append(f"{counter[labels[2]]} still to discover")
    return ", ".join(parts)


# -- time words --------------------------------------------------------------------------------------

def _plural(n: int, word: str) -> str:
    return f"a {word} ago" if n == 1 else f"{n} {word}s ago"


def ago(then: datetime, now: datetime) -> str:
    """'earlier today', 'yesterday', '5 days ago', '3 weeks ago', '14 months ago', '2 years ago'."""
    then_local = then.astimezone(now.tzinfo) if now.tzinfo else then
    days = (now.date() - then_local.date()).days
    if days <= 0:
        return "earlier today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    months = (now.year - then_local.year) * 12 + now.month - then_local.month
    if now.day < then_local.day:
        months -= 1
    if months < 2:
        return _plural(days // 7, "week")
    if months < 24:
        return _plural(months, "month")
    return _plural(months // 12, "year")


def when_label(when: datetime) -> str:
    """'Sat 14 Mar 2026', for lists of rounds ('date unknown' for a stored time that cannot be read)."""
    if when == UNKNOWN_TIME:
        return "date unknown"
    return f"{when:%a} {when.day} {when:%b %Y}"


def minutes_left(state: RoundState, now: datetime) -> int | None:
    """For rounds measured in minutes: whole minutes left (0 when the time is up)."""
    if state.choices.unit != "minutes":
        return None
    spent = (now - state.started).total_seconds() / 60
    return max(0, int(state.choices.length - spent + 0.999))


# -- search ------------------------------------------------------------------------------------------

def fold(text: str) -> str:
    """Text as search compares it: NFC (so a precomposed é and e + combining accent are one),
    then case-folded (ß finds ss), then NFC again (case folding can leave text unnormalised)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


def find_folded(text: str, words: str) -> int:
    """Where `words` first occurs in NFC(`text`), compared folded; -1 if nowhere. The index is
    into NFC(`text`), also when folding changes lengths (ß → ss), so a snippet can be cut there."""
    needle = fold(" ".join(words.split()))
    plain = unicodedata.normalize("NFC", text)
    folded, origin = "", []
    for i, ch in enumerate(plain):
        part = ch.casefold()
        folded += part
        origin.extend([i] * len(part))
    folded_nfc = unicodedata.normalize("NFC", folded)
    if not needle:
        return -1
    at = folded_nfc.find(needle)
    if at < 0:
        return -1
    if len(folded_nfc) != len(folded):  # rare: refolding merged characters; close enough
        return min(len(plain) - 1, at * len(plain) // max(1, len(folded_nfc)))
    return origin[at]


def pick(texts: list[str], count: int, rng: random.Random) -> list[str]:
    """A few distinct texts (listening prompts, a closing suggestion)."""
    if not texts:
        return []
    return rng.sample(texts, min(count, len(texts)))
