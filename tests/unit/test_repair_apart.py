"""The repair talk done apart: each partner's next thing is worked out from what is filled in,
nothing private shows before its reading is ready, and the two homes never write one field."""

from __future__ import annotations

from tui.core import repair_apart as apart
from tui.core.pause import KEEP_STEP, RepairState, Turn, start_pause
from tui.store import pauses as pause_store
from tui.store.sync_json import flatten

from tests.two_homes import make_two_homes

import pytest


def write(r: RepairState, me: int, text: str = "words") -> Turn:
    nxt = apart.what_next(r, me)
    assert nxt.what == "write", nxt
    turn = r.plan[nxt.index]
    apart.answer(r, turn, {"keep": True} if turn.step == KEEP_STEP else {"text": f"{text} {turn.key}"})
    return turn


def read(r: RepairState, me: int) -> int:
    nxt = apart.what_next(r, me)
    assert nxt.what == "read", nxt
    apart.mark_read(r, nxt.index, me)
    return nxt.index


def test_the_first_step_waits_for_both_answers_before_either_is_shown():
    r = RepairState.new(first=0)
    assert write(r, 0).key == "felt:answer:0:"
    nxt = apart.what_next(r, 0)
    # Ana waits for Sam's part of step 1: the steps keep their order
    assert nxt.what == "wait" and nxt.waiting == Turn("felt", "answer", 1)
    assert write(r, 1).key == "felt:answer:1:"
    assert apart.what_next(r, 0).what == "read"  # now both are in: the reading of step 1 comes first
    assert r.plan[apart.what_next(r, 0).index].step == "felt"


def test_sam_waits_for_anas_side_before_summing_it_up_and_it_says_whose_part():
    r = RepairState.new(first=0)
    write(r, 0), write(r, 1)  # felt, both
    read(r, 1)  # Sam reads step 1
    assert write(r, 1).key == "side:speak:1:1"  # Sam's own side first: Ana's has not come
    nxt = apart.what_next(r, 1)
    assert nxt.what == "wait" and nxt.waiting == Turn("side", "speak", 0, 0)


def test_a_whole_talk_apart_in_any_pace_ends_with_both_keeps():
    r = RepairState.new(first=1)
    for _ in range(200):
        moved = False
        for me in (0, 1):
            nxt = apart.what_next(r, me)
            if nxt.what == "write":
                write(r, me)
                moved = True
            elif nxt.what == "read":
                apart.mark_read(r, nxt.index, me)
                moved = True
        if not moved:
            break
    assert apart.what_next(r, 0).what == apart.what_next(r, 1).what == "done"
    every = {t.key for t in r.plan if t.private}
    assert every <= set(r.answers)  # every turn was given, by its own partner


def test_a_skipped_side_needs_no_summary_and_no_confirmation():
    r = RepairState.new(first=0, steps=["side"])
    apart.answer(r, Turn("side", "speak", 0, 0), {"skipped": True})
    apart.answer(r, Turn("side", "speak", 1, 1), {"text": "mine"})
    nxt = apart.what_next(r, 1)  # Sam: nothing of Ana's to sum up; he waits for her summary of his
    assert nxt.what == "wait" and nxt.waiting == Turn("side", "summary", 0, 1)
    nxt = apart.what_next(r, 0)
    assert nxt.what == "read" and r.plan[nxt.index].about == 1  # Ana reads Sam's side


def test_nothing_private_shows_before_its_reading_is_ready():
    r = RepairState.new(first=0)
    write(r, 0)
    for i, turn in enumerate(r.plan):
        if turn.kind == "reveal" and turn.step == "felt":
            assert not apart.reading_ready(r, i)


def changed(old: dict, new: dict) -> set[str]:
    return {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}


def test_the_two_homes_never_write_the_same_field():
    """What each partner adds to the talk, from the same start, lands under keys only they write."""
    r = RepairState.new(first=0)
    write(r, 0), write(r, 1)
    start = flatten(r.to_dict())
    ana, sam = RepairState.from_dict(r.to_dict()), RepairState.from_dict(r.to_dict())
    read(ana, 0), write(ana, 0)
    read(sam, 1), write(sam, 1)
    by_ana, by_sam = changed(start, flatten(ana.to_dict())), changed(start, flatten(sam.to_dict()))
    assert by_ana and by_sam and not by_ana & by_sam
    assert all(k.startswith(("answers", "seen")) for k in by_ana | by_sam)  # never pos, never skipped


def test_seen_survives_a_save_and_a_damaged_mark_is_left_out():
    r = RepairState.new(first=0)
    apart.mark_read(r, 2, 1)
    d = r.to_dict()
    assert RepairState.from_dict(d).seen == {1: {2}}
    d["seen"] = {"1": {"x": True, "3": True}, "5": {"1": True}, "0": "no"}
    assert RepairState.from_dict(d).seen == {1: {3}}


@pytest.fixture
def homes(tmp_path, clock):
    h = make_two_homes(tmp_path, clock)
    yield h
    h.close()


def test_across_homes_both_writing_at_once_keeps_both(homes, clock):
    p = start_pause(0, 20, clock.now())
    pause_store.save_active(homes.a, p)
    homes.settle()
    clock.advance(minutes=20)
    for store, who in ((homes.a, 0), (homes.b, 1)):
        mine = pause_store.active(store)
        mine.begin_checkin(clock.now())
        mine.record_checkin(who, 7, True)
        pause_store.save_active(store, mine)
    homes.settle()
    for store, who in ((homes.a, 0), (homes.b, 1)):  # each writes step 1 before hearing the other
        mine = pause_store.active(store)
        assert mine.phase == "repair"
        write(mine.repair, who, "felt")
        pause_store.save_active(store, mine)
    homes.settle()
    for store, who in ((homes.a, 0), (homes.b, 1)):
        merged = pause_store.active(store)
        assert {"felt:answer:0:", "felt:answer:1:"} <= set(merged.repair.answers)
        assert apart.what_next(merged.repair, who).what == "read"


def test_home_says_whose_part_the_talk_waits_for(homes, clock):
    p = start_pause(0, 20, clock.now())
    clock.advance(minutes=20)
    p.begin_checkin(clock.now())
    p.record_checkin(0, 7, True)
    p.record_checkin(1, 7, True)
    pause_store.save_active(homes.a, p)
    homes.settle()
    assert "Your part of the talk after the pause is waiting for you" in " ".join(pause_store.due_items(homes.a, clock.now()))
    mine = pause_store.active(homes.a)
    write(mine.repair, 0)
    pause_store.save_active(homes.a, mine)
    assert "Sam's part has not arrived yet" in " ".join(pause_store.due_items(homes.a, clock.now()))
