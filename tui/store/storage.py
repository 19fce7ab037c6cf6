"""TinyDB storage that keeps the data in memory and saves it atomically, off the UI thread.

Why its own storage: TinyDB's JSONStorage re-reads the file on every query and rewrites
it in place, which a kill mid-save can leave unparseable. Here reads come from memory,
and each save re-encodes only the documents that changed (big tables are sharded by year),
then replaces the file atomically from a writer thread so typing never waits on the disk.

Years of data, read only when used: the file is written one table per line,

    {
    "agreements":{"1":{...},"2":{...}},
    "rounds_2017":{...},
    ...
    }

which is still plain JSON. When Hearth opens a file of that shape for the app, it notes where each
table's line is and parses a table only when it is first used (home needs a few small ones, not ten
years of rounds). A table that has not changed is copied from the file as it was read into each new
save, so it is never re-encoded. The writer thread checks every table it has not parsed yet (one
document at a time, so the screen never waits on it) before its first save, and only then makes the
day's backup; a damaged table stops all saving and is reported, and the file is left as it is.

A round writes into this year's rounds without reading them: a table not read yet is changed and
read by document id (Tables.can_patch), only the changed documents are kept, and a save copies the
others' bytes from the file read at open, as it does for a table read and changed a document at a
time. A table kept in memory is parsed a document at a time, its repeated values shared as it goes
(share_values_of), so the memory of a whole table's parse is never held at once.

Saving fast with years of data: the tables unchanged since open come first in the file. After each
save, while nobody waits, the writer puts them in a new temp file and fsyncs it; the next save only
adds the tables that changed, fsyncs those and replaces the file. Any table order is valid JSON,
and the file read at next open is the same shape.
"""

from __future__ import annotations

import codecs
import gc
import json
import os
import re
import tempfile
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from json.decoder import scanstring
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, NamedTuple

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from .files import FileRange, atomic_write, commit, discard_temp, prepare_temp, remove_quietly
from .errors import json_problem
from .schema import ENCRYPTION_HEADER

if TYPE_CHECKING:
    from .sealed import Sealer  # imported only for an encrypted file: it needs `cryptography`

Data = dict[str, dict[str, Any]]
StatusListener = Callable[[str | None], None]
RETRY_SECONDS = 2.0
#: One action often makes two or three changes (an answer saved, then its draft cleared), and every
#: save rewrites the whole file (about 45 ms at ten years): the writer waits for a short quiet first.
#: Below this many bytes of tables unchanged since open, the writer does not stage them (_stage).
STAGE_MIN_BYTES = 1 << 20
SETTLE_SECONDS = 0.004
SETTLE_MAX_SECONDS = 0.04
#: Seconds after opening before the writer checks the tables not read yet (sooner if a save comes).
CHECK_DELAY = 1.0
_ALL = None  # "every document of the table changed"


def describe_os_error(exc: OSError) -> str:
    """Plain words for the save errors people actually meet."""
    import errno

    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "permission was refused",
        errno.EPERM: "permission was refused",
        errno.EROFS: "the disk is read-only",
        errno.EIO: "the disk reported an input/output error",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return reason


def loads(text: str | bytes) -> Any:
    """json.loads with the cyclic garbage collector paused: years of data are hundreds of thousands
    of dicts and lists, and the collector would keep re-scanning them all while they are being made.
    JSON data holds no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return json.loads(text)
    finally:
        if enabled:
            gc.enable()


def dumps(doc: Any) -> str:
    """One document as strict JSON: ASCII, compact, and never a bare NaN or Infinity (which other
    tools refuse): such a number is written as null."""
    try:
        return json.dumps(doc, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    except ValueError:
        return json.dumps(_finite(doc), ensure_ascii=True, separators=(",", ":"), allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


# -- integrity: a checksum for each table's line -----------------------------------------------------------

#: The last line of every file Hearth writes: `"_integrity":{"1":{"crc32":{"<table>":"<8 hex>",...}}}`,
#: the CRC-32 of each table's line (its `"name":{...}` bytes, without the comma). A flipped byte, a
#: torn or missing line is then found, never read as data; the file stays plain JSON. CRC-32 finds
#: every error of up to 32 bits in a row and misses a random one once in 4 billion; it is cheap
#: enough (zlib, over a gigabyte a second) to check the whole file in the background at each open.
INTEGRITY = "_integrity"


def integrity_member(crcs: dict[str, int]) -> bytes:
    listed = ",".join(f'{json.dumps(name)}:"{crc:08x}"' for name, crc in sorted(crcs.items()))
    return f'{json.dumps(INTEGRITY)}:{{"1":{{"crc32":{{{listed}}}}}}}'.encode("ascii")


def read_integrity(table: Any) -> dict[str, int] | None:
    """The checksums in a parsed `_integrity` table, or None if it is not of that shape."""
    try:
        listed = table["1"]["crc32"]
        return {str(name): int(crc, 16) for name, crc in listed.items() if len(crc) == 8}
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def integrity_problem(crcs: dict[str, int] | None, names: Iterable[str]) -> str | None:
    """What is wrong between the checksums and the tables found, or None."""
    if crcs is None:
        return "its list of checksums cannot be read"
    found = set(names)
    missing = sorted(set(crcs) - found)
    if missing:
        return f"table '{missing[0]}' is missing (its line was lost or changed)"
    extra = sorted(found - set(crcs))
    if extra:
        return f"table '{extra[0]}' has no checksum (its line was changed)"
    return None


def verify_lines(raw: bytes) -> str | None:
    """For a file read whole that lists checksums: each table's line must match its own. A file
    with checksums is always written one table per line, so any other shape is damage too."""
    lines = raw.split(b"\n")
    if len(lines) < 3 or lines[0] != b"{" or lines[-1] != b"" or lines[-2] != b"}":
        return "its lines were changed (a file with checksums has one table per line)"
    members: dict[str, bytes] = {}
    for n, line in enumerate(lines[1:-2]):
        last = n == len(lines) - 4
        member = line if last else line.removesuffix(b",")
        if not last and member == line:
            return f"its lines were changed (line {n + 2})"
        try:
            name, _ = scanstring(member[:_NAME_PREFIX].decode("ascii", "replace"), 1)
        except ValueError:
            return f"its lines were changed (line {n + 2})"
        members[name] = member
    crcs = read_integrity(loads(members.pop(INTEGRITY, b"{}")[len(json.dumps(INTEGRITY)) + 1:] or b"{}"))
    problem = integrity_problem(crcs, members)
    if problem:
        return problem
    for name, member in members.items():
        if zlib.crc32(member) != crcs[name]:  # type: ignore[index]
            return f"table '{name}' does not match its checksum (some of its bytes have changed)"
    return None


# -- the file as it was read ------------------------------------------------------------------------------

class Span(NamedTuple):
    """Where one table is in the source file: its whole `"name":{...}` member, and its value."""

    offset: int
    length: int
    value_offset: int
    value_length: int


class Source:
    """The database file as Hearth read it at open. Tables not used yet are read from here, and
    tables that have not changed are copied from here into each new save. The open descriptor
    keeps this version of the file readable after a save has replaced it on disk."""

    CHUNK = 1 << 20

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.size = os.fstat(fd).st_size

    def read(self, offset: int, length: int) -> bytes:
        data = os.pread(self.fd, length, offset)  # one read: no second copy of a big table
        while len(data) < length:
            more = os.pread(self.fd, length - len(data), offset + len(data))
            if not more:
                raise OSError(f"the database file ended early (at byte {offset + len(data)})")
            data += more
        return data

    def chunks(self, offset: int = 0, length: int | None = None, size: int = CHUNK) -> Iterator[bytes]:
        end = self.size if length is None else offset + length
        while offset < end:
            part = os.pread(self.fd, min(end - offset, size), offset)
            if not part:
                raise OSError(f"the database file ended early (at byte {offset})")
            yield part
            offset += len(part)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


_NAME_PREFIX = 512  # a table name is short; more than this and the file is read the slow way


def _lines(fd: int) -> Iterator[tuple[int, int, bytes, bytes, bool]]:
    """(offset, length with its newline, first bytes, last two bytes before the newline, whether it
    has a newline) of each line, reading through a small buffer: the lines themselves are never held (a year of rounds is
    one line of a megabyte or two)."""
    buf = bytearray(Source.CHUNK)
    pos = start = 0
    head = bytearray()
    tail = b""
    while True:
        n = os.readv(fd, [buf])
        if n == 0:
            break
        i = 0
        while i <= n:
            j = buf.find(b"\n", i, n)
            stop = n if j < 0 else j
            if len(head) < _NAME_PREFIX:
                head += buf[i:min(stop, i + _NAME_PREFIX - len(head))]
            tail = (tail + bytes(buf[max(i, stop - 2):stop]))[-2:]
            if j < 0:
                break
            yield start, pos + j + 1 - start, bytes(head), tail, True
            start = pos + j + 1
            head = bytearray()
            tail = b""
            i = j + 1
        pos += n
    if start < pos:
        yield start, pos - start, bytes(head), tail, False  # a last line without a newline


def scan_lines(path: Path) -> tuple[Source, dict[str, Span]] | None:
    """If `path` has the one-table-per-line shape this module writes, its tables' places; else None
    (the caller then parses the whole file, which also names any damage precisely).

    Only the shape of each line is checked here, nothing is parsed; the tables themselves are
    checked when first used or by the writer thread before its first save.
    """
    fd = os.open(path, os.O_RDONLY)
    try:
        spans: dict[str, Span] = {}
        ended = False
        last_had_comma = True
        end_of_file = 0
        for n, (offset, length, head, tail, newline) in enumerate(_lines(fd)):
            end_of_file = offset + length
            if n == 0:
                if (head, length, newline) != (b"{", 2, True):
                    return None
                continue
            if ended:
                if head.strip():
                    return None  # something after the closing brace
                continue
            if head == b"}" and length == 1 + newline:
                if spans and last_had_comma:
                    return None  # a comma after the last table
                ended = True
                continue
            if not (newline and last_had_comma and head.startswith(b'"') and (tail == b"}," or tail.endswith(b"}"))):
                return None  # a member after the last one, or a line that is not a whole table
            last_had_comma = tail == b"},"
            member_len = length - 1 - last_had_comma
            try:
                name, end = scanstring(head.decode("ascii"), 1)
            except (UnicodeDecodeError, ValueError):
                return None
            if head[end:end + 2] != b":{" or name in spans:
                return None
            spans[name] = Span(offset, member_len, offset + end + 1, member_len - end - 1)
        if not ended:
            return None
        source = Source(fd)
        if source.size != end_of_file:
            return None  # the file changed while it was read
        fd = -1
        return source, spans
    finally:
        if fd >= 0:
            os.close(fd)


_WS = re.compile(r"[ \t\n\r]*")


#: Characters of a table the background check holds at a time (plus the document it is inside).
#: Under glibc's 128 KiB threshold for its own memory map: whole tables (a megabyte or more each)
#: read in one piece raised the peak memory by 7 MB and left 2 MB behind in the writer's arena.
CHECK_PIECE = 64 * 1024


class _Pieces:
    """A table's text arriving in pieces: what has arrived and not been checked yet, and its offset."""

    def __init__(self, pieces: Iterable[str]) -> None:
        self._pieces = iter(pieces)
        self.text = ""
        self.base = 0  # offset in the table of text[0]
        self.ended = False

    def more(self) -> bool:
        """Take in the next piece; False at the end of the table."""
        if self.ended:
            return False
        piece = next(self._pieces, None)
        if piece is None:
            self.ended = True
            return False
        self.text += piece
        return True

    def forget(self, i: int) -> int:
        """Drop the checked text before index i (once it is a piece's worth); i's new index."""
        if i < CHECK_PIECE:
            return i
        self.base += i
        self.text = self.text[i:]
        return 0


