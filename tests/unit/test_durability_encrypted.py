"""The crash-state tests of issue 14 on an encrypted file: every power-cut state opens with the
passphrase as an old or a new version; a save that fails writes a rescue file, sealed with the
same key, that `hearth restore` puts back; and no state, temp file or rescue holds plain text."""

from __future__ import annotations

import random
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

import tests.unit.test_durability_powercut as powercut
from tui.core.clock import FakeClock
from tui.demo import DEMO
from tui.store import Store, restore_backup
from tui.store.errors import LockedError

from tests.conftest import START
from tests.helpers import CHEAP_KDF as CHEAP

PASSPHRASE = "power cuts in the dark"


@contextmanager
def opened_with_passphrase() -> Iterator[None]:
    """The harness opens each state with Store.open(path): give it the passphrase. (Not through
    monkeypatch: the harness undoes its own patches halfway.)"""
    original = Store.open.__func__

    def with_passphrase(cls, path, **kwargs):
        kwargs.setdefault("passphrase", PASSPHRASE)
        return original(cls, path, **kwargs)

    Store.open = classmethod(with_passphrase)  # type: ignore[method-assign]
    try:
        yield
    finally:
        Store.open = classmethod(original)  # type: ignore[method-assign]


def encrypted_demo(path: Path) -> dict:
    _, others = powercut._made(path, DEMO)
    with Store.open(path, clock=FakeClock(START), background=False) as s:
        s.encrypt({"partner-1": PASSPHRASE}, recovery=False, cost=CHEAP)
    return others


@pytest.mark.parametrize("stage", [False, True], ids=["whole file", "staged"])
def test_every_power_cut_state_of_an_encrypted_demo_opens_as_old_or_new(tmp_path: Path, monkeypatch, stage):
    path = tmp_path / "db" / "hearth.json"
    others = encrypted_demo(path)
    with opened_with_passphrase():
        disk = powercut.run_saves(path, monkeypatch, 3, stage=stage)
        outcome = powercut.check_states(disk, path.name, tmp_path, random.Random(18), budget=600, others=others)
    assert outcome.states > 150
    assert not outcome.damaged, outcome.damaged[:3]
    assert not outcome.lost, outcome.lost[:3]
    for content in disk.inodes.values():  # every version of every file the saves wrote
        assert b"answer 1 " not in content
    for writes in disk.pending.values():
        assert all(b"answer 1 " not in data for _, data in writes)
    with pytest.raises(LockedError):  # and it is still a locked file
        Store.open(path, clock=FakeClock(START))


def test_a_failed_save_rescues_every_change_sealed_and_restore_puts_it_back(db_path: Path, clock):
    encrypted_demo(db_path)
    with Store.open(db_path, clock=clock, passphrase=PASSPHRASE) as s:
        s.table("notes").insert({"text": "saved before the trouble"})
        assert s.flush()
        s.table("odd").insert({"value": {1, 2}})  # JSON cannot encode this one: saving stops
        s.table("notes").insert({"text": "typed after the trouble"})
        assert not s.flush(timeout=5)
        assert s.storage.stopped
        deadline = time.monotonic() + 10
        while s.storage._rescued < s.storage._generation:  # a condition the writer sets
            assert time.monotonic() < deadline
            time.sleep(0.01)
        rescue = s.storage.rescue_path
    assert rescue is not None and rescue.exists()
    raw = rescue.read_bytes()
    assert b"typed after the trouble" not in raw and b"saved before the trouble" not in raw
    assert b'"_encryption":' in raw
    with pytest.raises(LockedError):
        restore_backup(db_path, rescue, clock.now())
    restore_backup(db_path, rescue, clock.now(), passphrase=PASSPHRASE)
    with Store.open(db_path, clock=clock, background=False, passphrase=PASSPHRASE) as again:
        assert [d["text"] for d in again.table("notes").all()] == ["saved before the trouble", "typed after the trouble"]
    for p in db_path.parent.iterdir():
        if p.is_file():
            assert b"trouble" not in p.read_bytes(), p
