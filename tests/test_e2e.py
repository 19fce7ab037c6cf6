"""End to end: the installed `hearth` command in a real pseudo-terminal (pexpect + pyte)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pexpect
import pyte
import pytest

pytestmark = pytest.mark.e2e


class Terminal:
    """A pexpect child whose output is fed to a pyte screen, read as a person would."""

    def __init__(self, args: list[str], cols: int = 80, rows: int = 24, env: dict | None = None) -> None:
        beside = Path(sys.executable).parent / "hearth"  # the venv's own, even when not activated
        exe = str(beside) if beside.exists() else shutil.which("hearth")
        if exe is None:
            pytest.fail("the hearth command is not installed (pip install -e '.[test]')")
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(exe, args, dimensions=(rows, cols), env={**os.environ, "TERM": "xterm-256color", **(env or {})})

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def pump(self, timeout: float = 0.05) -> None:
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
            self.stream.feed(data)
        except pexpect.TIMEOUT:
            pass

    def wait_for(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.text():
                return
            if not self.child.isalive():
                self.pump(0)
                break
            self.pump()
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.text()}")

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def wait_exit(self, timeout: float = 20) -> int:
        deadline = time.monotonic() + timeout
        while self.child.isalive() and time.monotonic() < deadline:
            try:
                self.pump()
            except pexpect.EOF:
                break
        self.child.wait() if not self.child.isalive() else None
        assert not self.child.isalive(), "hearth did not exit"
        return self.child.exitstatus


TAB, ENTER, CTRL_Q = "\t", "\r", "\x11"


def test_onboarding_home_quit_and_file(tmp_path: Path):
    db = tmp_path / "data" / "hearth.json"
    term = Terminal(["--db", str(db)])
    term.wait_for("First partner")
    term.send("Ana")
    term.send(TAB)
    term.send("Sam")
    term.send(ENTER)
    term.wait_for("Hello")
    assert "Ana" in term.text() and "Sam" in term.text()
    term.send(CTRL_Q)
    assert term.wait_exit() == 0
    data = json.loads(db.read_text())
    assert [p["name"] for p in data["profile"]["1"]["partners"]] == ["Ana", "Sam"]
    assert oct(db.stat().st_mode & 0o777) == "0o600"

    again = Terminal(["--db", str(db)])  # a restart goes straight home
    again.wait_for("Hello, ◆ Ana")
    again.send(CTRL_Q)
    assert again.wait_exit() == 0
