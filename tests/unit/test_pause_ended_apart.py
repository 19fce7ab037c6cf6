"""A pause ended at one home while the other home was still writing into it: what was written
lands with the pause in the log (each partner's own), and nothing unreadable is left behind."""

from __future__ import annotations

import pytest

from tui.core.pause import late_words, start_pause
from tui.store import pauses as pause_store

from tests.two_homes import make_two_homes
from tests.unit.test_repair_apart import write


@pytest.fixture
def homes(tmp_path, clock):
    h = make_two_homes(tmp_path, clock)
    yield h
    h.close()


def _in_repair(homes, clock):
    p = start_pause(0, 20, clock.now())
    clock.advance(minutes=20)
    p.begin_checkin(clock.now())
    p.record_checkin(0, 7, True)
    p.record_checkin(1, 7, True)
    pause_store.save_active(homes.a, p)
    homes.settle()


def test_left_for_now_as_the_first_answer_is_on_its_way(homes, clock):
    _in_repair(homes, clock)
    pause_store.finish(homes.a, pause_store.active(homes.a), clock.now(), repair="not yet")  # Ana
    sams = pause_store.active(homes.b)
    write(sams.repair, 1, "tired and unheard")  # Sam, before Ana's word arrives
    pause_store.save_active(homes.b, sams)
    homes.settle()
    for store in (homes.a, homes.b):
        pause_store.fold_remnant(store)
    homes.settle()
    for store in (homes.a, homes.b):
        assert store.table("pause_active").get(doc_id=1) is None  # no remnant left anywhere
        assert pause_store.active(store) is None
        (rec,) = pause_store.records(store)
        assert rec.repair == "not yet"
        assert rec.late == {1: [{"step": "felt", "kind": "answer", "text": "tired and unheard felt:answer:1:"}]}
        assert pause_store.due_items(store, clock.now()) == []


def test_home_folds_a_remnant_by_itself_and_twice_is_once(homes, clock):
    _in_repair(homes, clock)
    pause_store.finish(homes.a, pause_store.active(homes.a), clock.now(), repair="not yet")
    sams = pause_store.active(homes.b)
    write(sams.repair, 1)
    pause_store.save_active(homes.b, sams)
    homes.settle()
    pause_store.due_items(homes.a, clock.now())  # home asks: the remnant is folded
    assert homes.a.table("pause_active").get(doc_id=1) is None
    assert pause_store.fold_remnant(homes.a) is None
    assert len(pause_store.records(homes.a)[0].late[1]) == 1


def test_a_whole_pause_is_never_folded(homes, clock):
    _in_repair(homes, clock)
    assert pause_store.fold_remnant(homes.a) is None
    assert pause_store.active(homes.a) is not None


def test_late_words_leave_out_passes_and_keep_step_order():
    answers = {"side:speak:1:1": {"text": "my side"}, "felt:answer:1:": {"feelings": ["tired"], "text": ""},
               "felt:answer:0:": {"skipped": True}, "bad": {"text": "x"}, "part:answer:1:": "not a dict"}
    assert late_words(answers) == {1: [{"step": "felt", "kind": "answer", "feelings": ["tired"]},
                                       {"step": "side", "kind": "speak", "text": "my side"}]}
