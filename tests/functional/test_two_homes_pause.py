"""Pilot tests of a pause across two homes: a time-out taken at Sam's computer shows at Ana's
running Hearth as soon as it arrives, and each checks in at their own computer."""

from __future__ import annotations

import pytest

from tui.core.pause import start_pause
from tui.paths import shipped_decks_dir
from tui.screens.pause.checkin import CheckInScreen
from tui.screens.pause.countdown import PauseCountdownScreen
from tui.screens.pause.repair import RepairScreen
from tui.screens.shared.curtain import CurtainScreen
from tui.store import pauses as pause_store

from tests.pause_helpers import digits, home, seen, wait_for
from tests.two_homes import make_two_homes


@pytest.fixture
def homes(tmp_path, clock):
    h = make_two_homes(tmp_path, clock)
    yield h
    h.close()


def app_at(store, clock):
    from tui.app import HearthApp

    return HearthApp(store, [shipped_decks_dir()], clock=clock)


def from_b(homes) -> None:
    """Sam's computer merges, and the folder sync carries its file to Ana's folder."""
    homes.merge(homes.b)
    homes.ship()


async def test_a_pause_taken_at_sams_computer_shows_at_anas_and_each_checks_in_at_home(homes, clock):
    app = app_at(homes.a, clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await home(pilot, app)
        assert app.homes is not None
        pause_store.save_active(homes.b, start_pause(1, 30, clock.now()))
        from_b(homes)
        app.homes.merge()
        await wait_for(pilot, lambda: isinstance(app.screen, PauseCountdownScreen) and app.screen.is_mounted)
        text = await seen(pilot, app)
        assert "Sam asked for this pause" in text and "20:55" in text  # said on the countdown itself
        assert not app._notifications  # no notice over it (at 80x24 it hid the line about help)
        assert not app.screen.check_action("undo", ())  # Sam's to take back, at his computer

        # time is up: Ana checks in at her computer, with no curtain, and only Ana is asked
        clock.advance(minutes=30)
        await wait_for(pilot, lambda: app.screen.query("#checkin") and app.screen.query_one("#checkin").has_focus)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CheckInScreen) and app.screen.query("#begin"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query("#calm"))
        assert "Ana" in await seen(pilot, app)
        await pilot.press("7", "y")
        await wait_for(pilot, lambda: app.screen.query("#waiting-other"))
        assert "Waiting for Sam's check-in on Sam's computer" in await seen(pilot, app)
        def anas_check_in_at_sams() -> bool:  # Ana's app sends it soon after she answered
            homes.ship()
            homes.merge(homes.b)
            at_b = pause_store.active(homes.b)
            return at_b.phase == "checkin" and 0 in at_b.current_round

        # Sam checks in at his computer; when it arrives, Ana's screen moves on to the talk
        await wait_for(pilot, anas_check_in_at_sams)
        at_b = pause_store.active(homes.b)
        at_b.record_checkin(1, 8, True)
        pause_store.save_active(homes.b, at_b)
        from_b(homes)
        app.homes.merge()
        await wait_for(pilot, lambda: isinstance(app.screen, RepairScreen) and app.screen.query("#begin"))
        assert pause_store.active(homes.a).phase == "repair"
        await pilot.pause()


async def test_both_checking_in_before_either_hears_from_the_other_still_moves_on(homes, clock):
    p = start_pause(0, 20, clock.now())
    pause_store.save_active(homes.a, p)
    homes.settle()
    clock.advance(minutes=20)
    for store, who, ready in ((homes.a, 0, True), (homes.b, 1, False)):
        mine = pause_store.active(store)
        mine.begin_checkin(clock.now())
        mine.record_checkin(who, 5, ready)
        pause_store.save_active(store, mine)
    homes.settle()
    for store in (homes.a, homes.b):
        merged = pause_store.active(store)
        assert set(merged.current_round) == {0, 1} and len(merged.checkins) == 1
        assert merged.phase == "more_time"


async def test_more_time_taken_at_the_other_home_shows_on_an_open_countdown(homes, clock):
    """Both chose more time at once: the countdown open here shows the time stored, not its own."""
    pause = start_pause(0, 20, clock.now())
    pause_store.save_active(homes.a, pause)
    homes.settle()
    app = app_at(homes.a, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PauseCountdownScreen) and app.screen.is_mounted)
        assert "20:45" in await seen(pilot, app)
        at_b = pause_store.active(homes.b)
        at_b.phase = "more_time"  # (the check-in at Sam's said "not yet")
        at_b.extend(30, clock.now())
        pause_store.save_active(homes.b, at_b)
        from_b(homes)
        app.homes.merge()
        await wait_for(pilot, lambda: "21:15" in screen_text_of(app))
        assert "more time taken 1 time" in await seen(pilot, app)


