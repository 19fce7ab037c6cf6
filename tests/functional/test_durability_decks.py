"""One deck file must never crash Hearth (issue 14, defect 6): a deck nested too deeply is left
out with a message naming it, and the app and `hearth decks` carry on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli import main
from tui.core.decks import load_decks, load_file
from tui.paths import shipped_decks_dir

GOOD = """
[deck]
id = "mine"
title = "Mine"

[[cards]]
id = "c1"
text = "Which sound of home would you miss first?"
depth = 1
"""


def deep_deck(folder: Path, levels: int = 600) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "deep.toml"
    path.write_text(GOOD.replace('title = "Mine"', f'title = "Mine"\ntags = {"[" * levels}{"]" * levels}')
                    .replace('id = "mine"', 'id = "deep"'))
    (folder / "good.toml").write_text(GOOD)
    return path


@pytest.mark.parametrize("levels", [600, 5000])
def test_a_deck_nested_too_deeply_is_left_out_by_name(tmp_path: Path, levels):
    path = deep_deck(tmp_path / "decks", levels)
    deck, problems = load_file(path)
    assert deck is None and problems and problems[0].path == path
    found = load_decks([tmp_path / "decks"])
    assert [d.id for d in found.decks] == ["mine"]
    assert found.broken_files == [path]


def test_decks_list_and_check_say_it_without_a_traceback(tmp_path: Path, capsys):
    path = deep_deck(tmp_path / "decks")
    assert main(["--decks", str(tmp_path / "decks"), "decks", "list"]) == 0
    out = capsys.readouterr()
    assert "mine" in out.out and f"left out: {path}" in out.err
    assert main(["decks", "check", str(tmp_path / "decks")]) == 1
    out = capsys.readouterr()
    assert str(path) in out.out and "Traceback" not in out.out + out.err


async def test_the_app_starts_and_names_the_deck(make_app, tmp_path: Path):
    path = deep_deck(tmp_path / "decks")
    app = make_app(deck_dirs=[shipped_decks_dir(), tmp_path / "decks"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert any(path.name in n.message for n in app._notifications)
