"""Remapping keys in config.toml: the rules in core, and the app using them (help and footer too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tui.core.keymap import KEY_IDS, parse_keymap
from tui.screens.shell.help import HelpScreen
from tui.store.config import read_config

from tests.helpers import screen_text, wait_for

TUI = Path(__file__).resolve().parent.parent.parent / "tui"


def test_good_entries_are_kept_and_each_bad_one_is_named():
    keymap, problems = parse_keymap(
        {"pause": "ctrl+y", "help": "f2, question_mark", "nope": "x", "quit": "", "home.round": "enter"},
        "config.toml",
    )
    assert keymap == {"pause": "ctrl+y", "help": "f2,question_mark"}
    assert len(problems) == 3
    assert any("'nope'" in p for p in problems)
    # the README names only a few ids: the message points to the command that lists them all
    assert any("'nope'" in p and "run `hearth keys` to see every id" in p and "README" not in p for p in problems)
    assert any("quit" in p for p in problems)
    assert any("home.round" in p and "enter" in p for p in problems)  # Enter must keep choosing
    assert all(p.startswith("config.toml: ") for p in problems)


def test_a_broken_file_is_a_message_not_a_crash(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[keys\npause = 'ctrl+y'\n", encoding="utf-8")
    config = read_config(path)
    assert config.keys == {} and len(config.problems) == 1 and str(path) in config.problems[0]
    path.write_bytes(b"\xff\xfe")
    assert "UTF-8" in read_config(path).problems[0]
    assert read_config(tmp_path / "missing.toml").problems == []


def _binding_ids() -> set[str]:
    """Every `id=` given to a Binding anywhere in tui/."""
    found: set[str] = set()
    for path in TUI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Binding":
                for kw in node.keywords:
                    if kw.arg == "id" and isinstance(kw.value, ast.Constant):
                        found.add(kw.value.value)
    return found


def test_every_binding_id_is_documented_and_every_documented_id_exists():
    assert _binding_ids() == set(KEY_IDS)


@pytest.fixture
def config(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    monkeypatch.setenv("HEARTH_CONFIG", str(path))
    return path


async def test_a_remapped_key_works_and_help_and_home_show_it(config, make_app):
    config.write_text('[keys]\npause = "ctrl+y"\n"home.round" = "r"\n', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: " r Question round" in screen_text(app) and "^y Time-out" in screen_text(app))
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = screen_text(app)
        assert "^y" in text and "take a time-out" in text
        assert "F1 or ?" in text
        await pilot.press("escape")
        await pilot.press("ctrl+t")  # no longer the time-out
        await pilot.pause(0.05)
        assert type(app.screen).__name__ == "HomeScreen"
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PauseStartScreen")


async def test_a_bad_line_in_the_config_is_told_and_the_defaults_stay(config, make_app):
    config.write_text('[keys]\nnope = "x"\n', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: any("no key called 'nope'" in n.message and str(config) in n.message
                                          for n in app._notifications))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PauseStartScreen")


def test_hearth_keys_lists_every_id(capsys):
    from tui.cli import main

    assert main(["keys"]) == 0
    out = capsys.readouterr().out
    assert all(binding_id in out for binding_id in KEY_IDS)


async def test_a_screens_own_key_can_be_remapped(config, make_app):
    config.write_text('[keys]\n"rounds.round_setup.back" = "ctrl+b"\n', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        await pilot.press("1")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RoundSetupScreen")
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
