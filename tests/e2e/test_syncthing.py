"""Two homes through a real synced folder: two Syncthing instances on loopback (tests/e2e/syncthing.py)
carry each Hearth's change files to the other, and `hearth sync` merges them.

The first test proves the harness itself carries a file byte for byte; the second drives two Hearth
databases, each linked to its own side of the folder, through an agreement proposed at one home and
agreed to at the other.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

from tui.core.partners import Couple
from tui.store import Store, agreements
from tui.store.profile import save_couple

from tests.e2e.syncthing import SharedFolder, folder_contents, shared_folder, syncthing_pair  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e

TITLE = "Phones away at dinner"
TEXT = "From the first bite to the last, our phones stay in the other room."


def test_a_file_written_at_a_arrives_at_b_byte_for_byte(shared_folder: SharedFolder):
    pair = shared_folder.pair
    payload = os.urandom(256 * 1024) + "✓ ünïcode\n".encode()
    target = shared_folder.dir_a / "notes" / "from-a.bin"
    target.parent.mkdir()
    target.write_bytes(payload)
    target.chmod(0o600)

    arrived = shared_folder.wait_carried(pair.a)

    assert arrived == {"notes/from-a.bin": payload}
    assert (shared_folder.dir_b / "notes" / "from-a.bin").read_bytes() == payload
    assert (shared_folder.dir_b / "notes" / "from-a.bin").stat().st_mode & 0o777 == 0o600
    assert not (shared_folder.dir_a / ".stignore").exists() and not (shared_folder.dir_b / ".stignore").exists()
    assert pair.a.outward() == [] and pair.b.outward() == []  # loopback only, nothing leaves the machine


# -- Hearth on both sides --------------------------------------------------------------------------------

def hearth_command() -> list[str]:
    beside = Path(sys.executable).parent / "hearth"  # the venv's own, even when not activated
    exe = str(beside) if beside.exists() else shutil.which("hearth")
    return [exe] if exe else [sys.executable, "-m", "tui"]


def hearth(db: Path, *args: str) -> str:
    """Run `hearth --db DB ARGS…`; it must succeed, with no traceback. Returns what it printed."""
    done = subprocess.run([*hearth_command(), "--db", str(db), *args], capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)
    shown = " ".join(args)
    assert "Traceback" not in done.stderr, f"hearth --db {db.parent.name}/{db.name} {shown} crashed:\n{done.stderr}"
    assert done.returncode == 0, (f"hearth --db {db.parent.name}/{db.name} {shown} exited {done.returncode}:\n"
                                  f"{done.stdout}{done.stderr}")
    return done.stdout


def at_home(db: Path, change: Callable[[Store], None]) -> None:
    """One home's hand on its own database, as the app would do it (the store is closed again
    before any hearth command runs, so nothing here stays open)."""
    with Store.open(db, background=False) as store:
        change(store)
        assert store.flush(), f"could not save {db}: {store.save_error}"


def propose(store: Store) -> None:
    a = agreements.create(store, 0, title=TITLE, text=TEXT, kind="want", category="technology", review="monthly")
    agreements.propose(store, a.id, 0)


def sam_says_yes(store: Store) -> None:
    found = [a for a in agreements.list_agreements(store) if a.title == TITLE]
    assert len(found) == 1, f"expected one agreement titled {TITLE!r} at Sam's, found {len(found)}"
    agreements.say_yes(store, found[0].id, 1)


def exported(db: Path) -> dict[str, Any]:
    data = json.loads(hearth(db, "export"))
    assert data["format"] == "hearth-export"
    return data["tables"]


def agreement_titled(tables: dict[str, Any], title: str) -> dict[str, Any]:
    found = [doc for doc in tables.get("agreements", {}).values() if doc.get("title") == title]
    assert len(found) == 1, f"expected one agreement titled {title!r}, found {len(found)}: {tables.get('agreements')}"
    return found[0]


def partner_names(tables: dict[str, Any]) -> list[str]:
    return [p["name"] for doc in tables.get("profile", {}).values() for p in doc.get("partners", [])]


def test_two_homes_agree_through_syncthing(shared_folder: SharedFolder, tmp_path: Path):
    pair = shared_folder.pair
    home_a, home_b = tmp_path / "ana" / "hearth.json", tmp_path / "sam" / "hearth.json"
    at_home(home_a, lambda store: save_couple(store, Couple.from_names("Ana", "Sam")))

    # Ana's computer links first and writes everything it has; Sam's links second and gets it all.
    hearth(home_a, "link", str(shared_folder.dir_a), "--partner", "1")
    assert folder_contents(shared_folder.dir_a), "linking the first computer wrote nothing in the folder"
    shared_folder.wait_carried(pair.a)
    hearth(home_b, "link", str(shared_folder.dir_b), "--partner", "2")
    shared_folder.wait_carried(pair.b)

    # Ana proposes an agreement at her home (saying yes first) ...
    at_home(home_a, propose)
    hearth(home_a, "sync")
    shared_folder.wait_carried(pair.a)
    hearth(home_b, "sync")
    at_sams = exported(home_b)
    assert partner_names(at_sams) == ["Ana", "Sam"]
    proposed = agreement_titled(at_sams, TITLE)
    assert proposed["text"] == TEXT
    assert proposed["status"] == "proposed" and proposed["consent"] == [True, False]

    # ... and Sam says yes at his: it arrives at Ana's as agreed by both.
    at_home(home_b, sam_says_yes)
    hearth(home_b, "sync")
    shared_folder.wait_carried(pair.b)
    hearth(home_a, "sync")
    agreed = agreement_titled(exported(home_a), TITLE)
    assert agreed["status"] == "agreed" and agreed["consent"] == [True, True]
    assert agreed["text"] == TEXT

    # One writer per file: Syncthing never had a conflict to set aside, and every file is private.
    for side in (shared_folder.dir_a, shared_folder.dir_b):
        held = folder_contents(side)
        assert not [name for name in held if ".sync-conflict-" in name], f"conflicting copies in {side}: {sorted(held)}"
        for name in held:
            mode = (side / name).stat().st_mode & 0o777
            assert mode & 0o077 == 0, f"{side / name} is readable by others (mode {mode:o})"
