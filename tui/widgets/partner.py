"""Whose turn it is: name, colour and symbol together, so colour is never the only signal."""

from __future__ import annotations

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
