"""Talk it through at two homes: both answering a together step before hearing the other still
moves the talk on, the same at both; ideas and what to keep are each partner's own."""

from __future__ import annotations

import pytest

from tui.core.talk import Talk, start_talk
from tui.store import talks as talk_store

from tests.two_homes import make_two_homes


@pytest.fixture
def homes(tmp_path, clock):
    h = make_two_homes(tmp_path, clock)
    yield h
    h.close()


def one_round_each(talk: Talk, clock) -> None:
    for _ in range(2):
        talk.speak("what I felt", clock.now())
        talk.mirror("you felt left out", clock.now())
        talk.confirm(clock.now())
        talk.validate("it makes sense", "lonely", clock.now())


def test_both_saying_they_feel_heard_at_once_moves_on_at_both_homes(homes, clock):
    talk = start_talk(0, clock.now())
    one_round_each(talk, clock)
    assert talk.stage == "heard"
    talk_store.save_talk(homes.a, talk)
    homes.settle()
    for store, who in ((homes.a, 0), (homes.b, 1)):  # neither has heard the other yet
        mine = talk_store.active_talk(store)
        mine.say_heard(who, True, clock.now())
        assert mine.stage == "heard"
        talk_store.save_talk(store, mine)
    homes.settle()
    assert [talk_store.active_talk(s).stage for s in (homes.a, homes.b)] == ["solve_ask", "solve_ask"]


def test_ideas_and_keeping_are_each_partners_own(homes, clock):
    talk = start_talk(1, clock.now())
    one_round_each(talk, clock)
    talk.say_heard(0, True, clock.now())
    talk.say_heard(1, True, clock.now())
    talk.say_wants_solving(0, True, clock.now())
    talk.say_wants_solving(1, True, clock.now())
    assert talk.stage == "solve"
    talk_store.save_talk(homes.a, talk)
    homes.settle()
    for store, who in ((homes.a, 0), (homes.b, 1)):
        mine = talk_store.active_talk(store)
        mine.add_my_ideas(who, f"idea from {who}", clock.now())
        assert mine.stage == "solve"  # the other's ideas have not come yet
        talk_store.save_talk(store, mine)
    homes.settle()
    merged = [talk_store.active_talk(s) for s in (homes.a, homes.b)]
    assert all(t.stage == "keep" for t in merged)
    assert all(set(t.ideas().splitlines()) == {"idea from 0", "idea from 1"} for t in merged)
    for store, who in ((homes.a, 0), (homes.b, 1)):
        mine = talk_store.active_talk(store)
        mine.keep_mine(who, words=(who == 0), ideas=True)
        talk_store.save_talk(store, mine)
    homes.settle()
    t = talk_store.active_talk(homes.b)
    assert t.both_chose()
    kept = t.kept_apart()
    assert {e["partner"] for e in kept["entries"]} == {0, None}  # Ana's words and the ideas, not Sam's


def test_ideas_are_kept_only_if_both_say_yes(clock):
    talk = start_talk(0, clock.now())
    talk.speak("a piece", clock.now())
    talk.stop_here(clock.now())
    talk.entries.append(type(talk.entries[0])(None, "ideas", "walk first", talk.round))
    talk.keep_mine(0, True, True)
    talk.keep_mine(1, False, False)
    kept = talk.kept_apart()
    assert [e["kind"] for e in kept["entries"]] == ["speak"]  # Ana's words; the ideas needed both
    again = Talk.from_dict(talk.to_dict())
    assert again.keeps == {0: {"words": True, "ideas": True}, 1: {"words": False, "ideas": False}}
