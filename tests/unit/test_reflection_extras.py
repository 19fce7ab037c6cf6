"""The weekly reflection's optional steps: where they go, who may skip what, One issue's turns."""

from __future__ import annotations

import pytest

from tui.core import reflection as rules
from tui.core.reflection import FULL, QUICK, IsoWeek, Reflection, ReflectionError, new_reflection
from tui.core.reflection_extras import (
    begin_issue, choose_extras, clean_extras, feel_loved, issue_talk, issue_turn, plan_good_times,
)

WEEK = IsoWeek(2026, 11)


def at(r: Reflection, step: str) -> Reflection:
    r.step = step
    return r


def test_the_extras_go_where_they_belong_and_only_in_the_full_reflection():
    assert rules.steps_for(FULL) == rules.FULL_STEPS  # nothing chosen: the reflection as it was
    steps = rules.steps_for(FULL, ("feel_loved", "one_issue", "good_times"))
    assert steps.index("one_issue") == steps.index("words") + 1
    assert steps[steps.index("next_items") + 1: steps.index("next_items") + 3] == ("good_times", "feel_loved")
    assert rules.steps_for(FULL, ("feel_loved",)).index("feel_loved") == rules.FULL_STEPS.index("next_items") + 1
    assert rules.steps_for(QUICK, ("one_issue",)) == rules.QUICK_STEPS
    assert clean_extras(["good_times", "nonsense", "one_issue"]) == ("one_issue", "good_times")
    assert clean_extras("one_issue") == ()  # a hand-edited setting that is not a list


def test_extras_are_chosen_before_the_week_gets_going(clock):
    r = new_reflection(WEEK, FULL, clock.now())
    r = choose_extras(r, ["good_times"], clock.now())
    assert r.extras == ("good_times",) and rules.is_blank(r)
    assert rules.step_after(FULL, "next_items", r.extras) == "good_times"
    again = Reflection.from_dict(r.to_dict())
    assert again.extras == ("good_times",) and again.steps == r.steps
    r = rules.give_appreciations(r, 0, ["the soup"], clock.now())
    with pytest.raises(ReflectionError):
        choose_extras(r, [], clock.now())
    with pytest.raises(ReflectionError):
        choose_extras(new_reflection(WEEK, QUICK, clock.now()), ["one_issue"], clock.now())


def test_an_old_file_without_extras_still_reads():
    doc = new_reflection(WEEK, FULL, None).to_dict()
    doc.pop("extras")
    doc.pop("extra")
    doc["step"] = "good_times"  # a step this week did not choose: back to the start
    r = Reflection.from_dict(doc)
    assert r.extras == () and r.step == rules.FULL_STEPS[0]


def test_one_issue_is_one_turn_each_then_the_reflection_goes_on(clock):
    r = at(choose_extras(new_reflection(WEEK, FULL, clock.now()), ["one_issue"], clock.now()), "one_issue")
    with pytest.raises(ReflectionError):
        begin_issue(r, 0, "  ", clock.now())  # the topic is chosen together first
    r = begin_issue(r, 1, "the car", clock.now())
    talk = issue_talk(r)
    assert (talk.topic, talk.floor(), talk.timer_on) == ("the car", 1, False)
    now = clock.now()
    for speaker in (1, 0):
        r = issue_turn(r, lambda t: t.speak("It's always late back", now), now)
        with pytest.raises(ReflectionError, match="own words"):
            issue_turn(r, lambda t: t.mirror("it's always late back", now), now)
        r = issue_turn(r, lambda t: t.mirror("The car comes back late", now), now)
        r = issue_turn(r, lambda t: t.confirm(now), now)
        assert r.step == "one_issue"
        r = issue_turn(r, lambda t: t.validate("you plan around it", "", now), now)
    assert r.step == "last_items"  # understand first: no solving step here
    assert [e.kind for e in issue_talk(r).entries] == ["speak", "mirror", "validate"] * 2


def test_good_times_and_feeling_loved(clock):
    r = at(choose_extras(new_reflection(WEEK, FULL, clock.now()), ["good_times", "feel_loved"], clock.now()), "good_times")
    with pytest.raises(ReflectionError):
        plan_good_times(r, " ", clock.now())
    r = plan_good_times(r, "A walk by the river on Saturday", clock.now())
    assert r.extra["good_times"].startswith("A walk") and r.step == "feel_loved"
    r2 = feel_loved(r, {0: "A long hug when I get home", 1: ""}, clock.now())  # Sam passes
    assert r2.extra["feel_loved"] == {"p0": "A long hug when I get home"} and r2.step == "due"
    r3 = feel_loved(r, {}, clock.now())
    assert "feel_loved" in r3.skipped and "feel_loved" not in r3.extra


def test_the_answers_show_in_the_week_markdown(clock):
    from tui.core.reflection_extras import markdown_lines

    r = at(choose_extras(new_reflection(WEEK, FULL, clock.now()), ["good_times", "feel_loved"], clock.now()), "good_times")
    r = plan_good_times(r, "Pizza on Saturday", clock.now())
    r = feel_loved(r, {1: "Breakfast in bed"}, clock.now())
    text = "\n".join(markdown_lines(r, {"p0": "Ana", "p1": "Sam"}, "###"))
    assert "### To look forward to" in text and "Pizza on Saturday" in text
    assert "- Sam: Breakfast in bed" in text and "Ana:" not in text
    assert markdown_lines(new_reflection(WEEK, FULL, clock.now()), {"p0": "Ana", "p1": "Sam"}, "###") == []


def test_appreciations_up_to_five_each():
    assert rules.clean_appreciations("a\nb\nc\nd\ne") == ["a", "b", "c", "d", "e"]
    with pytest.raises(ReflectionError, match="favourite 5"):
        rules.clean_appreciations("a\nb\nc\nd\ne\nf")
