"""An OptionList given more options than it shows: what fits (and some) at once, the rest a chunk
at a time when the highlight or the view comes near the end. OptionList measures and wraps each
option as it is added: 200 search results took 60 ms of the key that found them, and drawing them
a chunk per frame after it kept the next key waiting."""

from __future__ import annotations

from typing import Callable

from textual.widgets import OptionList
from textual.widgets.option_list import Option

FIRST = 30
"""Options added at once: more than a tall terminal shows."""
CHUNK = 25
NEAR = 5
"""Rows from the end at which the next chunk is added."""


class LazyOptionList(OptionList):
    """OptionList with `show(makers, first)`: each maker makes one option when it is needed."""

    _waiting: list[Callable[[], Option]] = []

    def show(self, makers: list[Callable[[], Option]], first: int = FIRST) -> None:
        """Replace the options with those `makers` make: `first` now, the rest when near them."""
        self.clear_options()
        self._waiting = list(makers[first:])
        self.add_options([make() for make in makers[:first]])

    @property
    def waiting(self) -> int:
        """How many options are not made yet."""
        return len(self._waiting)

    def add_waiting(self, makers: list[Callable[[], Option]], first: int = FIRST) -> None:
        """More options at the end: made at once while the list has fewer than `first`, else
        when near them."""
        if not self._waiting and self.option_count < first:
            room = first - self.option_count
            self.add_options([make() for make in makers[:room]])
            makers = makers[room:]
        self._waiting.extend(makers)

    def more(self, count: int = CHUNK) -> None:
        """Add the next `count` options not made yet."""
        if not self._waiting:
            return
        now, self._waiting = self._waiting[:count], self._waiting[count:]
        self.add_options([make() for make in now])

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is not None and self._waiting and highlighted >= self.option_count - NEAR:
            self.more()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._waiting and new_value + self.scrollable_content_region.height >= self.virtual_size.height - NEAR:
            self.more()

    def action_last(self) -> None:
        """End goes to the very last option: every option is made first."""
        self.more(len(self._waiting))
        super().action_last()
