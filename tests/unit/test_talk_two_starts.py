"""Talk it through begun at both homes at the same moment: one talk at both (the same one
whatever order the files arrive in), the other's start folds into it, nothing typed is lost; and
home says a talk is open and whose turn it is."""

from __future__ import annotations

import random

import pytest

from tui.core.talk import start_talk
from tui.store import pauses as pause_store
from tui.store import talks as talk_store
from tui.store.drafts import load_draft

from tests.two_homes import make_two_homes


@pytest.fixture
def homes(tmp_path, clock):
    h = make_two_homes(tmp_path, clock)
    yield h
    h.close()


def _both_begin(homes, clock, anas_first: int, sams_first: int):
    ana = start_talk(anas_first, clock.now(), topic="the weekend")
    talk_store.save_talk(homes.a, ana)
    sam = start_talk(sams_first, clock.now(), turn_minutes=5)
    if sam.speaker == 1:
        sam.speak("I missed you on Saturday", clock.now())
    talk_store.save_talk(homes.b, sam)
    return ana, sam


def _copy_of(homes, src, dst, clock):
    """The same two homes (the same computers, the same files written), copied to replay the
    folder sync in another order."""
    import shutil

    from tui.store import Store

    from tests.two_homes import TwoHomes

    from tui.store.sync_watch import LINK_TABLE

    shutil.copytree(src, dst)
    stores = []
    for side in ("a", "b"):
        store = Store.open(dst / side / "hearth.json", clock=clock, background=False)
        store.db.table(LINK_TABLE).update({"folder": str(dst / f"sync-{side}")}, doc_ids=[1])
        stores.append(store)
    return TwoHomes(stores[0], stores[1], dst / "sync-a", dst / "sync-b", clock)


@pytest.mark.parametrize("firsts", [(0, 1), (1, 0), (0, 0), (1, 1)])
def test_two_starts_at_once_end_as_one_talk_and_nothing_typed_is_lost(tmp_path, clock, firsts):
    first = make_two_homes(tmp_path / "start", clock)
    ana, sam = _both_begin(first, clock, *firsts)
    first.merge()  # each computer writes its start into its own change file
    first.close()
    winners = set()
    for seed in range(4):
        homes = _copy_of(first, tmp_path / "start", tmp_path / f"order-{seed}", clock)
        rng = random.Random(seed)
        for _ in range(3):  # files arrive late, some at a time, in an order the seed picks
            homes.merge(*rng.sample([homes.a, homes.b], 2))
            homes.ship(rng=rng, share=0.5)
        homes.settle()
        at_a, at_b = talk_store.active_talk(homes.a), talk_store.active_talk(homes.b)
        assert at_a.to_dict() == at_b.to_dict()  # one talk, the same at both homes
        winners.add(at_a.id)
        for store, mine, me in ((homes.a, ana, 0), (homes.b, sam, 1)):
            if mine.to_dict() == at_a.to_dict():
                continue  # this home's start is the one kept
            said = [e.text for e in mine.entries]
            if said:  # folded by the merge itself, once, whatever screen is open
                assert load_draft(store, at_a.next_speak_key(me)) == said[0]  # waits in the box
        homes.close()
    assert len(winners) == 1  # the same winner, whatever order the files came in


def test_what_was_being_typed_in_the_lost_talk_is_kept_too(homes, clock):
    from tui.store.drafts import save_draft

    ana, sam = _both_begin(homes, clock, 0, 0)
    save_draft(homes.b, sam.draft_key(), "half a thought")  # Sam was summing up... no: Sam typing
    homes.settle()
    kept = talk_store.active_talk(homes.a)
    texts = [load_draft(homes.b, k) for k in (kept.next_speak_key(1),)] + [talk_store.aside(homes.b)]
    assert any(t and "half a thought" in t for t in texts) or \
        load_draft(homes.b, sam.draft_key()) == "half a thought"  # the kept talk was Sam's own


def test_home_says_a_talk_is_open_and_whose_turn_it_is(homes, clock):
    talk = start_talk(1, clock.now())
    talk_store.save_talk(homes.b, talk)
    homes.settle()
    assert "A talk is open: it's Sam's turn to speak (press 2, then t)." in pause_store.due_items(homes.a, clock.now())
    assert "A talk is open: it's your turn to speak (press 2, then t)." in pause_store.due_items(homes.b, clock.now())
    talk.speak("a piece", clock.now())
    talk_store.save_talk(homes.b, talk)
    homes.settle()
    assert "A talk is open: it's your turn to say back what you heard (press 2, then t)." in \
        pause_store.due_items(homes.a, clock.now())


def test_at_one_keyboard_home_says_nothing_new(tmp_path, clock):
    from tui.store import Store

    store = Store.open(tmp_path / "one.json", clock=clock, background=False)
    talk_store.save_talk(store, start_talk(0, clock.now()))
    assert not any("A talk is open" in line for line in pause_store.due_items(store, clock.now()))
    store.close()
