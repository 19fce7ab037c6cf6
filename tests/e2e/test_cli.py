"""The hearth command: decks list/check, export, restore, and one-line failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from tui.cli import main
from tui.store import Store
from tui.store.profile import save_couple


def run(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd, timeout=60)


def test_help_does_not_import_textual():
    code = "import sys; sys.argv=['hearth','--help']\nfrom tui.cli import main\ntry:\n main()\nexcept SystemExit: pass\nprint('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30).stdout
    assert out.strip().endswith("False")
    assert "decks" in out


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0 and "hearth 0." in capsys.readouterr().out


def test_decks_list_shows_ids_titles_counts_files(capsys):
    assert main(["decks", "list"]) == 0
    out = capsys.readouterr().out
    assert "knowing-you-now" in out and "Knowing you now" in out and "knowing-you-now.toml" in out
    assert "16 decks" in out or "decks," in out


def test_decks_check_passes_on_shipped(capsys):
    assert main(["decks", "check"]) == 0


def test_decks_check_reports_every_problem_as_file_line(tmp_path: Path, capsys):
    (tmp_path / "a.toml").write_text('[deck]\nid = "a"\ntitle = "A"\n\n[[cards]]\nid = "x"\ntext = "What?"\ndepth = 7\n')
    (tmp_path / "b.toml").write_text("[deck\n")
    assert main(["decks", "check", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert any(line.startswith(f"{tmp_path / 'a.toml'}:8: ") and "depth" in line for line in lines)
    assert any(line.startswith(f"{tmp_path / 'b.toml'}:1: ") and "TOML" in line for line in lines)


def test_user_decks_folder_is_read(tmp_path: Path, capsys, monkeypatch):
    from tui import paths

    user = paths.user_decks_dir()
    user.mkdir(parents=True)
    (user / "ours.toml").write_text(
        '[deck]\nid = "ours"\ntitle = "Our own"\ndescription = "Ours."\n\n[[cards]]\nid = "o1"\n'
        'text = "What should our own deck ask next time?"\ndepth = 1\n'
    )
    assert main(["decks", "list"]) == 0
    assert "Our own" in capsys.readouterr().out


def test_export_json_shape(tmp_path: Path, capsys, couple):
    db = tmp_path / "h.json"
    with Store.open(db, background=False) as s:
        save_couple(s, couple)
    out = tmp_path / "out.json"
    assert main(["--db", str(db), "export", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["format"] == "hearth-export" and data["format_version"] == 1
    assert data["tables"]["profile"]["1"]["partners"][0]["name"] == "Ana"
    assert (out.stat().st_mode & 0o777) == 0o600  # it holds private answers


def test_hearth_db_environment_variable(tmp_path: Path, capsys, couple):
    db = tmp_path / "env.json"
    with Store.open(db, background=False) as s:
        save_couple(s, couple)
    os.environ["HEARTH_DB"] = str(db)
    try:
        assert main(["export"]) == 0
    finally:
        del os.environ["HEARTH_DB"]
    assert '"Sam"' in capsys.readouterr().out


def test_damaged_database_is_one_line_no_traceback(tmp_path: Path):
    db = tmp_path / "h.json"
    db.write_text("{nope")
    result = run("--db", str(db), "export")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and str(db) in result.stderr
    assert db.read_text() == "{nope"


def test_locked_database_is_refused(tmp_path: Path):
    db = tmp_path / "h.json"
    with Store.open(db, background=False):
        result = run("--db", str(db), "export")
    assert result.returncode == 1 and "already open" in result.stderr and "Traceback" not in result.stderr


def test_unwritable_folder_is_one_line(tmp_path: Path):
    if os.geteuid() == 0:
        target = "/proc/hearth-cannot-live-here/h.json"
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = str(locked / "sub" / "h.json")
    result = run("--db", target, "export")
    assert result.returncode == 1 and "Traceback" not in result.stderr and result.stderr.startswith("hearth: ")


def test_app_needs_a_terminal(tmp_path: Path):
    result = run("--db", str(tmp_path / "h.json"))
    assert result.returncode == 1 and "needs a terminal" in result.stderr


def test_restore_command(tmp_path: Path, couple, clock):
    db = tmp_path / "h.json"
    with Store.open(db, background=False, clock=clock) as s:
        save_couple(s, couple)
    Store.open(db, background=False, clock=clock).close()  # makes the daily backup
    db.write_text("garbage")
    result = run("--db", str(db), "restore")
    assert result.returncode == 0, result.stderr
    assert "restored" in result.stdout
    assert json.loads(db.read_text())["profile"]["1"]["partners"][1]["name"] == "Sam"
    assert list(tmp_path.glob("h.json.damaged-*"))


def test_core_and_store_do_not_import_textual():
    """At run time too: import-linter sees static imports, not modules loaded by name (importlib)."""
    code = (
        "import pkgutil, importlib, sys, tui.core, tui.store\n"
        "for pkg in (tui.core, tui.store):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(f'{pkg.__name__}.{m.name}')\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# -- hearth link on a new computer: whose it is, asked by name -----------------------------------------

def _ana_linked(tmp_path: Path, clock, *, encrypted: bool = False) -> Path:
    """Ana's Hearth, linked to a folder first (encrypted: with a cheap key, as tests make them)."""
    from tui.core.partners import Couple
    from tui.store import sync

    from tests.helpers import CHEAP_KDF

    folder = tmp_path / "shared"
    with Store.open(tmp_path / "ana" / "hearth.json", clock=clock, background=False) as s:
        save_couple(s, Couple.from_names("Ana", "Sam"))
        if encrypted:
            s.encrypt({"partner-1": "ana's own words"}, recovery=False, cost=CHEAP_KDF)
        sync.link(s, folder, 0, clock.now())
        sync.sync_now(s, clock.now(), keep=True)
    return folder


