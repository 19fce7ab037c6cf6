"""The change files in a linked folder: their names, their one-line header, and reading them safely.

One writer per file: each computer writes only files that carry its own home id, and never
changes one after writing it (a new change is a new file), so a folder sync never sees two
writers of one file. A file is a JSON header line, then the payload (a pycrdt update, sealed with
the couple's data key when the database is encrypted). The header says how long the payload is
and its CRC-32, so a file still arriving, cut short or changed is told apart from a good one and
skipped with its name, never applied in part.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from . import files

FORMAT = "hearth-sync"
VERSION = 1
#: Larger than any ten-year state; a bigger file is refused unread (a hostile or wrong file).
MAX_BYTES = 256 * 1024 * 1024
MAX_HEADER = 4096
NAME = re.compile(r"^hearth-(?P<home>[0-9a-f]{12})-(?P<gen>\d{4})-(?P<seq>\d{6})\.hsync$")
#: The couple's wrapped key, for a second computer linking to an encrypted Hearth.
KEYS_NAME = "hearth-keys.json"


class ChangeFileProblem(Exception):
    """A change file that can't be used, in words that name it."""


@dataclass(frozen=True, order=True)
class ChangeFile:
    home: str
    gen: int
    seq: int
    path: Path

    @property
    def label(self) -> str:
        """What a sealed payload is bound to: a file renamed or swapped does not open."""
        return f"hearth-sync:{self.home}:{self.gen}:{self.seq}"


def name_for(home: str, gen: int, seq: int) -> str:
    return f"hearth-{home}-{gen:04d}-{seq:06d}.hsync"


def listing(folder: Path) -> list[ChangeFile]:
    """The change files in the folder, oldest first per home (others' temp files and anything
    else are not ours to read)."""
    found = []
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    for name in names:
        match = NAME.match(name)
        if match:
            found.append(ChangeFile(match["home"], int(match["gen"]), int(match["seq"]), folder / name))
    return sorted(found)


def write(folder: Path, home: str, gen: int, seq: int, payload: bytes, info: dict[str, Any],
          seal: Callable[[str, bytes], bytes] | None) -> ChangeFile:
    """Write one change file atomically (temp file, fsync, rename), 0600."""
    change = ChangeFile(home, gen, seq, folder / name_for(home, gen, seq))
    body = seal(change.label, payload) if seal else payload
    header = {
        "format": FORMAT, "version": VERSION, "home": home, "gen": gen, "seq": seq,
        "sealed": seal is not None, "size": len(body), "crc32": zlib.crc32(body), **info,
    }
    line = json.dumps(header, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"
    files.atomic_write(change.path, [line, body])
    return change


def read(change: ChangeFile, unseal: Callable[[str, bytes], bytes] | None) -> tuple[dict[str, Any], bytes]:
    """(header, payload) of a whole, good change file, or ChangeFileProblem saying what is wrong."""
    name = change.path.name
    try:
        size = change.path.stat().st_size
        if size > MAX_BYTES:
            raise ChangeFileProblem(f"{name} is {size // 1048576} MB, far larger than any Hearth change; it was not read")
        raw = change.path.read_bytes()
    except FileNotFoundError:
        raise ChangeFileProblem(f"{name} went away while it was being read") from None
    except OSError as exc:
        raise ChangeFileProblem(f"{name} could not be read ({exc.strerror or exc})") from None
    head, newline, body = raw.partition(b"\n")
    if not newline or len(head) > MAX_HEADER:
        raise ChangeFileProblem(f"{name}: it has not fully arrived yet, or it is not Hearth's")
    try:
        header = json.loads(head)
    except (ValueError, RecursionError):
        raise ChangeFileProblem(f"{name} has a header Hearth can't read") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ChangeFileProblem(f"{name} is not a Hearth change file")
    if header.get("version") != VERSION:
        raise ChangeFileProblem(f"{name} was written by a newer Hearth (format {header.get('version')!r}); update Hearth on this computer")
    if header.get("home") != change.home or header.get("gen") != change.gen or header.get("seq") != change.seq:
        raise ChangeFileProblem(f"{name} says it is another file (it was renamed or copied over)")
    if header.get("size") != len(body):
        raise ChangeFileProblem(f"{name} is cut short or still arriving ({len(body)} of {header.get('size')} bytes)")
    if header.get("crc32") != zlib.crc32(body):
        raise ChangeFileProblem(f"{name} is damaged (its checksum does not match)")
    if header.get("sealed"):
        if unseal is None:
            raise ChangeFileProblem(f"{name} is encrypted and this Hearth has no key for it: link it again to enter the passphrase")
        try:
            body = unseal(change.label, body)
        except Exception as exc:  # the crypto module's Damaged, in words
            raise ChangeFileProblem(f"{name} does not open with this couple's key ({exc})") from None
    elif unseal is not None:
        raise ChangeFileProblem(f"{name} is not encrypted, but this Hearth is: it was not applied")
    return header, body


def header_of(change: ChangeFile) -> dict[str, Any] | None:
    """A change file's header line alone, unchecked (its slot, couple, whether it is sealed), or
    None when it can't be read: cheap, for what linking and sending need to know."""
    try:
        with open(change.path, "rb") as f:
            header = json.loads(f.readline(MAX_HEADER))
    except (OSError, ValueError, RecursionError):
        return None
    return header if isinstance(header, dict) else None


def remove(change: ChangeFile) -> None:
    files.remove_quietly(change.path)
