"""Two talks begun at the same moment at two homes, and the one that lost the merge holds words
already written: they are kept (in that partner's box of the one talk, or set aside), once, at
the home that wrote them, whatever screen is open (here: none at all) and in whatever order the
change files arrive. Issue 19: "no typed word lost, ever"."""

from __future__ import annotations

import random

import pytest

from tui.core.talk import Talk, start_talk
from tui.store import talks as talk_store
from tui.store.drafts import drafts_with_prefix, save_draft

from tests.two_homes import make_two_homes

WORDS = {0: "Ana wrote this before stepping away", 1: "Sam wrote this before stepping away"}
TYPING = {0: "Ana was half way through", 1: "Sam was half way through"}


def _begin(store, me: int, first: int, clock, *, typing: bool) -> Talk:
    """`me` begins a talk at their own computer; if they hold the floor they write a piece, and
    perhaps start typing the next (a draft, never sent). Then they leave the Talk screen."""
    talk = start_talk(first, clock.now(), topic=f"begun by {me}", home=me)
    if talk.speaker == me:
        talk.speak(WORDS[me], clock.now())
    talk_store.save_talk(store, talk)
    if typing:
        save_draft(store, talk.draft_key(), TYPING[me])
    return talk


def _kept_at(store, winner: Talk) -> str:
    """Everything that waits for this partner: drafts of the one talk and the words set aside."""
    texts = list(drafts_with_prefix(store, f"talk:{winner.id}:").values())
    texts.append(talk_store.aside(store) or "")
    return "\n".join(texts)


@pytest.mark.parametrize("firsts", [(0, 1), (1, 0), (0, 0), (1, 1)])
@pytest.mark.parametrize("seed", range(3))
def test_words_of_the_talk_that_lost_are_kept_with_no_screen_open(tmp_path, clock, firsts, seed):
    homes = make_two_homes(tmp_path, clock)
    try:
        mine = {0: _begin(homes.a, 0, firsts[0], clock, typing=seed != 1),
                1: _begin(homes.b, 1, firsts[1], clock, typing=seed != 2)}
        rng = random.Random(seed)
        for _ in range(3):  # the files arrive late, some at a time, in an order the seed picks
            homes.merge(*rng.sample([homes.a, homes.b], 2))
            homes.ship(rng=rng, share=0.5)
        homes.settle()
        homes.settle()  # and again: nothing is folded twice
        at_a, at_b = talk_store.active_talk(homes.a), talk_store.active_talk(homes.b)
        assert at_a.to_dict() == at_b.to_dict()
        for store, me in ((homes.a, 0), (homes.b, 1)):
            lost = mine[me]
            if lost.id == at_a.id:
                continue  # this home's own start is the one kept: its words are in the talk
            kept = _kept_at(store, at_a)
            if lost.speaker == me:
                assert kept.count(WORDS[me]) == 1, kept
            if (me == 0 and seed != 1) or (me == 1 and seed != 2):
                assert kept.count(TYPING[me]) == 1, kept
            assert not drafts_with_prefix(store, f"talk:{lost.id}:")  # no stray drafts left
    finally:
        homes.close()


def test_the_same_start_at_the_same_second_is_told_apart(clock):
    """Both homes pressing the same 'Ana starts' in the same second still begin two talks."""
    assert start_talk(0, clock.now(), home=0).id != start_talk(0, clock.now(), home=1).id
    assert start_talk(0, clock.now()).id == start_talk(0, clock.now()).id  # one keyboard: as before


def test_a_talk_ended_with_my_choice_brings_nothing_back(tmp_path, clock):
    """A talk both chose to end is not 'lost': words its writer chose not to keep stay gone."""
    homes = make_two_homes(tmp_path, clock)
    try:
        talk = _begin(homes.a, 0, 0, clock, typing=False)
        homes.settle()
        for store, me in ((homes.a, 0), (homes.b, 1)):
            t = talk_store.active_talk(store)
            t.stop_here(clock.now()) if t.stage != "keep" else None
            t.keep_mine(me, False, False)
            talk_store.save_talk(store, t)
            homes.settle()
        t = talk_store.active_talk(homes.a)
        assert t.both_chose()
        talk_store.end_talk(homes.a, t, keep={0: False, 1: False})
        homes.settle()
        assert talk_store.active_talk(homes.b) is None
        for store in (homes.a, homes.b):
            assert talk_store.aside(store) is None
            assert not drafts_with_prefix(store, "talk:")
    finally:
        homes.close()


def test_the_talk_screen_is_told_once_that_words_were_kept(tmp_path, clock):
    homes = make_two_homes(tmp_path, clock)
    try:
        _begin(homes.a, 0, 0, clock, typing=True)
        _begin(homes.b, 1, 1, clock, typing=True)
        homes.settle()
        kept = talk_store.active_talk(homes.a)
        loser = homes.b if kept.id.endswith("-h0") else homes.a
        assert talk_store.take_fold_note(loser) is True
        assert talk_store.take_fold_note(loser) is False  # said once
        winner = homes.a if loser is homes.b else homes.b
        assert talk_store.take_fold_note(winner) is False
    finally:
        homes.close()


def test_typing_on_after_the_merge_kept_the_words_keeps_them_once(tmp_path, clock):
    """The Talk screen was open: the merge kept what had been saved of the box, then the screen
    saved what was typed since (more of the same words) under the talk that lost."""
    homes = make_two_homes(tmp_path, clock)
    try:
        mine = {0: _begin(homes.a, 0, 1, clock, typing=True), 1: _begin(homes.b, 1, 0, clock, typing=True)}
        homes.settle()
        kept = talk_store.active_talk(homes.a)
        loser, me = (homes.b, 1) if kept.id == mine[0].id else (homes.a, 0)
        save_draft(loser, mine[me].draft_key(), TYPING[me] + ", and then some")
        talk_store.keep_lost(loser)
        talk_store.keep_lost(loser)
        box = _kept_at(loser, kept)
        assert box.count(TYPING[me]) == 1 and TYPING[me] + ", and then some" in box
    finally:
        homes.close()