#: Told of each document as it is parsed: its id, where its text starts and ends in the table, itself,
#: and where its member (`"id":{...}`) starts.
DocSeen = Callable[[str, int, int, Any, int], None]


#: Passed each document of a table kept in memory as it is parsed, to make its repeated values one
#: object each (tui/store/rounds.py: the card history, a year of rounds). See `share_values_of`.
Compactor = Callable[[Any], None]
_compactors: list[tuple[Callable[[str], bool], Callable[[], Compactor]]] = []


def share_values_of(matches: Callable[[str], bool], make: Callable[[], Compactor]) -> None:
    """Tables whose names `matches` are handed, as they are read, to a compactor `make()` (one
    per read) a document at a time. Done while parsing, not after: a table parsed whole first
    held every repeated value at once (the card history's 32,000 strings at ten years), and the
    memory they were freed from stayed with the process (4.7 MiB at ten years, 8.4 at twenty)."""
    _compactors.append((matches, make))


def _compactor(name: str) -> Compactor | None:
    for matches, make in _compactors:
        if matches(name):
            return make()
    return None


def check_table(pieces: str | Iterable[str], seen: DocSeen | None = None) -> str | None:
    """Parse one table's JSON object a document at a time, keeping nothing; what is wrong, or None.

    Parsing document by document lets the UI thread take the GIL between documents, so checking
    ten years of rounds in the background never freezes the screen. The text may come in pieces
    (see `CHECK_PIECE`); a step that fails at the end of what has arrived is tried again with more.
    With `seen` (the UI thread looking for one document), each document is handed to it, and the
    GIL is not offered between documents (the writer could hold it 5 ms each time).
    """
    src = _Pieces([pieces] if isinstance(pieces, str) else pieces)
    scan = json.JSONDecoder().scan_once
    ws = _WS.match

    def skip_ws(i: int) -> int:
        while True:
            i = ws(src.text, i).end()
            if i < len(src.text) or not src.more():
                return i

    def char(i: int) -> str:
        while i >= len(src.text):
            if not src.more():
                return ""
        return src.text[i]

    def step(parse: Callable[[str, int], tuple[Any, int]], i: int) -> tuple[Any, int]:
        while True:
            try:
                return parse(src.text, i)
            except (StopIteration, ValueError):
                if not src.more():
                    raise

    def at(i: int) -> str:
        return f"it is not valid JSON (at character {src.base + i} of a table)"

    try:
        i = skip_ws(0)
        if char(i) != "{":
            return "it is JSON, but a table is not an object of documents"
        i = skip_ws(i + 1)
        if char(i) == "}":
            i += 1
        else:
            while True:
                if char(i) != '"':
                    return at(i)
                key_start = src.base + i
                key, i = step(scanstring, i + 1)
                i = skip_ws(i)
                if char(i) != ":":
                    return at(i)
                i = skip_ws(i + 1)
                start = i
                doc, i = step(scan, i)
                if not isinstance(doc, dict):
                    return f"it is JSON, but document {key} is not an object"
                if seen is None:
                    time.sleep(0)  # let the UI thread have the GIL now, not at the next switch (5 ms)
                else:
                    seen(key, src.base + start, src.base + i, doc, key_start)
                del doc
                i = src.forget(skip_ws(i))
                sep = char(i)
                i += 1
                if sep == "}":
                    break
                if sep != ",":
                    return at(i - 1)
                i = skip_ws(i)
        if skip_ws(i) != len(src.text):
            return "it is not valid JSON (extra data after a table)"
    except NotUTF8 as exc:  # raised by the pieces as they are read
        return f"it is not valid UTF-8 text (at byte {exc.byte} of a table)"
    except StopIteration as exc:
        return at(exc.value)
    except json.JSONDecodeError as exc:
        return f"it is not valid JSON ({json_problem(exc.msg)} at character {src.base + exc.pos} of a table)"
    except ValueError as exc:
        return f"it is not valid JSON ({exc})"
    except (RecursionError, MemoryError):
        return "it is not JSON Hearth can read (its values are nested too deeply, or it is too large)"
    return None


#: In Tables.patched_view: a document still as the source file holds it.
FROM_SOURCE: Any = object()


class _NotASCII(Exception):
    """A table's bytes are not all ASCII: its documents cannot be found by byte offset."""


def _ascii_pieces(source: Any, span: Span, crc: list[int]) -> Iterator[str]:
    """A plain file's table value in CHECK_PIECE pieces, decoded, its checksum carried on in
    crc[0] as they go (raises _NotASCII: such a table's documents cannot be found by byte offset)."""
    for chunk in source.chunks(span.value_offset, span.value_length, CHECK_PIECE):
        crc[0] = zlib.crc32(chunk, crc[0])
        if not chunk.isascii():
            raise _NotASCII
        yield chunk.decode("ascii")


class NotUTF8(Exception):
    """A table's bytes are not UTF-8 (found while its pieces are decoded)."""

    def __init__(self, byte: int) -> None:
        super().__init__(f"not UTF-8 at byte {byte}")
        self.byte = byte


