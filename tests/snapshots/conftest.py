"""Snapshot tests: every screen on fixed demo data, a fixed clock and fixed card choices.

A changed screen shows up as an SVG diff to review (`pytest tests/snapshots --snapshot-report`);
`pytest tests/snapshots --snapshot-update` accepts the new pictures.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from tui.core.clock import FakeClock
from tui.demo import DEMO, populate
from tui.paths import shipped_decks_dir
from tui.store import Store

NOW = datetime(2026, 3, 14, 20, 25, tzinfo=timezone.utc)  # a Saturday evening
SHAPE = replace(DEMO, weeks=8, versions_per_agreement=3)
SIZES = {"80x24": (80, 24), "100x30": (100, 30)}


class _FixedRandom(random.Random):
    """Round setup draws with an unseeded Random(): give it a fixed seed."""

    def __init__(self, x: object = None) -> None:
        super().__init__(20260314 if x is None else x)


@pytest.fixture(autouse=True)
def _steady(monkeypatch):
    """The same picture every run: no blinking cursor, fixed draws, a fixed locale for dates."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)
    monkeypatch.setattr(random, "Random", _FixedRandom)
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("NO_COLOR", "")
    monkeypatch.delenv("NO_COLOR")


@pytest.fixture
def demo_app(tmp_path: Path):
    """A factory for HearthApp on a fresh demo database (or an empty one, for the first run)."""
    opened: list[Store] = []

    def make(*, empty: bool = False):
        from tui.app import HearthApp

        clock = FakeClock(NOW)
        store = Store.open(tmp_path / f"hearth-{len(opened)}.json", clock=clock, background=False)
        opened.append(store)
        if not empty:
            populate(store, SHAPE)
        return HearthApp(store, [shipped_decks_dir()], clock=clock)

    yield make
    for store in opened:
        store.close()
