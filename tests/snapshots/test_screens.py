"""Every screen at 80x24 and 100x30, compared with the accepted picture (see conftest.py)."""

from __future__ import annotations

import pytest

from tests.snapshots.conftest import SIZES
from tests.snapshots.states import STATES, home


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("state", STATES)
def test_screen(state, size, demo_app, snap_compare):
    steps, kind = STATES[state]
    assert snap_compare(demo_app(kind), run_before=steps, terminal_size=SIZES[size])


def test_too_small(demo_app, snap_compare):
    """Below 60x20 Hearth asks for a larger window instead of drawing a broken screen."""
    from tests.snapshots.states import to

    async def steps(pilot):
        await to(pilot, "TooSmallScreen")

    assert snap_compare(demo_app(), run_before=steps, terminal_size=(50, 16))


def test_a_changed_screen_is_caught(demo_app):
    """The check can fail: home with other names is not the accepted picture of home."""
    from pathlib import Path

    from pytest_textual_snapshot import normalize_svg
    from textual._doc import take_svg_screenshot

    from tui.core.partners import Couple

    accepted = Path(__file__).parent / "__snapshots__" / "test_screens" / "test_screen[home-80x24].svg"
    app = demo_app()
    same = take_svg_screenshot(app=app, run_before=home, terminal_size=SIZES["80x24"])
    app = demo_app()
    app.couple = Couple.from_names("Noor", "Kai")
    other = take_svg_screenshot(app=app, run_before=home, terminal_size=SIZES["80x24"])
    stored = normalize_svg(accepted.read_text(encoding="utf-8"))
    assert normalize_svg(same) == stored
    assert normalize_svg(other) != stored
