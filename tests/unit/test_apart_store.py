"""A round played apart across two linked homes, at the store: each answers at their own
computer, the change files travel (late, some at a time, in any order), and both see the
reveal only once both answers are in."""

from __future__ import annotations

import random

import pytest

from tests.two_homes import make_two_homes
from tui.core import apart
from tui.core.clock import FakeClock
from tui.core.decks import Card
from tui.core.rounds import Choices, new_round, plan_round
from tui.store import apart_rounds
from tui.store import rounds as store_rounds

NAMES = ("Ana", "Sam")


def start_apart(store, mode: str, n: int = 2):
    cards = [Card("d", f"c{i}", f"Question {i}?", 1, "question", know_me=True) for i in range(n)]
    choices = Choices(decks=("d",), depth="light", length=n, mode=mode, first="a")
    rng = random.Random(2)
    plan = plan_round(cards, choices, usage={}, seq=1, window=20, rng=rng)
    state = new_round(plan, choices, deck_titles={"d": "Deck"}, names=NAMES, now=store.clock.now(), rng=rng)
    state.apart = True
    return store_rounds.start_round(store, state)


def slow_ship(homes, seed: int) -> None:
    """Merge both, then let the folders catch up late and out of order, as a slow sync would."""
    rng = random.Random(seed)
    homes.merge()
    for _ in range(3):
        homes.ship(rng=rng, share=0.5)
        homes.merge()
    homes.settle()


@pytest.fixture
def homes(tmp_path):
    clock = FakeClock()
    found = make_two_homes(tmp_path, clock)
    yield found
    found.close()


def lines(store, me):
    return apart_rounds.waiting_lines(store, me, NAMES)


@pytest.mark.parametrize("seed", [1, 7])
def test_a_whole_write_round_apart(homes, seed):
    a, b, now = homes.a, homes.b, homes.clock.now
    state = start_apart(a, "write")
    assert store_rounds.open_round(a) is None  # apart rounds are never this computer's open round
    slow_ship(homes, seed)
    assert [s.id for s in apart_rounds.in_progress(b)] == [state.id]
    assert lines(b, 1) == ["Write & reveal, apart: Your turn: card 1."]

    # Ana answers both cards at her computer; Sam sees that, not what she wrote
    for i in (0, 1):
        apart_rounds.answer(a, state.id, i, 0, f"Ana on {i}", now())
    assert lines(a, 0) == ["Write & reveal, apart: Your answers are in; waiting for Sam."]
    slow_ship(homes, seed + 1)
    at_b = apart_rounds.load(b, state.id)
    assert at_b.cards[0].answers == {0: "Ana on 0"}  # it travels...
    assert apart.visible(at_b.cards[0], 1) == {}  # ...but is not for Sam's eyes yet
    assert lines(b, 1) == ["Write & reveal, apart: Ana has answered card 1; your turn."]

    # Sam answers card 1, hours later: its reveal is ready on both computers
    homes.clock.advance(hours=3)
    apart_rounds.answer(b, state.id, 0, 1, "Sam on 0", now())
    assert lines(b, 1) == ["Write & reveal, apart: Card 1 is ready to reveal; Ana has answered card 2; your turn."]
    slow_ship(homes, seed + 2)
    assert lines(a, 0) == ["Write & reveal, apart: Card 1 is ready to reveal."]
    at_a = apart_rounds.load(a, state.id)
    assert apart.visible(at_a.cards[0], 0) == {0: "Ana on 0", 1: "Sam on 0"}
    apart_rounds.reveal(a, state.id, 0, 0, now())

    # Sam answers card 2 and sees both reveals; Ana sees hers after the next ship
    apart_rounds.answer(b, state.id, 1, 1, "Sam on 1", now())
    slow_ship(homes, seed + 3)
    for i in (0, 1):
        apart_rounds.reveal(b, state.id, i, 1, now())
    assert lines(b, 1) == []
    slow_ship(homes, seed + 4)
    assert lines(a, 0) == ["Write & reveal, apart: Card 2 is ready to reveal."]
    done = apart_rounds.reveal(a, state.id, 1, 0, now(), closings=["Hug."])
    assert done.status == "done" and done.closing == "Hug."
    slow_ship(homes, seed + 5)
    for store in (a, b):
        final = store_rounds.get_round(store, state.id)
        assert final.status == "done"
        assert [c.answers for c in final.cards] == [{0: "Ana on 0", 1: "Sam on 0"}, {0: "Ana on 1", 1: "Sam on 1"}]
        assert all(c.seen == {0: True, 1: True} and c.status == "done" for c in final.cards)
        assert apart_rounds.in_progress(store) == []


@pytest.mark.parametrize("seed", [3, 11])
def test_a_know_me_round_apart(homes, seed):
    a, b, now = homes.a, homes.b, homes.clock.now
    state = start_apart(a, "knowme", n=1)  # card 1 is about Ana (first: a); Sam guesses
    slow_ship(homes, seed)
    apart_rounds.answer(b, state.id, 0, 1, "Sam's guess: tea", now())  # the guess can come first
    slow_ship(homes, seed + 1)
    assert lines(a, 0) == ["Know me, apart: Sam has answered card 1; your turn."]
    assert apart.visible(apart_rounds.load(a, state.id).cards[0], 0) == {}
    apart_rounds.answer(a, state.id, 0, 0, "coffee, always", now())
    slow_ship(homes, seed + 2)
    apart_rounds.reveal(b, state.id, 0, 1, now())
    assert lines(b, 1) == []  # Sam saw it; Ana says how close at her own reveal
    slow_ship(homes, seed + 3)
    apart_rounds.reveal(a, state.id, 0, 0, now())
    assert lines(a, 0) == ["Know me, apart: Say how close Sam's guess was on card 1."]
    with pytest.raises(ValueError):
        apart_rounds.rate(b, state.id, 0, 1, "Close", now())  # not the guesser's to say
    done = apart_rounds.rate(a, state.id, 0, 0, "Not quite", now())
    assert done.status == "done"
    slow_ship(homes, seed + 4)
    final = store_rounds.get_round(b, state.id)
    assert final.status == "done" and final.cards[0].closeness == "Not quite"
    assert final.cards[0].answers == {0: "coffee, always", 1: "Sam's guess: tea"}


