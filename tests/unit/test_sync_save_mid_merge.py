"""A save made on screen while a merge is under way: it must not wait for the merge (the screen's
thread would freeze for as long as the merge takes), and it must not be written over or left
unsent (the merge read the database before it and writes in what came in after it).

The merge is held at a point of its own choosing with events, the save is made from another
thread, and the test waits on the save, not on time: before the merge stopped holding the
database's lock throughout, the save could only finish once the merge was let go."""

from __future__ import annotations

import random
import threading

import pytest

from tests.two_homes import make_two_homes
from tui.core import apart
from tui.core.decks import Card
from tui.core.rounds import Choices, new_round, plan_round
from tui.store import apart_rounds, drafts, sync
from tui.store import rounds as store_rounds
from tui.store.profile import set_setting, setting

#: How long the test waits for a save that should be made at once before it says it waited.
PROMPT = 10.0


@pytest.fixture(params=["here", "apart"])
def homes(request, tmp_path, clock, monkeypatch):
    """Both ways the CRDT runs: in this process (`hearth sync`), in a child process (the app)."""
    monkeypatch.setattr(sync, "APART", request.param == "apart")
    found = make_two_homes(tmp_path, clock)
    yield found
    found.close()
    from tui.store import sync_child

    sync_child.close_all()


def start_apart(store, n: int = 2):
    cards = [Card("d", f"c{i}", f"Question {i}?", 1, "question", know_me=True) for i in range(n)]
    choices = Choices(decks=("d",), depth="light", length=n, mode="write", first="a")
    rng = random.Random(2)
    plan = plan_round(cards, choices, usage={}, seq=1, window=20, rng=rng)
    state = new_round(plan, choices, deck_titles={"d": "Deck"}, names=("Ana", "Sam"), now=store.clock.now(), rng=rng)
    state.apart = True
    return store_rounds.start_round(store, state)


class Held:
    """Holds Ana's next merge just before it writes in what came in (after it has read what
    changed here and taken in the other home's files), until `go` is set."""

    def __init__(self, homes, monkeypatch) -> None:
        self.inside, self.go = threading.Event(), threading.Event()
        real = sync.Replica.apply

        def held_apply(replica, changed, report):
            if replica.store is homes.a and not self.inside.is_set():
                self.inside.set()
                assert self.go.wait(PROMPT * 3), "the test never let the merge go on"
            return real(replica, changed, report)

        monkeypatch.setattr(sync.Replica, "apply", held_apply)
        self.reports: list[sync.SyncReport] = []
        self.merging = threading.Thread(target=lambda: self.reports.extend(homes.merge(homes.a)))

    def __enter__(self) -> "Held":
        self.merging.start()
        assert self.inside.wait(PROMPT), "the merge never reached the point it is held at"
        return self

    def __exit__(self, *exc: object) -> None:
        self.go.set()
        self.merging.join(PROMPT * 3)
        assert not self.merging.is_alive()


def made_at_once(save) -> bool:
    """Run `save` in a thread of its own (the screen's); whether it finished while the merge is
    still held (it waits PROMPT seconds for that, never for the merge)."""
    done = threading.Event()
    failed: list[BaseException] = []

    def run() -> None:
        try:
            save()
        except BaseException as exc:  # pragma: no cover - shown by the assert below
            failed.append(exc)
        finally:
            done.set()

    threading.Thread(target=run, daemon=True).start()
    finished = done.wait(PROMPT)
    assert not failed, failed
    return finished


def test_a_draft_saved_mid_merge_does_not_wait_for_it(homes, monkeypatch):
    set_setting(homes.b, "pause_minutes", 33)
    homes.merge(homes.b)
    homes.ship()
    with Held(homes, monkeypatch) as held:
        assert made_at_once(lambda: drafts.save_draft(homes.a, "round:1:card:0:partner:0", "half a thought")), \
            "a draft saved while the merge was under way waited for the whole merge"
        assert not held.go.is_set() and held.merging.is_alive()
    assert drafts.load_draft(homes.a, "round:1:card:0:partner:0") == "half a thought"
    assert setting(homes.a, "pause_minutes") == 33


@pytest.mark.parametrize("sending", [False, True], ids=["nothing-to-send", "sending-too"])
def test_a_setting_saved_mid_merge_is_kept_and_sent_with_what_came_in(homes, monkeypatch, sending):
    """The other home changed one field of the settings, this one another, in the middle of the
    merge that brings the first in (and, `sending`, that sends a change made here before it):
    both hold at both homes."""
    set_setting(homes.b, "pause_minutes", 33)
    homes.merge(homes.b)
    homes.ship()
    if sending:
        set_setting(homes.a, "repeat_window", 7)
    with Held(homes, monkeypatch) as held:
        assert made_at_once(lambda: set_setting(homes.a, "checkin_words", "Ana, mid-merge"))
        assert held.merging.is_alive()
    assert held.reports and not held.reports[0].problems
    assert setting(homes.a, "checkin_words") == "Ana, mid-merge"  # not written over by the merge
    homes.settle()
    for store in (homes.a, homes.b):
        assert setting(store, "pause_minutes") == 33 and setting(store, "checkin_words") == "Ana, mid-merge"
        assert setting(store, "repeat_window") == (7 if sending else 20)


def test_an_answer_saved_mid_merge_to_the_round_that_came_in_keeps_both(homes, monkeypatch):
    """Sam's answer to card 1 is coming in; Ana answers card 1 too while the merge that brings it
    is under way. Neither waits for the other, and both answers are in the round at both homes."""
    state = start_apart(homes.a)
    homes.settle()
    apart_rounds.answer(homes.b, state.id, 0, 1, "Sam on 1", homes.clock.now())
    homes.merge(homes.b)
    homes.ship()
    with Held(homes, monkeypatch) as held:
        assert made_at_once(lambda: apart_rounds.answer(homes.a, state.id, 0, 0, "Ana on 1", homes.clock.now())), \
            "an answer given while the merge was under way waited for the whole merge"
        assert held.merging.is_alive()
    at_a = apart_rounds.load(homes.a, state.id)
    assert at_a.cards[0].answers == {0: "Ana on 1", 1: "Sam on 1"}
    homes.settle()
    for store in (homes.a, homes.b):
        card = apart_rounds.load(store, state.id).cards[0]
        assert card.answers == {0: "Ana on 1", 1: "Sam on 1"}
        assert apart.ready(card)


def test_a_round_removed_here_mid_merge_stays_removed(homes, monkeypatch):
    """A change to a round comes in while this home deletes it (History): the delete made here,
    after the merge read the database, is not undone by the merge writing the round back."""
    state = start_apart(homes.a)
    homes.settle()
    apart_rounds.answer(homes.b, state.id, 0, 1, "Sam on 1", homes.clock.now())
    homes.merge(homes.b)
    homes.ship()
    with Held(homes, monkeypatch):
        assert made_at_once(lambda: store_rounds.delete_round(homes.a, state.id))
    assert store_rounds.get_round(homes.a, state.id) is None
    homes.settle()
    for store in (homes.a, homes.b):
        assert store_rounds.get_round(store, state.id) is None