def screen_text_of(app) -> str:
    from tests.helpers import screen_text

    return screen_text(app)


async def test_an_early_ready_at_anas_waits_calmly_for_sam_and_the_check_in_begins_when_he_is(homes, clock):
    pause_store.save_active(homes.a, start_pause(1, 40, clock.now()))
    homes.settle()
    app = app_at(homes.a, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PauseCountdownScreen) and app.screen.is_mounted)
        clock.advance(minutes=25)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, CheckInScreen) and app.screen.query("#begin"))
        assert "The check-in begins when Sam is ready too, or at 21:05" in await seen(pilot, app)
        await pilot.press("enter")  # "Yes, I'm ready"
        await wait_for(pilot, lambda: isinstance(app.screen, PauseCountdownScreen) and app.screen.is_mounted)
        text = await seen(pilot, app)
        assert "You've said you're ready. Sam hasn't said so yet, and that's all right" in text
        assert digits(app) == "15:00"  # Ana's time-out runs on: her word alone did not end it
        assert pause_store.active(homes.a).phase == "countdown"

        # at Sam's computer the countdown runs on too, and says Ana is ready whenever he is
        def at_sams() -> bool:
            homes.ship()
            homes.merge(homes.b)
            return pause_store.active(homes.b).said_ready(0)

        await wait_for(pilot, at_sams)
        at_b = pause_store.active(homes.b)
        assert at_b.phase == "countdown" and at_b.remaining(clock.now()).total_seconds() == 15 * 60

        # Sam says he is ready too: the check-in begins at Ana's by itself
        clock.advance(minutes=2)
        at_b.say_ready(1, clock.now())
        pause_store.save_active(homes.b, at_b)
        from_b(homes)
        app.homes.merge()
        await wait_for(pilot, lambda: isinstance(app.screen, CheckInScreen) and app.screen.query("#begin"))
        assert "You're both ready. Time to check in." in await seen(pilot, app)
        assert pause_store.active(homes.a).ended_early


async def test_an_early_ready_can_be_taken_back(homes, clock):
    pause_store.save_active(homes.a, start_pause(0, 40, clock.now()))
    homes.settle()
    app = app_at(homes.a, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PauseCountdownScreen) and app.screen.is_mounted)
        clock.advance(minutes=21)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, CheckInScreen) and app.screen.query("#begin"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseCountdownScreen) and app.screen.query("#take-back"))
        await wait_for(pilot, lambda: "Sam hasn't said so yet" in screen_text_of(app))
        await pilot.click("#take-back")
        await wait_for(pilot, lambda: not pause_store.active(homes.a).said_ready(0))
        assert "Sam hasn't said so yet" not in await seen(pilot, app)


def both_ready_for_the_talk(homes, clock, caller: int = 0) -> None:
    """A pause whose check-ins were done at each home, both ready: the talk comes next at both."""
    pause_store.save_active(homes.a, start_pause(caller, 20, clock.now()))
    homes.settle()
    clock.advance(minutes=20)
    for store, who in ((homes.a, 0), (homes.b, 1)):
        mine = pause_store.active(store)
        mine.begin_checkin(clock.now())
        mine.record_checkin(who, 7, True)
        pause_store.save_active(store, mine)
    homes.settle()


def sam_does(homes, step_text: dict[str, str]) -> None:
    """At Sam's computer: his next turns, while he has any, with the words given for each step."""
    from tui.core import repair_apart

    p = pause_store.active(homes.b)
    while True:
        nxt = repair_apart.what_next(p.repair, 1)
        if nxt.what == "read":
            repair_apart.mark_read(p.repair, nxt.index, 1)
        elif nxt.what == "write":
            turn = p.repair.plan[nxt.index]
            if turn.step not in step_text:
                break
            repair_apart.answer(p.repair, turn, {"keep": True} if turn.step == "keep" else {"text": step_text[turn.step]})
        else:
            break
    pause_store.save_active(homes.b, p)
    from_b(homes)


