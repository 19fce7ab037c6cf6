"""Test helpers shared by the Pilot tests."""

from __future__ import annotations

import html
import re
from typing import Callable

from textual.app import App
from textual.pilot import Pilot


def screen_text(app: App) -> str:
    """Every character on the rendered screen, as plain text (read from an SVG screenshot)."""
    svg = app.export_screenshot()
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(texts)).replace("\xa0", " ")


async def wait_for(pilot: Pilot, condition: Callable[[], bool], *, tries: int = 200) -> None:
    """Let the app run until `condition()` holds; fail (never hang) if it never does."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("condition never became true")


async def type_text(pilot: Pilot, text: str) -> None:
    """Type characters one by one, as a person would."""
    for ch in text:
        await pilot.press(ch if ch != " " else "space")
