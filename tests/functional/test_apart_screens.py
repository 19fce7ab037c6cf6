"""Pilot tests of a round played apart: Ana's Hearth runs, Sam's computer is simulated with store
calls on the other home, and what he sends arrives while the screen is open."""

from __future__ import annotations

import asyncio
import random
import threading
from pathlib import Path

import pytest
from textual.widgets import Select

from tests.helpers import screen_text, type_text, wait_for
from tests.two_homes import make_two_homes
from tui.app import HearthApp
from tui.core.clock import FakeClock
from tui.core.decks import Card
from tui.core.rounds import Choices, new_round, plan_round
from tui.screens.rounds.apart_play import ApartPlayScreen
from tui.screens.rounds.setup import DeckPicker, RoundSetupScreen
from tui.screens.shell.home import HomeScreen
from tui.store import apart_rounds
from tui.store import rounds as store_rounds
from tui.widgets.draft_area import DraftArea
from tui.widgets.toggles import MarkedCheckbox

DECK = """
[deck]
id = "tiny"
title = "Tiny deck"
description = "A few cards, for tests."

[[cards]]
id = "t1"
text = "What made you smile this week?"
depth = 1
know_me = true

[[cards]]
id = "t2"
text = "Which small habit of yours are you proud of?"
depth = 1
know_me = true
"""


@pytest.fixture
def decks_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "tiny.toml").write_text(DECK, encoding="utf-8")
    return folder


@pytest.fixture
def homes(tmp_path):
    found = make_two_homes(tmp_path, FakeClock())
    yield found
    found.close()


def start_apart(store, mode: str = "write", n: int = 2):
    cards = [Card("tiny", f"t{i + 1}", f"Question {i + 1}?", 1, "question", know_me=True) for i in range(n)]
    choices = Choices(decks=("tiny",), depth="light", length=n, mode=mode, first="a")
    rng = random.Random(2)
    plan = plan_round(cards, choices, usage={}, seq=1, window=20, rng=rng)
    state = new_round(plan, choices, deck_titles={"tiny": "Tiny deck"}, names=("Ana", "Sam"),
                      now=store.clock.now(), rng=rng)
    state.apart = True
    return store_rounds.start_round(store, state)


def sam_answers(homes, round_id: str, index: int, text: str) -> None:
    """At Sam's computer: what Ana's sent arrives, he answers, and his answer goes into the folder."""
    homes.ship()
    homes.merge(homes.b)
    apart_rounds.answer(homes.b, round_id, index, 1, text, homes.clock.now())
    homes.merge(homes.b)
    homes.ship()


async def open_apart(pilot, app, round_id: str) -> ApartPlayScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    app.push_screen(ApartPlayScreen(round_id))
    await wait_for(pilot, lambda: isinstance(app.screen, ApartPlayScreen) and app.screen._view != "blank")
    return app.screen


async def answer(pilot, screen, text: str) -> None:
    screen.query_one("#answer", DraftArea).insert(text)
    await pilot.press("ctrl+s")


