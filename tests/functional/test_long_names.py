"""Names at their limit (24 characters): the person is told as the box fills, never left to
find a name cut short; and a long name keeps the pause's start buttons on one line each."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tui.app import HearthApp
from tui.core.partners import MAX_NAME, Couple
from tui.paths import shipped_decks_dir
from tui.screens.pause.start import PauseStartScreen
from tui.screens.shell.home import HomeScreen
from tui.screens.shell.onboarding import OnboardingScreen
from tui.screens.shell.settings import SettingsScreen
from tui.store.profile import save_couple

from tests.helpers import screen_text, type_text, wait_for

LONG = "Maximiliana Alexandrina Worthington"  # 35 characters
LIMIT = f"up to {MAX_NAME} characters"


async def test_onboarding_says_the_limit_as_a_name_fills(store, clock):
    app = HearthApp(store, [shipped_decks_dir()], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OnboardingScreen))
        await pilot.pause()
        await type_text(pilot, LONG[:MAX_NAME - 1])
        assert LIMIT not in screen_text(app)
        await type_text(pilot, LONG[MAX_NAME - 1:])  # the 24th, then keys the box refuses
        await wait_for(pilot, lambda: LIMIT in screen_text(app))
        assert app.screen.query_one("#name-a", Input).value == LONG[:MAX_NAME]
        await pilot.press("backspace")
        await wait_for(pilot, lambda: LIMIT not in screen_text(app))


async def test_settings_says_the_limit_as_a_name_fills(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen) and app.screen.query("#name-0"))
        await pilot.pause()
        app.screen.query_one("#name-0", Input).focus()
        await pilot.press("end")
        await type_text(pilot, LONG)
        await wait_for(pilot, lambda: LIMIT in screen_text(app))


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_long_name_keeps_each_pause_button_on_one_line(make_app, ready_store, size):
    save_couple(ready_store, Couple.from_names(LONG[:MAX_NAME], "Bartholomew Fitzwilliams"))
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseStartScreen))
        await pilot.pause()
        await wait_for(pilot, lambda: all(line.count("needs a break") == 2 or "needs a break" not in line
                                          for line in screen_text(app).splitlines()))
        lines = [line for line in screen_text(app).splitlines() if "needs a break" in line]
        assert len(lines) == 1 and "1 ◆ Maximiliana" in lines[0] and "2 ● Bartholomew" in lines[0]
