"""Markdown export of everything: each feature's store module offers `markdown(store) -> str`,
or `full_markdown(store)` when its everyday section leaves something out (retired agreements)."""

from __future__ import annotations

import importlib
import importlib.util

from tui.core.clock import stamp
from tui.store.database import Store
from tui.store.profile import load_couple

SECTIONS: tuple[str, ...] = (
    "tui.store.rounds",
    "tui.store.reflections",
    "tui.store.agreements",
    "tui.store.pauses",
    "tui.store.talks",
)


def export_markdown(store: Store) -> str:
    couple = load_couple(store)
    who = f"{couple[0].name} & {couple[1].name}" if couple else "Hearth"
    parts = [f"# Hearth: {who}\n\nExported {stamp(store.clock.now())}.\n"]
    for name in SECTIONS:
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        section = getattr(module, "full_markdown", None) or getattr(module, "markdown", None)
        if section:
            text = section(store).strip()
            if text:
                parts.append(text + "\n")
    return "\n".join(parts)
