"""Two homes whose clocks are hours apart: the offset is still found (each home's least lag of
the other's files, told back in its "still here" file, confirms the other's), and a later time
chosen after "not yet" at one home comes due at the other at the same real moment, never in
the past. Issue 19."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import shutil

import pytest

from tui.core.clock import FakeClock
from tui.core.clock_offset import MAX_ROUND_TRIP, offset_between
from tui.core.pause import start_pause
from tui.store import pauses as pause_store
from tui.store import sync
from tui.store.couple_time import other_offset

from tests.two_homes import make_two_homes

T = datetime(2026, 3, 14, 21, 0, tzinfo=timezone.utc)
BEHIND = timedelta(hours=3)  # Sam's clock is three hours behind Ana's
TRIP = timedelta(seconds=40)  # the folder sync takes this long each way


def test_hours_apart_are_taken_only_when_both_ways_confirm_them():
    h = 3 * 3600
    assert offset_between([h + 40], -(h - 40)) == timedelta(seconds=h + 40)  # 80 s round trip
    assert offset_between([h + 40], None) == timedelta(0)  # alone, hours mean a late file
    assert offset_between([h + 40], -(h - 40) - MAX_ROUND_TRIP.total_seconds()) == timedelta(0)
    assert offset_between([600], None) == timedelta(seconds=600)  # under an hour, as before
    assert offset_between([h + 40, 30], -20) == timedelta(seconds=30)  # a clock put right counts at once
    assert offset_between([h + 40, h + 86400], -(h - 40)) == timedelta(seconds=h + 40)  # a day-late file: the one before
    assert offset_between([], None, "2026-03-14T20:00:00+00:00", "2026-03-14T20:10:00+00:00") == timedelta(minutes=10)


@pytest.fixture
def apart(tmp_path, monkeypatch):
    monkeypatch.setattr(sync, "HERE_EVERY", 0.0)  # each merge also says "still here", with its lags
    clock = FakeClock(T)
    homes = make_two_homes(tmp_path, clock)
    yield homes, clock
    homes.close()


def _ship(homes) -> None:
    """The change files, and each home's "still here" file (rewritten in place each time)."""
    homes.ship()
    for store, src, dst in ((homes.a, homes.folder_a, homes.folder_b), (homes.b, homes.folder_b, homes.folder_a)):
        name = sync.here_name(sync.link_of(store).home)
        if (src / name).exists():
            shutil.copy2(src / name, dst / name)


def _exchange(homes, clock, real: datetime, rounds: int = 3) -> None:
    """Both merge at the same real moment, each on its own clock, and the files travel."""
    for n in range(rounds):
        clock.set(real + n * TRIP)
        homes.merge(homes.a)
        _ship(homes)
        clock.set(real + n * TRIP + TRIP - BEHIND)
        homes.merge(homes.b)
        _ship(homes)
    clock.set(real + rounds * TRIP)
    homes.merge(homes.a)


def test_clocks_hours_apart_are_found_at_both_homes(apart):
    homes, clock = apart
    _exchange(homes, clock, T)
    a_home, b_home = (sync.link_of(s).home for s in (homes.a, homes.b))
    seen_at_a = other_offset(homes.a, b_home)
    seen_at_b = other_offset(homes.b, a_home)
    assert BEHIND <= seen_at_a <= BEHIND + 2 * TRIP  # Sam's times read on Ana's clock: 3 hours on
    assert -BEHIND <= seen_at_b <= -BEHIND + 2 * TRIP


