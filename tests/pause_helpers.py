"""Helpers for the Pause & repair Pilot tests (shared by test_pause_screens and test_pause_flow)."""

from __future__ import annotations

import asyncio

from textual.widgets import Digits, OptionList

from tui.core.pause import start_pause
from tui.screens.shared.curtain import CurtainScreen
from tui.screens.shell.home import HomeScreen
from tui.screens.pause.start import PauseStartScreen
from tui.screens.pause.checkin import CheckInScreen
from tui.screens.pause.countdown import PauseCountdownScreen
from tui.widgets.draft_area import DraftArea
from tui.widgets.partner import TurnBanner

from tests.helpers import screen_text as raw_screen_text


async def wait_for(pilot, condition, *, tries: int = 600) -> None:
    """Like tests.helpers.wait_for, but lets the app run with a plain sleep between checks:
    pilot.pause() repaints the whole screen on every try, which made these long flows slow."""
    for _ in range(tries):
        if condition():
            return
        await asyncio.sleep(0.005)
    await pilot.pause()
    if not condition():
        raise AssertionError("condition never became true")


def screen_text(app) -> str:
    """The screen as one line of words, so wrapped sentences can be looked for whole."""
    text = raw_screen_text(app)
    for edge in "█▊▎":
        text = text.replace(edge, " ")
    return " ".join(text.split())


async def seen(pilot, app) -> str:
    """The screen's words once pending paints are done."""
    await pilot.pause()
    return screen_text(app)


async def on(pilot, app, screen_type) -> None:
    """Wait until a screen of this type is on top and mounted, then let it paint once."""
    await wait_for(pilot, lambda: isinstance(app.screen, screen_type) and app.screen.is_mounted)
    await pilot.pause()


async def home(pilot, app):
    await on(pilot, app, HomeScreen)


async def countdown(pilot, app) -> None:
    await wait_for(pilot, lambda: isinstance(app.screen, PauseCountdownScreen) and bool(digits(app)))
    await pilot.pause()


async def start_with(pilot, app, key: str = "1") -> None:
    await pilot.press("ctrl+t")
    await wait_for(pilot, lambda: isinstance(app.screen, PauseStartScreen) and app.screen.query("#who-0"))
    await pilot.press(key)
    await countdown(pilot, app)


def digits(app) -> str | None:
    found = app.screen.query("#countdown")
    return found.first(Digits).value if found else None


async def pass_curtain(pilot, app, name: str) -> None:
    """The curtain for `name` is up (with nothing private behind it showing); hand over."""
    await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen) and app.screen.partner.name == name)
    await pilot.press("enter")
    await wait_for(pilot, lambda: not isinstance(app.screen, CurtainScreen))


def turn_of(app) -> str | None:
    banners = app.screen.query(TurnBanner)
    return banners.first().partner.name if banners else None


async def check_in(pilot, app, name: str, calm: str, ready: bool) -> None:
    await pass_curtain(pilot, app, name)
    await wait_for(pilot, lambda: app.screen.query("#calm") and turn_of(app) == name)
    await pilot.press(calm, "y" if ready else "n")


async def shows(pilot, app, widget_id: str) -> str:
    """Wait for a widget by id (cheap), then read the screen once."""
    await wait_for(pilot, lambda: bool(app.screen.query(widget_id)))
    await pilot.pause()
    return screen_text(app)


async def write(pilot, app, text: str, part: str = "text") -> None:
    """Put text in the focused turn's box (typing every key is slow; one test types for real)."""
    await wait_for(pilot, lambda: app.screen.query(f"#area-{part}"))
    app.screen.query_one(f"#area-{part}", DraftArea).insert(text)
    await pilot.pause()


async def choose(pilot, app, option_id: str) -> None:
    """Pick a choice in the more-time list with the keyboard."""
    await wait_for(pilot, lambda: app.screen.query("#choices"))
    choices = app.screen.query_one("#choices", OptionList)
    choices.focus()
    choices.highlighted = choices.get_option_index(option_id)
    await pilot.press("enter")


async def begin_checkin(pilot, app) -> None:
    await wait_for(pilot, lambda: isinstance(app.screen, CheckInScreen) and app.screen.query("#begin"))
    await pilot.press("enter")


def both_ready_to_talk(clock):
    """A 20-minute pause that ended on time, with both partners calm and ready: the talk is next."""
    p = start_pause(0, 20, clock.now())
    clock.advance(minutes=20)
    p.begin_checkin(clock.now())
    p.record_checkin(0, 7, True)
    p.record_checkin(1, 7, True)
    return p