async def test_the_reveal_appears_when_the_other_answer_arrives_and_not_before(homes, decks_dir):
    state = start_apart(homes.a)
    homes.settle()
    app = HearthApp(homes.a, [decks_dir], clock=homes.clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_apart(pilot, app, state.id)
        assert screen._view == "answer" and state.cards[0].text in screen_text(app)
        assert "your turn · only you can see this" in screen_text(app)
        await answer(pilot, screen, "Ana one")
        await wait_for(pilot, lambda: screen.index == 1)
        await answer(pilot, screen, "Ana two")
        await wait_for(pilot, lambda: screen._view == "wait")
        assert "Waiting for" in screen_text(app) and "Sam has not answered cards 1 and 2 yet" in screen_text(app)

        # Sam answers card 1 at his computer; until it has come in, nothing of his shows
        await wait_for(pilot, lambda: app.homes is not None)
        app.homes.merge()
        await wait_for(pilot, lambda: apart_rounds.load(homes.a, state.id) is not None)
        sam_answers(homes, state.id, 0, "SAMSECRET")
        assert "SAMSECRET" not in screen_text(app)
        app.homes.merge()
        await wait_for(pilot, lambda: screen._view == "reveal", tries=500)
        await pilot.pause()
        text = screen_text(app)
        assert "SAMSECRET" in text and "Ana one" in text and state.cards[0].text in text
        # both computers count it as shared; Sam's own reveal is still his to see
        assert store_rounds.get_round(homes.a, state.id).cards[0].status == "done"
        await pilot.press("n")
        await wait_for(pilot, lambda: screen._view == "wait")
        assert "Sam has not answered card 2 yet" in screen_text(app)


async def test_what_i_type_stays_while_the_others_answer_arrives(homes, decks_dir):
    state = start_apart(homes.a)
    homes.settle()
    app = HearthApp(homes.a, [decks_dir], clock=homes.clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_apart(pilot, app, state.id)
        await answer(pilot, screen, "Ana one")
        await wait_for(pilot, lambda: screen.index == 1 and screen._view == "answer")
        await pilot.pause()
        await type_text(pilot, "half typed")
        app.homes.merge()
        await wait_for(pilot, lambda: apart_rounds.load(homes.a, state.id) is not None)
        await pilot.pause(0.2)
        sam_answers(homes, state.id, 0, "SAMSECRET")
        app.homes.merge()
        await wait_for(pilot, lambda: "ready to reveal" in screen_text(app), tries=500)
        assert screen._view == "answer" and screen.query_one("#answer", DraftArea).text == "half typed"
        assert "SAMSECRET" not in screen_text(app)
        await type_text(pilot, " and done")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen._view == "reveal")
        assert "SAMSECRET" in screen_text(app)
        saved = store_rounds.get_round(homes.a, state.id)
        assert saved.cards[1].answers == {0: "half typed and done"}
        assert saved.cards[0].answers == {0: "Ana one", 1: "SAMSECRET"}


async def test_setup_offers_apart_only_on_one_partners_computer_and_not_for_talk(homes, decks_dir, make_app):
    app = make_app(None, [decks_dir])  # not linked: played together, as always
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("1")
        await wait_for(pilot, lambda: isinstance(app.screen, RoundSetupScreen))
        assert not app.screen.query("#apart")
    app = HearthApp(homes.a, [decks_dir], clock=homes.clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("1")
        await wait_for(pilot, lambda: isinstance(app.screen, RoundSetupScreen))
        setup = app.screen
        setup.query_one("#decks", DeckPicker).toggle_index(0)
        setup.query_one("#mode", Select).value = "talk"
        setup.query_one("#apart", MarkedCheckbox).value = True
        await pilot.pause()
        assert "together or on a call" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RoundSetupScreen)  # Talk is not started apart
        setup.query_one("#mode", Select).value = "write"
        setup.query_one("#length", Select).value = "cards:3"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ApartPlayScreen) and app.screen._view == "answer")
        round_id = app.screen.round_id
    started = store_rounds.get_round(homes.a, round_id)
    assert started.apart and started.mode == "write" and len(started.cards) == 2
    from tui.store.profile import setting

    assert setting(homes.a, "round_apart") is True  # offered ticked next time, at this computer only


async def test_home_opens_a_round_the_other_started_apart(homes, decks_dir):
    state = start_apart(homes.a, "knowme", n=1)  # about Ana: Sam guesses
    homes.settle()
    sam = HearthApp(homes.b, [decks_dir], clock=homes.clock)
    async with sam.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(sam.screen, HomeScreen))
        await pilot.press("1")
        await wait_for(pilot, lambda: isinstance(sam.screen, RoundSetupScreen))
        await pilot.pause()
        offer = " ".join(screen_text(sam).replace("│", " ").split())
        assert "Know me, played apart since" in offer and "Your turn: card 1. Pick it up?" in offer
        await pilot.press("enter")  # Resume has the focus
        await wait_for(pilot, lambda: isinstance(sam.screen, ApartPlayScreen) and sam.screen._view == "answer")
        assert "How do you think" in screen_text(sam) and "Ana" in screen_text(sam)


