"""Damage in a table not read at open (issue 14, defect 2): what was typed before it is found
still reaches the disk, and the couple hear about it before a round begins."""

from __future__ import annotations

import json
from pathlib import Path

from tui.core.clock import FakeClock
from tui.store import Store
from tui.store.profile import save_couple
from tui.core.partners import Couple

from tests.conftest import START


def damaged_line_file(path: Path) -> bytes:
    """A file in the one-table-per-line shape with `\\x01BROKEN` inside the pauses_2026 line."""
    with Store.open(path, clock=FakeClock(START), background=False) as s:
        save_couple(s, Couple.from_names("Ana", "Sam"))
        s.table("pauses_2026").insert({"topic": "the move", "note": "later"})
        s.table("rounds_2026").insert({"text": "an old answer"})
    lines = path.read_bytes().split(b"\n")
    i = next(n for n, line in enumerate(lines) if line.startswith(b'"pauses_2026":'))
    lines[i] = lines[i].replace(b'"the move"', b'"the \x01BROKEN move"')
    broken = b"\n".join(lines)
    path.write_bytes(broken)
    return broken


def test_a_change_made_before_the_damage_is_found_reaches_a_rescue_file(db_path: Path):
    db_path.parent.mkdir(parents=True)
    broken = damaged_line_file(db_path)
    with Store.open(db_path, clock=FakeClock(START)) as s:
        assert not s.storage.check_done.is_set()
        s.table("answers").insert({"text": "an answer written and submitted"})
        assert not s.flush(timeout=5)
        assert s.storage.stopped and "pauses_2026" in s.save_error
        rescue = s.storage.rescue_path
        assert rescue is not None and str(rescue) in s.save_error
    assert db_path.read_bytes() == broken  # never written over
    rescued = json.loads(rescue.read_text())
    assert rescued["answers"]["1"]["text"] == "an answer written and submitted"
    assert rescued["rounds_2026"]["1"]["text"] == "an old answer"  # what can be read comes along
    assert "pauses_2026" not in rescued  # the damage does not
    assert str(rescue) in s.storage.exit_problem()


async def test_the_couple_hear_of_the_damage_before_a_round_begins(db_path: Path, monkeypatch):
    import tui.store.storage as storage
    from tui.app import HearthApp
    from tui.paths import shipped_decks_dir

    from tests.helpers import wait_for

    monkeypatch.setattr(storage, "CHECK_DELAY", 3600.0)  # the check would come only when asked
    db_path.parent.mkdir(parents=True)
    damaged_line_file(db_path)
    store = Store.open(db_path, clock=FakeClock(START))
    try:
        app = HearthApp(store, [shipped_decks_dir()], clock=FakeClock(START))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert not store.storage.check_done.is_set()
            app.screen.action_open("1")
            await pilot.pause()
            notes = [n for n in app._notifications]
            assert any("pauses_2026" in n.message and n.title == "Saving stopped" for n in notes)
            # and nothing opens that could read the damaged part (it stopped the app: a newcomer)
            assert any(n.title == "Not opened" for n in notes)
            assert type(app.screen).__name__ == "HomeScreen"
    finally:
        store.close()


async def test_damage_found_on_home_is_said_at_once(db_path: Path, monkeypatch):
    """Nothing typed yet: the background check's finding is still shown on home."""
    import tui.store.storage as storage
    from tui.app import HearthApp
    from tui.paths import shipped_decks_dir

    from tests.helpers import wait_for

    monkeypatch.setattr(storage, "CHECK_DELAY", 0.05)
    db_path.parent.mkdir(parents=True)
    damaged_line_file(db_path)
    store = Store.open(db_path, clock=FakeClock(START))
    try:
        app = HearthApp(store, [shipped_decks_dir()], clock=FakeClock(START))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: any(n.title == "Saving stopped" and "pauses_2026" in n.message
                                              for n in app._notifications))
    finally:
        store.close()
