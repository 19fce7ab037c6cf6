"""A whole weekly reflection played apart on two linked computers, with the change files
arriving late and out of order: both private parts survive, the reveal has both, a shared step
done at one home arrives at the other, and last week's "not yet" items carry over."""

from __future__ import annotations

import random

import pytest

from tests.two_homes import make_two_homes
from tui.core import reflection as rules
from tui.core import reflection_apart as apart
from tui.core.reflection import ActionItem, IsoWeek
from tui.store import reflections as store_r
from tui.store.apart_reflection import waiting_lines

IDS = store_r.statement_ids()
NAMES = ("Ana", "Sam")


@pytest.fixture
def homes(tmp_path, clock):
    h = make_two_homes(tmp_path, clock)
    yield h
    h.close()


def my_part(store, me: int, week: IsoWeek, now, rating: int) -> None:
    r = store_r.start(store, week, rules.FULL, now)
    r = apart.give_appreciations(r, me, [f"{NAMES[me]} says thank you"], now)
    store_r.save(store, apart.give_ratings(r, me, {i: rating for i in IDS}, IDS, now))


def ship_late(homes, seed: int) -> None:
    """Some change files now, the rest later, each batch in a shuffled order."""
    rng = random.Random(seed)
    homes.merge()
    homes.ship(rng=rng, share=0.5)
    homes.merge()
    homes.ship(rng=rng, share=0.5)
    homes.settle()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_weekly_reflection_played_apart(homes, clock, seed):
    a, b = homes.a, homes.b
    last = IsoWeek.of(clock.now()).previous()
    r = store_r.start(a, last, rules.FULL, clock.now())
    r.items = [ActionItem("Walk on Sunday", "both"), ActionItem("Cook Friday", "p1")]
    store_r.save(a, rules.finish(r, clock.now()))
    homes.settle()

    week = IsoWeek.of(clock.advance(days=7))
    my_part(a, 0, week, clock.now(), rating=5)  # both computers begin the week on their own
    my_part(b, 1, week, clock.advance(minutes=3), rating=1)
    assert waiting_lines(a, 0, NAMES, clock.now()) == [
        "Your part of this week's reflection is in; Sam's is still to come."]
    assert "ratings" not in rules.shown_to_both(store_r.get(a, week))
    ship_late(homes, seed)

    for store in (a, b):
        got = store_r.get(store, week)
        assert got.ratings == {"p0": {i: 5 for i in IDS}, "p1": {i: 1 for i in IDS}}
        assert got.appreciations == {"p0": ["Ana says thank you"], "p1": ["Sam says thank you"]}
        assert apart.both_in(got)
    assert waiting_lines(a, 0, NAMES, clock.now()) == [
        "Both parts of this week's reflection are in: see them side by side (press 4)."]

    # Sam opens the shared steps: the reveal, the week in words, last week's items.
    r = apart.open_shared(store_r.get(b, week), clock.advance(minutes=5))
    assert r.step == "reveal" and set(rules.differences(r, IDS)) == set(IDS)
    r = rules.advance(r, clock.now())
    r = rules.set_words(r, {"more_of": "Slow mornings"}, clock.now())
    found = store_r.items_to_review(b, week)
    assert found is not None
    from_week, items = found
    items[0].status, items[1].status = "done", "not_yet"
    store_r.save(b, rules.review_items(r, from_week, items, clock.now()))
    # Ana's computer shows the same reveal meanwhile, from what is in: it writes nothing.
    assert apart.open_shared(store_r.get(a, week), clock.now()).step == "reveal"
    ship_late(homes, seed + 10)

    at_a, at_b = store_r.get(a, week), store_r.get(b, week)
    assert at_a.to_dict() == at_b.to_dict()
    assert apart.open_shared(at_a, clock.now()) is at_a  # past the reveal: where Sam left it
    assert at_a.step == "next_items" and at_a.words == {"more_of": "Slow mornings"}
    assert [(i.text, i.carried_from) for i in at_a.items] == [("Cook Friday", last.key)]
    assert at_a.turns == {"appreciations": ["p0", "p1"], "ratings": ["p0", "p1"]}
    assert waiting_lines(a, 0, NAMES, clock.now()) == []


def test_home_says_when_the_other_part_is_in_and_mine_waits(homes, clock):
    week = IsoWeek.of(clock.now())
    assert waiting_lines(homes.a, 0, NAMES, clock.now()) == []
    my_part(homes.b, 1, week, clock.now(), rating=3)
    homes.settle()
    assert waiting_lines(homes.a, 0, NAMES, clock.now()) == [
        "Sam's part of this week's reflection is in; yours is waiting (press 4)."]
    assert waiting_lines(homes.b, 1, NAMES, clock.now()) == [
        "Your part of this week's reflection is in; Ana's is still to come."]
