"""Small pieces the round's screens share: its texts, the answer box, the closeness labels, a clock."""

from __future__ import annotations

import inspect
from typing import Any

from ...core import content
from ...core.rounds import CLOSENESS_DEFAULT
from ...widgets.draft_area import DraftArea


class AnswerArea(DraftArea):
    """The round's answer box (a DraftArea draws nothing once removed, see its render_lines)."""


def texts() -> dict:
    return content.load("rounds")


def closeness_labels() -> tuple[str, ...]:
    labels = tuple(texts().get("closeness", ())) or CLOSENESS_DEFAULT
    return labels if len(labels) == 3 else CLOSENESS_DEFAULT


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))
    return f"{seconds // 60}:{seconds % 60:02d}"


async def press_shared_button(screen: Any, bid: str) -> bool:
    """The buttons both play screens have (at one keyboard and apart), to their actions. False
    when `bid` is not one of them, so the screen handles its own."""
    if bid == "submit":
        await screen.action_submit()
    elif bid == "pass":
        await screen.action_pass_card()
    elif bid == "next":
        await screen.action_next_card()
    elif bid == "star":
        screen.action_star()
    elif bid.startswith("rate-"):
        said = screen.action_rate(int(bid.removeprefix("rate-")))
        if inspect.isawaitable(said):  # apart, saying it redraws the reveal
            await said
    else:
        return False
    return True
