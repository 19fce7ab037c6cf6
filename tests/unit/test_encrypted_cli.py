"""`hearth encrypt`, `decrypt`, `passphrase`, and the commands that read an encrypted file, run
as a script would (passphrases from a file or a file descriptor, never an argument)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tui import cli
from tui.core.partners import Couple
from tui.store import Store
from tui.store import crypto
from tui.store.profile import save_couple

from tests.helpers import secrets_file

P1, P2 = "ana passphrase here", "sam passphrase here"


pytestmark = pytest.mark.usefixtures("cheap_kdf")


def hearth(db: Path, *args: str) -> int:
    return cli.main(["--db", str(db), *args])


@pytest.fixture
def db(db_path: Path, clock) -> Path:
    with Store.open(db_path, clock=clock, background=False) as s:
        save_couple(s, Couple.from_names("Ana", "Sam"))
        s.table("agreements").insert({"text": "PLAINWORD"})
    return db_path


def test_encrypt_then_export_only_to_a_named_private_file(db, tmp_path, capsys):
    assert hearth(db, "--passphrase-file", secrets_file(tmp_path, P1, P2), "encrypt") == 0
    out = capsys.readouterr().out
    assert "recovery code" in out and "nothing in Hearth can be read again" in out
    assert b"PLAINWORD" not in db.read_bytes()
    # without a passphrase source and no terminal: a clear message, no traceback
    assert hearth(db, "export") == 1
    assert "needs a passphrase" in capsys.readouterr().err
    assert hearth(db, "--passphrase-file", secrets_file(tmp_path, P2), "export") == 1
    assert "--out FILE" in capsys.readouterr().err  # plain text only when asked, to a file
    target = tmp_path / "plain.json"
    assert hearth(db, "--passphrase-file", secrets_file(tmp_path, P2), "export", "--out", str(target)) == 0
    assert "as plain text" in capsys.readouterr().err
    assert os.stat(target).st_mode & 0o777 == 0o600
    assert "PLAINWORD" in target.read_text()


def test_a_wrong_passphrase_from_a_descriptor_fails_calmly(db, tmp_path, capsys):
    hearth(db, "--passphrase-file", secrets_file(tmp_path, P1, ""), "encrypt")
    before = db.read_bytes()
    r, w = os.pipe()
    os.write(w, b"not it\n")
    os.close(w)
    assert hearth(db, "--passphrase-fd", str(r), "agreements", "export") == 1
    assert "did not open it" in capsys.readouterr().err
    assert db.read_bytes() == before


def test_passphrase_changes_only_the_one_who_opened(db, tmp_path, capsys):
    hearth(db, "--passphrase-file", secrets_file(tmp_path, P1, P2), "encrypt")
    assert hearth(db, "--passphrase-file", secrets_file(tmp_path, P2, "sam's brand new one"), "passphrase") == 0
    assert "Sam's passphrase is changed" in capsys.readouterr().out
    assert hearth(db, "--passphrase-file", secrets_file(tmp_path, P2), "export", "--out", str(tmp_path / "x")) == 1
    for ok in (P1, "sam's brand new one"):
        assert hearth(db, "--passphrase-file", secrets_file(tmp_path, ok), "export", "--out", str(tmp_path / "x")) == 0


def test_the_recovery_code_sets_a_forgotten_passphrase(db, tmp_path, capsys):
    hearth(db, "--passphrase-file", secrets_file(tmp_path, P1, P2), "encrypt")
    code = next(line.strip() for line in capsys.readouterr().out.splitlines() if line.count("-") == 4)
    assert hearth(db, "--passphrase-file", secrets_file(tmp_path, code, "ana remembers now"), "passphrase") == 1
    assert "--partner" in capsys.readouterr().err
    assert hearth(db, "--passphrase-file", secrets_file(tmp_path, code, "ana remembers now"),
                  "passphrase", "--partner", "1") == 0
    assert hearth(db, "--passphrase-file", secrets_file(tmp_path, "ana remembers now"), "decrypt") == 0
    assert "PLAINWORD" in db.read_text()
    assert crypto.HEADER not in json.loads(db.read_text())


def test_passphrases_are_never_arguments():
    parser = cli.build_parser()
    for action in parser._actions:
        assert "--passphrase" not in action.option_strings
    with pytest.raises(SystemExit):
        parser.parse_args(["--passphrase", "x", "export"])


def test_due_says_nothing_for_a_locked_file_unless_given_a_passphrase(db, tmp_path, capsys):
    hearth(db, "--passphrase-file", secrets_file(tmp_path, P1, P2), "encrypt")
    capsys.readouterr()
    assert hearth(db, "due") == 1
    assert capsys.readouterr() == ("", "")  # a login shell hears nothing, and nothing leaks
    code = hearth(db, "--passphrase-file", secrets_file(tmp_path, P1), "due")
    assert code in (0, 1) and "hearth:" not in capsys.readouterr().err


def test_encrypt_refuses_the_same_passphrase_for_both_from_a_script(db, tmp_path, capsys):
    before = db.read_bytes()
    assert hearth(db, "--passphrase-file", secrets_file(tmp_path, P1, P1), "encrypt") == 1
    err = capsys.readouterr().err
    assert "same as Ana's" in err and "Nothing was changed" in err
    assert db.read_bytes() == before  # still plain, still openable without a passphrase


def test_encrypt_on_a_terminal_asks_again_after_the_same_passphrase(db, tmp_path, capsys, monkeypatch):
    from tui import askpass

    typed = iter([P1, P1,   # Ana's, twice
                  P1, P1,   # Sam types Ana's: refused, asked again
                  P2, P2])
    monkeypatch.setattr(askpass, "_has_terminal", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    assert hearth(db, "encrypt") == 0
    assert "That is the same as Ana's" in capsys.readouterr().err
    with Store.open(db, background=False, passphrase=P2) as s:
        assert s.unlocked_with == "partner-2"
    with Store.open(db, background=False, passphrase=P1) as s:
        assert s.unlocked_with == "partner-1"


def test_passphrase_refuses_one_that_opens_hearth_already(db, tmp_path, capsys):
    hearth(db, "--passphrase-file", secrets_file(tmp_path, P1, P2), "encrypt")
    capsys.readouterr()
    assert hearth(db, "--passphrase-file", secrets_file(tmp_path, P2, P1), "passphrase") == 1
    assert "opens Hearth already" in capsys.readouterr().err
    with Store.open(db, background=False, passphrase=P2) as s:
        assert s.unlocked_with == "partner-2"  # Sam's own still opens Sam's slot


class Terminal:
    """Standard output as a terminal would be: wrapped text is what a person reads."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("columns", [80, 60])
def test_the_recovery_code_words_wrap_between_words(columns, monkeypatch):
    import shutil

    out = Terminal()
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a, **k: os.terminal_size((columns, 24)))
    monkeypatch.setattr("sys.stdout", out)
    cli.show_code("ABCDE-FGHIJ-KLMNO-PQRST-UVWXY")
    lines = out.text.splitlines()
    assert all(len(line) < columns for line in lines)
    words = " ".join(line.strip() for line in lines)
    assert "keep it away from this computer" in words  # no word cut in two
    assert "    ABCDE-FGHIJ-KLMNO-PQRST-UVWXY" in lines
