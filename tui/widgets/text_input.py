"""Typed format characters (the zero-width joiner above all) reach Hearth's text boxes.

Why: Textual's TextArea and Input take a key only when `str.isprintable()` says its character is
printable (events.Key.is_printable, TextArea/Input.check_consume_key). Unicode format characters
(category Cf) are not "printable" in Python, so U+200D ZERO WIDTH JOINER is dropped when typed:
👩‍❤️‍👨 arrives as three emoji and 🏳️‍🌈 as two. A paste arrives whole (events.Paste) and is kept.
This mixin takes those keys itself. Found in Textual 8.2.8; remove once Textual keeps them.
"""

from __future__ import annotations

import unicodedata

from textual import events
from textual.widgets import Input, TextArea


def is_format_char(character: str | None) -> bool:
    """A single invisible character that shapes text (ZWJ, ZWNJ, word joiner, bidi marks)."""
    return (character is not None and len(character) == 1 and not character.isprintable()
            and unicodedata.category(character) == "Cf")


def width_uncertain(text: str) -> bool:
    """Whether terminals disagree on how many cells `text` takes: emoji joined with U+200D,
    variation selectors, skin tones, keycaps and flags. Rich counts 👩‍❤️‍👨 as 2 cells; tmux, xterm
    and VTE draw up to 6, which pushes whatever follows on the line (a box's right border) out
    of place. Screens lay such text out with nothing after it on its line."""
    return any(ch in "\u200d\ufe0f\u20e3" or "\U0001f3fb" <= ch <= "\U0001f3ff"
               or "\U0001f1e6" <= ch <= "\U0001f1ff" for ch in text)


class FormatCharKeys:
    """Mixed in before TextArea or Input: a typed format character is inserted, not dropped."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return is_format_char(character) or super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls each class's _on_key along the MRO until one prevents the default: this
        # one runs first and, for a format character only, does the insert and stops there.
        if not is_format_char(event.character) or getattr(self, "read_only", False):
            return
        event.stop()
        event.prevent_default()
        if isinstance(self, TextArea):
            start, end = self.selection
            self._replace_via_keyboard(event.character, start, end)
        elif isinstance(self, Input):
            if self.selection.is_empty:
                self.insert_text_at_cursor(event.character)
            else:
                self.replace(event.character, *self.selection)


class TextInput(FormatCharKeys, Input):
    """The one-line Input Hearth uses for free text. A paste longer than the field holds is not
    refused without a word (Textual's Input drops the whole paste then): what fits goes in, and
    a note says how much did not."""

    def _on_paste(self, event: events.Paste) -> None:
        # runs before Input._on_paste (Textual walks the MRO) and stops it only for a long paste
        if not self.max_length or not event.text:
            return
        line = event.text.splitlines()[0] if event.text.splitlines() else ""
        start, end = sorted(self.selection)
        room = max(0, self.max_length - (len(self.value) - (end - start)))
        if len(line) <= room:
            return
        event.stop()
        event.prevent_default()
        self.replace(line[:room], start, end)
        self.app.notify(f"This field holds {self.max_length} characters; the last {len(line) - room} "
                        "of what you pasted did not fit.", severity="warning", timeout=6)
