"""The end of a round: what you went through, what a guess got right, and a way to close."""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Static

from ...core.partners import Couple
from ...core.rounds import CLOSING_TIMER_SECONDS, RoundState, closeness_tally, discoveries, tally_line
from .parts import closeness_labels, texts
from ...store import rounds as store_rounds
from ...widgets.bullet import BulletList
from ...widgets.partner import partner_text


def summary_view(state: RoundState, couple: Couple, store) -> list[Widget]:
    """The summary of a round already ended (or deleted, when nothing happened in it)."""
    played = state.gone_through
    widgets: list[Widget] = [Static("The round is complete", classes="together")]
    if played:
        count = "one card" if len(played) == 1 else f"{len(played)} cards"
        how = "each at your own computer" if getattr(state, "apart", False) else "together"
        widgets.append(Static(f"You went through {count} {how}. Everything is saved.", classes="lead"))
    else:
        widgets.append(Static("No cards this time, and that's fine.", classes="lead"))
    if any(c.kept for c in state.cards):
        widgets.append(Static("An answer kept for its writer alone is in History, behind a curtain "
                              "with their name.", classes="hint"))
    if state.mode == "knowme" and state.played:
        labels = closeness_labels()
        found = discoveries(state, labels)
        widgets.append(Static(Text(texts().get("discovery_intro", "")), classes="lead"))
        tally = closeness_tally(found)
        for guesser in (0, 1):
            line = tally_line(tally[guesser], labels)
            if line:
                widgets.append(Static(Text.assemble(
                    partner_text(couple[guesser], " guessing about "), partner_text(couple[1 - guesser]),
                    f": {line}"), classes="hint"))
        landed = [d for d in found if d.landed]
        new = [d for d in found if not d.landed]
        if landed:
            widgets.append(Static("What landed", classes="section-title"))
            widgets.append(BulletList(("•", Text.assemble(partner_text(couple[d.guesser]), " knew ",
                                                          partner_text(couple[d.subject]), f": {d.text}"))
                                      for d in landed))
        if new:
            widgets.append(Static("New to discover", classes="section-title"))
            widgets.append(BulletList(("•", Text.assemble(partner_text(couple[d.subject]), f": {d.text}"))
                                      for d in new))
    elif played:
        widgets.append(Static("The cards", classes="section-title"))
        widgets.append(BulletList(("★" if store_rounds.is_starred(store, card.key) else "•", Text(card.text))
                                  for card in played))
    widgets.append(Static("To close", classes="section-title"))
    widgets.append(Static(Text(state.closing or "Thank each other."), classes="lead"))
    widgets.append(Static("", id="timer-line", classes="hint"))
    buttons = [Button("Back home", id="home", variant="primary")]
    if state.closing in texts().get("timed_closings", []):  # a hug wants a timer; a walk does not
        buttons.append(Button(f"Start a {CLOSING_TIMER_SECONDS}-second timer", id="closing-timer"))
    widgets.append(Horizontal(*buttons, classes="buttons"))
    return widgets
