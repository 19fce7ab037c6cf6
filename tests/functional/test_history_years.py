"""Issue 17, History at many years: search runs in a worker, its results arrive a year at a time
while typing goes on, the list opens from the index without reading a year of rounds, and words
not revealed never show, in results or in the index."""

from __future__ import annotations

import json
import random
import threading
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta

import pytest

from tui import demo
from tui.core.rounds import Choices, new_round, plan_round
from tui.screens.history.browse import HistoryScreen
from tui.screens.history.lazy_list import CHUNK, NEAR
from tui.screens.shell.home import HomeScreen
from tui.store import Store
from tui.store import round_index
from tui.store import rounds as store_rounds

from tests.conftest import START
from tests.functional.test_rounds_screens import app_factory, decks_dir, seed_round  # noqa: F401 - fixtures
from tests.helpers import screen_text, type_text, wait_for


async def open_search(pilot, app) -> HistoryScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    await pilot.press("h")
    await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
    await pilot.press("slash")
    return app.screen


def info(app) -> str:
    return str(app.screen.query_one("#search-info").render())


@asynccontextmanager
async def search_held(app_factory, monkeypatch, words: str, shown: str):
    """History's search for `words`, with the newest year's results handed on at once and the
    worker then held until the yielded event is set; yields (app, pilot, event) once `shown` is
    in the results line."""
    go_on = threading.Event()
    real = store_rounds.search_by_year

    def held(*args, **kwargs):
        for i, hits in enumerate(real(*args, **kwargs)):
            if i == 1:
                assert go_on.wait(10), "never let go on"
            yield hits

    monkeypatch.setattr(store_rounds, "search_by_year", held)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_search(pilot, app)
        await type_text(pilot, words)
        await wait_for(pilot, lambda: shown in info(app))
        yield app, pilot, go_on


async def test_results_arrive_from_the_worker_while_typing_goes_on(app_factory, ready_store, clock, monkeypatch):
    seed_round(ready_store, app_factory().decks, "tiny/t1", clock.now() - timedelta(days=400), ("a river walk", "x"))
    seed_round(ready_store, app_factory().decks, "tiny/t2", clock.now() - timedelta(days=2), ("the river again", "y"))
    async with search_held(app_factory, monkeypatch, "river", "1 found so far for “river”") as (app, pilot, go_on):
        assert "the river again" in screen_text(app) and "a river walk" not in screen_text(app)
        await type_text(pilot, " walk")  # the worker is still held: typing is not
        assert app.screen.query_one("#search").value == "river walk"
        go_on.set()
        await wait_for(pilot, lambda: "1 found for “river walk”." in info(app))
        assert "a river walk" in screen_text(app) and "the river again" not in screen_text(app)


async def test_an_older_years_results_leave_the_highlight_where_it_is(app_factory, ready_store, clock, monkeypatch):
    for days in (2, 3, 400):
        seed_round(ready_store, app_factory().decks, "tiny/t1", clock.now() - timedelta(days=days),
                   (f"stone {days}", "x"))
    async with search_held(app_factory, monkeypatch, "stone", "2 found so far") as (app, pilot, go_on):
        hits = app.screen.query_one("#hits")
        hits.focus()
        await pilot.press("down")
        assert hits.highlighted == 1
        go_on.set()
        await wait_for(pilot, lambda: "3 found for “stone”." in info(app))
        assert hits.highlighted == 1 and hits.option_count == 3


async def test_many_results_are_drawn_a_few_at_a_time_and_all_arrive(app_factory, ready_store, clock):
    for days in range(60):
        seed_round(ready_store, app_factory().decks, "tiny/t1", clock.now() - timedelta(days=days + 1),
                   (f"pebble {days}", "x"))
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_search(pilot, app)
        await type_text(pilot, "pebble")
        await wait_for(pilot, lambda: "60 found for “pebble”." in info(app))
        hits = app.screen.query_one("#hits")
        made = hits.option_count  # what fits (two lines a hit), and some
        assert hits.size.height <= 2 * made < 60 and hits.waiting == 60 - made
        assert "pebble 0" in screen_text(app)  # newest first
        hits.focus()
        for _ in range(made - NEAR):
            await pilot.press("down")
        await wait_for(pilot, lambda: hits.option_count == made + CHUNK)  # near the end: the next chunk
        await pilot.press("end")
        await wait_for(pilot, lambda: hits.option_count == 60 and hits.highlighted == 59)
        assert "pebble 59" in screen_text(app)


def unrevealed_round(store: Store, decks, when) -> None:
    """Card 1 revealed; card 2 answered by Ana alone, then the round ended (her answer kept for
    herself); a Talk note is never private, so none here."""
    cards = [decks.card("tiny/t1"), decks.card("tiny/t2")]
    choices = Choices(decks=("tiny",), depth="light", length=2, mode="write", first="a")
    plan = plan_round(cards, choices, usage={}, seq=1, window=20, rng=random.Random(1))
    state = store_rounds.start_round(store, new_round(plan, choices, deck_titles={"tiny": "Tiny deck"},
                                                      names=("Ana", "Sam"), now=when, rng=random.Random(1)))
    state.submit("SHOWNWORD together")
    state.submit("SHOWNWORD too")
    state.finish_card(when)
    state.submit("SECRETWORD of mine")
    state.end_early(keep=[state.card.leader] if state.card else [0])
    store_rounds.end_round(store, state, when)


async def test_words_never_revealed_stay_out_of_results_and_the_index(app_factory, ready_store, clock):
    unrevealed_round(ready_store, app_factory().decks, clock.now() - timedelta(days=3))
    stored = json.dumps(ready_store.storage.peek(store_rounds._shards(ready_store)[0]))
    assert "SECRETWORD" in stored  # kept for its writer: stored, never shown
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_search(pilot, app)
        await type_text(pilot, "secretword")
        await wait_for(pilot, lambda: "Nothing found for “secretword”." in info(app))
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "shownword")
        await wait_for(pilot, lambda: "2 found for “shownword”." in info(app))
    rows = [round_index.read_year(ready_store, n).entry for n in store_rounds._shards(ready_store)]
    assert "SECRETWORD" not in json.dumps(rows) and "SHOWNWORD" not in json.dumps(rows)


@pytest.fixture
def years_db(tmp_path):
    path = tmp_path / "years" / "hearth.json"
    with Store.open(path, background=False) as store:
        demo.populate(store, replace(demo.DEMO, weeks=70, rounds_per_week=2), now=START)
    return path


async def test_history_opens_from_the_index_without_reading_a_year(make_app, years_db, clock):
    for first in (True, False):
        store = Store.open(years_db, clock=clock)  # lazily, as the app opens it
        try:
            app = make_app(store)
            async with app.run_test(size=(100, 30)) as pilot:
                await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
                await pilot.press("h")
                await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen._counted)
                listing = app.screen.query_one("#rounds")
                newest = store_rounds.round_summaries(store)[0]
                assert listing.get_option_at_index(0).id == newest.id
                read = [n for n in store.storage._tables.loaded if n.startswith("rounds_")]
                if not first:  # the first open made the index; the next reads only that
                    assert read == [], read
                await pilot.press("escape")
                await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        finally:
            store.close()