def utf8_pieces(chunks: Iterable[bytes]) -> Iterator[str]:
    """Decode a table's bytes piece by piece (a character may be split between two pieces)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    for chunk in chunks:
        try:
            yield decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise NotUTF8(offset + exc.start) from None
        offset += len(chunk)
    try:
        yield decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise NotUTF8(offset + exc.start) from None


class Tables(MutableMapping):
    """The tables by name, as TinyDB sees them. A table still on disk ("cold") is parsed the first
    time it is used, and `spans` remembers which tables are still exactly as in the source file."""

    def __init__(self, loaded: Data | None = None, *, cold: dict[str, Span] | None = None,
                 source: Source | None = None, lock: threading.RLock | None = None,
                 damaged: Callable[[str], Exception] | None = None) -> None:
        self.loaded: Data = loaded if loaded is not None else {}
        self.cold: dict[str, Span] = dict(cold or {})
        self.spans: dict[str, Span] = dict(cold or {})
        self.checked: set[str] = set()  # cold tables the writer has already checked
        self.source = source
        self.lock = lock or threading.RLock()
        self._damaged = damaged or (lambda reason: ValueError(reason))
        self.problem: str | None = None  # set when a table turned out to be damaged
        self.sealer: Sealer | None = None  # an encrypted file's key: each line is opened with it
        #: each table's checksum as the source file lists it (None: an older file without them)
        self.crcs: dict[str, int] | None = None
        self.parsed = 0  # cold tables parsed so far
        #: where each document of a cold table is in its value: (offset, length), for peek_doc
        self._places: dict[str, dict[str, tuple[int, int]]] = {}
        #: for a table read from a plain file: where each document's member (`"id":{...}`) is in
        #: the source file, (start, end); the writer copies a document not changed since from
        #: there instead of keeping it encoded (HearthStorage._encode)
        self.doc_members: dict[str, dict[str, tuple[int, int]]] = {}
        #: tables whose repeated values were shared as they were read (see share_values_of)
        self.compacted: set[str] = set()
        #: tables changed a document at a time without being read (HearthTable: an insert, an
        #: update or a read by id): where the table is in the source file, and each document
        #: changed since (id → the document, None: removed). Starting a round wrote one document
        #: into this year's rounds, and read every round of the year to do it (2.6 MiB kept).
        self.patched: dict[str, tuple[Span, dict[str, Any]]] = {}

    # -- reading a cold table ---------------------------------------------------------------------
    def _value(self, name: str, span: Span) -> bytes:
        """A cold table's value as the file holds it, checked against its checksum (and opened, if
        the file is encrypted)."""
        assert self.source is not None
        text = self.source.read(span.value_offset, span.value_length)
        if self.crcs is not None:
            head = self.source.read(span.offset, span.value_offset - span.offset)
            if zlib.crc32(text, zlib.crc32(head)) != self.crcs.get(name):
                raise self._fail(f"table '{name}' does not match its checksum (some of its bytes have changed)")
        if self.sealer is not None:
            try:
                text = self.sealer.open_value(name, text)
            except ValueError as exc:  # never read as data: some bytes of the line have changed
                raise self._fail(str(exc)) from exc
        return text

    def _parse(self, name: str, span: Span) -> dict[str, Any]:
        try:
            table = loads(self._value(name, span))
        except (ValueError, OSError) as exc:
            if self.problem and str(exc) == self.problem:
                raise
            raise self._fail(f"it is not valid JSON (table '{name}': {exc})") from exc
        except (RecursionError, MemoryError) as exc:
            raise self._fail(f"it is not JSON Hearth can read (table '{name}': its values are nested too deeply "
                             "or it is too large)") from exc
        if not isinstance(table, dict):
            raise self._fail(f"it is JSON, but table '{name}' is not an object of documents")
        for doc_id, doc in table.items():
            if not isinstance(doc, dict):
                raise self._fail(f"it is JSON, but document {doc_id} in table '{name}' is not an object")
        return table

    def _read_kept(self, name: str, span: Span) -> tuple[dict[str, Any], dict[str, tuple[int, int]] | None, bool]:
        """A cold table to keep in memory: (its documents, where each one's member is in the file
        or None, whether its values were shared). A plain file's table is parsed a document at a
        time from pieces (CHECK_PIECE), never held whole as bytes and objects at once (a year of
        rounds: 1.2 MB of bytes, then 2-3 MiB of objects); anything else, or anything wrong, is
        read whole by _parse, which says precisely what is wrong."""
        if self.sealer is None and self.source is not None:
            try:
                found = self._stream(name, span)
            except OSError:
                found = None
            if found is not None:
                return found
        return self._parse(name, span), None, False

    def _stream(self, name: str, span: Span) -> tuple[dict[str, Any], dict[str, tuple[int, int]], bool] | None:
        """_read_kept for a plain file: None if the table is not plain ASCII JSON matching its checksum."""
        assert self.source is not None
        source = self.source
        crc = [zlib.crc32(source.read(span.offset, span.value_offset - span.offset))]

        table: dict[str, Any] = {}
        members: dict[str, tuple[int, int]] = {}
        compact = _compactor(name)
        base = span.value_offset

        def seen(key: str, _start: int, end: int, doc: Any, key_start: int) -> None:
            if compact is not None:
                compact(doc)
            table[key] = doc
            members[key] = (base + key_start, base + end)

        enabled = gc.isenabled()
        gc.disable()  # as in loads(): nothing parsed here holds a cycle
        try:
            problem = check_table(_ascii_pieces(source, span, crc), seen)
        except _NotASCII:
            return None
        finally:
            if enabled:
                gc.enable()
        if problem or (self.crcs is not None and crc[0] != self.crcs.get(name)):
            return None
        return table, members, compact is not None

    def _fail(self, reason: str) -> Exception:
        exc = self._damaged(reason)
        self.problem = self.problem or str(exc)
        return exc

    def peek(self, name: str) -> dict[str, Any] | None:
        """A table to read once without keeping it: the one in memory if it was read already, else
        parsed from the file and not kept (History and search go through twenty years of rounds a
        year at a time; kept, they took 90 MiB). None if there is no such table. Read only."""
        with self.lock:
            table = self.loaded.get(name)
            if table is not None:
                return table
            if name in self.patched:
                return self._with_patches(name, self._parse(name, self.patched[name][0]))
            span = self.cold.get(name)
            if span is None:
                return None
            return self._parse(name, span)

    def peek_doc(self, name: str, doc_id: str) -> dict[str, Any] | None:
        """One document of a table, read without keeping the table: a round's earlier answers to
        a card are in past years' rounds, and reading each such year whole and keeping it raised
        the memory of one round at ten years by 16 MiB. The first read of a cold table notes where
        each of its documents is in the file; later reads parse only the one asked for. None if
        there is no such table or document. Read only."""
        with self.lock:
            table = self.loaded.get(name)
            if table is not None:
                return table.get(doc_id)
            if name in self.patched:
                return self.patch_get(name, doc_id)
            span = self.cold.get(name)
            if span is None:
                return None
            places = self._places.get(name)
            if places is None:
                doc, places = self._find(name, span, doc_id)
                if places is not None:
                    self._places[name] = places
                return doc
            where = places.get(doc_id)
            if where is None:
                return None
            assert self.source is not None
            return loads(self.source.read(span.value_offset + where[0], where[1]))

    def each_doc(self, name: str, start: Callable[[], Any], add: Callable[[Any, str, dict[str, Any]], None]) -> Any:
        """Fold every document of a table, as it stands now, into `start()` with `add(acc, id, doc)`,
        one document at a time, keeping none of them: the card history read whole and kept was
        1.5 MiB of a round's memory at ten years, for the one number per card a round needs. A
        table in memory is gone through there. When a plain file's table cannot be read a
        document at a time (text that is not ASCII, an encrypted file), it is parsed whole and let
        go of, and the fold begins again from a new `start()`. Raises on damage, as reading it
        would; None if there is no such table."""
        with self.lock:
            table = self.loaded.get(name)
            if table is not None:
                acc = start()
                for doc_id, doc in list(table.items()):
                    add(acc, doc_id, doc)
                return acc
            entry = self.patched.get(name)
            span = entry[0] if entry is not None else self.cold.get(name)
            if span is None:
                return None
            changed = entry[1] if entry is not None else {}
            if self.sealer is None and self.source is not None:
                acc = start()
                in_file = self._fold_plain(name, span, changed, acc, add)
                if in_file is not None:
                    for doc_id, doc in changed.items():
                        if doc is not None and doc_id not in in_file:
                            add(acc, doc_id, doc)  # new since the file was read
                    return acc
            table = self._parse(name, span)
            if entry is not None:
                self._with_patches(name, table)
            acc = start()
            for doc_id, doc in table.items():
                add(acc, doc_id, doc)
            return acc

    def _fold_plain(self, name: str, span: Span, changed: dict[str, Any], acc: Any,
                    add: Callable[[Any, str, dict[str, Any]], None]) -> set[str] | None:
        """each_doc for a plain file's table on disk, each document changed since taken from
        `changed` in its place: the ids the file holds. None if the table cannot be read a document
        at a time or does not match its checksum: each_doc then reads it whole, which says
        precisely what is wrong."""
        assert self.source is not None
        crc = [zlib.crc32(self.source.read(span.offset, span.value_offset - span.offset))]
        in_file: set[str] = set()

        def seen(doc_id: str, _start: int, _end: int, doc: Any, _key_start: int) -> None:
            in_file.add(doc_id)
            if doc_id in changed:
                doc = changed[doc_id]
                if doc is None:
                    return
            add(acc, doc_id, doc)

        try:
            problem = check_table(_ascii_pieces(self.source, span, crc), seen)
        except (_NotASCII, OSError):
            return None
        if problem is not None or (self.crcs is not None and crc[0] != self.crcs.get(name)):
            return None
        return in_file

    def _find(self, name: str, span: Span, doc_id: str) -> tuple[dict[str, Any] | None, dict[str, tuple[int, int]] | None]:
        """The document `doc_id` of a cold table, read from the file one document at a time (only
        that one is kept), and where each document's bytes are in the table's value. The table is
        read in pieces (CHECK_PIECE) and its checksum checked at the end, before the document is
        handed out: read whole, a year of rounds was its bytes and its text at once (2.6 MB). The
        places are None when the bytes cannot be addressed one document at a time (an encrypted
        file's line, or text that is not ASCII); then the table is parsed whole and let go of."""
        if self.sealer is None:
            try:
                found = self._scan_places(name, span, doc_id)
            except OSError as exc:
                raise self._fail(f"it is not valid JSON (table '{name}': {exc})") from exc
            if found is not None:
                return found
        table = self._parse(name, span)  # says precisely what is wrong, if anything (and raises)
        return table.get(doc_id), None

    def _scan_places(self, name: str, span: Span, doc_id: str, *,
                     members_too: bool = False) -> tuple[dict[str, Any] | None, dict[str, tuple[int, int]]] | None:
        """_find for a plain file: None if the table is not plain ASCII JSON matching its checksum.
        `members_too`: also note in doc_members where each document's member is (for a patch)."""
        assert self.source is not None
        source = self.source
        crc = [zlib.crc32(source.read(span.offset, span.value_offset - span.offset))]

        places: dict[str, tuple[int, int]] = {}
        found: list[dict[str, Any]] = []

        members: dict[str, tuple[int, int]] = {}
        base = span.value_offset

        def seen(key: str, start: int, end: int, doc: Any, key_start: int) -> None:
            places[key] = (start, end - start)
            if members_too:
                members[key] = (base + key_start, base + end)
            if key == doc_id:
                found.append(doc)

        try:
            problem = check_table(_ascii_pieces(source, span, crc), seen)
        except _NotASCII:
            return None
        if problem or (self.crcs is not None and crc[0] != self.crcs.get(name)):
            return None
        if members_too:
            self.doc_members[name] = members
        return (found[-1] if found else None), places

    # -- changing a table a document at a time, without reading it -------------------------------------
    def can_patch(self, name: str) -> bool:
        """Whether `name` can be changed and read by document id without parsing it: a table not
        read yet (or patched already) of a plain file whose documents can be found by place. The
        first call for a table reads it once, a document at a time, keeping only their places."""
        with self.lock:
            if name in self.loaded or self.sealer is not None or self.source is None:
                return False
            if name in self.patched:
                return True
            span = self.cold.get(name)
            if span is None:
                return False
            if name not in self._places or name not in self.doc_members:
                try:
                    found = self._scan_places(name, span, "", members_too=True)
                except OSError:
                    return False
                if found is None:
                    return False  # read whole when used: that says precisely what is wrong
                self._places[name] = found[1]
            return True

    def patch_get(self, name: str, doc_id: str) -> dict[str, Any] | None:
        """One document of a table that can_patch(), as it stands now (the stored object: read only,
        or change it through patch())."""
        with self.lock:
            entry = self.patched.get(name)
            if entry is not None and doc_id in entry[1]:
                return entry[1][doc_id]
            span = entry[0] if entry is not None else self.cold[name]
            where = self._places[name].get(doc_id)
            if where is None:
                return None
            assert self.source is not None
            return loads(self.source.read(span.value_offset + where[0], where[1]))

    def patch_ids(self, name: str) -> list[str]:
        """The ids of a table that can_patch(), in the order its documents are (and are saved)."""
        with self.lock:
            entry = self.patched.get(name)
            changed = entry[1] if entry is not None else {}
            ids = [i for i in self._places[name] if changed.get(i, True) is not None]
            return ids + [i for i, doc in changed.items() if doc is not None and i not in self._places[name]]

    def patch(self, name: str, changes: dict[str, Any]) -> None:
        """Documents of a table that can_patch() changed (None: removed), the rest left in the file."""
        with self.lock:
            entry = self.patched.get(name)
            if entry is None:
                entry = self.patched[name] = (self.cold.pop(name), {})
                self.spans.pop(name, None)  # no longer what the file holds
            entry[1].update(changes)

    def patched_view(self, name: str) -> dict[str, Any]:
        """A patched table for the writer: each document id, in order, with its changed document,
        or FROM_SOURCE for one still as in the file (HearthStorage._encode copies its bytes)."""
        with self.lock:
            changed = self.patched[name][1]
            return {i: changed.get(i, FROM_SOURCE) for i in self.patch_ids(name)}

    def _with_patches(self, name: str, table: dict[str, Any]) -> dict[str, Any]:
        for doc_id, doc in self.patched[name][1].items():
            if doc is None:
                table.pop(doc_id, None)
            else:
                table[doc_id] = doc
        return table

    def load_all(self) -> None:
        """Parse every cold table now (an export needs them all)."""
        for name in [*self.cold, *self.patched]:
            self[name]

    # -- the mapping --------------------------------------------------------------------------------
    def __getitem__(self, name: str) -> dict[str, Any]:
        with self.lock:
            table = self.loaded.get(name)
            if table is None and name in self.patched:
                return self._unpatch(name)
            span = self.cold.get(name)
            if table is not None or span is None:
                if table is None:
                    raise KeyError(name)
                return table
        # Parsed without the lock (unless the caller holds it): the file read at open never
        # changes, and a save on screen meanwhile must not wait for a year's table to be parsed
        # by another thread (a merge reading this year's rounds).
        table, members, compacted = self._read_kept(name, span)
        with self.lock:
            if self.cold.get(name) is not span:  # read, replaced or removed by another thread meanwhile
                found = self.loaded.get(name)
                if found is None:
                    raise KeyError(name)
                return found
            self.loaded[name] = table
            del self.cold[name]
            self._places.pop(name, None)
            if members is not None:
                self.doc_members[name] = members
            if compacted:
                self.compacted.add(name)
            # Counted so that the app can move what was read out of the garbage collector's way
            # at a calm moment (HearthApp._settle_memory). Freezing here, in the middle of building
            # a screen, froze that screen's widgets too (never collected once it closed), and
            # asking gc.get_freeze_count() walks every frozen object: 6-18 ms a read at 20 years.
            self.parsed += 1
        return table

    def _unpatch(self, name: str) -> dict[str, Any]:
        """A patched table read whole (with the lock held): someone needs all of it now."""
        span, changed = self.patched[name]
        table, members, compacted = self._read_kept(name, span)
        self._with_patches(name, table)
        if members is not None:
            for doc_id in changed:
                members.pop(doc_id, None)  # not as in the file any more
            self.doc_members[name] = members
        if compacted:
            self.compacted.add(name)
        self.loaded[name] = table
        del self.patched[name]
        self._places.pop(name, None)
        self.parsed += 1
        return table

    def __setitem__(self, name: str, table: dict[str, Any]) -> None:
        with self.lock:
            self.loaded[name] = table
            self.patched.pop(name, None)
            self.cold.pop(name, None)
            self._places.pop(name, None)
            self.spans.pop(name, None)  # whatever is set here is no longer what the file holds

    def __delitem__(self, name: str) -> None:
        with self.lock:
            found = self.loaded.pop(name, None) is not None
            found = self.patched.pop(name, None) is not None or found
            found = self.cold.pop(name, None) is not None or found
            self._places.pop(name, None)
            self.doc_members.pop(name, None)
            self.spans.pop(name, None)
            if not found:
                raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return name in self.loaded or name in self.cold or name in self.patched

    def __iter__(self) -> Iterator[str]:
        with self.lock:
            return iter([*self.loaded, *(n for n in self.cold if n not in self.loaded), *self.patched])

    def __len__(self) -> int:
        return len(self.loaded) + len(self.cold) + len(self.patched)

    def clear(self) -> None:
        with self.lock:
            self.loaded.clear()
            self.cold.clear()
            self.spans.clear()
            self.doc_members.clear()
            self.patched.clear()


@dataclass
class _Staged:
    """A temp file holding the tables unchanged since open, fsynced, still open for the rest."""

    tmp: str
    file: IO[bytes]
    settled: list[tuple[str, Span]]
    crcs: dict[str, int]  # the checksums of the settled tables' lines


def _chunks(pieces: list[bytes], size: int = 1 << 16) -> Iterator[bytes]:
    """A line's pieces joined into runs of about `size` bytes: one write and one checksum call a
    run instead of one a document (a year of rounds is thousands of pieces; written one by one
    they made a save 3-5 times the CPU), and never a second copy of the whole line."""
    run: list[bytes] = []
    held = 0
    for piece in pieces:
        run.append(piece)
        held += len(piece)
        if held >= size:
            yield b"".join(run)
            run, held = [], 0
    if run:
        yield b"".join(run)


class HearthStorage(Storage):
    """In-memory tables (some still on disk until used), saved whole and atomically."""

    def __init__(self, path: Path, data: Data | Tables, *, background: bool = True,
                 check: Callable[["HearthStorage"], str | None] | None = None) -> None:
        self.path = path
        self.mutex = threading.RLock()
        if isinstance(data, Tables):
            data.lock = self.mutex
            self._tables = data
        else:
            self._tables = Tables(data, lock=self.mutex)
        #: tables changed since the last save; a table in neither `dirty` nor `spans` is re-encoded
        self.dirty: set[str] = {n for n in self._tables.loaded if n not in self._tables.spans}
        self._touched: dict[str, set[str] | None] = {}  # table → changed document ids (_ALL: every one)
        self._changes: dict[str, int] = {}  # table → how many changes it has had (see changes())
        self._replaced = 0  # how many times every table was replaced at once (write of new data)
        #: table → document id → its encoded `"id":{...}`, or where those bytes are in the source file
        #: (start, end) while the document is as it was read (Tables.doc_members): a year of rounds
        #: and the card history kept encoded were 1.6 MiB at ten years, for documents that never change
        self._docs: dict[str, dict[str, bytes | tuple[int, int]]] = {}
        #: table → its sealed line, while unchanged (an encrypted file only: sealing again costs; a plain
        #: line is joined again from `_docs`, which kept a second copy of each changed table's bytes)
        self._joined: dict[str, bytes] = {}
        self._span_crcs: dict[str, int] = {}  # table → the checksum of its line in the source file
        self._check = check
        self._checked = check is None
        #: set once the tables not read at open have been checked (at once when there are none)
        self.check_done = threading.Event()
        if self._checked:
            self.check_done.set()
        self._generation = 0
        self._saved = 0
        self._error: str | None = None
        self._damaged: str | None = None
        #: why saving into the database stopped for good (damage found, or a failure that is not
        #: the disk's): from then on every change goes to the rescue file instead
        self._stopped: str | None = None
        self.rescue_path: Path | None = None  # where the changes not in the database are, if anywhere
        self._rescued = 0  # the generation the rescue file holds
        self._rescue_problem: str | None = None  # why no rescue file could be written
        self._rescue_left_out: list[str] = []  # what the rescue file could not hold (cannot be encoded)
        self._saved_at: float | None = None  # time.time() of the last save that reached the disk
        self._listeners: list[StatusListener] = []
        #: told of every change (the two-homes sync notes what to send); None when unlinked
        self.watcher: Callable[[str, set[str] | None], None] | None = None
        #: while a merge is under way: `keeping(table)` is where a change from anyone but the merge
        #: keeps each document it replaces as it was (doc id → document, None: not there), or None
        #: for a table the merge does not write (sync.Replica; the merge then holds no lock while
        #: it works, and puts what changed meanwhile together with what came in)
        self.keeping: Callable[[str], dict[str, Any] | None] | None = None
        #: on a linked computer, new documents get ids ≡ id_slot (mod id_stride): see sync_tables
        self.id_slot: int | None = None
        self.id_stride = 16
        self._wake = threading.Condition()
        self._closing = False
        self._wanted = 0  # the newest generation a flush() waits for: while unsaved, no settling
        self._check_wanted = False  # someone asked for the check now (an activity is about to start)
        self._staged: _Staged | None = None  # the next save's first part, already on disk
        self._background = background
        self._thread: threading.Thread | None = None
        if background:
            self._thread = threading.Thread(target=self._run, name="hearth-writer", daemon=True)
            self._thread.start()

    # -- TinyDB's Storage interface -------------------------------------------------
    def read(self) -> Tables:
        return self._tables

    def write(self, data: Data | Tables) -> None:
        with self.mutex:
            if data is not self._tables:  # a whole new set of tables (TinyDB's drop_tables)
                self._tables.clear()
                for name, table in data.items():
                    self._tables[name] = table
                self.dirty.update(self._tables.loaded)
                self._touched.clear()
                self._replaced += 1
            self._generation += 1
        if self._background:
            with self._wake:
                self._wake.notify_all()
        else:
            self._save_once(raise_errors=True)

    def touch(self, table: str, doc_ids: set[str] | None) -> None:
        """A change to `table`: these documents (None: any of them) must be encoded again."""
        with self.mutex:
            if self.watcher is not None:
                self.watcher(table, doc_ids)
            self._changes[table] = self._changes.get(table, 0) + 1
            self.dirty.add(table)
            self._joined.pop(table, None)
            if doc_ids is _ALL or self._touched.get(table, set()) is _ALL:
                self._touched[table] = _ALL
            else:
                self._touched.setdefault(table, set()).update(doc_ids)

    def close(self) -> None:
        if self._thread is not None:
            self.flush(timeout=10.0)
            with self._wake:
                self._closing = True
                self._wake.notify_all()
            self._thread.join(timeout=10.0)
            if self._thread.is_alive():
                return  # still writing: its source file must stay readable
            self._thread = None
            self._discard_staged()
        if self.pending and (self.rescue_path is None or self._rescued < self._generation):
            self._rescue()  # the disk refused the last saves: the changes must still reach a disk
        if self._tables.source is not None:
            self._tables.source.close()

    # -- status -------------------------------------------------------------------------
    @property
    def error(self) -> str | None:
        """The last save problem in plain words, or None when everything is on disk."""
        return self._error

    def peek(self, name: str) -> dict[str, Any] | None:
        """A table's documents by id, to read once without keeping them in memory (Tables.peek)."""
        return self._tables.peek(name)

    def peek_doc(self, name: str, doc_id: str) -> dict[str, Any] | None:
        """One document of a table, read without keeping the table in memory (Tables.peek_doc)."""
        return self._tables.peek_doc(name, doc_id)

    def each_doc(self, name: str, start: Callable[[], Any], add: Callable[[Any, str, dict[str, Any]], None]) -> Any:
        """Fold a table's documents one at a time without keeping them in memory (Tables.each_doc)."""
        return self._tables.each_doc(name, start, add)

    def changes(self, table: str) -> tuple[int, int]:
        """A mark that moves whenever `table` changes (through any TinyDB table, a merge included):
        what is worked out from a table and kept can tell when it is out of date."""
        with self.mutex:
            return self._replaced, self._changes.get(table, 0)

    @property
    def tables_parsed(self) -> int:
        """How many tables have been read from the file since it was opened (they stay in memory)."""
        return self._tables.parsed

    @property
    def pending(self) -> bool:
        return self._saved < self._generation

    def add_listener(self, listener: StatusListener) -> None:
        """`listener(error_or_None)` is called from the writer thread after each save attempt."""
        self._listeners.append(listener)

    def flush(self, timeout: float | None = 5.0) -> bool:
        """Wait until everything written so far is on disk. False if it could not be saved."""
        if not self._background:
            if self.pending:
                self._save_once(raise_errors=False)
            return not self.pending
        with self._wake:
            target = self._generation
            self._wanted = max(self._wanted, target)  # no settling: someone is waiting for this save
            self._wake.notify_all()
            ok = self._wake.wait_for(
                lambda: self._saved >= target or self._error is not None, timeout)
        return ok and self._saved >= target

    # -- checking what was not read yet ------------------------------------------------------------
    def check_soon(self) -> None:
        """Ask the writer to check the tables not read yet now, not after CHECK_DELAY."""
        with self._wake:
            self._check_wanted = True
            self._wake.notify_all()

    def check_now(self) -> str | None:
        """Check every table not parsed yet (once); the damage found, or None."""
        if not self._checked:
            self._checked = True
            try:
                problem = self._check(self) if self._check else None
                if problem:
                    self._set_damaged(problem)
            finally:
                self.check_done.set()
        return self._damaged

    def cold_tables(self) -> Iterator[tuple[str, Iterator[str]]]:
        """(name, its JSON text in pieces) of each table still as in the source file and not
        checked yet. Pieces, not whole tables: see CHECK_PIECE. An encrypted line is opened
        whole first (GCM checks it whole); a line that does not open raises ValueError."""
        tables = self._tables
        with self.mutex:
            todo = [(n, s) for n, s in tables.spans.items() if n in tables.cold and n not in tables.checked]
        for name, span in todo:
            assert tables.source is not None
            if tables.sealer is not None:
                plain = tables.sealer.open_value(name, tables.source.read(span.value_offset, span.value_length))
                chunks: Iterable[bytes] = (plain[i:i + CHECK_PIECE] for i in range(0, len(plain), CHECK_PIECE))
            else:
                chunks = tables.source.chunks(span.value_offset, span.value_length, CHECK_PIECE)
            yield name, utf8_pieces(chunks)
            tables.checked.add(name)

    # -- encryption -----------------------------------------------------------------------------------
    @property
    def sealer(self) -> Sealer | None:
        return self._tables.sealer

    def set_sealer(self, sealer: Sealer | None) -> None:
        """Encrypt (a Sealer) or decrypt (None) the whole file from the next save on: every table
        is read, then every line written again. A passphrase change keeps the sealer and only
        needs `rewrite()`."""
        self._tables.load_all()
        with self.mutex:  # the staged copy (if any) no longer matches: the writer drops it
            self._tables.sealer = sealer
            self._tables.spans.clear()  # no line of the file read at open can be copied any more
            self._joined.clear()
            self.dirty.update(self._tables.loaded)
        self.rewrite()

    def rewrite(self) -> None:
        """Save again even if no table changed (a new header: a passphrase changed)."""
        self.write(self._tables)

    def cold_spans(self) -> list[tuple[str, Span]]:
        """(name, place) of each table still as in the source file."""
        tables = self._tables
        with self.mutex:
            return [(n, s) for n, s in tables.spans.items() if n in tables.cold]

    def span_crc(self, span: Span) -> int:
        """The CRC-32 of a table's line in the source file, read in pieces (the GIL is let go)."""
        assert self._tables.source is not None
        crc = 0
        for chunk in self._tables.source.chunks(span.offset, span.length, CHECK_PIECE * 16):
            crc = zlib.crc32(chunk, crc)
        return crc

    def _set_damaged(self, message: str) -> None:
        """Damage found: nothing is written over the file from now on. A change made before this
        (or after) goes to the rescue file, so it still reaches the disk."""
        with self._wake:
            self._damaged = message
        self._stop("the file is damaged")

    # -- saving ---------------------------------------------------------------------------------------
    def serialize(self) -> tuple[int, list[tuple[str, Span]], list[tuple[str, bytes | list[bytes]]]]:
        """The whole database in two parts: the tables unchanged since open, as Spans of the
        source file (copied as they are), and the rest encoded; a changed table re-encodes only
        its changed documents. The file lists the first part first (see _stage).

        Under the mutex we only take a shallow copy of each changed table; encoding then runs
        one document at a time, so the UI thread gets the GIL back between documents and a
        ten-year database never freezes typing.
        """
        tables = self._tables
        settled: list[tuple[str, Span]] = []
        with self.mutex:
            generation = self._generation
            plan: list[tuple[str, str, Any, set[str] | None]] = []
            for name in sorted(tables):
                span = tables.spans.get(name)
                if span is not None and name not in self.dirty:
                    settled.append((name, span))  # as in the file that was read
                elif name in self._joined and name not in self.dirty:
                    plan.append((name, "bytes", self._joined[name], None))  # as sealed for the last save
                elif name in self._docs and name not in self.dirty:
                    plan.append((name, "encode", self._now(name), set()))  # joined again from its documents
                else:
                    plan.append((name, "encode", self._now(name), self._touched.pop(name, _ALL)))
            self.dirty.clear()
            for gone in [n for n in self._docs if n not in tables]:
                del self._docs[gone]
                self._joined.pop(gone, None)
        live: list[tuple[str, bytes]] = []
        sealer = tables.sealer
        for name, kind, payload, touched in plan:
            if kind == "encode":
                payload = self._encode(name, payload, touched)  # a plain line stays in pieces: written as they are
                if sealer is not None:
                    payload = sealer.seal_member(name, b"".join(self._expand(payload)))
                    with self.mutex:
                        if name not in self.dirty:  # not changed again meanwhile
                            self._joined[name] = payload
            live.append((name, payload))
        return generation, settled, live

    def _now(self, name: str) -> dict[str, Any]:
        """A shallow copy of a table as it stands (under the mutex), without reading a patched one."""
        tables = self._tables
        return tables.patched_view(name) if name in tables.patched else dict(tables[name])

    def _members(self, members: list[tuple[str, bytes | list[bytes] | Span]], crcs: dict[str, int]) -> Iterator[bytes | FileRange]:
        """Each table's line (commas between), noting its checksum in `crcs` as it goes: a table
        copied from the source keeps the checksum the source lists, else it is computed here."""
        known = self._span_crcs
        if not known and self._tables.crcs:
            known.update(self._tables.crcs)
        for i, (name, member) in enumerate(members):
            if i:
                yield b",\n"
            if isinstance(member, Span):
                source = self._tables.source
                assert source is not None
                crc = known.get(name)
                if crc is not None:
                    crcs[name] = crc
                    yield FileRange(source.fd, member.offset, member.length)  # copied, never read in
                else:
                    crc = 0
                    for chunk in source.chunks(member.offset, member.length):
                        crc = zlib.crc32(chunk, crc)
                        yield chunk
                    crcs[name] = crc
                    if self._tables.spans.get(name) == member:
                        known[name] = crc  # the source never changes: computed once per table
            elif isinstance(member, list):  # a plain line in pieces (_encode), never joined whole
                crc = 0
                for chunk in _chunks(self._expand(member)):
                    crc = zlib.crc32(chunk, crc)
                    yield chunk
                crcs[name] = crc
            else:
                crcs[name] = zlib.crc32(member)
                yield member

    def _file(self, members: list[tuple[str, bytes | Span]]) -> Iterator[bytes | FileRange]:
        """The whole file: one table per line, then the line of checksums."""
        crcs: dict[str, int] = {}
        yield b"{\n"
        yield from self._members(members, crcs)
        if members:
            yield b",\n"
        yield integrity_member(crcs)
        yield b"\n}\n"

    def _header(self, members: list[tuple[str, bytes | Span]]) -> list[tuple[str, bytes]]:
        """For an encrypted file, its header line (listing every line's nonce) to write after
        `members`; nothing for a plain file."""
        sealer = self._tables.sealer
        if sealer is None:
            return []
        listed = [(name, None if isinstance(member, Span) else member) for name, member in members]
        return [(ENCRYPTION_HEADER, sealer.header_member(listed))]

    def _expand(self, pieces: Iterable[bytes | tuple[int, int]]) -> Iterator[bytes]:
        """A line's pieces (_encode) as bytes: a (start, end) piece is read from the source file in
        runs of at most CHECK_PIECE bytes, and documents that sit side by side there (one comma
        between them, as this module writes them) are read as one run."""
        source = self._tables.source
        run: tuple[int, int] | None = None
        comma = False
        for piece in pieces:
            if piece == b",":
                comma = True
                continue
            if type(piece) is tuple:
                if run is not None and comma and piece[0] == run[1] + 1:  # type: ignore[index]
                    run = (run[0], piece[1])  # type: ignore[index]
                    comma = False
                    continue
            if run is not None:
                assert source is not None
                yield from source.chunks(run[0], run[1] - run[0], CHECK_PIECE)
                run = None
            if comma:
                yield b","
                comma = False
            if type(piece) is tuple:
                run = piece  # type: ignore[assignment]
            else:
                yield piece  # type: ignore[misc]
        if run is not None:
            assert source is not None
            yield from source.chunks(run[0], run[1] - run[0], CHECK_PIECE)
        if comma:
            yield b","

    def _encode(self, name: str, table: dict[str, Any], touched: set[str] | None) -> list[bytes | tuple[int, int]]:
        """A table's line as pieces (its documents' cached bytes with commas between): joined, a
        year of rounds was a second copy of its bytes at every save. A document unchanged since
        it was read from a plain file is a (start, end) piece of the source file (see _expand)."""
        cache = self._docs.get(name)
        if cache is None and touched is not _ALL and self._tables.sealer is None:
            cache = self._tables.doc_members.pop(name, None)
        if cache is None or touched is _ALL:
            cache = {}
        else:
            for doc_id in touched or ():
                cache.pop(doc_id, None)
        entries = []
        for doc_id, doc in table.items():
            encoded = cache.get(doc_id)
            if encoded is None and doc is FROM_SOURCE:
                doc = self._tables.patch_get(name, doc_id)  # its place was not noted: read it (never met)
            if encoded is None:
                if len(cache) % 16 == 15:
                    time.sleep(0)  # a whole table (the first change to it): let the UI thread in between
                encoded = f"{json.dumps(doc_id)}:{dumps(doc)}".encode("ascii")
                cache[doc_id] = encoded
            entries.append(encoded)
        if len(cache) != len(entries):
            cache = {doc_id: cache[doc_id] for doc_id in table}
        self._docs[name] = cache
        pieces = [json.dumps(name).encode("ascii") + b":{"]
        for i, encoded in enumerate(entries):
            if i:
                pieces.append(b",")
            pieces.append(encoded)
        pieces.append(b"}")
        return pieces

    def _save_once(self, *, raise_errors: bool) -> None:
        if self._tables.problem and not self._damaged:
            self._set_damaged(self._tables.problem)  # a table read on demand turned out damaged
        if self._stopped:
            self._rescue()  # nothing is ever written over a damaged file: the changes go beside it
            return
        try:
            self._write_database()
        except OSError as exc:
            self._error = f"Could not save to {self.path}: {describe_os_error(exc)}. Nothing is lost yet; Hearth keeps trying."
            self._notify()
            if raise_errors:
                from .errors import StoreError

                raise StoreError(self._error) from exc
        except Exception as exc:  # not the disk: a value JSON cannot encode, a RecursionError, a bug
            self._stop(f"saving failed unexpectedly ({type(exc).__name__})")
            if raise_errors:
                from .errors import StoreError

                raise StoreError(self._error) from exc

    def _rest(self, staged: _Staged, live: list[tuple[str, bytes | Span]]) -> Iterator[bytes | FileRange]:
        """What follows the staged part of the file, written as it is made: gathered first, the
        changed tables' bytes were all in memory at once at each save (1.5 MiB at ten years, the
        highest point of a round's memory). The checksums line comes last: it is known only then."""
        crcs = dict(staged.crcs)
        yield from self._members(list(live), crcs)
        yield b",\n"
        yield integrity_member(crcs)
        yield b"\n}\n"

    def _write_database(self) -> None:
        generation, settled, live = self.serialize()
        live = [*live, *self._header([*settled, *live])]  # an encrypted file's header comes last
        staged, self._staged = self._staged, None
        if staged is not None and live and staged.settled == settled:
            # the settled tables are on disk already: add the rest, then put it in place
            replaced = commit(self.path, staged.tmp, staged.file, self._rest(staged, live), keep_old=True)
        else:
            if staged is not None:
                discard_temp(staged.tmp, staged.file)  # a settled table has changed since
            replaced = atomic_write(self.path, self._file([*settled, *live]), keep_old=True)
        with self._wake:
            self._saved = max(self._saved, generation)
            self._saved_at = time.time()
            self._error = None
            self._wake.notify_all()
        self._notify()
        remove_quietly(replaced)  # the file this save replaced, freed now that the save is reported

    # -- when saving into the database stops ----------------------------------------------------------
    @property
    def stopped(self) -> str | None:
        """Why saving into the database stopped for good (its changes go to the rescue file), or None."""
        return self._stopped

    @property
    def damage(self) -> str | None:
        """What is damaged in the file (a table that does not read), or None."""
        return self._damaged

    def _stop(self, reason: str) -> None:
        """Stop saving into the database; keep every change in memory and write it beside the file."""
        with self._wake:
            if self._stopped is None:
                self._stopped = reason
        self._discard_staged()
        try:
            self._rescue()
        finally:
            with self._wake:
                self._error = self._stopped_message()
                self._wake.notify_all()  # a flush() waiting for this save learns it will not come
            self._notify()  # the screen says it at once, typed changes or not

    def rescue_name(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        return self.path.with_name(f"{self.path.stem}.rescue-{stamp}{self.path.suffix or '.json'}")

    def _rescue(self) -> None:
        """Write every table Hearth can read, with every change made so far, to a rescue file
        (0600) beside the database; if that folder cannot be written, to the home or temp folder.
        The rescue file is a whole Hearth database: `hearth restore` can put it in place."""
        with self.mutex:
            generation = self._generation
            if self.rescue_path is not None and self._rescued >= generation:
                return
            if generation <= self._saved:
                return  # everything is in the database already
            for name in list(self._tables.patched):
                try:
                    self._tables[name]  # read whole: the rescue file is written from the documents
                except Exception:
                    pass  # damaged: the rescue file says what it leaves out
            loaded = {name: dict(table) for name, table in self._tables.loaded.items()}
            cold = [(name, span) for name, span in sorted(self._tables.spans.items())
                    if name in self._tables.cold]
        members: list[tuple[str, bytes | Span]] = []
        left_out: list[str] = []
        sealer = self._tables.sealer
        for name in sorted(loaded):
            member = self._encode_tolerant(name, loaded[name], left_out)
            members.append((name, sealer.seal_member(name, member) if sealer else member))  # sealed as the file
        for name, span in cold:
            if self._span_readable(name, span):
                members.append((name, span))
            else:
                left_out.append(f"table '{name}'")
        members += self._header(members)
        target = self.rescue_path or self.rescue_name()
        problems = []
        for folder in dict.fromkeys([target.parent, Path.home(), Path(tempfile.gettempdir())]):
            candidate = folder / target.name
            try:
                atomic_write(candidate, self._file(members))
            except OSError as exc:
                problems.append(f"{folder}: {describe_os_error(exc)}")
                if candidate != self.rescue_path:
                    remove_quietly(candidate)  # in place but not durable (a folder fsync failed): not one to trust
                continue
            except Exception as exc:  # the rescue itself must never take the writer down
                problems.append(f"{folder}: {type(exc).__name__}")
                continue
            if self.rescue_path is not None and self.rescue_path != candidate:
                remove_quietly(self.rescue_path)
            self.rescue_path = candidate
            self._rescued = generation
            self._rescue_problem = None
            self._rescue_left_out = left_out
            break
        else:
            self._rescue_problem = "; ".join(problems)
        self._error = self._stopped_message() if self._stopped else self._error
        self._notify()

    def _span_readable(self, name: str, span: Span) -> bool:
        """Whether a table still on disk reads as JSON (the rescue file must not carry damage)."""
        try:
            if self._tables.crcs is not None:
                return self.span_crc(span) == self._tables.crcs.get(name)
            return check_table(utf8_pieces(self._tables.source.chunks(span.value_offset, span.value_length,
                                                                       CHECK_PIECE))) is None
        except Exception:
            return False

    @staticmethod
    def _encode_tolerant(name: str, table: dict[str, Any], left_out: list[str]) -> bytes:
        """A table encoded document by document; one that cannot be encoded is left out (and named),
        so that one bad value never keeps the rest from the rescue file."""
        entries = []
        for doc_id, doc in table.items():
            try:
                entries.append(f"{json.dumps(str(doc_id))}:{dumps(doc)}".encode("ascii"))
            except Exception:
                left_out.append(f"document {doc_id} of table '{name}'")
        return json.dumps(name).encode("ascii") + b":{" + b",".join(entries) + b"}"

    def _stopped_message(self) -> str:
        where = self._where_changes_are()
        if self._damaged:
            return f"{self._damaged} Saving into it has stopped. {where}"
        return f"Hearth stopped saving to {self.path}: {self._stopped}. {where}"

    def _where_changes_are(self) -> str:
        if self.rescue_path is not None and not self._rescue_problem:
            # one stable message: each change reaches the rescue file moments after it is made
            text = (f"Nothing typed is lost: every change is written to {self.rescue_path}, readable only "
                    f"by you. To use it, close Hearth and run: hearth --db {self.path} restore {self.rescue_path}")
            if self._rescue_left_out:
                text += (f" Left out of it, as they cannot be written: {', '.join(self._rescue_left_out[:3])}"
                         f"{' and more' if len(self._rescue_left_out) > 3 else ''} (still as they were in {self.path}"
                         " if they came from it).")
            return text
        if self._rescue_problem:
            return (f"The changes since the last save are kept in memory only: no rescue file could be "
                    f"written ({self._rescue_problem}).")
        if not self.pending:
            return "Nothing typed has been lost: every change from now on is written to a rescue file beside it."
        return "Nothing typed is lost yet: every change is kept in memory."

    def exit_problem(self) -> str | None:
        """What to tell the couple as Hearth closes, if not everything is in the database: where the
        words are, truthfully (call after close())."""
        if not self.pending and not self._stopped:
            return None
        if self._damaged:
            head = f"{self._damaged} Saving into it stopped."
        elif self._stopped:
            head = f"Hearth stopped saving to {self.path}: {self._stopped}."
        else:
            head = (self._error or f"Could not save to {self.path}.").replace(
                " Nothing is lost yet; Hearth keeps trying.", "")
        if not self.pending:
            return f"{head} Nothing typed was lost."
        if self.rescue_path is not None and self._rescued >= self._generation:
            return (f"{head} The changes since the last save are in {self.rescue_path}, readable only by "
                    f"you; {self.path} holds everything before them. To use it, run: "
                    f"hearth --db {self.path} restore {self.rescue_path}")
        problem = f" ({self._rescue_problem})" if self._rescue_problem else ""
        return (f"{head} The changes since the last save could not be written anywhere{problem}, "
                f"so they are lost; {self.path} holds everything before them.")

    def _stage(self) -> None:
        """Write the tables unchanged since open (at ten years, the past years' rounds: 13 of
        15 MB) into a temp file and fsync it while nobody waits, so that the next save only adds
        the tables that change and fsyncs those. A save that finds one of these tables changed
        since writes the whole file instead."""
        if self._damaged or self._staged is not None:
            return
        with self.mutex:
            settled = [(name, span) for name, span in sorted(self._tables.spans.items())
                       if name not in self.dirty and name in self._tables]
        if sum(span.length for _, span in settled) < STAGE_MIN_BYTES:
            return  # a small file saves quickly anyway
        crcs: dict[str, int] = {}
        # Copied by the kernel from the file read at open (FileRange), never held in memory: gathered
        # first, they raised the peak memory by about the file's size at every save; read and written
        # a megabyte at a time, the save that followed blocked the UI thread twice as long (20 ms, not 9).
        prefix = [b"{\n", *self._members(list(settled), crcs), b",\n"]
        try:
            tmp, f = prepare_temp(self.path, prefix)
        except OSError:
            return  # the next save writes the whole file, and reports any problem
        self._staged = _Staged(tmp, f, settled, crcs)

    def _discard_staged(self) -> None:
        staged, self._staged = self._staged, None
        if staged is not None:
            discard_temp(staged.tmp, staged.file)

    def _settle(self) -> None:
        """Hold the save (with `_wake` held) until no change has come for SETTLE_SECONDS, or flush()
        asks for it; never longer than SETTLE_MAX_SECONDS."""
        deadline = time.monotonic() + SETTLE_MAX_SECONDS
        while not self._closing and self._wanted <= self._saved:
            seen = self._generation
            self._wake.wait(SETTLE_SECONDS)  # woken early by a change, or by flush()
            if self._generation == seen or time.monotonic() >= deadline:
                return  # quiet for a while, or it has been long enough

    def _notify(self) -> None:
        for listener in list(self._listeners):
            try:
                listener(self._error)
            except Exception:  # a listener's bug must never stop saving
                pass

    def _run(self) -> None:
        try:
            self._loop()
        except Exception as exc:  # the writer must never die quietly: every later save would be lost
            try:
                self._stop(f"saving failed unexpectedly ({type(exc).__name__})")
            finally:
                with self._wake:
                    self._wake.notify_all()
            self._rescue_loop()

    def _rescue_loop(self) -> None:
        """After saving stopped: each new change rewrites the rescue file, until Hearth closes."""
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._closing or self._rescued < self._generation,
                                    RETRY_SECONDS if self._rescue_problem else None)
                if self._closing and self._rescued >= self._generation:
                    return
            try:
                self._rescue()
            except Exception:
                pass  # _rescue reports its own problems; this loop must go on
            with self._wake:
                self._wake.notify_all()
                if self._closing:
                    return

    def _loop(self) -> None:
        if not self._checked:
            with self._wake:
                self._wake.wait_for(lambda: self._closing or self._saved < self._generation or self._check_wanted,
                                    CHECK_DELAY)
            if self.check_now():
                return self._rescue_loop()  # damaged: nothing is ever written over it
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._closing or self._saved < self._generation,
                                    RETRY_SECONDS if self._error else None)
                if self._closing and self._saved >= self._generation:
                    return
                self._settle()
            self._save_once(raise_errors=False)
            if self._stopped:
                return self._rescue_loop()
            if not (self._error or self._closing or self.pending):
                self._stage()
            if self._error:
                with self._wake:
                    self._wake.notify_all()
                    if self._closing:
                        return
                    self._wake.wait(RETRY_SECONDS)


