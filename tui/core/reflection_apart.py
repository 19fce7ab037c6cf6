"""A weekly reflection played apart: each partner's private part on their own computer.

Why its own rules: at one keyboard the private turns are taken in order and `turns[step]` (a
shared list) and `step` (one shared value) say where the week is. Apart, both computers would
change that list and that value at the same time, and when two homes change one list or one
value, only one home's version is kept. So apart play writes only keys of its own partner
(`ratings[me]`, `appreciations[me]`, `apart[me][step]`), and where each partner is, and whether
the reveal may open, is derived from what is filled in. The shared steps begin once both private
parts are in; `open_shared` gives the week as one keyboard would have left it at the reveal, the
same on either computer, and it is saved only with the first shared step someone takes.

Plain Python: no Textual, no store; `now` is passed in.
"""

from __future__ import annotations

import copy
from datetime import datetime

from . import reflection as rules
from .reflection import DONE, PARTNERS, PRIVATE_STEPS, Reflection, ReflectionError, pkey

DONE_MARK = "done"
SKIPPED_MARK = "skipped"


def private_steps(r: Reflection) -> tuple[str, ...]:
    """The week's private steps, in the order they are taken."""
    return tuple(s for s in r.steps if s in PRIVATE_STEPS)


def shared_started(r: Reflection) -> bool:
    """The week has gone past its private steps (at one keyboard, or opened apart)."""
    return r.done or r.step == DONE or r.step not in PRIVATE_STEPS


def step_done(r: Reflection, partner: int, step: str) -> bool:
    """Whether `partner` has given (or passed on) `step`, however it was played."""
    who = pkey(partner)
    if shared_started(r) or r.apart.get(who, {}).get(step):
        return True
    if who in r.turns.get(step, []):
        return True
    if step == "ratings":
        return bool(r.ratings.get(who))
    if step == "appreciations":
        return bool(r.appreciations.get(who))
    return False


def still_to_do(r: Reflection, me: int) -> list[str]:
    """My private steps not yet given this week, in order."""
    return [s for s in private_steps(r) if not step_done(r, me, s)]


def part_in(r: Reflection, partner: int) -> bool:
    """Every private step of `partner` is given or passed on."""
    return not still_to_do(r, partner)


def both_in(r: Reflection) -> bool:
    """Both private parts are in: only now may the reveal and the shared steps open."""
    return part_in(r, 0) and part_in(r, 1)


def _mine(r: Reflection, me: int, step: str, now: datetime) -> Reflection:
    if me not in (0, 1):
        raise ReflectionError("Whose part is this?")
    if step not in private_steps(r):
        raise ReflectionError("This is not a private step this week.")
    if step_done(r, me, step):
        raise ReflectionError("Your part of this step is already in.")
    out = copy.deepcopy(r)
    out.updated = now
    return out


def give_appreciations(r: Reflection, me: int, texts: list[str], now: datetime) -> Reflection:
    """My appreciations, kept under my own key."""
    if not texts:
        raise ReflectionError("Write at least one thing you appreciated, or skip this turn.")
    out = _mine(r, me, "appreciations", now)
    out.appreciations[pkey(me)] = list(texts)
    out.apart.setdefault(pkey(me), {})["appreciations"] = DONE_MARK
    return out


def give_ratings(
    r: Reflection, me: int, ratings: dict[str, int | None], statement_ids: list[str], now: datetime
) -> Reflection:
    """My private ratings, checked as at one keyboard, kept under my own key."""
    out = _mine(r, me, "ratings", now)
    out.ratings[pkey(me)] = rules.check_ratings(ratings, statement_ids)
    out.apart.setdefault(pkey(me), {})["ratings"] = DONE_MARK
    return out


def skip_step(r: Reflection, me: int, step: str, now: datetime) -> Reflection:
    """I pass on one private step; the other's part is untouched."""
    out = _mine(r, me, step, now)
    out.apart.setdefault(pkey(me), {})[step] = SKIPPED_MARK
    return out