def test_both_answering_the_same_card_offline_keeps_both(homes):
    a, b, now = homes.a, homes.b, homes.clock.now
    state = start_apart(a, "write", n=1)
    homes.settle()
    apart_rounds.answer(a, state.id, 0, 0, "from Ana", now())
    apart_rounds.answer(b, state.id, 0, 1, "from Sam", now())
    homes.settle()
    for store in (a, b):
        assert apart_rounds.load(store, state.id).cards[0].answers == {0: "from Ana", 1: "from Sam"}


def test_a_pass_at_one_home_while_the_other_writes_never_shows_the_answer(homes):
    a, b, now = homes.a, homes.b, homes.clock.now
    state = start_apart(a, "write", n=2)
    homes.settle()
    apart_rounds.pass_card(a, state.id, 0, 0, now())
    apart_rounds.answer(b, state.id, 0, 1, "Sam, offline", now())
    homes.settle()
    at_a = apart_rounds.load(a, state.id)
    assert at_a.cards[0].status == "passed"
    assert apart.visible(at_a.cards[0], 0) == {} and at_a.cards[0].answers == {}
    assert at_a.cards[0].kept == {1: "Sam, offline"}
    # the next change at either home stores the tidied card, and both agree
    apart_rounds.answer(a, state.id, 1, 0, "on 2", now())
    homes.settle()
    for store in (a, b):
        card = store_rounds.get_round(store, state.id).cards[0]
        assert card.answers == {} and card.kept == {1: "Sam, offline"}


def test_end_here_ends_it_for_both(homes):
    a, b, now = homes.a, homes.b, homes.clock.now
    state = start_apart(a, "write", n=2)
    apart_rounds.answer(a, state.id, 0, 0, "only Ana", now())
    homes.settle()
    apart_rounds.end_here(b, state.id, now(), closings=["Say thanks."])
    homes.settle()
    final = store_rounds.get_round(a, state.id)
    assert final.status == "done" and final.cards[0].kept == {0: "only Ana"} and final.cards[0].answers == {}
    assert lines(a, 0) == [] and lines(b, 1) == []


def test_no_lines_on_a_computer_both_use(homes):
    start_apart(homes.a, "write")
    assert apart_rounds.waiting_lines(homes.a, None, NAMES) == []
    assert store_rounds.due_items(homes.a, homes.clock.now()) == []


def test_an_answer_saved_during_a_merge_is_not_written_over(homes, monkeypatch):
    """A merge reads the database, then writes what came in: an answer saved in between (the
    screen's thread, while the merge runs in its worker) must wait for it, or it is lost."""
    import threading

    from tui.store import sync

    a, b, now = homes.a, homes.b, homes.clock.now
    state = start_apart(a, "write", n=2)
    homes.settle()
    apart_rounds.answer(b, state.id, 0, 1, "Sam on 1", now())
    homes.merge(b)
    homes.ship()
    inside, go = threading.Event(), threading.Event()
    real = sync.Replica.receive

    def slow_receive(self, report, when):
        if self.store is a:
            inside.set()
            go.wait(10)
        return real(self, report, when)

    monkeypatch.setattr(sync.Replica, "receive", slow_receive)
    merging = threading.Thread(target=lambda: homes.merge(a))
    merging.start()
    assert inside.wait(10)
    threading.Timer(0.05, go.set).start()  # the merge goes on while the answer below waits for it
    apart_rounds.answer(a, state.id, 1, 0, "Ana, mid-merge", now())
    merging.join(10)
    monkeypatch.setattr(sync.Replica, "receive", real)
    homes.settle()
    for store in (a, b):
        card = store_rounds.get_round(store, state.id).cards
        assert card[0].answers == {1: "Sam on 1"} and card[1].answers == {0: "Ana, mid-merge"}


def test_home_lines_name_the_key_when_something_is_for_me(homes):
    from tui.store.homes_status import status_lines

    a, b, now = homes.a, homes.b, homes.clock.now
    state = start_apart(a, "write", n=1)
    apart_rounds.answer(a, state.id, 0, 0, "x", now())
    homes.settle()
    assert "Write & reveal, apart: Your answers are in; waiting for Sam." in status_lines(a, now())
    assert "Write & reveal, apart: Ana has answered card 1; your turn (press 1)." in status_lines(b, now())


def test_an_answer_lets_its_draft_go_in_the_same_change(homes):
    """The screen's draft goes with the answer it became, in one change: whenever Hearth stops,
    the file holds the words as a draft or as the answer, never neither."""
    from tui.store.drafts import load_draft, save_draft

    store = homes.a
    state = start_apart(store, "write")
    key = store_rounds.draft_key(state.id, 0, 0)
    save_draft(store, key, "Ana one")
    saved = apart_rounds.answer(store, state.id, 0, 0, "Ana one", homes.clock.now(), key)
    assert saved.cards[0].answers == {0: "Ana one"}
    assert load_draft(store, key) is None
    save_draft(store, key, "Ana again")
    with pytest.raises(ValueError):  # answered already: nothing is saved, and the draft stays
        apart_rounds.answer(store, state.id, 0, 0, "Ana again", homes.clock.now(), key)
    assert load_draft(store, key) == "Ana again"
