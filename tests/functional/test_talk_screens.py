"""Pilot tests for Talk it through and the dream behind a conflict: every step by keyboard, at 80x24."""

from __future__ import annotations

from textual.widgets import Button, Checkbox, Static

from tui.core.agreements import Status
from tui.core.talk import start_talk
from tui.screens.agreements.detail import AgreementDetailScreen
from tui.screens.pause.dream import DreamScreen
from tui.screens.pause.start import PauseStartScreen
from tui.screens.pause.talk import TalkScreen
from tui.screens.shared.curtain import CurtainScreen
from tui.screens.shell.help import HelpScreen
from tui.store import agreements as store_ag
from tui.store import talks as talk_store
from tui.store.drafts import load_draft
from tui.widgets.draft_area import DraftArea

from tests.helpers import type_text
from tests.pause_helpers import home, on, pass_curtain, screen_text, seen, turn_of, wait_for, write


def help_text(app) -> str:
    """All of the help's words, scrolled out of sight or not."""
    return " ".join(str(s.render()) for s in app.screen.query(Static))


async def open_talk(pilot, app, key: str = "t") -> None:
    await home(pilot, app)
    await pilot.press("2")
    await on(pilot, app, PauseStartScreen)
    await pilot.press(key)
    await on(pilot, app, TalkScreen if key == "t" else DreamScreen)
    await wait_for(pilot, lambda: app.screen.query("#topic") or app.screen.query(DraftArea))


async def stage(pilot, app, name: str) -> str:
    await wait_for(pilot, lambda: isinstance(app.screen, TalkScreen) and app.screen.view == name)
    return await seen(pilot, app)


async def focused_is(pilot, app, widget_id: str) -> None:
    await wait_for(pilot, lambda: app.focused is not None and app.focused.id == widget_id)


async def one_round(pilot, app, said: str, heard: str) -> None:
    await stage(pilot, app, "speak")
    await write(pilot, app, said)
    await pilot.press("ctrl+s")
    await stage(pilot, app, "mirror")
    await write(pilot, app, heard)
    await pilot.press("ctrl+s")
    await stage(pilot, app, "check")
    await focused_is(pilot, app, "yes")
    await pilot.press("enter")
    await stage(pilot, app, "validate")
    await write(pilot, app, "it matters to you")
    await write(pilot, app, "tired", part="feeling")
    await pilot.press("ctrl+s")


# -- talk it through ------------------------------------------------------------------------------------
async def test_talk_it_through_every_step_by_keyboard_keeps_only_what_was_chosen(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_talk(pilot, app)
        text = await seen(pilot, app)
        assert "Whoever holds the keyboard has the floor" in text
        await type_text(pilot, "Sundays")
        await focused_is(pilot, app, "topic")
        await pilot.press("tab")
        await focused_is(pilot, app, "timer-on")
        await pilot.press("space")  # the timer off, and on again
        await pilot.press("space")
        await pilot.press("tab", "right", "right")  # the turn lengths: 3 min
        await pilot.press("enter")
        await pilot.press("shift+tab", "shift+tab")
        await focused_is(pilot, app, "topic")
        await pilot.press("enter")  # Enter in the topic goes to the buttons that begin
        await focused_is(pilot, app, "first-0")
        await pilot.press("enter")
        text = await stage(pilot, app, "speak")
        assert turn_of(app) == "Ana" and "you have the floor" in text and "Topic: Sundays" in text
        assert "About 3:00 left in this turn" in text
        await type_text(pilot, "I miss slow mornings")
        await pilot.press("ctrl+s")
        text = await stage(pilot, app, "mirror")
        assert turn_of(app) == "Sam" and "I miss slow mornings" in text
        await write(pilot, app, "You want lazy starts to the day")
        await pilot.press("ctrl+s")
        text = await stage(pilot, app, "check")
        assert turn_of(app) == "Ana" and "did I get it?" in text and "lazy starts" in text
        await focused_is(pilot, app, "yes")
        await pilot.press("enter")
        text = await stage(pilot, app, "validate")
        assert turn_of(app) == "Sam" and "That makes sense to me, because" in text
        assert "Done, swap (ctrl+s)" in text  # the longest turn fits at 80x24
        await write(pilot, app, "the week is rushed")
        await write(pilot, app, "worn out", part="feeling")
        await pilot.press("ctrl+s")
        text = await stage(pilot, app, "speak")
        assert turn_of(app) == "Sam"  # swapped
        await one_round(pilot, app, "I like seeing friends on Sundays", "Sundays with friends matter to you")
        text = await stage(pilot, app, "heard")
        assert "Do you each feel heard?" in text
        await focused_is(pilot, app, "heard-0-yes")
        await pilot.press("enter")
        await focused_is(pilot, app, "heard-1-yes")
        await pilot.press("enter")
        text = await stage(pilot, app, "solve_ask")
        assert "Stopping at understanding" in text
        await focused_is(pilot, app, "solve_ask-0-yes")
        await pilot.press("enter")
        await focused_is(pilot, app, "solve_ask-1-yes")
        await pilot.press("enter")
        await stage(pilot, app, "solve")
        await write(pilot, app, "Slow mornings, friends after lunch")
        await pilot.press("ctrl+s")
        text = await stage(pilot, app, "keep")
        assert "Nothing is kept unless you tick it" in text
        assert not any(box.value for box in app.screen.query(Checkbox))  # nothing ticked for them
        await focused_is(pilot, app, "keep-0")
        await pilot.press("space")  # Ana keeps her words; Sam does not; the ideas are not ticked
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.view == "done")
        assert "What you chose is kept" in await seen(pilot, app)
    kept = talk_store.kept_talks(ready_store)
    assert len(kept) == 1 and kept[0]["topic"] == "Sundays"
    assert {e["partner"] for e in kept[0]["entries"]} == {0}
    assert "I like seeing friends" not in str(kept) and "lazy" not in str(kept)  # Sam's words stay out
    assert "after lunch" not in str(kept)  # so do the ideas, not ticked
    assert talk_store.active_talk(ready_store) is None
    assert not [d for d in ready_store.table("drafts").all() if d["key"].startswith("talk:")]


