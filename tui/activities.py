"""The activities on the home screen. An activity shows only once its screen module exists,
so there are never dead buttons while features are being built."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from functools import cache

#: "tui" in the source tree, "hearth" once installed: module names here are built on it.
_TOP_PACKAGE = (__package__ or __name__).partition(".")[0]


@dataclass(frozen=True)
class Activity:
    key: str
    title: str
    blurb: str
    target: str  # "module:ScreenClass"
    binding_id: str = ""  # home's key for it can be remapped under this id (tui/core/keymap.py)

    @property
    def module(self) -> str:
        return self.target.partition(":")[0]

    def available(self) -> bool:
        try:
            return importlib.util.find_spec(self.module) is not None
        except ModuleNotFoundError:
            return False

    def screen_class(self) -> type:
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)


ACTIVITIES: tuple[Activity, ...] = (
    Activity("1", "Question round", "Take turns with cards, to keep discovering each other.", f"{_TOP_PACKAGE}.screens.rounds.setup:RoundSetupScreen", "home.round"),
    Activity("2", "Pause & repair", "Take a calm break, then come back and talk it through.", f"{_TOP_PACKAGE}.screens.pause.start:PauseStartScreen", "home.pause"),
    Activity("3", "Agreements", "Write down how you want to treat each other.", f"{_TOP_PACKAGE}.screens.agreements.overview:AgreementsScreen", "home.agreements"),
    Activity("4", "Weekly reflection", "Look back on the week together.", f"{_TOP_PACKAGE}.screens.reflection.start:ReflectionScreen", "home.reflection"),
    Activity("h", "History", "Past rounds, answers and pauses.", f"{_TOP_PACKAGE}.screens.history.browse:HistoryScreen", "home.history"),
)

@cache
def _available() -> tuple[Activity, ...]:
    return tuple(a for a in ACTIVITIES if a.available())


def available() -> list[Activity]:
    """Found once per run: Textual asks about every key binding on each refresh of the footer,
    and looking for five modules each time cost a few file-system lookups apiece."""
    return list(_available())


def by_key(key: str) -> Activity | None:
    return next((a for a in available() if a.key == key), None)


def modules_to_preload() -> list[str]:
    """Every activity's screen module, in the order of their keys. Imported one at a time while
    home sits idle (HearthApp._preload_next): the first open of each screen otherwise paid for its
    import on the key press (measured: 20-170 ms of CPU apiece, Weekly reflection the most).
    Settings is left to its key: its import takes about 4 ms, and kept from the start it was about
    150 KiB of every session, a round's peak included."""
    return [a.module for a in available()]


def preload(module: str) -> None:
    """Import one screen module now; a module that fails to import is left for its key to report."""
    try:
        importlib.import_module(module)
    except Exception:  # noqa: BLE001 - the key that opens it shows the problem as before
        pass
