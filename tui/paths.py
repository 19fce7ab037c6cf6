"""Where Hearth keeps things: the data folder, the database, and the deck folders."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP = "hearth"


def data_dir() -> Path:
    """platformdirs' user data folder for Hearth (e.g. ~/.local/share/hearth on Linux)."""
    return user_data_path(APP, appauthor=False)


def default_db() -> Path:
    return data_dir() / "hearth.json"


def db_path(cli_value: str | None) -> Path:
    """--db wins, then HEARTH_DB, then the default."""
    raw = cli_value or os.environ.get("HEARTH_DB")
    return Path(raw).expanduser() if raw else default_db()


def config_path() -> Path:
    """The couple's own settings file (e.g. ~/.config/hearth/config.toml); HEARTH_CONFIG wins."""
    raw = os.environ.get("HEARTH_CONFIG")
    return Path(raw).expanduser() if raw else user_config_path(APP, appauthor=False) / "config.toml"


def user_decks_dir() -> Path:
    """Decks the couple writes themselves; read on every start."""
    return data_dir() / "decks"


def shipped_decks_dir() -> Path:
    """Decks that come with Hearth: inside the wheel, or `decks/` in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "decks"
    if packaged.is_dir():
        return packaged
    return here.parent / "decks"


def deck_dirs(extra: list[str] | None = None, db: Path | None = None) -> list[Path]:
    """All folders decks are read from, shipped first, then --decks, then the couple's own: the
    data folder's `decks`, and the `decks` folder beside a database named with --db or HEARTH_DB
    (the README's "beside your database" holds wherever the database is)."""
    dirs = [shipped_decks_dir(), *(Path(e).expanduser() for e in extra or []), user_decks_dir()]
    if db is not None:
        beside = db.expanduser().absolute().parent / "decks"
        if beside not in dirs:
            dirs.append(beside)
    return dirs
