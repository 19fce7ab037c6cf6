"""Search's first look at a year of rounds: its table's line as the file holds it, and whether the
searched words can be in it at all, before the year is parsed. A year that cannot hold them is
never parsed: a word met in few rounds looked through twenty years in 0.3 s, and each year parsed
was ten megabytes more at the peak.

Hearth writes ASCII JSON (tui/store/storage.py `dumps`): every character past ASCII is a `\\uXXXX`
escape, and `"` and `\\` are escaped. So for words of plain printable ASCII (the common case) the
line, lower-cased, with each escape replaced by its own folded form, holds every folded text of the
year: if the words are not in that, they are in none of its answers, notes or cards. Anything else
(other words, a line that is not ASCII, a hand-written escape Python does not read the same way) is
looked at the slow, exact way: the line decoded whole and folded, or simply parsed.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from json.decoder import scanstring

from ..core.rounds import fold
from .database import Store

_ESCAPE = re.compile(rb"\\\\|\\u([0-9a-f]{4})")
"""An escaped backslash (kept, so the `u` after it is never read as an escape) or a `\\uXXXX`."""
_ANY_ESCAPE = re.compile(rb"\\(.)", re.DOTALL)
_JSON_ESCAPES = {bytes([c]) for c in b'"\\bfnrtu'}
_PLAIN = re.compile(r"[ !#-\[\]-~]+")
"""Printable ASCII except `"` and `\\`: words that appear in the line as they are typed."""


def raw_line(store: Store, name: str) -> bytes | None:
    """A table's value exactly as the file holds it (checked against its checksum, and opened if
    the file is encrypted), without parsing it or keeping it; None when the table is in memory
    (changed or read in this session) or absent: then read it the usual way."""
    tables = store.storage.read()
    cold = getattr(tables, "cold", None)
    if cold is None:
        return None
    with tables.lock:
        span = cold.get(name)
        if span is None:
            return None
        # Tables._value: the same read (checksum, unsealing) that parsing the table does first
        return tables._value(name, span)


def _odd_escapes(raw: bytes) -> bool:
    """Whether the line holds a backslash escape Python's json writer never writes (`\\/`, or one
    no JSON has), which the shortcuts below would read otherwise. Escapes are taken left to right,
    as a reader takes them, so an escaped backslash never starts another."""
    return not set(_ANY_ESCAPE.findall(raw)) <= _JSON_ESCAPES


def _ascii_fold(match: re.Match[bytes]) -> bytes:
    if match.group(1) is None:
        return b"\\"
    folded = fold(chr(int(match.group(1), 16)))
    # what is not ASCII after folding can never be part of plain-ASCII words: a byte they never hold
    return "".join(c if c.isascii() else "\0" for c in folded).encode("ascii")


def may_hold(raw: bytes, needle: str) -> bool:
    """False only when no text in the table's line `raw` can hold `needle` (already folded, as
    tui.core.rounds.fold makes it); True means: parse the table and look."""
    if not raw.isascii() or _odd_escapes(raw):
        return True  # not as Hearth writes it: no shortcut
    if _PLAIN.fullmatch(needle):
        lowered = raw.lower()
        wanted = needle.encode("ascii")
        if wanted in lowered:
            return True
        if b"\\u" not in lowered:
            return False  # every text of the line is plain ASCII, lower-cased here as folding does
        return wanted in _ESCAPE.sub(_ascii_fold, lowered)
    # other words (an accent, a quote): the whole line decoded and folded, as each text would be;
    # the quotes between its strings are characters no accent joins, so no text runs into another
    try:
        text = raw.decode("unicode_escape")
        if any(ord(c) > 0xFFFF for c in needle):
            text = text.encode("utf-16", "surrogatepass").decode("utf-16")  # pairs back into one
    except (UnicodeError, ValueError):
        return True
    return needle in unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


# -- one round at a time ---------------------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
_PLACES: dict[tuple[int, int], dict[str, tuple[int, int]] | None] = {}
_PLACES_LOCK = threading.Lock()
_PLACES_KEPT = 4  # years whose places are remembered (a few hundred numbers each)


def doc_places(key: tuple[int, int], raw: bytes) -> dict[str, tuple[int, int]] | None:
    """Where each document of a table's line is, (offset, length) by id, so that a search reads
    the newest rounds one at a time (the first results need a few of a year's 150); None when the
    line cannot be taken apart that way. Worked out once per line (`key`: its length and CRC-32)
    with the decoder's own scanner, then remembered."""
    with _PLACES_LOCK:
        if key in _PLACES:
            return _PLACES[key]
    places = _scan(raw)
    with _PLACES_LOCK:
        while len(_PLACES) >= _PLACES_KEPT:
            _PLACES.pop(next(iter(_PLACES)))
        _PLACES[key] = places
    return places


def _scan(raw: bytes) -> dict[str, tuple[int, int]] | None:
    if not raw.isascii():
        return None
    text = raw.decode("ascii")
    scan = json.JSONDecoder().scan_once
    ws = _WS.match
    places: dict[str, tuple[int, int]] = {}
    try:
        i = ws(text, 0).end()
        if text[i] != "{":
            return None
        i = ws(text, i + 1).end()
        if text[i] == "}":
            return places
        while True:
            if text[i] != '"':
                return None
            key, i = scanstring(text, i + 1)
            i = ws(text, i).end()
            if text[i] != ":":
                return None
            start = ws(text, i + 1).end()
            _doc, i = scan(text, start)
            places[key] = (start, i - start)
            i = ws(text, i).end()
            if text[i] == "}":
                return places if ws(text, i + 1).end() == len(text) else None
            if text[i] != ",":
                return None
            i = ws(text, i + 1).end()
    except (ValueError, IndexError, StopIteration, RecursionError):
        return None
