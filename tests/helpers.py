"""Test helpers shared by the Pilot tests."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Callable

from textual.app import App
from textual.pilot import Pilot

#: A tiny Argon2id cost for tests: the real one is measured in tests/perf/bench_crypto.py.
CHEAP_KDF = {"memory_kib": 256, "iterations": 1, "lanes": 1}


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


def secrets_file(tmp_path: Path, *lines: str) -> str:
    """A new file of passphrases, one a line, for --passphrase-file (a fresh name each call)."""
    p = tmp_path / f"pw-{len(list(tmp_path.glob('pw-*')))}"
    p.write_text("".join(f"{line}\n" for line in lines))
    return str(p)
