"""What is due, gathered from every feature that exists (reflection, agreements, pauses...)."""

from __future__ import annotations

import importlib
import importlib.util
import re
from datetime import datetime
from pathlib import Path

from .database import Store
from .errors import StoreError

#: "tui" in the source tree, "hearth" once installed: module names here are built on it.
_TOP_PACKAGE = (__package__ or __name__).partition(".")[0]

#: Modules that may offer `due_items(store, now) -> list[str]`.
DUE_PROVIDERS: tuple[str, ...] = (
    f"{_TOP_PACKAGE}.store.reflections",
    f"{_TOP_PACKAGE}.store.agreements",
    f"{_TOP_PACKAGE}.store.pauses",
    f"{_TOP_PACKAGE}.store.rounds",
)
#: Providers that count days (a review date, the week's reflection): at two homes they are asked
#: on the couple's calendar (tui.store.couple_time), so both homes agree which day it is.
BY_DAY = {f"{_TOP_PACKAGE}.store.reflections", f"{_TOP_PACKAGE}.store.agreements"}


def due_lines(store: Store, now: datetime, *, only: tuple[str, ...] | None = None,
              strict: bool = False) -> list[str]:
    """Ask each provider; a missing or failing one is skipped so home always shows. `strict`
    (for `hearth due`): a damaged file is raised, not skipped, so it is never "nothing due"."""
    from .couple_time import couple_now

    lines: list[str] = []
    day_now: datetime | None = None
    for name in only or DUE_PROVIDERS:
        try:
            if importlib.util.find_spec(name) is None:
                continue
            provider = getattr(importlib.import_module(name), "due_items", None)
            if provider and name in BY_DAY:
                day_now = day_now or couple_now(store, now)
                lines.extend(provider(store, day_now))
            elif provider:
                lines.extend(provider(store, now))
        except StoreError:
            if strict:
                raise
        except Exception:
            continue
    return lines


#: Home's key hints, "(press 4)" or ": press 1.": they mean nothing in a shell.
KEY_HINT = re.compile(r"\s*\(press [^)]*\)|: press \S+?(?=\.?$)")


def due_now(store: Store, now: datetime, deck_dirs: list[Path]) -> list[str]:
    """What `hearth due` prints: only what asks for something now (a challenge day that is
    ready, a reflection not done, a review, a pause), without home's key hints."""
    from . import challenges, reflections

    lines: list[str] = []
    if challenges.begun_ids(store):  # the decks are read only when a challenge was begun
        from ..core.decks import load_decks, shown_decks
        from .optin import decks_on

        shown = shown_decks(load_decks(deck_dirs).decks, decks_on(store))
        lines += challenges.home_lines(store, shown, now, only_ready=True)
    lines += [line for line in due_lines(store, now, strict=True) if line != reflections.DONE_LINE]
    lines += waiting_here(store, now)
    return [KEY_HINT.sub("", line) for line in lines]


def waiting_here(store: Store, now: datetime) -> list[str]:
    """On a partner's own computer, what waits for them from the other home (a round's card, their
    part of the reflection, a check-in or a yes): home's two-homes lines, without when the other
    computer was last heard from."""
    from .homes_status import PROVIDERS
    from .profile import load_couple
    from .sync_watch import this_partner

    me = this_partner(store)
    couple = load_couple(store)
    if me is None or couple is None:
        return []
    names = (couple[0].name, couple[1].name)
    lines: list[str] = []
    for provider in PROVIDERS:
        try:
            lines += provider(store, me, names, now)
        except Exception:
            continue  # `hearth due` always answers
    return lines
