"""SIGKILL a saving process at random moments: the file must always parse and hold every
acknowledged save. Children are forked (modules already imported) so 200 kills fit in seconds."""

from __future__ import annotations

import json
import os
import random
import select
import signal
import time
from pathlib import Path

from tui.store import Store

KILLS = 200


def _child(path: Path, start: int, ack_fd: int) -> None:
    """Save in a loop; after each save is on disk, write its number to the pipe."""
    try:
        store = Store.open(path)
        notes = store.table("notes")
        i = start
        while True:
            notes.insert({"i": i, "text": "words that matter " * 20})
            if store.flush(timeout=5):
                os.write(ack_fd, f"{i}\n".encode())
            i += 1
    finally:
        os._exit(1)


def test_random_kills_never_lose_an_acknowledged_save(tmp_path: Path):
    path = tmp_path / "hearth.json"
    rng = random.Random(20261121)
    acked: set[int] = set()
    next_i = 0
    started = time.monotonic()
    for _ in range(KILLS):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            _child(path, next_i, w)
        os.close(w)
        deadline = time.monotonic() + rng.uniform(0.005, 0.06)
        buffer = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([r], [], [], max(0.0, deadline - time.monotonic()))
            if ready:
                chunk = os.read(r, 65536)
                if not chunk:
                    break
                buffer += chunk
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        while True:  # anything acknowledged before the kill still counts
            ready, _, _ = select.select([r], [], [], 0)
            if not ready:
                break
            chunk = os.read(r, 65536)
            if not chunk:
                break
            buffer += chunk
        os.close(r)
        acked.update(int(x) for x in buffer.split())

        if not path.exists():  # killed before its very first save
            assert not acked
            continue
        data = json.loads(path.read_text())  # must always parse
        on_disk = {doc["i"] for doc in data.get("notes", {}).values()}
        assert acked <= on_disk, f"lost acknowledged saves: {sorted(acked - on_disk)[:5]}"
        next_i = max(on_disk | acked, default=-1) + 1
    assert time.monotonic() - started < 60
    assert len(acked) > KILLS  # the children really did save between kills
