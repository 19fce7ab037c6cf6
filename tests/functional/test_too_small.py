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


async def test_the_notice_fits_a_tiny_window_and_esc_behind_it_does_nothing(make_app):
    from tui.screens.rounds.setup import RoundSetupScreen
    from tests.functional.test_rounds_screens import open_setup
    from tests.helpers import screen_text

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_setup(pilot, app)
        for w, h in ((40, 12), (30, 10)):
            await pilot.resize_terminal(w, h)
            await wait_for(pilot, lambda: isinstance(app.screen, TooSmallScreen))
            await pilot.pause()
            words = " ".join(screen_text(app).split())
            assert f"This window is {w}×{h}." in words and "nothing is lost." in words
        await pilot.press("escape")  # would leave the round setup, unseen
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: not isinstance(app.screen, TooSmallScreen))
        await pilot.pause(0.1)
        assert isinstance(app.screen, RoundSetupScreen)


async def test_a_time_out_taken_behind_the_notice_stays_behind_it_until_the_window_is_larger(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        await pilot.resize_terminal(40, 12)
        await wait_for(pilot, lambda: isinstance(app.screen, TooSmallScreen))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: any("Pause" in type(s).__name__ for s in app.screen_stack))
        await wait_for(pilot, lambda: isinstance(app.screen, TooSmallScreen))
        assert isinstance(app.screen, TooSmallScreen)  # still told to make the window larger
        assert sum(isinstance(s, TooSmallScreen) for s in app.screen_stack) == 1
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: not isinstance(app.screen, TooSmallScreen))
        assert "Pause" in type(app.screen).__name__ or "pause" in type(app.screen).__module__
