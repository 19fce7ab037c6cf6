"""Question rounds played apart: each partner answers on their own computer, at their own time,
and a card's reveal opens on either computer once both answers are there.

Why the rules look like this: two homes merge a round field by field, and a field both write
ends with only one of their values. So nothing here reads or moves the shared `position` or
`step` (both homes would bump them). What each card needs is derived from what is there:

- `answers[p]`: written only by partner p's computer (Write: p's answer; Know me: the subject's
  answer about themselves, or the guesser's guess);
- `seen[p]`: partner p has seen the reveal on their own computer (only p writes it);
- `status`: "open" until the first reveal anywhere makes it "done" (shared from then on), or
  "passed"; both homes may write "done", which is the same value on both.

Plain Python with an injected `now`, like tui.core.rounds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from .rounds import MODES, CardPlay, RoundState, answer_problem, clean_answer

#: Modes that can be played apart: they are written, not spoken.
APART_MODES = ("write", "knowme")
TALK_APART = ("Talk is spoken, so it is for when you are together or on a call. "
              "Write & reveal and Know me can be played apart.")
#: A card that is no longer played: passed, or never begun in a round ended early.
SET_ASIDE = ("passed", "unplayed")


def can_play_apart(mode: str) -> bool:
    return mode in APART_MODES


def apart_problem(mode: str) -> str | None:
    """Why this mode can't be played apart, kindly, or None."""
    return None if can_play_apart(mode) else TALK_APART


# -- one card ---------------------------------------------------------------------------------------

def role(state: RoundState, card: CardPlay, me: int) -> str:
    """What `me` writes on this card: "write" (Write & reveal), "self" (Know me, about yourself)
    or "guess" (Know me, about the other)."""
    if state.mode == "knowme":
        return "self" if card.subject == me else "guess"
    return "write"


def both_in(card: CardPlay) -> bool:
    return 0 in card.answers and 1 in card.answers


def ready(card: CardPlay) -> bool:
    """Both answers are there and the card was not set aside: its reveal may open anywhere."""
    return card.status in ("open", "done") and both_in(card)


def needs(card: CardPlay, who: int) -> bool:
    """The card still waits for `who`'s answer."""
    return card.status == "open" and who not in card.answers


def visible(card: CardPlay, me: int) -> dict[int, str]:
    """What of the card's answers may be on `me`'s screen: both once both are in, else only my own.
    The other's answer is never shown before both are there, whatever `status` says."""
    if ready(card):
        return dict(card.answers)
    return {me: card.answers[me]} if me in card.answers and card.status == "open" else {}


def withheld(card: CardPlay, me: int) -> dict[int, str]:
    """The other partner's words on this card that are not for `me` (yet), by partner, with why:
    an answer before its reveal may open, or words kept for their writer alone. An export made
    on my computer leaves them out, as the screens do: the file holds them because they arrived."""
    other = 1 - me
    out: dict[int, str] = {}
    if other in card.answers and other not in visible(card, me):
        out[other] = WITHHELD_ANSWER
    if other in card.kept:
        out[other] = WITHHELD_KEPT if other not in out else f"{out[other]}; {WITHHELD_KEPT}"
    return out


#: Why an export leaves the other's words out (said in the export itself).
WITHHELD_ANSWER = "withheld until the reveal"
WITHHELD_KEPT = "kept for its writer alone"


# -- the round, for the partner at this computer ------------------------------------------------------

def next_for_me(state: RoundState, me: int) -> int | None:
    """The first card (in the round's order) that still needs my answer."""
    return next((i for i, c in enumerate(state.cards) if needs(c, me)), None)


def to_reveal(state: RoundState, me: int) -> list[int]:
    """Cards whose reveal is ready and that I have not seen yet (on this or any computer of mine)."""
    return [i for i, c in enumerate(state.cards) if ready(c) and not c.seen.get(me)]


def waiting_for_other(state: RoundState, me: int) -> list[int]:
    """Cards I have answered that still wait for the other's answer."""
    return [i for i, c in enumerate(state.cards) if c.status == "open" and me in c.answers and needs(c, 1 - me)]


def closeness_owed(state: RoundState, me: int) -> list[int]:
    """Know me: revealed cards about me whose guess I have not said how close it was."""
    if state.mode != "knowme":
        return []
    return [i for i, c in enumerate(state.cards)
            if ready(c) and c.subject == me and c.seen.get(me) and c.closeness is None]


def complete(state: RoundState) -> bool:
    """No card waits for an answer any more: each has both answers or is no longer open (set
    aside, or revealed: a reveal at one home and a pass at the other can merge to either)."""
    return bool(state.cards) and all(c.status != "open" or both_in(c) for c in state.cards)


def done_for(state: RoundState, me: int) -> bool:
    """Nothing left for me: every answer is in, I saw every reveal and said every closeness."""
    return complete(state) and not to_reveal(state, me) and not closeness_owed(state, me)


def over(state: RoundState) -> bool:
    """Nothing left for either of us: the round can be ended (with its summary) on both computers."""
    return done_for(state, 0) and done_for(state, 1)


def what_next(state: RoundState, me: int) -> tuple[str, int | None]:
    """What my screen shows: ("reveal", i) first, so a card both answered is seen soon; then
    ("answer", i); then ("closeness", i) for a Know me reveal left before saying; then ("wait",
    None) while the other has cards to answer; else ("done", None)."""
    reveal = to_reveal(state, me)
    if reveal:
        return "reveal", reveal[0]
    mine = next_for_me(state, me)
    if mine is not None:
        return "answer", mine
    owed = closeness_owed(state, me)
    if owed:
        return "closeness", owed[0]
    if not complete(state):
        return "wait", None
    return "done", None


