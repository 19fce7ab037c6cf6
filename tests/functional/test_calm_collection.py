"""Issue 17: the collector's full pass over what opening (or closing) a screen left runs once no
key has come for a moment, not on the next screen's first showing or the first key of a search."""

from __future__ import annotations

import gc
import time

from tui.screens.rounds.setup import RoundSetupScreen
from tui.screens.shell.home import HomeScreen

from tests.helpers import wait_for


async def test_a_full_collection_runs_once_the_opened_screen_is_calm(make_app):
    full: list[float] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(time.monotonic())

    app = make_app()
    gc.disable()  # as `hearth` starts (tui/cli.py): the app turns collection on after its first paint
    gc.callbacks.append(seen)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
            await wait_for(pilot, lambda: gc.isenabled())
            await pilot.pause(0.5)
            full.clear()
            await pilot.press("1")
            await wait_for(pilot, lambda: isinstance(app.screen, RoundSetupScreen))
            await pilot.pause()
            shown = time.monotonic()
            full.clear()  # (one may have run while it opened: the collector's own timing)
            await wait_for(pilot, lambda: bool(full), tries=300)  # by itself, with no key pressed
            assert full[0] - shown < 2.5  # soon after: CALM_AFTER (0.25 s) on a machine at rest
    finally:
        gc.callbacks.remove(seen)
        gc.unfreeze()  # what the app froze is the test process's again
        gc.enable()
