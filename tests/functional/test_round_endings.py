"""Every way out of a round keeps what was shared (issue 15, bugs 1 and 12): a revealed card counts
as shared the moment it is on screen, and an answer that will never be revealed is not dropped
without its writer being asked, alone, whether to keep it for themselves."""

from __future__ import annotations

from datetime import datetime, timezone

from textual.widgets import Button

from tui.core.rounds import CardPlay, Choices, RoundState
from tui.screens.shared.curtain import CurtainScreen
from tui.screens.history.browse import HistoryScreen, KeptAnswerScreen, RoundDetailScreen
from tui.screens.shell.home import HomeScreen
from tui.screens.rounds.dialogs import KeepAnswerScreen, LeaveRoundScreen
from tui.screens.rounds.play import RoundPlayScreen
from tui.store import Store
from tui.store import rounds as store_rounds

from tests.helpers import screen_text, wait_for
from tests.functional.test_rounds_screens import (  # noqa: F401  (fixtures)
    app_factory,
    decks_dir,
    lift_curtain,
    play_screen,
    start_round,
    wait_view,
    write_and_submit,
)

NOW = datetime(2026, 3, 14, 20, 0, tzinfo=timezone.utc)


def write_state(answers: dict[int, str], step: int) -> RoundState:
    card = CardPlay("d:1", "A card", "Deck", 1, "question", (), 0, step=step, answers=dict(answers))
    other = CardPlay("d:2", "Another", "Deck", 1, "question", (), 1)
    return RoundState("write", [card, other], NOW, Choices(mode="write"))


# -- core ---------------------------------------------------------------------------------------------

def test_a_revealed_card_stays_shared_when_the_round_ends_there():
    state = write_state({0: "mine", 1: "yours"}, step=2)
    state.reveal(NOW)
    state.end_early()
    assert state.played == [state.cards[0]] and state.cards[0].answers == {0: "mine", 1: "yours"}
    assert state.cards[1].status == "unplayed"


def test_unrevealed_answers_are_kept_for_their_writer_or_let_go():
    state = write_state({0: "only mine"}, step=1)
    assert state.unrevealed_writers() == [0]
    state.end_early(keep={0})
    card = state.cards[0]
    assert card.answers == {} and card.kept == {0: "only mine"} and state.played == []
    assert RoundState.from_dict(state.to_dict()).cards[0].kept == {0: "only mine"}

    state = write_state({0: "mine", 1: "yours"}, step=2)  # at the gate, passed together
    assert state.unrevealed_writers() == [0, 1]
    state.pass_card(NOW, keep={1})
    assert state.cards[0].kept == {1: "yours"} and state.cards[0].answers == {}


def test_nothing_to_ask_once_revealed_or_in_talk():
    state = write_state({0: "mine", 1: "yours"}, step=2)
    state.reveal(NOW)
    assert state.unrevealed_writers() == []
    talk = RoundState("talk", [CardPlay("d:1", "A", "D", 1, "question", (), 0)], NOW)
    assert talk.unrevealed_writers() == []


# -- screens ---------------------------------------------------------------------------------------------

async def reach_reveal(pilot, app) -> None:
    await start_round(pilot, app, "write")
    await lift_curtain(pilot, app, "Ana")
    await write_and_submit(pilot, app, "ANA-WORDS")
    await lift_curtain(pilot, app, "Sam")
    await write_and_submit(pilot, app, "SAM-WORDS")
    await wait_view(pilot, app, "gate")
    await pilot.press("r")
    await wait_view(pilot, app, "reveal")


async def test_ending_at_the_reveal_keeps_the_revealed_card(app_factory, ready_store):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_reveal(pilot, app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, LeaveRoundScreen))
        await pilot.click("#end")
        await wait_view(pilot, app, "summary")
        text = screen_text(app)
        assert "You went through one card together" in text and "No cards this time" not in text
    [state] = store_rounds.list_rounds(ready_store)
    assert state.status == "done" and state.played[0].answers == {0: "ANA-WORDS", 1: "SAM-WORDS"}


