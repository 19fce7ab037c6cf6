"""Settings with their defaults; stored values override these."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "theme": "textual-dark",
    "bell": True,
    "breathing": True,
    "repeat_window": 20,
    "pause_minutes": 20,
    "pause_words": "",
    "lock_minutes": 0,  # an encrypted Hearth locks itself after this many idle minutes (0: never)
    "reflection_extras": [],  # optional weekly reflection steps (tui/core/reflection_extras.py)
}


def merged(stored: dict[str, Any]) -> dict[str, Any]:
    """Defaults overlaid with what the couple chose."""
    return {**DEFAULTS, **stored}
