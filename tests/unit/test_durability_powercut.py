"""Power cuts, not just kills (issue 14): in the spirit of SQLite's crash tests and of the ALICE and
CrashMonkey papers, record every write, fsync, create, link, rename, unlink and folder fsync that
real saves make, build every on-disk state a power cut could leave after each of them, and open
each state with Hearth's own open path. Each must open, undamaged, as an old or a new version,
with every save that was reported done.

The model of the disk (what a journaling file system such as ext4 or XFS promises, and no more):
- a file's data is durable only once the file is fsynced; until then each block written may or
  may not have reached the disk (dropped, kept, torn at a 4 KiB block, or read back as zeros);
- changes to a folder (create, link, rename, unlink) are durable once the folder is fsynced;
  until then the disk holds them in order up to some point (the journal is replayed in order),
  so a rename may not be durable yet and the old name may still point at the old file.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from tui.core.clock import FakeClock
from tui.demo import DEMO, TEN_YEARS, populate
from tui.store import Store, files
from tui.store import storage as storage_module

from tests.conftest import START

BLOCK = 4096


# -- recording what a save does ---------------------------------------------------------------------------

@dataclass
class Disk:
    """What the disk holds for sure (durable) and what may not have reached it yet (pending)."""

    folder: Path
    inodes: dict[int, bytes] = field(default_factory=dict)  # durable contents (replaced, never changed)
    pending: dict[int, list[tuple[int, bytes]]] = field(default_factory=dict)  # unsynced writes
    durable_names: dict[str, int] = field(default_factory=dict)  # the folder as on disk
    names: dict[str, int] = field(default_factory=dict)  # the folder as the program sees it
    folder_ops: list[tuple] = field(default_factory=list)  # since the last folder fsync
    next_inode: int = 0
    fds: dict[int, int] = field(default_factory=dict)  # open file descriptor -> inode
    events: list[tuple] = field(default_factory=list)  # ("crash-point", state) and ("ack", n)

    def new_inode(self, content: bytes = b"") -> int:
        self.next_inode += 1
        self.inodes[self.next_inode] = bytes(content)
        self.pending[self.next_inode] = []
        return self.next_inode

    def snapshot_folder(self) -> None:
        for p in sorted(self.folder.iterdir()):
            if p.is_file() and not p.name.endswith(".lock"):
                inode = self.new_inode(p.read_bytes())
                self.durable_names[p.name] = self.names[p.name] = inode

    def _op(self, op: tuple) -> None:
        kind = op[0]
        if kind == "create":
            self.names[op[1]] = op[2]
        elif kind in ("rename", "link"):
            if op[1] in self.names:
                self.names[op[2]] = self.names[op[1]]
                if kind == "rename":
                    del self.names[op[1]]
        elif kind == "unlink":
            self.names.pop(op[1], None)
        self.folder_ops.append(op)
        self.point()

    # the calls, as the store makes them
    def create(self, name: str, fd: int) -> None:
        inode = self.new_inode()
        self.fds[fd] = inode
        self._op(("create", name, inode))

    def write(self, fd: int, offset: int, data: bytes) -> None:
        self.pending[self.fds[fd]].append((offset, data))
        self.point()

    def fsync(self, fd: int) -> None:
        inode = self.fds[fd]
        self.inodes[inode] = apply(self.inodes[inode], self.pending[inode])
        self.pending[inode] = []
        self.point()

    def fsync_folder(self) -> None:
        self.durable_names = dict(self.names)
        self.folder_ops = []
        self.point()

    def ack(self, n: int) -> None:
        self.events.append(("ack", n))

    def point(self) -> None:
        """A moment a power cut could come: note what the disk may hold."""
        self.events.append(("point", (
            dict(self.inodes),  # references: contents are replaced at fsync, never changed
            {i: list(p) for i, p in self.pending.items() if p},
            dict(self.durable_names),
            list(self.folder_ops),
        )))


def apply(content: bytes | bytearray, writes: list[tuple[int, bytes]]) -> bytes:
    out = bytearray(content)
    for offset, data in writes:
        if len(out) < offset:
            out.extend(b"\0" * (offset - len(out)))
        out[offset:offset + len(data)] = data
    return bytes(out)


def record(monkeypatch, disk: Disk) -> None:
    """Wrap the store's file steps (tui/store/files.py names each one) so each call is noted."""
    real_create, real_write, real_fsync = files._create, files._write, files._fsync
    real_replace, real_fsync_dir, real_link = files._replace, files._fsync_dir, files._link_aside
    real_remove = files.remove_quietly
    folder = disk.folder

    def create(path):
        fd, tmp = real_create(path)
        if Path(tmp).parent == folder:
            disk.create(Path(tmp).name, fd)
        return fd, tmp

    def write(f, data):
        chunks = [data] if isinstance(data, bytes) else data
        for chunk in chunks:
            if f.fileno() in disk.fds:
                f.flush()
                disk.write(f.fileno(), f.tell(), bytes(chunk))
            real_write(f, chunk)

    def fsync(f):
        real_fsync(f)
        if f.fileno() in disk.fds:
            disk.fsync(f.fileno())

    def replace_(src, dst):
        real_replace(src, dst)
        if Path(dst).parent == folder:
            disk._op(("rename", Path(src).name, Path(dst).name))

    def fsync_dir(path):
        real_fsync_dir(path)
        if Path(path) == folder:
            disk.fsync_folder()

    def link(path, aside):
        ok = real_link(path, aside)
        if ok and Path(path).parent == folder:
            disk._op(("link", Path(path).name, Path(aside).name))
        return ok

    def remove(name):
        if name is not None and Path(name).parent == folder:
            disk._op(("unlink", Path(name).name))
        real_remove(name)

    monkeypatch.setattr(files, "_create", create)
    monkeypatch.setattr(files, "_write", write)
    monkeypatch.setattr(files, "_fsync", fsync)
    monkeypatch.setattr(files, "_replace", replace_)
    monkeypatch.setattr(files, "_fsync_dir", fsync_dir)
    monkeypatch.setattr(files, "_link_aside", link)
    monkeypatch.setattr(files, "remove_quietly", remove)
    monkeypatch.setattr(storage_module, "remove_quietly", remove)


