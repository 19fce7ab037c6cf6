"""Talk it through at two homes: what a partner was typing when the other stopped the talk (F4)
is shown again, kept for them, and offered back the next time they open a talk; never lost."""

from __future__ import annotations

import pytest

from tui.core.talk import start_talk
from tui.screens.pause.talk import TalkScreen
from tui.store import talks as talk_store

from tests.functional.test_two_homes_pause import app_at, from_b, screen_text_of
from tests.pause_helpers import home, seen, wait_for
from tests.two_homes import make_two_homes


@pytest.fixture
def homes(tmp_path, clock):
    h = make_two_homes(tmp_path, clock)
    yield h
    h.close()


async def test_words_typed_as_the_other_stops_the_talk_are_shown_again_and_offered_back(homes, clock):
    talk = start_talk(1, clock.now())  # Sam speaks first; Ana sums it up at her computer
    talk.speak("I felt alone at the party", clock.now())
    talk_store.save_talk(homes.b, talk)
    from_b(homes)
    homes.merge(homes.a)
    app = app_at(homes.a, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        app.push_screen(TalkScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, TalkScreen) and app.screen.query("#area-text"))
        await pilot.press(*"you felt left on your own")
        at_b = talk_store.active_talk(homes.b)
        at_b.stop_here(clock.now())  # Sam presses F4 at his computer while Ana types
        talk_store.save_talk(homes.b, at_b)
        from_b(homes)
        app.homes.merge()
        await wait_for(pilot, lambda: app.screen.view == "keep" and app.screen.query("#talk-unsent"))
        assert "you felt left on your own" in await seen(pilot, app)
        assert "kept for you" in screen_text_of(app)

        # Ana chooses, Sam's choice arrives: the talk ends; her words are set aside, not gone
        await pilot.press("ctrl+s")
        at_b = talk_store.active_talk(homes.b)
        homes.ship()
        homes.merge(homes.b)
        at_b = talk_store.active_talk(homes.b)
        at_b.keep_mine(1, False, False)
        talk_store.save_talk(homes.b, at_b)
        from_b(homes)
        app.homes.merge()
        await wait_for(pilot, lambda: app.screen.view == "done")
        assert talk_store.aside(homes.a) == "you felt left on your own"
        await pilot.press("enter")  # close
        await wait_for(pilot, lambda: not isinstance(app.screen, TalkScreen))

        # the next time she opens Talk it through, they are offered back
        app.push_screen(TalkScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, TalkScreen) and app.screen.query("#talk-aside"))
        assert "you felt left on your own" in await seen(pilot, app)
        app.screen.query_one("#aside-go").press()
        await wait_for(pilot, lambda: not app.screen.query("#talk-aside"))
        assert talk_store.aside(homes.a) is None


def test_unsent_words_are_set_aside_and_added_to_not_over(homes, clock):
    talk = start_talk(0, clock.now())
    from tui.store.drafts import save_draft

    save_draft(homes.a, talk.draft_key(), "first words")
    talk_store.end_talk(homes.a, talk, keep={}, keep_unsent=True)
    other = start_talk(0, clock.advance(minutes=5))
    save_draft(homes.a, other.draft_key(), "second words")
    talk_store.end_talk(homes.a, other, keep={}, keep_unsent=True)
    assert talk_store.aside(homes.a) == "first words\n\nsecond words"
    third = start_talk(0, clock.advance(minutes=5))
    save_draft(homes.a, third.draft_key(), "at one keyboard")
    talk_store.end_talk(homes.a, third, keep={})  # as today: the talk's drafts go with it
    assert talk_store.aside(homes.a) == "first words\n\nsecond words"


async def test_late_words_in_the_log_are_read_only_by_their_writer(homes, clock):
    from tui.core.pause import start_pause
    from tui.screens.pause.log import PauseDetailScreen
    from tui.store import pauses as pause_store

    p = start_pause(0, 20, clock.now())
    clock.advance(minutes=20)
    p.begin_checkin(clock.now())
    p.record_checkin(0, 7, True)
    p.record_checkin(1, 7, True)
    pause_store.save_active(homes.a, p)
    homes.settle()
    pause_store.finish(homes.a, pause_store.active(homes.a), clock.now(), repair="not yet")
    sams = pause_store.active(homes.b)
    from tests.unit.test_repair_apart import write

    write(sams.repair, 1, "unheard at dinner")
    pause_store.save_active(homes.b, sams)
    homes.settle()
    for store in (homes.a, homes.b):
        pause_store.fold_remnant(store)
    for store, sees_words in ((homes.b, True), (homes.a, False)):
        app = app_at(store, clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await home(pilot, app)
            app.push_screen(PauseDetailScreen(pause_store.records(store)[0]))
            await wait_for(pilot, lambda: isinstance(app.screen, PauseDetailScreen))
            text = await seen(pilot, app)
            assert ("unheard at dinner" in text) is sees_words
            if not sees_words:
                assert "Sam had begun writing as the talk was left for now" in text
