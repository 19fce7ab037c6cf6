"""Markdown export of everything: each feature's store module offers `markdown(store) -> str`,
or `full_markdown(store)` when its everyday section leaves something out (retired agreements)."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Iterable, Iterator

from ..core.clock import stamp
from .database import Store
from .profile import load_couple

#: "tui" in the source tree, "hearth" once installed: module names here are built on it.
_TOP_PACKAGE = (__package__ or __name__).partition(".")[0]

SECTIONS: tuple[str, ...] = (
    f"{_TOP_PACKAGE}.store.rounds",
    f"{_TOP_PACKAGE}.store.withhold",  # one partner's computer: apart rounds' cards not revealed yet
    f"{_TOP_PACKAGE}.store.reflections",
    f"{_TOP_PACKAGE}.store.agreements",
    f"{_TOP_PACKAGE}.store.pauses",
    f"{_TOP_PACKAGE}.store.talks",
)


def export_markdown(store: Store) -> str:
    return "".join(markdown_parts(store))


def markdown_parts(store: Store) -> Iterator[str]:
    """export_markdown() in pieces, for writing as it is made: a section offers `markdown_parts`
    when it is big (twenty years of rounds), else its whole text."""
    couple = load_couple(store)
    who = f"{couple[0].name} & {couple[1].name}" if couple else "Hearth"
    yield f"# Hearth: {who}\n\nExported {stamp(store.clock.now())}.\n"
    for name in SECTIONS:
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        parts = getattr(module, "markdown_parts", None)
        section = getattr(module, "full_markdown", None) or getattr(module, "markdown", None)
        if parts:
            pieces = parts(store)
        elif section:
            pieces = iter((section(store),))
        else:
            continue
        first = True
        for piece in _stripped(pieces):
            yield ("\n" + piece) if first else piece
            first = False
        if not first:
            yield "\n"


def _stripped(pieces: Iterable[str]) -> Iterator[str]:
    """The pieces of a text, without the whole text's leading and trailing white space."""
    pending = ""
    begun = False
    for piece in pieces:
        if not begun:
            piece = piece.lstrip()
            if not piece:
                continue
            begun = True
        piece = pending + piece
        body = piece.rstrip()
        pending = piece[len(body):]
        if body:
            yield body
