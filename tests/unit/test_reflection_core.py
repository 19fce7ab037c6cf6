"""Weekly reflection rules: ISO weeks (with year boundaries), steps and turns, scores,
differences, carry-over, trends over two years, and the store's shards and Markdown."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest

from tui.core import reflection as rules
from tui.core.reflection import ActionItem, IsoWeek, Reflection, ReflectionError
from tui.store import reflections as store_r

IDS = store_r.statement_ids()
T0 = datetime(2026, 3, 14, 20, 0, tzinfo=timezone.utc)


# -- ISO weeks -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 3, 14), (2026, 11)),
        (date(2026, 12, 31), (2026, 53)),  # 2026 has 53 ISO weeks
        (date(2027, 1, 3), (2026, 53)),  # a Sunday in January still in week 53 of 2026
        (date(2027, 1, 4), (2027, 1)),
        (date(2024, 12, 30), (2025, 1)),  # a Monday in December already in week 1 of 2025
        (date(2021, 1, 1), (2020, 53)),
        (date(2025, 12, 28), (2025, 52)),
    ],
)
def test_iso_week_of_a_day(day, expected):
    assert rules.iso_week(day) == expected
    assert IsoWeek.of(day) == IsoWeek(*expected)


def test_iso_week_of_an_aware_datetime_uses_its_own_date():
    late = datetime(2027, 1, 3, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert rules.iso_week(late) == (2026, 53)


@pytest.mark.parametrize(
    "week, before",
    [
        ((2027, 1), (2026, 53)),
        ((2026, 1), (2025, 52)),
        ((2021, 1), (2020, 53)),
        ((2026, 11), (2026, 10)),
    ],
)
def test_previous_and_next_week_across_years(week, before):
    assert rules.previous_week(*week) == before
    assert rules.next_week(*before) == week
    assert IsoWeek(*week).previous() == IsoWeek(*before)
    assert IsoWeek(*before).next() == IsoWeek(*week)


def test_week_53_rolls_over_to_week_1_and_52_does_not_go_to_53_in_short_years():
    assert IsoWeek(2026, 53).next() == IsoWeek(2027, 1)
    assert IsoWeek(2025, 52).next() == IsoWeek(2026, 1)
    assert rules.weeks_in_year(2025) == 52 and rules.weeks_in_year(2026) == 53
    with pytest.raises(ValueError):
        IsoWeek(2025, 53)


def test_week_keys_labels_and_spans():
    w = IsoWeek(2026, 11)
    assert w.key == "2026-W11" and IsoWeek.parse("2026-W11") == w
    assert w.monday() == date(2026, 3, 9) and w.sunday() == date(2026, 3, 15)
    assert w.span == "9–15 Mar"
    assert IsoWeek(2026, 14).span == "30 Mar – 5 Apr"
    assert IsoWeek(2026, 53).span == "28 Dec 2026 – 3 Jan 2027"
    for bad in ("2026-11", "W11", "2026-Wxx", ""):
        with pytest.raises(ValueError):
            IsoWeek.parse(bad)


def test_weeks_sort_in_time_order_across_years():
    weeks = [IsoWeek(2027, 1), IsoWeek(2026, 52), IsoWeek(2026, 53), IsoWeek(2027, 2)]
    assert sorted(weeks) == [IsoWeek(2026, 52), IsoWeek(2026, 53), IsoWeek(2027, 1), IsoWeek(2027, 2)]


# -- steps and turns --------------------------------------------------------------------------------
def test_full_and_quick_steps():
    assert rules.steps_for(rules.FULL)[0] == "appreciations" and rules.steps_for(rules.FULL)[-1] == "close"
    assert rules.steps_for(rules.QUICK) == ("appreciations", "ratings", "reveal", "close")
    assert rules.step_after(rules.FULL, "close") == rules.DONE
    assert rules.step_after(rules.QUICK, "reveal") == "close"


def test_whoever_holds_the_keyboard_goes_first_to_save_a_handover():
    assert rules.next_private_partner([], None) == 0
    assert rules.next_private_partner([], 1) == 1
    assert rules.next_private_partner(["p1"], 1) == 0
    assert rules.next_private_partner(["p0", "p1"], 0) is None


def test_private_turns_then_the_step_moves_on():
    r = rules.new_reflection(IsoWeek(2026, 11), rules.FULL, T0)
    r = rules.give_appreciations(r, 0, ["the soup"], T0)
    assert r.step == "appreciations" and r.turns_done("appreciations") == ["p0"]
    r = rules.give_appreciations(r, 1, ["the walk"], T0)
    assert r.step == "ratings"
    r = rules.give_ratings(r, 1, {"laughter": 5}, IDS, T0)
    r = rules.skip_turn(r, 0, T0)
    assert r.step == "reveal"
    assert "ratings.p0" in r.skipped and "ratings" not in r.skipped


def test_both_skipping_marks_the_step_skipped():
    r = rules.new_reflection(IsoWeek(2026, 11), rules.QUICK, T0)
    r = rules.skip_turn(rules.skip_turn(r, 0, T0), 1, T0)
    assert r.step == "ratings" and "appreciations" in r.skipped


def test_rule_functions_leave_the_original_untouched():
    r = rules.new_reflection(IsoWeek(2026, 11), rules.FULL, T0)
    rules.give_appreciations(r, 0, ["x"], T0)
    assert r.appreciations == {} and r.turns == {}


def test_appreciation_text_checks():
    assert rules.clean_appreciations("one\n\n two  \nthree") == ["one", "two", "three"]
    assert rules.clean_appreciations("one\ntwo", quick=True) == ["one two"]
    assert rules.clean_appreciations("bell\x07 and \x1b[31mred") == ["bell and [31mred"]
    with pytest.raises(ReflectionError, match="at least one"):
        rules.clean_appreciations("   \n ")
    with pytest.raises(ReflectionError, match="characters"):
        rules.clean_appreciations("x" * (rules.MAX_TEXT + 1))


def test_rating_checks():
    assert rules.check_ratings({"laughter": 4, "future": None}, IDS) == {"laughter": 4}
    with pytest.raises(ReflectionError):
        rules.check_ratings({"laughter": 6}, IDS)
    with pytest.raises(ReflectionError):
        rules.check_ratings({"nonsense": 3}, IDS)
    with pytest.raises(ReflectionError, match="at least one"):
        rules.check_ratings({"laughter": None}, IDS)


def test_round_trip_through_a_document():
    r = rules.new_reflection(IsoWeek(2026, 53), rules.FULL, T0)
    r = rules.give_appreciations(r, 0, ["a"], T0)
    r.items = [ActionItem("walk", "both", "2026-W52")]
    back = Reflection.from_dict(r.to_dict())
    assert back == r
    assert back.to_dict()["iso_year"] == 2026 and back.to_dict()["week"] == "2026-W53"


def test_odd_documents_are_read_safely():
    doc = {"week": "2026-W11", "mode": "sideways", "step": "dance", "ratings": {"p0": {"laughter": 9, "future": 3},
           "p7": {"x": 1}}, "items": [{"text": "t", "who": "nobody", "status": "maybe"}], "started": "not a time"}
    r = Reflection.from_dict(doc)
    assert r.mode == rules.FULL and r.step == "appreciations"
    assert r.ratings == {"p0": {"future": 3}}
    assert r.items[0].who == "both" and r.items[0].status is None and r.started is None


# -- scores and differences ----------------------------------------------------------------------
def rated(week: IsoWeek, a: dict[str, int], b: dict[str, int], *, done: bool = True) -> Reflection:
    r = rules.new_reflection(week, rules.FULL, T0)
    r.ratings = {k: v for k, v in (("p0", a), ("p1", b)) if v}
    r.step = "reveal"
    if done:
        r = rules.finish(r, T0)
    return r


def test_scores_per_partner_together_and_per_statement():
    r = rated(IsoWeek(2026, 11), {"laughter": 5, "future": 3}, {"laughter": 2, "future": 4, "room": 3})
    sc = rules.scores(r, IDS)
    assert sc.overall["p0"] == 4.0
    assert sc.overall["p1"] == 3.0
    assert sc.overall["both"] == 3.5
    assert sc.statements["laughter"] == {"p0": 5.0, "p1": 2.0, "both": 3.5}
    assert sc.statements["room"] == {"p0": None, "p1": 3.0, "both": None}
    assert sc.statements["silence"]["both"] is None


def test_together_needs_both():
    r = rated(IsoWeek(2026, 11), {"laughter": 5}, {})
    assert rules.scores(r, IDS).overall == {"p0": 5.0, "p1": None, "both": None}


def test_differences_of_two_points_or_more():
    r = rated(IsoWeek(2026, 11), {"laughter": 5, "future": 3, "room": 1, "heard": 2},
              {"laughter": 3, "future": 4, "room": 5, "silence": 1})
    assert rules.differences(r, IDS) == ["laughter", "room"]  # statement order; one-sided ones ignored


# -- action items and carry-over ----------------------------------------------------------------------
def test_item_checks():
    assert rules.clean_item("  Cook   together ", "both") == ActionItem("Cook together", "both")
    with pytest.raises(ReflectionError, match="Who"):
        rules.clean_item("Cook", None)
    with pytest.raises(ReflectionError, match="few words"):
        rules.clean_item("   ", "p0")
    with pytest.raises(ReflectionError, match="small"):
        rules.clean_item("x" * 201, "p0")


def test_at_most_three_items():
    r = rules.new_reflection(IsoWeek(2026, 11), rules.FULL, T0)
    r.step = "next_items"
    with pytest.raises(ReflectionError):
        rules.set_items(r, [ActionItem(f"t{i}", "p0") for i in range(4)], T0)
    r = rules.set_items(r, [ActionItem("t", "p1")], T0)
    assert r.step == "due" and r.items == [ActionItem("t", "p1")]


def test_items_to_review_come_from_the_latest_earlier_week_with_items():
    w52, w53, w1 = IsoWeek(2026, 52), IsoWeek(2026, 53), IsoWeek(2027, 1)
    a = rules.new_reflection(w52, rules.FULL, T0)
    a.items = [ActionItem("old", "p0")]
    b = rules.new_reflection(w53, rules.QUICK, T0)  # a quick week writes no items
    assert rules.items_to_review([a, b], w1) == (w52, [ActionItem("old", "p0")])
    assert rules.items_to_review([a, b], w52) is None


def test_not_yet_items_are_carried_over_and_remember_where_they_began():
    w53, w1 = IsoWeek(2026, 53), IsoWeek(2027, 1)
    r = rules.new_reflection(w1, rules.FULL, T0)
    r.step = "last_items"
    reviewed = [
        ActionItem("cook", "both", status="done"),
        ActionItem("dentist", "p1", status="not_yet"),
        ActionItem("call gran", "p0", carried_from="2026-W51", status="not_yet"),
        ActionItem("paint", "p0", status="drop"),
    ]
    r = rules.review_items(r, w53, reviewed, T0)
    assert r.step == "next_items"
    assert r.review_from == "2026-W53" and [i.status for i in r.review] == ["done", "not_yet", "not_yet", "drop"]
    assert r.items == [ActionItem("dentist", "p1", "2026-W53"), ActionItem("call gran", "p0", "2026-W51")]


def test_review_needs_a_status_for_each_item():
    r = rules.new_reflection(IsoWeek(2026, 11), rules.FULL, T0)
    r.step = "last_items"
    with pytest.raises(ReflectionError, match="done, not yet, or drop"):
        rules.review_items(r, IsoWeek(2026, 10), [ActionItem("x", "p0")], T0)


def test_carried_items_keep_at_most_three_with_own_items():
    r = rules.new_reflection(IsoWeek(2026, 11), rules.FULL, T0)
    r.step = "last_items"
    r.items = [ActionItem("mine", "p0")]
    reviewed = [ActionItem(f"c{i}", "both", status="not_yet") for i in range(3)]
    r = rules.review_items(r, IsoWeek(2026, 10), reviewed, T0)
    assert [i.text for i in r.items] == ["c0", "c1", "c2"]


# -- trends and weeks in a row ----------------------------------------------------------------------
def test_trends_over_two_years_in_week_order():
    data = [
        rated(IsoWeek(2027, 2), {"laughter": 2}, {"laughter": 4}),
        rated(IsoWeek(2026, 52), {"laughter": 5, "future": 1}, {"laughter": 5}),
        rated(IsoWeek(2027, 1), {"laughter": 3}, {}),
        rated(IsoWeek(2026, 53), {"laughter": 4}, {"laughter": 2}),
    ]
    t = rules.trends(data, IDS)
    assert [w.key for w in t.weeks] == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]
    assert t.overall["p0"] == [3.0, 4.0, 3.0, 2.0]
    assert t.overall["p1"] == [5.0, 2.0, None, 4.0]
    assert t.overall["both"] == [4.0, 3.0, None, 3.0]
    assert t.statements["laughter"]["p0"] == [5.0, 4.0, 3.0, 2.0]
    assert t.statements["future"]["p0"] == [1.0, None, None, None]
    assert t.latest(t.overall["p1"]) == 4.0 and t.latest([None]) is None


def test_trends_leave_out_weeks_before_their_reveal():
    early = rated(IsoWeek(2026, 11), {"laughter": 1}, {}, done=False)
    early.step = "ratings"  # the other partner has not rated yet
    t = rules.trends([early, rated(IsoWeek(2026, 10), {"laughter": 4}, {"laughter": 4})], IDS)
    assert [w.key for w in t.weeks] == ["2026-W10"]


def test_weeks_in_a_row_across_a_new_year():
    done = [IsoWeek(2026, 52), IsoWeek(2026, 53), IsoWeek(2027, 1), IsoWeek(2026, 50)]
    assert rules.weeks_in_a_row(done, IsoWeek(2027, 1)) == 3
    assert rules.weeks_in_a_row(done, IsoWeek(2027, 2)) == 3  # this week still open: no break
    assert rules.weeks_in_a_row(done, IsoWeek(2027, 3)) == 0
    assert rules.streak_text(1, "{n} weeks in a row") is None
    assert rules.streak_text(3, "{n} weeks in a row") == "3 weeks in a row"


def test_close_suggestion_uses_the_given_random():
    options = ["a", "b", "c"]
    assert rules.pick_suggestion(options, random.Random(4)) == rules.pick_suggestion(options, random.Random(4))
    assert rules.pick_suggestion([], random.Random(1)) == ""


def test_what_both_may_see():
    r = rules.new_reflection(IsoWeek(2026, 11), rules.FULL, T0)
    assert rules.shown_to_both(r) == set()
    r.step = "reveal"
    assert rules.shown_to_both(r) == {"ratings"}
    r.step = "close"
    assert rules.shown_to_both(r) == {"ratings", "appreciations"}


# -- the store ----------------------------------------------------------------------------------
def test_store_shards_by_iso_year_and_resumes(ready_store, clock):
    w53 = IsoWeek(2026, 53)
    r = store_r.start(ready_store, w53, rules.FULL, clock.now())
    r = store_r.save(ready_store, rules.give_appreciations(r, 0, ["thanks"], clock.now()))
    store_r.start(ready_store, IsoWeek(2027, 1), rules.QUICK, clock.now())
    assert "reflections_2026" in ready_store.db.tables() and "reflections_2027" in ready_store.db.tables()
    again = store_r.start(ready_store, w53, rules.QUICK, clock.now())  # an existing week keeps its mode
    assert again.mode == rules.FULL and again.appreciations == {"p0": ["thanks"]}
    assert [x.week.key for x in store_r.all_reflections(ready_store)] == ["2026-W53", "2027-W01"]
    again.appreciations["p0"].append("changed")  # a copy: the stored one is untouched
    assert store_r.get(ready_store, w53).appreciations == {"p0": ["thanks"]}


def test_due_items_say_whether_this_week_is_done(ready_store, clock):
    now = clock.now()
    assert store_r.due_items(ready_store, now) == ["This week's reflection is not done yet (press 4)."]
    r = store_r.start(ready_store, IsoWeek.of(now), rules.QUICK, now)
    assert "under way" in store_r.due_items(ready_store, now)[0]
    store_r.save(ready_store, rules.finish(r, now))
    assert store_r.due_items(ready_store, now) == ["This week's reflection is done."]
    store_r.start(ready_store, IsoWeek.of(now).previous(), rules.FULL, now)
    assert "Last week's reflection is half done" in store_r.due_items(ready_store, now)[1]


def test_markdown_for_one_week_and_all_weeks(ready_store, clock):
    now = clock.now()
    r = rated(IsoWeek(2026, 53), {"laughter": 5}, {"laughter": 2})
    r.appreciations = {"p0": ["the soup"], "p1": ["the | pipe"]}
    r.items = [ActionItem("walk", "p1", "2026-W52")]
    r.review, r.review_from = [ActionItem("cook", "both", status="not_yet")], "2026-W52"
    r.words = {"more_of": "slow mornings"}
    store_r.save(ready_store, r)
    store_r.save(ready_store, rated(IsoWeek(2027, 1), {"future": 3}, {"future": 3}))
    one = store_r.week_markdown(ready_store, IsoWeek(2026, 53))
    assert one.startswith("# Week 53, 2026 (28 Dec 2026 – 3 Jan 2027)")
    assert "- Ana: the soup" in one and "the \\| pipe" not in one  # pipes only escaped in tables
    assert "| We laughed together this week. | 5 | 2 | seen differently |" in one
    assert "not yet, carried over" in one and "carried over from Week 52, 2026" in one
    assert "slow mornings" in one
    everything = store_r.markdown(ready_store)
    assert everything.startswith("## Weekly reflections")
    assert everything.index("Week 1, 2027") < everything.index("Week 53, 2026")  # newest first
    path = store_r.export_all(ready_store, now)
    assert path.read_text(encoding="utf-8").startswith("# Weekly reflections: Ana & Sam\n\n## Week 1, 2027")
    assert (path.stat().st_mode & 0o777) == 0o600
    assert store_r.export_week(ready_store, IsoWeek(2026, 53)).name == "reflection-2026-W53.md"
    assert store_r.export_week(ready_store, IsoWeek(2026, 53)).name == "reflection-2026-W53-2.md"


def test_markdown_keeps_private_parts_of_a_half_done_week_out(ready_store, clock):
    r = store_r.start(ready_store, IsoWeek(2026, 11), rules.FULL, clock.now())
    r = rules.give_appreciations(r, 0, ["SECRET-THANKS"], clock.now())
    r = rules.give_appreciations(r, 1, ["OTHER"], clock.now())
    r = store_r.save(ready_store, rules.give_ratings(r, 0, {"laughter": 5}, IDS, clock.now()))
    text = store_r.markdown(ready_store)
    assert "SECRET-THANKS" not in text and "| 5 |" not in text and "not finished" in text


def test_a_reflection_only_opened_is_blank():
    r = rules.new_reflection(IsoWeek(2026, 11), rules.FULL, T0)
    assert rules.is_blank(r)
    assert not rules.is_blank(rules.skip_turn(r, 0, T0))
    assert not rules.is_blank(rules.give_appreciations(r, 1, ["x"], T0))


def test_skipping_the_look_back_carries_every_item_forward_as_it_was():
    """Issue 15, bug 2: a skipped review dropped last week's plans."""
    r = rules.new_reflection(IsoWeek(2026, 11), rules.FULL, T0)
    r.step = "last_items"
    last = [ActionItem("cook", "both"), ActionItem("call gran", "p0", carried_from="2026-W08")]
    r = rules.skip_review(r, IsoWeek(2026, 10), last, T0)
    assert r.step == "next_items" and "last_items" in r.skipped and r.review == []
    assert r.items == [ActionItem("cook", "both", "2026-W10"), ActionItem("call gran", "p0", "2026-W08")]


def test_unrated_lines_are_named_before_moving_on():
    """Issue 15, bug 9: saving with 5 of 10 unrated gave no warning."""
    ids = ["a", "b", "c"]
    assert rules.unrated_note({"a": 3, "b": None}, ids).startswith("2 lines are not rated yet")
    assert rules.unrated_note({"a": 3, "b": 1, "c": 5}, ids) is None
    assert rules.unrated_note({}, ids) is None  # nothing rated: check_ratings has its own message
