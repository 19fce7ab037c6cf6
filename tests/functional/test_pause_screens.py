"""Pilot tests for Pause & repair: ctrl+t from every screen and from inside text boxes, restarts
that keep the countdown right, the start screen, words, breathing, phrases, undo, fitting the screen.
The long flows (the whole pause-to-log flow, more time, revisit later, the bell) are in test_pause_flow.py."""

from __future__ import annotations

import pytest
from textual.screen import Screen
from textual.widgets import Input

from tui import activities
from tui.core.pause import start_pause
from tui.screens.shared.curtain import CurtainScreen
from tui.screens.shell.help import HelpScreen
from tui.screens.shell.home import HomeScreen
from tui.screens.pause.start import PauseStartScreen
from tui.screens.pause.checkin import CheckInScreen
from tui.screens.pause.common import PauseScreenBase, PhrasesScreen
from tui.screens.pause.repair import RepairScreen
from tui.store import pauses as pause_store
from tui.store.drafts import load_draft
from tui.store.profile import set_setting
from tui.widgets.draft_area import DraftArea

from tests.helpers import screen_text as raw_screen_text
from tests.helpers import type_text
from tests.pause_helpers import (
    begin_checkin, both_ready_to_talk, check_in, countdown, digits, home, on, pass_curtain, screen_text, seen, start_with, wait_for,
)


async def talk_from_home(pilot, app) -> None:
    """An open talk after a pause no longer opens by itself at start-up: home offers it (2)."""
    await home(pilot, app)
    await pilot.press("2")
    await wait_for(pilot, lambda: isinstance(app.screen, (RepairScreen, CurtainScreen)) and app.screen.is_mounted)


# -- ctrl+t everywhere ----------------------------------------------------------------------------
async def test_ctrl_t_from_settings_name_input_keeps_typing(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen.query("#name-0"))
        name = app.screen.query_one("#name-0", Input)
        name.focus()
        await pilot.press("end")
        await type_text(pilot, "xy")
        await pilot.press("ctrl+t")
        await on(pilot, app, PauseStartScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.query("#name-0"))
        assert app.screen.query_one("#name-0", Input).value == "Anaxy"


class _BoxScreen(Screen):
    def compose(self):
        yield DraftArea(self.app.store, "test:box", id="box")


async def test_ctrl_t_from_inside_a_draft_area_saves_it(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        app.push_screen(_BoxScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, _BoxScreen) and app.screen.query("#box"))
        app.screen.query_one("#box").focus()
        await type_text(pilot, "half")
        await pilot.press("ctrl+t")
        await on(pilot, app, PauseStartScreen)
        assert load_draft(ready_store, "test:box") == "half"
        await pilot.press("1")
        await countdown(pilot, app)
        await pilot.press("escape")  # step away; the pause goes on
        await on(pilot, app, _BoxScreen)
        await pilot.press("ctrl+t")  # shows the running pause, not a new one
        await countdown(pilot, app)


async def test_ctrl_t_from_help_and_every_activity(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await pilot.press("f1")
        await on(pilot, app, HelpScreen)
        await pilot.press("ctrl+t")
        await on(pilot, app, PauseStartScreen)
        await pilot.press("escape")
        await on(pilot, app, HelpScreen)
        await pilot.press("escape")
        await home(pilot, app)
        for act in activities.available():
            if act.key == "2":
                continue
            depth = len(app.screen_stack)
            await pilot.press(act.key)
            await wait_for(pilot, lambda: len(app.screen_stack) > depth)
            await pilot.pause()
            opened = type(app.screen).__name__
            await pilot.press("ctrl+t")
            await on(pilot, app, PauseStartScreen), opened
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, PauseStartScreen))
            while not isinstance(app.screen, HomeScreen):
                app.pop_screen()
                await pilot.pause()


async def test_ctrl_t_is_quiet_on_the_pause_and_behind_a_curtain(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await start_with(pilot, app)
        depth = len(app.screen_stack)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert len(app.screen_stack) == depth
        await pilot.press("r")
        await begin_checkin(pilot, app)
        await on(pilot, app, CurtainScreen)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, CurtainScreen)


