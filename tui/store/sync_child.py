"""The merge's CRDT in a child process of its own, so pycrdt never holds the screen's GIL.

pycrdt holds the GIL for the whole of each call into Yrs (loading ten years of merge state is
one call of seconds, compaction another). In a thread of the app, that is a frozen screen. Here
the `Core` (sync_core) lives in `python -m tui.store.sync_child`, started at the app's first
merge and kept while it runs (its start is paid once, on the other core). The app's side only
reads the documents changed here and writes in those that came in.

Talking: over the child's stdin and stdout, each message an 8-byte length and a pickle: a call
`(method, args)`, and its answer `(True, value)` or `(False, exception)`. Only this process and
its own child are at either end (pipes, not files or sockets), so pickle is safe here. The
couple's key goes the same way, never on a command line or in the environment. The child ends
when its stdin closes (the app quit or died: the call under way, such as saving the state at
quit, is finished first), and never writes to the terminal.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import threading
import weakref
from typing import Any, BinaryIO

from .errors import StoreError

_LENGTH = struct.Struct("<Q")
#: The children started by this process and not closed yet.
_running: "weakref.WeakSet[ChildCore]" = weakref.WeakSet()


class CoreGone(StoreError):
    """The merge's child process stopped; the next merge starts a new one."""


def _send(out: BinaryIO, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_LENGTH.pack(len(data)))
    out.write(data)
    out.flush()


def _receive(stream: BinaryIO) -> Any:
    head = _read_exactly(stream, _LENGTH.size)
    return pickle.loads(_read_exactly(stream, _LENGTH.unpack(head)[0]))


def _read_exactly(stream: BinaryIO, n: int) -> bytes:
    parts, left = [], n
    while left:
        part = stream.read(left)
        if not part:
            raise EOFError
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


#: This module's own name: `hearth.store.sync_child` when installed, `tui.store.sync_child` in a checkout.
_MODULE = __spec__.name if __spec__ is not None and __name__ != "__main__" else "tui.store.sync_child"


class ChildCore:
    """A `Core` in a child process: the same methods, each one call across the pipe."""

    def __init__(self) -> None:
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH")])])}
        self._lock = threading.Lock()
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", _MODULE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, env=env, close_fds=True,
                start_new_session=True)  # a closed terminal's hangup does not cut a save short
        except OSError as exc:
            raise CoreGone(f"Hearth could not start its merging helper ({exc.strerror or exc})") from None
        _running.add(self)

    def call(self, method: str, *args: Any) -> Any:
        with self._lock:
            proc = self._proc
            if proc.poll() is not None or proc.stdin is None or proc.stdout is None:
                raise CoreGone("Hearth's merging helper stopped; the next merge starts it again")
            try:
                _send(proc.stdin, (method, args))
                ok, value = _receive(proc.stdout)
            except (OSError, EOFError, pickle.UnpicklingError, struct.error):
                self.close()
                raise CoreGone("Hearth's merging helper stopped; the next merge starts it again") from None
        if not ok:
            raise value
        return value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args: self.call(name, *args)

    @property
    def pid(self) -> int:
        return self._proc.pid

    def close(self) -> None:
        """Let the child go: it ends when its stdin closes."""
        _running.discard(self)
        proc = self._proc
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()

    def __del__(self) -> None:
        try:
            if self._proc.poll() is None and self._proc.stdin is not None:
                self._proc.stdin.close()
        except Exception:
            pass


def close_all() -> None:
    """Let every child of this process go (the tests, between two of them)."""
    for child in list(_running):
        child.close()


def serve(stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Answer calls until stdin closes."""
    from .sync_core import Core

    core = Core()
    while True:
        try:
            method, args = _receive(stdin)
        except EOFError:
            return
        try:
            value = (True, getattr(core, method)(*args))
        except BaseException as exc:  # said back to the app, which words it
            value = (False, exc)
        try:
            _send(stdout, value)
        except (pickle.PicklingError, TypeError, AttributeError):
            _send(stdout, (False, RuntimeError(f"{type(value[1]).__name__}")))
        except OSError:
            return


def main() -> None:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed by mistake may go down the pipe
    try:
        serve(stdin, stdout)
    except (BrokenPipeError, KeyboardInterrupt):
        pass


if __name__ == "__main__":
    main()
