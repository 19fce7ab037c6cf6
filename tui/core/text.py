"""Cleaning what people type: keep every character a person can type or paste.

Why so little is removed: joiners build emoji (👩‍❤️‍👨) and Persian words (the zero-width
non-joiner), no-break and ideographic spaces, direction marks, flag tags and soft hyphens are all
text, and so is a character newer than this Python's Unicode tables (`str.isprintable()` calls it
unprintable). What would break the terminal or the file is removed, and only that: the C0 and C1
control characters other than newline and tab (an escape sequence could repaint the screen), and
unpaired surrogates (they cannot be written as UTF-8). Line ends become newlines.

Trimming and collapsing touch ASCII spaces and tabs only, never a no-break or ideographic space.
"""

from __future__ import annotations

import re

#: C0 controls except tab (09) and newline (0a), DEL, and the C1 controls
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_BLANKS = re.compile("[ \t]+")
_ASCII_WS = re.compile("[ \t\n]+")


def keep_typed(raw: object) -> str:
    """The text as typed, minus what would break the terminal or the file (see the module)."""
    text = "" if raw is None else str(raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _SURROGATES.search(text):
        # a pair that arrived as two halves becomes its character; a lone half is dropped
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    return _CONTROLS.sub("", text)


def typed_lines(raw: object, *, tidy_spaces: bool = False) -> str:
    """Several lines: each without trailing ASCII blanks, no blank lines at either end. With
    `tidy_spaces`, runs of ASCII spaces and tabs inside a line become one space."""
    lines = keep_typed(raw).split("\n")
    if tidy_spaces:
        lines = [_BLANKS.sub(" ", line).strip(" ") for line in lines]
    else:
        lines = [line.rstrip(" \t") for line in lines]
    return "\n".join(lines).strip("\n")


def typed_line(raw: object) -> str:
    """One line (a name, a title, a topic): ASCII spaces, tabs and line breaks become single spaces."""
    return _ASCII_WS.sub(" ", keep_typed(raw)).strip(" ")
