"""Pieces the agreement screens share: status and consent lines (symbols and words, so
colour is never the only signal), review wording and a coloured diff. The small choice dialog
lives in tui.screens.shared.choice (Settings asks with it too) and is named here as before."""

from __future__ import annotations

from datetime import date, datetime

from rich.table import Table
from rich.text import Text

from ...core.agreements import RHYTHM_LABELS, STATUS_SYMBOL, STATUS_WORD, Agreement, DiffLine, Status, is_due
from ...core.partners import Couple
from ..shared.choice import ChoiceDialog
from ...widgets.partner import partner_text

__all__ = ["ChoiceDialog", "consent_text", "diff_text", "review_text", "short_date", "short_time", "status_text"]

STATUS_STYLE = {Status.DRAFT: "italic", Status.PROPOSED: "bold yellow", Status.AGREED: "bold green"}


def short_date(day: date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


def short_time(when: datetime) -> str:
    return f"{short_date(when.date())}, {when.strftime('%H:%M')}"


def status_text(a: Agreement) -> Text:
    """'● Agreed', '◐ Proposed', '○ Draft' (plus 'archived')."""
    text = Text(f"{STATUS_SYMBOL[a.status]} {STATUS_WORD[a.status]}", style=STATUS_STYLE[a.status])
    if a.retired:
        text.append(" · in the archive", style="italic")
    return text


def consent_text(a: Agreement, couple: Couple) -> Text:
    """Both partners' yes at a glance: '◆ Ana ✓ yes   ● Sam ○ not yet'."""
    text = Text()
    for i in (0, 1):
        if i:
            text.append("   ")
        text.append_text(partner_text(couple[i]))
        if a.consent[i]:
            text.append(" ✓ yes", style="green")
        else:
            text.append(" ○ not yet")
    return text


def review_text(a: Agreement, now: datetime) -> str:
    """The review rhythm and, once agreed, the next date (or that it is due)."""
    rhythm = RHYTHM_LABELS.get(a.review, a.review)
    if a.review == "none":
        return rhythm
    if a.status is not Status.AGREED or a.next_review is None:
        return f"{rhythm}, once you have both said yes"
    if is_due(a, now):
        if a.next_review == now.date():
            return f"{rhythm} · a review is due today"
        return f"{rhythm} · a review is due (since {short_date(a.next_review)})"
    return f"{rhythm} · next on {short_date(a.next_review)}"


def diff_text(lines: list[DiffLine]) -> Table:
    """A diff with '+' and '-' markers on every changed line, coloured as well; long lines
    wrap under their own text, so the markers column stays clear."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1, no_wrap=True)
    table.add_column(ratio=1)
    for line in lines:
        if line.mark == "+":
            table.add_row(Text("+", style="bold green"), Text(line.text, style="bold green"))
        elif line.mark == "-":
            table.add_row(Text("-", style="red"), Text(line.text, style="red"))
        else:
            table.add_row(Text(" "), Text(line.text, style="dim"))
    return table