def test_a_later_time_chosen_after_not_yet_comes_due_at_the_same_moment_at_both(apart):
    homes, clock = apart
    _exchange(homes, clock, T)
    clock.set(T)
    pause_store.save_active(homes.a, start_pause(0, 20, T))  # Ana asks for a pause, at her 21:00
    _exchange(homes, clock, T + timedelta(minutes=1))
    real = T + timedelta(minutes=25)
    for store, who, here in ((homes.a, 0, real), (homes.b, 1, real - BEHIND)):
        q = pause_store.active(store)
        q.begin_checkin(here)
        q.record_checkin(who, 4, False)  # "not yet", at both homes
        pause_store.save_active(store, q)
    _exchange(homes, clock, real)
    at_b = pause_store.active(homes.b)
    assert at_b.phase == "more_time"
    sams_now = real - BEHIND + 5 * TRIP
    planned_real = real + timedelta(hours=2)
    at_b.choose_revisit(planned_real - BEHIND, sams_now)  # Sam picks 'in two hours', on his clock
    pause_store.postpone(homes.b, at_b, sams_now)
    _exchange(homes, clock, real + timedelta(minutes=5))
    for store, behind in ((homes.a, timedelta(0)), (homes.b, BEHIND)):
        (rec,) = pause_store.waiting(store)
        on_its_clock = planned_real - behind
        assert on_its_clock <= rec.revisit_at <= on_its_clock + 3 * TRIP  # never sooner, at either home
        before, after = on_its_clock - timedelta(minutes=1), on_its_clock + 3 * TRIP
        assert not any("Time to come back" in line for line in pause_store.due_items(store, before))
        assert any("Time to come back" in line for line in pause_store.due_items(store, after))
    # picked up again at Ana's: the check-in starts on her clock, and Sam's reads it on his
    clock.set(planned_real + 3 * TRIP)
    resumed = pause_store.resume_waiting(homes.a, pause_store.waiting(homes.a)[0].id, clock.now())
    assert resumed is not None and pause_store.active(homes.a).ended_at is not None
    _exchange(homes, clock, planned_real + 4 * TRIP)
    assert pause_store.active(homes.b).phase == "checkin"
    assert abs(pause_store.active(homes.b).deadline - pause_store.active(homes.a).deadline + BEHIND) <= 3 * TRIP



def test_a_pause_finished_at_the_other_home_is_logged_on_each_computers_own_clock(apart):
    homes, clock = apart
    _exchange(homes, clock, T)
    clock.set(T)
    pause_store.save_active(homes.a, start_pause(0, 20, T))  # Ana's pause, at her 21:00
    _exchange(homes, clock, T + timedelta(minutes=1))
    at_b = pause_store.active(homes.b)
    sams_now = T + timedelta(minutes=30) - BEHIND
    pause_store.finish(homes.b, at_b, sams_now, repair="not yet")  # left for now at Sam's
    _exchange(homes, clock, T + timedelta(minutes=31))
    for store, behind in ((homes.a, timedelta(0)), (homes.b, BEHIND)):
        (rec,) = pause_store.records(store)
        assert abs(rec.started - (T - behind)) <= 3 * TRIP  # when it began, on this computer's clock
    raw = [s.table("pauses_2026").all()[0]["started"] for s in (homes.a, homes.b)]
    assert raw[0] == raw[1]  # one record, on the clock of the home it was taken at


def _in_the_talk_at_both(homes, clock, real: datetime):
    """Ana's pause, checked in at both homes, both ready: the talk is open at both."""
    clock.set(real)
    pause_store.save_active(homes.a, start_pause(0, 20, real))
    _exchange(homes, clock, real)
    for store, who, at in ((homes.a, 0, real + timedelta(minutes=25)), (homes.b, 1, real + timedelta(minutes=25) - BEHIND)):
        clock.set(at)
        p = pause_store.active(store)
        p.begin_checkin(at)
        p.record_checkin(who, 7, True)
        pause_store.save_active(store, p)
    _exchange(homes, clock, real + timedelta(minutes=26))
    assert all(pause_store.active(s).phase == "repair" for s in (homes.a, homes.b))


@pytest.mark.parametrize("how", ["break in the talk", "new time-out over the talk"])
def test_a_time_out_taken_in_the_talk_at_sams_has_lasted_a_minute_at_anas_a_minute_on(apart, how):
    """'It's been 17 minutes' about a minute after the break began: at the other home, on its own
    clock, the time-out running now has lasted as long as it has, whichever way it was taken."""
    homes, clock = apart
    _in_the_talk_at_both(homes, clock, T)
    real = T + timedelta(hours=1)
    sams_now = real - BEHIND
    clock.set(sams_now)
    at_b = pause_store.active(homes.b)
    if how == "break in the talk":
        at_b.break_again(20, sams_now, by=1)
        pause_store.save_active(homes.b, at_b)
    else:
        new = start_pause(1, 20, sams_now)
        pause_store.set_aside_for(homes.b, at_b, sams_now, new.id)
        pause_store.save_active(homes.b, new)
    _exchange(homes, clock, real - TRIP)  # rounds of files: real time moves on meanwhile
    at_a = pause_store.active(homes.a)
    anas_now = real + timedelta(minutes=2)
    assert at_a.phase == "countdown" and at_a.asked_by == 1
    assert timedelta(minutes=1) <= at_a.elapsed(anas_now) <= timedelta(minutes=2) + 2 * TRIP
