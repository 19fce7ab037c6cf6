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
