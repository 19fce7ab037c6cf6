"""Whose turn it is: name, colour and symbol together, so colour is never the only signal."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from ..core.partners import Partner


def partner_text(partner: Partner, suffix: str = "") -> Text:
    """'◆ Ana' in Ana's colour, bold, plus an optional plain suffix."""
    text = Text()
    text.append(f"{partner.symbol} {partner.name}", style=f"bold {partner.colour}")
    if suffix:
        text.append(suffix)
    return text


def fit_name(name: str, cells: int) -> str:
    """`name` cut to `cells` terminal cells with a closing "…" when it is wider: a long name
    keeps a one-line button on one line (the whole name is kept; only its showing is short)."""
    if cell_len(name) <= cells:
        return name
    out = ""
    for ch in name:
        if cell_len(out + ch) > max(1, cells) - 1:
            break
        out += ch
    return out.rstrip() + "…"


class TurnBanner(Static):
    """A full-width line naming who holds the keyboard now."""

    DEFAULT_CSS = """
    TurnBanner {
        width: 1fr;
        height: 1;
        padding: 0 1;
        background: $boost;
        text-style: bold;
    }
    """

    def __init__(self, partner: Partner, what: str = "your turn", **kwargs) -> None:
        super().__init__(**kwargs)
        self.partner = partner
        self.what = what

    def on_mount(self) -> None:
        self.styles.border_left = ("thick", self.partner.colour)
        self.update(partner_text(self.partner, f"  · {self.what}"))