async def test_the_repair_apart_each_writes_at_home_and_reads_when_both_parts_are_in(homes, clock):
    both_ready_for_the_talk(homes, clock)
    app = app_at(homes.a, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)  # an open talk waits on home, never opening by itself at start
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, RepairScreen) and app.screen.query("#begin"))
        text = await seen(pilot, app)
        assert "each of you at your own computer" in text
        await pilot.press("enter")  # Begin: Ana's own part, with no curtain to hand over
        await wait_for(pilot, lambda: app.screen.query("#area-text"))
        assert not isinstance(app.screen, CurtainScreen)
        app.screen.query_one("#area-text").insert("hurt, and tired")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query("#waiting-for"))
        assert "Sam's part of step 1 (How I felt) has not arrived yet" in await seen(pilot, app)

        # Ana's part has reached Sam's computer, and his screen would not show it before his own
        def at_sams() -> bool:
            homes.ship()
            homes.merge(homes.b)
            return "felt:answer:0:" in pause_store.active(homes.b).repair.answers

        await wait_for(pilot, at_sams)
        from tui.core import repair_apart
        at_b = pause_store.active(homes.b).repair
        assert repair_apart.what_next(at_b, 1).what == "write"  # his own part first; hers stays hidden

        sam_does(homes, {"felt": "unseen"})
        app.homes.merge()
        await wait_for(pilot, lambda: app.screen.query("#continue"))
        text = await seen(pilot, app)
        assert "Both parts are here" in text and "unseen" in text and "hurt, and tired" in text
        await pilot.press("enter")  # read: now Ana's side of step 2
        await wait_for(pilot, lambda: app.screen.query("#area-text") and "How I saw it" in screen_text_of(app))
        assert pause_store.active(homes.a).repair.pos == 0  # no shared place moved: each keeps their own


async def test_sam_leaving_the_talk_for_now_is_said_calmly_at_anas(homes, clock):
    both_ready_for_the_talk(homes, clock)
    app = app_at(homes.a, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)  # an open talk waits on home, never opening by itself at start
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, RepairScreen) and app.screen.query("#begin"))
        p = pause_store.active(homes.b)
        pause_store.finish(homes.b, p, clock.now(), repair="not yet")
        from_b(homes)
        app.homes.merge()
        await wait_for(pilot, lambda: "Sam chose to leave the talk for now" in screen_text_of(app))
        assert pause_store.active(homes.a) is None


async def test_the_talk_ends_at_both_homes_when_both_have_chosen_what_to_keep(homes, clock):
    both_ready_for_the_talk(homes, clock)
    steps = {s: f"Sam on {s}" for s in ("felt", "side", "touched", "part", "next", "keep")}
    app = app_at(homes.a, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await home(pilot, app)
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, RepairScreen) and app.screen.query("#begin"))
        await pilot.press("enter")
        from tui.core import repair_apart
        for _ in range(80):  # Ana writes or passes each turn, reads each step, Sam answers as he can
            await wait_for(pilot, lambda: app.screen.query("#area-text, #continue, #waiting-for, #keep, #close"))
            if app.screen.query("#close"):
                break
            if app.screen.query("#waiting-for"):
                def sam_moves() -> bool:  # what Ana sent reaches Sam, he does his part, it comes back
                    homes.ship()
                    homes.merge(homes.b)
                    sam_does(homes, steps)
                    app.homes.merge()
                    return not app.screen._drawing and not app.screen.query("#waiting-for")

                await wait_for(pilot, sam_moves)
                continue
            if app.screen.query("#continue"):
                app.screen.query_one("#continue").focus()
                await pilot.press("enter")
            elif app.screen.query("#keep"):
                await pilot.press("ctrl+s")
            else:
                app.screen.query_one("#area-text").insert("Ana's words")
                await pilot.press("ctrl+s")
            await pilot.pause()
        assert "Thank you both" in await seen(pilot, app)
        assert "Sam on next" in screen_text_of(app)
        assert pause_store.active(homes.a) is None
        homes.settle()
        assert pause_store.active(homes.b) is None
        rec = next(r for r in pause_store.records(homes.b))
        assert rec.notes[0] and rec.notes[1]  # each kept their own words


async def test_talk_it_through_apart_the_floor_passes_between_homes(homes, clock):
    from tui.core.talk import start_talk
    from tui.screens.pause.talk import TalkScreen
    from tui.store import talks as talk_store

    talk_store.save_talk(homes.a, start_talk(1, clock.now()))  # Sam has the floor first
    homes.settle()
    app = app_at(homes.a, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        app.push_screen(TalkScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, TalkScreen) and app.screen.query("#talk-waiting"))
        text = await seen(pilot, app)
        assert "Sam is writing one short piece" in text
        assert not app.screen.query("#area-text")  # nothing to type over Sam's turn
        assert not app.screen.check_action("done", ())

        at_b = talk_store.active_talk(homes.b)
        at_b.speak("I felt on my own on Sunday", clock.now())
        talk_store.save_talk(homes.b, at_b)
        from_b(homes)
        app.homes.merge()
        await wait_for(pilot, lambda: app.screen.query("#area-text") and app.screen.view == "mirror")
        assert "I felt on my own on Sunday" in await seen(pilot, app)
        app.screen.query_one("#area-text").insert("you felt alone last weekend")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query("#talk-waiting"))
        assert "Sam is reading what you heard" in await seen(pilot, app)

        def at_sams() -> bool:
            homes.ship()
            homes.merge(homes.b)
            return talk_store.active_talk(homes.b).stage == "check"

        await wait_for(pilot, at_sams)
        assert talk_store.active_talk(homes.b).last("mirror").text == "you felt alone last weekend"


