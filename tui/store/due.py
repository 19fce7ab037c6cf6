"""What is due, gathered from every feature that exists (reflection, agreements, pauses...)."""

from __future__ import annotations

import importlib
import importlib.util
from datetime import datetime

from tui.store.database import Store

#: Modules that may offer `due_items(store, now) -> list[str]`.
DUE_PROVIDERS: tuple[str, ...] = (
    "tui.store.reflections",
    "tui.store.agreements",
    "tui.store.pauses",
    "tui.store.rounds",
)


def due_lines(store: Store, now: datetime, *, only: tuple[str, ...] | None = None) -> list[str]:
    """Ask each provider; a missing or failing one is skipped so home always shows."""
    lines: list[str] = []
    for name in only or DUE_PROVIDERS:
        try:
            if importlib.util.find_spec(name) is None:
                continue
            provider = getattr(importlib.import_module(name), "due_items", None)
            if provider:
                lines.extend(provider(store, now))
        except Exception:
            continue
    return lines
