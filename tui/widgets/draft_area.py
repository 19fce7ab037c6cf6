"""A TextArea that saves what is typed as a draft, so no word is lost to a crash or a quit."""

from __future__ import annotations

from textual.timer import Timer
from textual.widgets import TextArea

from tui.store.database import Store
from tui.store.drafts import clear_draft, load_draft, save_draft

DEBOUNCE_SECONDS = 0.4


class DraftArea(TextArea):
    """Autosaves to `drafts` under `draft_key` (debounced), restores it on mount."""

    DEFAULT_CSS = """
    DraftArea {
        height: 1fr;
        min-height: 4;
    }
    """

    def __init__(self, store: Store, draft_key: str, text: str = "", **kwargs) -> None:
        kwargs.setdefault("soft_wrap", True)
        kwargs.setdefault("tab_behavior", "focus")
        kwargs.setdefault("show_line_numbers", False)
        super().__init__(text, **kwargs)
        self.store = store
        self.draft_key = draft_key
        self._timer: Timer | None = None
        self._saved_text = text

    def on_mount(self) -> None:
        draft = load_draft(self.store, self.draft_key)
        if draft and not self.text:
            self.load_text(draft)
            self.move_cursor(self.document.end)
            self._saved_text = draft

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self.save_now)

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
