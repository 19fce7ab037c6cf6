"""Home's lines about two homes: whose computer this is, when the other was last heard from,
and what is waiting for whom.

Each activity offers a provider `(store, me, names, now) -> list[str]` in `PROVIDERS` (me: 0 or
1 on a computer of one partner, None when both use it). Cheap on purpose: home asks on every
visit, so nothing here imports pycrdt (the link is read through `sync_watch`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from ..core.clock import parse_time
from ..core.clock_offset import heard_words
from . import sync_watch
from .profile import load_couple

Provider = Callable[[Any, "int | None", tuple[str, str], datetime], list[str]]


def heard_line(store: Any, me: int | None, names: tuple[str, str], now: datetime) -> str:
    """'This is Ana's computer. Sam's computer was last heard from 5 minutes ago.'"""
    doc = sync_watch.link_doc(store) or {}
    latest: tuple[datetime, Any] | None = None
    for entry in (doc.get("heard") or {}).values():
        try:
            arrived = parse_time(entry["arrived"])
        except (KeyError, TypeError, ValueError):
            continue
        if latest is None or arrived > latest[0]:
            latest = (arrived, entry.get("partner"))
    if me is None:
        here, other = "This computer is for both of you.", "The other computer"
    else:
        here, other = f"This is {names[me]}'s computer.", f"{names[1 - me]}'s computer"
    if latest is not None and latest[1] in (0, 1) and latest[1] != me:
        other = f"{names[latest[1]]}'s computer"
    if latest is None:
        return f"{here} {other} has not been heard from yet."
    return f"{here} {other} was last heard from {heard_words(latest[0], now)}."


def pause_lines(store: Any, me: int | None, names: tuple[str, str], now: datetime) -> list[str]:
    """A check-in done at one home and waited for at the other."""
    from . import pauses

    pause = pauses.active(store)
    if pause is None or me is None or pause.phase != "checkin":
        return []
    done, other = pause.current_round, 1 - me
    if me in done and other not in done:
        return [f"You have checked in; {names[other]}'s check-in comes from {names[other]}'s computer."]
    if other in done and me not in done:
        return [f"{names[other]} has checked in; your turn to check in (press 2)."]
    return []


def agreement_lines(store: Any, me: int | None, names: tuple[str, str], now: datetime) -> list[str]:
    """Yeses given at one home and waited for at the other."""
    if me is None:
        return []
    from . import agreements
    from .agreements import Status

    other = 1 - me
    lines = []
    for a in agreements.list_agreements(store):
        if a.status is not Status.PROPOSED:
            continue
        waiting = a.waiting_for
        if waiting == [me]:
            lines.append(f"{names[other]} said yes to “{a.title}”; your answer is waiting (press 3).")
        elif waiting == [other]:
            lines.append(f"“{a.title}” is waiting for {names[other]}'s yes on {names[other]}'s computer.")
        elif waiting:
            lines.append(f"“{a.title}” is waiting for both your yeses, each on your own computer (press 3).")
    return lines


def round_lines(store: Any, me: int | None, names: tuple[str, str], now: datetime) -> list[str]:
    """Rounds played apart: what waits for whom (tui.store.apart_rounds)."""
    from .apart_rounds import waiting_lines

    return [line if "waiting for" in line else f"{line[:-1]} (press 1)."
            for line in waiting_lines(store, me, names)]


#: Reflection adds its lines here.
def reflection_lines(store: Any, me: int | None, names: tuple[str, str], now: datetime) -> list[str]:
    """This week's reflection done in two parts, one at each home."""
    if me is None:
        return []
    from .apart_reflection import waiting_lines

    return waiting_lines(store, me, names, now)


PROVIDERS: list[Provider] = [pause_lines, agreement_lines, round_lines, reflection_lines]


def status_lines(store: Any, now: datetime, providers: list[Provider] | None = None) -> list[str]:
    """Nothing when not linked; else the heard-from line, then each provider's lines (a provider
    that fails is left out, so home always shows)."""
    if sync_watch.link_doc(store) is None:
        return []
    couple = load_couple(store)
    names = (couple[0].name, couple[1].name) if couple else ("Partner 1", "Partner 2")
    me = sync_watch.this_partner(store)
    lines = [heard_line(store, me, names, now)]
    for provider in PROVIDERS if providers is None else providers:
        try:
            lines.extend(provider(store, me, names, now))
        except Exception:
            continue
    return lines
