"""A return time after midnight says 'tomorrow': on the pause's start, in the words to say, on
the countdown, on home and in the log (the fake clock stands at ten to midnight)."""

from __future__ import annotations

from datetime import datetime, timezone

from tui.screens.pause.start import PauseStartScreen

from tests.pause_helpers import begin_checkin, check_in, countdown, home, seen, shows, start_with, wait_for

LATE = datetime(2026, 3, 14, 23, 50, tzinfo=timezone.utc)


def flat(text: str) -> str:
    return " ".join(text.split())


async def test_a_pause_past_midnight_says_tomorrow(make_app, clock):
    clock.set(LATE)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await home(pilot, app)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseStartScreen) and app.screen.query("#who-0"))
        text = flat(await seen(pilot, app))
        assert "I'll be back tomorrow at 00:10." in text and "Back together tomorrow at 00:10." in text
        assert "back at 00:10" not in text and "at tomorrow" not in text
        await pilot.press("1")
        await countdown(pilot, app)
        text = flat(await seen(pilot, app))
        assert "I'll be back tomorrow at 00:10." in text and "Back together tomorrow at 00:10" in text
        await pilot.press("escape")
        await home(pilot, app)
        assert "A pause is on. Back together tomorrow at 00:10" in flat(await seen(pilot, app))


async def test_more_time_at_check_in_past_midnight_says_tomorrow(make_app, clock):
    clock.set(LATE)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await start_with(pilot, app, "2")
        clock.advance(minutes=5)
        await pilot.press("r")  # ready early, at 23:55
        await begin_checkin(pilot, app)
        await check_in(pilot, app, "Sam", "8", True)
        await check_in(pilot, app, "Ana", "3", False)
        text = flat(await shows(pilot, app, "#choices"))
        assert "20 more minutes · back tomorrow at 00:30" in text and "back at tomorrow" not in text
