"""Talk it through begun at both homes at once, on screen: the one begun here folds into the one
the merge kept (the same at both), with a calm word, and what was typed here waits in the box."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tui.core.talk import start_talk
from tui.screens.pause.talk import TalkScreen
from tui.store import talks as talk_store
from tui.store.drafts import load_draft
from tui.widgets.two_homes import OtherHomeChanged

from tests.functional.test_two_homes_pause import app_at, from_b
from tests.pause_helpers import home, seen, wait_for
from tests.two_homes import make_two_homes


@pytest.fixture
def homes(tmp_path, clock):
    h = make_two_homes(tmp_path, clock)
    yield h
    h.close()


async def _ana_begins_and_types(pilot, app):
    await home(pilot, app)
    app.push_screen(TalkScreen())
    await wait_for(pilot, lambda: isinstance(app.screen, TalkScreen) and app.screen.query("#first-0"))
    app.screen.query_one("#first-0").press()  # Ana has the floor first, at her computer
    await wait_for(pilot, lambda: app.screen.view == "speak" and app.screen.query("#area-text"))
    app.screen.query_one("#area-text").focus()
    await pilot.press(*"I was hurt")
    await pilot.pause()


async def test_the_talk_begun_here_folds_into_the_one_kept_and_the_words_wait_in_the_box(homes, clock):
    app = app_at(homes.a, clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _ana_begins_and_types(pilot, app)
        sams = start_talk(1, clock.now())  # Sam began too, at the same moment, and spoke
        sams.speak("I felt alone at the party", clock.now())
        talk_store.save_talk(homes.a, sams)  # as a merge that kept Sam's would leave it here
        app.screen.post_message(OtherHomeChanged(SimpleNamespace(changed=[("talk_active", "1")])))
        await wait_for(pilot, lambda: app.screen.talk is not None and app.screen.talk.id == sams.id
                       and app.screen.view == "mirror")
        text = await seen(pilot, app)
        assert "I felt alone at the party" in text  # Ana now sums up Sam's piece in the one talk
        assert any("You both began a talk at the same moment" in n.message and "waits in your box" in n.message
                   for n in app._notifications)
        assert load_draft(homes.a, sams.next_speak_key(0)) == "I was hurt"  # her turn to speak is next
        assert talk_store.active_talk(homes.a).id == sams.id  # nothing of hers written over it


async def test_both_begin_at_once_for_real_one_talk_at_both_and_nothing_typed_lost(homes, clock):
    app = app_at(homes.a, clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _ana_begins_and_types(pilot, app)
        anas = talk_store.active_talk(homes.a)
        sams = start_talk(1, clock.now())
        sams.speak("I felt alone at the party", clock.now())
        talk_store.save_talk(homes.b, sams)
        from_b(homes)
        app.homes.merge()
        homes.ship()
        homes.merge(homes.b)
        kept = talk_store.active_talk(homes.b)
        await wait_for(pilot, lambda: app.screen.talk is not None and app.screen.talk.id == kept.id)
        assert talk_store.active_talk(homes.a).to_dict() == kept.to_dict()
        if kept.id == sams.id:  # Ana's start folded into Sam's
            assert load_draft(homes.a, kept.next_speak_key(0)) == "I was hurt"
        else:  # Sam's folded into Ana's: at his computer, his words wait for his turn to speak
            assert kept.id == anas.id
            assert load_draft(homes.b, kept.next_speak_key(1)) == "I felt alone at the party"
