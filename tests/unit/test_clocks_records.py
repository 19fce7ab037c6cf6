"""Records stamped by the other computer's clock, at two homes whose clocks differ: Sam's
computer five hours fast or four hours slow, or in Tokyo while Ana's is in Berlin. Whichever,
nothing shows on a wrong day or in the future, kept talks are in the order they really began,
the reflection's run of weeks does not break at one home only, and a challenge's day is the same
day at both. Issue 19."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui.core import reflection as rules
from tui.core.clock import FakeClock, parse_time
from tui.core.decks import load_decks
from tui.core.reflection import IsoWeek
from tui.core.rounds import Choices, Plan, new_round
from tui.core import talk as talk_core
from tui.core.talk import start_talk
from tui.core import challenges as ch
from tui.store import agreements as store_ag
from tui.store import challenges as store_challenges
from tui.store import reflections as store_r
from tui.store import rounds as store_rounds
from tui.store import sync
from tui.store import talks as talk_store
from tui.store import couple_time

from tests.two_homes import make_two_homes
from tests.unit.test_clock_hours_apart import _ship

BERLIN = timezone(timedelta(hours=1))
TOKYO = timezone(timedelta(hours=9))
TRIP = timedelta(seconds=40)
EVE = datetime(2026, 4, 5, 20, 0, tzinfo=BERLIN)  # a Sunday evening in Berlin
FIXTURES = Path(__file__).parent.parent / "fixtures" / "decks"
AGREEMENT = dict(text="Phones away at dinner.", kind="want", category="conflict", review="monthly")

#: Sam's computer: its time zone and how far its clock is off.
CASES = [pytest.param((TOKYO, timedelta(0)), id="tokyo"),
         pytest.param((BERLIN, timedelta(hours=5)), id="5h-fast"),
         pytest.param((BERLIN, timedelta(hours=-4)), id="4h-slow"),
         pytest.param((TOKYO, timedelta(hours=5)), id="tokyo-5h-fast")]


class Apart:
    """Ana's computer (the first home, Berlin, right) and Sam's, on one real timeline."""

    def __init__(self, tmp_path, zone_b, fast_b) -> None:
        self.clock = FakeClock(EVE - timedelta(days=20))
        self.zone_b, self.fast_b = zone_b, fast_b
        self.homes = make_two_homes(tmp_path, self.clock)
        self.a, self.b = self.homes.a, self.homes.b

    def at(self, store, real: datetime) -> datetime:
        """Set the clock as `store`'s computer reads the real moment `real`; returns it."""
        self.clock.set(real.astimezone(BERLIN) if store is self.a else real.astimezone(self.zone_b) + self.fast_b)
        return self.clock.now()

    def exchange(self, real: datetime) -> None:
        """Both merge a few times around `real`, and the files travel both ways."""
        for n in range(3):
            for store in (self.a, self.b):
                self.at(store, real + (2 * n + (store is self.b)) * TRIP)
                self.homes.merge(store)
                _ship(self.homes)

    def close(self) -> None:
        self.homes.close()


@pytest.fixture
def apart(tmp_path, monkeypatch, request):
    monkeypatch.setattr(sync, "HERE_EVERY", 0.0)
    zone_b, fast_b = request.param
    two = Apart(tmp_path, zone_b, fast_b)
    two.exchange(two.clock.now() - two.fast_b)  # the offset is known from here on
    yield two
    two.close()


def _near(a: datetime, b: datetime) -> bool:
    return abs(a - b) <= 10 * TRIP


# -- the other home's clock, read here ----------------------------------------------------------

