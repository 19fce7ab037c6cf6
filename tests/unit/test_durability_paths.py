"""Paths and owners (issue 14, defects 4 and 10): a symbolic link is the database it points at."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tui.store import AlreadyOpenError, Store


def test_a_link_and_its_target_share_one_lock_and_saves_keep_the_link(tmp_path: Path, clock):
    real = tmp_path / "hearth.json"
    alias = tmp_path / "alias.json"
    with Store.open(real, clock=clock, background=False) as s:
        s.table("notes").insert({"text": "first"})
    alias.symlink_to("hearth.json")
    with Store.open(real, clock=clock, background=False):
        with pytest.raises(AlreadyOpenError):
            Store.open(alias, clock=clock, background=False)
    with Store.open(alias, clock=clock) as s:
        s.table("notes").insert({"text": "through the link"})
        assert s.flush()
    assert alias.is_symlink() and os.readlink(alias) == "hearth.json"
    texts = [d["text"] for d in json.loads(real.read_text())["notes"].values()]
    assert texts == ["first", "through the link"]


def test_a_link_in_a_linked_folder_to_a_file_not_made_yet(tmp_path: Path, clock):
    (tmp_path / "data").mkdir()
    (tmp_path / "elsewhere").symlink_to("data")
    alias = tmp_path / "elsewhere" / "hearth.json"
    with Store.open(alias, clock=clock, background=False) as s:
        s.table("notes").insert({"text": "new"})
    assert (tmp_path / "data" / "hearth.json").is_file()


NOBODY = 65534


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root, as under sudo")
def test_under_sudo_a_users_database_keeps_its_owner(tmp_path: Path, clock):
    from tui.store import files

    folder = tmp_path / "home"
    folder.mkdir()
    os.chown(folder, NOBODY, NOBODY)
    path = folder / "hearth.json"
    with Store.open(path, clock=clock, background=False) as s:
        s.table("notes").insert({"text": "made under sudo"})
    clock.advance(days=1)
    with Store.open(path, clock=clock) as s:  # a second day: a backup too
        s.table("notes").insert({"text": "saved again"})
        assert s.flush()
    made = [path, path.with_name(path.name + ".lock"), *files.backups(path)]
    assert len(made) >= 3
    assert all(p.stat().st_uid == NOBODY for p in made), [(p.name, p.stat().st_uid) for p in made]
    sub = folder / "deeper" / "hearth.json"
    with Store.open(sub, clock=clock, background=False):
        pass
    assert sub.parent.stat().st_uid == NOBODY and sub.stat().st_uid == NOBODY


def test_nan_is_never_written_as_bare_nan(store: Store):
    store.table("scores").insert({"mean": float("nan"), "top": float("inf"), "ok": 1.5, "list": [float("-inf")]})

    def refuse(name):
        raise AssertionError(f"non-strict JSON constant {name}")

    data = json.loads(store.path.read_text(), parse_constant=refuse)
    assert data["scores"]["1"] == {"mean": None, "top": None, "ok": 1.5, "list": [None]}


def test_a_demo_folder_left_by_a_kill_is_removed_at_the_next_demo(tmp_path: Path, monkeypatch):
    import tempfile
    import time

    from tui import demo

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stale = tmp_path / "hearth-demo-stale"
    stale.mkdir()
    (stale / "hearth.json").write_text("{}")
    in_use = tmp_path / "hearth-demo-busy"
    in_use.mkdir()
    old = time.time() - 3600
    for folder in (stale, in_use):
        os.utime(folder, (old, old))
    with Store.open(in_use / "hearth.json", background=False):
        os.utime(in_use, (old, old))
        young = tmp_path / "hearth-demo-young"
        young.mkdir()
        removed = demo.remove_stale_demos()
    assert removed == [stale] and not stale.exists() and in_use.exists() and young.exists()