# -- the states a power cut could leave -------------------------------------------------------------------

VARIANTS = ("dropped", "all kept", "zeros", "torn", "some blocks")


def after_power_cut(content: bytes, writes: list[tuple[int, bytes]], variant: str, rng: random.Random) -> bytes:
    """What a file with unsynced writes may read as after a power cut."""
    if variant == "dropped":
        return content
    everything = apply(content, writes)
    if variant == "all kept":
        return everything
    zeros = apply(content, [(o, b"\0" * len(d)) for o, d in writes])
    if variant == "zeros":
        return zeros  # the size reached the disk, the data did not
    blocks = list(range(0, len(everything), BLOCK)) or [0]
    if variant == "torn":  # written in order, cut at a block boundary
        cut = rng.choice(blocks[1:] or blocks)
        return everything[:cut] if cut > len(content) else content
    kept = set(rng.sample(blocks, max(1, len(blocks) // 2)))  # some blocks reached it, out of order
    mixed = bytearray(zeros)
    for b in kept:
        mixed[b:b + BLOCK] = everything[b:b + BLOCK]
    return bytes(mixed)


def replay(durable_names: dict[str, int], ops: list[tuple], upto: int) -> dict[str, int]:
    names = dict(durable_names)
    for op in ops[:upto]:
        if op[0] == "create":
            names[op[1]] = op[2]
        elif op[0] in ("rename", "link") and op[1] in names:
            names[op[2]] = names[op[1]]
            if op[0] == "rename":
                del names[op[1]]
        elif op[0] == "unlink":
            names.pop(op[1], None)
    return names


@dataclass
class Outcome:
    states: int = 0
    damaged: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


def check_states(disk: Disk, db_name: str, tmp: Path, rng: random.Random, budget: int,
                 others: dict | None = None) -> Outcome:
    """Build the states a power cut could leave at each recorded point (up to `budget` of them,
    chosen at random but always with the first and last folder step of each point) and open
    each one as the app does."""
    acked = -1
    inserted_before: list[int] = []
    candidates = []
    for kind, value in disk.events:
        if kind == "ack":
            acked = value
            continue
        durable, pending, durable_names, ops = value
        for upto in sorted({0, len(ops), *rng.sample(range(len(ops) + 1), min(2, len(ops) + 1))}):
            names = replay(durable_names, ops, upto)
            pending_here = {i: w for i, w in pending.items() if i in names.values()}
            kinds = VARIANTS if pending_here else ["as is"]
            for variant in kinds:
                candidates.append((acked, durable, pending_here, names, variant))
    chosen = candidates if len(candidates) <= budget else rng.sample(candidates, budget)
    outcome = Outcome()
    for n, (acked, durable, pending, names, variant) in enumerate(chosen):
        folder = tmp / f"state{n}"
        folder.mkdir()
        for name, inode in names.items():
            content = durable[inode]
            if inode in pending:
                content = after_power_cut(content, pending[inode], variant, rng)
            (folder / name).write_bytes(content)
        label = f"state {n} ({variant}, acked {acked})"
        outcome.states += 1
        try:
            with Store.open(folder / db_name, clock=FakeClock(START)) as s:
                s.storage.check_soon()
                assert s.storage.check_done.wait(30)
                if s.storage.stopped or s.save_error:
                    outcome.damaged.append(f"{label}: {s.save_error}")
                    continue
                notes = sorted(d["i"] for d in s.table("notes").all())
                if others is not None and n % 10 == 0:  # now and then, every table compared
                    tables = {k: s.storage.read()[k] for k in list(s.storage.read()) if k not in ("notes", "meta")}
                    if tables != others:
                        outcome.damaged.append(f"{label}: a table changed")
        except Exception as exc:  # damaged, or any other failure to open
            outcome.damaged.append(f"{label}: {type(exc).__name__}: {exc}")
            continue
        finally:
            for p in folder.iterdir():
                p.unlink()
            folder.rmdir()
        if notes != list(range(len(notes))):
            outcome.damaged.append(f"{label}: notes {notes} are not one version")
        elif len(notes) - 1 < acked:
            outcome.lost.append(f"{label}: holds {len(notes)} notes, {acked + 1} were reported saved")
    return outcome


def run_saves(path: Path, monkeypatch, saves: int, *, stage: bool) -> Disk:
    """Open `path` as the app does and make `saves` saves, each reported done by flush()."""
    disk = Disk(path.parent)
    disk.snapshot_folder()
    if stage:
        monkeypatch.setattr(storage_module, "STAGE_MIN_BYTES", 0)
    record(monkeypatch, disk)
    with Store.open(path, clock=FakeClock(START)) as s:
        s.storage.check_soon()
        assert s.storage.check_done.wait(30)
        for i in range(saves):
            s.table("notes").insert({"i": i, "text": f"answer {i} " * 40})
            assert s.flush(timeout=30)
            disk.ack(i)
            if stage:  # let the writer put the unchanged tables in a temp file ahead of the next save
                deadline = 2000
                while s.storage._staged is None and deadline:  # a condition the writer sets
                    s.storage.check_done.wait(0.005)
                    deadline -= 1
    monkeypatch.undo()
    return disk


def _made(path: Path, shape) -> tuple[bytes, dict]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(path, clock=FakeClock(START), background=False) as s:
        populate(s, shape)
        others = {k: s.storage.read()[k] for k in list(s.storage.read()) if k not in ("meta",)}
    return path.read_bytes(), others


@pytest.mark.parametrize("stage", [False, True], ids=["whole file", "staged"])
def test_every_power_cut_state_of_the_demo_opens_as_old_or_new(tmp_path: Path, monkeypatch, stage):
    path = tmp_path / "db" / "hearth.json"
    _, others = _made(path, DEMO)
    disk = run_saves(path, monkeypatch, 4, stage=stage)
    outcome = check_states(disk, path.name, tmp_path, random.Random(14), budget=1500, others=others)
    assert outcome.states > 300
    assert not outcome.damaged, outcome.damaged[:3]
    assert not outcome.lost, outcome.lost[:3]


@pytest.fixture(scope="module")
def ten_years(tmp_path_factory) -> tuple[bytes, dict]:
    return _made(tmp_path_factory.mktemp("ten") / "hearth.json", TEN_YEARS)


def test_every_power_cut_state_of_ten_years_opens_as_old_or_new(tmp_path: Path, monkeypatch, ten_years):
    raw, others = ten_years
    path = tmp_path / "db" / "hearth.json"
    path.parent.mkdir()
    path.write_bytes(raw)
    assert len(raw) > 10_000_000
    disk = run_saves(path, monkeypatch, 2, stage=True)  # at ten years the writer stages on its own
    outcome = check_states(disk, path.name, tmp_path, random.Random(15), budget=150, others=others)
    assert outcome.states >= 100
    assert not outcome.damaged, outcome.damaged[:3]
    assert not outcome.lost, outcome.lost[:3]


@pytest.mark.parametrize("step", ["_fsync", "_fsync_dir"])
def test_the_harness_finds_a_save_that_skips_an_fsync(tmp_path: Path, monkeypatch, step):
    """The check must be able to fail: saves without an fsync lose what was reported saved."""
    path = tmp_path / "db" / "hearth.json"
    _made(path, DEMO)
    disk = Disk(path.parent)
    disk.snapshot_folder()
    record(monkeypatch, disk)
    monkeypatch.setattr(files, step, lambda f: None)  # never made durable
    with Store.open(path, clock=FakeClock(START)) as s:
        for i in range(2):
            s.table("notes").insert({"i": i})
            assert s.flush(timeout=30)
            disk.ack(i)
    monkeypatch.undo()
    outcome = check_states(disk, path.name, tmp_path, random.Random(16), budget=200)
    assert outcome.damaged or outcome.lost
