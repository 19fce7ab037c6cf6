"""Every screen home opens has its widgets' styles parsed while home sits idle (each screen
module's `warm`, called by HearthApp._preload_next), so the key that opens it parses none: for
History that was about 3 ms of its first open, for the pause 5 ms (issue 17)."""

from __future__ import annotations

import pytest
import textual.css.stylesheet as sheet_module
from textual.screen import Screen

from tui.screens.shell.home import HomeScreen

from tests.helpers import wait_for

SCREENS = [("1", "RoundSetupScreen"), ("2", "PauseStartScreen"), ("3", "AgreementsScreen"),
           ("4", "ReflectionScreen"), ("h", "HistoryScreen")]


@pytest.mark.parametrize("key, name", SCREENS)
async def test_opening_a_screen_from_home_parses_no_styles(make_app, monkeypatch, key, name):
    app = make_app()
    done: list[bool] = []
    real_done = type(app)._preloaded
    monkeypatch.setattr(type(app), "_preloaded", lambda self: (done.append(True), real_done(self)))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_for(pilot, lambda: done, tries=500)  # every screen module imported and warmed
        parsed: list[str] = []
        real = sheet_module.parse

        def counting(scope, css, read_from, *args, **kwargs):
            parsed.append(read_from[1])
            return real(scope, css, read_from, *args, **kwargs)

        monkeypatch.setattr(sheet_module, "parse", counting)
        await pilot.press(key)
        await wait_for(pilot, lambda: type(app.screen).__name__ == name)
        await pilot.pause()
        assert parsed == [], parsed


@pytest.mark.parametrize("key, name", SCREENS)
async def test_a_screens_first_showing_styles_its_widgets_once(make_app, monkeypatch, key, name):
    """Each widget is styled as it mounts; the first showing does not style them all again
    (tui/screens/shared/styled_once.py)."""
    app = make_app()
    restyled: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))

        def spy(self, *args, **kwargs):
            restyled.append(type(self).__name__)
            return real(self, *args, **kwargs)

        real = Screen.update_node_styles
        monkeypatch.setattr(Screen, "update_node_styles", spy)
        await pilot.press(key)
        await wait_for(pilot, lambda: type(app.screen).__name__ == name)
        await pilot.pause()
        assert name not in restyled
