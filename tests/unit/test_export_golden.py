"""Golden files for `hearth export` (JSON) and `hearth export --format markdown`.

The command runs on a small demo database made with a fixed seed, at a fixed time, in UTC, and
what it prints must match tests/fixtures/golden/ byte for byte. A change to either export then
shows up as a diff to review. After a change made on purpose, write the files again with

    HEARTH_UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_export_golden.py

and look at `git diff tests/fixtures/golden/` before committing them.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tui import cli, demo
from tui.core import clock as clock_module
from tui.core.clock import FakeClock
from tui.store import Store

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"
UPDATE = os.environ.get("HEARTH_UPDATE_GOLDEN") == "1"
NOW = datetime(2026, 3, 14, 20, 25, tzinfo=timezone.utc)  # a Saturday evening
#: Small, so a diff can be read, yet every activity has something in it.
SHAPE = replace(demo.DEMO, weeks=3, agreements=3, versions_per_agreement=2)
VERSION = "0.0.0+golden"  # the app's version is in the JSON head; a release must not break the test


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch) -> Path:
    """A demo database at a fixed time, and a wall clock stopped at that time for the command."""
    time.tzset()  # the root conftest sets TZ=UTC; local times (in the Markdown) follow it now
    monkeypatch.setattr(clock_module.SystemClock, "now", lambda self: NOW)
    monkeypatch.setattr("tui.store.export.__version__", VERSION)
    path = tmp_path / "hearth.json"
    with Store.open(path, clock=FakeClock(NOW), background=False) as store:
        demo.populate(store, SHAPE)
    yield path
    monkeypatch.undo()
    time.tzset()


def run_export(db: Path, capsys, *args: str) -> str:
    capsys.readouterr()
    assert cli.main(["--db", str(db), "export", *args]) == 0
    return capsys.readouterr().out


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with HEARTH_UPDATE_GOLDEN=1 to write it"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, (
        f"the export differs from {path}; if the change is meant, run with HEARTH_UPDATE_GOLDEN=1 "
        "and review the diff"
    )


def test_json_export_matches_its_golden_file(demo_db, capsys):
    text = run_export(demo_db, capsys)
    data = json.loads(text)  # a valid document, whatever the golden file says
    assert data["exported_at"].startswith("2026-03-14T20:25")
    assert data["hearth_version"] == VERSION
    check_golden("export.json", text)


def test_markdown_export_matches_its_golden_file(demo_db, capsys):
    text = run_export(demo_db, capsys, "--format", "markdown")
    assert text.startswith("# Hearth: Ana & Sam\n")
    check_golden("export.md", text)


def test_exports_do_not_depend_on_where_the_database_is(demo_db, capsys, tmp_path):
    """No path of the machine that made them (a temp folder differs every run)."""
    for args in ((), ("--format", "markdown")):
        text = run_export(demo_db, capsys, *args)
        assert str(tmp_path) not in text and str(demo_db.parent) not in text
