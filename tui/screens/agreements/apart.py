"""Agreements across two homes: on a computer of one partner only that partner's yes is asked
here; the other's comes from their own computer. Kept apart so the list, detail and consent
screens each change by a line or two."""

from __future__ import annotations

from typing import Any

from ...store.sync_watch import this_partner


def me(app: Any) -> int | None:
    """Whose computer this is (0 or 1), or None when both of you use it."""
    return this_partner(app.store)


def askable(app: Any, waiting: list[int]) -> list[int]:
    """Of the partners whose yes is missing, those who answer at this computer."""
    mine = me(app)
    return list(waiting) if mine is None else [w for w in waiting if w == mine]


def elsewhere_words(app: Any, waiting: list[int]) -> str | None:
    """'Waiting for Sam's yes on Sam's computer.' when only the other partner's yes is missing and
    it can come only from their computer; else None."""
    mine = me(app)
    if mine is None or not waiting or mine in waiting:
        return None
    name = app.couple[waiting[0]].name
    return f"Waiting for {name}'s yes on {name}'s computer."


def own_turn_words(app: Any, waiting: list[int]) -> str:
    """On a partner's own computer, while their yes is missing: y gives that yes, and nobody
    else's. 'Sam said yes. Press y to say yes to this wording.' or, both yeses missing,
    'Press y to say yes to this wording. Sam's yes comes from Sam's computer.'"""
    mine = me(app)
    other = app.couple[1 - mine].name if mine is not None else ""
    if mine is None or 1 - mine in waiting:
        return "Press y to say yes to this wording." + (f" {other}'s yes comes from {other}'s computer." if other else "")
    return f"{other} said yes. Press y to say yes to this wording."


def touches(event: Any, agreement_id: int | None = None) -> bool:
    """Whether something that came in from the other home changed agreements (or this one)."""
    if agreement_id is None:
        return event.touches("agreements")
    return ("agreements", str(agreement_id)) in event.changed
