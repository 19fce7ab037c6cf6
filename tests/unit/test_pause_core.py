"""Pause & repair rules with a fake clock: the timeline, restarts, extensions, the 24-hour cap,
ending early, revisit later, the repair turns, the words and the records."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from tui.core import pause as core
from tui.core.content import load
from tui.core.pause import (
    PauseError, RepairState, breath_at, check_length, clock_label, countdown_text, month_stats, parse_length,
    pause_words, repair_plan, settle_idea, start_pause, words_in_agreement,
)
from tui.store import Store
from tui.store import pauses as store_pauses


def test_lengths_and_parsing():
    assert check_length(20) == 20
    for bad in (0, 19, 24 * 60 + 1):
        with pytest.raises(PauseError):
            check_length(bad)
    assert parse_length("90") == 90
    assert parse_length("1:30") == 90
    assert parse_length("2h") == 120
    assert parse_length("1h30") == 90
    assert parse_length(" 45 min ") == 45
    assert parse_length("24h") == 1440
    for bad in ("", "soon", "1:75", "10", "25h", "9" * 5):
        with pytest.raises(PauseError) as err:
            parse_length(bad)
        assert str(err.value)  # a message for people


def test_countdown_rounds_up_so_zero_is_the_deadline():
    assert countdown_text(timedelta(minutes=20)) == "20:00"
    assert countdown_text(timedelta(seconds=0.2)) == "00:01"
    assert countdown_text(timedelta(0)) == "00:00"
    assert countdown_text(timedelta(seconds=-5)) == "00:00"
    assert countdown_text(timedelta(hours=1, minutes=5)) == "1:05:00"


def test_start_and_remaining(clock):
    p = start_pause(0, 20, clock.now(), topic="  the   dishes ", note="breathe")
    assert p.topic == "the dishes"
    assert p.deadline == clock.now() + timedelta(minutes=20)
    assert clock_label(p.deadline, clock.now()) == "20:45"
    clock.advance(minutes=7, seconds=30)
    assert p.remaining(clock.now()) == timedelta(minutes=12, seconds=30)
    assert not p.time_up(clock.now())
    clock.advance(minutes=13)
    assert p.time_up(clock.now()) and p.remaining(clock.now()) == timedelta(0)
    with pytest.raises(PauseError):
        start_pause(2, 20, clock.now())
    with pytest.raises(PauseError):
        start_pause(0, 5, clock.now())


def test_restart_mid_pause_keeps_the_deadline(tmp_path, clock):
    path = tmp_path / "h.json"
    with Store.open(path, clock=clock, background=False) as s:
        p = start_pause(1, 30, clock.now())
        store_pauses.save_active(s, p)
    clock.advance(minutes=11, seconds=15)  # Hearth closed, the machine slept...
    with Store.open(path, clock=clock, background=False) as s:
        back = store_pauses.active(s)
        assert back is not None and back.caller == 1
        assert back.remaining(clock.now()) == timedelta(minutes=18, seconds=45)
        assert countdown_text(back.remaining(clock.now())) == "18:45"
        clock.advance(minutes=19)
        assert back.time_up(clock.now())
        assert "time to check in" in " ".join(store_pauses.due_items(s, clock.now()))


def test_microseconds_survive_a_restart(store, clock):
    clock.advance(seconds=0.4)
    p = start_pause(0, 20, clock.now())
    store_pauses.save_active(store, p)
    assert store_pauses.active(store).deadline == p.deadline


def test_end_early_goes_to_checkin(clock):
    p = start_pause(0, 20, clock.now())
    clock.advance(minutes=12)
    p.end_early(clock.now())
    assert p.phase == "checkin" and p.ended_early
    assert p.actual_minutes() == 12
    assert p.on_time() is True
    assert p.next_to_check_in() == 0  # the one who asked answers first
    with pytest.raises(PauseError):
        p.end_early(clock.now())


def test_checkin_cannot_begin_before_time(clock):
    p = start_pause(0, 20, clock.now())
    with pytest.raises(PauseError):
        p.begin_checkin(clock.now())
    clock.advance(minutes=20)
    p.begin_checkin(clock.now())
    assert p.phase == "checkin" and not p.ended_early and p.actual_minutes() == 20


def test_coming_back_late_is_not_on_time(clock):
    p = start_pause(0, 20, clock.now())
    clock.advance(minutes=40)
    p.begin_checkin(clock.now())
    assert p.on_time() is False
    assert p.actual_minutes() == 20  # the countdown itself ended on time


def test_checkin_validates_and_both_ready_leads_to_repair(clock):
    p = start_pause(1, 20, clock.now())
    clock.advance(minutes=20)
    p.begin_checkin(clock.now())
    with pytest.raises(PauseError):
        p.record_checkin(1, 11, True)
    p.record_checkin(1, 7, True)
    assert p.next_to_check_in() == 0 and p.phase == "checkin"
    p.record_checkin(0, 6, True)
    assert p.phase == "repair" and p.repair is not None and p.repair.first == 1


def test_not_ready_extends_then_suggests_revisit(clock):
    p = start_pause(0, 20, clock.now())
    clock.advance(minutes=20)
    p.begin_checkin(clock.now())
    p.record_checkin(0, 8, True)
    p.record_checkin(1, 3, False)
    assert p.phase == "more_time" and not p.suggests_revisit
    p.extend(20, clock.now())
    assert p.phase == "countdown" and len(p.extensions) == 1
    assert p.deadline == clock.now() + timedelta(minutes=20)
    assert p.first_deadline == p.started + timedelta(minutes=20)
    clock.advance(minutes=5)
    p.end_early(clock.now())
    p.record_checkin(0, 8, True)
    p.record_checkin(1, 4, False)
    p.extend(10, clock.now())
    assert p.suggests_revisit
    clock.advance(minutes=25)  # the 10 minutes come after the 15 still agreed (issue 15, bug 5)
    p.begin_checkin(clock.now())
    p.record_checkin(0, 8, True)
    p.record_checkin(1, 4, False)
    assert p.phase == "more_time" and p.suggests_revisit
    options = p.revisit_options(clock.now())
    assert options and all(clock.now() < o <= p.cap for o in options)
    assert len(p.checkins) == 3


def test_extensions_stop_at_the_24_hour_cap(clock):
    p = start_pause(0, 23 * 60 + 30, clock.now())
    clock.advance(hours=23, minutes=30)
    p.begin_checkin(clock.now())
    p.record_checkin(0, 5, False)
    p.record_checkin(1, 5, True)
    assert p.extension_options(clock.now()) == [10, 20, 30]
    with pytest.raises(PauseError):
        p.extend(60, clock.now())
    p.extend(30, clock.now())
    assert p.deadline == p.cap
    clock.advance(minutes=30)
    p.begin_checkin(clock.now())
    p.record_checkin(0, 5, False)
    p.record_checkin(1, 5, True)
    assert p.extension_options(clock.now()) == []
    assert p.revisit_options(clock.now()) == []
    with pytest.raises(PauseError):
        p.choose_revisit(clock.now() + timedelta(hours=1), clock.now())


def test_revisit_later_within_24_hours(clock, store):
    p = start_pause(0, 20, clock.now(), topic="money")
    clock.advance(minutes=20)
    p.begin_checkin(clock.now())
    p.record_checkin(0, 4, False)
    p.record_checkin(1, 6, True)
    with pytest.raises(PauseError):
        p.parse_revisit("nonsense", clock.now())
    with pytest.raises(PauseError):
        p.parse_revisit("20:40", clock.now())  # 20:40 tomorrow is past the cap (20:25 + 24 h)
    when = p.parse_revisit("9:00", clock.now())
    assert clock_label(when, clock.now()) == "tomorrow at 09:00"
    assert p.parse_revisit("9 pm", clock.now()).hour == 21
    p.choose_revisit(when, clock.now())
    store_pauses.save_active(store, p)
    store_pauses.postpone(store, p, clock.now())
    assert store_pauses.active(store) is None
    assert not any("talk" in line for line in store_pauses.due_items(store, clock.now()))
    clock.set(when)
    due = store_pauses.due_items(store, clock.now())
    assert any("come back to your talk about money" in line for line in due)
    rec = store_pauses.waiting(store)[0]
    back = store_pauses.resume_waiting(store, rec.id, clock.now())
    assert back is not None and back.phase == "checkin" and back.repair_when == "later"
    assert store_pauses.waiting(store) == []
    back.record_checkin(0, 8, True)
    back.record_checkin(1, 8, True)
    assert back.phase == "repair"
    record = store_pauses.finish(store, back, clock.now(), keep={0: True, 1: True})
    assert record.repair == "later" and record.calm == [{0: 4, 1: 6}, {0: 8, 1: 8}]
    assert store_pauses.due_items(store, clock.now()) == []


def test_undo_window(clock):
    p = start_pause(0, 20, clock.now())
    assert p.can_undo(clock.now())
    clock.advance(minutes=3)
    assert not p.can_undo(clock.now())


def test_repair_plan_side_step_has_summary_and_confirmation():
    plan = repair_plan(["felt", "side"], first=1)
    kinds = [(t.step, t.kind, t.partner, t.about) for t in plan]
    assert kinds[:3] == [("felt", "answer", 1, None), ("felt", "answer", 0, None), ("felt", "reveal", None, None)]
    assert kinds[3:8] == [
        ("side", "speak", 1, 1), ("side", "reveal", None, 1), ("side", "summary", 0, 1),
        ("side", "confirm", 1, 1), ("side", "reveal", None, 1),
    ]
    assert kinds[8:13] == [
        ("side", "speak", 0, 0), ("side", "reveal", None, 0), ("side", "summary", 1, 0),
        ("side", "confirm", 0, 0), ("side", "reveal", None, 0),
    ]
    assert [t.kind for t in plan[-2:]] == ["keep", "keep"]


def test_repair_steps_match_content():
    steps = [s["id"] for s in load("pause")["repair_steps"]]
    assert steps == core.DEFAULT_STEPS


def test_repair_skip_and_keep(clock):
    r = RepairState.new(first=0)
    t = r.current()
    r.submit(t, {"text": "tired", "feelings": ["hurt"]})
    r.skip_step()  # the rest of "felt"
    assert r.current().step == "side" and r.skipped == ["felt"]
    for _ in range(3):
        r.skip_step()
    r.submit(r.current(), {"text": "I'll ask for a pause sooner."})
    r.submit(r.current(), {"text": ""})
    r.submit(r.current(), {})  # reveal
    assert r.current().kind == "keep"
    r.skip_step()  # the closing turns can't be skipped
    assert r.current().kind == "keep"
    with pytest.raises(PauseError):
        r.submit(t, {})
    assert r.kept_notes(0) == [
        {"step": "felt", "kind": "answer", "text": "tired", "feelings": ["hurt"]},
        {"step": "next", "kind": "answer", "text": "I'll ask for a pause sooner."},
    ]
    assert r.kept_notes(1) == []
    back = RepairState.from_dict(r.to_dict())
    assert back == r


def test_record_keeps_only_chosen_notes(clock):
    p = start_pause(0, 20, clock.now(), note="my secret")
    clock.advance(minutes=20)
    p.begin_checkin(clock.now())
    p.record_checkin(0, 7, True)
    p.record_checkin(1, 7, True)
    r = p.repair
    r.submit(r.current(), {"text": "a"})
    r.submit(r.current(), {"text": "b"})
    rec = core.make_record(p, clock.now(), keep={0: False, 1: True})
    assert rec.notes == {1: [{"step": "felt", "kind": "answer", "text": "b"}]}
    assert rec.private_notes == {}
    rec2 = core.make_record(p, clock.now(), keep={0: True}, keep_note=True)
    assert rec2.private_notes == {0: "my secret"}
    assert core.PauseRecord.from_dict(rec.to_dict()) == rec


def test_pause_words_order():
    default = load("pause")["default_words"]
    assert pause_words("", [], default, "20:45") == (
        "I'm taking a break to calm down. I'm not leaving. I'll be back at 20:45."
    )
    assert pause_words("Back at {time}, love. {not a field}", [], default, "9") == "Back at 9, love. {not a field}"
    agreement = 'When it gets heated, either of us says:\n"I need a breather. See you at [time]."\nThen we stop.'
    assert words_in_agreement(agreement) == "I need a breather. See you at {time}."
    assert pause_words("", ["no quotes here", agreement], default, "21:00") == "I need a breather. See you at 21:00."
    assert pause_words("Mine at {time}", [agreement], default, "21:00") == "Mine at 21:00"
    assert pause_words("", [], default, "tomorrow at 00:40", "tomorrow at 00:40").endswith(
        "I'll be back tomorrow at 00:40.")  # after midnight, the day is said (and no 'at at')
    assert pause_words("Until {time}, at {time}", [], default, "20:45", "at 20:45") == "Until 20:45, at 20:45"
    assert words_in_agreement('We say "not now, but soon".') is None
    template = next(t for t in load("agreement_templates")["templates"] if t["id"] == "time-out")
    assert words_in_agreement(template["text"]).endswith("I'll be back at {time}.")


def test_breathing_rhythm():
    assert breath_at(0).label == "Breathe in" and breath_at(0).fullness == 0
    assert breath_at(2).fullness == pytest.approx(0.5)
    assert breath_at(4.5).label == "Hold" and breath_at(4.5).fullness == 1
    assert breath_at(9).label == "Breathe out" and breath_at(9).fullness == pytest.approx(0.5)
    assert breath_at(12).label == "Breathe in"  # the cycle repeats


def test_settle_ideas_rotate():
    ideas = load("pause")["settle_ideas"]
    first = settle_idea(ideas, "x", 0)
    assert settle_idea(ideas, "x", 29) == first
    assert settle_idea(ideas, "x", 30) != first
    assert settle_idea(ideas, "x", 0, nudge=1) == settle_idea(ideas, "x", 30)
    assert settle_idea([], "x", 0) == ""


def test_month_stats_count_on_time(clock):
    recs = []
    rng = random.Random(3)
    for i, (late, month) in enumerate([(0, 0), (30, 0), (0, 1)]):
        p = start_pause(i % 2, 20, clock.now() + timedelta(days=40 * month + i))
        now = p.deadline + timedelta(minutes=late + rng.randint(0, 4))
        p.begin_checkin(now)
        recs.append(core.make_record(p, now))
    stats = month_stats(recs)
    assert [(s.month, s.count, s.on_time, s.returned) for s in stats] == [("2026-04", 1, 1, 1), ("2026-03", 2, 1, 2)]
    assert stats[1].label == "March 2026"


def test_records_markdown(store, clock, couple):
    from tui.store.profile import save_couple

    save_couple(store, couple)
    p = start_pause(1, 30, clock.now(), topic="visits")
    clock.advance(minutes=30)
    p.begin_checkin(clock.now())
    p.record_checkin(1, 6, True)
    p.record_checkin(0, 7, True)
    p.repair.submit(p.repair.current(), {"text": "worn out", "feelings": ["tense"]})
    store_pauses.save_active(store, p)
    store_pauses.finish(store, p, clock.now(), keep={1: True})
    text = store_pauses.markdown(store)
    assert "## Pauses" in text and "Sam asked for a pause (visits)" in text
    assert "tense · worn out" in text and "Calm at check-in 1: Ana 7/10, Sam 6/10" in text
    assert "blame" not in text.lower() and "fault" not in text.lower()
    assert store.db.tables() >= {"pauses_2026"}


# -- issue 15: suggested times, more time, undo, the log's summary ------------------------------------
def _local(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 14, hour, minute, tzinfo=timezone.utc)


@pytest.mark.parametrize("hour", range(24))
def test_later_times_are_suggested_only_when_people_are_awake(hour):
    """Bug 4: at 01:16 the suggestions were 03:00 and 05:00."""
    from tui.core.pause import awake_at

    now = _local(hour, 16)
    p = start_pause(0, 20, now - timedelta(minutes=30))
    options = p.revisit_options(now)
    assert options and all(awake_at(o) and now < o <= p.cap for o in options)


def test_in_the_small_hours_the_morning_after_sleep_is_offered():
    now = _local(1, 16)
    p = start_pause(0, 20, now - timedelta(minutes=30))
    labels = [o.strftime("%H:%M") for o in p.revisit_options(now)]
    assert labels[0] == "09:00" and "03:00" not in labels and "05:00" not in labels and "19:00" in labels


def test_more_time_never_ends_before_the_time_already_agreed():
    """Bug 5: at 01:10 with 01:27 agreed, '10 more minutes' gave 01:20."""
    p = start_pause(0, 20, _local(1, 7))  # back at 01:27
    now = _local(1, 10)
    p.end_early(now)
    p.record_checkin(0, 8, True)
    p.record_checkin(1, 3, False)
    assert p.extension_deadline(10, now) == _local(1, 37)
    later = _local(1, 15)
    assert p.extension_deadline(10, later) == _local(1, 37)  # still from the agreed time
    p.extend(10, later)
    assert p.deadline == _local(1, 37) and p.deadline >= p.first_deadline
    p.begin_checkin(_local(1, 40))
    p.record_checkin(0, 8, True)
    p.record_checkin(1, 3, False)
    assert p.extension_deadline(20, _local(1, 40)) == _local(2, 0)  # past the agreed time: from now


def test_undo_is_one_key_only_in_the_first_seconds():
    """Bug 7: 'u' ended a pause 40 seconds in, whoever pressed it."""
    from tui.core.pause import UNDO_GRACE

    p = start_pause(0, 20, _local(20))
    assert p.can_undo(_local(20)) and not p.undo_needs_caller(_local(20) + UNDO_GRACE)
    forty = _local(20) + timedelta(seconds=40)
    assert p.can_undo(forty) and p.undo_needs_caller(forty)
    assert not p.can_undo(_local(20, 3))


def test_the_log_tells_one_story():
    """Bug 11: 'took 9 minutes · more time 3×', then 'Ended a little early' and 'Came back at the
    agreed time' about the same pause."""
    from tui.core.pause import PauseRecord, pause_story

    def rec(**kw) -> PauseRecord:
        base = dict(id="x", caller=0, started=_local(1), planned_minutes=20, actual_minutes=9, extensions=[10, 10, 20],
                    ended_early=True, on_time=True, calm=[], ready=[], repair="now", status="done")
        base.update(kw)
        return PauseRecord(**base)

    early = pause_story(rec())
    assert early == ("Planned 20 minutes; more time asked for 3 times (10 minutes, 10 minutes, 20 minutes); "
                     "ended sooner than agreed, when you felt ready: 9 minutes in all.")
    assert "agreed time" not in early
    assert "back at the agreed time: 20 minutes" in pause_story(rec(ended_early=False, actual_minutes=20, extensions=[]))
    assert "after the agreed time" in pause_story(rec(ended_early=False, on_time=False))