def _skipped(r: Reflection, partner: str, step: str) -> bool:
    return r.apart.get(partner, {}).get(step) == SKIPPED_MARK or f"{step}.{partner}" in r.skipped


def open_shared(r: Reflection, now: datetime) -> Reflection:
    """Once both parts are in, move the week on to its first shared step (the reveal), with the
    turns and skip marks one keyboard would have left. A week already past its private steps is
    returned as it is. Screens apply this in memory and save it only with the first shared step
    taken: a computer that merely shows the reveal must not set the shared `step` back while
    the other home has gone on (two homes setting one value keep only one of them)."""
    if shared_started(r):
        return r
    if not both_in(r):
        raise ReflectionError("The other part is not in yet.")
    out = copy.deepcopy(r)
    out.updated = now
    for step in private_steps(r):
        out.turns[step] = list(PARTNERS)
        for who in PARTNERS:
            mark = f"{step}.{who}"
            if _skipped(r, who, step) and mark not in out.skipped:
                out.skipped.append(mark)
        if all(_skipped(r, who, step) for who in PARTNERS) and step not in out.skipped:
            out.skipped.append(step)
    last = private_steps(r)[-1]
    out.step = rules.step_after(r.mode, last, r.extras)
    return out


def seen_by(r: Reflection, me: int) -> Reflection:
    """The week as `me` may see it: until both parts are in, the other's private ratings and
    appreciations (and whether they passed) are left out. Anything shown on one partner's
    computer is drawn from this."""
    if both_in(r):
        return r
    out = copy.deepcopy(r)
    other = pkey(1 - me)
    out.ratings.pop(other, None)
    out.appreciations.pop(other, None)
    out.apart.pop(other, None)
    out.skipped = [s for s in out.skipped if not s.endswith(f".{other}")]
    return out


def waiting_on(r: Reflection | None, me: int) -> str | None:
    """What this week's reflection waits for, seen from my computer: "mine" (the other's part is
    in, mine is not), "theirs" (mine is in, theirs is not), "both" (neither), "reveal" (both
    are in and the side by side waits), or None when there is nothing to wait for (no week
    begun, or the shared steps under way or done)."""
    if r is None or shared_started(r):
        return None
    mine, theirs = part_in(r, me), part_in(r, 1 - me)
    if mine and theirs:
        return "reveal"
    if mine:
        return "theirs"
    if theirs:
        return "mine"
    return "both"


REVEAL = "reveal"
SEEN_MARK = "seen"


def reveal_waits(r: Reflection, me: int | None) -> bool:
    """On my own computer, the other went on from the reveal before I saw it: it comes first
    here. Each partner sees the ratings side by side at their own computer, so whether I have
    is kept under my own key (`apart[me]["reveal"]`), never derived from the shared `step`."""
    if me not in (0, 1) or r.done or not r.apart or REVEAL not in r.steps or r.step not in r.steps:
        return False
    if r.steps.index(r.step) <= r.steps.index(REVEAL):
        return False
    return r.apart.get(pkey(me), {}).get(REVEAL) != SEEN_MARK


def see_reveal(r: Reflection, me: int, now: datetime) -> Reflection:
    """I went on from the reveal at my computer: noted under my own key. The week moves on
    only if it was still at the reveal (the other may have gone on already)."""
    out = rules.advance(r, now) if r.step == REVEAL else copy.deepcopy(r)
    out.updated = now
    out.apart.setdefault(pkey(me), {})[REVEAL] = SEEN_MARK
    return out


def position_for(r: Reflection, me: int | None) -> tuple[int, int]:
    """(step number, steps) as my computer shows it: at the reveal while it waits for me."""
    if not reveal_waits(r, me):
        return r.position
    return r.steps.index(REVEAL) + 1, len(r.steps)
