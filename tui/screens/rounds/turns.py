"""What one turn of a round shows: asking aloud in Talk, or a private answer or guess.

Functions that build the widgets, so the screen (play.py) only decides which view comes next."""

from __future__ import annotations

import random

from rich.text import Text
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Static

from ...core.partners import Couple, Partner
from ...core.rounds import MAX_ANSWER, CardPlay, RoundState, Step, pick
from .parts import AnswerArea, texts
from ...store import rounds as store_rounds
from ...widgets.partner import TurnBanner, partner_text


def ask_view(state: RoundState, step: Step, couple: Couple, store, info: list[Widget], timer_text: str) -> list[Widget]:
    """Talk: one reads the card aloud and listens; a short note may be kept."""
    card = state.card
    asker, listener = couple[step.partner], couple.other(step.partner)
    rng = random.Random(f"{state.id}:{state.position}:{card.step}")
    prompts = pick(list(texts().get("listening_prompts", [])), 2, rng)
    widgets: list[Widget] = [TurnBanner(asker, "your turn to ask"), *info]
    if card.kind == "activity":
        lead = Text.assemble("Read this aloud to ", partner_text(listener), ", then do it together:")
    else:
        lead = Text.assemble("Read this aloud to ", partner_text(listener), ", then listen:")
    widgets.append(Static(lead, classes="lead"))
    widgets.append(Static(Text(card.text), classes="card-text"))
    if card.follow_ups:
        widgets.append(Static(Text("To go further: " + "  ".join(card.follow_ups)), classes="hint"))
    if prompts and card.kind != "activity":
        widgets.append(Static(Text("While you listen: " + " · ".join(prompts)), classes="hint"))
    widgets.append(Static(timer_text, id="timer-line", classes="hint"))
    widgets.append(Static("A short note to keep (optional):", classes="lead"))
    key = store_rounds.draft_key(state.id, state.position, step.partner, "note")
    widgets.append(AnswerArea(store, key, id="answer", classes="note-area", limit=MAX_ANSWER))
    error = Static("", id="answer-error", classes="field-error")
    error.display = False  # until a note is too long to keep whole
    widgets.append(error)
    widgets.append(Horizontal(
        Button("Done, swap roles" if len(state.steps) == 3 and card.step == 0 else "Done",
               id="submit", variant="primary"),
        Button("Pass on this card", id="pass"),
        classes="buttons",
    ))
    return widgets


def private_view(state: RoundState, step: Step, couple: Couple, store, info: list[Widget]) -> list[Widget]:
    """Write & reveal and Know me: an answer or a guess, seen only by its writer."""
    me = couple[step.partner]
    key = store_rounds.draft_key(state.id, state.position, step.partner)
    return answer_form(state.card, step.kind, me, couple.other(step.partner), store, key,
                       [TurnBanner(me, "your turn · only you can see this"), *info])


def answer_form(card: CardPlay, kind: str, me: Partner, other: Partner, store, key: str,
                head: list[Widget], other_done: bool = False) -> list[Widget]:
    """The card, what to write ("write", "self" or "guess"), the answer box (its draft under `key`)
    and the buttons to save or pass. `other_done`: played apart, the other's guess is already in,
    so it is not promised as still to come."""
    if kind == "self" and other_done:
        lead = Text("Answer about yourself.")
    elif kind == "write":
        lead = Text.assemble("Write your answer. ", partner_text(other), " sees it at the reveal.")
    elif kind == "self":
        lead = Text.assemble("Answer about yourself. ", partner_text(other), " will try to guess it.")
    else:
        lead = Text.assemble("How do you think ", partner_text(other), " answered this? Write your guess.")
    widgets: list[Widget] = [*head, Static(Text(card.text), classes="card-text"), Static(lead, classes="lead")]
    widgets.append(AnswerArea(store, key, id="answer", limit=MAX_ANSWER))
    error = Static("", id="answer-error", classes="field-error")
    error.display = False  # until there is something to say: a hidden line costs no keystroke time
    widgets.append(error)
    widgets.append(Horizontal(
        Button("Save my answer" if kind != "guess" else "Save my guess", id="submit", variant="primary"),
        Button("Pass on this card", id="pass"),
        classes="buttons",
    ))
    return widgets
