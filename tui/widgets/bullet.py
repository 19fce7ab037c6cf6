"""A list line whose wrapped lines stay under its text, not under its marker."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static


class Bullet(Horizontal):
    """'• text' where a long text wraps two columns in (a single Static wraps under the '•')."""

    DEFAULT_CSS = """
    Bullet { height: auto; color: $text-muted; }
    Bullet > .marker { width: 2; }
    Bullet > .bullet-text { width: 1fr; height: auto; }
    """

    def __init__(self, marker: str, body: Text | str) -> None:
        super().__init__()
        self.marker = marker
        self.body = body

    def compose(self) -> ComposeResult:
        yield Static(self.marker, classes="marker")
        yield Static(self.body, classes="bullet-text")
