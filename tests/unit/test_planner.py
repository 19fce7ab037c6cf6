"""The planner over many rounds: never-seen cards first, then the least recently used, and
"then and now" bringing back one card answered six months ago or more.

Plain core with a fake clock and seeded generators (tests/planner_sim.py); no app, no store.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from tui.core.decks import Card, load_decks
from tui.core.rounds import NO_RETURN_NOTE, RETURN_AFTER, Choices, fitting_cards, new_round, plan_round
from tui.paths import shipped_decks_dir

from tests.planner_sim import simulate

NOW = datetime(2026, 9, 1, 20, 0, tzinfo=timezone.utc)


def made_up_decks(count: int = 6, per_deck: int = 40) -> list[Card]:
    """Decks shaped like the shipped ones: mostly light and deeper, a quarter deepest, some activities."""
    cards = []
    for d in range(count):
        for i in range(per_deck):
            depth = 1 if i % 8 < 3 else 2 if i % 8 < 6 else 3
            kind = "activity" if i % 5 == 4 else "question"
            cards.append(Card(f"deck{d}", f"c{i}", f"Card {i} of deck {d}?", depth, kind, know_me=i % 3 == 0))
    return cards


CASES = {
    "all decks, start light and go deeper": (made_up_decks(), Choices(depth="climb", length=10)),
    "all decks, deepest only": (made_up_decks(), Choices(depth="deepest", length=10)),
    "all decks, light only, written": (made_up_decks(), Choices(depth="light", length=10, mode="write")),
    "one deck": ([c for c in made_up_decks() if c.deck_id == "deck0"], Choices(depth="climb", length=10)),
    "one deck, deeper only": ([c for c in made_up_decks() if c.deck_id == "deck3"], Choices(depth="deeper", length=10)),
    "know me": (made_up_decks(), Choices(depth="climb", length=10, mode="knowme")),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_card_repeats_until_the_cards_that_fit_are_used_up(name, seed):
    pool, choices = CASES[name]
    fitting = len(fitting_cards(pool, choices))
    weeks = fitting // 30 + 4  # long enough that cards must come back
    run = simulate(pool, choices, weeks=weeks, seed=seed)
    assert run.first_repeat is not None
    assert run.exhausted_before_repeat, f"{name}: a card came back while others were never met"
    assert run.first_repeat == fitting // 10 + 1  # the round after the last fresh card was used
    assert sum(len(r) for r in run.rounds[: run.first_repeat - 1]) >= fitting - 9


def test_once_all_are_met_the_least_recently_used_come_back_first():
    pool = [c for c in made_up_decks(2, 40) if c.depth == 1]
    choices = Choices(depth="light", length=5)
    usage: dict[str, int] = {}
    rng = random.Random(4)
    for seq in range(1, 30):
        plan = plan_round(pool, choices, usage=usage, seq=seq, window=20, rng=rng)
        chosen = {c.key for c in plan.cards}
        if set(usage) >= {c.key for c in pool}:
            left_out = [usage[c.key] for c in pool if c.key not in chosen]
            assert max(usage[k] for k in chosen) <= min(left_out)
            assert plan.again == chosen and "longest ago" in plan.notes[-1]
        for k in chosen:
            usage[k] = seq


def test_the_repeat_window_still_keeps_recent_cards_back_among_met_ones():
    pool = [Card("d", f"c{i}", f"Card {i}?", 1) for i in range(6)]
    choices = Choices(depth="light", length=2)
    usage = {"d/c0": 3, "d/c1": 28, "d/c2": 29, "d/c3": 5, "d/c4": 27, "d/c5": 26}
    plan = plan_round(pool, choices, usage=usage, seq=30, window=20, rng=random.Random(1))
    assert [c.id for c in plan.cards] == ["c0", "c3"]  # the two outside the window
    plan = plan_round(pool, choices, usage=usage, seq=30, window=0, rng=random.Random(1))
    assert [c.id for c in plan.cards] == ["c0", "c3"]  # no window: still the least recently used


def test_a_card_whose_text_changed_keeps_its_history():
    old = Card("d", "c1", "Old words for this card?", 1)
    new = Card("d", "c1", "New, better words for the same card?", 1)
    fresh = Card("d", "c2", "Another card?", 1)
    plan = plan_round([new, fresh], Choices(depth="light", length=1), usage={old.key: 1}, seq=2, window=20,
                      rng=random.Random(1))
    assert [c.id for c in plan.cards] == ["c2"]  # the id is what counts, so c1 is not fresh


# -- then and now -----------------------------------------------------------------------------------

def _history(pool: list[Card], months_ago: dict[str, int]) -> tuple[dict[str, int], dict[str, datetime]]:
    usage = {k: i + 1 for i, k in enumerate(months_ago)}
    answered = {k: NOW - timedelta(days=30 * m) for k, m in months_ago.items()}
    return usage, answered


def test_then_and_now_brings_back_one_card_answered_six_months_ago_or_more():
    pool = [Card("d", f"c{i}", f"Card {i}?", 1 + i % 3) for i in range(30)]
    usage, answered = _history(pool, {"d/c0": 2, "d/c3": 7, "d/c6": 9, "d/c9": 13})
    choices = Choices(depth="climb", length=5, then_and_now=True)
    plan = plan_round(pool, choices, usage=usage, seq=20, window=20, rng=random.Random(1), answered=answered, now=NOW)
    assert plan.returning == "d/c9"  # the oldest answer of those six months or more ago
    keys = [c.key for c in plan.cards]
    assert len(keys) == 5 and "d/c9" in keys
    assert not {"d/c0", "d/c3", "d/c6"} & set(keys)  # the others stay out: fresh cards first
    assert not plan.again and not plan.notes
    state = new_round(plan, choices, deck_titles={}, names=("A", "B"), now=NOW, rng=random.Random(1))
    assert [c.returning for c in state.cards].count(True) == 1
    assert next(c for c in state.cards if c.returning).key == "d/c9"


def test_then_and_now_is_off_unless_chosen_and_needs_six_months():
    pool = [Card("d", f"c{i}", f"Card {i}?", 1) for i in range(10)]
    usage, answered = _history(pool, {"d/c0": 8})
    off = plan_round(pool, Choices(depth="light", length=3), usage=usage, seq=5, window=20,
                     rng=random.Random(1), answered=answered, now=NOW)
    assert off.returning is None and "d/c0" not in {c.key for c in off.cards}
    usage, answered = _history(pool, {"d/c0": 5})
    answered["d/c0"] = NOW - RETURN_AFTER + timedelta(days=1)  # a day short of six months
    soon = plan_round(pool, Choices(depth="light", length=3, then_and_now=True), usage=usage, seq=5, window=20,
                      rng=random.Random(1), answered=answered, now=NOW)
    assert soon.returning is None and NO_RETURN_NOTE in soon.notes


def test_last_answered_reads_when_each_card_was_last_met_and_answered(store):
    from tui.store import rounds as store_rounds

    pool = [Card("d", f"c{i}", f"Card {i}?", 1) for i in range(3)]
    choices = Choices(depth="light", length=3, mode="write", first="a")
    old, later = NOW - timedelta(days=300), NOW - timedelta(days=30)
    for when, passed in ((old, set()), (later, {"d/c1"})):
        plan = plan_round(pool, choices, usage={}, seq=1, window=20, rng=random.Random(1))
        state = store_rounds.start_round(store, new_round(plan, choices, deck_titles={}, names=("A", "B"),
                                                          now=when, rng=random.Random(1)))
        while not state.finished:
            if state.card.key in passed:
                state.pass_card(when)
                continue
            state.submit("mine")
            state.submit("yours")
            state.finish_card(when)
        store_rounds.end_round(store, state, when)
    found = store_rounds.last_answered(store)
    assert found["d/c0"] == later and found["d/c2"] == later
    assert "d/c1" not in found  # passed the last time it came up: nothing to look back on then


def test_then_and_now_takes_only_cards_that_fit_the_choices():
    pool = [Card("d", "deep", "Deep card?", 3), Card("d", "act", "Do this together.", 1, "activity"),
            Card("d", "light", "Light card?", 1)]
    usage, answered = _history(pool, {"d/deep": 12, "d/act": 14})
    plan = plan_round(pool, Choices(depth="light", length=2, mode="write", then_and_now=True), usage=usage,
                      seq=5, window=20, rng=random.Random(1), answered=answered, now=NOW)
    assert plan.returning is None and [c.id for c in plan.cards] == ["light"]


def test_choices_remember_then_and_now():
    assert Choices.from_dict(Choices(then_and_now=True).to_dict()).then_and_now is True
    assert Choices.from_dict({"then_and_now": "yes"}).then_and_now is False


# -- the shipped decks for a year ---------------------------------------------------------------------

def test_a_year_without_a_repeat_with_the_shipped_decks():
    """48 weeks of 3 rounds of 10 cards, all shipped decks (opt-in ones turned on), start light and
    go deeper, Talk: no card comes back. Challenge decks are played day by day, not drawn."""
    decks = load_decks([shipped_decks_dir()]).decks
    pool = [c for d in decks if not d.challenge for c in d.cards]
    run = simulate(pool, Choices(depth="climb", length=10, mode="talk"), weeks=48, seed=16)
    first, week, fitting = run.first_repeat, run.first_repeat_week, run.fitting
    assert first is None, f"the first repeat comes in round {first} (week {week}) with {fitting} cards; 48 weeks need 1,440"
