"""Unusual JSON (issue 14, defect 5): valid or not, JSON the parser refuses gets the same clear
'damaged' message as any other damage, and the file stays byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui.store import DamagedDatabaseError, Store

UNUSUAL = {
    "deep nesting": b'{"meta":{"1":{"schema":1}},"x":{"1":{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}}}",
    "a 5000-digit number": b'{"meta":{"1":{"schema":1}},"x":{"1":{"n":' + b"7" * 5000 + b"}}}",
}


def _as_lines(raw: bytes) -> bytes:
    """The same content in the one-table-per-line shape (read lazily by the app)."""
    head, rest = raw[1:].split(b',"x":', 1)
    return b"{\n" + head + b',\n"x":' + rest[:-1] + b"\n}\n"


@pytest.mark.parametrize("shape", ["whole", "lines"])
@pytest.mark.parametrize("kind", sorted(UNUSUAL))
def test_unusual_json_is_called_damaged_and_left_as_it_is(tmp_path: Path, clock, kind, shape):
    raw = UNUSUAL[kind] if shape == "whole" else _as_lines(UNUSUAL[kind])
    path = tmp_path / "hearth.json"
    path.write_bytes(raw)
    for background in (False, True):
        try:
            with Store.open(path, clock=clock, background=background) as s:
                s.table("x").all()  # the app reads it on demand
        except DamagedDatabaseError as exc:
            assert str(path) in str(exc) and "left exactly as it is" in str(exc)
        else:
            pytest.fail("opened without a word")
        assert path.read_bytes() == raw


@pytest.mark.parametrize("kind", sorted(UNUSUAL))
def test_the_cli_says_it_in_one_line(tmp_path: Path, kind):
    path = tmp_path / "hearth.json"
    path.write_bytes(UNUSUAL[kind])
    out = subprocess.run([sys.executable, "-m", "tui", "--db", str(path), "export"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "could not read" in out.stderr and str(path) in out.stderr
    assert path.read_bytes() == UNUSUAL[kind]
