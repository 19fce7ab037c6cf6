"""Hearth's one-line text box, and which text terminals draw at widths Rich cannot know.

Typed characters Textual would drop (the zero-width joiner in 👩‍❤️‍👨 and the like) are kept
app-wide by tui/widgets/typed_keys.py; this module handles what is left: a paste longer than a
field, and laying out emoji whose width terminals disagree on.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


def width_uncertain(text: str) -> bool:
    """Whether terminals disagree on how many cells `text` takes: emoji joined with U+200D,
    variation selectors, skin tones, keycaps and flags. Rich counts 👩‍❤️‍👨 as 2 cells; tmux, xterm
    and VTE draw up to 6, which pushes whatever follows on the line (a box's right border) out
    of place. Screens lay such text out with nothing after it on its line."""
    return any(ch in "\u200d\ufe0f\u20e3" or "\U0001f3fb" <= ch <= "\U0001f3ff"
               or "\U0001f1e6" <= ch <= "\U0001f1ff" for ch in text)


def limit_note(field: Input, what: str = "A name") -> str:
    """What to say once a field is full, or "": a key typed past `max_length` is refused by
    Textual without a sign, so the person is told the limit the moment they reach it."""
    if field.max_length and len(field.value) >= field.max_length:
        return f"{what} can be up to {field.max_length} characters; that's the limit."
    return ""


class LimitLine:
    """Shows a field's limit note on its message line, and takes it away again once the field
    is shorter, leaving any other message on that line (a name problem, say) as it was."""

    def __init__(self) -> None:
        self._shown: dict[str, str] = {}

    def follow(self, field: Input, line, what: str = "A name") -> None:
        note = limit_note(field, what)
        key = field.id or ""
        if note:
            if self._shown.get(key) != note:
                line.update(note)
                self._shown[key] = note
        elif self._shown.pop(key, None) is not None:
            line.update("")

    def forget(self, field: Input) -> None:
        """The line now shows something else (a check on Save wrote to it)."""
        self._shown.pop(field.id or "", None)


class TextInput(Input):
    """The one-line Input Hearth uses for free text. A paste longer than the field holds is not
    refused without a word (Textual's Input drops the whole paste then): what fits goes in, and
    a note says how much did not. Tabbing in puts the cursor at the end instead of selecting
    what is there: a newcomer's next key replaced a name they had typed."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

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