@pytest.mark.parametrize("apart", CASES, indirect=True)
def test_a_time_from_the_other_home_is_read_on_this_clock_and_dated_on_the_couples_day(apart):
    real = EVE + timedelta(hours=3, minutes=30)  # 23:30 in Berlin, already the next day at Sam's
    apart.exchange(real - timedelta(minutes=10))
    theirs = apart.at(apart.b, real)
    b_home = couple_time.home_of(apart.a, 1)
    assert b_home and couple_time.home_of(apart.b, 1) == b_home  # the same id at both homes
    now_a = apart.at(apart.a, real)
    assert _near(couple_time.on_this_clock(apart.a, theirs, b_home), real)
    assert couple_time.couple_day(apart.a, theirs, now_a, b_home) == date(2026, 4, 5)
    now_b = apart.at(apart.b, real)
    assert couple_time.couple_day(apart.b, theirs, now_b, b_home) == date(2026, 4, 5)  # Sam's own, too
    ahead = theirs + timedelta(hours=2)  # a time ahead of now (a clock put back since): today, not tomorrow
    assert couple_time.couple_day(apart.a, ahead, now_a, b_home) == date(2026, 4, 5)


# -- the reflection's run of weeks ---------------------------------------------------------------

def _finish_week(store, week: IsoWeek, now: datetime) -> None:
    r = rules.new_reflection(week, rules.QUICK, now)
    r = rules.finish(r, now)
    store_r.save(store, r)


@pytest.mark.parametrize("apart", CASES, indirect=True)
def test_the_run_of_weeks_is_the_same_at_both_homes_on_a_sunday_evening(apart):
    """Two weeks done; this week's not yet, on Sunday evening in Berlin (Monday already on Sam's
    clock when it runs fast or is in Tokyo): both homes say two weeks in a row; and once it is
    Monday in Berlin (still Sunday on a slow clock), neither says the run goes on."""
    this = IsoWeek.of(EVE)
    for week in (this.previous(), this.previous().previous()):
        _finish_week(apart.a, week, apart.at(apart.a, EVE - timedelta(days=3)))
    apart.exchange(EVE - timedelta(hours=1))
    for store in (apart.a, apart.b):
        assert store_r.weeks_in_a_row(store, apart.at(store, EVE)) == 2
        late = EVE + timedelta(hours=3, minutes=50)  # 23:50 on Sunday in Berlin
        assert store_r.weeks_in_a_row(store, apart.at(store, late)) == 2
        monday = EVE + timedelta(hours=6)  # 02:00 on Monday in Berlin (still Sunday on a slow clock)
        assert store_r.weeks_in_a_row(store, apart.at(store, monday)) == 0  # last week was not done


# -- challenge days ------------------------------------------------------------------------------

@pytest.fixture
def deck():
    return load_decks([FIXTURES]).by_id()["fixture-challenge"]


@pytest.mark.parametrize("apart", CASES, indirect=True)
def test_a_challenge_day_done_at_one_home_is_done_today_at_both(apart, deck):
    """Day 1 is played on Sam's computer on Sunday evening: at both homes it is done on the
    couple's Sunday, and day 2 opens on the couple's Monday, not sooner at either home."""
    real = EVE + timedelta(hours=2)  # 22:00 in Berlin
    now_b = apart.at(apart.b, real)
    found = ch.start_week(deck, 1)
    offer = ch.today(deck, found, now_b)
    assert offer.ready and offer.day == 1
    choices = Choices(decks=(deck.id,), length=1, mode="talk", first="a")
    state = store_rounds.start_round(apart.b, new_round(Plan([offer.card], 1), choices, deck_titles={},
                                                        names=("Ana", "Sam"), now=now_b, rng=random.Random(1)))
    store_challenges.begun(apart.b, found, 1, state.id)
    state.submit("")
    state.finish_card(apart.at(apart.b, real + timedelta(minutes=10)))
    store_rounds.save_round(apart.b, state)
    apart.exchange(real + timedelta(minutes=15))
    for store in (apart.a, apart.b):  # read first at either home: the same date
        back = store_challenges.progress(store, deck.id, apart.at(store, real + timedelta(minutes=20)))
        assert back.done == {1: date(2026, 4, 5)}
    for store in (apart.a, apart.b):
        lines = store_challenges.home_lines(store, [deck], apart.at(store, real + timedelta(minutes=30)))
        assert "Day 1 of 3 done today. Day 2 opens tomorrow." in lines[0]
        monday = EVE + timedelta(hours=4, minutes=30)  # 00:30 on Monday in Berlin
        lines = store_challenges.home_lines(store, [deck], apart.at(store, monday))
        assert "Day 2 of 3 is ready" in lines[0]


