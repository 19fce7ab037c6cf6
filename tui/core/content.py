"""The app's own texts (templates, phrases, prompts), read from tui/content/*.toml once."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

#: "tui" in the source tree, "hearth" once installed: module names here are built on it.
_TOP_PACKAGE = (__package__ or __name__).partition(".")[0]


@cache
def load(name: str) -> dict[str, Any]:
    """Parsed `tui/content/<name>.toml`. These files ship with Hearth and are tested."""
    text = resources.files(f"{_TOP_PACKAGE}.content").joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def help_text(room: str, screen: str) -> str:
    """A screen's help (F1), kept with the app's other texts in `tui/content/help.toml`."""
    return load("help")[room][screen]
