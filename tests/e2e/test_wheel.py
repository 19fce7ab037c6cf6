"""The wheel installs Hearth as `hearth` (never the generic top-level name `tui`, issue 20),
carries the decks, and runs from an install outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
                   check=True, timeout=300)
    return next(dist.glob("hearth-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, timeout=300)
    return target


def outside_source(installed: Path) -> dict[str, str]:
    """The install first on the path (an editable install's `hearth` gives way to it), run from
    elsewhere, with no decks of the user's own."""
    return {**os.environ, "PYTHONPATH": str(installed), "PYTHONNOUSERSITE": "1",
            "XDG_DATA_HOME": str(installed.parent / "data"), "XDG_CONFIG_HOME": str(installed.parent / "config")}


def test_wheel_holds_hearth_and_no_top_level_tui(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert "hearth" in tops and "tui" not in tops, sorted(tops)
    assert "hearth/__init__.py" in names and "hearth/__main__.py" in names and "hearth/cli.py" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "hearth = hearth.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_shipped_decks_load_from_wheel_install(installed: Path, tmp_path: Path):
    code = (
        "import sys\n"
        "from hearth.paths import shipped_decks_dir\n"
        "from hearth.core.decks import load_decks\n"
        "import hearth\n"
        "d = shipped_decks_dir(); s = load_decks([d])\n"
        "print(hearth.__file__); print(d); print(len(s.decks), sum(len(x.cards) for x in s.decks), len(s.problems))\n"
        "print(sorted(n for n in sys.modules if n == 'tui' or n.startswith('tui.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env=outside_source(installed), timeout=60)
    assert out.returncode == 0, out.stderr
    module, decks_dir, counts, tui_modules = out.stdout.strip().splitlines()
    assert module.startswith(str(installed)) and decks_dir == str(installed / "hearth" / "decks")
    n_decks, n_cards, n_problems = map(int, counts.split())
    assert n_decks >= 16 and n_cards >= 600 and n_problems == 0
    assert tui_modules == "[]"  # nothing reaches for the source tree's name


def test_installed_package_runs(installed: Path, tmp_path: Path):
    """`python -m hearth` works from the install, and `decks list` finds the decks shipped in it."""
    env = outside_source(installed)
    helped = subprocess.run([sys.executable, "-m", "hearth", "--help"], capture_output=True, text=True,
                            cwd=tmp_path, env=env, timeout=60)
    assert helped.returncode == 0, helped.stderr
    assert "usage: hearth" in helped.stdout
    checked = subprocess.run([sys.executable, "-m", "hearth", "--db", str(tmp_path / "h.json"), "decks", "list"],
                             capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(str(installed / "hearth" / "decks")) >= 16, checked.stdout


def test_wheel_carries_content_texts(installed: Path):
    assert (installed / "hearth" / "content" / "pause.toml").exists()
    assert (installed / "hearth" / "app.tcss").exists()
    assert not (installed / "tui").exists()