@pytest.mark.parametrize("apart", CASES, indirect=True)
def test_a_challenge_day_played_just_after_midnight_is_that_days(apart, deck):
    """Day 1 was done on the couple's Sunday; day 2 is played on Sam's computer at 00:30 on
    Monday in Berlin (Sunday evening still, on a clock four hours slow): it is Monday's, and
    day 3 waits for Tuesday at both homes."""
    found = ch.Progress(deck.id, 1, {1: date(2026, 4, 5)})
    store_challenges.save(apart.b, found)
    real = EVE + timedelta(hours=4, minutes=30)  # 00:30 on Monday in Berlin
    now_b = apart.at(apart.b, real)
    offer = store_challenges.offer(apart.b, deck, found, 1, now_b)
    assert offer.ready and offer.day == 2
    choices = Choices(decks=(deck.id,), length=1, mode="talk", first="a")
    state = store_rounds.start_round(apart.b, new_round(Plan([offer.card], 1), choices, deck_titles={},
                                                        names=("Ana", "Sam"), now=now_b, rng=random.Random(1)))
    store_challenges.begun(apart.b, found, 2, state.id)
    while state.step.kind != "reveal":  # a question in Talk: each of you in turn
        state.submit("The kettle.")
    state.finish_card(apart.at(apart.b, real + timedelta(minutes=10)))
    store_rounds.save_round(apart.b, state)
    apart.exchange(real + timedelta(minutes=15))
    for store in (apart.a, apart.b):
        back = store_challenges.progress(store, deck.id, apart.at(store, real + timedelta(minutes=20)))
        assert back.done == {1: date(2026, 4, 5), 2: date(2026, 4, 6)}
        lines = store_challenges.home_lines(store, [deck], apart.at(store, real + timedelta(hours=8)))
        assert "Day 2 of 3 done today. Day 3 opens tomorrow." in lines[0]


# -- kept talks ------------------------------------------------------------------------------------

def _keep_a_talk(store, first: int, home: int, now: datetime, words: str) -> str:
    talk = start_talk(first, now, home=home)
    talk.speak(words, now)
    talk_store.end_talk(store, talk, keep={0: True, 1: True})
    return talk.id


@pytest.mark.parametrize("apart", CASES, indirect=True)
def test_kept_talks_are_in_the_order_they_began_with_this_computers_time(apart):
    """Sam begins a talk at 21:00 Berlin time, Ana one at 22:00: both homes list Ana's first
    (newest first), and show when Sam's began on their own clock, in their own time zone."""
    sams = _keep_a_talk(apart.b, 1, 1, apart.at(apart.b, EVE + timedelta(hours=1)), "I felt rushed.")
    anas = _keep_a_talk(apart.a, 0, 0, apart.at(apart.a, EVE + timedelta(hours=2)), "I missed you.")
    apart.exchange(EVE + timedelta(hours=2, minutes=5))
    for store, zone in ((apart.a, BERLIN), (apart.b, apart.zone_b)):
        apart.at(store, EVE + timedelta(hours=2, minutes=10))
        kept = talk_store.kept_talks(store)
        assert [t["id"] for t in kept] == [anas, sams]
        began = {t["id"]: parse_time(t["started"]) for t in kept}
        mine, shown = (anas, BERLIN) if store is apart.a else (sams, zone)
        assert began[mine].utcoffset() == shown.utcoffset(None)  # in this computer's zone
        real_sams = EVE + timedelta(hours=1)
        seen = real_sams + (apart.fast_b if store is apart.b else timedelta(0))  # on this clock
        assert _near(began[sams], seen)
        assert began[sams].astimezone(zone).isoformat()[:16] == kept[1]["started"][:16]
        assert talk_store.markdown(store).index("I missed you") < talk_store.markdown(store).index("I felt rushed")


