"""Pseudo-terminal measurements: first paint, keystroke latency and peak memory.

A program runs in a pty; its output is fed to a pyte screen, and we time how long until a
text is on that screen, as a person would see it. Hearth and the bare app are measured the
same way, alternately, so the ratio holds on a noisy machine.

The screen is only re-read when new output has arrived, so the measuring process spends its
time waiting on the pty, not re-rendering an unchanged screen (the machine has two cores).
A time is taken when the output that makes the text visible *arrived*, before pyte parses it:
pyte is pure Python and slow (about a millisecond per kilobyte here), where a real terminal is
not, so its parsing would otherwise count against whichever program draws more bytes.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, field

import pexpect
import pyte

COLS, ROWS = 100, 30


@dataclass
class Session:
    child: pexpect.spawn
    screen: pyte.Screen
    stream: pyte.ByteStream
    started: float
    _text: str = field(default="", repr=False)
    _stale: bool = field(default=True, repr=False)
    last_arrival: float = 0.0  # perf_counter when the latest output was read

    def text(self) -> str:
        if self._stale:
            self._text = "\n".join(self.screen.display)
            self._stale = False
        return self._text

    def pump(self, timeout: float) -> bool:
        """Feed whatever output arrives within `timeout` seconds; True if there was any."""
        try:
            data = self.child.read_nonblocking(1 << 16, timeout=timeout)
        except pexpect.TIMEOUT:
            return False
        if data:
            self.last_arrival = time.perf_counter()
            self.stream.feed(data)
            self._stale = True
            return True
        return False

    def wait_for(self, text: str, timeout: float = 30.0) -> float:
        """Seconds from now until the output that shows `text` arrived (raises if it never does)."""
        t0 = time.perf_counter()
        while True:
            if text in self.text():
                return max(0.0, self.last_arrival - t0)
            if time.perf_counter() - t0 > timeout:
                raise RuntimeError(f"{text!r} never appeared:\n{self.text()}")
            try:
                self.pump(0.05)
            except pexpect.EOF:
                raise RuntimeError(f"the program ended before {text!r} appeared:\n{self.text()}") from None

    def settle(self, quiet: float = 0.3, limit: float = 3.0) -> None:
        """Read output until none has come for `quiet` seconds (or `limit` passes)."""
        t0 = last = time.perf_counter()
        while time.perf_counter() - t0 < limit:
            if self.pump(0.02):
                last = time.perf_counter()
            elif time.perf_counter() - last >= quiet:
                return

    def idle(self, seconds: float) -> None:
        """Keep reading output for `seconds` (the program may draw meanwhile, e.g. a cursor blink)."""
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            self.pump(min(left, 0.02))

    def peak_rss_kib(self) -> int:
        """VmHWM of the process: its peak resident memory so far."""
        with open(f"/proc/{self.child.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def close(self) -> None:
        """ctrl+q, as a person quits; killed if it has not ended after 10 s."""
        if self.child.isalive():
            self.child.sendcontrol("q")
            t0 = time.perf_counter()
            while self.child.isalive() and time.perf_counter() - t0 < 10:
                try:
                    self.pump(0.05)
                except pexpect.EOF:
                    break
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close()


def spawn(argv: list[str], env: dict[str, str] | None = None) -> Session:
    screen = pyte.Screen(COLS, ROWS)
    full_env = {**os.environ, "TERM": "xterm-256color", **(env or {})}
    started = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], dimensions=(ROWS, COLS), env=full_env)
    child.delaybeforesend = None  # pexpect sleeps 50 ms before every send by default
    return Session(child, screen, pyte.ByteStream(screen), started)


def first_paint(argv: list[str], text: str, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Milliseconds from launch until `text` is on screen, and the peak RSS (KiB) once it has settled."""
    s = spawn(argv, env)
    try:
        s.wait_for(text)
        ms = (s.last_arrival - s.started) * 1000
        s.settle()
        return ms, s.peak_rss_kib()
    finally:
        s.close()


def alternate_first_paint(a: list[str], a_text: str, b: list[str], b_text: str, runs: int,
                          env: dict[str, str] | None = None) -> dict:
    """A B A B ... after one warm-up each; medians and the median of pair-by-pair ratios."""
    first_paint(a, a_text, env)
    first_paint(b, b_text, env)
    ta, tb, ma, mb = [], [], [], []
    for _ in range(runs):
        ms, rss = first_paint(a, a_text, env)
        ta.append(ms)
        ma.append(rss)
        ms, rss = first_paint(b, b_text, env)
        tb.append(ms)
        mb.append(rss)
    ratios = [x / y for x, y in zip(ta, tb)]
    return {"hearth_ms": statistics.median(ta), "bare_ms": statistics.median(tb),
            "ratio": statistics.median(ratios), "runs": runs, "hearth_all_ms": ta, "bare_all_ms": tb,
            "hearth_rss_kib": statistics.median(ma), "bare_rss_kib": statistics.median(mb)}


def keystroke_latencies(session: Session, word: str, marker: str, gaps: list[float]) -> list[float]:
    """Type `word` one key at a time after `marker` (already on screen); ms until each new prefix shows.

    Only letters are typed, so every key changes what the screen shows (a trailing space would
    "appear" at once). Between keys the session idles for the next of `gaps` seconds, reading
    output, as a person types with pauses.
    """
    out = []
    typed = marker
    for i, ch in enumerate(word):
        typed += ch
        t0 = time.perf_counter()
        session.child.send(ch)
        out.append(session.wait_for(typed, timeout=10) * 1000)
        session.idle(gaps[i % len(gaps)])
    return out
