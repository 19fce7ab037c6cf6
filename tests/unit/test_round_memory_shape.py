"""Issue 17: what a round keeps in memory. The card history is read a document at a time and not
kept; the round's year, once read whole, shares each repeated value as one object; a plain file's
saves keep each changed table's bytes once (by document), not a second time joined."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from tui import demo
from tui.core.decks import load_decks
from tui.core.rounds import Choices, new_round, plan_round
from tui.paths import deck_dirs
from tui.store import Store
from tui.store import rounds as store_rounds

from tests.conftest import START

SHAPE = replace(demo.DEMO, weeks=60, rounds_per_week=2)
CHOICES = Choices(decks=("knowing-you-now",), depth="light", unit="cards", length=5, mode="write", first="a")


@pytest.fixture
def a_year_and_more(db_path: Path) -> Path:
    with Store.open(db_path, background=False) as store:
        demo.populate(store, SHAPE, now=START)
    return db_path


def play_round(store: Store) -> store_rounds.RoundState:
    """One write-&-reveal round through the store calls the screens make."""
    decks = load_decks(deck_dirs())
    pool = [c for d in decks.decks if d.id in CHOICES.decks for c in d.cards]
    rng = random.Random(3)
    plan = plan_round(pool, CHOICES, usage=store_rounds.usage(store), seq=store_rounds.next_seq(store),
                      window=store_rounds.repeat_window(store), rng=rng)
    state = store_rounds.start_round(store, new_round(plan, CHOICES, deck_titles={}, names=("A", "B"),
                                                      now=START, rng=rng))
    t = START
    for _ in range(len(state.cards)):
        key = state.card.key
        for step in state.steps:
            if step.kind == "reveal":
                break
            state.submit("we walked to the river")
            store_rounds.save_round(store, state)
        store_rounds.earlier_answers(store, key, exclude=state.id)
        t += timedelta(minutes=3)
        state.finish_card(t)
        store_rounds.save_round(store, state)
    store_rounds.end_round(store, state, t)
    return state


def test_the_card_history_is_read_a_document_at_a_time_and_never_kept(a_year_and_more):
    """What the no-repeat rule and then-and-now need of the card history, without keeping it: a
    round reads and changes only its own cards' documents, and the file holds each use once."""
    with Store.open(a_year_and_more, background=False) as before:
        old = dict(before.storage.read()[store_rounds.USAGE])
    with Store.open(a_year_and_more) as store:  # lazy, as the app opens it
        state = play_round(store)
        store.storage.flush()
        tables = store.storage.read()
        assert store_rounds.USAGE not in tables.loaded and store_rounds.USAGE in tables.patched
        keys = [c.key for c in state.cards if c.status == "done"]
        last = store_rounds.usage(store)
        assert keys and all(last[k] == state.seq for k in keys)
        assert store_rounds.USAGE not in tables.loaded
        name = f"{store_rounds.PREFIX}{START.year}"
        assert name not in tables.loaded and name in tables.patched  # the round wrote itself in, unread
        year = tables[name]  # read whole when something needs all of it: shared as it is read
        assert name in tables.loaded and name not in tables.patched
        assert year[state.id.partition("-")[2]]["status"] == "done"
        this = state.id.partition("-")[2]  # (saved after the year was read: made by the round itself)
        statuses = [c["status"] for doc_id, doc in year.items() if doc_id != this for c in doc.get("cards", [])]
        done = [s for s in statuses if s == "done"]
        assert len(done) > 12 and all(s is done[0] for s in done)  # the round's year shares them too
    with Store.open(a_year_and_more, background=False) as again:  # and the file holds each use once
        on_disk = dict(again.storage.read()[store_rounds.USAGE])
    by_key = {doc["key"]: doc for doc in on_disk.values()}
    assert len(by_key) == len(on_disk)
    for key in keys:
        uses = by_key[key]["uses"]
        assert uses.count([state.id, state.seq]) == 1 and by_key[key]["last_seq"] == state.seq
    untouched = {doc_id: doc for doc_id, doc in old.items() if doc["key"] not in keys}
    assert untouched and all(on_disk[doc_id] == doc for doc_id, doc in untouched.items())
    assert all(isinstance(use, list) and len(use) == 2 for doc in on_disk.values() for use in doc["uses"])


def test_sharing_keeps_bools_floats_and_long_answers_as_they_are():
    doc = {"a": 1, "b": True, "c": [1.0, 1, False, 0], "d": {"x": "done", "y": "done"},
           "e": "x" * (store_rounds.SHARED_UP_TO + 1)}
    copy = json.loads(json.dumps(doc))
    other = json.loads(json.dumps(doc))
    strings: dict = {}
    ints: dict = {}
    store_rounds._share_in(copy, strings, ints)
    store_rounds._share_in(other, strings, ints)
    assert json.dumps(copy) == json.dumps(doc) and json.dumps(other) == json.dumps(doc)
    assert copy["b"] is True and copy["c"][2] is False and type(copy["c"][0]) is float
    assert copy["d"]["x"] is other["d"]["y"]
    assert copy["e"] is not other["e"]  # an answer: never looked up, never kept in the table of strings


def test_a_plain_file_keeps_each_changed_table_once_and_saves_it_whole(a_year_and_more):
    with Store.open(a_year_and_more) as store:
        play_round(store)
        store.storage.flush()
        storage = store.storage
        assert store_rounds.USAGE in storage._docs and not storage._joined
        line = storage._encode(store_rounds.USAGE, dict(storage.read()[store_rounds.USAGE]), set())
        assert isinstance(line, list) and len(line) > len(storage._docs[store_rounds.USAGE])  # in pieces, not joined
        store.table("settings").upsert({"theme": "dark"}, lambda d: True)  # another table changes
        storage.flush()
        expected = {name: dict(storage.read()[name]) for name in storage.read().loaded}
    with Store.open(a_year_and_more, background=False) as again:  # the unchanged ones saved whole again
        for name, table in expected.items():
            assert dict(again.storage.read()[name]) == table, name


def test_an_encrypted_file_still_keeps_its_sealed_lines(a_year_and_more, clock):
    from tests.unit.test_encrypted_store import CHEAP, P1

    with Store.open(a_year_and_more, clock=clock, background=False) as s:
        s.encrypt({"partner-1": P1, "partner-2": "second partner passphrase"}, cost=CHEAP)
    with Store.open(a_year_and_more, clock=clock, passphrase=P1) as store:
        play_round(store)
        store.storage.flush()
        assert store_rounds.USAGE in store.storage._joined
        store.table("settings").upsert({"theme": "dark"}, lambda d: True)
        store.storage.flush()
        history = dict(store.storage.read()[store_rounds.USAGE])
    with Store.open(a_year_and_more, clock=clock, passphrase=P1, background=False) as again:
        assert dict(again.storage.read()[store_rounds.USAGE]) == history
