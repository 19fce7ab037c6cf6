"""End to end: two real `hearth` processes, each with its own database, linked to one folder, in
two pseudo-terminals. What one partner does at their computer shows at the other's."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.test_e2e import CTRL_Q, Terminal

pytestmark = pytest.mark.e2e

CTRL_T = "\x14"


def hearth(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("hearth")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120)


def two_linked(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Ana's database (with the couple and an agreement she proposed) and Sam's new one, linked
    to one folder, as two computers would be through a synced folder."""
    a, b, folder = tmp_path / "ana" / "hearth.json", tmp_path / "sam" / "hearth.json", tmp_path / "shared"
    code = (
        "import sys\n"
        "from tui.store import Store, agreements as ag\n"
        "from tui.core.partners import Couple\n"
        "from tui.store.profile import save_couple\n"
        "with Store.open(sys.argv[1], background=False) as s:\n"
        "    save_couple(s, Couple.from_names('Ana', 'Sam'))\n"
        "    x = ag.create(s, 0, title='Phones away at dinner', text='Phones in the basket at dinner.',\n"
        "                  kind='want', category='conflict', review='none')\n"
        "    ag.propose(s, x.id, 0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(a)], check=True, timeout=60)
    assert hearth("--db", str(a), "link", str(folder), "--partner", "1").returncode == 0
    out = hearth("--db", str(b), "link", str(folder), "--partner", "2")
    assert out.returncode == 0, out.stderr
    assert "agreement" in out.stdout  # Sam's computer got what Ana's had
    return a, b, folder


def test_a_pause_at_one_home_shows_at_the_other_and_both_quit_cleanly(tmp_path: Path):
    a, b, folder = two_linked(tmp_path)
    ana = Terminal(["--db", str(a)], cols=100, rows=30)
    sam = Terminal(["--db", str(b)], cols=80, rows=24)
    try:
        ana.wait_for("Question round")
        sam.wait_for("This is Sam's computer")
        sam.send(CTRL_T)
        sam.wait_for("needs a break")
        assert "Sam needs a break" in sam.text() and "Ana needs a break" not in sam.text()  # Ana asks at hers
        sam.send("2")  # Sam asks for the time-out, at his own computer
        sam.wait_for("Back together")
        ana.wait_for("Sam asked for this pause", timeout=40)  # merged within seconds, no key pressed
        for t in (ana, sam):
            t.send(CTRL_Q)
        assert ana.wait_exit() == 0 and sam.wait_exit() == 0
    finally:
        for t in (ana, sam):
            if t.child.isalive():
                t.child.terminate(force=True)
    assert list(folder.glob("*.hsync")) and all(p.stat().st_mode & 0o077 == 0 for p in folder.iterdir())


def test_a_yes_at_the_other_home_makes_the_agreement_agreed(tmp_path: Path):
    a, b, folder = two_linked(tmp_path)
    sam = Terminal(["--db", str(b)], cols=100, rows=30)
    try:
        sam.wait_for("This is Sam's computer")
        sam.send("3")
        sam.wait_for("Phones away at dinner")
    finally:
        sam.send(CTRL_Q)
        sam.wait_exit()
    # Sam's yes through the command line's store, then both merge through the folder
    code = (
        "import sys\n"
        "from tui.store import Store, agreements as ag\n"
        "with Store.open(sys.argv[1], background=False) as s:\n"
        "    x = [g for g in ag.list_agreements(s) if g.title == 'Phones away at dinner'][0]\n"
        "    ag.confirm(s, x.id, 1)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(b)], check=True, timeout=60)
    assert hearth("--db", str(b), "sync").returncode == 0
    ana = Terminal(["--db", str(a)], cols=80, rows=24)
    try:
        ana.wait_for("Question round")
        ana.send("3")
        ana.wait_for("Phones away at dinner")
        row = next(line for line in ana.text().splitlines() if "Phones away at dinner" in line)
        assert "Agreed" not in row or "Proposed" in row or True  # (the merge may already be in)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:  # the row itself says Agreed once Sam's yes has come in
            rows = [line for line in ana.text().splitlines() if "Phones away at dinner" in line]
            if rows and "Agreed" in rows[0]:
                break
            ana.pump(0.2)
        else:
            raise AssertionError(f"the agreement never showed as agreed:\n{ana.text()}")
    finally:
        ana.send(CTRL_Q)
        ana.wait_exit()
