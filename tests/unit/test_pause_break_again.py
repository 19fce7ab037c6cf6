"""ctrl+t during the talk after a pause: another break, never shorter than the minimum, and the
talk keeps everything said so far and goes on from there after the next check-in."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tui.core.pause import MIN_MINUTES, PauseError, Pause, start_pause


def in_the_talk(clock) -> Pause:
    p = start_pause(0, 20, clock.now())
    clock.advance(minutes=20)
    p.begin_checkin(clock.now())
    p.record_checkin(0, 6, True)
    p.record_checkin(1, 7, True)
    assert p.phase == "repair"
    return p


def test_another_break_during_the_talk_counts_down_again_and_keeps_the_talk(clock):
    p = in_the_talk(clock)
    turn = p.repair.current()
    p.repair.submit(turn, {"text": "I felt unheard at dinner."})
    p.break_again(30, clock.now())
    assert p.phase == "countdown" and p.deadline == clock.now() + timedelta(minutes=30)
    assert not p.time_up(clock.now())
    clock.advance(minutes=30)
    assert p.time_up(clock.now())
    p.begin_checkin(clock.now())
    p.record_checkin(0, 8, True)
    p.record_checkin(1, 8, True)
    assert p.phase == "repair"
    assert p.repair.answer(turn) == {"text": "I felt unheard at dinner."}  # the talk goes on where it was


def test_another_break_is_at_least_the_minimum_and_within_a_day(clock):
    p = in_the_talk(clock)
    with pytest.raises(PauseError):
        p.break_again(MIN_MINUTES - 5, clock.now())
    assert p.break_options(clock.now()) == [20, 30, 45, 60]
    clock.advance(hours=23)  # 23 h 20 min after the start: 40 minutes are left of the day
    assert p.break_options(clock.now()) == [20, 30]
    with pytest.raises(PauseError):
        p.break_again(45, clock.now())
    assert p.phase == "repair"


def test_another_break_only_from_the_talk(clock):
    p = start_pause(0, 20, clock.now())
    with pytest.raises(PauseError):
        p.break_again(20, clock.now())


def test_another_break_is_credited_to_who_asked_and_counted_from_its_start(clock):
    """A newcomer saw 'Noor asked for this pause · more time taken 2 times' for a break Léa took,
    and 'It's been 17 minutes' a minute into it: the break is its asker's, and its own time-out."""
    p = start_pause(1, 20, clock.now())  # the first pause: partner 2's
    clock.advance(minutes=20)
    for calm in (3, 4):
        p.begin_checkin(clock.now())
        p.record_checkin(1, calm, False)
        p.record_checkin(0, calm, False)
        p.extend(10, clock.now())
        clock.advance(minutes=10)
    p.begin_checkin(clock.now())
    p.record_checkin(1, 7, True)
    p.record_checkin(0, 7, True)
    assert (p.asked_by, p.more_taken) == (1, 2)
    clock.advance(minutes=15)
    p.break_again(20, clock.now(), by=0)  # partner 1 needs it now
    clock.advance(minutes=1)
    assert p.asked_by == 0 and p.more_taken == 0
    assert p.elapsed(clock.now()) == timedelta(minutes=1)
    back = Pause.from_dict(p.to_dict())  # kept across a restart, and on the other home's clock
    assert (back.asked_by, back.more_taken, back.since) == (0, 0, p.since)
    there = p.shifted(timedelta(minutes=3))
    assert there.asked_by == 0 and there.since == p.since + timedelta(minutes=3)
    assert p.caller == 1  # the first pause stays partner 2's, in the log


def test_after_another_break_its_asker_checks_in_first(clock):
    p = in_the_talk(clock)  # the first pause was asked for by partner 0
    p.break_again(20, clock.now(), by=1)
    clock.advance(minutes=20)
    p.begin_checkin(clock.now())
    assert p.next_to_check_in() == 1
