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


#: An encrypted file opens in a moment with this cost (the real one takes a few tenths of a second).
CHEAP = {"memory_kib": 256, "iterations": 1, "lanes": 1}


@pytest.fixture
def demo_app():
    """A factory for HearthApp on a fresh database: the demo data ("demo"), an empty one for the
    first run ("empty"), or the demo couple's file encrypted, at the unlock screen ("locked")."""
    opened: list[Store] = []
    shutil.rmtree(FOLDER, ignore_errors=True)

    def make(kind: str = "demo"):
        from tui.app import HearthApp

        clock = FakeClock(NOW)
        path = FOLDER / f"hearth-{len(opened)}.json"
        store = Store.open(path, clock=clock, background=False)
        opened.append(store)
        if kind != "empty":
            populate(store, SHAPE)
        if kind == "locked":
            store.encrypt({"partner-1": "ana's own words", "partner-2": "sam's own words"}, cost=CHEAP)
            store.close()
            return HearthApp(None, [shipped_decks_dir()], clock=clock,
                             opener=lambda secret: Store.open(path, clock=clock, passphrase=secret))
        return HearthApp(store, [shipped_decks_dir()], clock=clock)

    yield make
    for store in opened:
        store.close()
    shutil.rmtree(FOLDER, ignore_errors=True)
