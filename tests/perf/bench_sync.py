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
   and the longest the same loop is held by one save made on screen while it merges, through
   the store functions the screens call: a draft typed (`drafts.save_draft`) every 2 ms, and in
   another run an answer to a round played apart (`apart_rounds.answer`, rounds of 12 cards),
   saved in a worker as the screen does (`apart_rounds.off_loop`), 2 ms after the last one is
   on disk (target 16 ms): for an answer, the longest gap between 1 ms ticks of the loop from
   the moment it is given to the tick after it is saved (the same measure for the code before,
   which saved it on the loop), and the most CPU the process used in one such gap (its own
   share, which the machine's load hardly moves); and of that, the longest one waited for the
   database's lock (for an answer, in its worker); and how long an answer took to be saved,
   and to be on disk (its draft goes in the same change);
4. first paint of the linked database against the same database unlinked (target 1.05x),
   alternately, median of --runs; and the CPU time each used until then (load hardly moves it).

The merge is measured twice: with the CRDT in this process (the app before) and in its child
process (the app now); each with the longest stall of an asyncio loop and the CPU time the
merging thread took in this process. HEARTH_BENCH_PROFILE=1 (or =apart) prints a profile of one
warm merge instead.
"""

from __future__ import annotations

import argparse
import os
import asyncio
import dataclasses
import gc
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


def longest_stall_ms(work) -> tuple[float, float, float, float]:
    """(seconds `work` took in a thread, the longest gap between 1 ms ticks of an asyncio loop in
    ms, the CPU seconds that thread used in this process, and the most CPU time (ms) the
    process's other threads used between two ticks).

    The gap is what a screen would feel, but on a loaded machine it also counts the time the
    loop's thread simply was not scheduled. The last figure counts only work done in this
    process while the loop waited (the merge's thread and the database's writer, which hold the
    GIL), so the machine's load hardly moves it: it is the stall's own share."""
    done = threading.Event()
    took = [0.0, 0.0]
    started = threading.Event()

    def run() -> None:
        started.set()
        t0, c0 = time.perf_counter(), time.thread_time()
        try:
            work()
        finally:
            took[0], took[1] = time.perf_counter() - t0, time.thread_time() - c0
            done.set()

    def others_cpu(clocks: list[int]) -> float:
        total = 0.0
        for clock in clocks:
            try:
                total += time.clock_gettime(clock)
            except OSError:  # that thread has ended
                pass
        return total

    async def watch() -> tuple[float, float]:
        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        started.wait()
        me = threading.main_thread().ident
        clocks = [time.pthread_getcpuclockid(t.ident) for t in threading.enumerate()
                  if t.ident not in (None, me)]
        worst, last = 0.0, time.perf_counter()
        worst_cpu, last_cpu = 0.0, others_cpu(clocks)
        while not done.is_set():
            await asyncio.sleep(0.001)
            now, cpu = time.perf_counter(), others_cpu(clocks)
            worst, last = max(worst, now - last), now
            worst_cpu, last_cpu = max(worst_cpu, cpu - last_cpu), cpu
        return worst, worst_cpu

    pauses = [0.0, 0.0]  # the garbage collector's longest pause meanwhile (any thread), and when it began

    def collecting(phase: str, info: dict) -> None:
        if phase == "start":
            pauses[1] = time.perf_counter()
        elif pauses[1]:
            pauses[0] = max(pauses[0], time.perf_counter() - pauses[1])

    gc.callbacks.append(collecting)
    try:
        worst, worst_cpu = asyncio.run(watch())
    finally:
        gc.callbacks.remove(collecting)
    GC_PAUSES.append(pauses[0] * 1000)
    return took[0], worst * 1000, took[1], worst_cpu * 1000


def start_apart_rounds(store, rounds: int = 60, cards: int = 12) -> list[tuple[str, int]]:
    """Rounds played apart, of the usual length, for answers to go into while a merge runs:
    (round id, card) for each answer that can be given."""
    import random

    from tui.core.decks import Card
    from tui.core.rounds import Choices, new_round, plan_round
    from tui.store import rounds as store_rounds

    deck = [Card("bench", f"c{i}", f"Question {i}?", 1, "question", know_me=True) for i in range(cards)]
    choices = Choices(decks=("bench",), depth="light", length=cards, mode="write", first="a")
    out = []
    with store.one_save():
        for n in range(rounds):
            rng = random.Random(n)
            plan = plan_round(deck, choices, usage={}, seq=1, window=20, rng=rng)
            state = new_round(plan, choices, deck_titles={"bench": "Deck"}, names=("Ana", "Sam"), now=store.clock.now(), rng=rng)
            state.apart = True
            made = store_rounds.start_round(store, state)
            out += [(made.id, i) for i in range(cards)]
    return out


class TimedLock:
    """The database's lock, noting how long the thread that made it (and the threads in
    `threads`: an answer's worker) waited for it in all."""

    def __init__(self, lock, thread: int) -> None:
        self.lock, self.thread, self.waited = lock, thread, 0.0
        self.threads: set[int] = set()

    def acquire(self, *args, **kwargs):
        if threading.get_ident() != self.thread and threading.get_ident() not in self.threads:
            return self.lock.acquire(*args, **kwargs)
        t0 = time.perf_counter()
        try:
            return self.lock.acquire(*args, **kwargs)
        finally:
            self.waited += time.perf_counter() - t0

    def release(self) -> None:
        self.lock.release()

    __enter__ = acquire

    def __exit__(self, *exc) -> None:
        self.lock.release()


def saves_held_ms(work, store, answers: list[tuple[str, int]] | None, now: datetime) -> tuple[float, float, int, float, float, float]:
    """While `work` (a merge) runs in a thread: the asyncio loop saves a draft every 2 ms, as a
    person typing would, or (`answers`) an answer to the next card, through the store functions
    the screens call. Returns (the longest one save held the loop, and the longest one waited
    for the database's lock, in ms; how many were made; for answers, the longest one took to be
    saved, and to be on disk, and the most CPU time (ms) this process used between two such
    ticks: the share of the gap that is the process's own, not the machine's load).

    An answer is saved in a worker, as the screen does: what it holds the loop is the longest
    gap between the loop's 1 ms ticks from the moment it is given until the tick after it is
    saved (so it counts the merge's own hold on the loop meanwhile too). With the code before
    (no `apart_rounds.off_loop`) it is saved on the loop, and the same gap is measured."""
    from tui.store import apart_rounds, drafts

    done = threading.Event()
    started = threading.Event()

    def run() -> None:
        started.set()
        try:
            work()
        finally:
            done.set()

    storage = store.storage
    timed = TimedLock(storage.mutex, threading.get_ident())
    storage.mutex = storage._tables.lock = timed  # (the only two holders of it)

    def answering(round_id: str, card: int, text: str):
        """apart_rounds.answer, in the worker off_loop gave it (its lock waits are counted)."""
        timed.threads.add(threading.get_ident())
        try:
            return apart_rounds.answer(store, round_id, card, 0, text, now)
        except ValueError:
            return None

    async def watch() -> tuple[float, float, int, float, float, float]:
        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        started.wait()
        worst, waited, n, saved, on_disk, worst_cpu = 0.0, 0.0, 0, 0.0, 0.0, 0.0
        off_loop = getattr(apart_rounds, "off_loop", None)  # (None: the code before, saving on the loop)
        while not done.is_set():
            await asyncio.sleep(0.002)
            t0, w0, c0 = time.perf_counter(), timed.waited, time.process_time()
            if answers:
                # from the loop's last tick to the first one after the answer is saved: the
                # longest gap between two ticks, and the most CPU the process used in one
                round_id, card = answers[n % len(answers)]
                given, last, last_cpu = t0, t0, c0
                if off_loop is None:
                    answering(round_id, card, f"answer {n}")
                else:
                    task = asyncio.ensure_future(off_loop(answering, round_id, card, f"answer {n}"))
                    while not task.done():
                        await asyncio.sleep(0.001)
                        tick, cpu = time.perf_counter(), time.process_time()
                        worst, last = max(worst, tick - last), tick
                        worst_cpu, last_cpu = max(worst_cpu, cpu - last_cpu), cpu
                    await task
                saved_at = time.perf_counter()
                await asyncio.sleep(0.001)  # (the tick after it)
                worst = max(worst, time.perf_counter() - last)
                worst_cpu = max(worst_cpu, time.process_time() - last_cpu)
                saved = max(saved, saved_at - given)
                await asyncio.to_thread(store.flush)
                on_disk = max(on_disk, time.perf_counter() - given)
            else:
                drafts.save_draft(store, "bench:draft", f"a few words typed {n}")
                worst = max(worst, time.perf_counter() - t0)
            waited = max(waited, timed.waited - w0)
            n += 1
        worker.join()
        return worst * 1000, waited * 1000, n, saved * 1000, on_disk * 1000, worst_cpu * 1000

    try:
        return asyncio.run(watch())
    finally:
        storage.mutex = storage._tables.lock = timed.lock


#: The longest pause of the garbage collector during each measured merge (ms): a stall that is
#: Python's own, not the merge's (the app moves what it has read out of its way once started).
GC_PAUSES: list[float] = []


def first_paint_cpu_ms(argv: list[str], text: str, env: dict[str, str]) -> float:
    """CPU time (user + system, ms) the program used until `text` was on screen: unlike the wall
    time, the other programs on the machine hardly move it."""
    session = pty_measure.spawn(argv, env)
    try:
        session.wait_for(text)
        with open(f"/proc/{session.child.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    finally:
        session.close()


class _Done(Exception):
    """--only merge: the first paint is not measured."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=("merge", "paint"), help="measure only the merge, or only first paint")
    parser.add_argument("--where", choices=("here", "apart"), help="measure the merge only with the CRDT here, or only apart")
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
            with Store.open(a_path, background=False) as store:
                sync.sync_now(store, now)  # Ana's computer has read Sam's first files long ago
            week_of_use(sam, now + timedelta(days=7))  # the week after the ten years
            sync.sync_now(sam, now)
        db_size = a_path.stat().st_size
        out["db_mib"] = db_size / 2**20
        out["folder_mib"] = folder_bytes(folder) / 2**20
        out["folder_ratio"] = folder_bytes(folder) / db_size

        # 3. the merge, in this process (as before) and in the child process (as the app does
        # now), side by side: warm (the replica loaded, as in a running app) and cold (the first
        # merge of a session, which loads the merge state first)
        def trial_store(background: bool = True):
            trial = work / "trial"
            shutil.rmtree(trial, ignore_errors=True)
            shutil.copytree(a_path.parent, trial)
            return Store.open(trial / "hearth.json", background=background)

        if os.environ.get("HEARTH_BENCH_PROFILE"):
            import cProfile
            import pstats

            with trial_store() as store:
                replica = sync.replica_for(store, apart=os.environ.get("HEARTH_BENCH_PROFILE") == "apart")
                replica.load()
                prof = cProfile.Profile()
                prof.runcall(replica.sync, now)
                pstats.Stats(prof).sort_stats("tottime").print_stats(25)
                replica.close()
            return 0
        def as_the_app_settles() -> None:
            """What the app does once started (HearthApp._settle_memory): what it has read is moved
            out of the garbage collector's way, so a full collection does not re-scan years of
            tables in the middle of a merge (up to 860 ms here without it, in either mode)."""
            gc.unfreeze()
            gc.collect()
            gc.freeze()

        for where, apart in [w for w in (("here", False), ("apart", True)) if a.where in (None, w[0])] if a.only != "paint" else ():
            got: dict[str, list[float]] = {k: [] for k in ("warm", "warm_stall", "warm_cpu", "warm_held", "cold", "cold_stall", "cold_cpu", "cold_held", "load",
                                                           "warm_save", "cold_save", "warm_answer", "cold_answer", "warm_saves", "cold_saves",
                                                           "warm_save_lock", "cold_save_lock", "warm_answer_lock", "cold_answer_lock",
                                                           "warm_answer_saved", "cold_answer_saved", "warm_answer_disk", "cold_answer_disk",
                                                           "warm_answer_cpu", "cold_answer_cpu")}
            for _ in range(a.runs):
                with trial_store() as store:
                    replica = sync.replica_for(store, apart=apart)
                    if apart:
                        replica._core()  # the child's start is paid at the first merge, measured cold below
                    t0 = time.perf_counter()
                    replica.load()
                    got["load"].append(time.perf_counter() - t0)
                    as_the_app_settles()
                    took, stall, cpu, held = longest_stall_ms(lambda: replica.sync(now))
                    got["warm"].append(took * 1000)
                    got["warm_stall"].append(stall)
                    got["warm_cpu"].append(cpu * 1000)
                    got["warm_held"].append(held)
                    replica.close()
                with trial_store() as store:
                    replica = sync.replica_for(store, apart=apart)
                    as_the_app_settles()
                    took, stall, cpu, held = longest_stall_ms(lambda: replica.sync(now))
                    got["cold"].append(took * 1000)
                    got["cold_stall"].append(stall)
                    got["cold_cpu"].append(cpu * 1000)
                    got["cold_held"].append(held)
                    replica.close()
                # the same merges again, with saves on screen meanwhile: drafts, then answers
                for kind, answering in (("save", False), ("answer", True)):
                    with trial_store() as store:
                        replica = sync.replica_for(store, apart=apart)
                        if apart:
                            replica._core()
                        replica.load()
                        answers = start_apart_rounds(store) if answering else None
                        store.flush()
                        as_the_app_settles()
                        held_ms, waited_ms, n, saved_ms, disk_ms, cpu_ms = saves_held_ms(lambda: replica.sync(now), store, answers, now)
                        if answering:
                            got["warm_answer_cpu"].append(cpu_ms)
                            got["warm_answer_saved"].append(saved_ms)
                            got["warm_answer_disk"].append(disk_ms)
                        got[f"warm_{kind}"].append(held_ms)
                        got[f"warm_{kind}_lock"].append(waited_ms)
                        got["warm_saves"].append(n)
                        replica.close()
                    with trial_store() as store:
                        answers = start_apart_rounds(store) if answering else None
                        store.flush()
                        replica = sync.replica_for(store, apart=apart)
                        as_the_app_settles()
                        held_ms, waited_ms, n, saved_ms, disk_ms, cpu_ms = saves_held_ms(lambda: replica.sync(now), store, answers, now)
                        if answering:
                            got["cold_answer_cpu"].append(cpu_ms)
                            got["cold_answer_saved"].append(saved_ms)
                            got["cold_answer_disk"].append(disk_ms)
                        got[f"cold_{kind}"].append(held_ms)
                        got[f"cold_{kind}_lock"].append(waited_ms)
                        got["cold_saves"].append(n)
                        replica.close()
            for k, v in got.items():
                out[f"{where}_{k}"] = statistics.median(v)
            for k in ("warm_stall", "cold_stall", "warm_held", "cold_held", "warm_save", "cold_save", "warm_answer", "cold_answer",
                      "warm_save_lock", "cold_save_lock", "warm_answer_lock", "cold_answer_lock",
                      "warm_answer_saved", "cold_answer_saved", "warm_answer_disk", "cold_answer_disk",
                      "warm_answer_cpu", "cold_answer_cpu"):
                out[f"{where}_{k}_all"] = got[k]

        # 4. first paint, linked against unlinked
        if a.only == "merge":
            raise _Done
        env = bench.child_env(work / "home")
        linked = [bench.HEARTH, "--db", str(a_path)]
        plain = [bench.HEARTH, "--db", str(plain_path)]
        fp = pty_measure.alternate_first_paint(linked, bench.HOME_TEXT, plain, bench.HOME_TEXT, a.runs, env)
        out["first_paint_linked_ms"], out["first_paint_plain_ms"] = fp["hearth_ms"], fp["bare_ms"]
        out["first_paint_ratio"] = fp["ratio"]
        cpu_linked, cpu_plain = [], []
        for _ in range(a.runs):
            cpu_linked.append(first_paint_cpu_ms(linked, bench.HOME_TEXT, env))
            cpu_plain.append(first_paint_cpu_ms(plain, bench.HOME_TEXT, env))
        out["first_paint_cpu_linked_ms"], out["first_paint_cpu_plain_ms"] = sum(cpu_linked), sum(cpu_plain)
        out["first_paint_cpu_ratio"] = sum(cpu_linked) / sum(cpu_plain)
    except _Done:
        pass
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = [
        ("linking, first computer (ten years into the folder)", f"{out['link_first_s']:.2f} s", ""),
        ("linking, second computer (gets ten years)", f"{out['link_second_s']:.2f} s", ""),
        ("folder size / database size", f"{out['folder_mib']:.1f} / {out['db_mib']:.1f} MiB = {out['folder_ratio']:.2f}x", "<= 2x"),
    ]
    for where, words in [w for w in (("here", "CRDT in the app's process (before)"), ("apart", "CRDT in its child process (the app now)")) if a.where in (None, w[0])] if a.only != "paint" else ():
        rows += [
            (f"{words}:", "", ""),
            ("  merge a week of the other's use (running app)", f"{out[where + '_warm']:.0f} ms", "<= 200 ms"),
            ("    longest UI-loop stall while it merges", f"{out[where + '_warm_stall']:.1f} ms", "<= 16 ms"),
            ("      of it, CPU of this process's other threads", f"{out[where + '_warm_held']:.1f} ms", "<= 16 ms"),
            ("    CPU its thread took in the app's process", f"{out[where + '_warm_cpu']:.0f} ms", ""),
            ("    longest a draft's save held the UI loop meanwhile", f"{out[where + '_warm_save']:.1f} ms", "<= 16 ms"),
            ("      of it, waiting for the database's lock", f"{out[where + '_warm_save_lock']:.1f} ms", ""),
            ("    longest an answer's save held the UI loop meanwhile", f"{out[where + '_warm_answer']:.1f} ms", "<= 16 ms"),
            ("      of it, CPU this process used", f"{out[where + '_warm_answer_cpu']:.1f} ms", "<= 16 ms"),
            ("      of it, waiting for the database's lock", f"{out[where + '_warm_answer_lock']:.1f} ms", ""),
            ("      longest until an answer was saved / on disk", f"{out[where + '_warm_answer_saved']:.1f} / {out[where + '_warm_answer_disk']:.1f} ms", ""),
            ("  first merge of a session (loads the merge state)", f"{out[where + '_cold']:.0f} ms", ""),
            ("    longest UI-loop stall while it loads and merges", f"{out[where + '_cold_stall']:.1f} ms", "<= 16 ms"),
            ("      of it, CPU of this process's other threads", f"{out[where + '_cold_held']:.1f} ms", "<= 16 ms"),
            ("    CPU its thread took in the app's process", f"{out[where + '_cold_cpu']:.0f} ms", ""),
            ("    longest a draft's save held the UI loop meanwhile", f"{out[where + '_cold_save']:.1f} ms", "<= 16 ms"),
            ("      of it, waiting for the database's lock", f"{out[where + '_cold_save_lock']:.1f} ms", ""),
            ("    longest an answer's save held the UI loop meanwhile", f"{out[where + '_cold_answer']:.1f} ms", "<= 16 ms"),
            ("      of it, CPU this process used", f"{out[where + '_cold_answer_cpu']:.1f} ms", "<= 16 ms"),
            ("      of it, waiting for the database's lock", f"{out[where + '_cold_answer_lock']:.1f} ms", ""),
            ("      longest until an answer was saved / on disk", f"{out[where + '_cold_answer_saved']:.1f} / {out[where + '_cold_answer_disk']:.1f} ms", ""),
        ]
    if a.only == "merge":
        rows.append(("first paint", "not measured (--only merge)", ""))
    else:
        rows.append(("first paint linked / unlinked", f"{out['first_paint_linked_ms']:.0f} / {out['first_paint_plain_ms']:.0f} ms = {out['first_paint_ratio']:.3f}x", "<= 1.05x"))
        rows.append(("  CPU until first paint, linked / unlinked (all runs)", f"{out['first_paint_cpu_linked_ms']:.0f} / {out['first_paint_cpu_plain_ms']:.0f} ms = {out['first_paint_cpu_ratio']:.3f}x", ""))
    for name, value, target in rows:
        print(f"{name:<56} {value:>34}  {target}")
    print("longest garbage-collector pause in each measured merge (ms):", [round(x, 1) for x in GC_PAUSES])
    print("stalls, each run (ms):", {k[:-4]: [round(x, 1) for x in v] for k, v in out.items() if k.endswith("_all") and ("stall" in k or "held" in k or "save" in k or "answer" in k)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
