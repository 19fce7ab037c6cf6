"""End to end with encryption: the installed `hearth` command, encrypted, opened on its unlock
screen, played, left; then no word of the session is anywhere on disk in the clear."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_e2e import CTRL_Q, CTRL_S, ENTER, Terminal, _ready_database

pytestmark = pytest.mark.e2e

P1, P2 = "ana walks the dog at six", "sam makes the tea"
ANSWER = "zebra crossing by the old mill"
DRAFT = "half a thought about lanterns"


def hearth(*args: str, secrets: str) -> subprocess.CompletedProcess:
    exe = str(Path(sys.executable).parent / "hearth")
    r, w = os.pipe()
    os.write(w, secrets.encode())
    os.close(w)
    try:
        return subprocess.run([exe, "--passphrase-fd", str(r), *args], pass_fds=(r,), capture_output=True,
                              text=True, timeout=60)
    finally:
        os.close(r)


@pytest.mark.parametrize("how", ["ctrl+q", "SIGHUP"])
def test_an_encrypted_session_leaves_no_plain_text_on_disk(tmp_path: Path, how: str):
    db = tmp_path / "hearth.json"
    _ready_database(db)
    done = hearth("--db", str(db), "encrypt", secrets=f"{P1}\n{P2}\n")
    assert done.returncode == 0, done.stderr
    assert "recovery code" in done.stdout

    term = Terminal(["--db", str(db)])
    term.wait_for("Passphrase or recovery code")
    term.send("not quite" + ENTER)
    term.wait_for("did not open it")
    term.send(P2 + ENTER)
    term.wait_for("Question round")
    term.send("1")
    term.wait_for("Start the round")
    term.send(CTRL_S)
    term.wait_for("Pass the keyboard to")
    term.send(" ")
    term.wait_for("only you can see this")
    term.send(ANSWER)
    term.send(CTRL_S)
    term.wait_for("Pass the keyboard to")
    term.send(" ")
    term.wait_for("only you can see this")
    term.send(DRAFT)
    term.wait_for(DRAFT[:20])
    if how == "ctrl+q":
        term.send(CTRL_Q)
        assert term.wait_exit() == 0
    else:
        term.child.kill(signal.SIGHUP)
        term.wait_exit()

    home = Path(os.environ["HOME"])  # the tests' own home: crash.log and any export would be in it
    for folder in (tmp_path, home):
        for p in folder.rglob("*"):
            if p.is_file():
                raw = p.read_bytes()
                assert ANSWER.encode() not in raw and DRAFT.encode() not in raw, p
    out = tmp_path / "plain.json"
    shown = hearth("--db", str(db), "export", "--out", str(out), secrets=f"{P1}\n")
    assert shown.returncode == 0, shown.stderr
    text = out.read_text()
    assert ANSWER in text and DRAFT in text  # both were saved, only sealed
