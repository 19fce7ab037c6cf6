"""Rules of Talk it through and of the dream behind a conflict, on a fake clock."""

from __future__ import annotations

import pytest

from tui.core.dream import DreamError, Dream, start_dream
from tui.core.talk import MAX_PIECE, Talk, TalkError, start_talk


def one_round(t: Talk, clock, said="I felt alone on Sunday", heard="You felt left alone on Sunday") -> None:
    t.speak(said, clock.now())
    t.mirror(heard, clock.now())
    t.confirm(clock.now())
    t.validate("you had planned that day for us", "lonely", clock.now())


def test_the_keyboard_is_the_floor(clock):
    t = start_talk(1, clock.now(), topic="  Sunday  plans ")
    assert t.topic == "Sunday plans"
    assert (t.stage, t.floor()) == ("speak", 1)
    t.speak("I wanted a quiet day", clock.now())
    assert (t.stage, t.floor()) == ("mirror", 0)
    t.mirror("You hoped for a calm day", clock.now())
    assert (t.stage, t.floor()) == ("check", 1)
    t.confirm(clock.now())
    assert (t.stage, t.floor()) == ("validate", 0)
    t.validate("the week was loud", "tired", clock.now())
    assert (t.stage, t.floor(), t.speaker) == ("speak", 0, 0)  # swapped: partner 0 speaks now
    one_round(t, clock)
    assert t.stage == "heard" and t.floor() is None


def test_a_correction_sends_the_listener_back_to_sum_up_again(clock):
    t = start_talk(0, clock.now())
    t.speak("It's about the money, not the trip", clock.now())
    t.mirror("You don't want the trip", clock.now())
    t.correct("I do want it; I'm worried about paying for it", clock.now())
    assert (t.stage, t.floor(), t.tries) == ("mirror", 1, 1)
    assert "worried about paying" in t.piece() and "money" in t.piece()
    t.mirror("You'd love the trip but the cost worries you", clock.now())
    assert t.stage == "check"
    with pytest.raises(TalkError):
        t.correct("   ", clock.now())  # a correction needs words; "yes" needs none


def test_own_words_short_pieces_and_no_empty_turns(clock):
    t = start_talk(0, clock.now())
    with pytest.raises(TalkError):
        t.speak("  ", clock.now())
    with pytest.raises(TalkError, match="short piece"):
        t.speak("x" * (MAX_PIECE + 1), clock.now())
    t.speak("I need more sleep.", clock.now())
    with pytest.raises(TalkError, match="own words"):
        t.mirror("i need more SLEEP", clock.now())
    with pytest.raises(TalkError):
        t.validate("too soon", "", clock.now())  # not this step yet


def test_only_the_speaker_may_pass_and_only_their_turn_to_speak(clock):
    t = start_talk(0, clock.now())
    assert t.may_skip(0) and not t.may_skip(1)
    t.pass_floor(clock.now())
    assert (t.stage, t.speaker) == ("speak", 1)
    t.speak("My turn", clock.now())
    assert not t.may_skip()
    with pytest.raises(TalkError):
        t.pass_floor(clock.now())


def test_no_problem_solving_until_both_feel_heard_and_both_want_it(clock):
    t = start_talk(0, clock.now())
    one_round(t, clock)
    one_round(t, clock)
    t.say_heard(0, True, clock.now())
    assert t.stage == "heard"
    t.say_heard(1, False, clock.now())
    assert (t.stage, t.speaker) == ("speak", 1)  # the one not heard yet has the floor first
    assert not t.may_solve()
    one_round(t, clock)
    one_round(t, clock)
    t.say_heard(0, True, clock.now())
    t.say_heard(1, True, clock.now())
    assert t.stage == "solve_ask"
    t.say_wants_solving(0, True, clock.now())
    t.say_wants_solving(1, False, clock.now())
    assert t.stage == "keep" and not t.may_solve()


def test_solving_when_both_want_it(clock):
    t = start_talk(0, clock.now())
    one_round(t, clock)
    one_round(t, clock)
    for p in (0, 1):
        t.say_heard(p, True, clock.now())
    for p in (0, 1):
        t.say_wants_solving(p, True, clock.now())
    assert t.stage == "solve" and t.may_solve()
    t.add_ideas("Sunday mornings are quiet; afternoons we see people", clock.now())
    assert t.stage == "keep" and "quiet" in t.ideas()