# -- restarts -------------------------------------------------------------------------------------
async def test_restart_opens_on_the_pause_with_the_right_time(make_app, clock, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await start_with(pilot, app)
        await pilot.press("ctrl+q")
    clock.advance(minutes=7, seconds=30)  # Hearth closed for a while
    app2 = make_app()
    async with app2.run_test(size=(80, 24)) as pilot:
        await countdown(pilot, app2)
        await wait_for(pilot, lambda: digits(app2) == "12:30")
        assert "Back together at 20:45" in (await seen(pilot, app2))
        clock.advance(seconds=0.6)
        await wait_for(pilot, lambda: digits(app2) == "12:30")  # 12:29.4 rounds up
        clock.advance(seconds=0.5)
        await wait_for(pilot, lambda: digits(app2) == "12:29")
        await pilot.press("ctrl+q")
    clock.advance(hours=2)  # the time ran out while closed: it opens on "time to check in"
    app3 = make_app()
    async with app3.run_test(size=(100, 30)) as pilot:
        await countdown(pilot, app3)
        await wait_for(pilot, lambda: "Time to check in with each other" in screen_text(app3))
        assert digits(app3) == "00:00"
        await pilot.press("enter")
        await begin_checkin(pilot, app3)
        await check_in(pilot, app3, "Ana", "5", True)
        await on(pilot, app3, CurtainScreen)
        await pilot.press("ctrl+q")
    app4 = make_app()  # mid check-in: straight to the curtain for the one still to answer
    async with app4.run_test(size=(80, 24)) as pilot:
        await pass_curtain(pilot, app4, "Sam")
        assert isinstance(app4.screen, CheckInScreen)
    assert pause_store.active(ready_store).on_time is not None


async def test_a_pause_in_progress_is_the_first_screen_not_home(make_app, clock, ready_store):
    """On a restart during a pause, home never shows first: a key pressed in that moment went to
    home and opened an activity behind the pause (seen in a real terminal)."""
    pause_store.save_active(ready_store, start_pause(0, 20, clock.now()))
    app = make_app()
    shown: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        shown.append(type(app.screen).__name__)  # before anything else runs
        await pilot.press("1")
        await countdown(pilot, app)
        await pilot.pause()
        assert not any(isinstance(s, HomeScreen) for s in app.screen_stack[1:])
        assert len(app.screen_stack) == 2  # home, then the pause: nothing opened between them
    assert shown[0] != "HomeScreen"


async def test_restart_mid_repair_keeps_the_place(make_app, clock, ready_store):
    p = both_ready_to_talk(clock)
    p.repair.submit(p.repair.current(), {"text": "ana words"})
    pause_store.save_active(ready_store, p)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await talk_from_home(pilot, app)
        await pass_curtain(pilot, app, "Sam")
        assert isinstance(app.screen, RepairScreen)
        await wait_for(pilot, lambda: app.screen.query("#area-text"))
        assert "How I felt" in (await seen(pilot, app)) and "ana words" not in (await seen(pilot, app))
        await pilot.click("#area-text")
        await type_text(pilot, "kept it")
        await pilot.press("ctrl+q")
    app2 = make_app()
    async with app2.run_test(size=(80, 24)) as pilot:
        await talk_from_home(pilot, app2)
        await pass_curtain(pilot, app2, "Sam")
        await wait_for(pilot, lambda: "kept it" in screen_text(app2))


async def test_words_typed_at_the_feelings_list_go_to_the_words_box(make_app, clock, ready_store):
    """The feelings list has the keyboard first; a newcomer typed 'tired' there and it was lost."""
    pause_store.save_active(ready_store, both_ready_to_talk(clock))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await talk_from_home(pilot, app)
        await wait_for(pilot, lambda: isinstance(app.screen, RepairScreen) and app.screen.query("#begin"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        await pass_curtain(pilot, app, app.screen.partner.name)
        await wait_for(pilot, lambda: app.screen.query("#feelings") and app.focused is app.screen.query_one("#feelings"))
        await pilot.press("space")  # ticks the first feeling, as before
        await type_text(pilot, "tired")
        area = app.screen.query_one("#area-text")
        await wait_for(pilot, lambda: area.text == "tired")
        assert len(app.screen.query_one("#feelings").selected) == 1


async def test_words_typed_fast_at_the_feelings_list_keep_their_spaces(make_app, clock, ready_store):
    """Keys that come before the words box has the keyboard (a fast typist, a paste) are words,
    spaces too: a space then must not untick a feeling and vanish."""
    from textual import events

    pause_store.save_active(ready_store, both_ready_to_talk(clock))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await talk_from_home(pilot, app)
        await wait_for(pilot, lambda: isinstance(app.screen, RepairScreen) and app.screen.query("#begin"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        await pass_curtain(pilot, app, app.screen.partner.name)
        await wait_for(pilot, lambda: app.screen.query("#feelings") and app.focused is app.screen.query_one("#feelings"))
        await pilot.press("space")  # ticks the first feeling
        for ch in "so tired":  # all at once, before the focus has moved
            app.screen.on_key(events.Key("space" if ch == " " else ch, ch))
        area = app.screen.query_one("#area-text")
        await wait_for(pilot, lambda: area.text == "so tired")
        assert len(app.screen.query_one("#feelings").selected) == 1


# -- details ---------------------------------------------------------------------------------------
async def test_custom_length_is_checked_at_the_field(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await pilot.press("ctrl+t")
        await on(pilot, app, PauseStartScreen)
        await pilot.click("#len-other")
        await wait_for(pilot, lambda: app.screen.query_one("#custom", Input).has_focus)
        await type_text(pilot, "5")
        await wait_for(pilot, lambda: "at least 20 minutes" in screen_text(app))
        await pilot.click("#who-0")
        await pilot.pause()
        assert isinstance(app.screen, PauseStartScreen)
        app.screen.query_one("#custom", Input).value = "1:30"
        await wait_for(pilot, lambda: "Back together at 21:55" in screen_text(app))
        app.screen.query_one("#topic", Input).value = "the visit"
        await pilot.click("#who-0")
        await countdown(pilot, app)
        assert digits(app) == "1:30:00" and "the visit" in (await seen(pilot, app))


async def test_own_words_breathing_off_bell_and_phrases(make_app, clock, ready_store):
    set_setting(ready_store, "pause_words", "Back at {time}, promise.")
    set_setting(ready_store, "breathing", False)
    app = make_app()
    rings = []
    app.bell = lambda: rings.append(1)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await start_with(pilot, app)
        assert "Back at 20:45, promise." in (await seen(pilot, app))
        assert not app.screen.query("#breath")
        await pilot.press("f2")
        await on(pilot, app, PhrasesScreen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "“My heart is racing a little.”" in screen_text(app))
        await pilot.press("escape")
        await countdown(pilot, app)
        clock.advance(minutes=20)
        await wait_for(pilot, lambda: rings == [1])
        await pilot.pause(0.6)
        assert rings == [1]  # once per return time


async def test_undo_a_pause_started_by_mistake_and_the_empty_log(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await start_with(pilot, app)
        await pilot.press("u")
        await home(pilot, app)
        assert pause_store.active(ready_store) is None and pause_store.records(ready_store) == []
        await pilot.press("2")
        await on(pilot, app, PauseStartScreen)
        await pilot.press("l")
        await wait_for(pilot, lambda: "No pauses yet" in screen_text(app))


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_screens_fit(make_app, clock, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await home(pilot, app)
        await pilot.press("ctrl+t")
        await on(pilot, app, PauseStartScreen)
        text = (await seen(pilot, app))
        assert "Ana needs a break" in text and "Sam needs a break" in text and "How long?" in text
        await pilot.press("1")
        await countdown(pilot, app)
        text = raw_screen_text(app)
        assert "someone you trust." in (await seen(pilot, app)) and "Something to try" in text and "Breathe in" in text
        assert all(isinstance(s, (HomeScreen, PauseScreenBase)) for s in app.screen_stack[1:])
        assert all(len(line) <= size[0] for line in text.splitlines())


async def test_home_during_a_pause_leads_back_to_it(make_app, clock, ready_store):
    pause_store.save_active(ready_store, start_pause(1, 30, clock.now()))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await countdown(pilot, app)
        await pilot.press("escape")
        await home(pilot, app)
        await pilot.press("2")
        await countdown(pilot, app)
        assert digits(app) == "30:00"
        assert len([s for s in app.screen_stack if isinstance(s, PauseScreenBase)]) == 1

        # a round during a pause is asked first (issue 15: it started with no word)
        from tui.screens.agreements.parts import ChoiceDialog
        from tui.screens.rounds.setup import RoundSetupScreen

        await pilot.press("escape")
        await home(pilot, app)
        await pilot.press("1")
        await on(pilot, app, ChoiceDialog)
        assert "A pause is running until 20:55" in await seen(pilot, app)
        await pilot.press("enter")  # "Back to the pause" has the focus
        await countdown(pilot, app)
        await pilot.press("escape")
        await home(pilot, app)
        await pilot.press("1")
        await on(pilot, app, ChoiceDialog)
        await pilot.click("#choice-anyway")
        await on(pilot, app, RoundSetupScreen)


async def test_a_talk_not_yet_begun_can_be_left_for_now(make_app, clock, ready_store):
    """Both were ready, then it wasn't the moment: the pause ends, kept in the log, and Hearth no
    longer opens on the talk."""
    p = both_ready_to_talk(clock)
    pause_store.save_active(ready_store, p)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await talk_from_home(pilot, app)
        await wait_for(pilot, lambda: isinstance(app.screen, RepairScreen) and app.screen.query("#let-rest")
                       and app.screen.query_one("#let-rest").region.height > 0)  # laid out, so a click lands
        await pilot.click("#let-rest")
        await home(pilot, app)
    assert pause_store.active(ready_store) is None
    assert [r.repair for r in pause_store.records(ready_store)] == ["not yet"]
    app2 = make_app()
    async with app2.run_test(size=(80, 24)) as pilot:
        await home(pilot, app2)
        await pilot.pause()
        assert isinstance(app2.screen, HomeScreen)


async def test_enter_in_the_topic_box_leads_to_the_start_keys(make_app, ready_store):
    """Typing a topic, then Enter, then your key: the key starts the pause instead of being typed."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseStartScreen))
        app.screen.query_one("#topic", Input).focus()
        await type_text(pilot, "weekend")
        await pilot.press("enter", "2")
        await wait_for(pilot, lambda: pause_store.active(ready_store) is not None)
        p = pause_store.active(ready_store)
        assert p.caller == 1 and p.topic == "weekend"


def test_the_pause_watch_is_quiet_while_the_app_closes(make_app):
    """The watch timer can fire after the last screen has gone (seen once as a traceback at quit)."""
    from tui.screens.pause.common import _watch

    app = make_app()
    assert app.couple is not None and app.screen_stack == []
    _watch(app)


async def test_ctrl_t_during_the_talk_after_a_pause_offers_another_break(make_app, clock, ready_store):
    """The time-out key works where it is needed most: during the talk after a pause it asks how
    long, and the countdown runs again; what was written is kept, and the talk goes on after the
    next check-in (a newcomer pressed ctrl+t there and nothing happened)."""
    from datetime import timedelta

    from tui.screens.pause.countdown import PauseCountdownScreen
    from tui.screens.shared.choice import ChoiceDialog

    p = both_ready_to_talk(clock)
    p.repair.submit(p.repair.current(), {"text": "ana words"})
    pause_store.save_active(ready_store, p)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await talk_from_home(pilot, app)
        await pass_curtain(pilot, app, "Sam")
        await wait_for(pilot, lambda: isinstance(app.screen, RepairScreen) and app.screen.query("#area-text"))
        await pilot.click("#area-text")
        await type_text(pilot, "half a thought")
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert "Take another break?" in screen_text(app)
        await pilot.press("escape")  # go on talking: nothing changes
        await wait_for(pilot, lambda: isinstance(app.screen, RepairScreen))
        assert pause_store.active(ready_store).phase == "repair"
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("enter")  # the first choice: 20 minutes
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog) and "Who needs" in screen_text(app))
        app.screen.query_one("#choice-who-1").press()  # Sam needs it (Ana asked for the first pause)
        await wait_for(pilot, lambda: isinstance(app.screen, PauseCountdownScreen) and app.screen.query("#back-line"))
        now = pause_store.active(ready_store)
        assert now.phase == "countdown" and now.deadline == clock.now() + timedelta(minutes=20)
        assert now.repair is not None and now.repair.answers  # the talk so far is kept
        assert now.asked_by == 1 and "Sam asked for this pause" in await seen(pilot, app)


async def test_ctrl_t_in_a_talk_near_a_day_from_its_pause_opens_a_new_time_out(make_app, clock, ready_store):
    """Near 24 hours from the pause's start no break fits: ctrl+t in the talk then starts a new
    time-out (the start screen), with the talk kept to go back to."""
    from datetime import timedelta

    from tui.screens.pause.start import PauseStartScreen

    p = both_ready_to_talk(clock)
    pause_store.save_active(ready_store, p)
    clock.set(p.cap - timedelta(minutes=5))  # no break of 20 minutes fits now
    assert not p.break_options(clock.now())
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await talk_from_home(pilot, app)
        await wait_for(pilot, lambda: isinstance(app.screen, RepairScreen))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseStartScreen))


async def _to_the_talk(pilot, app) -> None:
    """From start-up to the first page of the talk after a pause."""
    await talk_from_home(pilot, app)
    await wait_for(pilot, lambda: isinstance(app.screen, RepairScreen) and app.screen.query("#begin"))


@pytest.mark.parametrize("way_out", ["escape", "quit"])
async def test_ticked_feelings_are_kept_whichever_way_out(make_app, clock, ready_store, way_out):
    """A newcomer ticked hurt, angry and scared, stepped away (or quit), and found every box empty
    on return, while the words beside them were kept: ticks are saved the moment they change."""
    pause_store.save_active(ready_store, both_ready_to_talk(clock))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_the_talk(pilot, app)
        await pilot.press("enter")
        await pass_curtain(pilot, app, "Ana")
        feelings = app.screen.query_one("#feelings")
        await wait_for(pilot, lambda: app.focused is feelings)
        await pilot.press("space", "down", "space", "down", "down", "space")
        await wait_for(pilot, lambda: len(feelings.selected) == 3)
        ticked = sorted(feelings.selected)
        if way_out == "escape":
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, RepairScreen))
    app2 = make_app()
    async with app2.run_test(size=(80, 24)) as pilot:
        await _to_the_talk(pilot, app2)
        await pilot.press("enter")
        await pass_curtain(pilot, app2, "Ana")
        await wait_for(pilot, lambda: app2.screen.query("#feelings"))
        assert sorted(app2.screen.query_one("#feelings").selected) == ticked
        assert "✓" in screen_text(app2)
        # once the answer is given, the ticks go with it, and no old draft comes back
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not app2.screen.query("#feelings"))
        assert not [k for k in ready_store.table("drafts").all() if k["key"].endswith(":feelings")]


async def test_an_open_talk_does_not_take_over_the_start(make_app, clock, ready_store):
    """Every start of Hearth opened an old talk's page until Esc: now home says it is open, calmly."""
    pause_store.save_active(ready_store, both_ready_to_talk(clock))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await wait_for(pilot, lambda: "still open" in screen_text(app))
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "talk after the pause is still open" in screen_text(app) and "press 2" in screen_text(app)


async def test_ctrl_t_over_an_open_talk_takes_a_new_pause_for_who_asked(make_app, clock, ready_store):
    """ctrl+t from home while an old talk was open opened that talk; a second ctrl+t then added a
    break to the old pause, credited to the one who asked for the old one, 'more time taken 2
    times', and 'It's been 17 minutes' a minute in. Now it is a time-out of its own, at once."""
    from tui.screens.pause.countdown import PauseCountdownScreen

    old = start_pause(0, 20, clock.now())
    clock.advance(minutes=20)
    old.begin_checkin(clock.now())
    old.record_checkin(0, 3, False)
    old.record_checkin(1, 3, False)
    old.extend(10, clock.now())
    clock.advance(minutes=10)
    old.begin_checkin(clock.now())
    old.record_checkin(0, 5, False)
    old.record_checkin(1, 5, False)
    old.extend(10, clock.now())
    clock.advance(minutes=10)
    old.begin_checkin(clock.now())
    old.record_checkin(0, 7, True)
    old.record_checkin(1, 7, True)
    old.repair.submit(old.repair.current(), {"text": "ana words"})
    pause_store.save_active(ready_store, old)
    clock.advance(hours=3)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseStartScreen) and app.screen.query("#who-1"))
        assert "kept as it is" in await seen(pilot, app)
        await pilot.press("2")  # Sam needs the break
        await wait_for(pilot, lambda: isinstance(app.screen, PauseCountdownScreen) and app.screen.query("#back-line"))
        now = pause_store.active(ready_store)
        assert now.id != old.id and now.caller == 1 and not now.extensions and now.started == clock.now()
        text = await seen(pilot, app)
        assert "Sam asked for this pause" in text and "more time taken" not in text
        kept = pause_store.waiting(ready_store)
        assert [r.id for r in kept] == [old.id] and pause_store.set_aside(kept[0])
        clock.advance(minutes=1)
        await pilot.press("r")  # I'm ready, a minute in
        await wait_for(pilot, lambda: isinstance(app.screen, CheckInScreen) and app.screen.query("#begin"))
        assert "It's been 1 minute." in await seen(pilot, app)
        # afterwards, the old talk is there to go back to, every word kept
        pause_store.finish(ready_store, pause_store.active(ready_store), clock.now(), repair="not yet")
        await pilot.press("escape")
        await home(pilot, app)
        await wait_for(pilot, lambda: "kept for you" in screen_text(app))
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseStartScreen) and "Press r to go back" in screen_text(app))
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, CheckInScreen))
        back = pause_store.active(ready_store)
        assert back.id == old.id and back.repair.answers and pause_store.waiting(ready_store) == []


@pytest.mark.parametrize("with_pause_talk", [True, False])
async def test_home_says_a_talk_it_through_is_still_open(make_app, clock, ready_store, with_pause_talk):
    """Home listed the open talk after a pause and said nothing of a Talk it through left open."""
    from tui.core.talk import start_talk
    from tui.store.talks import save_talk

    save_talk(ready_store, start_talk(0, clock.now(), topic="money"))
    if with_pause_talk:
        pause_store.save_active(ready_store, both_ready_to_talk(clock))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await wait_for(pilot, lambda: "Talk it through is still open" in screen_text(app))
        text = screen_text(app)
        assert "Your talk about money in Talk it through is still open" in text
        assert ("press ctrl+t, then t" if with_pause_talk else "press 2, then t") in text
        assert ("talk after the pause is still open" in text) is with_pause_talk


async def test_a_time_out_taken_back_over_an_open_talk_opens_the_talk_again(make_app, clock, ready_store):
    """ctrl+t over an open talk, a key pressed by mistake, u: the talk is open again as it was."""
    from tui.screens.pause.countdown import PauseCountdownScreen

    old = both_ready_to_talk(clock)
    old.repair.submit(old.repair.current(), {"text": "ana words"})
    pause_store.save_active(ready_store, old)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseStartScreen) and app.screen.query("#who-1"))
        await pilot.press("1")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseCountdownScreen) and app.screen.query("#back-line"))
        assert pause_store.waiting(ready_store)
        await pilot.press("u")
        await home(pilot, app)
        back = pause_store.active(ready_store)
        assert back.id == old.id and back.phase == "repair" and back.repair.answers == old.repair.answers
        assert pause_store.waiting(ready_store) == [] and pause_store.records(ready_store) == []


@pytest.mark.parametrize("size", [(60, 20), (100, 30)])
async def test_the_start_screen_shows_every_length_and_the_whole_hint_at_any_width(make_app, size):
    """At 60×20 (the least Hearth needs) "Other" and the end of the hint were cut off: under 70
    columns the lengths sit closer and the hint says less, and nothing is cut."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await home(pilot, app)
        await pilot.press("2")
        await on(pilot, app, PauseStartScreen)
        await pilot.pause()
        shown = raw_screen_text(app)
        assert "Other" in shown and "60 min" in shown
        hint = "Who needs the break? Press your key." if size[0] < 70 else \
            "Who needs the break? Press your key (in a text box, press Enter first)."
        assert hint in shown
        for box in app.screen.query("#topic, #note").results(Input):
            assert len(box.placeholder) <= box.content_region.width, box.placeholder