async def test_quitting_at_the_reveal_then_starting_afresh_keeps_the_card(app_factory, ready_store, db_path, clock):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_reveal(pilot, app)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)
    store_rounds.set_aside_open(ready_store, clock.now())
    [state] = store_rounds.list_rounds(ready_store)
    assert state.status == "left" and [c.answers for c in state.played] == [{0: "ANA-WORDS", 1: "SAM-WORDS"}]
    assert [h.text for h in store_rounds.search(ready_store, "ANA-WORDS")] == ["ANA-WORDS"]


async def test_a_revealed_card_reopens_at_its_reveal_after_a_restart(app_factory, ready_store):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_reveal(pilot, app)
        round_id = app.screen.round_id
        app.pop_screen()  # as if Hearth closed at the reveal
        await pilot.pause()
        await app.push_screen(RoundPlayScreen(round_id))
        await wait_view(pilot, app, "reveal")
        assert "ANA-WORDS" in screen_text(app)


async def test_a_pass_asks_the_writer_alone_and_keeps_it_for_them(app_factory, ready_store):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_round(pilot, app, "write")
        await lift_curtain(pilot, app, "Ana")
        await write_and_submit(pilot, app, "ANA-ALONE")
        await lift_curtain(pilot, app, "Sam")
        await pilot.press("ctrl+o")  # Sam passes: Ana's answer will never be revealed
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        await pilot.pause()
        assert "Ana" in screen_text(app) and "ANA-ALONE" not in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, KeepAnswerScreen))
        await pilot.pause()
        text = screen_text(app)
        assert "won't be revealed" in text and "Sam passed on it" in text and "ANA-ALONE" not in text
        await pilot.press("enter")  # "Keep it for me" has the focus
        await wait_for(pilot, lambda: isinstance(app.screen, (CurtainScreen, RoundPlayScreen)))
        await pilot.pause()
        await lift_curtain(pilot, app, "Sam")  # card 2; end the round there
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, LeaveRoundScreen))
        await pilot.click("#end")
        await wait_view(pilot, app, "summary")  # it names where the kept answer is
        assert "kept for its writer alone is in History" in screen_text(app)
        [state] = store_rounds.list_rounds(ready_store)
        assert state.cards[0].status == "passed" and state.cards[0].kept == {0: "ANA-ALONE"}
        assert state.cards[0].answers == {}
        assert store_rounds.search(ready_store, "ANA-ALONE") == []
        # History names the kept answer; only a curtain for Ana opens it
        await app.push_screen(RoundDetailScreen(state.id))
        await wait_for(pilot, lambda: isinstance(app.screen, RoundDetailScreen))
        await pilot.pause()
        assert "the answer you kept" in screen_text(app) and "ANA-ALONE" not in screen_text(app)
        app.screen.query_one("#kept-0-0", Button).press()
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, KeptAnswerScreen))
        await pilot.pause()
        assert "ANA-ALONE" in screen_text(app)


async def test_ending_before_the_reveal_can_let_the_answer_go(app_factory, ready_store):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_round(pilot, app, "write")
        await lift_curtain(pilot, app, "Ana")
        await write_and_submit(pilot, app, "ANA-GONE")
        await lift_curtain(pilot, app, "Sam")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, LeaveRoundScreen))
        await pilot.click("#end")
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, KeepAnswerScreen))
        await pilot.pause()
        assert "The round ended before the reveal" in screen_text(app)
        await pilot.click("#drop")
        await wait_view(pilot, app, "summary")
    assert store_rounds.list_rounds(ready_store) == []  # nothing was shared and nothing kept