class _Tracked(dict):
    """The table handed to TinyDB's updaters: remembers which documents they touched."""

    __slots__ = ("touched", "every", "copies")

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.touched: set[Any] = set()
        self.every = False
        #: hand out a copy of each document (TinyDB's update changes it in place), so the table's
        #: own stays as it was for `HearthStorage.keeping`
        self.copies = False

    def __getitem__(self, key: Any) -> Any:
        if self.copies and key not in self.touched:
            dict.__setitem__(self, key, dict(dict.__getitem__(self, key)))
        self.touched.add(key)
        return dict.__getitem__(self, key)

    def __setitem__(self, key: Any, value: Any) -> None:
        self.touched.add(key)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        self.touched.add(key)
        dict.__delitem__(self, key)

    def pop(self, key: Any, *default: Any) -> Any:
        self.touched.add(key)
        return dict.pop(self, key, *default)

    def _all(self, method: str, *args: Any, **kwargs: Any) -> Any:
        self.every = True
        return getattr(dict, method)(self, *args, **kwargs)

    def clear(self) -> None:
        self._all("clear")

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._all("update", *args, **kwargs)

    def setdefault(self, *args: Any) -> Any:
        return self._all("setdefault", *args)

    def popitem(self) -> Any:
        return self._all("popitem")


