"""More time, or a later time, chosen at both homes after one "not yet": the same result at
both, the later of the two times, never shorter than either asked."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from tui.core.pause import Extension, start_pause
from tui.store import pauses as pause_store

from tests.two_homes import make_two_homes


@pytest.fixture
def homes(tmp_path, clock):
    h = make_two_homes(tmp_path, clock)
    yield h
    h.close()


def _not_yet(homes, clock):
    p = start_pause(0, 20, clock.now())
    clock.advance(minutes=20)
    p.begin_checkin(clock.now())
    p.record_checkin(0, 7, False)
    p.record_checkin(1, 7, True)
    pause_store.save_active(homes.a, p)
    homes.settle()


@pytest.mark.parametrize("ana, sam", [(10, 30), (30, 10), (20, 20)])
def test_both_choose_more_time_at_once_the_longer_is_the_one(homes, clock, ana, sam):
    _not_yet(homes, clock)
    asked_at = clock.now()
    for store, minutes in ((homes.a, ana), (homes.b, sam)):
        p = pause_store.active(store)
        p.extend(minutes, clock.now())
        pause_store.save_active(store, p)
    homes.settle()
    seen = []
    for store in (homes.a, homes.b):
        p = pause_store.active(store)
        assert p.phase == "countdown"
        assert len(p.extensions) == 1 and p.extensions[0].minutes == max(ana, sam)
        assert p.deadline == asked_at + timedelta(minutes=max(ana, sam))  # never shorter than either asked
        assert not p.suggests_revisit
        seen.append((p.deadline, p.extensions))
    assert seen[0] == seen[1]


def test_the_same_however_the_two_arrive(tmp_path, clock):
    results = set()
    for seed in range(4):
        homes = make_two_homes(tmp_path / str(seed), clock)
        _not_yet(homes, clock)
        for store, minutes in ((homes.a, 10), (homes.b, 60)):
            p = pause_store.active(store)
            p.extend(minutes, clock.now())
            pause_store.save_active(store, p)
        rng = random.Random(seed)
        for _ in range(3):
            homes.merge(*rng.sample([homes.a, homes.b], 2))
            homes.ship(rng=rng, share=0.5)
        homes.settle()
        for store in (homes.a, homes.b):
            p = pause_store.active(store)
            results.add((p.deadline - p.started, tuple(e.minutes for e in p.extensions)))
        homes.close()
    assert results == {(timedelta(minutes=80), (60,))}


def test_one_home_alone_still_adds_its_own_extension(homes, clock):
    _not_yet(homes, clock)
    p = pause_store.active(homes.b)
    p.extend(10, clock.now())
    pause_store.save_active(homes.b, p)
    homes.settle()
    for store in (homes.a, homes.b):
        got = pause_store.active(store)
        assert got.phase == "countdown" and [e.minutes for e in got.extensions] == [10]


def test_older_extensions_without_a_countdown_number_are_kept_as_they_are(clock):
    p = start_pause(0, 20, clock.now())
    d = p.to_dict()
    d["extensions"] = [{"at": "2026-03-05T20:20:00+00:00", "minutes": 10, "deadline": "2026-03-05T20:30:00+00:00"},
                       {"at": "2026-03-05T20:40:00+00:00", "minutes": 10, "deadline": "2026-03-05T20:50:00+00:00"}]
    assert len(type(p).from_dict(d).extensions) == 2


def test_both_choose_a_later_time_the_later_one_holds(homes, clock):
    _not_yet(homes, clock)
    now = clock.now()
    picks = {}
    for store, hours in ((homes.a, 1), (homes.b, 3)):
        p = pause_store.active(store)
        picks[store] = now + timedelta(hours=hours)
        p.choose_revisit(picks[store], now)
        pause_store.postpone(store, p, now)
    homes.settle()
    for store in (homes.a, homes.b):
        assert pause_store.active(store) is None
        assert store.table("pause_active").get(doc_id=1) is None
        (rec,) = pause_store.waiting(store)
        assert rec.revisit_at == now + timedelta(hours=3)


def test_more_time_here_and_a_later_time_there_end_as_the_later_time(homes, clock):
    _not_yet(homes, clock)
    now = clock.now()
    p = pause_store.active(homes.a)
    p.extend(60, now)
    pause_store.save_active(homes.a, p)
    q = pause_store.active(homes.b)
    q.choose_revisit(now + timedelta(minutes=30), now)
    pause_store.postpone(homes.b, q, now)
    homes.settle()
    for store in (homes.a, homes.b):
        pause_store.due_items(store, now)
    homes.settle()
    for store in (homes.a, homes.b):
        assert store.table("pause_active").get(doc_id=1) is None  # nothing unreadable left
        (rec,) = pause_store.waiting(store)
        assert rec.revisit_at == now + timedelta(minutes=60)  # never sooner than the hour asked at Ana's


def test_extension_keeps_its_countdown_number_through_a_save(clock):
    p = start_pause(0, 20, clock.now())
    clock.advance(minutes=20)
    p.begin_checkin(clock.now())
    p.record_checkin(0, 5, False)
    p.record_checkin(1, 5, False)
    p.extend(10, clock.now())
    assert type(p).from_dict(p.to_dict()).extensions == [Extension(clock.now(), 10, clock.now() + timedelta(minutes=10), 0)]


def test_more_time_at_both_across_a_clock_that_is_off_never_ends_in_the_past(tmp_path):
    """Sam's clock is 40 minutes behind Ana's, and the pause was taken at Sam's. Both ask for more
    time at the same real moment: at each home the new return time is ahead on its own clock, by
    the longer of the two asks."""
    from datetime import datetime, timezone

    from tui.core.clock import FakeClock

    T = datetime(2026, 3, 14, 21, 0, tzinfo=timezone.utc)
    clock = FakeClock(T)
    homes = make_two_homes(tmp_path, clock)
    sams = T - timedelta(minutes=40)

    def at_sams(then):
        clock.set(then - timedelta(minutes=40))

    def exchange(then):
        for _ in range(2):
            for store in (homes.a, homes.b):
                at_sams(then) if store is homes.b else clock.set(then)
                homes.merge(store)
                homes.ship()

    try:
        at_sams(T)
        p = start_pause(1, 20, clock.now())
        pause_store.save_active(homes.b, p)
        homes.merge(homes.b)
        homes.ship()
        clock.set(T)
        homes.merge(homes.a)
        pause_store.keep_offset(homes.a)
        real = T + timedelta(minutes=20)
        for store, who, ready, here in ((homes.a, 0, False, real), (homes.b, 1, True, real - timedelta(minutes=40))):
            q = pause_store.active(store)
            q.begin_checkin(here)
            q.record_checkin(who, 5, ready)
            pause_store.save_active(store, q)
        exchange(real)
        assert pause_store.active(homes.a).phase == "more_time"
        assert pause_store.active(homes.b).phase == "more_time"
        for store, minutes, here in ((homes.a, 10, real), (homes.b, 30, real - timedelta(minutes=40))):
            q = pause_store.active(store)
            q.extend(minutes, here)
            pause_store.save_active(store, q)
        exchange(real)
        at_a, at_b = pause_store.active(homes.a), pause_store.active(homes.b)
        assert at_a.deadline == real + timedelta(minutes=30)  # on Ana's clock
        assert at_b.deadline == real - timedelta(minutes=40) + timedelta(minutes=30)  # on Sam's clock
        assert at_a.remaining(real) == at_b.remaining(real - timedelta(minutes=40)) == timedelta(minutes=30)
    finally:
        homes.close()
