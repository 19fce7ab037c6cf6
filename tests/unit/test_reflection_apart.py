"""A weekly reflection played apart: each partner's private part on their own computer, the
reveal only once both are in, and the same shared start whichever computer opens it."""

from __future__ import annotations

import pytest

from tui.core import reflection as rules
from tui.core import reflection_apart as apart
from tui.core.clock import FakeClock
from tui.core.reflection import IsoWeek, Reflection, ReflectionError
from tui.store import reflections as store_r

IDS = store_r.statement_ids()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def fresh(clock: FakeClock, mode: str = rules.FULL) -> Reflection:
    return rules.new_reflection(IsoWeek.of(clock.now()), mode, clock.now())


def my_part(r: Reflection, me: int, clock: FakeClock, rating: int = 4) -> Reflection:
    r = apart.give_appreciations(r, me, [f"thanks from {me}"], clock.advance(minutes=1))
    return apart.give_ratings(r, me, {i: rating for i in IDS}, IDS, clock.advance(minutes=1))


def test_each_partner_sees_their_own_steps_and_the_reveal_waits_for_both(clock):
    r = fresh(clock)
    assert apart.still_to_do(r, 0) == ["appreciations", "ratings"]
    assert apart.waiting_on(r, 0) == "both"
    r = my_part(r, 0, clock)
    assert apart.still_to_do(r, 0) == [] and apart.part_in(r, 0)
    assert apart.still_to_do(r, 1) == ["appreciations", "ratings"]
    assert not apart.both_in(r)
    assert apart.waiting_on(r, 0) == "theirs" and apart.waiting_on(r, 1) == "mine"
    assert r.step == "appreciations" and not r.turns  # nothing shared was written
    assert "ratings" not in rules.shown_to_both(r)
    with pytest.raises(ReflectionError):
        apart.open_shared(r, clock.now())
    r = my_part(r, 1, clock, rating=2)
    assert apart.both_in(r) and apart.waiting_on(r, 0) == "reveal"
    opened = apart.open_shared(r, clock.advance(minutes=1))
    assert opened.step == "reveal" and "ratings" in rules.shown_to_both(opened)
    assert opened.turns == {"appreciations": ["p0", "p1"], "ratings": ["p0", "p1"]}
    assert apart.waiting_on(opened, 0) is None
    assert apart.open_shared(opened, clock.now()) is opened  # already open: unchanged


def test_the_other_partners_part_is_not_seen_before_both_are_in(clock):
    r = my_part(fresh(clock), 1, clock, rating=1)
    mine = apart.seen_by(r, 0)
    assert "p1" not in mine.ratings and "p1" not in mine.appreciations
    assert r.ratings["p1"]  # the stored week keeps it; only the view leaves it out
    r = my_part(r, 0, clock)
    assert apart.seen_by(r, 0).ratings["p1"] == {i: 1 for i in IDS}


def test_parts_given_at_each_home_both_survive_whichever_order_they_merge(clock):
    """Each partner writes only their own keys, so a field-by-field merge keeps both parts."""
    base = fresh(clock)
    at_a = my_part(base, 0, clock).to_dict()
    at_b = my_part(base, 1, clock, rating=2).to_dict()

    def merged(first: dict, second: dict) -> Reflection:
        out = {**first}
        for key in ("ratings", "appreciations", "apart"):
            out[key] = {**first[key], **second[key]}
        return Reflection.from_dict(out)

    for r in (merged(at_a, at_b), merged(at_b, at_a)):
        assert apart.both_in(r)
        assert apart.open_shared(r, clock.now()).to_dict()["turns"] == {
            "appreciations": ["p0", "p1"], "ratings": ["p0", "p1"]}


def test_skipping_apart_counts_as_in_and_both_skipping_skips_the_step(clock):
    r = fresh(clock)
    for me in (0, 1):
        r = apart.skip_step(r, me, "ratings", clock.advance(minutes=1))
        r = apart.give_appreciations(r, me, ["kind"], clock.advance(minutes=1))
    assert apart.both_in(r) and not r.ratings
    opened = apart.open_shared(r, clock.now())
    assert {"ratings.p0", "ratings.p1", "ratings"} <= set(opened.skipped)
    with pytest.raises(ReflectionError):
        apart.give_ratings(opened, 0, {IDS[0]: 3}, IDS, clock.now())


def test_a_part_cannot_be_given_twice_or_for_a_shared_step(clock):
    r = apart.give_appreciations(fresh(clock), 0, ["one"], clock.now())
    with pytest.raises(ReflectionError):
        apart.give_appreciations(r, 0, ["again"], clock.now())
    with pytest.raises(ReflectionError):
        apart.skip_step(r, 0, "words", clock.now())
    with pytest.raises(ReflectionError):
        apart.give_ratings(r, 0, {}, IDS, clock.now())  # nothing rated: say so


def test_the_quick_check_in_apart_opens_on_its_reveal(clock):
    r = my_part(my_part(fresh(clock, rules.QUICK), 0, clock), 1, clock)
    assert apart.open_shared(r, clock.now()).step == "reveal"


def test_a_week_begun_at_one_keyboard_counts_its_turns(clock):
    r = fresh(clock)
    r = rules.give_appreciations(r, 0, ["at the keyboard"], clock.now())
    assert apart.still_to_do(r, 0) == ["ratings"]
    r = rules.skip_turn(r, 1, clock.now())  # partner 1 passed on appreciations there
    assert apart.still_to_do(r, 1) == ["ratings"]


def test_the_apart_record_survives_a_save_and_odd_values_are_dropped(clock):
    r = apart.skip_step(fresh(clock), 1, "appreciations", clock.now())
    doc = r.to_dict()
    assert Reflection.from_dict(doc).apart == {"p1": {"appreciations": "skipped"}}
    doc["apart"] = {"p1": {"appreciations": "maybe", "words": "done"}, "p7": {}, "p0": "x"}
    assert Reflection.from_dict(doc).apart == {"p1": {}}
    assert not rules.is_blank(r)


def test_each_partner_sees_the_reveal_at_their_own_computer_even_after_the_other_went_on(clock):
    r = my_part(my_part(fresh(clock), 0, clock), 1, clock)
    r = apart.open_shared(r, clock.now())
    assert r.step == "reveal" and not apart.reveal_waits(r, 0)  # the week itself is at the reveal
    sams = apart.see_reveal(r, 1, clock.advance(minutes=1))  # Sam goes on at his computer
    assert sams.step == "words" and sams.apart["p1"]["reveal"] == "seen"
    assert apart.reveal_waits(sams, 0) and not apart.reveal_waits(sams, 1)
    assert apart.position_for(sams, 0) == (3, 8) and apart.position_for(sams, 1) == (4, 8)
    anas = apart.see_reveal(sams, 0, clock.advance(minutes=1))
    assert anas.step == "words" and not apart.reveal_waits(anas, 0)  # the week does not move on again
    kept = Reflection.from_dict(anas.to_dict())
    assert kept.apart["p0"]["reveal"] == kept.apart["p1"]["reveal"] == "seen"


def test_a_week_taken_at_one_keyboard_never_asks_for_the_reveal_again(clock):
    r = fresh(clock)
    for me in (0, 1):
        r = rules.give_appreciations(r, me, ["thanks"], clock.now())
    for me in (0, 1):
        r = rules.give_ratings(r, me, {i: 3 for i in IDS}, IDS, clock.now())
    r = rules.advance(r, clock.now())
    assert r.step == "words" and not apart.reveal_waits(r, 0) and not apart.reveal_waits(r, 1)
