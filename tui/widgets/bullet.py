"""List lines whose wrapped lines stay under their text, not under their marker."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.widgets import Static


def bullet_grid(lines: Iterable[tuple[str, Text | str]]) -> Table:
    """'• text' rows: a two-column grid, so a long text wraps two columns in (a single line of
    text would wrap under the '•')."""
    grid = Table.grid()
    grid.add_column(width=2, no_wrap=True)
    grid.add_column(ratio=1)
    for marker, body in lines:
        grid.add_row(marker, body)
    return grid


class BulletList(Static):
    """A whole list of bullets drawn by one widget. A round's summary lists every card it went
    through; as one widget per line (a row of marker and text, three widgets each) they were
    36 widgets of a 12-card round's 66, each with its own styles and drawn lines."""

    DEFAULT_CSS = """
    BulletList { height: auto; color: $text-muted; }
    """

    def __init__(self, lines: Iterable[tuple[str, Text | str]], **kwargs) -> None:
        super().__init__(bullet_grid(lines), **kwargs)
