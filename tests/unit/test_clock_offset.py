"""The clock rule of two homes: a pause from the other computer read on this one's clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tui.core.clock import FakeClock, stamp
from tui.core.clock_offset import MAX_OFFSET, offset_seen
from tui.core.pause import Pause, start_pause
from tui.store import pauses as pause_store

from tests.two_homes import make_two_homes

T = datetime(2026, 3, 14, 21, 0, tzinfo=timezone.utc)


def test_an_offset_under_an_hour_is_the_clock_difference():
    assert offset_seen(stamp(T), stamp(T + timedelta(minutes=12))) == timedelta(minutes=12)
    assert offset_seen(T, T - timedelta(minutes=40)) == timedelta(minutes=-40)


def test_an_hour_or_more_means_the_file_was_simply_late():
    assert offset_seen(T, T + MAX_OFFSET) == timedelta(0)
    assert offset_seen(T, T + timedelta(days=3)) == timedelta(0)
    assert offset_seen(T, T - timedelta(hours=2)) == timedelta(0)


def test_nothing_known_means_no_correction():
    assert offset_seen(None, stamp(T)) == timedelta(0)
    assert offset_seen("not a time", stamp(T)) == timedelta(0)


def test_a_pause_shifted_keeps_its_length_and_comes_back_the_same():
    p = start_pause(1, 30, T)
    moved = p.shifted(timedelta(minutes=25))
    assert moved.deadline - moved.started == timedelta(minutes=30)
    assert moved.deadline == T + timedelta(minutes=55)
    assert moved.shifted(timedelta(minutes=-25)).to_dict() == p.to_dict()


def test_each_partners_checkins_round_trip_under_their_own_key():
    p = start_pause(0, 20, T)
    p.begin_checkin(T + timedelta(minutes=20))
    p.record_checkin(0, 4, False)
    p.record_checkin(1, 8, True)
    p.extend(10, T + timedelta(minutes=21))
    p.begin_checkin(T + timedelta(minutes=40))
    d = p.to_dict()
    assert d["answers"] == {"0": [{"calm": 4, "ready": False}], "1": [{"calm": 8, "ready": True}]}
    back = Pause.from_dict(d)
    assert len(back.checkins) == 2 and back.current_round == {} and back.phase == "checkin"


def test_a_pause_from_a_computer_whose_clock_is_behind_never_shows_as_over(tmp_path):
    """Sam's clock is 40 minutes behind Ana's: his 30-minute pause would look over already at Ana's
    computer; read on her clock, it ends 30 minutes after she heard of it."""
    clock = FakeClock(T)
    homes = make_two_homes(tmp_path, clock)
    try:
        sams_clock = T - timedelta(minutes=40)
        pause_store.save_active(homes.b, start_pause(1, 30, sams_clock))
        clock.set(sams_clock)
        homes.merge(homes.b)  # the change file says it was written at Sam's 20:20
        homes.ship()
        clock_now = T
        clock.set(clock_now)
        homes.merge(homes.a)  # arrived at Ana's 21:00
        at_a = pause_store.active(homes.a)
        assert at_a.deadline == T + timedelta(minutes=30) and not at_a.time_up(clock_now)
        # Ana's computer keeps that offset: saving there writes Sam's clock's times back
        pause_store.keep_offset(homes.a)
        pause_store.save_active(homes.a, at_a)
        assert homes.a.table("pause_active").get(doc_id=1)["deadline"].startswith("2026-03-14T20:50")
        assert pause_store.active(homes.a).deadline == T + timedelta(minutes=30)
        # and a pause taken at this computer is read as it is
        assert pause_store.clock_offset(homes.b, homes.b.table("pause_active").get(doc_id=1)) == timedelta(0)
    finally:
        homes.close()