def test_whose_computer_began_a_talk_is_read_from_its_id():
    begun_by = talk_core.begun_by
    assert begun_by("20260405T200000-0") is None  # at one keyboard
    assert begun_by("20260405T200000-1-h1") == 1
    assert begun_by("20260405T200000-0-h0") == 0
    assert begun_by(None) is None


# -- agreed and archived days ---------------------------------------------------------------------

@pytest.mark.parametrize("apart", CASES, indirect=True)
def test_agreed_and_archived_days_are_the_couples_at_both_homes(apart):
    """Sam's yes and the archiving are done on his computer, late on Sunday in Berlin (after
    midnight on his clock when it is fast or in Tokyo) or just after midnight (before it, when
    his clock is slow): both homes name the couple's day, the one Ana's calendar says."""
    forward = apart.fast_b > timedelta(0) or apart.zone_b is TOKYO
    real = EVE + (timedelta(hours=3, minutes=40) if forward else timedelta(hours=4, minutes=40))
    day = "5 April 2026" if forward else "6 April 2026"
    a = store_ag.create(apart.a, 0, title="Phones away", now=apart.at(apart.a, EVE - timedelta(days=1)), **AGREEMENT)
    store_ag.propose(apart.a, a.id, 0, now=apart.clock.now())
    apart.exchange(real - timedelta(minutes=20))
    store_ag.say_yes(apart.b, a.id, 1, now=apart.at(apart.b, real))
    apart.exchange(real + TRIP)
    for store in (apart.a, apart.b):
        apart.at(store, real + timedelta(minutes=10))
        assert f"Agreed by Ana and Sam on {day}" in store_ag.full_markdown(store)
    store_ag.retire(apart.b, a.id, now=apart.at(apart.b, real + timedelta(minutes=12)))
    apart.exchange(real + timedelta(minutes=13))
    for store in (apart.a, apart.b):
        now = apart.at(store, real + timedelta(minutes=16))
        assert f"Retired on {day}" in store_ag.full_markdown(store)
        got = store_ag.get(store, a.id)
        assert got.retired_home == couple_time.home_of(store, 1)
        assert store_ag.shown_day(store, got.retired_at, got.retired_home, now).isoformat() == \
            ("2026-04-05" if forward else "2026-04-06")


def test_an_agreement_at_one_keyboard_keeps_its_own_dates(tmp_path):
    from tui.store import Store

    clock = FakeClock(EVE + timedelta(hours=3, minutes=40))
    one = Store.open(tmp_path / "one.json", clock=clock, background=False)
    try:
        a = store_ag.create(one, 0, title="Phones away", **AGREEMENT)
        a = store_ag.retire(one, a.id)
        assert a.retired_home == "" and store_ag.shown_day(one, a.retired_at, a.retired_home) == date(2026, 4, 5)
        assert "retired_home" not in one.table("agreements").get(doc_id=a.id)  # documents as before
    finally:
        one.close()


# -- time words for a record from the other home ---------------------------------------------------

def test_a_time_from_tokyo_is_shown_in_this_zone_and_never_after_now():
    from tui.core import timewords

    now = datetime(2026, 4, 5, 23, 0, tzinfo=BERLIN)
    tokyo = datetime(2026, 4, 6, 6, 30, tzinfo=TOKYO)  # 22:30 on Sunday in Berlin
    shown = timewords.shown_time(tokyo, now)
    assert shown.utcoffset() == timedelta(hours=1) and (shown.day, shown.hour) == (5, 22)
    fast = datetime(2026, 4, 6, 4, 0, tzinfo=BERLIN)  # written on a clock five hours fast
    assert timewords.shown_time(fast, now) == now
    assert timewords.shown_time(fast, now, past=False) == fast  # a time to come is left alone
    assert timewords.clock_words(timewords.shown_time(tokyo, now), now) == "22:30"


