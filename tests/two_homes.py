"""Two homes in one test: two databases, each linked to its own folder, and a `ship` that
copies change files between the folders as a folder sync would (all, or some, late, in any order)."""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from tui.core.clock import FakeClock
from tui.core.partners import Couple
from tui.store import Store, sync
from tui.store.profile import save_couple


@dataclass
class TwoHomes:
    a: Store
    b: Store
    folder_a: Path
    folder_b: Path
    clock: FakeClock

    def ship(self, *, rng: random.Random | None = None, share: float = 1.0) -> int:
        """Copy change files each way that the other side lacks (a `share` of them, in an order
        `rng` picks). Returns how many were copied."""
        copied = 0
        for src, dst in ((self.folder_a, self.folder_b), (self.folder_b, self.folder_a)):
            names = sorted(p.name for p in src.glob("*.hsync") if not (dst / p.name).exists())
            if rng is not None:
                rng.shuffle(names)
                names = names[: max(0, round(len(names) * share))]
            for name in names:
                shutil.copy2(src / name, dst / name)
                copied += 1
        return copied

    def merge(self, *stores: Store) -> list[sync.SyncReport]:
        return [sync.sync_now(s, self.clock.now()) for s in (stores or (self.a, self.b))]

    def settle(self, rounds: int = 2) -> None:
        """Merge and ship until both have everything."""
        for _ in range(rounds):
            self.merge()
            self.ship()
        self.merge()

    def close(self) -> None:
        self.a.close()
        self.b.close()


def make_two_homes(tmp_path: Path, clock: FakeClock, *, names: tuple[str, str] = ("Ana", "Sam")) -> TwoHomes:
    """Ana's computer (partner 0) links first with the couple's names; Sam's (partner 1), new and
    empty, links second and gets everything."""
    folder_a, folder_b = tmp_path / "sync-a", tmp_path / "sync-b"
    a = Store.open(tmp_path / "a" / "hearth.json", clock=clock, background=False)
    save_couple(a, Couple.from_names(*names))
    sync.link(a, folder_a, 0, clock.now())
    folder_b.mkdir(mode=0o700)
    homes = TwoHomes(a, Store.open(tmp_path / "b" / "hearth.json", clock=clock, background=False),
                     folder_a, folder_b, clock)
    homes.ship()
    sync.link(homes.b, folder_b, 1, clock.now())
    homes.ship()
    homes.merge(homes.a)
    return homes
