"""Rounds played apart (tui/core/apart.py): whose answer each card needs, what is ready to
reveal, what waits for the other, and when the round is complete, derived only from what each
partner wrote (never from the shared position or step)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from tui.core import apart
from tui.core.clock import FakeClock
from tui.core.decks import Card
from tui.core.rounds import Choices, RoundState, new_round, plan_round

NAMES = ("Ana", "Sam")


def cards(n: int = 3) -> list[Card]:
    return [Card("d", f"c{i}", f"Question {i}?", 1, "question", know_me=True) for i in range(n)]


def apart_round(mode: str = "write", n: int = 3, first: str = "a", clock: FakeClock | None = None) -> RoundState:
    clock = clock or FakeClock()
    choices = Choices(decks=("d",), depth="light", length=n, mode=mode, first=first)
    rng = random.Random(4)
    plan = plan_round(cards(n), choices, usage={}, seq=1, window=20, rng=rng)
    state = new_round(plan, choices, deck_titles={"d": "Deck"}, names=NAMES, now=clock.now(), rng=rng)
    state.apart = True
    return state


def test_talk_is_not_offered_apart_and_says_why_kindly():
    assert apart.can_play_apart("write") and apart.can_play_apart("knowme")
    assert not apart.can_play_apart("talk")
    assert "together or on a call" in apart.apart_problem("talk")
    assert apart.apart_problem("write") is None


def test_the_flag_is_saved_and_old_rounds_read_as_one_keyboard():
    state = apart_round()
    state.cards[0].seen[1] = True
    raw = state.to_dict()
    back = RoundState.from_dict(raw)
    assert back.apart and back.cards[0].seen == {1: True}
    old = dict(raw)
    del old["apart"]
    for c in old["cards"]:
        c.pop("seen", None)
    back = RoundState.from_dict(old)
    assert not back.apart and back.cards[0].seen == {}
    # a together round is stored exactly as before
    state.apart = False
    state.cards[0].seen.clear()
    assert "apart" not in state.to_dict() and "seen" not in state.to_dict()["cards"][0]
    # a hostile seen field is read as nothing seen
    raw["cards"][0]["seen"] = {"x": True, "0": "yes", "5": True}
    assert RoundState.from_dict(raw).cards[0].seen == {}


def test_write_each_answers_in_order_and_the_reveal_waits_for_both():
    clock = FakeClock()
    ana = apart_round(clock=clock)
    assert apart.what_next(ana, 0) == ("answer", 0)
    apart.answer(ana, 0, 0, "  mine  ")
    assert ana.cards[0].answers == {0: "mine"}
    assert apart.next_for_me(ana, 0) == 1
    assert apart.waiting_for_other(ana, 0) == [0]
    assert apart.to_reveal(ana, 0) == []
    assert apart.visible(ana.cards[0], 0) == {0: "mine"}
    # Sam's answer arrives: only now are both on screen
    apart.answer(ana, 0, 1, "his")
    assert apart.visible(ana.cards[0], 0) == {0: "mine", 1: "his"}
    assert apart.what_next(ana, 0) == ("reveal", 0)
    clock.advance(minutes=3)
    apart.reveal(ana, 0, 0, clock.now())
    card = ana.cards[0]
    assert card.status == "done" and card.done_at == clock.now() and card.seen == {0: True}
    # Sam has not seen it yet: for him it is still ready to reveal
    assert apart.to_reveal(ana, 1) == [0]
    later = clock.advance(hours=5)
    apart.reveal(ana, 0, 1, later)
    assert card.done_at == later - timedelta(hours=5)  # the first reveal is when it was shared


def test_the_others_answer_is_never_visible_alone():
    state = apart_round()
    apart.answer(state, 1, 1, "Sam's secret")
    card = state.cards[1]
    assert apart.visible(card, 0) == {}
    card.status = "done"  # even if a merge says revealed, one answer alone stays hidden
    assert apart.visible(card, 0) == {}
    card.status = "passed"
    assert apart.visible(card, 1) == {}


def test_position_and_step_are_never_read():
    state = apart_round()
    for p in (0, 1):
        apart.answer(state, 0, p, f"p{p}")
    state.position, state.cards[0].step = 2, 7  # as two homes bumping them might leave them
    assert apart.what_next(state, 0) == ("reveal", 0)
    assert apart.next_for_me(state, 1) == 1


def test_know_me_self_and_guess_and_closeness_by_the_subject():
    clock = FakeClock()
    state = apart_round("knowme", n=2, first="a", clock=clock)
    first = state.cards[0]
    assert first.subject == 0
    assert apart.role(state, first, 0) == "self" and apart.role(state, first, 1) == "guess"
    assert apart.role(state, state.cards[1], 0) == "guess"
    apart.answer(state, 0, 0, "tea")
    apart.answer(state, 0, 1, "coffee")
    apart.reveal(state, 0, 1, clock.now())
    with pytest.raises(ValueError):
        apart.rate(state, 0, 1, "Close")  # the guesser does not say how close
    assert apart.closeness_owed(state, 0) == []  # Ana has not seen it yet: first the reveal
    assert apart.what_next(state, 0) == ("reveal", 0)
    apart.reveal(state, 0, 0, clock.now())
    assert apart.closeness_owed(state, 0) == [0]
    apart.rate(state, 0, 0, "Not quite")
    assert first.closeness == "Not quite" and apart.closeness_owed(state, 0) == []


def test_answering_twice_or_empty_is_refused_in_words():
    state = apart_round()
    apart.answer(state, 0, 0, "once")
    with pytest.raises(ValueError, match="does not need"):
        apart.answer(state, 0, 0, "twice")
    with pytest.raises(ValueError, match="Write a few words"):
        apart.answer(state, 1, 0, "   ")
    with pytest.raises(ValueError, match="no card 9"):
        apart.answer(state, 8, 0, "x")
    with pytest.raises(ValueError, match="not ready"):
        apart.reveal(state, 0, 0, FakeClock().now())
    state.apart = False
    with pytest.raises(ValueError, match="one keyboard"):
        apart.answer(state, 1, 0, "x")


def test_complete_done_for_each_and_over():
    clock = FakeClock()
    state = apart_round(n=2, clock=clock)
    for i in range(2):
        for p in (0, 1):
            assert not apart.complete(state)
            apart.answer(state, i, p, f"{p} on {i}")
    assert apart.complete(state)
    assert not apart.done_for(state, 0) and apart.what_next(state, 0) == ("reveal", 0)
    for i in range(2):
        apart.reveal(state, i, 0, clock.now())
    assert apart.done_for(state, 0) and not apart.over(state)
    assert apart.what_next(state, 0) == ("done", None)
    for i in range(2):
        apart.reveal(state, i, 1, clock.now())
    assert apart.over(state)


def test_waiting_for_the_other_when_my_answers_are_in():
    state = apart_round(n=2)
    apart.answer(state, 0, 0, "a")
    apart.answer(state, 1, 0, "b")
    assert apart.what_next(state, 0) == ("wait", None)
    assert apart.waiting_words(state, 0, NAMES) == "Sam has not answered cards 1 and 2 yet"
    apart.answer(state, 1, 1, "c")
    assert apart.waiting_words(state, 0, NAMES) == "Sam has not answered card 1 yet"


def test_a_pass_sets_the_card_aside_for_both_and_keeps_answers_for_their_writers():
    clock = FakeClock()
    state = apart_round(n=2, clock=clock)
    apart.answer(state, 0, 1, "Sam wrote this")
    apart.pass_card(state, 0, 0, clock.now())
    card = state.cards[0]
    assert card.status == "passed" and card.answers == {} and card.kept == {1: "Sam wrote this"}
    assert apart.next_for_me(state, 1) == 1
    assert apart.visible(card, 0) == {}


def test_tidy_keeps_an_answer_that_merged_into_a_passed_card_for_its_writer():
    clock = FakeClock()
    state = apart_round(n=2, clock=clock)
    apart.pass_card(state, 0, 0, clock.now())
    state.cards[0].answers[1] = "written offline meanwhile"  # what a merge can bring
    assert apart.visible(state.cards[0], 0) == {}  # never shown, even before it is tidied
    assert apart.tidy(state)
    assert state.cards[0].answers == {} and state.cards[0].kept == {1: "written offline meanwhile"}
    assert not apart.tidy(state)
    # a round ended early: an answer arriving afterwards is kept too
    apart.answer(state, 1, 0, "mine")
    apart.end_here(state)
    state.status = "done"
    state.cards[1].answers[1] = "late"
    assert apart.tidy(state) and state.cards[1].kept == {0: "mine", 1: "late"}


def test_a_reveal_at_one_home_and_a_pass_at_the_other_still_completes():
    state = apart_round(n=1)
    state.cards[0].status = "done"  # the reveal's status won the merge, the pass emptied answers
    state.cards[0].kept = {0: "a", 1: "b"}
    assert apart.complete(state) and apart.over(state)


def test_end_here_keeps_unrevealed_and_marks_the_rest_unplayed():
    clock = FakeClock()
    state = apart_round(n=3, clock=clock)
    for p in (0, 1):
        apart.answer(state, 0, p, f"{p}")
    apart.reveal(state, 0, 0, clock.now())
    apart.answer(state, 1, 0, "only mine")
    apart.end_here(state)
    assert [c.status for c in state.cards] == ["done", "open", "unplayed"]
    assert state.cards[0].answers == {0: "0", 1: "1"}
    assert state.cards[1].answers == {} and state.cards[1].kept == {0: "only mine"}


def test_status_lines():
    clock = FakeClock()
    state = apart_round(n=3, clock=clock)
    assert apart.status_line(state, 1, NAMES) == "Write & reveal, apart: Your turn: card 1."
    apart.answer(state, 0, 0, "x")
    assert apart.status_line(state, 1, NAMES) == "Write & reveal, apart: Ana has answered card 1; your turn."
    for i in (1, 2):
        apart.answer(state, i, 0, "x")
    assert apart.status_line(state, 0, NAMES) == "Write & reveal, apart: Your answers are in; waiting for Sam."
    apart.answer(state, 0, 1, "y")
    assert apart.status_line(state, 0, NAMES) == "Write & reveal, apart: Card 1 is ready to reveal."
    assert apart.status_line(state, 1, NAMES) == (
        "Write & reveal, apart: Card 1 is ready to reveal; Ana has answered card 2; your turn.")
    for i in (1, 2):
        apart.answer(state, i, 1, "y")
    assert apart.status_line(state, 1, NAMES) == "Write & reveal, apart: Cards 1, 2 and 3 are ready to reveal."
    for i in range(3):
        apart.reveal(state, i, 1, clock.now())
    assert apart.status_line(state, 1, NAMES) is None
    state.status = "done"
    assert apart.status_line(state, 0, NAMES) is None


def test_know_me_status_line_asks_the_subject_for_closeness():
    clock = FakeClock()
    state = apart_round("knowme", n=1, clock=clock)
    for p in (0, 1):
        apart.answer(state, 0, p, "x")
    apart.reveal(state, 0, 0, clock.now())
    assert apart.status_line(state, 0, NAMES) == "Know me, apart: Say how close Sam's guess was on card 1."
    assert apart.what_next(state, 0) == ("closeness", 0)


def test_words_typed_on_a_card_the_other_passed_are_kept_for_their_writer():
    clock = FakeClock()
    state = apart_round(n=2, clock=clock)
    apart.pass_card(state, 0, 1, clock.now())
    apart.keep_for_me(state, 0, 0, "  half a thought ")
    assert state.cards[0].kept == {0: "half a thought"} and state.cards[0].answers == {}
    apart.keep_for_me(state, 1, 0, "   ")
    assert state.cards[1].kept == {}


def test_end_here_shares_a_card_both_answered_so_each_can_still_see_its_reveal():
    clock = FakeClock()
    state = apart_round(n=2, clock=clock)
    for p in (0, 1):
        apart.answer(state, 1, p, f"{p}")
    apart.end_here(state)
    state.status = "done"
    assert not apart.tidy(state)
    assert state.cards[1].status == "done" and state.cards[1].answers == {0: "0", 1: "1"}
    assert apart.to_reveal(state, 0) == [1] and apart.to_reveal(state, 1) == [1]
    assert state.cards[0].status == "unplayed"
