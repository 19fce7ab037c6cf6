"""A TextArea that saves what is typed as a draft, so no word is lost to a crash or a quit."""

from __future__ import annotations

from time import monotonic

from textual.geometry import Region
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import TextArea

from ..store.database import Store
from ..store.drafts import clear_draft, load_draft, save_draft
from .watchers import forget_selection_signal

DEBOUNCE_SECONDS = 0.4
NEAR_LIMIT = 0.9  # the count shows from this share of the limit on


def limit_text(length: int, limit: int) -> str:
    """'3,612 of 4,000 characters', and what to do once over: a long paste is kept whole and
    said, never cut or refused without a word."""
    if length > limit:
        return f"{length:,} of {limit:,} characters: shorten it to save"
    return f"{length:,} of {limit:,} characters"


class DraftArea(TextArea):
    """Autosaves to `drafts` under `draft_key` (debounced), restores it on mount. (Typed zero-width
    joiners are kept app-wide: tui/widgets/typed_keys.py.)"""

    DEFAULT_CSS = """
    DraftArea {
        height: 1fr;
        min-height: 4;
    }
    DraftArea.-over-limit { border-subtitle-color: $error; }
    """

    def __init__(self, store: Store, draft_key: str, text: str = "", *, limit: int | None = None, **kwargs) -> None:
        kwargs.setdefault("soft_wrap", True)
        kwargs.setdefault("tab_behavior", "focus")
        kwargs.setdefault("show_line_numbers", False)
        super().__init__(text, **kwargs)
        self.store = store
        self.draft_key = draft_key
        self._timer: Timer | None = None
        self._changed_at = 0.0
        self._saved_text = text
        self.limit = limit  # characters that can be saved; the count shows as it nears

    _styled_for: object | None = None  # the TextArea theme last filled in from this widget's CSS

    def notify_style_update(self) -> None:
        """Textual calls this whenever this widget's CSS may have changed (focus, theme, hover)."""
        self._styled_for = None
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        """TextArea fills its theme from the CSS on every render, i.e. on every key; that was a
        fifth of a keystroke's time. Fill it in again only when the CSS or the theme changed;
        the rest is TextArea's own rendering (TextArea.render_lines is just these two steps)."""
        if not self.is_attached:
            # a view being swapped for the next may still be painted once, after Textual has
            # dropped this widget's styles (theme.apply_css then raised KeyError, seen in a
            # reflection skipped step by step): it draws nothing
            return [Strip.blank(crop.width)] * crop.height
        theme = self._theme
        if theme is not None and theme is not self._styled_for:
            try:
                theme.apply_css(self)
            except KeyError:  # styles dropped mid-removal, as above, before is_attached says so
                return [Strip.blank(crop.width)] * crop.height
            self._styled_for = theme
        return Widget.render_lines(self, crop)

    def on_mount(self) -> None:
        draft = load_draft(self.store, self.draft_key)
        if draft and not self.text:
            self.load_text(draft)
            self.move_cursor(self.document.end)
            self._saved_text = draft
        self._show_count()

    def _show_count(self) -> None:
        if self.limit is None:
            return
        length = len(self.text)
        shown = limit_text(length, self.limit) if length >= self.limit * NEAR_LIMIT else ""
        if self.border_subtitle != shown:
            self.border_subtitle = shown
            self.set_class(length > self.limit, "-over-limit")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        # One timer per pause in typing, not one per key: a key only notes the time, and the
        # timer, when it fires, waits on if a key came since (a timer per key cost keystroke time).
        # The message stops here: nothing above listens, and each level it climbs costs every key.
        event.stop()
        self._show_count()
        self._changed_at = monotonic()
        if self._timer is None:
            self._timer = self.set_timer(DEBOUNCE_SECONDS, self._save_when_quiet)

    def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        # Every key moves the cursor; nothing above listens, and the message climbed three levels.
        event.stop()

    def _save_when_quiet(self) -> None:
        quiet_for = monotonic() - self._changed_at
        if quiet_for < DEBOUNCE_SECONDS:
            self._timer = self.set_timer(DEBOUNCE_SECONDS - quiet_for, self._save_when_quiet)
            return
        self._timer = None
        self.save_now()

    def save_now(self) -> None:
        """Write the draft at once (also called on quit, pause and signals)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.text != self._saved_text:
            save_draft(self.store, self.draft_key, self.text)
            self._saved_text = self.text

    def discard(self) -> None:
        """Forget the draft once its text has been saved for real."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        clear_draft(self.store, self.draft_key)
        self._saved_text = self.text

    def on_unmount(self) -> None:
        if self._timer is not None:
            self.save_now()
        forget_selection_signal(self)  # or the screen keeps this box, and its undo history, alive
