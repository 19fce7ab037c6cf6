"""Below 60x20 a notice covers the screen; what is typed meanwhile reaches the answer box after."""

from __future__ import annotations

from tui.screens.shell.too_small import TooSmallScreen

from tests.helpers import type_text, wait_for
from tests.functional.test_rounds_screens import lift_curtain, start_round


async def test_words_typed_while_the_window_is_too_small_are_kept(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_round(pilot, app, "write")
        await lift_curtain(pilot, app, "Ana")
        await type_text(pilot, "before ")
        await pilot.resize_terminal(50, 15)
        await wait_for(pilot, lambda: isinstance(app.screen, TooSmallScreen))
        await type_text(pilot, "while tiny ")
        await pilot.press("backspace")
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: not isinstance(app.screen, TooSmallScreen))
        await type_text(pilot, " after")
        area = app.screen.query_one("#answer")
        await wait_for(pilot, lambda: area.text == "before while tiny after")


async def test_on_home_keys_typed_behind_the_notice_do_nothing(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        await pilot.resize_terminal(50, 15)
        await wait_for(pilot, lambda: isinstance(app.screen, TooSmallScreen))
        await pilot.press("1")  # would open a round on home
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        await pilot.pause(0.1)
        assert type(app.screen).__name__ == "HomeScreen"
