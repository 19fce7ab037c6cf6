"""The wheel carries the decks, and they load from an install outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
                   check=True, timeout=300)
    wheel = next(dist.glob("hearth-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, timeout=300)
    return target


def test_shipped_decks_load_from_wheel_install(installed: Path, tmp_path: Path):
    code = (
        "from tui.paths import shipped_decks_dir\n"
        "from tui.core.decks import load_decks\n"
        "import tui\n"
        "d = shipped_decks_dir(); s = load_decks([d])\n"
        "print(tui.__file__); print(d); print(len(s.decks), sum(len(x.cards) for x in s.decks), len(s.problems))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(installed)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    module, decks_dir, counts = out.stdout.strip().splitlines()
    assert module.startswith(str(installed)) and decks_dir == str(installed / "tui" / "decks")
    n_decks, n_cards, n_problems = map(int, counts.split())
    assert n_decks >= 16 and n_cards >= 600 and n_problems == 0


def test_wheel_carries_content_texts(installed: Path):
    assert (installed / "tui" / "content" / "pause.toml").exists()
    assert (installed / "tui" / "app.tcss").exists()
