"""Clock times name their day: a time after midnight says 'tomorrow' (fake clock, no waiting)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tui.core.clock import FakeClock
from tui.core.pause import clock_label
from tui.core.timewords import at_clock, clock_words

LATE = datetime(2026, 3, 14, 23, 50, tzinfo=timezone.utc)  # a Saturday, ten to midnight


def test_today_is_the_time_alone():
    clock = FakeClock(LATE)
    assert clock_words(LATE + timedelta(minutes=5), clock.now()) == "23:55"
    assert at_clock(LATE + timedelta(minutes=5), clock.now()) == "at 23:55"


def test_after_midnight_is_tomorrow():
    clock = FakeClock(LATE)
    back = clock.now() + timedelta(minutes=50)
    assert clock_words(back, clock.now()) == "tomorrow at 00:40"
    assert at_clock(back, clock.now()) == "tomorrow at 00:40"
    assert clock_label(back, clock.now()) == "tomorrow at 00:40"  # the pause screens' words too


def test_further_days_name_the_weekday_then_the_date():
    clock = FakeClock(LATE)
    assert clock_words(LATE + timedelta(days=3), clock.now()) == "Tuesday at 23:50"
    assert at_clock(LATE + timedelta(days=3), clock.now()) == "on Tuesday at 23:50"
    assert clock_words(LATE + timedelta(days=7), clock.now()) == "Sat 21 Mar at 23:50"
    assert clock_words(LATE - timedelta(minutes=30), clock.now()) == "23:20"
    assert clock_words(LATE - timedelta(days=1), clock.now()) == "yesterday at 23:50"


def test_the_day_is_the_couples_local_day():
    """Stored times are UTC; the day is counted where the couple is (here UTC+2, just past midnight)."""
    here = timezone(timedelta(hours=2))
    clock = FakeClock(datetime(2026, 3, 14, 21, 30, tzinfo=timezone.utc).astimezone(here))  # 23:30 local
    deadline = datetime(2026, 3, 14, 22, 10, tzinfo=timezone.utc)  # 00:10 local, the next day
    assert clock_words(deadline, clock.now()) == "tomorrow at 00:10"
    clock.advance(minutes=45)  # now past midnight too: the same time is today
    assert clock_words(deadline, clock.now()) == "00:10"
