"""`hearth link` on the command line, as a person at a new computer would run it: a wrong
passphrase for an encrypted home leaves nothing behind and can be tried again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui import askpass, cli
from tui.core.partners import Couple
from tui.store import Store
from tui.store.profile import save_couple

from tests.helpers import secrets_file

P1, P2 = "ana passphrase here", "sam passphrase here"


pytestmark = pytest.mark.usefixtures("cheap_kdf")


@pytest.fixture
def encrypted_home(tmp_path: Path, clock) -> Path:
    """Ana's encrypted Hearth, linked to a folder: what a second computer finds there."""
    db, folder = tmp_path / "ana" / "hearth.json", tmp_path / "shared"
    with Store.open(db, clock=clock, background=False) as s:
        save_couple(s, Couple.from_names("Ana", "Sam"))
        s.table("agreements").insert({"text": "SEALEDWORD"})
    assert cli.main(["--db", str(db), "--passphrase-file", secrets_file(tmp_path, P1, P2), "encrypt"]) == 0
    assert cli.main(["--db", str(db), "--passphrase-file", secrets_file(tmp_path, P1), "link", str(folder),
                     "--partner", "1"]) == 0
    assert list(folder.glob("*.keys.json"))
    return folder


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_a_wrong_passphrase_at_a_new_computer_leaves_nothing_behind(encrypted_home, tmp_path, capsys):
    new = tmp_path / "sam" / "data" / "hearth.json"
    before = folder_state(encrypted_home)
    capsys.readouterr()
    code = cli.main(["--db", str(new), "--passphrase-file", secrets_file(tmp_path, "not it at all"),
                     "link", str(encrypted_home), "--partner", "2"])
    assert code == 1
    assert "That passphrase did not open it" in capsys.readouterr().err
    assert not (tmp_path / "sam").exists()  # no database, no lock, no folder made for them
    assert folder_state(encrypted_home) == before


def test_a_wrong_passphrase_typed_at_the_terminal_is_asked_again(encrypted_home, tmp_path, capsys, monkeypatch):
    typed = iter(["not it at all", "still not", P2])
    monkeypatch.setattr(askpass, "_has_terminal", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    new = tmp_path / "sam" / "hearth.json"
    code = cli.main(["--db", str(new), "link", str(encrypted_home), "--partner", "2"])
    assert code == 0
    out = capsys.readouterr()
    assert out.err.count("That passphrase did not open it") == 2 and "Linked to" in out.out
    with Store.open(new, background=False, passphrase=P2) as s:
        assert s.encrypted and "Ana" in str(s.table("profile").all())  # everything came from Ana's
    assert b"Ana" not in new.read_bytes()


def test_stopping_at_the_passphrase_question_leaves_nothing_behind(encrypted_home, tmp_path, monkeypatch):
    def stop(prompt=""):
        raise KeyboardInterrupt

    monkeypatch.setattr(askpass, "_has_terminal", lambda: True)
    monkeypatch.setattr("getpass.getpass", stop)
    new = tmp_path / "sam" / "hearth.json"
    assert cli.main(["--db", str(new), "link", str(encrypted_home), "--partner", "2"]) == 130
    assert not (tmp_path / "sam").exists()


def test_a_link_that_fails_at_a_new_computer_takes_away_the_database_it_made(tmp_path, clock, capsys):
    """Any link that does not happen at a new computer leaves no empty database behind."""
    db, folder = tmp_path / "ana" / "hearth.json", tmp_path / "shared"
    with Store.open(db, clock=clock, background=False) as s:
        save_couple(s, Couple.from_names("Ana", "Sam"))
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    new = tmp_path / "sam" / "hearth.json"
    (tmp_path / "sam").mkdir()
    (tmp_path / "sam" / "notes.txt").write_text("mine")
    assert cli.main(["--db", str(new), "link", str(a_file), "--partner", "2"]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err
    assert sorted(os.listdir(tmp_path / "sam")) == ["notes.txt"]  # what was there stays
