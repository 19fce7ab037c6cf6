"""The round setup opens light (issue 17): its choices' lists, the week row and the resume offer are
made only when shown, and still work by keyboard once they are; 'Then and now' has a line of its
own above the Start button at 80x24 and 100x30."""

from __future__ import annotations

import pytest
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from tui.screens.rounds.setup import DeckPicker, RoundSetupScreen
from tui.widgets.light_select import LightSelect
from tui.widgets.toggles import MarkedCheckbox

from tests.functional.test_deck_options_screens import FIXTURES, tick_only
from tests.functional.test_rounds_screens import open_setup
from tests.helpers import wait_for


@pytest.fixture
def app(make_app):
    return make_app(None, [FIXTURES])


async def test_a_choice_opens_its_list_when_asked_and_keeps_the_keys(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot, app)
        assert not screen.query(SelectOverlay)  # no list is made until one is opened
        depth = screen.query_one("#depth", Select)
        assert isinstance(depth, LightSelect)
        before = depth.value
        depth.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: depth.expanded and depth.query(SelectOverlay)
                       and depth.query_one(SelectOverlay).has_focus)
        overlay = depth.query_one(SelectOverlay)
        assert overlay.highlighted == [v for _l, v in depth._options].index(before)  # on the value it has
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: not depth.expanded)
        values = [v for _l, v in depth._options]
        assert depth.value == values[(values.index(before) + 1) % len(values)] and depth.has_focus
        assert len(screen.query(SelectOverlay)) == 1  # only the one opened
        # Escape closes it again without a change; the same list is opened the second time
        await pilot.press("enter")
        await wait_for(pilot, lambda: depth.expanded)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not depth.expanded)
        assert depth.query_one(SelectOverlay) is overlay
        assert isinstance(app.screen, RoundSetupScreen)


async def test_a_click_opens_a_choice_not_opened_before(app):
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_setup(pilot, app)
        mode = screen.query_one("#mode", Select)
        await pilot.click("#mode")
        await wait_for(pilot, lambda: mode.expanded and mode.query(SelectOverlay)
                       and mode.query_one(SelectOverlay).has_focus)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not mode.expanded)


async def test_the_current_choice_reads_as_before(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot, app)
        screen.query_one("#mode", Select).value = "write"
        screen.query_one("#length", Select).value = "minutes:30"
        await pilot.pause()
        lines = {w.parent.id: w.render().plain for w in screen.query("_Current")}
        assert lines["mode"].startswith("Write & reveal ") and lines["mode"].endswith(" ▼")
        assert lines["length"].startswith("About 30 minutes ")


async def test_the_week_row_is_made_when_a_challenge_is_ticked_alone(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot, app)
        assert not screen.query("#challenge-row")  # nothing of it until a challenge is ticked
        tick_only(screen, "fixture-challenge")
        await wait_for(pilot, lambda: screen.query("#challenge-row")
                       and screen.query_one("#challenge-week", Select).is_mounted)
        week = screen.query_one("#challenge-week", Select)
        assert week.value == 1 and "Week 1" in week.query_one("_Current").render().plain
        # the week is chosen by keyboard, and the line under it follows
        week.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: week.expanded)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: week.value == 2)
        await wait_for(pilot, lambda: "Week 2" in str(screen.query_one("#challenge-info").render()))
        # unticked, the row goes out of sight, and comes back as it was
        tick_only(screen, "fixture-plain")
        await pilot.pause()
        assert not screen.query_one("#challenge-row").display
        tick_only(screen, "fixture-challenge")
        await pilot.pause()
        assert screen.query_one("#challenge-row").display and len(screen.query("#challenge-row")) == 1


async def test_no_resume_offer_is_made_without_a_round_to_resume(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(pilot, app)
        assert not screen.query("#resume-box") and screen.query_one("#form").display
        assert screen.query_one("#decks", DeckPicker).has_focus


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_then_and_now_has_its_own_line_above_start(app, size):
    async with app.run_test(size=size) as pilot:
        screen = await open_setup(pilot, app)
        await pilot.pause()
        box = screen.query_one("#then-and-now", MarkedCheckbox).region
        start = screen.query_one("#start").region
        footer = screen.query_one("HearthFooter").region
        assert box.bottom <= start.y  # above the button, never on its line
        assert start.bottom <= footer.y  # the whole button shows above the footer, no scrolling
        assert screen.query_one("#mode-about").region.bottom < box.y  # a blank line before it
        # keyboard order: the box comes before Start
        chain = [w.id for w in screen.focus_chain]
        assert chain.index("then-and-now") < chain.index("start")


async def test_its_styles_are_parsed_while_home_is_idle(app, monkeypatch):
    """Home's idle moments parse the setup's widget styles (HearthApp._preload_next calls the
    module's warm); the key that opens it then parses none of them."""
    import textual.css.stylesheet as sheet_module

    async with app.run_test(size=(80, 24)) as pilot:
        from tui.screens.shell.home import HomeScreen

        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_for(pilot, lambda: any(key[1][1] == "RoundSetupScreen.DEFAULT_CSS"
                                          for key in app.stylesheet._parse_cache.keys()), tries=500)
        parsed: list[str] = []
        real = sheet_module.parse

        def counting(scope, css, read_from, *args, **kwargs):
            parsed.append(read_from[1])
            return real(scope, css, read_from, *args, **kwargs)

        monkeypatch.setattr(sheet_module, "parse", counting)
        await open_setup(pilot, app)
        warmed = {"RoundSetupScreen.DEFAULT_CSS", "Select.DEFAULT_CSS", "SelectCurrent.DEFAULT_CSS",
                  "ToggleButton.DEFAULT_CSS", "Button.DEFAULT_CSS"}
        assert not warmed & set(parsed), parsed


async def start_shows_with_the_challenge_alone(pilot, app) -> None:
    """Tick the shipped seven-day challenge on its own; the whole Start button shows above the footer."""
    screen = await open_setup(pilot, app)
    tick_only(screen, "seven-day-challenge")
    await wait_for(pilot, lambda: screen.query("#challenge-row")
                   and screen.query_one("#challenge-week", Select).is_mounted)
    await wait_for(pilot, lambda: "Day 1 of 7" in str(screen.query_one("#challenge-info").render()))
    await pilot.pause()
    start = screen.query_one("#start").region
    footer = screen.query_one("HearthFooter").region
    assert start.height and start.bottom <= footer.y  # no scrolling to find it
    assert screen.query_one("#challenge-week").region.bottom <= start.y


async def test_start_shows_at_80x24_with_a_challenge_ticked_alone(make_app):
    app = make_app()  # the shipped decks: the real challenge's day line takes two lines at 80 columns
    async with app.run_test(size=(80, 24)) as pilot:
        await start_shows_with_the_challenge_alone(pilot, app)


async def test_start_shows_at_80x24_with_a_challenge_ticked_alone_when_linked(tmp_path):
    from tests.two_homes import make_two_homes
    from tui.app import HearthApp
    from tui.core.clock import FakeClock
    from tui.paths import shipped_decks_dir

    homes = make_two_homes(tmp_path, FakeClock())
    try:
        app = HearthApp(homes.a, [shipped_decks_dir()], clock=homes.clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_shows_with_the_challenge_alone(pilot, app)
            assert app.screen.has_class("-apart") and app.screen.query_one("#apart").region.height
    finally:
        homes.close()
