"""Every character a person types reaches the text boxes.

Textual's text boxes insert a key's character only when `str.isprintable()` says so. That drops
the zero-width joiner inside emoji such as 👩‍❤️‍👨, the zero-width non-joiner Persian needs,
direction marks, no-break spaces, flag tags, and any character newer than this Python's Unicode
tables (🩷), typed one key at a time (a paste arrives whole and was never affected). Here a key
counts as printable by the same rule as the store's cleaning (tui/core/text.py): anything but
control characters and unpaired surrogates.
"""

from __future__ import annotations

from textual import events

from ..core.text import keep_typed


def _is_printable(self: events.Key) -> bool:
    ch = self.character
    return bool(ch) and ch not in "\t\n" and keep_typed(ch) == ch


def keep_every_typed_character() -> None:
    """Make Textual's Key.is_printable follow Hearth's rule (once, at import of the app)."""
    events.Key.is_printable = property(_is_printable)  # type: ignore[method-assign, assignment]
