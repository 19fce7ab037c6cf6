"""An early "I'm ready" at two homes, with a fake clock: one partner's word never ends the
time-out for both; it ends early once both have said it, or runs to its time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tui.core.pause import Pause, PauseError, start_pause
from tui.store import pauses as pause_store

from tests.two_homes import make_two_homes


def test_one_early_ready_leaves_the_countdown_running(clock):
    p = start_pause(1, 30, clock.now())
    clock.advance(minutes=12)
    p.say_ready(1, clock.now())
    assert p.phase == "countdown" and not p.ended_early and p.ended_at is None
    assert p.waiting_on_ready(1) and not p.waiting_on_ready(0)
    assert p.remaining(clock.now()) == timedelta(minutes=18)  # the time-out still ends at its time


def test_both_ready_early_ends_it_at_the_later_word(clock):
    p = start_pause(1, 30, clock.now())
    clock.advance(minutes=10)
    p.say_ready(0, clock.now())
    clock.advance(minutes=5)
    p.say_ready(1, clock.now())
    assert p.phase == "checkin" and p.ended_early
    assert p.actual_minutes() == 15
    assert p.next_to_check_in() == 1  # the one who asked still answers first
    with pytest.raises(PauseError):
        p.say_ready(0, clock.now())


def test_a_ready_taken_back_no_longer_counts(clock):
    p = start_pause(0, 30, clock.now())
    p.say_ready(0, clock.advance(minutes=5))
    p.take_back_ready(0)
    p.say_ready(1, clock.advance(minutes=5))
    assert p.phase == "countdown" and p.waiting_on_ready(1)


def test_the_time_running_out_still_ends_it_with_one_ready(clock):
    p = start_pause(0, 30, clock.now())
    p.say_ready(0, clock.advance(minutes=5))
    clock.advance(minutes=25)
    assert p.time_up(clock.now())
    p.begin_checkin(clock.now())
    assert p.phase == "checkin" and not p.ended_early


def test_a_ready_after_the_time_is_up_is_the_check_in(clock):
    p = start_pause(0, 20, clock.now())
    p.say_ready(1, clock.advance(minutes=21))
    assert p.phase == "checkin" and not p.ended_early


def test_a_ready_from_an_earlier_countdown_does_not_end_the_next(clock):
    p = start_pause(0, 20, clock.now())
    p.say_ready(0, clock.advance(minutes=5))
    p.say_ready(1, clock.advance(minutes=1))  # both: check-in
    p.record_checkin(0, 6, True)
    p.record_checkin(1, 3, False)
    p.extend(20, clock.now())  # Sam needs more time
    assert p.phase == "countdown" and not p.said_ready(0) and not p.said_ready(1)
    p.say_ready(1, clock.advance(minutes=3))
    assert p.phase == "countdown" and p.waiting_on_ready(1)  # Ana's ready was for the first countdown


def test_kept_and_read_back_the_same(clock):
    p = start_pause(0, 30, clock.now())
    p.say_ready(1, clock.advance(minutes=4))
    again = Pause.from_dict(p.to_dict())
    assert again.waiting_on_ready(1) and again.ready_early == p.ready_early


def test_a_damaged_ready_is_left_out(clock):
    d = start_pause(0, 30, clock.now()).to_dict()
    d["ready_early"] = {"0": {"at": "not a time"}, "7": {"at": "2026-01-01T00:00:00+00:00"}, "1": "x"}
    assert Pause.from_dict(d).ready_early == {}


@pytest.fixture
def homes(tmp_path, clock):
    h = make_two_homes(tmp_path, clock)
    yield h
    h.close()


def test_across_homes_the_check_in_begins_only_when_both_have_said_it(homes, clock):
    pause_store.save_active(homes.a, start_pause(0, 40, clock.now()))
    homes.settle()
    clock.advance(minutes=10)
    at_a = pause_store.active(homes.a)
    at_a.say_ready(0, clock.now())
    pause_store.save_active(homes.a, at_a)
    homes.settle()
    at_b = pause_store.active(homes.b)
    assert at_b.phase == "countdown" and at_b.said_ready(0) and not at_b.said_ready(1)
    assert at_b.remaining(clock.now()) == timedelta(minutes=30)  # Sam's time-out runs on

    clock.advance(minutes=6)
    at_b.say_ready(1, clock.now())
    pause_store.save_active(homes.b, at_b)
    homes.settle()
    for store in (homes.a, homes.b):
        p = pause_store.active(store)
        assert p.phase == "checkin" and p.ended_early and len(p.checkins) == 1
        assert p.actual_minutes() == 16


def test_both_saying_it_before_either_hears_ends_it_the_same_at_both(homes, clock):
    pause_store.save_active(homes.a, start_pause(1, 40, clock.now()))
    homes.settle()
    for store, who, minutes in ((homes.a, 0, 7), (homes.b, 1, 9)):
        p = pause_store.active(store)
        p.say_ready(who, clock.now() + timedelta(minutes=minutes))
        pause_store.save_active(store, p)
    homes.settle()
    seen = [pause_store.active(s) for s in (homes.a, homes.b)]
    assert all(p.phase == "checkin" and len(p.checkins) == 1 for p in seen)
    assert seen[0].ended_at == seen[1].ended_at == seen[0].started + timedelta(minutes=9)


def test_a_ready_across_a_clock_that_is_off_is_read_on_each_computers_own_clock(tmp_path):
    """Sam's clock is 40 minutes behind Ana's. Ana's early ready, kept on Sam's clock in the pause,
    is read at Sam's as the moment it was; the time-out never shows as over at Ana's, and it ends
    when both are ready, with a length that is the time that really went by."""
    from tui.core.clock import FakeClock

    T = datetime(2026, 3, 14, 21, 0, tzinfo=timezone.utc)
    clock = FakeClock(T)
    homes = make_two_homes(tmp_path, clock)
    try:
        sams = T - timedelta(minutes=40)
        pause_store.save_active(homes.b, start_pause(1, 30, sams))
        clock.set(sams)
        homes.merge(homes.b)
        homes.ship()
        clock.set(T)
        homes.merge(homes.a)  # arrives at Ana's 21:00: Sam's 20:20
        pause_store.keep_offset(homes.a)
        at_a = pause_store.active(homes.a)
        at_a.say_ready(0, T + timedelta(minutes=10))
        pause_store.save_active(homes.a, at_a)
        at_a = pause_store.active(homes.a)
        assert at_a.phase == "countdown" and at_a.remaining(T + timedelta(minutes=10)) == timedelta(minutes=20)
        homes.merge(homes.a)
        homes.ship()
        homes.merge(homes.b)
        at_b = pause_store.active(homes.b)
        assert at_b.ready_early[0].at == sams + timedelta(minutes=10)  # on Sam's clock, as it was
        at_b.say_ready(1, sams + timedelta(minutes=15))
        pause_store.save_active(homes.b, at_b)
        assert pause_store.active(homes.b).actual_minutes() == 15
        homes.merge(homes.b)
        homes.ship()
        homes.merge(homes.a)
        at_a = pause_store.active(homes.a)
        assert at_a.phase == "checkin" and at_a.ended_early
        assert at_a.ended_at == T + timedelta(minutes=15) and at_a.actual_minutes() == 15
    finally:
        homes.close()