async def test_words_typed_when_the_other_passes_are_kept_for_their_writer(homes, decks_dir):
    state = start_apart(homes.a, n=2)
    homes.settle()
    app = HearthApp(homes.a, [decks_dir], clock=homes.clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_apart(pilot, app, state.id)
        await type_text(pilot, "not finished")
        app.homes.merge()
        await wait_for(pilot, lambda: apart_rounds.load(homes.a, state.id) is not None)
        await pilot.pause(0.2)
        homes.ship()
        homes.merge(homes.b)
        apart_rounds.pass_card(homes.b, state.id, 0, 1, homes.clock.now())
        homes.merge(homes.b)
        homes.ship()
        app.homes.merge()
        await wait_for(pilot, lambda: screen.index == 1, tries=500)
        await pilot.pause()
        assert "Sam passed on card 1" in screen_text(app) and "kept for you alone" in screen_text(app)
        card = store_rounds.get_round(homes.a, state.id).cards[0]
        assert card.status == "passed" and card.kept == {0: "not finished"} and card.answers == {}


async def test_history_on_sams_computer_never_offers_anas_kept_or_lone_answers(homes, decks_dir):
    from tui.screens.history.browse import RoundDetailScreen

    state = start_apart(homes.a, n=2)
    apart_rounds.answer(homes.a, state.id, 0, 0, "ANA KEPT", homes.clock.now())
    apart_rounds.pass_card(homes.a, state.id, 0, 0, homes.clock.now())
    apart_rounds.answer(homes.a, state.id, 1, 0, "ANA ALONE", homes.clock.now())
    homes.settle()
    sam = HearthApp(homes.b, [decks_dir], clock=homes.clock)
    async with sam.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(sam.screen, HomeScreen))
        sam.push_screen(RoundDetailScreen(state.id))
        await wait_for(pilot, lambda: isinstance(sam.screen, RoundDetailScreen))
        await pilot.pause()
        text = screen_text(sam)
        assert "ANA" not in text and "kept for yourself" not in text and not sam.screen.query(".kept")
    ana = HearthApp(homes.a, [decks_dir], clock=homes.clock)
    async with ana.run_test(size=(100, 30)) as pilot:  # on her own computer, hers is there
        await wait_for(pilot, lambda: isinstance(ana.screen, HomeScreen))
        ana.push_screen(RoundDetailScreen(state.id))
        await wait_for(pilot, lambda: isinstance(ana.screen, RoundDetailScreen))
        await pilot.pause()
        assert "kept for yourself" in screen_text(ana)


def both_answer_knowme(homes, n: int = 2):
    """A Know me round both have answered in full, at their own computers, merged on both."""
    state = start_apart(homes.a, "knowme", n=n)  # card 1 about Ana, card 2 about Sam
    homes.settle()
    now = homes.clock.now()
    for i in range(n):
        apart_rounds.answer(homes.a, state.id, i, 0, f"ANA{i + 1}", now)
        apart_rounds.answer(homes.b, state.id, i, 1, f"SAM{i + 1}", now)
    homes.settle()
    return state


async def test_when_the_other_ends_the_round_it_says_so_and_every_ready_reveal_still_opens(homes, decks_dir):
    state = both_answer_knowme(homes)
    sam = HearthApp(homes.b, [decks_dir], clock=homes.clock)
    async with sam.run_test(size=(80, 24)) as pilot:
        screen = await open_apart(pilot, sam, state.id)
        assert screen._view == "reveal" and screen.index == 0
        await wait_for(pilot, lambda: sam.homes is not None)
        sam.homes.merge()
        # at Ana's computer: she sees card 1's reveal, then ends the round
        homes.ship()
        homes.merge(homes.a)
        apart_rounds.reveal(homes.a, state.id, 0, 0, homes.clock.now())
        apart_rounds.end_here(homes.a, state.id, homes.clock.now(), closings=["Say thanks."])
        homes.merge(homes.a)
        homes.ship()
        sam.homes.merge()
        await wait_for(pilot, lambda: "Ana ended the round" in screen_text(sam), tries=500)
        assert screen._view == "reveal" and screen.index == 0  # said at once, still on card 1
        # said on the card itself, so no notice covers what is being read
        assert not any("ended the round" in n.message for n in sam._notifications)
        await pilot.press("n")
        await wait_for(pilot, lambda: screen.index == 1 and screen._view == "reveal")
        await pilot.pause()
        text = screen_text(sam)
        assert "ANA2" in text and "SAM2" in text
        await pilot.press("2")  # card 2 is about Sam: he says how close Ana's guess was
        await pilot.pause()
        await pilot.press("n")
        await wait_for(pilot, lambda: screen._view == "summary")


