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


def import_cycles(package: str = "tui") -> list[list[str]]:
    """Every import circle among the package's modules (imports inside functions count), as
    grimp (import-linter's own graph) sees them."""
    import grimp

    graph = grimp.build_graph(package)
    state: dict[str, int] = {}
    found: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        path.append(module)
        for other in sorted(graph.find_modules_directly_imported_by(module)):
            if state.get(other) == 1:
                found.append(path[path.index(other):] + [other])
            elif other not in state:
                visit(other, path)
        path.pop()
        state[module] = 2

    for module in sorted(graph.modules):
        if module not in state:
            visit(module, [])
    return found


def test_no_import_circle_in_tui():
    assert import_cycles() == []


def test_the_circle_finder_finds_a_circle(tmp_path, monkeypatch):
    package = tmp_path / "circled"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from circled import b\n")
    (package / "b.py").write_text("def f():\n    from circled import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("circled") == [["circled.a", "circled.b", "circled.a"]]
