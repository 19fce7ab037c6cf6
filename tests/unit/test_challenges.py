"""Day-by-day challenges: one card a day, in order; coming back later is fine and never scolded."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui.core import challenges as ch
from tui.core.clock import FakeClock
from tui.core.decks import load_decks
from tui.core.rounds import Choices, Plan, new_round
from tui.store import challenges as store_challenges
from tui.store import rounds as store_rounds

FIXTURES = Path(__file__).parent.parent / "fixtures" / "decks"
TZ = timezone(timedelta(hours=2))
MORNING = datetime(2026, 4, 6, 8, 0, tzinfo=TZ)


@pytest.fixture
def deck():
    return load_decks([FIXTURES]).by_id()["fixture-challenge"]


def test_days_come_in_order_one_calendar_day_at_a_time(deck):
    clock = FakeClock(MORNING)
    progress = ch.start_week(deck, 1)
    offer = ch.today(deck, progress, clock.now())
    assert (offer.day, offer.total, offer.ready, offer.card.id) == (1, 3, True, "w1-d1")
    assert ch.status_line(offer, clock.now()).endswith("Day 1 of 3 is ready when you are (press 1).")
    progress = ch.mark_done(progress, 1, clock.advance(hours=1), clock.now())
    later = ch.today(deck, progress, clock.advance(hours=10))  # 19:00, same day
    assert later.day == 2 and not later.ready and later.done_today
    assert "Day 1 of 3 done today. Day 2 opens tomorrow." in ch.status_line(later, clock.now())
    tomorrow = ch.today(deck, progress, clock.advance(hours=6))  # 01:00 the next day
    assert tomorrow.ready and tomorrow.card.id == "w1-d2"


def test_coming_back_days_later_offers_the_next_day_without_a_word_about_missing(deck):
    clock = FakeClock(MORNING)
    progress = ch.mark_done(ch.start_week(deck, 1), 1, clock.now(), clock.now())
    offer = ch.today(deck, progress, clock.advance(days=9))
    assert offer.ready and offer.day == 2
    said = ch.status_line(offer, clock.now()) + ch.setup_line(offer)
    for word in ("miss", "streak", "behind", "late", "again"):
        assert word not in said.lower()


def test_the_calendar_day_is_the_couples_own(deck):
    """Done at 23:30 local time: the next card opens at local midnight, not at UTC midnight."""
    late = datetime(2026, 4, 6, 23, 30, tzinfo=TZ)  # 21:30 UTC
    progress = ch.mark_done(ch.start_week(deck, 1), 1, late, late)
    assert not ch.today(deck, progress, late + timedelta(minutes=20)).ready
    assert ch.today(deck, progress, late + timedelta(minutes=40)).ready


def test_a_finished_week_points_at_the_next(deck):
    now = MORNING
    progress = ch.start_week(deck, 1)
    for day in (1, 2, 3):
        progress = ch.mark_done(progress, day, now, now)
        now += timedelta(days=1)
    done = ch.today(deck, progress, now - timedelta(days=1))
    assert done.finished and ch.status_line(done, now).endswith("all 3 days done.")
    assert ch.status_line(ch.today(deck, progress, now), now) is None  # a day later home says nothing
    assert ch.default_week(deck, progress) == 2
    assert ch.default_week(deck, None) == 1
    with pytest.raises(ValueError):
        ch.start_week(deck, 5)


def test_progress_round_trips_and_tolerates_damage():
    p = ch.Progress("x", 2, {1: MORNING.date()}, (2, "2026-3"))
    assert ch.Progress.from_dict(p.to_dict()) == p
    assert ch.Progress.from_dict({"deck": "x", "week": "two"}) is None
    odd = ch.Progress.from_dict({"deck": "x", "week": 1, "done": {"1": "not a date", "2": "2026-04-01"},
                                 "pending": "nope"})
    assert odd.done == {2: datetime(2026, 4, 1).date()} and odd.pending is None


def test_the_store_marks_a_day_done_when_its_card_is_done_in_its_round(store, deck):
    now = MORNING
    found = ch.start_week(deck, 1)
    offer = ch.today(deck, found, now)
    choices = Choices(decks=(deck.id,), length=1, mode="talk", first="a")
    import random

    state = store_rounds.start_round(store, new_round(Plan([offer.card], 1), choices, deck_titles={},
                                                      names=("A", "B"), now=now, rng=random.Random(1)))
    store_challenges.begun(store, found, offer.day, state.id)
    assert store_challenges.progress(store, deck.id, now).pending == (1, state.id)
    assert store_challenges.home_lines(store, [deck], now)[0].endswith("Day 1 of 3 is ready when you are (press 1).")
    state.submit("")  # an activity: read aloud, then the reveal
    state.finish_card(now + timedelta(minutes=10))
    store_rounds.save_round(store, state)
    back = store_challenges.progress(store, deck.id, now + timedelta(minutes=11))
    assert back.done == {1: now.date()} and back.pending is None
    assert "Day 1 of 3 done today" in store_challenges.home_lines(store, [deck], now + timedelta(hours=1))[0]


def test_a_day_set_aside_waits_for_another_time(store, deck):
    import random

    found = ch.start_week(deck, 1)
    offer = ch.today(deck, found, MORNING)
    choices = Choices(decks=(deck.id,), length=1, mode="talk", first="a")
    state = store_rounds.start_round(store, new_round(Plan([offer.card], 1), choices, deck_titles={},
                                                      names=("A", "B"), now=MORNING, rng=random.Random(1)))
    store_challenges.begun(store, found, 1, state.id)
    state.pass_card(MORNING)
    store_rounds.end_round(store, state, MORNING)
    back = store_challenges.progress(store, deck.id, MORNING)
    assert back.done == {} and back.pending is None
    assert ch.today(deck, back, MORNING).ready  # still day 1, still ready


def test_core_challenges_imports_neither_textual_nor_the_store():
    import ast

    source = Path(__file__).parent.parent.parent.joinpath("tui/core/challenges.py").read_text()
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    assert not any(n.startswith(("textual", "tui.store")) for n in names)