def test_one_partners_skip_in_repair_is_their_own():
    """Bug 8: one partner's 'skip' skipped the step for both."""
    r = RepairState.new(first=0)
    assert r.current() == core.Turn("felt", "answer", 0)
    r.skip_turn()  # Ana passes on "felt"
    assert r.current() == core.Turn("felt", "answer", 1)  # Sam still has his turn
    r.submit(r.current(), {"text": "tired"})
    assert r.current().kind == "reveal" and r.skipped_by("felt", 0) and not r.skipped_by("felt", 1)
    r.submit(r.current(), {})
    assert r.skipped == [] and r.current() == core.Turn("side", "speak", 0, 0)
    r.skip_turn()  # no side told: nothing to read or sum up about it; Sam's side comes next
    assert r.current() == core.Turn("side", "speak", 1, 1)
    r.submit(r.current(), {"text": "my side"})
    r.submit(r.current(), {})  # read together
    r.skip_turn()  # Ana passes on summing up: nothing for Sam to confirm
    assert r.current().step == "touched"
    r.skip_turn()
    r.skip_turn()  # both passed: the reading together is passed over, the step left out
    assert r.current() == core.Turn("part", "answer", 0) and r.skipped == ["touched"]
    assert r.kept_notes(0) == [] and r.kept_notes(1)[0] == {"step": "felt", "kind": "answer", "text": "tired"}
