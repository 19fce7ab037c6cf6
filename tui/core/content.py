"""The app's own texts (templates, phrases, prompts), read from tui/content/*.toml once."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

#: The package's content folder, beside this one. Found from this file rather than through
#: importlib.resources, which with the zipfile module it brings cost about 0.35 MiB for the session.
_CONTENT = Path(__file__).resolve().parent.parent / "content"


@cache
def load(name: str) -> dict[str, Any]:
    """Parsed `tui/content/<name>.toml`. These files ship with Hearth and are tested."""
    text = (_CONTENT / f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def help_text(room: str, screen: str) -> str:
    """A screen's help (F1), kept with the app's other texts in `tui/content/help.toml`."""
    return load("help")[room][screen]
