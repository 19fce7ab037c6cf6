"""Pilot tests for the weekly reflection's optional steps: chosen when starting or in Settings,
One issue's turns, the plan for good times, feeling loved; each with help of its own, at 80x24."""

from __future__ import annotations

from textual.widgets import Checkbox, Input

from tui.core import reflection as rules
from tui.core.reflection_extras import choose_extras, issue_talk
from tui.screens.reflection.extra_steps import ExtrasChoiceScreen, FeelLovedForm, GoodTimesForm, OneIssueForm
from tui.screens.reflection.flow import ReflectionFlowScreen
from tui.screens.reflection.steps import LastItemsForm, NextItemsForm
from tui.screens.shell.help import HelpScreen
from tui.screens.shell.settings import SettingsScreen
from tui.store import reflections as store_r
from tui.store.profile import set_setting, setting
from tui.widgets.draft_area import DraftArea

from tests.conftest import START
from tests.helpers import screen_text, type_text, wait_for
from tests.functional.test_reflection_screens import THIS, choose, form, open_reflection, pass_curtain, wait_form


def help_text(app) -> str:
    return " ".join(str(s.render()) for s in app.screen.query("Static"))


async def put(pilot, app, widget_id: str, text: str) -> None:
    await wait_for(pilot, lambda: bool(app.screen.query(widget_id)))
    app.screen.query_one(widget_id, DraftArea).insert(text)
    await pilot.pause()


async def test_choosing_the_extra_steps_when_starting(make_app, ready_store):
    set_setting(ready_store, "reflection_extras", ["good_times"])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reflection(pilot, app)
        await choose(pilot, app, "this:choose")
        await wait_for(pilot, lambda: isinstance(app.screen, ExtrasChoiceScreen))
        await pilot.pause()
        text = screen_text(app)
        assert "One issue" in text and "Plan for good times" in text and "Feeling loved" in text
        assert app.screen.query_one("#extra-good_times", Checkbox).value  # as in Settings
        await pilot.press("shift+tab", "shift+tab", "shift+tab")  # up to One issue
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "extra-one_issue")
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await pass_curtain(pilot, app, 0)  # the reflection begins as always, with appreciations
    r = store_r.get(ready_store, THIS)
    assert r.extras == ("one_issue", "good_times")
    assert setting(ready_store, "reflection_extras") == ["good_times"]  # the usual choice is unchanged


async def test_settings_choose_the_usual_extras(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "HomeScreen")
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        box = app.screen.query_one("#extra-feel_loved", Checkbox)
        box.focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, SettingsScreen))
        assert setting(ready_store, "reflection_extras") == ["feel_loved"]
        await open_reflection(pilot, app)
        await choose(pilot, app, "this:full")
        await pass_curtain(pilot, app, 0)
    assert store_r.get(ready_store, THIS).extras == ("feel_loved",)


async def test_the_extra_steps_one_by_one_by_keyboard(make_app, ready_store):
    r = choose_extras(rules.new_reflection(THIS, rules.FULL, START), list(rules.EXTRA_STEPS), START)
    r.step, r.skipped = "one_issue", ["appreciations", "ratings", "words"]
    store_r.save(ready_store, r)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reflection(pilot, app)
        await choose(pilot, app, "this:full")
        await wait_form(pilot, app, OneIssueForm)
        assert "One issue" in screen_text(app) and "solve later" in screen_text(app)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "Understand first, solve later" in help_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReflectionFlowScreen))
        await pilot.press("ctrl+s")  # no topic yet: asked for one
        await wait_for(pilot, lambda: "Name the one topic first" in screen_text(app))
        await type_text(pilot, "the car")
        await pilot.press("enter", "down", "enter")  # onto who speaks first: Sam
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: issue_talk(store_r.get(ready_store, THIS)) is not None)
        await wait_for(pilot, lambda: "your turn to speak" in screen_text(app))
        assert "Sam" in screen_text(app) and "Topic: the car" in screen_text(app)
        for speaker, listener in (("Sam", "Ana"), ("Ana", "Sam")):
            await put(pilot, app, "#issue-text", f"{speaker} needs the car on Fridays")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "say back what you heard" in screen_text(app))
            await put(pilot, app, "#issue-text", f"Fridays matter to {speaker}")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "did I get it?" in screen_text(app))
            assert f"Fridays matter to {speaker}" in screen_text(app)
            await pilot.press("ctrl+s")  # the box left empty: yes, that's it
            await wait_for(pilot, lambda: "what makes sense to you" in screen_text(app))
            await put(pilot, app, "#issue-text", "work is far")
            await pilot.press("ctrl+s")
        await wait_form(pilot, app, LastItemsForm)  # understand first: the reflection goes on
        await pilot.press("ctrl+s")
        await wait_form(pilot, app, NextItemsForm)
        await pilot.press("ctrl+s")
        await wait_form(pilot, app, GoodTimesForm)
        assert "Plan for good times" in screen_text(app)
        await type_text(pilot, "Pizza on Saturday")
        await pilot.press("ctrl+s")
        await wait_form(pilot, app, FeelLovedForm)
        text = screen_text(app)
        assert "What would help you feel loved this week?" in text and "Ana" in text and "Sam" in text
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "feel loved" in help_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReflectionFlowScreen))
        await type_text(pilot, "A note in my bag")
        await pilot.press("ctrl+s")  # Sam leaves his empty
        await wait_for(pilot, lambda: form(app).__class__.__name__ == "DueForm")
    r = store_r.get(ready_store, THIS)
    assert r.extra["good_times"] == "Pizza on Saturday"
    assert r.extra["feel_loved"] == {"p0": "A note in my bag"}
    assert [e.partner for e in issue_talk(r).entries if e.kind == "speak"] == [1, 0]


async def test_an_extra_step_can_be_skipped_and_its_draft_kept(make_app, ready_store):
    r = choose_extras(rules.new_reflection(THIS, rules.FULL, START), ["good_times"], START)
    r.step = "good_times"
    store_r.save(ready_store, r)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reflection(pilot, app)
        await choose(pilot, app, "this:full")
        await wait_form(pilot, app, GoodTimesForm)
        await type_text(pilot, "maybe a film")
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: form(app).__class__.__name__ == "DueForm")
    r = store_r.get(ready_store, THIS)
    assert "good_times" in r.skipped and "good_times" not in r.extra
