"""A Select that is light until it is opened.

Textual's Select is six widgets: itself, a "current" box holding three Statics (the label and two
arrows), and its overlay, an OptionList with every option measured as it mounts. The round setup
has five of them; composing, styling and laying out those thirty widgets was a third of opening
the screen (issue 17). This one draws the current box as one widget and makes its overlay the
first time it opens. Everything else (value, Changed, set_options, the keys, type to search in the
open list, the mouse) is Textual's own.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Select
from textual.widgets._select import NoSelection, SelectCurrent, SelectOverlay


class _Current(SelectCurrent):
    """The current value and the arrow, drawn as one line by one widget (no child Statics)."""

    def compose(self):  # type: ignore[override]
        return []

    def get_content_height(self, container, viewport, width: int) -> int:
        return 1

    def update(self, label: Any) -> None:
        self.label = label
        self.has_value = not isinstance(label, NoSelection)
        self.refresh()  # always one line: no new layout

    def render(self) -> Content:
        label = self.label
        blank = isinstance(label, NoSelection)
        shown = self.placeholder if blank else label
        plain = shown.plain if isinstance(shown, (Text, Content)) else str(shown)
        expanded = isinstance(self.parent, Select) and self.parent.expanded
        width = max(1, self.content_size.width - 2)  # as Textual's: the label, a space, the arrow
        if cell_len(plain) > width:
            plain = set_cell_size(plain, width - 1) + "…"
        # the colours of Textual's own box: a dim placeholder, a dim arrow
        return Content.assemble((set_cell_size(plain, width), DIM if blank else ""), (" ▲" if expanded else " ▼", DIM))


DIM = "$foreground 50%"


class LightSelect(Select):
    """Select with a one-widget current box and an overlay made on first opening."""

    def compose(self):  # type: ignore[override]
        yield _Current(self.prompt)

    def _overlay(self) -> SelectOverlay | None:
        try:
            return self.query_one(SelectOverlay)
        except NoMatches:
            return None

    async def _make_overlay(self) -> SelectOverlay:
        overlay = self._overlay()
        if overlay is None:
            overlay = SelectOverlay(type_to_search=self._type_to_search)
            overlay.compact = self.compact
            await self.mount(overlay)
            super()._setup_options_renderables()
            self._highlight(overlay, self.value)
        return overlay

    def _highlight(self, overlay: SelectOverlay, value: Any) -> None:
        for index, (_prompt, option_value) in enumerate(self._options):
            if option_value == value:
                overlay.highlighted = index
                return

    def _setup_options_renderables(self) -> None:
        if self._overlay() is not None:
            super()._setup_options_renderables()

    def _on_mount(self) -> None:
        # Before Select's own: a value set while this was not mounted yet (set_options on a
        # Select just added) is the value already, so Select's setting it again changes nothing
        self._show_current(self._value)

    def _show_current(self, value: Any) -> bool:
        """The current box says `value`; False when it is not there yet."""
        try:
            current = self.query_one(_Current)
        except NoMatches:
            return False
        if value == self.NULL:
            current.update(self.NULL)
            return True
        for prompt, option_value in self._options:
            if option_value == value:
                current.update(prompt)
                break
        overlay = self._overlay()
        if overlay is not None:
            self._highlight(overlay, value)
        return True

    def _watch_value(self, value: Any) -> None:
        self._value = value
        if self._show_current(value):
            self.post_message(self.Changed(self, value))

    def _watch_expanded(self, expanded: bool) -> None:
        if self._overlay() is None:
            if expanded:
                self.call_next(self._open_made)  # a click opened it: make the list, then show it
            return
        super()._watch_expanded(expanded)
        self.query_one(_Current).refresh()

    async def _open_made(self) -> None:
        await self._make_overlay()
        if self.expanded:
            super()._watch_expanded(True)
            self.query_one(_Current).refresh()

    async def action_show_overlay(self) -> None:  # type: ignore[override]
        await self._make_overlay()
        super().action_show_overlay()

    def _watch_prompt(self, prompt: str) -> None:
        if not self.is_mounted:
            return
        current = self.query_one(_Current)
        current.placeholder = prompt
        if self._allow_blank and self.value == self.NULL:
            current.update(self.NULL)
        overlay = self._overlay()
        if overlay is not None and self._allow_blank:
            overlay.replace_option_prompt_at_index(0, Text(prompt, style="dim"))
