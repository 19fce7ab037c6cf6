"""Each screen home opens styles its widgets once on its first showing (issue 17: styling them
all again was about a fifth of a first open)."""

from __future__ import annotations

import pytest
from textual.screen import Screen

from tui.screens.shell.home import HomeScreen

from tests.helpers import wait_for

SCREENS = [("1", "RoundSetupScreen"), ("2", "PauseStartScreen"), ("3", "AgreementsScreen"),
           ("4", "ReflectionScreen"), ("h", "HistoryScreen")]


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
