"""`hearth due`: one line per thing due, exit 0 if any and 1 if none; read-only, lock-free, no Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tui.cli import main
from tui.core import challenges as ch
from tui.core.clock import SystemClock
from tui.core.decks import load_decks
from tui.core.partners import Couple
from tui.store import Store
from tui.store import challenges as store_challenges
from tui.store.profile import save_couple

FIXTURES = Path(__file__).parent.parent / "fixtures" / "decks"


def onboarded(path: Path) -> Store:
    store = Store.open(path, clock=SystemClock(), background=False)
    save_couple(store, Couple.from_names("Ana", "Sam"))
    return store


def test_nothing_set_up_is_nothing_due(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "none.json"), "due"]) == 1
    assert capsys.readouterr().out == ""


def test_it_reads_while_hearth_is_open_and_changes_nothing(tmp_path, capsys):
    path = tmp_path / "h.json"
    store = onboarded(path)  # holds the lock, as an open Hearth window does
    try:
        before = path.read_bytes()
        assert main(["--db", str(path), "due"]) == 0
        out = capsys.readouterr().out.splitlines()
        assert "This week's reflection is not done yet." in out
        assert not any("press" in line for line in out)  # home's key hints mean nothing in a shell
        assert path.read_bytes() == before
    finally:
        store.close()


def test_a_challenge_day_that_is_ready_is_due(tmp_path, capsys):
    path = tmp_path / "h.json"
    deck = load_decks([FIXTURES]).by_id()["fixture-challenge"]
    with onboarded(path) as store:
        store_challenges.save(store, ch.start_week(deck, 1))
    assert main(["--db", str(path), "--decks", str(FIXTURES), "due"]) == 0
    assert "Fixture challenge, Week 1: Small hellos: Day 1 of 3 is ready when you are." in capsys.readouterr().out


def test_a_damaged_file_is_named_with_its_own_exit_code(tmp_path, capsys):
    path = tmp_path / "h.json"
    path.write_text("{not json", encoding="utf-8")
    assert main(["--db", str(path), "due"]) == 2
    assert str(path) in capsys.readouterr().err


def test_it_never_imports_textual(tmp_path):
    path = tmp_path / "h.json"
    onboarded(path).close()
    code = (f"import sys; from tui.cli import main; rc = main(['--db', {str(path)!r}, 'due']); "
            "print('textual' in sys.modules, rc)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "False 0", out.stderr


def test_a_flipped_byte_in_a_table_is_damage_not_nothing_due(tmp_path, capsys):
    """Found by a newcomer: damage found by a table's checksum was skipped like a missing feature."""
    path = tmp_path / "h.json"
    onboarded(path).close()
    raw = path.read_bytes()
    assert b"Ana" in raw
    path.write_bytes(raw.replace(b"Ana", b"Anb", 1))
    assert main(["--db", str(path), "due"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "checksum" in err
