"""Question round rules without Textual: card choice, the climb, the repeat window, turn
order, the reveal state machine, Know me discovery, time words; and the rounds store."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from tui.core.decks import Card
from tui.core.rounds import (
    Choices,
    RoundState,
    ago,
    answer_problem,
    card_count,
    clean_answer,
    closeness_tally,
    depth_targets,
    discoveries,
    is_recent,
    leaders,
    new_round,
    plan_round,
    steps_for,
    tally_line,
)
from tui.store import rounds as store_rounds

NOW = datetime(2026, 3, 14, 20, 25, tzinfo=timezone.utc)


def deck(deck_id: str = "d", per_depth: int = 4, kinds: str = "question", know_me: bool = True) -> list[Card]:
    return [
        Card(deck_id, f"c{depth}-{i}", f"Card {depth}-{i} of {deck_id}?", depth, kinds, know_me=know_me)
        for depth in (1, 2, 3) for i in range(per_depth)
    ]


def start(store, cards, choices, seed=1, seq=None, window=20, now=NOW):
    rng = random.Random(seed)
    plan = plan_round(cards, choices, usage=store_rounds.usage(store), seq=seq or store_rounds.next_seq(store),
                      window=window, rng=rng)
    state = new_round(plan, choices, deck_titles={"d": "Deck D"}, names=("Ana", "Sam"), now=now, rng=rng)
    return plan, store_rounds.start_round(store, state)


def play_write(state: RoundState, now=NOW) -> None:
    """Answer every card of a Write & reveal round."""
    while not state.finished:
        card = state.card
        state.submit(f"first on {card.key}")
        state.submit(f"second on {card.key}")
        state.finish_card(now)


# -- choosing cards --------------------------------------------------------------------------------

def test_fixed_depth_only_takes_that_depth_and_is_seeded():
    choices = Choices(decks=("d",), depth="deeper", length=3)
    a = plan_round(deck(), choices, usage={}, seq=1, window=20, rng=random.Random(7))
    b = plan_round(deck(), choices, usage={}, seq=1, window=20, rng=random.Random(7))
    assert [c.depth for c in a.cards] == [2, 2, 2]
    assert [c.key for c in a.cards] == [c.key for c in b.cards]
    assert not a.notes


def test_climb_goes_from_light_to_deepest():
    assert depth_targets("climb", 5) == [1, 1, 2, 2, 3]
    assert depth_targets("climb", 1) == [1]
    plan = plan_round(deck(), Choices(decks=("d",), depth="climb", length=6), usage={}, seq=1, window=20,
                      rng=random.Random(3))
    depths = [c.depth for c in plan.cards]
    assert depths == sorted(depths) and depths[0] == 1 and depths[-1] == 3


def test_climb_borrows_a_fresh_card_from_the_next_depth_before_repeating():
    cards = [c for c in deck() if not (c.depth == 1 and c.id != "c1-0")]  # one light card only
    plan = plan_round(cards, Choices(decks=("d",), depth="climb", length=3), usage={}, seq=1, window=20,
                      rng=random.Random(1))
    assert len(plan.cards) == 3 and not plan.again


def test_too_few_cards_uses_what_there_is_and_says_so():
    plan = plan_round(deck(per_depth=2), Choices(decks=("d",), depth="light", length=5), usage={}, seq=1,
                      window=20, rng=random.Random(1))
    assert len(plan.cards) == 2 and plan.short
    assert "Only 2 cards fit" in plan.notes[0]


def test_know_me_and_write_leave_out_activities():
    cards = deck(kinds="activity", know_me=False) + [Card("d", "q", "A question?", 1, know_me=True)]
    for mode in ("write", "knowme"):
        plan = plan_round(cards, Choices(decks=("d",), depth="light", length=3, mode=mode), usage={}, seq=1,
                          window=20, rng=random.Random(1))
        assert [c.id for c in plan.cards] == ["q"]
    talk = plan_round(cards, Choices(decks=("d",), depth="light", length=3, mode="talk"), usage={}, seq=1,
                      window=20, rng=random.Random(1))
    assert len(talk.cards) == 3


def test_minutes_become_a_card_count():
    assert card_count(Choices(unit="minutes", length=30, mode="talk")) == 5
    assert card_count(Choices(unit="minutes", length=15, mode="write")) == 3
    assert card_count(Choices(unit="cards", length=8)) == 8


def test_repeat_window_keeps_recent_cards_out():
    assert is_recent(10, 25, 20) and not is_recent(4, 25, 20) and not is_recent(24, 25, 0)
    cards = deck(per_depth=4)
    light = [c for c in cards if c.depth == 1]
    usage = {light[0].key: 24, light[1].key: 3}  # one met last round, one long ago
    plan = plan_round(cards, Choices(decks=("d",), depth="light", length=3), usage=usage, seq=25, window=20,
                      rng=random.Random(2))
    assert light[0].key not in {c.key for c in plan.cards}
    assert plan.again == {light[1].key}  # met long ago: back only because the fresh ones ran out
    assert any("met every card here before" in n for n in plan.notes)


def test_when_decks_run_out_least_recently_used_come_first_and_it_is_said():
    cards = [c for c in deck(per_depth=3) if c.depth == 1]
    usage = {cards[0].key: 20, cards[1].key: 12, cards[2].key: 16}
    plan = plan_round(cards, Choices(decks=("d",), depth="light", length=2), usage=usage, seq=21, window=20,
                      rng=random.Random(5))
    assert [c.key for c in plan.cards] == [cards[1].key, cards[2].key]
    assert plan.again == {cards[1].key, cards[2].key}
    assert any("longest ago" in n for n in plan.notes)


# -- turns and the reveal --------------------------------------------------------------------------

def test_leaders_alternate_from_who_goes_first():
    assert leaders(1, 4) == [1, 0, 1, 0]
    state = new_round(
        plan_round(deck(), Choices(decks=("d",), length=4, first="b"), usage={}, seq=1, window=20,
                   rng=random.Random(1)),
        Choices(decks=("d",), length=4, first="b"), deck_titles={}, names=("A", "B"), now=NOW,
        rng=random.Random(1))
    assert [c.leader for c in state.cards] == [1, 0, 1, 0]


def test_random_first_is_seeded():
    choices = Choices(decks=("d",), length=2, first="random")
    firsts = set()
    for seed in range(20):
        plan = plan_round(deck(), choices, usage={}, seq=1, window=20, rng=random.Random(seed))
        firsts.add(new_round(plan, choices, deck_titles={}, names=("A", "B"), now=NOW,
                             rng=random.Random(seed)).cards[0].leader)
    assert firsts == {0, 1}


def test_steps_per_mode():
    assert [(s.kind, s.partner) for s in steps_for("talk", 0)] == [("ask", 0), ("ask", 1), ("reveal", None)]
    assert [s.kind for s in steps_for("talk", 0, "activity")] == ["ask", "reveal"]
    assert [(s.kind, s.partner, s.private) for s in steps_for("write", 1)] == [
        ("write", 1, True), ("write", 0, True), ("reveal", None, False)]
    assert [(s.kind, s.partner) for s in steps_for("knowme", 0)] == [("self", 0), ("guess", 1), ("reveal", None)]


def test_write_answers_stay_hidden_until_the_reveal():
    choices = Choices(decks=("d",), length=2, mode="write", first="a")
    plan = plan_round(deck(), choices, usage={}, seq=1, window=20, rng=random.Random(1))
    state = new_round(plan, choices, deck_titles={}, names=("A", "B"), now=NOW, rng=random.Random(1))
    assert state.step.kind == "write" and state.step.partner == 0
    state.submit("mine")
    assert state.visible_answers() == {}
    assert state.step.partner == 1
    with pytest.raises(ValueError):
        state.finish_card(NOW)  # not at the reveal yet
    state.submit("yours")
    assert state.step.kind == "reveal"
    assert state.visible_answers() == {0: "mine", 1: "yours"}
    state.finish_card(NOW)
    assert state.position == 1 and state.step.partner == 1  # the other leads the next card


def test_pass_at_any_step_drops_unrevealed_words_and_counts_nothing():
    choices = Choices(decks=("d",), length=2, mode="write", first="a")
    plan = plan_round(deck(), choices, usage={}, seq=1, window=20, rng=random.Random(1))
    state = new_round(plan, choices, deck_titles={}, names=("A", "B"), now=NOW, rng=random.Random(1))
    state.submit("private words")
    passed = state.pass_card(NOW)
    assert passed.status == "passed" and passed.answers == {}
    assert state.position == 1 and state.played == []


def test_know_me_needs_closeness_and_tallies_as_discovery():
    choices = Choices(decks=("d",), length=3, mode="knowme", first="a")
    plan = plan_round(deck(), choices, usage={}, seq=1, window=20, rng=random.Random(1))
    state = new_round(plan, choices, deck_titles={}, names=("A", "B"), now=NOW, rng=random.Random(1))
    for label in ("Spot on", "Not quite", "Close"):
        state.submit("about me")
        state.submit("my guess")
        with pytest.raises(ValueError):
            state.finish_card(NOW)
        state.rate(label)
        state.finish_card(NOW)
    found = discoveries(state)
    assert [(d.guesser, d.closeness, d.landed) for d in found] == [
        (1, "Spot on", True), (0, "Not quite", False), (1, "Close", True)]
    tally = closeness_tally(found)
    assert tally_line(tally[1]) == "1 spot on, 1 close"
    assert tally_line(tally[0]) == "1 still to discover"


def test_answers_are_cleaned_and_checked():
    assert clean_answer("  hi\x1b[31m there\r\n\tok  ") == "hi[31m there\n\tok"
    assert answer_problem("   ") is not None
    assert answer_problem("x" * 5000) is not None
    assert answer_problem("fine") is None


def test_state_round_trips_through_a_dict():
    choices = Choices(decks=("d",), length=2, mode="knowme", first="b")
    plan = plan_round(deck(), choices, usage={}, seq=1, window=20, rng=random.Random(1))
    state = new_round(plan, choices, deck_titles={}, names=("A", "B"), now=NOW, rng=random.Random(1))
    state.submit("x")
    again = RoundState.from_dict(state.to_dict())
    assert again.to_dict() == state.to_dict()
    assert again.step.kind == "guess"
    assert Choices.from_dict({"depth": "nonsense", "length": 999, "mode": 3}) == Choices()


# -- time words ------------------------------------------------------------------------------------

@pytest.mark.parametrize("delta, words", [
    (timedelta(hours=1), "earlier today"),
    (timedelta(days=1), "yesterday"),
    (timedelta(days=5), "5 days ago"),
    (timedelta(days=20), "2 weeks ago"),
    (timedelta(days=7 * 7), "7 weeks ago"),
    (timedelta(days=70), "2 months ago"),
    (timedelta(days=427), "14 months ago"),
    (timedelta(days=365 * 3), "2 years ago"),
])
def test_ago(delta, words):
    assert ago(NOW - delta, NOW) == words


# -- the store -------------------------------------------------------------------------------------

def test_rounds_are_sharded_by_year_and_resume_from_the_open_pointer(store):
    choices = Choices(decks=("d",), length=3, mode="write", first="a")
    _, state = start(store, deck(), choices)
    assert state.id.startswith("2026-") and state.seq == 1
    assert "rounds_2026" in store.db.tables()
    state.submit("hello")
    store_rounds.save_round(store, state)
    back = store_rounds.open_round(store)
    assert back.id == state.id and back.position == 0 and back.step.partner == 1
    assert store_rounds.due_items(store, NOW)[0].startswith("Resume the round you left")
    back.submit("there")
    back.finish_card(NOW)
    play_write(back)
    store_rounds.end_round(store, back, NOW)
    assert store_rounds.open_round(store) is None and store_rounds.due_items(store, NOW) == []


def test_usage_feeds_the_repeat_window_and_then_and_now(store, clock):
    choices = Choices(decks=("d",), depth="light", length=2, mode="write", first="a")
    old = NOW - timedelta(days=427)
    _, first = start(store, deck(per_depth=2), choices, now=old)
    play_write(first, old)
    store_rounds.end_round(store, first, old)
    keys = {c.key for c in first.cards}
    assert set(store_rounds.usage(store)) == keys
    plan, second = start(store, deck(per_depth=2), choices)
    assert {c.key for c in plan.cards} == keys and plan.again == keys  # nothing fresh is left
    earlier = store_rounds.earlier_answers(store, second.cards[0].key, exclude=second.id)
    assert len(earlier) == 1 and earlier[0].ago(NOW) == "14 months ago"
    assert earlier[0].answers[0].startswith("first on")


def test_search_finds_revealed_answers_only_and_delete_forgets(store):
    choices = Choices(decks=("d",), length=2, mode="write", first="a")
    _, state = start(store, deck(), choices)
    state.submit("A walk by the Lighthouse")
    store_rounds.save_round(store, state)
    assert store_rounds.search(store, "lighthouse") == []  # not revealed yet
    state.submit("tea")
    state.finish_card(NOW)
    store_rounds.save_round(store, state)
    hits = store_rounds.search(store, "  LIGHTHOUSE ")
    assert len(hits) == 1 and hits[0].partner == 0 and hits[0].what == "answer"
    assert store_rounds.delete_round(store, state.id)
    assert store_rounds.search(store, "lighthouse") == [] and store_rounds.usage(store) == {}
    assert store_rounds.open_round(store) is None and store_rounds.list_rounds(store) == []


def test_stars_and_markdown(store):
    card = deck()[0]
    assert store_rounds.toggle_star(store, card.key, card.text, "Deck D", NOW) is True
    assert [s.key for s in store_rounds.starred(store)] == [card.key]
    choices = Choices(decks=("d",), length=1, mode="write", first="a")
    _, state = start(store, deck(), choices)
    play_write(state)
    store_rounds.end_round(store, state, NOW)
    text = store_rounds.markdown(store)
    assert text.startswith("## Question rounds") and "first on" in text and "Starred cards" in text
    assert store_rounds.toggle_star(store, card.key, card.text, "Deck D", NOW) is False


def test_setting_aside_an_untouched_round_removes_it(store):
    choices = Choices(decks=("d",), length=2, mode="write", first="a")
    _, state = start(store, deck(), choices)
    store_rounds.set_aside_open(store, NOW)
    assert store_rounds.list_rounds(store) == []
    _, state = start(store, deck(), choices)
    state.submit("x")
    state.submit("y")
    state.finish_card(NOW)
    store_rounds.save_round(store, state)
    store_rounds.set_aside_open(store, NOW)
    kept = store_rounds.list_rounds(store)
    assert len(kept) == 1 and kept[0].status == "left"


def test_returned_states_are_copies(store):
    choices = Choices(decks=("d",), length=1, mode="write", first="a")
    _, state = start(store, deck(), choices)
    got = store_rounds.get_round(store, state.id)
    got.cards[0].answers[0] = "changed"
    assert store_rounds.get_round(store, state.id).cards[0].answers == {}


def test_timed_closings_are_among_the_closing_suggestions():
    """The summary offers its timer only for these, so each must be a suggestion that can come up."""
    from tui.core import content

    texts = content.load("rounds")
    assert texts["timed_closings"] and set(texts["timed_closings"]) <= set(texts["closing_suggestions"])
    assert "Go for a short walk together." not in texts["timed_closings"]


def test_a_loaded_round_shares_nothing_with_the_stored_one(store):
    """get_round and list_rounds hand out copies: changing one in memory (as the round screen
    does before it saves) must not change what is stored."""
    choices = Choices(decks=("d",), length=2, mode="write", first="a")
    _, state = start(store, deck(), choices)
    state.submit("kept as written")
    store_rounds.save_round(store, state)
    for loaded in (store_rounds.get_round(store, state.id), store_rounds.list_rounds(store)[0]):
        loaded.cards[0].answers[0] = "changed in memory"
        loaded.cards[0].notes[1] = "a note"
        loaded.cards.pop()
    again = store_rounds.get_round(store, state.id)
    assert again.cards[0].answers[0] == "kept as written"
    assert again.cards[0].notes == {} and len(again.cards) == 2


def test_answers_keep_zero_width_joiners():
    """Issue 15, bug 3: 👩‍❤️‍👨 was stored as three emoji."""
    from tui.core.rounds import clean_answer

    assert clean_answer("👩\u200d❤\ufe0f\u200d👨 and 🏳\ufe0f\u200d🌈\x07") == "👩\u200d❤\ufe0f\u200d👨 and 🏳\ufe0f\u200d🌈"


def test_search_is_unicode_normalised_both_ways(store):
    """Issue 15, bug 6: "café" with a precomposed é did not find "cafe" + combining accent."""
    from tui.core.rounds import find_folded, fold

    assert fold("Cafe\u0301") == fold("café") == "café"
    assert fold("STRASSE") == fold("Straße")
    assert find_folded("Ein Café am Fluss", "CAFE\u0301") == 4
    assert find_folded("Die Straße hoch", "strasse") == 4
    choices = Choices(decks=("d",), length=1, mode="write", first="a")
    _, state = start(store, deck(), choices)
    state.submit("the little cafe\u0301 on the corner")  # typed with a combining accent
    state.submit("Straße")
    state.finish_card(NOW)
    store_rounds.save_round(store, state)
    for words in ("café", "CAFÉ", "cafe\u0301", "strasse"):
        assert len(store_rounds.search(store, words)) == 1, words
    assert "café on" in store_rounds.snippet("the little cafe\u0301 on the corner", "café", 12)
