"""Rounds played apart, in the database: finding the ones in progress, changing one without
writing over what the other home sent, and home's lines about what waits for whom.

Why every change reads the round again first: the other home's answers are written into this
database by the background merge at any moment. A round held in memory by a screen and saved
as a whole would drop an answer that arrived meanwhile. So each change here reads the stored
round, changes only what the rules say (tui/core/apart.py), and writes it back, all under the
database's lock.

Screens run these changes off their event loop (`off_loop`): the read, the rules and the write
take well under a millisecond alone, but the first change of a session reads the card history
(about 20 ms at ten years), and while a merge runs in the background the change shares the
interpreter with it. Done in a worker, the screen keeps drawing meanwhile; its words stay in
their draft until the change is saved.
"""

from __future__ import annotations

import asyncio
import random
from datetime import datetime
from typing import Callable, TypeVar

from ..core import apart
from ..core.rounds import RoundState, pick
from . import rounds as store_rounds
from .database import Store
from .drafts import clear_draft
from .switching import prompt_switching

#: How a round's closing suggestion is picked: the same on both computers.
CLOSING_SEED = "{id}:closing"

T = TypeVar("T")


async def off_loop(call: Callable[..., T], *args: object) -> T:
    """One of the changes below (`answer`, `reveal`, `change`…) in a worker thread, awaited: the
    caller's event loop never waits for the database's lock, nor for the change's own work.
    What it raises is raised here. Meanwhile the GIL is handed on promptly (switching.py), so the
    loop's thread waits about a millisecond at a time for it, not Python's five."""
    def run() -> T:
        with prompt_switching():
            return call(*args)

    return await asyncio.to_thread(run)


def in_progress(store: Store) -> list[RoundState]:
    """Rounds played apart that are still open (this and last year's), newest first. Each is
    tidied in memory (tui.core.apart.tidy), so what a merge brought is safe to show."""
    found: list[RoundState] = []
    for round_id, doc in store_rounds.recent_docs(store):
        if doc.get("apart") is not True or doc.get("status") != "open":
            continue
        try:
            state = RoundState.from_dict(doc)
        except store_rounds.BAD_FIELD:
            continue  # a damaged round: History says so
        state.id = round_id
        apart.tidy(state)
        found.append(state)
    found.sort(key=lambda s: (s.started, s.seq), reverse=True)
    return found


def load(store: Store, round_id: str) -> RoundState | None:
    """The round as stored now, tidied in memory for showing."""
    state = store_rounds.get_round(store, round_id)
    if state is not None:
        apart.tidy(state)
    return state


def change(store: Store, round_id: str, what: Callable[[RoundState], object], now: datetime,
           closings: list[str] | None = None) -> RoundState | None:
    """Read the round as stored, apply `what` to it, and save it, under the database's lock, so an
    answer that came in from the other home a moment ago is kept. When nothing is left for either
    partner the round is ended here (`closings`: the suggestions to close with). Returns the round
    as saved, or None if it is gone (deleted meanwhile). `what` may raise ValueError: nothing is saved."""
    with store.storage.mutex:
        state = store_rounds.get_round(store, round_id)
        if state is None:
            return None
        what(state)
        apart.tidy(state)
        if state.status == "open" and apart.over(state):
            if not state.closing:
                rng = random.Random(CLOSING_SEED.format(id=state.id))
                state.closing = (pick(list(closings or []), 1, rng) or ["Thank each other."])[0]
            store_rounds.end_round(store, state, now)
        else:
            store_rounds.save_round(store, state)
        return state


def answer(store: Store, round_id: str, index: int, me: int, text: str, now: datetime,
           draft: str | None = None) -> RoundState | None:
    """My answer to a card. `draft`: the draft it was typed in, let go of in the same change, so
    the file holds one or the other whenever Hearth stops (the screen may be gone by then)."""
    with store.storage.mutex:
        saved = change(store, round_id, lambda s: apart.answer(s, index, me, text), now)
        if saved is not None and draft is not None:
            clear_draft(store, draft)
        return saved


def reveal(store: Store, round_id: str, index: int, me: int, now: datetime,
           closings: list[str] | None = None) -> RoundState | None:
    return change(store, round_id, lambda s: apart.reveal(s, index, me, now), now, closings)


def rate(store: Store, round_id: str, index: int, me: int, closeness: str, now: datetime,
         closings: list[str] | None = None) -> RoundState | None:
    return change(store, round_id, lambda s: apart.rate(s, index, me, closeness), now, closings)


def pass_card(store: Store, round_id: str, index: int, me: int, now: datetime,
              closings: list[str] | None = None) -> RoundState | None:
    result = change(store, round_id, lambda s: apart.pass_card(s, index, me, now), now, closings)
    store_rounds.clear_card_drafts(store, round_id, index)
    return result


def end_here(store: Store, round_id: str, now: datetime, closings: list[str] | None = None) -> RoundState | None:
    """End the round for both of us (its summary shows what was shared)."""
    def end(state: RoundState) -> None:
        apart.end_here(state)
        if not state.closing:
            rng = random.Random(CLOSING_SEED.format(id=state.id))
            state.closing = (pick(list(closings or []), 1, rng) or ["Thank each other."])[0]

    with store.storage.mutex:
        state = change(store, round_id, end, now, closings)
        if state is not None and state.status == "open":
            store_rounds.end_round(store, state, now)
        return state


def waiting_lines(store: Store, me: int | None, names: tuple[str, str]) -> list[str]:
    """Home's lines about rounds played apart: 'Write & reveal, apart: Ana has answered card 3;
    your turn.', '…: Your answers are in; waiting for Sam.', '…: Card 2 is ready to reveal.'
    Nothing on a computer both partners use (`me` None): rounds there are played together."""
    if me not in (0, 1):
        return []
    lines = []
    for state in in_progress(store):
        line = apart.status_line(state, me, names)
        if line:
            lines.append(line)
    return lines