# -- changes (each touches only my own keys, or moves a card on for both) ------------------------------

def _card(state: RoundState, index: int) -> CardPlay:
    if not state.apart:
        raise ValueError("this round is played at one keyboard")
    if not 0 <= index < len(state.cards):
        raise ValueError(f"there is no card {index + 1} in this round")
    return state.cards[index]


def answer(state: RoundState, index: int, me: int, raw: str) -> CardPlay:
    """Keep my answer (or guess) to a card that still needs it."""
    card = _card(state, index)
    if not needs(card, me):
        raise ValueError(f"card {index + 1} does not need an answer from you now")
    problem = answer_problem(raw)
    if problem:
        raise ValueError(problem)
    card.answers[me] = clean_answer(raw)
    return card


def reveal(state: RoundState, index: int, me: int, now: datetime) -> CardPlay:
    """The reveal is on my screen: I have seen it, and from now on the card counts as shared."""
    card = _card(state, index)
    if not ready(card):
        raise ValueError(f"card {index + 1} is not ready to reveal")
    card.seen[me] = True
    if card.status == "open":
        card.status = "done"
    if card.done_at is None:
        card.done_at = now
    return card


def rate(state: RoundState, index: int, me: int, closeness: str) -> CardPlay:
    """Know me: the one the card was about says how close the guess was, at their reveal."""
    card = _card(state, index)
    if state.mode != "knowme" or not ready(card) or card.subject != me:
        raise ValueError("closeness is said by the one the card is about, at its reveal")
    card.closeness = closeness
    return card


def _set_aside(card: CardPlay) -> None:
    """Unrevealed answers leave the card, each kept for its writer alone (never shown to the
    other). Keeping is the careful default: the other partner is not here to be asked."""
    for p, text in card.answers.items():
        card.kept.setdefault(p, text)
    card.answers.clear()


def pass_card(state: RoundState, index: int, me: int, now: datetime) -> CardPlay:
    """Set a card aside for both of us, with no reason asked. A card already revealed stays."""
    card = _card(state, index)
    if card.status == "open":
        _set_aside(card)
        card.status = "passed"
        card.done_at = now
    return card


def keep_for_me(state: RoundState, index: int, me: int, raw: str) -> CardPlay:
    """Words I was typing on a card the other set aside meanwhile (or a round they ended): kept
    for me alone, as an answer that was never revealed."""
    card = _card(state, index)
    text = clean_answer(raw)
    if text and me not in card.kept:
        card.kept[me] = text
    return card


def end_here(state: RoundState) -> None:
    """End the round for both: revealed cards stay shared, and so do cards both answered (their
    reveal was ready, so each may still see it before the summary); answers not revealed are kept
    for their writers; cards nobody began are unplayed."""
    for card in state.cards:
        if card.status != "open":
            continue
        if both_in(card):
            card.status = "done"
        elif card.answers:
            _set_aside(card)
        else:
            card.status = "unplayed"


def tidy(state: RoundState) -> bool:
    """Make a merged round safe to show: an answer that reached a card set aside meanwhile (one
    partner passed while the other was writing, each offline) is kept for its writer, never shown.
    Both homes tidy the same way, so they agree. Returns whether anything changed."""
    if not state.apart:
        return False
    changed = False
    for card in state.cards:
        if card.answers and (card.status in SET_ASIDE or (state.status != "open" and card.status == "open")):
            _set_aside(card)
            changed = True
    return changed


# -- words for home and the play screen ------------------------------------------------------------------

def _numbers(indexes: Iterable[int]) -> str:
    shown = [str(i + 1) for i in indexes]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def ready_words(indexes: list[int]) -> str:
    """'Card 2 is ready to reveal' or 'Cards 2 and 3 are ready to reveal'."""
    if len(indexes) == 1:
        return f"Card {indexes[0] + 1} is ready to reveal"
    return f"Cards {_numbers(indexes)} are ready to reveal"


def waiting_words(state: RoundState, me: int, names: tuple[str, str]) -> str:
    """'Sam has not answered card 3 yet' (or cards 3 and 4)."""
    cards = waiting_for_other(state, me)
    other = names[1 - me]
    if not cards:
        return ""
    word = "card" if len(cards) == 1 else "cards"
    return f"{other} has not answered {word} {_numbers(cards)} yet"


def status_words(state: RoundState, me: int, names: tuple[str, str]) -> str | None:
    """What waits for whom in this round, for me, or None when nothing is left for me:
    'Ana has answered card 3; your turn', 'Your answers are in; waiting for Sam',
    'Card 2 is ready to reveal'."""
    if not state.apart or state.status != "open":
        return None
    other = names[1 - me]
    parts: list[str] = []
    reveal = to_reveal(state, me)
    if reveal:
        parts.append(ready_words(reveal))
    mine = next_for_me(state, me)
    if mine is not None:
        card = state.cards[mine]
        if 1 - me in card.answers:
            parts.append(f"{other} has answered card {mine + 1}; your turn")
        else:
            parts.append(f"card {mine + 1} is your turn" if parts else f"Your turn: card {mine + 1}")
    elif not reveal:
        owed = closeness_owed(state, me)
        if owed:
            parts.append(f"Say how close {other}'s guess was on card {owed[0] + 1}")
        elif not complete(state):
            parts.append(f"Your answers are in; waiting for {other}")
    return "; ".join(parts) if parts else None


def status_line(state: RoundState, me: int, names: tuple[str, str]) -> str | None:
    """Home's line: 'Write & reveal, apart: Ana has answered card 3; your turn.'"""
    words = status_words(state, me, names)
    return f"{MODES[state.mode]}, apart: {words}." if words else None
