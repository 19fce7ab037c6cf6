"""What a card shows once both are together: the gate before the reveal, and the reveal with
'then and now' (earlier answers to the same card)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Static

from ...core.partners import Couple
from ...core.rounds import MODES, CardPlay, RoundState
from .parts import closeness_labels
from ...store import rounds as store_rounds
from ...widgets.partner import partner_text
from ...widgets.text_input import width_uncertain


def then_and_now(earlier: list[store_rounds.Earlier], couple: Couple, now: datetime) -> list[Widget]:
    """Widgets showing earlier answers to the same card, newest first, with when."""
    if not earlier:
        return []
    out: list[Widget] = [Static("Then and now", classes="section-title")]
    for e in earlier:
        text = Text()
        text.append(f"{e.ago(now).capitalize()} ({MODES.get(e.mode, e.mode)})", style="bold")
        # know me: the answer before the guess about it
        order = sorted(e.answers, key=lambda p: p != e.leader) if e.mode == "knowme" else sorted(e.answers)
        for p in order:
            text.append("\n")
            label = "'s guess" if e.mode == "knowme" and p != e.leader else ""
            text.append_text(partner_text(couple[p], f"{label}: "))
            text.append(e.answers[p])
        if e.closeness:
            text.append(f"\nHow close: {e.closeness}", style="italic")
        for p in sorted(e.notes):
            text.append("\n")
            text.append_text(partner_text(couple[p], "'s note: "))
            text.append(e.notes[p])
        out.append(Static(text, classes="then-now"))
    return out


def star_label(starred: bool) -> str:
    return "★ Starred (s)" if starred else "☆ Star this card (s)"


def gate_view(state: RoundState, info: list[Widget]) -> list[Widget]:
    """Both answers are in: sit together before they show."""
    card = state.card
    words = "Both answers are in." if state.mode == "write" else "The answer and the guess are in."
    return [
        Static("Together now", classes="together"),
        *info,
        Static(Text(card.text), classes="card-text"),
        Static(Text(f"{words} Sit together, then reveal them side by side."), classes="lead"),
        Horizontal(Button("Reveal", id="reveal", variant="primary"),
                   Button("Pass on this card", id="pass"), classes="buttons"),
    ]


def answer_boxes(mode: str, card: CardPlay, shown: dict[int, str], couple: Couple) -> list[Widget]:
    """Both answers side by side (Know me: the answer, then the guess about it)."""
    widgets: list[Widget] = []
    order = [card.subject, card.guesser] if mode == "knowme" else [0, 1]
    if any(width_uncertain(shown.get(p, "")) for p in order):
        # emoji a terminal may draw wider than counted: one under the other, with nothing
        # to the right of the text that a wider line could push out of place
        for p in order:
            title = partner_text(couple[p], "'s guess" if mode == "knowme" and p == card.guesser else "")
            title.append(":")
            widgets.append(Static(title, classes="answer-title"))
            box = Static(Text(shown.get(p, "")), classes="answer-open")
            box.styles.border_left = ("thick", couple[p].colour)
            widgets.append(box)
    else:
        boxes = []
        for p in order:
            box = Static(Text(shown.get(p, "")), classes="answer")
            title = partner_text(couple[p], "'s guess" if mode == "knowme" and p == card.guesser else "")
            box.border_title = title
            box.styles.border = ("round", couple[p].colour)
            boxes.append(box)
        widgets.append(Horizontal(*boxes, classes="answers"))
    return widgets


def closeness_widgets(card: CardPlay, couple: Couple) -> list[Widget]:
    """Know me: the one the card is about says how close the guess was (1, 2 or 3)."""
    labels = closeness_labels()
    ask = Text.assemble(partner_text(couple[card.subject]), ", how close was the guess?")
    buttons = []
    for i, label in enumerate(labels):
        chosen = card.closeness == label
        buttons.append(Button(f"{i + 1} {label}", id=f"rate-{i}", variant="success" if chosen else "default"))
    return [Static(ask, classes="lead"), Horizontal(*buttons, classes="buttons"),
            Static("", id="rate-error", classes="field-error")]


def after_reveal(store, round_id: str, card: CardPlay, couple: Couple, now: datetime, next_label: str) -> list[Widget]:
    """Under a reveal: earlier answers to the card (then and now), and the buttons to go on or star it."""
    earlier = store_rounds.earlier_answers(store, card.key, exclude=round_id)
    starred = store_rounds.is_starred(store, card.key)
    return [*then_and_now(earlier, couple, now), Horizontal(
        Button(next_label, id="next", variant="primary"),
        Button(star_label(starred), id="star"),
        classes="buttons",
    )]


def reveal_view(
    state: RoundState, couple: Couple, store, info: list[Widget], now: datetime
) -> tuple[list[Widget], str]:
    """The answers side by side (or the Talk notes), how close a guess was, then and now;
    with the selector of what holds the keyboard first."""
    card = state.card
    shown = state.visible_answers()
    widgets: list[Widget] = [Static("Together now", classes="together"), *info]
    widgets.append(Static(Text(card.text), classes="card-text"))
    if state.mode == "talk":
        done = "You did this one together." if card.kind == "activity" else "You've both asked this one."
        widgets.append(Static(done, classes="lead"))
        for p in sorted(card.notes):
            widgets.append(Static(Text.assemble(partner_text(couple[p], "'s note: "), card.notes[p]),
                                  classes="hint"))
    else:
        widgets.extend(answer_boxes(state.mode, card, shown, couple))
    if state.mode == "knowme":
        widgets.extend(closeness_widgets(card, couple))
    last = state.position == len(state.cards) - 1
    widgets.extend(after_reveal(store, state.id, card, couple, now, "Finish the round" if last else "Next card"))
    focus = "#rate-0" if state.mode == "knowme" and card.closeness is None else "#next"
    return widgets, focus
