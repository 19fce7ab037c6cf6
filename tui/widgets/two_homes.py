"""The running app's side of two homes: merge with the linked folder in the background, and tell
the screens when something came in from the other computer.

Merges run in a worker thread every few seconds, and soon after a change here, so the screen
never waits on the folder. A screen that holds a document in memory (a round being played, a
reflection) handles `OtherHomeChanged` by reading it again before it saves, so what came in is
never written over.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from ..store.sync import SyncReport

#: How often the folder is looked at (a listing and a few stats when nothing is new).
EVERY_SECONDS = 5.0
#: The first merge waits this long after start, so the first screen is drawn before it begins.
FIRST_AFTER_SECONDS = 2.0
#: How long quitting waits for the last merge (a slow network folder must not hold the exit).
LAST_MERGE_SECONDS = 3.0
#: What the folder said is told in a short notice, at most this often; the whole of it is in
#: Settings → Two homes (from `last_report`), where there is room to read it: a notice naming
#: files and folders at length covered, at 80×24, what the person was reading.
NOTICE_EVERY_SECONDS = 60.0
NOTICE = "Something in the linked folder was left out for now. Settings → Two homes says what."


class OtherHomeChanged(Message):
    """Something came in from the other home; `changed` holds (table, key) pairs written here."""

    def __init__(self, report: "SyncReport") -> None:
        super().__init__()
        self.report = report
        self.changed = set(report.changed)

    def touches(self, table_prefix: str) -> bool:
        return any(table.startswith(table_prefix) for table, _ in self.changed)


def merge_soon(app: Any) -> None:
    """After saving something the other home waits for (a time-out, a check-in, a yes)."""
    homes = getattr(app, "homes", None)
    if homes is not None:
        homes.soon()


class HomesSync:
    """Starts merging when the store is linked; `soon()` asks for a merge after a change."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._busy = threading.Lock()
        self._told: set[str] = set()
        self._noticed_at: float | None = None
        self.last_report: SyncReport | None = None
        self._timer = app.set_interval(EVERY_SECONDS, self.merge)
        app.set_timer(FIRST_AFTER_SECONDS, self.merge)

    @property
    def store(self) -> Any:
        return self.app.store

    def soon(self) -> None:
        self.app.set_timer(0.5, self.merge)

    def merge(self) -> None:
        if self.store is None or self._busy.locked():
            return
        self.app.run_worker(self._work, thread=True, group="two-homes", exit_on_error=False)

    def _work(self) -> None:
        from ..store import sync

        if not self._busy.acquire(blocking=False):
            return
        try:
            store = self.store
            if store is None:
                return
            try:
                report = sync.sync_now(store, store.clock.now())
            except Exception as exc:  # never a traceback: say it once, try again later
                report = sync.SyncReport(problems=[f"Merging with the other home stopped for now: {exc}"])
            if report is not None:
                self._call(self._arrived, report)
        finally:
            self._busy.release()

    def _call(self, callback: Any, *args: Any) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:
            pass  # the app has stopped

    def _arrived(self, report: "SyncReport") -> None:
        self.last_report = report
        new = [p for p in report.problems if p not in self._told]
        self._told.update(new)
        now = time.monotonic()
        if new and (self._noticed_at is None or now - self._noticed_at >= NOTICE_EVERY_SECONDS):
            self._noticed_at = now
            self.app.notify(NOTICE, severity="warning", timeout=6, markup=False)
        if report.changed:
            message = OtherHomeChanged(report)
            for screen in list(self.app.screen_stack):
                screen.post_message(OtherHomeChanged(report) if screen is not self.app.screen else message)

    def stop(self) -> None:
        """Unlinked: no more merges."""
        self._timer.stop()

    def last_merge(self) -> None:
        """At quit: one last merge, so what was done here goes into the folder now."""
        self._timer.stop()
        from ..store import sync

        store = self.store
        if store is None:
            return
        done = threading.Event()

        def work() -> None:
            try:
                with self._busy:
                    sync.sync_now(store, store.clock.now(), keep=True)
            except Exception:
                pass  # it goes with the next start's first merge instead
            finally:
                done.set()

        threading.Thread(target=work, name="hearth-last-merge", daemon=True).start()
        done.wait(LAST_MERGE_SECONDS)
