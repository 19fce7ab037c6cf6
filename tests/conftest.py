"""Fixtures that make tests deterministic: a fake clock, a temp database, a ready app."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from tui.core.clock import FakeClock
from tui.core.partners import Couple
from tui.paths import shipped_decks_dir
from tui.store import Store
from tui.store.profile import save_couple

START = datetime(2026, 3, 14, 20, 25, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _deterministic(monkeypatch):
    """The same run every time: a cursor that does not blink (a screen read mid-blink differs),
    and one locale and time zone for the command-line tests that run a process."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Keep every test away from the real user data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("HEARTH_DB", raising=False)


@pytest.fixture
def cheap_kdf(monkeypatch):
    """New passphrases get a tiny Argon2id cost (tests.helpers.CHEAP_KDF), so a test that turns
    encryption on takes milliseconds; the real cost is measured in the benchmark."""
    from tests.helpers import CHEAP_KDF
    from tui.store import crypto

    fresh = crypto.KdfParams.fresh.__func__
    monkeypatch.setattr(crypto.KdfParams, "fresh", classmethod(lambda cls, **_: fresh(cls, **CHEAP_KDF)))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "hearth" / "hearth.json"


@pytest.fixture
def store(db_path: Path, clock: FakeClock):
    """An open store that saves synchronously, so tests can read the file at once."""
    s = Store.open(db_path, clock=clock, background=False)
    yield s
    s.close()


@pytest.fixture
def couple() -> Couple:
    return Couple.from_names("Ana", "Sam")


@pytest.fixture
def ready_store(store: Store, couple: Couple) -> Store:
    """A store past onboarding."""
    save_couple(store, couple)
    return store


@pytest.fixture
def make_app(ready_store: Store, clock: FakeClock):
    """Build a HearthApp on the ready store with the fake clock and the shipped decks."""
    from tui.app import HearthApp

    def factory(store: Store | None = None, deck_dirs: list[Path] | None = None) -> HearthApp:
        return HearthApp(store or ready_store, deck_dirs or [shipped_decks_dir()], clock=clock)

    return factory
