"""tests/e2e/test_kill.py on an encrypted file: SIGKILL a saving process at random moments; the file
must always open with the passphrase, hold every acknowledged save, and never a word in the clear."""

from __future__ import annotations

import os
import random
import select
import signal
import time
from pathlib import Path

from tui.store import Store
from tests.helpers import CHEAP_KDF as CHEAP

KILLS = 100
PASSPHRASE = "kill tests have feelings too"
WORDS = "words that matter"


def _child(path: Path, start: int, ack_fd: int) -> None:
    try:
        store = Store.open(path, passphrase=PASSPHRASE)
        notes = store.table("notes")
        i = start
        while True:
            notes.insert({"i": i, "text": f"{WORDS} " * 20})
            if store.flush(timeout=5):
                os.write(ack_fd, f"{i}\n".encode())
            i += 1
    finally:
        os._exit(1)


def _read_acks(r: int, deadline: float) -> bytes:
    buffer = b""
    while True:
        ready, _, _ = select.select([r], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return buffer
        chunk = os.read(r, 65536)
        if not chunk:
            return buffer
        buffer += chunk


def test_random_kills_of_an_encrypted_hearth_never_lose_an_acknowledged_save(tmp_path: Path):
    path = tmp_path / "hearth.json"
    with Store.open(path, background=False) as s:
        s.encrypt({"partner-1": PASSPHRASE}, recovery=False, cost=CHEAP)
    rng = random.Random(20261202)
    acked: set[int] = set()
    next_i = 0
    for _ in range(KILLS):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            _child(path, next_i, w)
        os.close(w)
        buffer = _read_acks(r, time.monotonic() + rng.uniform(0.01, 0.1))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        buffer += _read_acks(r, time.monotonic())  # acknowledged before the kill: still counts
        os.close(r)
        acked.update(int(x) for x in buffer.split())
        assert WORDS.encode() not in path.read_bytes()
        with Store.open(path, background=False, passphrase=PASSPHRASE) as s:  # must always open
            on_disk = {doc["i"] for doc in s.table("notes").all()}
        assert acked <= on_disk, f"lost acknowledged saves: {sorted(acked - on_disk)[:5]}"
        next_i = max(on_disk | acked, default=-1) + 1
    assert len(acked) > KILLS // 5  # the children really did save between kills (fewer on a busy machine)
    for p in tmp_path.iterdir():  # temp files, the staged copy, backups: nothing in the clear
        assert WORDS.encode() not in p.read_bytes(), p
