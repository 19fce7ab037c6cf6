"""Leaving Settings with Esc: nothing changed leaves at once; a change is never dropped without
a word, the person is asked to save it, throw it away, or stay (as the agreement editor asks)."""

from __future__ import annotations

from textual.widgets import Input

from tui.screens.shared.choice import ChoiceDialog
from tui.screens.shell.home import HomeScreen
from tui.screens.shell.settings import SettingsScreen
from tui.store.profile import load_couple

from tests.helpers import screen_text, wait_for


async def open_settings(app, pilot):
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
    await pilot.pause()


async def change_name_then_esc(app, pilot, name="Ana María"):
    await open_settings(app, pilot)
    app.screen.query_one("#name-0", Input).value = name
    await pilot.pause()
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, (ChoiceDialog, HomeScreen)))
    await pilot.pause()


async def test_esc_without_changes_leaves_at_once(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_esc_with_a_change_asks_and_save_keeps_it(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await change_name_then_esc(app, pilot)
        assert isinstance(app.screen, ChoiceDialog)
        assert "Keep these changes?" in screen_text(app)
        await pilot.press("enter")  # Save is the first, focused button
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert load_couple(ready_store)[0].name == "Ana María"


async def test_esc_then_throw_away_and_stay(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await change_name_then_esc(app, pilot)
        await pilot.press("escape")  # Esc on the question: stay, with the change still typed
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        assert app.screen.query_one("#name-0", Input).value == "Ana María"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        app.screen.query_one("#choice-discard").press()
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert load_couple(ready_store)[0].name == "Ana"


async def test_save_from_the_question_with_a_problem_stays_and_says_it(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await change_name_then_esc(app, pilot, name="")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        assert app.screen.query_one("#error-0").render().plain.strip()  # the name's message shows
    assert load_couple(ready_store)[0].name == "Ana"


async def test_changes_not_saved_when_hearth_quits_are_kept_and_filled_in_again(make_app, ready_store):
    """ctrl+q (or a closed terminal) in Settings with changes: they are neither applied nor lost,
    but filled in again the next time Settings opens, to save or throw away."""
    from tui.store.drafts import load_draft

    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_settings(app, pilot)
        app.screen.query_one("#name-0", Input).value = "Ana Maria"
        await pilot.pause()
        await pilot.press("ctrl+q")
    assert load_couple(ready_store)[0].name == "Ana"  # not applied
    app2 = make_app()
    async with app2.run_test(size=(80, 24), notifications=True) as pilot:
        await open_settings(app2, pilot)
        assert app2.screen.query_one("#name-0", Input).value == "Ana Maria"
        assert any("filled in again" in n.message for n in app2._notifications)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app2.screen, ChoiceDialog))
        await pilot.press("enter")  # Save
        await wait_for(pilot, lambda: isinstance(app2.screen, HomeScreen))
    assert load_couple(ready_store)[0].name == "Ana Maria"
    from tui.screens.shell.settings import SETTINGS_DRAFT
    assert load_draft(ready_store, SETTINGS_DRAFT) is None
