"""Days that are due at two homes: counted on one calendar, the first home's, with the other
computer's clock put right by the offset, so both homes agree which day it is, whether the clocks
are hours apart or the homes are in different time zones. Issue 19."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from tui.core.calendar import couple_today
from tui.core.clock import FakeClock
from tui.core.reflection import IsoWeek
from tui.store import agreements as store_ag
from tui.store import sync
from tui.store.couple_time import couple_now, couple_week
from tui.store.due import due_lines

from tests.two_homes import make_two_homes
from tests.unit.test_clock_hours_apart import _ship

BERLIN = timezone(timedelta(hours=1))
TOKYO = timezone(timedelta(hours=9))
TRIP = timedelta(seconds=40)
AGREEMENT = dict(text="Phones away at dinner.", kind="want", category="conflict", review="monthly")
REVIEW = date(2026, 4, 2)
SUNDAY_NIGHT = datetime(2026, 4, 1, 22, 30, tzinfo=BERLIN)  # a Wednesday, in fact: the eve of the review


def test_the_couples_day_is_the_first_homes_day():
    tokyo_now = datetime(2026, 4, 2, 6, 30, tzinfo=TOKYO)  # 22:30 the evening before, in Berlin
    assert couple_today(tokyo_now, timedelta(0), BERLIN).date() == date(2026, 4, 1)
    fast = datetime(2026, 4, 2, 3, 30, tzinfo=BERLIN)  # a Berlin clock five hours fast
    assert couple_today(fast, timedelta(hours=5), BERLIN).date() == date(2026, 4, 1)
    assert couple_today(fast, timedelta(hours=5), None) == fast - timedelta(hours=5)


@pytest.mark.parametrize("zone_b, fast_b", [(TOKYO, timedelta(0)), (BERLIN, timedelta(hours=5)),
                                            (TOKYO, timedelta(hours=-4)), (BERLIN, timedelta(minutes=-40))])
def test_both_homes_agree_which_day_it_is(tmp_path, monkeypatch, zone_b, fast_b):
    """Sam's computer is in another time zone, or its clock is hours off (either way), or both."""
    monkeypatch.setattr(sync, "HERE_EVERY", 0.0)
    clock = FakeClock(SUNDAY_NIGHT - timedelta(days=3))

    def at(store, real):
        clock.set(real.astimezone(BERLIN) if store is homes.a else real.astimezone(zone_b) + fast_b)

    def exchange(real):
        for n in range(3):
            for store in (homes.a, homes.b):
                at(store, real + (2 * n + (store is homes.b)) * TRIP)
                homes.merge(store)
                _ship(homes)

    homes = make_two_homes(tmp_path, clock)
    try:
        a = store_ag.create(homes.a, 0, title="Phones away", **AGREEMENT)
        store_ag.propose(homes.a, a.id, 0)
        exchange(clock.now())
        at(homes.b, clock.now())
        store_ag.say_yes(homes.b, a.id, 1)
        exchange(clock.now())
        homes.a.table("agreements").update({"next_review": REVIEW.isoformat()}, doc_ids=[a.id])
        exchange(SUNDAY_NIGHT - timedelta(hours=1))
        lines = {}
        for real in (SUNDAY_NIGHT, SUNDAY_NIGHT + timedelta(hours=2)):  # the eve; just after midnight
            for store in (homes.a, homes.b):
                at(store, real)
                lines[store is homes.a, real] = [x for x in due_lines(homes.a if store is homes.a else homes.b, clock.now())
                                                 if "look again" in x]
                assert couple_now(store, clock.now()).astimezone(BERLIN).date() == real.astimezone(BERLIN).date() \
                    or abs(couple_now(store, clock.now()) - real) <= 4 * TRIP
                assert couple_week(store, clock.now()) == IsoWeek.of(real.astimezone(BERLIN))
        assert lines[True, SUNDAY_NIGHT] == lines[False, SUNDAY_NIGHT] == []  # not due at either, the eve
        assert lines[True, SUNDAY_NIGHT + timedelta(hours=2)] == lines[False, SUNDAY_NIGHT + timedelta(hours=2)] != []
    finally:
        homes.close()


def test_at_one_keyboard_and_at_the_first_home_the_day_is_the_computers_own(tmp_path):
    clock = FakeClock(SUNDAY_NIGHT)
    homes = make_two_homes(tmp_path, clock)
    try:
        assert couple_now(homes.a, clock.now()) == clock.now()
    finally:
        homes.close()
    from tui.store import Store

    one = Store.open(tmp_path / "one.json", clock=clock, background=False)
    assert couple_now(one, clock.now()) == clock.now()
    one.close()


def test_a_review_date_set_at_the_second_home_counts_from_the_couples_day(tmp_path, monkeypatch):
    """Sam's yes, given at his Tokyo morning (the evening before in Berlin), sets the review a
    month from the couple's day, the date Ana's computer would have set."""
    monkeypatch.setattr(sync, "HERE_EVERY", 0.0)
    eve = datetime(2026, 4, 1, 22, 30, tzinfo=BERLIN)
    clock = FakeClock(eve)
    homes = make_two_homes(tmp_path, clock)

    def at(store, real):
        clock.set(real.astimezone(BERLIN if store is homes.a else TOKYO))

    try:
        a = store_ag.create(homes.a, 0, title="Phones away", **AGREEMENT)
        store_ag.propose(homes.a, a.id, 0)
        for n in range(3):
            for store in (homes.a, homes.b):
                at(store, eve + (2 * n + (store is homes.b)) * TRIP)
                homes.merge(store)
                _ship(homes)
        at(homes.b, eve + 10 * TRIP)
        assert clock.now().date() == date(2026, 4, 2)  # already the 2nd at Sam's
        agreed = store_ag.say_yes(homes.b, a.id, 1)
        assert agreed.next_review == date(2026, 5, 1)  # a month from the couple's 1 April
    finally:
        homes.close()