async def test_saying_how_close_the_guess_was_shows_it_and_goes_on(homes, decks_dir):
    state = both_answer_knowme(homes, n=1)  # about Ana: she rates Sam's guess
    app = HearthApp(homes.a, [decks_dir], clock=homes.clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_apart(pilot, app, state.id)
        assert "how close was the guess?" in screen_text(app)
        await pilot.press("1")
        await wait_for(pilot, lambda: not screen.query("#rate-0"))
        await pilot.pause()
        text = screen_text(app)
        assert "how close was the guess?" not in text and "How close: Spot on" in text
        assert app.focused is not None and app.focused.id == "next"
        assert store_rounds.get_round(homes.a, state.id).cards[0].closeness == "Spot on"


async def test_the_guess_to_come_is_promised_only_while_it_is_missing(homes, decks_dir):
    state = start_apart(homes.a, "knowme", n=2)  # card 1 about Ana
    homes.settle()
    apart_rounds.answer(homes.b, state.id, 0, 1, "Sam's guess", homes.clock.now())
    homes.settle()
    app = HearthApp(homes.a, [decks_dir], clock=homes.clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_apart(pilot, app, state.id)
        assert screen._view == "answer" and screen.index == 0
        await pilot.pause()
        text = screen_text(app)
        assert "Answer about yourself." in text and "will try to guess it" not in text
        assert "Sam's guess" not in text


async def test_a_round_that_simply_ends_at_the_other_home_is_not_said_to_be_ended_by_them(homes, decks_dir):
    state = both_answer_knowme(homes, n=1)  # about Ana: Sam's guess, her closeness
    sam = HearthApp(homes.b, [decks_dir], clock=homes.clock)
    async with sam.run_test(size=(80, 24)) as pilot:
        screen = await open_apart(pilot, sam, state.id)
        assert screen._view == "reveal"
        await wait_for(pilot, lambda: sam.homes is not None)
        sam.homes.merge()

        def seen_at_anas() -> bool:  # Sam's reveal has reached Ana's computer
            homes.ship()
            homes.merge(homes.a)
            return bool(store_rounds.get_round(homes.a, state.id).cards[0].seen.get(1))

        await wait_for(pilot, seen_at_anas, tries=500)
        apart_rounds.reveal(homes.a, state.id, 0, 0, homes.clock.now())
        apart_rounds.rate(homes.a, state.id, 0, 0, "Close", homes.clock.now(), ["Say thanks."])
        homes.merge(homes.a)
        homes.ship()
        sam.homes.merge()
        await wait_for(pilot, lambda: "How close: Close" in screen_text(sam), tries=500)
        await pilot.pause()
        assert store_rounds.get_round(homes.a, state.id).status != "open"  # it came to its end there
        assert screen._view == "reveal" and "ended the round" not in screen_text(sam)


async def test_a_round_played_apart_closes_with_an_idea_for_being_apart(homes, decks_dir):
    """A hug, a walk or a cup of something together needs the other in the room: a round
    played apart is closed with one of the ideas written for being apart."""
    from tui.core import content

    texts = content.load("rounds")
    apart_ideas = set(texts["apart_closing_suggestions"])
    state = start_apart(homes.a, n=1)
    apart_rounds.answer(homes.a, state.id, 0, 0, "ANA", homes.clock.now())
    homes.settle()
    sam_answers(homes, state.id, 0, "SAM")
    apart_rounds.reveal(homes.b, state.id, 0, 1, homes.clock.now())  # Sam has seen his reveal
    homes.settle()
    app = HearthApp(homes.a, [decks_dir], clock=homes.clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_apart(pilot, app, state.id)  # Ana's reveal is the round's last step
        await wait_for(pilot, lambda: screen._view == "reveal")
        await pilot.press("n")
        await wait_for(pilot, lambda: screen._view == "summary")
        closing = store_rounds.get_round(homes.a, state.id).closing
        assert closing in apart_ideas and closing in screen_text(app)
        assert not screen.query("#closing-timer")


def test_the_ideas_for_being_apart_ask_for_no_one_in_the_room():
    from tui.core import content

    texts = content.load("rounds")
    apart_ideas = texts["apart_closing_suggestions"]
    assert len(apart_ideas) >= 5 and not set(apart_ideas) & set(texts["closing_suggestions"])
    for idea in apart_ideas:
        assert not any(w in idea.lower() for w in ("hug", "hold hands", "side by side", "walk", "cup of"))


class HeldLock:
    """Holds a store's database lock from a thread of its own, as a merge writing in a piece of
    what came in does, until `go` is set (or PROMPT seconds have passed: then `timed_out`)."""

    PROMPT = 5.0

    def __init__(self, store) -> None:
        self.store = store
        self.holding, self.go = threading.Event(), threading.Event()
        self.timed_out = False
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        with self.store.storage.mutex:
            self.holding.set()
            self.timed_out = not self.go.wait(self.PROMPT)

    def __enter__(self) -> "HeldLock":
        self.thread.start()
        assert self.holding.wait(self.PROMPT)
        return self

    def __exit__(self, *exc: object) -> None:
        self.go.set()
        self.thread.join(self.PROMPT)


async def test_an_answer_saved_while_a_merge_holds_the_lock_leaves_the_screen_free(homes, decks_dir, monkeypatch):
    """The answer is saved in a worker: while the database's lock is held elsewhere, the screen's
    event loop goes on (before, it waited for the lock, and for the answer's own work while a
    merge shared the interpreter); once the lock is free the answer is saved, never twice, and
    its draft goes only then."""
    state = start_apart(homes.a)
    homes.settle()
    asked = threading.Event()
    calls: list[str] = []
    real = apart_rounds.answer

    def answer_noted(*args):
        calls.append(args[4])
        asked.set()
        return real(*args)

    monkeypatch.setattr(apart_rounds, "answer", answer_noted)
    app = HearthApp(homes.a, [decks_dir], clock=homes.clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_apart(pilot, app, state.id)
        area = screen.query_one("#answer", DraftArea)
        area.insert("Ana one")
        area.save_now()  # (typing saves the draft once it pauses)
        key = store_rounds.draft_key(state.id, 0, 0)
        from tui.store.drafts import load_draft

        assert load_draft(homes.a, key) == "Ana one"
        with HeldLock(homes.a) as held:
            pressing = asyncio.ensure_future(pilot.press("ctrl+s"))
            for _ in range(500):  # the loop runs on while the answer waits for the lock
                if asked.is_set():
                    break
                await asyncio.sleep(0.01)
            assert asked.is_set() and not held.timed_out, "the screen's loop waited for the database's lock"
            assert screen.changing and not screen.check_action("submit", ())  # one change at a time
            assert screen._view == "answer" and area.text == "Ana one" and area.read_only
        await pressing
        await wait_for(pilot, lambda: screen.index == 1 and screen._view == "answer")
    assert calls == ["Ana one"]
    assert store_rounds.get_round(homes.a, state.id).cards[0].answers == {0: "Ana one"}
    assert not load_draft(homes.a, key)


async def test_what_comes_in_while_an_answer_is_saved_is_shown_after_it(homes, decks_dir, monkeypatch):
    """A merge's news arriving while the screen's own change is on its way is not shown over it
    half-done: it waits, and is shown (once) when the change is saved."""
    from tui.store.sync import SyncReport
    from tui.widgets.two_homes import OtherHomeChanged

    state = start_apart(homes.a)
    homes.settle()
    app = HearthApp(homes.a, [decks_dir], clock=homes.clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_apart(pilot, app, state.id)
        shown: list[int | None] = []
        real = ApartPlayScreen._came_in_now

        async def came_in_now(self):
            shown.append(self.index)
            await real(self)

        monkeypatch.setattr(ApartPlayScreen, "_came_in_now", came_in_now)
        area = screen.query_one("#answer", DraftArea)
        area.insert("Ana one")
        area.save_now()
        report = SyncReport()
        report.changed.add((f"rounds_{state.started.year}", state.id.split("-")[1]))
        with HeldLock(homes.a):
            pressing = asyncio.ensure_future(pilot.press("ctrl+s"))
            await wait_for(pilot, lambda: screen.changing)
            screen.post_message(OtherHomeChanged(report))
            for _ in range(5):  # (it waits in the screen's queue, or is kept aside by the screen)
                await asyncio.sleep(0.01)
            assert shown == [] and screen.changing
        await pressing
        await wait_for(pilot, lambda: shown == [1] and not screen.changing)
        assert screen._view == "answer" and screen.index == 1


async def test_words_typed_before_passing_are_kept_for_their_writer_and_leave_no_draft(homes, decks_dir):
    """Passing with words in the box: they stay with their writer (as on "End it here"), and the
    box going away does not save them again as a draft beside a passed card."""
    from tui.store.drafts import load_draft

    state = start_apart(homes.a, n=2)
    homes.settle()
    app = HearthApp(homes.a, [decks_dir], clock=homes.clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_apart(pilot, app, state.id)
        await type_text(pilot, "half a thought")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: screen.index == 1 and not screen.changing, tries=500)
        await pilot.pause()
    card = store_rounds.get_round(homes.a, state.id).cards[0]
    assert card.status == "passed" and card.kept == {0: "half a thought"}
    assert load_draft(homes.a, store_rounds.draft_key(state.id, 0, 0)) is None
