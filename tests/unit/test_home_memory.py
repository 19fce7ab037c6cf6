"""What home keeps in memory (issue 17): drawing its due lines reads only what it needs, and the
app process never imports what a plain database does not need. Plain checks, not timings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tui.core.clock import FakeClock
from tui.core.pause import make_record, start_pause
from tui.store import Store
from tui.store import pauses as store_pauses

from tests.conftest import START


def _pause_years(path: Path, waiting_year: int | None) -> None:
    """Finished pauses in 2019-2022, and a talk planned for later in `waiting_year`."""
    with Store.open(path, clock=FakeClock(START), background=False) as s:
        for year in (2019, 2020, 2021, 2022):
            for day in (3, 9):
                p = start_pause(0, 20, START.replace(year=year, month=5, day=day), topic="the dishes")
                store_pauses.save_record(s, make_record(p, p.started + timedelta(minutes=25)))
        if waiting_year is not None:
            p = start_pause(1, 20, START.replace(year=waiting_year, month=6, day=1), topic="money")
            p.revisit_at = p.started + timedelta(hours=20)
            store_pauses.save_record(s, make_record(p, p.started + timedelta(minutes=25), status="waiting",
                                                    repair="later"))


def _read(s: Store) -> set[str]:
    return set(s.storage.read().loaded)


def test_home_keeps_no_year_of_finished_pauses(tmp_path: Path):
    path = tmp_path / "hearth.json"
    _pause_years(path, waiting_year=2021)
    with Store.open(path, clock=FakeClock(START)) as s:  # as the app opens it: tables read on first use
        assert not {"pauses_2019", "pauses_2020", "pauses_2021", "pauses_2022"} & _read(s)  # not read at open
        found = store_pauses.waiting(s)
        assert [r.topic for r in found] == ["money"]
        # the years of finished pauses were looked through, not kept; the one with the planned talk is read
        assert not {"pauses_2019", "pauses_2020", "pauses_2022"} & _read(s)
        assert [r.topic for r in store_pauses.waiting(s)] == ["money"]  # again, as on every visit home
        clock_at = found[0].revisit_at
        assert any("come back to your talk about money" in line for line in store_pauses.due_items(s, clock_at))
        # every record is still there for the log
        assert len(store_pauses.records(s)) == 9


def test_a_talk_planned_later_in_a_year_looked_through_before_is_found(tmp_path: Path):
    path = tmp_path / "hearth.json"
    _pause_years(path, waiting_year=None)
    with Store.open(path, clock=FakeClock(START)) as s:
        assert store_pauses.waiting(s) == []
        p = start_pause(1, 20, START.replace(year=2020, month=7, day=1), topic="the move")
        p.revisit_at = p.started + timedelta(hours=3)
        store_pauses.postpone(s, p, p.started + timedelta(minutes=25))
        assert "pauses_2020" in _read(s)
        assert [r.topic for r in store_pauses.waiting(s)] == ["the move"]
    with Store.open(path, clock=FakeClock(START)) as s:  # and after opening again
        assert [r.topic for r in store_pauses.waiting(s)] == ["the move"]


#: Run in a fresh interpreter: the app on a plain (not encrypted, not linked) database, at home with
#: its due lines drawn and every screen module home opens imported, then what got imported.
_AT_HOME = r"""
import asyncio, sys
from pathlib import Path
from tui import activities
from tui.app import HearthApp
from tui.paths import shipped_decks_dir
from tui.store import Store


async def main() -> None:
    store = Store.open(Path(sys.argv[1]))
    app = HearthApp(store, [shipped_decks_dir()])
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(1500):
            await pilot.pause(0.02)
            due = str(app.screen.query_one("#due").render()) if app.screen.query("#due") else ""
            if due and all(m in sys.modules for m in activities.modules_to_preload()):
                break
        else:
            raise SystemExit("home never settled")
        print("DUE", due.replace("\n", " "))
    print("MODULES", " ".join(sorted(sys.modules)))


asyncio.run(main())
"""


def test_the_app_on_a_plain_database_imports_no_encryption_nor_sync(tmp_path: Path):
    """cryptography is for an encrypted file (tui/store/sealed.py), pycrdt only ever runs in the
    two-homes child process (tui/store/sync_child.py): neither belongs in the app's memory otherwise."""
    import subprocess
    import sys

    from tui.core.partners import Couple
    from tui.store.profile import save_couple

    path = tmp_path / "hearth.json"
    _pause_years(path, waiting_year=None)
    with Store.open(path, background=False) as s:
        save_couple(s, Couple.from_names("Ana", "Sam"))
    out = subprocess.run([sys.executable, "-c", _AT_HOME, str(path)], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2], env={**__import__("os").environ, "HOME": str(tmp_path)})
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines() if line.startswith(("DUE ", "MODULES ")))
    assert "MODULES" in lines, out.stderr[-2000:]
    assert "reflection" in lines["DUE"]  # home drew its due lines
    modules = lines["MODULES"].split()
    assert "tui.screens.reflection.start" in modules  # and the screens home opens were imported
    for top in ("cryptography", "pycrdt"):
        assert not [m for m in modules if m == top or m.startswith(top + ".")], top
    assert not {"tui.store.sealed", "tui.store.crypto", "tui.store.sync_child"} & set(modules)


def test_home_due_lines_keep_neither_agreements_nor_reflections(tmp_path: Path):
    """Home's lines about agreements waiting for a yes and this week's reflection, from tables read
    and let go of; once a screen has read a table, it is read as it stands (changes included)."""
    from tui.core.reflection import IsoWeek
    from tui.store import agreements as store_ag
    from tui.store import reflections as store_r
    from tui.store.due import due_lines

    path = tmp_path / "hearth.json"
    clock = FakeClock(START)
    with Store.open(path, clock=clock, background=False) as s:
        a = store_ag.create(s, 0, title="Phones stay away at meals", text="Face down.", kind="want",
                            category="technology", review="monthly")
        store_ag.propose(s, a.id, 0)
        store_r.start(s, IsoWeek.of(clock.now()), "full", clock.now())
    with Store.open(path, clock=clock) as s:
        lines = due_lines(s, clock.now())
        assert any("is waiting for" in line and "Phones" in line for line in lines), lines
        assert any("under way" in line for line in lines), lines
        assert not {"agreements", f"reflections_{IsoWeek.of(clock.now()).year}"} & _read(s)
        store_ag.say_yes(s, a.id, 1)  # the table is read now, and changed
        assert not any("Phones" in line for line in due_lines(s, clock.now()))


def test_hearth_due_still_says_a_talk_planned_for_later(tmp_path: Path, capsys):
    """`hearth due` reads through a read-only snapshot, not the app's store: the same lines."""
    from tui.cli import main

    path = tmp_path / "hearth.json"
    _pause_years(path, waiting_year=2026)
    from tui.core.partners import Couple
    from tui.store.profile import save_couple

    with Store.open(path, background=False) as s:
        save_couple(s, Couple.from_names("Ana", "Sam"))
    assert main(["--db", str(path), "due"]) == 0
    assert "come back to your talk about money" in capsys.readouterr().out
