"""The architecture's import rules, as contracts in pyproject.toml, checked by import-linter.

They replace hand-written checks that read one file each: the contracts cover every module,
lazy imports inside functions included."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("lint-imports")
    command = str(exe) if exe.exists() else shutil.which("lint-imports")
    assert command, "import-linter is not installed (it is a test dependency)"
    return subprocess.run([command, "--no-cache", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_import_contracts_are_kept():
    out = lint_imports()
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_a_broken_contract_is_caught(tmp_path):
    """The check can fail: a copy of the tree whose core imports Textual breaks a contract."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "tui", copy / "tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    clock = copy / "tui" / "core" / "clock.py"
    clock.write_text(clock.read_text(encoding="utf-8") + "\nimport textual  # noqa\n", encoding="utf-8")
    exe = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(exe) if exe.exists() else "lint-imports", "--no-cache"], cwd=copy,
                         capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(copy), "PATH": ""})
    assert out.returncode != 0
    assert "BROKEN" in out.stdout
    assert "tui.core.clock -> textual" in out.stdout