def _link_in_a_terminal(db: Path, folder: Path) -> pexpect.spawn:
    exe = Path(sys.executable).parent / "hearth"
    return pexpect.spawn(str(exe), ["--db", str(db), "link", str(folder)], encoding="utf-8", timeout=30,
                         env={**os.environ, "TERM": "xterm-256color"}, dimensions=(24, 100))


@pytest.mark.parametrize("encrypted", [False, True])
def test_link_on_a_new_computer_asks_whose_it_is_by_name(tmp_path: Path, clock, encrypted: bool):
    folder = _ana_linked(tmp_path, clock, encrypted=encrypted)
    child = _link_in_a_terminal(tmp_path / "sam" / "hearth.json", folder)
    if encrypted:  # the key first: the names are only readable with it
        child.expect("passphrase")
        child.sendline("ana's own words")
    child.expect("Is this Ana's or Sam's computer\\? 1 = Ana, 2 = Sam, b = both of you: ")
    child.sendline("sam")  # a name is an answer too
    child.expect(r"this is Sam's\s+computer")  # (the line wraps between words at the terminal's width)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "partner 1" not in child.before


def test_link_where_no_names_are_known_yet_asks_by_number(tmp_path: Path):
    child = _link_in_a_terminal(tmp_path / "new" / "hearth.json", tmp_path / "empty-folder")
    child.expect("Whose computer is this\\? 1 = partner 1, 2 = partner 2, b = both of you: ")
    child.sendline("1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_decks_beside_a_database_named_with_db_are_read(tmp_path: Path, capsys):
    """README: decks go in the `decks` folder beside your database, wherever --db puts it."""
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "kitchen.toml").write_text(
        '[deck]\nid = "our-kitchen"\ntitle = "Our kitchen"\ndescription = "Food."\n\n[[cards]]\nid = "k1"\n'
        'text = "Which meal would you cook for us tonight?"\ndepth = 1\n'
    )
    (tmp_path / "decks" / "broken.toml").write_text("[deck\n")
    db = tmp_path / "try.json"
    assert main(["--db", str(db), "decks", "list"]) == 0
    assert "Our kitchen" in capsys.readouterr().out
    assert main(["--db", str(db), "decks", "check"]) == 1
    assert f"{tmp_path / 'decks' / 'broken.toml'}:1: " in capsys.readouterr().out
    assert not db.exists()  # looking at decks makes no database


@pytest.mark.parametrize("command", [["export"], ["export", "--format", "markdown"], ["agreements", "export"],
                                     ["calendar", "--out", "cal.ics"], ["sync"], ["unlink"], ["decrypt"]])
def test_a_command_given_a_database_that_is_not_there_says_so_and_makes_nothing(tmp_path: Path, capsys, command):
    db = tmp_path / "typo" / "x.json"
    assert main(["--db", str(db), *command]) == 1
    err = capsys.readouterr().err
    assert f"there is no Hearth database at {db}" in err
    assert not db.parent.exists() or not any(db.parent.iterdir())  # no empty database, no lock file


def test_export_into_a_closed_pipe_ends_quietly(tmp_path: Path):
    from tui import demo

    db = tmp_path / "h.json"
    with Store.open(db, background=False) as s:  # far more than a pipe holds, so `head` closes it early
        demo.populate(s, demo.SampleShape(weeks=20, rounds_per_week=2), seed=3)
    proc = subprocess.run(f"{sys.executable} -m tui --db {db} export --format markdown | head -c 10",
                          shell=True, capture_output=True, text=True, timeout=60)
    assert len(proc.stdout) == 10
    assert "Broken pipe" not in proc.stderr and "Traceback" not in proc.stderr


FPS_PROBE = """
import sys, types
from tui import cli

class StandIn:  # reports the frame ceiling Textual read, in place of the app
    def __init__(self, store, *args, **kwargs):
        self.store, self.crash_message = store, None
    def run(self):
        import textual.constants
        print("MAX_FPS", textual.constants.MAX_FPS, flush=True)

sys.modules["tui.app"] = types.SimpleNamespace(HearthApp=StandIn)
sys.exit(cli.main(["--db", sys.argv[1]]))
"""


@pytest.mark.parametrize("own, expected", [(None, 120), ("30", 30)])
def test_the_app_runs_at_hearths_frame_ceiling_unless_the_person_set_one(tmp_path: Path, own, expected):
    """cli.FRAMES_PER_SECOND reaches Textual: set before it is first imported, and a person's own
    TEXTUAL_FPS is kept."""
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    if own is not None:
        env["TEXTUAL_FPS"] = own
    child = pexpect.spawn(sys.executable, ["-c", FPS_PROBE, str(tmp_path / "h.json")], env=env,
                          encoding="utf-8", timeout=30)
    child.expect(r"MAX_FPS (\d+)")
    assert int(child.match.group(1)) == expected
    child.expect(pexpect.EOF)
