#!/usr/bin/env python3
"""Two homes at ten years (issue 19): a script, not a test. From the repository root:

    .venv/bin/python tests/perf/bench_sync.py [--runs 5]

With the benchmark's ten-year database (tests/perf/bench.py, cached under /tmp) as Ana's computer,
it measures:

1. linking: Ana's computer writing everything into the folder, and Sam's new computer getting it;
2. the folder's size against the database's (target: change files at most 2x the database);
3. merging a week of Sam's use (a round, a reflection, pauses, an agreement) at Ana's computer:
   the time of the merge (target 200 ms), with the replica already loaded as in a running app and
   from a cold start, and the longest stall of an asyncio loop while the merge runs in a thread
   (the app's UI thread; target 16 ms);
4. first paint of the linked database against the same database unlinked (target 1.05x),
   alternately, median of --runs.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

import bench  # noqa: E402
import pty_measure  # noqa: E402


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def week_of_use(store, now: datetime) -> None:
    """About what a couple does in a week, written at Sam's computer."""
    from tui import demo

    shape = dataclasses.replace(demo.SampleShape(), weeks=1, agreements=1, rounds_per_week=1, cards_per_round=12)
    demo.populate(store, shape, seed=11, now=now)


def longest_stall_ms(work) -> tuple[float, float]:
    """(seconds `work` took in a thread, the longest gap between 1 ms ticks of an asyncio loop)."""
    done = threading.Event()
    took = [0.0]

    def run() -> None:
        t0 = time.perf_counter()
        work()
        took[0] = time.perf_counter() - t0
        done.set()

    async def watch() -> float:
        worst, last = 0.0, time.perf_counter()
        threading.Thread(target=run, daemon=True).start()
        while not done.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            worst, last = max(worst, now - last), now
        return worst

    worst = asyncio.run(watch())
    return took[0], worst * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    a = parser.parse_args(argv)
    from tui.store import Store, sync

    ten, _ = bench.ten_year_db()
    work = Path(tempfile.mkdtemp(prefix="hearth-bench-sync-"))
    out: dict[str, object] = {}
    try:
        folder = work / "shared"
        a_path = bench.fresh_copy(ten, work / "ana", "hearth.json")
        plain_path = bench.fresh_copy(ten, work / "plain", "hearth.json")
        now = datetime.now(timezone.utc)
        with Store.open(a_path, background=False) as store:
            t0 = time.perf_counter()
            sync.link(store, folder, 0, now)
            out["link_first_s"] = time.perf_counter() - t0
        with Store.open(work / "sam" / "hearth.json", background=False) as sam:
            t0 = time.perf_counter()
            sync.link(sam, folder, 1, now)
            out["link_second_s"] = time.perf_counter() - t0
            week_of_use(sam, now + timedelta(days=7))  # the week after the ten years
            sync.sync_now(sam, now)
        db_size = a_path.stat().st_size
        out["db_mib"] = db_size / 2**20
        out["folder_mib"] = folder_bytes(folder) / 2**20
        out["folder_ratio"] = folder_bytes(folder) / db_size

        # 3. the merge, warm (as in a running app: the replica is loaded at its first merge) ...
        cold, warm, stalls = [], [], []
        for _ in range(a.runs):
            trial = work / "trial"
            shutil.rmtree(trial, ignore_errors=True)
            shutil.copytree(a_path.parent, trial)
            with Store.open(trial / "hearth.json", background=True) as store:
                replica = sync.replica_for(store)
                t0 = time.perf_counter()
                replica.load()
                out["load_state_s"] = time.perf_counter() - t0
                # the week is already in the folder: un-see it so this merge reads it
                sync._put_link(store, seen={})
                took, stall = longest_stall_ms(lambda: replica.sync(now))
                warm.append(took * 1000)
                stalls.append(stall)
            shutil.rmtree(trial, ignore_errors=True)
            shutil.copytree(a_path.parent, trial)
            with Store.open(trial / "hearth.json", background=True) as store:
                t0 = time.perf_counter()
                sync.sync_now(store, now)
                cold.append((time.perf_counter() - t0) * 1000)
        out["merge_week_warm_ms"] = statistics.median(warm)
        out["merge_week_cold_ms"] = statistics.median(cold)
        out["merge_stall_ms"] = statistics.median(stalls)
        out["merge_all_warm_ms"] = warm

        # 4. first paint, linked against unlinked
        env = bench.child_env(work / "home")
        linked = [bench.HEARTH, "--db", str(a_path)]
        plain = [bench.HEARTH, "--db", str(plain_path)]
        fp = pty_measure.alternate_first_paint(linked, bench.HOME_TEXT, plain, bench.HOME_TEXT, a.runs, env)
        out["first_paint_linked_ms"], out["first_paint_plain_ms"] = fp["hearth_ms"], fp["bare_ms"]
        out["first_paint_ratio"] = fp["ratio"]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = [
        ("linking, first computer (ten years into the folder)", f"{out['link_first_s']:.2f} s", ""),
        ("linking, second computer (gets ten years)", f"{out['link_second_s']:.2f} s", ""),
        ("folder size / database size", f"{out['folder_mib']:.1f} / {out['db_mib']:.1f} MiB = {out['folder_ratio']:.2f}x", "<= 2x"),
        ("merge a week of the other's use (running app)", f"{out['merge_week_warm_ms']:.0f} ms", "<= 200 ms"),
        ("  the same from a cold start (loads the merge state)", f"{out['merge_week_cold_ms']:.0f} ms", ""),
        ("  longest UI-loop stall while it merges", f"{out['merge_stall_ms']:.1f} ms", "<= 16 ms"),
        ("first paint linked / unlinked", f"{out['first_paint_linked_ms']:.0f} / {out['first_paint_plain_ms']:.0f} ms = {out['first_paint_ratio']:.3f}x", "<= 1.05x"),
    ]
    for name, value, target in rows:
        print(f"{name:<56} {value:>34}  {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
