"""Snapshot tests: every screen on fixed demo data, a fixed clock and fixed card choices.

A changed screen shows up as an SVG diff to review (`pytest tests/snapshots --snapshot-report`);
`pytest tests/snapshots --snapshot-update` accepts the new pictures.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

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
    """The same picture every run: fixed card draws, colours on (the root conftest stops the
    cursor blinking)."""
    monkeypatch.setattr(random, "Random", _FixedRandom)
    monkeypatch.delenv("NO_COLOR", raising=False)


#: The first-run screen shows where the file is, so the file is always in the same place.
FOLDER = Path(tempfile.gettempdir()) / "hearth-snapshots"


@pytest.fixture
def demo_app():
    """A factory for HearthApp on a fresh demo database (or an empty one, for the first run)."""
    opened: list[Store] = []
    shutil.rmtree(FOLDER, ignore_errors=True)

    def make(*, empty: bool = False):
        from tui.app import HearthApp

        clock = FakeClock(NOW)
        store = Store.open(FOLDER / f"hearth-{len(opened)}.json", clock=clock, background=False)
        opened.append(store)
        if not empty:
            populate(store, SHAPE)
        return HearthApp(store, [shipped_decks_dir()], clock=clock)

    yield make
    for store in opened:
        store.close()
    shutil.rmtree(FOLDER, ignore_errors=True)