async def test_did_i_get_it_a_correction_goes_back_to_the_listener(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_talk(pilot, app)
        app.screen.query_one("#first-1", Button).press()
        await stage(pilot, app, "speak")
        await write(pilot, app, "It's the cost, not the trip")
        await pilot.press("ctrl+s")
        await stage(pilot, app, "mirror")
        await write(pilot, app, "It's the cost, not the trip")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "own words" in screen_text(app))  # an echo is not a summary
        app.screen.query_one("#area-text", DraftArea).load_text("You don't want to go")
        await pilot.press("ctrl+s")
        await stage(pilot, app, "check")
        await write(pilot, app, "I do want to go; paying for it worries me")
        await pilot.press("ctrl+s")
        text = await stage(pilot, app, "mirror")
        assert turn_of(app) == "Ana" and "again, with what they added" in text and "worries me" in text


async def test_only_the_speaker_may_pass_the_floor(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_talk(pilot, app)
        app.screen.query_one("#first-0", Button).press()
        await stage(pilot, app, "speak")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: turn_of(app) == "Sam" and app.screen.view == "speak")
        await write(pilot, app, "my piece")
        await pilot.press("ctrl+s")
        await stage(pilot, app, "mirror")
        await pilot.press("ctrl+n")  # the listener cannot pass
        await pilot.pause()
        assert app.screen.view == "mirror"
        await pilot.press("ctrl+s")  # nor leave the summary empty
        await wait_for(pilot, lambda: "Write back what you heard" in screen_text(app))


async def test_the_gentle_timer_nudges_and_turns_off(make_app, clock):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_talk(pilot, app)
        app.screen.query_one("#first-0", Button).press()
        await stage(pilot, app, "speak")
        clock.advance(minutes=3)
        app.screen._tick()
        assert "finish your thought, no rush" in await seen(pilot, app)
        await write(pilot, app, "still my turn")
        await pilot.press("f3")
        assert "Timer off" in await seen(pilot, app)
        assert talk_store.active_talk(app.store).timer_on is False
        await pilot.press("ctrl+s")  # the turn was never cut off
        await stage(pilot, app, "mirror")


async def test_ctrl_t_mid_turn_keeps_the_words_and_comes_back_to_the_talk(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_talk(pilot, app)
        app.screen.query_one("#first-0", Button).press()
        await stage(pilot, app, "speak")
        await type_text(pilot, "half a tho")
        await pilot.press("ctrl+t")
        await on(pilot, app, PauseStartScreen)
        talk = talk_store.active_talk(ready_store)
        assert load_draft(ready_store, talk.draft_key()) == "half a tho"
        await pilot.press("t")  # Talk it through from here goes back to the talk underneath
        await on(pilot, app, TalkScreen)
        assert app.screen.query_one("#area-text", DraftArea).text == "half a tho"
        assert sum(isinstance(s, TalkScreen) for s in app.screen_stack) == 1


async def test_the_talk_waits_after_esc_and_a_restart(make_app, ready_store, clock):
    talk = start_talk(1, clock.now(), topic="chores")
    talk.speak("The dishes pile up", clock.now())
    talk_store.save_talk(ready_store, talk)
    from tui.store.drafts import save_draft
    save_draft(ready_store, talk.draft_key(), "You feel the dishes")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_talk(pilot, app)
        text = await stage(pilot, app, "mirror")
        assert turn_of(app) == "Ana" and "The dishes pile up" in text
        assert app.screen.query_one("#area-text", DraftArea).text == "You feel the dishes"
        await pilot.press("f1")
        await on(pilot, app, HelpScreen)
        assert "Help · Talk it through" in await seen(pilot, app)
        assert "own words" in help_text(app) and "afraid" in help_text(app)
        await pilot.press("escape")
        await on(pilot, app, TalkScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, TalkScreen))
    assert talk_store.active_talk(ready_store) is not None


