"""Settings and the screens it opens show plainly what has the keyboard: every stop on the Tab
path wears the theme's accent when focused, in every theme, and no stop shows nothing."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.widgets import Select

from tui.screens.shell.encryption import EncryptionScreen
from tui.screens.shell.link import LinkScreen
from tui.screens.shell.settings import SettingsScreen

from tests.helpers import wait_for

THEMES = ("textual-dark", "textual-light", "nord", "ansi-dark")


def marked(widget, accent) -> bool:
    """Whether the focused widget's frame (a Select's: its inner box) is drawn in `accent`."""
    target = widget.query_one("SelectCurrent") if isinstance(widget, Select) else widget
    return {target.styles.border_top[1].rgb, target.styles.border_bottom[1].rgb} == {accent.rgb}


@pytest.mark.parametrize("theme", THEMES)
async def test_every_stop_in_settings_and_what_it_opens_shows_it_has_the_keyboard(make_app, theme):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        for opened in (None, LinkScreen(), EncryptionScreen("on")):
            if opened is not None:
                app.push_screen(opened)
                await wait_for(pilot, lambda: app.screen is opened and app.screen.query("Input"))
            accent = Color.parse(app.get_css_variables()["accent"])
            chain = app.screen.focus_chain
            assert chain and not any(w.id in ("settings-body", "link-body", "crypt-body") for w in chain)
            for widget in chain:
                widget.focus()
                await pilot.pause()
                assert marked(widget, accent), f"{widget!r} shows no sign of focus in {theme}"
