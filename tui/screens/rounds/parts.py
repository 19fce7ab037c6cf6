"""Small pieces the round's screens share: its texts, the answer box, the closeness labels, a clock."""

from __future__ import annotations

from tui.core import content
from tui.core.rounds import CLOSENESS_DEFAULT
from tui.widgets.draft_area import DraftArea


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