async def test_talk_it_through_apart_each_says_at_home_whether_they_feel_heard(homes, clock):
    from tui.core.talk import start_talk
    from tui.screens.pause.talk import TalkScreen
    from tui.store import talks as talk_store

    talk = start_talk(0, clock.now())
    for _ in range(2):
        talk.speak("a piece", clock.now())
        talk.mirror("what I heard", clock.now())
        talk.confirm(clock.now())
        talk.validate("it makes sense", "", clock.now())
    talk_store.save_talk(homes.a, talk)
    homes.settle()
    app = app_at(homes.a, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        app.push_screen(TalkScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, TalkScreen) and app.screen.query("#heard-0-yes"))
        assert not app.screen.query("#heard-1-yes")  # Sam answers at his own computer
        assert "Sam: their answer has not arrived yet" in await seen(pilot, app)
        await pilot.press("enter")  # Ana: yes, I feel heard
        await wait_for(pilot, lambda: "Ana: Yes, I feel heard." in screen_text_of(app))
        at_b = talk_store.active_talk(homes.b)  # Sam said it too, before Ana's answer reached him
        at_b.say_heard(1, True, clock.now())
        talk_store.save_talk(homes.b, at_b)
        from_b(homes)
        app.homes.merge()
        await wait_for(pilot, lambda: app.screen.view == "solve_ask")


async def test_a_break_in_the_talk_at_sams_computer_is_sams_at_both_homes(homes, clock):
    """ctrl+t in the talk at Léa's computer showed 'Noor asked for this pause' at both homes (Noor
    had asked for the first one): at a partner's own computer the break is theirs, said so at both."""
    from tui.screens.pause.countdown import PauseCountdownScreen
    from tui.screens.shared.choice import ChoiceDialog

    both_ready_for_the_talk(homes, clock, caller=0)  # Ana asked for the first pause
    app = app_at(homes.b, clock)  # Sam's computer
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, RepairScreen) and app.screen.query("#begin"))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("enter")  # 20 minutes; no "who?" at his own computer
        await wait_for(pilot, lambda: isinstance(app.screen, PauseCountdownScreen) and app.screen.query("#back-line"))
        assert "Sam asked for this pause" in await seen(pilot, app)
    homes.settle()
    at_anas = pause_store.active(homes.a)
    assert at_anas.phase == "countdown" and at_anas.asked_by == 1 and at_anas.caller == 0


async def test_ctrl_t_over_an_open_talk_at_sams_is_his_new_time_out_at_both_homes(homes, clock):
    """At a partner's own computer ctrl+t over an open talk takes that partner's time-out at once;
    Ana's part of the talk arriving meanwhile does not pull the talk back over it."""
    from tui.core import repair_apart
    from tui.screens.pause.start import PauseStartScreen

    both_ready_for_the_talk(homes, clock, caller=0)
    app = app_at(homes.b, clock)  # Sam's computer
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseStartScreen) and app.screen.query("#who-1"))
        assert not app.screen.query("#who-0")  # only his own key here
        at_anas = pause_store.active(homes.a)  # Ana writes her part meanwhile, and it arrives
        repair_apart.answer(at_anas.repair, at_anas.repair.plan[0], {"text": "Ana's part"})
        pause_store.save_active(homes.a, at_anas)
        homes.merge(homes.a)
        homes.ship()
        app.homes.merge()
        await pilot.pause()
        assert isinstance(app.screen, PauseStartScreen)
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseCountdownScreen) and app.screen.query("#back-line"))
        assert "Sam asked for this pause" in await seen(pilot, app)
    homes.settle()
    for store in (homes.a, homes.b):
        now = pause_store.active(store)
        assert now.caller == 1 and now.phase == "countdown" and not now.extensions
        assert now.repair is None and not now.checkins and now.returned_at is None  # nothing of the old one
        kept = pause_store.waiting(store)
        assert len(kept) == 1 and pause_store.set_aside(kept[0])
