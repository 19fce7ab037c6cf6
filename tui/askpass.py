"""Passphrases for the command line: typed on the terminal with no echo, or, for scripts, read
from a file descriptor (`--passphrase-fd N`) or a file (`--passphrase-file PATH`), one per line.

Never from an argument or an environment variable: other accounts on the machine can read
both (`ps`, /proc/PID/environ for the same user's other processes, shell history).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class NoPassphrase(Exception):
    """No way to ask (no terminal, no descriptor or file given), or the source ran out."""


class Source:
    """Where passphrases come from. Lines from a descriptor or file are used in order: a command
    that needs two (the current one, then a new one) reads two lines."""

    def __init__(self, fd: int | None = None, file: str | None = None) -> None:
        self._lines: list[str] | None = None
        if fd is not None:
            try:
                with os.fdopen(fd, "r", encoding="utf-8", closefd=True) as f:
                    self._lines = f.read().splitlines()
            except OSError as exc:
                raise NoPassphrase(f"cannot read passphrases from file descriptor {fd}: {exc.strerror or exc}") from exc
        elif file is not None:
            path = Path(file).expanduser()
            try:
                self._lines = path.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise NoPassphrase(f"cannot read passphrases from {file}: {exc.strerror or exc}") from exc
            except UnicodeDecodeError:
                raise NoPassphrase(f"{file} is not UTF-8 text") from None

    @property
    def interactive(self) -> bool:
        return self._lines is None

    def ask(self, prompt: str) -> str:
        """One passphrase: the next line of the script's source, or typed with no echo."""
        if self._lines is not None:
            if not self._lines:
                raise NoPassphrase("the passphrase source has no more lines")
            return self._lines.pop(0)
        if not _has_terminal():
            raise NoPassphrase("this needs a passphrase: run it in a terminal, or give --passphrase-fd N "
                               "or --passphrase-file PATH")
        import getpass

        return getpass.getpass(prompt)

    def ask_new(self, prompt: str, *, optional: bool = False, minimum: int = 8) -> str | None:
        """A new passphrase, typed twice on a terminal (once from a script). None when `optional`
        and left empty."""
        while True:
            first = self.ask(prompt)
            if not first and optional:
                return None
            if len(first) < minimum:
                if not self.interactive:
                    raise NoPassphrase(f"a passphrase needs at least {minimum} characters")
                print(f"Please use at least {minimum} characters; a few words together are easy to remember.",
                      file=sys.stderr)
                continue
            if not self.interactive:
                return first
            if self.ask("Type it again: ") == first:
                return first
            print("The two did not match; please try again.", file=sys.stderr)


def _has_terminal() -> bool:
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return False
    os.close(fd)
    return True
