"""Play many rounds with the planner alone (no app, no store): how long until a card repeats?

Used by the planner's unit tests (small made-up decks) and by the year-long simulation over
the shipped decks. Rounds fall on Monday, Wednesday and Friday evenings of a fake clock.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from tui.core.decks import Card
from tui.core.rounds import Choices, fitting_cards, plan_round

START = datetime(2026, 1, 5, 20, 0, tzinfo=timezone.utc)  # a Monday evening
DAYS_IN_WEEK = (0, 2, 4)


@dataclass
class Run:
    """What a simulated couple met: the round number of each card's first repeat, if any."""

    rounds: list[list[str]] = field(default_factory=list)
    first_repeat: int | None = None  # 1-based round number of the first card met a second time
    exhausted_before_repeat: bool = True  # every fitting card had been met when the first repeat came
    fitting: int = 0

    @property
    def first_repeat_week(self) -> int | None:
        return None if self.first_repeat is None else (self.first_repeat - 1) // len(DAYS_IN_WEEK) + 1


def simulate(pool: list[Card], choices: Choices, *, weeks: int, seed: int = 1, window: int = 20) -> Run:
    """Play `weeks` weeks of three rounds each, as the setup screen would plan them."""
    rng = random.Random(seed)
    usage: dict[str, int] = {}
    answered: dict[str, datetime] = {}
    fitting = {c.key for c in fitting_cards(pool, choices)}
    run = Run(fitting=len(fitting))
    seq = 0
    for week in range(weeks):
        for day in DAYS_IN_WEEK:
            seq += 1
            now = START + timedelta(weeks=week, days=day)
            plan = plan_round(pool, choices, usage=usage, seq=seq, window=window, rng=rng,
                              answered=answered, now=now)
            keys = [c.key for c in plan.cards]
            assert len(set(keys)) == len(keys), "a card twice in one round"
            repeats = [k for k in keys if k in usage and k != plan.returning]
            if repeats and run.first_repeat is None:
                run.first_repeat = seq
                met = set(usage) | set(keys)
                run.exhausted_before_repeat = fitting <= met
            for k in keys:
                usage[k] = seq
                answered[k] = now
            run.rounds.append(keys)
    return run