def test_only_what_is_chosen_is_kept(clock):
    t = start_talk(0, clock.now(), topic="Sunday")
    one_round(t, clock, said="Ana's piece")
    one_round(t, clock, said="Sam's piece")
    assert t.kept({0: False, 1: False}, keep_ideas=False) is None
    kept = t.kept({0: True, 1: False}, keep_ideas=False)
    assert kept["topic"] == "Sunday"
    assert {e["partner"] for e in kept["entries"]} == {0}
    assert "Sam's piece" not in str(kept)


def test_the_gentle_timer_counts_from_the_turn_start_and_can_be_turned_off(clock):
    t = start_talk(0, clock.now(), turn_minutes=2)
    assert t.turn_clock(clock.now()).seconds_left == 120
    clock.advance(seconds=90)
    c = t.turn_clock(clock.now())
    assert (c.seconds_left, c.over) == (30, False) and "0:30" in c.text
    clock.advance(seconds=31)
    assert t.turn_clock(clock.now()).over  # a nudge, never a cut-off: speaking still works
    t.speak("still allowed", clock.now())
    assert t.turn_clock(clock.now()).seconds_left == 120  # the listener's turn starts afresh
    t.set_timer(False, clock.now())
    assert t.turn_clock(clock.now()) is None
    t.set_timer(True, clock.now(), minutes=5)
    assert t.turn_clock(clock.now()).seconds_left == 300
    with pytest.raises(TalkError):
        t.set_timer(True, clock.now(), minutes=7)


def test_a_talk_survives_a_restart_mid_turn(clock):
    t = start_talk(1, clock.now(), timer_on=True, turn_minutes=3)
    t.speak("a piece", clock.now())
    clock.advance(seconds=40)
    again = Talk.from_dict(t.to_dict())
    assert again.to_dict() == t.to_dict()
    assert again.turn_clock(clock.now()).seconds_left == 140
    with pytest.raises(ValueError):
        Talk.from_dict({**t.to_dict(), "stage": "shouting"})


# -- the dream behind a conflict ------------------------------------------------------------------------
def walk_to_trial(d: Dream) -> None:
    d.write("Saving feels like safety to me")
    d.write("Travel is how I remember I'm alive")
    d.listen("Money in the bank lets you rest")
    d.listen("")
    d.mark("Some savings each month", "How much")
    d.mark("", "Where we go")


def test_dream_turns_and_privacy(clock):
    d = start_dream(1, clock.now(), topic="money")
    assert (d.stage, d.floor(), d.private()) == ("write", 1, True)
    d.write("Travel is how I remember I'm alive")
    assert d.shown_meaning(1) is None  # private until both have written
    assert (d.stage, d.floor()) == ("write", 0)
    d.write("Saving feels like safety")
    assert d.shown_meaning(1).startswith("Travel")
    assert (d.stage, d.floor(), d.private()) == ("listen", 0, False)  # 0 listens to 1's dream
    d.listen("Travel makes you feel alive")
    assert (d.stage, d.floor()) == ("listen", 1)
    d.listen("")  # the listening note may be left empty
    assert d.understood == {1: "Travel makes you feel alive"}
    assert (d.stage, d.floor()) == ("mark", 1)


def test_dream_asks_for_what_makes_the_arrangement(clock):
    d = start_dream(0, clock.now())
    with pytest.raises(DreamError):
        d.write("   ")
    assert not d.may_skip()
    walk_to_trial(d)
    assert d.stage == "trial" and d.floor() is None
    assert d.flexible[1] == "Where we go" and d.firm[1] == ""
    assert d.trial_problem("", "text", "monthly")
    assert d.trial_problem("Trial", "We try it", "yearly")
    assert d.trial_problem("Trial", "We try it", "monthly") is None
    d.made_agreement(7)
    assert d.stage == "done" and d.agreement_id == 7


def test_dream_marks_need_one_of_two(clock):
    d = start_dream(0, clock.now())
    d.write("a")
    d.write("b")
    d.listen("")
    d.listen("")
    with pytest.raises(DreamError):
        d.mark(" ", "")


def test_dream_survives_a_restart(clock):
    d = start_dream(0, clock.now(), topic="visits")
    d.write("family matters")
    again = Dream.from_dict(d.to_dict())
    assert again.to_dict() == d.to_dict() and again.shown_meaning(0) is None
