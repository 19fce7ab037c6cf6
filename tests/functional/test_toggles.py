"""Choices show in the glyph, so colour is never the only signal (read from the rendered text)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import RadioSet

from tests.helpers import screen_text
from tui.screens.pause.widgets import CalmScale
from tui.widgets.toggles import MarkedCheckbox, MarkedRadioButton, MarkedSelectionList


class Toggles(App):
    def compose(self) -> ComposeResult:
        with RadioSet():
            yield MarkedRadioButton("twenty", value=True)
            yield MarkedRadioButton("thirty")
        yield MarkedCheckbox("keep it", value=False, id="keep")
        yield MarkedSelectionList[str](("hurt", "hurt"), ("tired", "tired", True), id="feelings")
        yield CalmScale(id="calm")


async def test_chosen_and_unchosen_look_different_without_colour():
    app = Toggles()
    async with app.run_test(size=(60, 24)) as pilot:
        text = screen_text(app)
        assert "●▌ twenty" in text and "○▌ thirty" in text
        assert "▐▌ keep it" in text  # a blank box, not a coloured X
        assert "▐✓▌tired" in text and "▐▌hurt" in text
        assert "[" not in text.split("tired")[-1]  # nothing chosen on the calm scale yet

        app.query_one("#keep", MarkedCheckbox).value = True
        app.query_one("#feelings", MarkedSelectionList).select("hurt")
        app.query_one("#calm", CalmScale).value = 10
        await pilot.pause()
        text = screen_text(app)
        assert "▐✓▌ keep it" in text and "▐✓▌hurt" in text and "[10]" in text


async def test_settings_switches_say_on_or_off(make_app):
    """Issue 15, rough edge: Settings switches had no text state under NO_COLOR."""
    from textual.widgets import Switch

    from tui.screens.shell.home import HomeScreen
    from tui.screens.shell.settings import SettingsScreen

    from tests.helpers import wait_for

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        bell = app.screen.query_one("#bell", Switch)
        before = app.screen.query_one("#bell-state").render()
        bell.toggle()
        await pilot.pause()
        after = app.screen.query_one("#bell-state").render()
        assert {str(before), str(after)} == {"On", "Off"}
