"""The two partners: names, colours, symbols, and whose turn it is."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .text import typed_line

#: Colour is never the only signal: each partner also gets a symbol.
DEFAULT_COLOURS = ("#e8a33d", "#5fb3b3")
DEFAULT_SYMBOLS = ("◆", "●")
COLOUR_CHOICES = ("#e8a33d", "#5fb3b3", "#c678dd", "#98c379", "#e06c75", "#61afef")
SYMBOL_CHOICES = ("◆", "●", "▲", "■", "★", "✚")
MAX_NAME = 24


@dataclass(frozen=True)
class Partner:
    """One of the two people at the keyboard."""

    index: int
    name: str
    colour: str
    symbol: str

    @property
    def label(self) -> str:
        """Name with symbol, for places where colour may not show."""
        return f"{self.symbol} {self.name}"


@dataclass(frozen=True)
class Couple:
    """Both partners, in a fixed order (0 and 1)."""

    partners: tuple[Partner, Partner]

    def __getitem__(self, index: int) -> Partner:
        return self.partners[index]

    def other(self, index: int) -> Partner:
        return self.partners[1 - index]

    def by_name(self, name: str) -> Partner | None:
        return next((p for p in self.partners if p.name == name), None)

    @classmethod
    def from_names(cls, first: str, second: str) -> "Couple":
        return cls(
            (
                Partner(0, first, DEFAULT_COLOURS[0], DEFAULT_SYMBOLS[0]),
                Partner(1, second, DEFAULT_COLOURS[1], DEFAULT_SYMBOLS[1]),
            )
        )


def clean_name(raw: str) -> str:
    """Trim a typed name and drop control characters, which would garble the screen; every other
    character is kept (tui/core/text.py)."""
    return typed_line(raw)[:MAX_NAME]


def name_problem(raw: str, other: str | None = None) -> str | None:
    """Why a typed name can't be used, in plain words, or None when it is fine."""
    name = clean_name(raw)
    if not name:
        return "Please type a name (a nickname is fine)."
    if other is not None and name.casefold() == clean_name(other).casefold():
        return "The two names need to differ, so turns are clear."
    return None


def first_turn(choice: str, rng: random.Random) -> int:
    """Who starts: 'a', 'b' or 'random' → partner index 0 or 1."""
    if choice == "a":
        return 0
    if choice == "b":
        return 1
    return rng.randrange(2)


def alternate(first: int, count: int) -> list[int]:
    """Turn order that alternates from `first`: [0, 1, 0, 1, ...]."""
    return [(first + i) % 2 for i in range(count)]
