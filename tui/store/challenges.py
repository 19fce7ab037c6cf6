"""Challenge progress in the database.

Table ``challenge_progress``: one document per challenge deck begun: the week chosen, the days
done (with their dates) and the round holding the day's card, if one is under way.

A day is marked done when its card is done in its round (read back from that round the next time
progress is asked for), so the round screens need not know about challenges.

At two homes the days are the couple's (tui.store.couple_time, by couple calendar): "today"
and the date a day was done are both counted on the first home's calendar, so the two homes
agree which card is open even when their clocks are hours apart or in different time zones, and
the dates kept are those both homes would keep. A card's done time comes from whichever
computer played it: the home that began the round is kept beside the progress (PENDING_HOME),
and its time is read on this computer's clock before its day is counted; a time still ahead of
now counts as now, so a day is never dated tomorrow. The dates kept are plain days (what is
stored is what both homes would store); the done time itself stays in the round as written.
"""

from __future__ import annotations

from datetime import datetime

from tinydb import Query

from ..core.challenges import Progress, Today, begin, mark_done, start_week, status_line, today
from ..core.decks import Deck
from .couple_time import couple_day, couple_now, my_home
from .database import Store
from . import rounds as store_rounds

PROGRESS = "challenge_progress"
#: At two homes, the home whose computer began the round of the day's card: its clock stamps the
#: card's done time (a together round is played at one keyboard, where it was begun).
PENDING_HOME = "pending_home"


# -- challenge progress --------------------------------------------------------------------------------

def _doc(store: Store, deck_id: str):
    return store.table(PROGRESS).get(Query().deck == deck_id)


def _put(store: Store, progress: Progress) -> None:
    table = store.table(PROGRESS)
    doc = _doc(store, progress.deck_id)
    if doc:
        table.update(progress.to_dict(), doc_ids=[doc.doc_id])
    else:
        table.insert(progress.to_dict())


def progress(store: Store, deck_id: str, now: datetime) -> Progress | None:
    """Where the couple stands in this challenge. A day card done in its round is marked done now."""
    doc = _doc(store, deck_id)
    found = Progress.from_dict(dict(doc)) if doc else None
    if found is None or found.pending is None:
        return found
    day, round_id = found.pending
    state = store_rounds.get_round(store, round_id)
    card = next((c for c in state.cards if c.status == "done"), None) if state else None
    if card is not None:
        home = doc.get(PENDING_HOME) if doc else None  # the round is played where it was begun
        on = couple_day(store, card.done_at or now, now, home)
        found = mark_done(found, day, card.done_at or now, now, on=on)
        _put(store, found)
    elif state is None or state.status != "open":
        found = Progress(found.deck_id, found.week, dict(found.done), None)  # set aside: the day waits
        _put(store, found)
    return found


def offer(store: Store, deck: Deck, found: Progress | None, week: int, now: datetime) -> Today:
    """What the challenge offers for `week` at `now` (this computer's clock), on the couple's
    day: the week under way, or a fresh start of it."""
    if found is None or found.week != week:
        found = start_week(deck, week)
    return today(deck, found, couple_now(store, now))


def save(store: Store, found: Progress) -> None:
    _put(store, found)


def begun(store: Store, found: Progress, day: int, round_id: str) -> Progress:
    """Today's card is in round `round_id`; finishing it there marks the day done."""
    found = begin(found, day, round_id)
    _put(store, found)
    if my_home(store):  # at two homes: the card's done time will be on this computer's clock
        store.table(PROGRESS).update({PENDING_HOME: my_home(store)}, Query().deck == found.deck_id)
    return found


def begun_ids(store: Store) -> list[str]:
    """Ids of the challenge decks the couple has begun (cheap: home asks before loading decks)."""
    return [d["deck"] for d in store.table(PROGRESS).all() if isinstance(d.get("deck"), str)]


def home_lines(store: Store, decks: list[Deck], now: datetime, *, only_ready: bool = False) -> list[str]:
    """'Week 1: Small hellos: Day 3 of 7 is ready…' for each challenge begun, for home;
    `only_ready`: just those whose next day can be done today (for `hearth due`)."""
    lines: list[str] = []
    by_id = {d.id: d for d in decks if d.challenge}
    for deck_id in begun_ids(store):
        deck = by_id.get(deck_id)
        found = progress(store, deck_id, now) if deck is not None else None
        if deck is None or found is None or found.week not in deck.week_numbers():
            continue
        offered = offer(store, deck, found, found.week, now)
        if only_ready and not (offered.ready and not offered.finished):
            continue
        line = status_line(offered, now)
        if line:
            lines.append(line)
    return lines