async def test_stopping_early_and_keeping_nothing_leaves_nothing(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_talk(pilot, app)
        app.screen.query_one("#first-0", Button).press()
        await stage(pilot, app, "speak")
        await write(pilot, app, "something private-ish")
        await pilot.press("ctrl+s")
        await stage(pilot, app, "mirror")
        await pilot.press("f4")
        await stage(pilot, app, "keep")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.view == "done")
        assert "Nothing from this talk was kept" in await seen(pilot, app)
    assert talk_store.kept_talks(ready_store) == []
    assert "private-ish" not in str(ready_store.storage.read())


# -- the dream behind a conflict ------------------------------------------------------------------------
async def dream_stage(pilot, app, name: str) -> str:
    await wait_for(pilot, lambda: isinstance(app.screen, DreamScreen) and app.screen.view == name)
    return await seen(pilot, app)


async def test_the_dream_flow_every_step_to_a_draft_agreement(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_talk(pilot, app, "d")
        text = await seen(pilot, app)
        assert "keeps coming back" in text and "afraid" in text
        await type_text(pilot, "money")
        await pilot.press("enter")
        await focused_is(pilot, app, "first-0")
        await pilot.press("enter")
        await pass_curtain(pilot, app, "Ana")
        text = await dream_stage(pilot, app, "write")
        assert turn_of(app) == "Ana" and "in private" in text
        await write(pilot, app, "Savings let me sleep at night")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        assert "Savings" not in screen_text(app)
        await pass_curtain(pilot, app, "Sam")
        text = await dream_stage(pilot, app, "write")
        assert turn_of(app) == "Sam" and "Savings" not in text  # private until both have written
        await write(pilot, app, "Trips are how I feel free")
        await pilot.press("ctrl+s")
        text = await dream_stage(pilot, app, "listen")
        assert turn_of(app) == "Sam" and "Savings let me sleep at night" in text and "with curiosity" in text
        await pilot.press("ctrl+n")  # the note may be left empty
        await wait_for(pilot, lambda: turn_of(app) == "Ana")
        text = await seen(pilot, app)
        assert "Trips are how I feel free" in text
        await write(pilot, app, "Travel makes you feel free")
        await pilot.press("ctrl+s")
        await dream_stage(pilot, app, "mark")
        assert turn_of(app) == "Ana"
        await pilot.press("ctrl+s")  # both empty: asked for one of the two
        await wait_for(pilot, lambda: "at least one of the two" in screen_text(app))
        await write(pilot, app, "A cushion of savings", part="firm")
        await pilot.press("tab")
        await write(pilot, app, "How big the cushion is", part="flexible")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: turn_of(app) == "Sam")
        await write(pilot, app, "One trip a year", part="firm")
        await pilot.press("ctrl+s")
        text = await dream_stage(pilot, app, "trial")
        assert "A cushion of savings" in text and "One trip a year" in text
        await write(pilot, app, "We save a set amount monthly and plan one trip from the rest")
        await pilot.press("ctrl+s")
        text = await dream_stage(pilot, app, "done")
        assert "Agreements as a draft" in text
        await focused_is(pilot, app, "open")
        await pilot.press("enter")
        await on(pilot, app, AgreementDetailScreen)
        assert "Trial: money" in await seen(pilot, app)
    [agreement] = store_ag.list_agreements(ready_store)
    assert agreement.status is Status.DRAFT and agreement.review == "monthly" and agreement.category == "conflict"
    assert agreement.title == "Trial: money"
    assert talk_store.active_dream(ready_store) is None
    assert "sleep at night" not in str(ready_store.storage.read())  # the notes are not kept


async def test_a_time_out_over_a_private_dream_turn_brings_the_curtain_back(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_talk(pilot, app, "d")
        app.screen.query_one("#first-1", Button).press()
        await pass_curtain(pilot, app, "Sam")
        await dream_stage(pilot, app, "write")
        await write(pilot, app, "secret words")
        await pilot.press("ctrl+t")
        await on(pilot, app, PauseStartScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        assert "secret words" not in screen_text(app)
        await pass_curtain(pilot, app, "Sam")
        await dream_stage(pilot, app, "write")
        assert app.screen.query_one("#area-text", DraftArea).text == "secret words"
        await pilot.press("f1")
        await on(pilot, app, HelpScreen)
        assert "out of sight of the other" in help_text(app)


async def test_kept_talks_can_be_read_again_and_are_in_the_export(make_app, ready_store, clock):
    from tui.screens.pause.talk import KeptTalksScreen
    from tui.store.markdown import export_markdown

    talk = start_talk(0, clock.now(), topic="chores")
    talk.speak("The dishes pile up", clock.now())
    talk.mirror("You're tired of the dishes", clock.now())
    talk_store.end_talk(ready_store, talk, keep={0: True, 1: False})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_talk(pilot, app)
        app.screen.query_one("#first-0", Button).focus()
        await pilot.press("k")
        await on(pilot, app, KeptTalksScreen)
        text = await seen(pilot, app)
        assert "chores" in text and "Ana said: The dishes pile up" in text
        assert "tired of the dishes" not in text  # Sam's words were not kept
        await pilot.press("escape")
        await on(pilot, app, TalkScreen)
    md = export_markdown(ready_store)
    assert "## Talks you kept" in md and "Ana said: The dishes pile up" in md and "tired of" not in md
