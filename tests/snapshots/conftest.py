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
from filelock import FileLock

from tui.core.clock import FakeClock
from tui.demo import DEMO, populate
from tui.paths import shipped_decks_dir
from tui.store import Store
from tests.helpers import CHEAP_KDF as CHEAP

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


#: The first-run screen shows where the file is, so on an empty database the file is always in
#: the same place; the other screens show no path, and their files go in a folder of the test's own.
FOLDER = Path(tempfile.gettempdir()) / "hearth-snapshots"
#: Held while FOLDER is used: two runs at once on one machine (two checkouts) would otherwise
#: clear each other's file half-way through.
FOLDER_LOCK = FileLock(str(FOLDER) + ".lock")


@pytest.fixture
def demo_app(tmp_path):
    """A factory for HearthApp on a fresh database: the demo data ("demo"), an empty one for the
    first run ("empty"), or the demo couple's file encrypted, at the unlock screen ("locked")."""
    opened: list[Store] = []
    locked_folder = False

    def make(kind: str = "demo"):
        nonlocal locked_folder
        from tui.app import HearthApp

        clock = FakeClock(NOW)
        if kind in ("empty", "linked"):  # their screens show the file's or the folder's path
            if not locked_folder:
                FOLDER_LOCK.acquire()
                locked_folder = True
                shutil.rmtree(FOLDER, ignore_errors=True)
            folder = FOLDER
        else:
            folder = tmp_path / "snapshot"
        path = folder / f"hearth-{len(opened)}.json"
        store = Store.open(path, clock=clock, background=False)
        opened.append(store)
        if kind != "empty":
            populate(store, SHAPE)
        if kind == "linked":  # Ana's own computer, linked to a folder no other home has used yet
            from tui.store import sync

            sync.link(store, FOLDER / f"shared-{len(opened)}", 0, clock.now())
        if kind == "locked":
            store.encrypt({"partner-1": "ana's own words", "partner-2": "sam's own words"}, cost=CHEAP)
            store.close()
            return HearthApp(None, [shipped_decks_dir()], clock=clock,
                             opener=lambda secret: Store.open(path, clock=clock, passphrase=secret))
        return HearthApp(store, [shipped_decks_dir()], clock=clock)

    try:
        yield make
        for store in opened:
            store.close()
    finally:
        if locked_folder:
            shutil.rmtree(FOLDER, ignore_errors=True)
            FOLDER_LOCK.release()
