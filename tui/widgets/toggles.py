"""Radio buttons, checkboxes and selection lists whose state shows in the glyph, not only in colour.

Textual draws the same mark (● or X) for on and off and tells them apart by colour alone. That
fails a colour-blind partner, NO_COLOR, and a screen read as text, so these show ● / ○ and ✓ / space.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets._selection_list import SelectionType
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

RADIO_ON, RADIO_OFF = "●", "○"
CHECK_ON, CHECK_OFF = "✓", " "


class MarkedRadioButton(RadioButton):
    """A radio button showing ● when chosen and ○ when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return RADIO_ON if self.value else RADIO_OFF


class MarkedCheckbox(Checkbox):
    """A checkbox showing ✓ when ticked and a blank when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return CHECK_ON if self.value else CHECK_OFF


class MarkedSelectionList(SelectionList[SelectionType]):
    """A selection list whose ticked lines carry ✓ (Textual draws X on every line)."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip  # not a line with a button (e.g. the second line of a long prompt)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        mark = CHECK_ON if selection.value in self._selected else CHECK_OFF
        segments[1] = Segment(mark, segments[1].style, segments[1].control)
        return Strip(segments, strip.cell_length)
