"""A deck's line in the round setup's list: its title, and below it, indented, a line about it.

Drawn as Textual Content, not a Rich Group: the list measures every option's height at each
layout, and a Group is rendered through Rich to be measured (a tenth of opening the setup, issue
17), while Content wraps itself and keeps the height it found.
"""

from __future__ import annotations

from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Spacing
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, RenderOptions, Visual

INDENT = 4


class DeckPrompt(Visual):
    """`head` on its first line(s), then `about` (if any) indented by INDENT, wrapped alike."""

    def __init__(self, head: Content, about: Content | None) -> None:
        self.head = head
        self.about = about
        self._about = Padding(about, Spacing(0, 0, 0, INDENT)) if about is not None else None

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        width = self.head.get_optimal_width(rules, container_width)
        if self._about is not None:
            width = max(width, self._about.get_optimal_width(rules, container_width))
        return width

    def get_height(self, rules: RulesMap, width: int) -> int:
        height = self.head.get_height(rules, width)
        if self._about is not None:
            height += self._about.get_height(rules, width)
        return height

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        strips = self.head.render_strips(width, None, style, options)
        if self._about is not None:
            strips += self._about.render_strips(width, None, style, options)
        return strips[:height] if height is not None else strips