def test_the_pause_log_says_when_a_pause_from_tokyo_began_in_this_computers_hours():
    from types import SimpleNamespace

    from tui.core.partners import Couple
    from tui.core.pause import make_record, start_pause
    from tui.screens.pause.log import record_line

    began = datetime(2026, 4, 6, 6, 30, tzinfo=TOKYO)  # 22:30 on Sunday in Berlin
    pause = start_pause(1, 20, began)
    record = make_record(pause, began + timedelta(minutes=25))
    app = SimpleNamespace(couple=Couple.from_names("Ana", "Sam"), clock=FakeClock(datetime(2026, 4, 5, 23, 0, tzinfo=BERLIN)))
    head = record_line(app, record).renderables[0]
    assert str(head).startswith("Sun 5 Apr 2026, 22:30")


# -- the pause log's order --------------------------------------------------------------------------

@pytest.mark.parametrize("apart", CASES, indirect=True)
def test_the_pause_log_is_in_the_order_the_pauses_began_at_both_homes(apart):
    """Sam's pause at 19:00 Berlin time, Ana's at 20:00: newest first is Ana's at both homes,
    whatever Sam's clock says."""
    from tui.core.pause import start_pause
    from tui.store import pauses as pause_store

    for store, caller, real in ((apart.b, 1, EVE - timedelta(hours=1)), (apart.a, 0, EVE)):
        began = apart.at(store, real)
        pause_store.save_active(store, start_pause(caller, 20, began))
        pause_store.finish(store, pause_store.active(store), apart.at(store, real + timedelta(minutes=25)))
        apart.exchange(real + timedelta(minutes=26))
    for store in (apart.a, apart.b):
        apart.at(store, EVE + timedelta(minutes=40))
        assert [r.caller for r in pause_store.records(store)] == [0, 1]


@pytest.mark.parametrize("apart", CASES, indirect=True)
def test_a_version_written_at_the_other_home_is_timed_on_this_clock(apart):
    a = store_ag.create(apart.a, 0, title="Phones away", now=apart.at(apart.a, EVE - timedelta(hours=2)), **AGREEMENT)
    apart.exchange(EVE - timedelta(hours=1))
    store_ag.edit(apart.b, a.id, 1, now=apart.at(apart.b, EVE), text="Phones in the drawer at dinner.")
    apart.exchange(EVE + TRIP)
    for store, zone, fast in ((apart.a, BERLIN, timedelta(0)), (apart.b, apart.zone_b, apart.fast_b)):
        apart.at(store, EVE + timedelta(minutes=5))
        first, sams = store_ag.get(store, a.id).versions
        assert _near(store_ag.version_time(store, sams), EVE + fast)  # Sam's edit, on this clock
        assert store_ag.version_time(store, sams).utcoffset() == zone.utcoffset(None)
        assert _near(store_ag.version_time(store, first), EVE - timedelta(hours=2) + fast)  # and Ana's


def test_a_round_begun_in_tokyo_is_dated_by_the_day_in_berlin():
    from tui.core.rounds import RoundSummary
    from tui.screens.history.browse import round_label

    state = RoundSummary(id="2026-18", started=datetime(2026, 4, 6, 6, 30, tzinfo=TOKYO), seq=3, mode="talk",
                         status="done", played=2, deck_titles=("Small hellos",))
    assert str(round_label(state, BERLIN)).startswith("Sun 5 Apr 2026 ·")
    assert str(round_label(state)).startswith("Mon 6 Apr 2026 ·")  # without a zone: as written


@pytest.mark.parametrize("apart", CASES, indirect=True)
def test_a_week_finished_at_the_other_home_says_the_couples_day_in_the_export(apart):
    """Sam finishes the week's check-in at 23:30 on Sunday, Berlin time (Monday on his clock
    when it runs fast or is in Tokyo): the Markdown says Sunday at both homes."""
    week = IsoWeek.of(EVE)
    _finish_week(apart.b, week, apart.at(apart.b, EVE + timedelta(hours=3, minutes=30)))
    apart.exchange(EVE + timedelta(hours=3, minutes=35))
    for store in (apart.a, apart.b):
        apart.at(store, EVE + timedelta(hours=3, minutes=40))
        assert "finished 2026-04-05" in store_r.week_markdown(store, week)