class _NeedsAll(Exception):
    """An updater asked for every document of a table that was not read: read it, and run it again."""


class _ByID(_Tracked):
    """The table handed to an updater of a table not read yet (Tables.can_patch): each document
    is fetched when the updater asks for it by id; an updater that goes through them all (a
    change by query, a truncate) raises _NeedsAll before it changes anything, and runs again on
    the whole table."""

    __slots__ = ("fetch", "asked")

    def __init__(self, fetch: Callable[[str], Any]) -> None:
        super().__init__()
        self.fetch = fetch
        self.asked: set[Any] = set()

    def _fetch(self, key: Any) -> None:
        if key not in self.asked:
            self.asked.add(key)
            doc = self.fetch(str(key))
            if doc is not None:
                dict.__setitem__(self, key, doc)

    def __getitem__(self, key: Any) -> Any:
        self._fetch(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._fetch(key)
        return dict.__contains__(self, key)

    def get(self, key: Any, default: Any = None) -> Any:
        self._fetch(key)
        return dict.get(self, key, default)

    def __setitem__(self, key: Any, value: Any) -> None:
        self.asked.add(key)
        super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        self._fetch(key)
        super().__delitem__(key)

    def pop(self, key: Any, *default: Any) -> Any:
        self._fetch(key)
        return super().pop(key, *default)

    def _everything(self, *args: Any, **kwargs: Any) -> Any:
        raise _NeedsAll

    keys = values = items = __iter__ = __len__ = clear = update = setdefault = popitem = _everything  # type: ignore[assignment]


class HearthTable(Table):
    """A TinyDB table that tells the storage which table, and which documents, a change touched.

    A table not read yet is changed and read by document id without being read whole (a round
    writes one document into this year's rounds): see Tables.can_patch."""

    def _patchable(self) -> Tables | None:
        """The storage's tables, if this table can be used by id without reading it (mutex held)."""
        storage = self._storage
        tables = storage.read() if isinstance(storage, HearthStorage) else None
        if isinstance(tables, Tables) and storage.keeping is None and tables.can_patch(self.name):
            return tables
        return None

    def get(self, cond: Any = None, doc_id: int | None = None, doc_ids: list | None = None) -> Any:
        if doc_id is not None and cond is None and doc_ids is None and isinstance(self._storage, HearthStorage):
            with self._storage.mutex:
                tables = self._patchable()
                if tables is not None:
                    raw = tables.patch_get(self.name, str(doc_id))
                    return None if raw is None else self.document_class(raw, self.document_id_class(doc_id))
        return super().get(cond, doc_id, doc_ids)

    def _ids(self) -> list[Any]:
        if isinstance(self._storage, HearthStorage):
            with self._storage.mutex:
                tables = self._patchable()
                if tables is not None:
                    return tables.patch_ids(self.name)
        return list(self._read_table())

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        storage = self._storage
        assert isinstance(storage, HearthStorage)
        with storage.mutex:
            tables = self._patchable()
            if tables is not None:
                table = _ByID(lambda doc_id: tables.patch_get(self.name, doc_id))
                try:
                    updater(table)
                except _NeedsAll:
                    pass  # nothing was changed yet: done below on the whole table
                else:
                    changes = {str(doc_id): dict.get(table, doc_id) for doc_id in table.touched}
                    tables.patch(self.name, changes)
                    storage.touch(self.name, set(changes))
                    storage.write(tables)
                    self.clear_cache()
                    return
            self._update_whole(updater)

    def _update_whole(self, updater: Callable[[dict[int, Any]], None]) -> None:
        # TinyDB's own _update_table, with the documents handed to `updater` tracked.
        storage = self._storage
        assert isinstance(storage, HearthStorage)
        with storage.mutex:
            tables = storage.read()
            raw = tables[self.name] if self.name in tables else {}
            table = _Tracked({self.document_id_class(doc_id): doc for doc_id, doc in raw.items()})
            keep = storage.keeping(self.name) if storage.keeping is not None else None
            table.copies = keep is not None
            updater(table)
            if keep is not None:  # each document this change replaced, as it was (the first time)
                ids = set(raw) | {str(i) for i in dict.keys(table)} if table.every else {str(i) for i in table.touched}
                for doc_id in ids:
                    if doc_id not in keep:
                        keep[doc_id] = raw.get(doc_id)
            tables[self.name] = {str(doc_id): doc for doc_id, doc in dict.items(table)}
            storage.touch(self.name, _ALL if table.every else {str(doc_id) for doc_id in table.touched})
            storage.write(tables)
        self.clear_cache()


    def _get_next_id(self) -> int:
        # A linked computer's new ids never meet the other home's (tui/store/sync_tables.py).
        storage = self._storage
        slot = getattr(storage, "id_slot", None)
        if slot is None:  # TinyDB's own, reading only the ids
            if self._next_id is None:
                self._next_id = max((int(i) for i in self._ids()), default=0) + 1
            next_id, self._next_id = self._next_id, self._next_id + 1
            return next_id
        top = max((int(i) for i in self._ids()), default=0)
        self._next_id = None
        wanted = top + 1
        return wanted + (slot - wanted) % storage.id_stride

    def put_doc(self, doc_id: int, doc: dict[str, Any]) -> None:
        """Put a whole document under `doc_id`, replacing any there (a change from the other home)."""
        self._update_table(lambda table: table.__setitem__(self.document_id_class(doc_id), doc))

    def drop_doc(self, doc_id: int) -> None:
        """Remove a document if it is there (deleted at the other home)."""
        def drop(table: dict[Any, Any]) -> None:
            table.pop(self.document_id_class(doc_id), None)
        self._update_table(drop)


class HearthDB(TinyDB):
    """TinyDB wired to HearthStorage and HearthTable."""

    table_class = HearthTable

