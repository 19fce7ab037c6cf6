"""Notices never sit over the box being typed in: at 80x24 Textual's corner toast (half the
width, three lines high, just above the footer) covered the last lines of an agreement's text
box; Hearth's notices are a status line over the footer instead."""

from __future__ import annotations

import pytest

from tui.screens.rounds.play import RoundPlayScreen
from tui.widgets.draft_area import DraftArea
from tui.widgets.two_homes import NOTICE

from tests.helpers import wait_for
from tests.functional.test_agreement_select_keys import open_editor
from tests.functional.test_rounds_screens import (  # noqa: F401  (fixtures)
    app_factory,
    decks_dir,
    lift_curtain,
    start_round,
)


async def notice_over(pilot, app, box) -> None:
    """Show a notice as long as the two-homes one, titled, and check it leaves every line that
    `box` writes in uncovered (its frame's bottom edge may be hidden for a moment)."""
    app.notify(NOTICE, title="Two homes", severity="warning", timeout=6)
    rack = app.screen.query_one("#textual-toastrack")
    await wait_for(pilot, lambda: rack.query("Toast") and rack.query("Toast").first().region.area)
    await pilot.pause()
    toast = rack.query("Toast").first()
    assert not toast.region.intersection(box.content_region), (toast.region, box.content_region)
    assert "left out for now" in str(toast.render())  # the whole notice is still said


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_notice_leaves_the_agreement_text_box_uncovered(make_app, size):
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await open_editor(pilot, app)  # a blank page
        await notice_over(pilot, app, screen.query_one("#text", DraftArea))


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_notice_leaves_the_round_answer_box_uncovered(app_factory, ready_store, size):
    app = app_factory()
    async with app.run_test(size=size, notifications=True) as pilot:
        await start_round(pilot, app, "write")
        await lift_curtain(pilot, app, "Ana")
        assert isinstance(app.screen, RoundPlayScreen)
        await notice_over(pilot, app, app.screen.query_one("#answer", DraftArea))