async def test_joined_emoji_reach_the_reveal_whole_and_stand_alone_on_their_line(app_factory, ready_store):
    """Issue 15, bug 3: the joiner is kept from the answer box to the file, and a reveal with such
    emoji puts the answers one under the other, so a terminal that draws them wider than Rich
    counts has no box border after them to push out of place."""
    from textual._xterm_parser import XTermParser

    couple_emoji = "👩\u200d❤\ufe0f\u200d👨"
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_round(pilot, app, "write")
        await lift_curtain(pilot, app, "Ana")
        for event in XTermParser().feed(f"us {couple_emoji}"):  # typed, as a terminal sends it
            app._driver.send_message(event)
        await wait_for(pilot, lambda: app.screen.query_one("#answer").text.endswith("👨"))
        await pilot.press("ctrl+s")
        await lift_curtain(pilot, app, "Sam")
        await write_and_submit(pilot, app, "plain")
        await wait_view(pilot, app, "gate")
        await pilot.press("r")
        await wait_view(pilot, app, "reveal")
        assert not app.screen.query(".answer") and len(app.screen.query(".answer-open")) == 2
    [state] = store_rounds.list_rounds(ready_store)
    assert state.cards[0].answers[0] == f"us {couple_emoji}"


async def test_history_search_finds_an_accent_however_it_was_typed(app_factory, ready_store, clock):
    """Issue 15, bug 6: NFC and case folding on both sides of the search."""
    from tests.helpers import type_text
    from tests.functional.test_rounds_screens import seed_round

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        seed_round(ready_store, app.decks, "tiny/t1", clock.now(), ("the cafe\u0301 by the bridge", "tea"))
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("slash")
        await type_text(pilot, "CAFÉ")  # precomposed É
        await wait_for(pilot, lambda: "1 found" in screen_text(app))
        assert "café by the bridge" in screen_text(app)


async def test_the_curtain_lifts_only_on_the_keys_it_names(app_factory):
    """Rough edge: Esc lifted the curtain and landed one tester on 'Pass on this card'."""
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_round(pilot, app, "write")
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        await pilot.pause()
        assert "Press Enter or Space when you are ready" in screen_text(app)
        for key in ("escape", "x", "tab", "1"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, CurtainScreen), key
        await pilot.press("enter")
        await wait_view(pilot, app, "private")


async def test_setup_names_every_ticked_deck(app_factory, ready_store):
    """Rough edge: a remembered tick below the visible list made a 'Favourites only' round draw
    from another deck."""
    from tui.screens.rounds.setup import DeckPicker

    from tests.functional.test_rounds_screens import open_setup

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot, app)
        picker = screen.query_one("#decks", DeckPicker)
        assert "No deck ticked yet" in screen_text(app)
        picker.toggle_index(0)
        await pilot.pause()
        assert "1 ticked: Tiny deck" in screen_text(app)


async def test_at_60_columns_time_out_and_help_are_whole_in_the_footer(app_factory):
    """Rough edge: at 60x20 the footer ended in 'Time-ou'."""
    app = app_factory()
    async with app.run_test(size=(60, 20)) as pilot:
        await start_round(pilot, app, "write")
        await lift_curtain(pilot, app, "Ana")
        last = screen_text(app).rstrip().splitlines()[-1]
        assert last.startswith("^t Time-outF1 Help"), last  # (screen_text drops the gaps)


async def test_a_talk_card_passed_after_a_note_counts_as_gone_through(app_factory, ready_store):
    """Ana asked and kept a note, then Sam passed at his turn: what was said was shared, so the
    summary counts the card instead of saying there were no cards."""
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_round(pilot, app, "talk", length="cards:3", depth="deeper", first="a")
        await lift_curtain(pilot, app, "Ana")
        await write_and_submit(pilot, app, "ANA-NOTE")
        await lift_curtain(pilot, app, "Sam")
        await pilot.press("ctrl+o")  # Sam passes at his own turn
        await wait_for(pilot, lambda: play_screen(app).state.position == 1)
        await lift_curtain(pilot, app, "Sam")  # the next card, Sam asking
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, LeaveRoundScreen))
        await pilot.click("#end")
        await wait_view(pilot, app, "summary")
        text = screen_text(app)
        assert "You went through one card together" in text and "No cards this time" not in text
        assert "The cards" in text
    [state] = store_rounds.list_rounds(ready_store)
    assert state.cards[0].status == "passed" and state.cards[0].notes == {0: "ANA-NOTE"}
