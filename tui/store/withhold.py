"""What an export made on one partner's computer leaves out: the other's words that the reveal
rules (tui.core.apart) do not let onto this partner's screen yet.

Why: two linked homes send each other everything as it is written, so the database here holds
the other's answer to a card this partner has not reached. The screens never show it before the
reveal; an export must not either, or opening the file would spoil the reveal. A computer both
partners use (no "me") exports as it always has.
"""

from __future__ import annotations

from typing import Any

from ..core.apart import WITHHELD_ANSWER, visible, withheld
from ..core.rounds import CardPlay, stored_mode
from .reflection_docs import from_doc as _from_doc
from .sync_watch import this_partner

#: As tui.store.rounds names a year's table of rounds (not imported: rounds imports this module).
PREFIX = "rounds_"
#: As tui.store.reflections names a year's table of weeks (it imports the export module).
WEEKS_PREFIX = "reflections_"
#: A week's private parts, each shown to both from a step on (tui.core.reflection.shown_to_both).
PRIVATE_PARTS = ("appreciations", "ratings")


def is_round_table(name: str) -> bool:
    return name.startswith(PREFIX) and name[len(PREFIX):].isdigit()


def is_weeks_table(name: str) -> bool:
    return name.startswith(WEEKS_PREFIX) and name[len(WEEKS_PREFIX):].isdigit()


def table_for(name: str, table: dict[str, Any], me: int) -> dict[str, Any]:
    """A table as the export for `me` holds it (most tables: as stored)."""
    if is_round_table(name):
        return round_table_for(table, me)
    if is_weeks_table(name):
        return weeks_table_for(table, me)
    return table


def weeks_table_for(table: dict[str, Any], me: int) -> dict[str, Any]:
    """A year of weekly reflections as `me` may see them: the other's ratings and appreciations
    stay out until the week has reached the step that shows them to both (as the Markdown export
    and the past-week views decide, with tui.core.reflection.shown_to_both); the week says which
    under "withheld". The stored table itself when nothing is withheld."""
    from ..core.reflection import shown_to_both

    other = f"p{1 - me}"
    out: dict[str, Any] | None = None
    for doc_id, doc in table.items():
        if not isinstance(doc, dict):
            continue
        if doc.get("completed"):
            continue  # a finished week shows both (and twenty years are almost all finished weeks)
        held = [part for part in PRIVATE_PARTS if isinstance(doc.get(part), dict) and doc[part].get(other)]
        if not held:
            continue
        week = _from_doc(doc)
        shown = shown_to_both(week) if week is not None else set()  # unreadable: nothing of theirs goes out
        hidden = [part for part in held if part not in shown]
        if not hidden:
            continue
        copy = dict(doc)
        for part in hidden:
            copy[part] = {k: v for k, v in doc[part].items() if k != other}
        copy["withheld"] = {other: f"{' and '.join(hidden)}: {WITHHELD_ANSWER}"}
        out = out if out is not None else dict(table)
        out[doc_id] = copy
    return table if out is None else out


def round_table_for(table: dict[str, Any], me: int) -> dict[str, Any]:
    """A year of rounds as `me` may see it: the stored table itself when nothing is withheld
    (at twenty years almost every round is at one keyboard or finished), else a copy in which
    each withheld answer is taken out and the card says so under "withheld" (partner -> why)."""
    out: dict[str, Any] | None = None
    for doc_id, doc in table.items():
        if not (isinstance(doc, dict) and doc.get("apart") is True):
            continue
        cards = doc.get("cards")
        if not isinstance(cards, list):
            continue
        changed = None
        for i, raw in enumerate(cards):
            if not isinstance(raw, dict) or not (raw.get("answers") or raw.get("kept")):
                continue
            hidden = withheld(CardPlay.from_dict(raw), me)
            if not hidden:
                continue
            card = dict(raw)
            for key in ("answers", "kept"):
                if isinstance(card.get(key), dict):
                    card[key] = {k: v for k, v in card[key].items() if str(k) not in {str(p) for p in hidden}}
            card["withheld"] = {str(p): why for p, why in hidden.items()}
            changed = changed or list(cards)
            changed[i] = card
        if changed is not None:
            out = out if out is not None else dict(table)
            out[doc_id] = {**doc, "cards": changed}
    return table if out is None else out


def markdown(store: Any) -> str:
    """'## Under way, apart': on one partner's computer, each open round played apart with its
    cards not revealed yet, as this partner may see them (their own answer, the other's marked
    withheld). The rounds section lists only revealed and passed cards; a computer both use, or
    one with no such round, has no section."""
    me = this_partner(store)  # whose eyes the export is for (None: both use this computer)
    if me is None:
        return ""
    from ..core.rounds import MODES, when_label
    from .apart_rounds import in_progress
    from .profile import load_couple

    couple = load_couple(store)
    out: list[str] = []
    for state in sorted(in_progress(store), key=lambda s: s.started):
        names = [couple[i].name if couple else (state.names[i] or f"Partner {i + 1}") for i in (0, 1)]
        lines = unrevealed_lines(state.to_dict(), names, me)
        if lines:
            decks = ", ".join(state.deck_titles) or "cards"
            out += [f"### {when_label(state.started)} · {MODES[state.mode]} · {decks}", "", *lines]
    return "\n".join(["## Under way, apart", "", *out]) if out else ""


def unrevealed_lines(raw: dict[str, Any], names: list[str], me: int) -> list[str]:
    """Markdown lines for an open apart round's cards not revealed yet, as `me` may see them: my
    own answer, and the other's marked as withheld. The everyday section lists only revealed and
    passed cards; on one partner's computer this says what else is under way, and what waits."""
    if raw.get("apart") is not True or raw.get("status", "open") != "open":
        return []
    lines: list[str] = []
    for card_raw in raw.get("cards") or []:
        if not isinstance(card_raw, dict) or card_raw.get("status", "open") != "open":
            continue
        card = CardPlay.from_dict(card_raw)
        seen, hidden = visible(card, me), withheld(card, me)
        if not seen and not hidden:
            continue
        lines.append(f"- **{card.text}**")
        for p in (0, 1):
            label = f"{names[p]}'s guess" if stored_mode(raw) == "knowme" and p == card.guesser else names[p]
            if p in seen:
                lines.append(f"  - {label}: {' '.join(seen[p].split())}")
            elif p in hidden:
                lines.append(f"  - {label}: ({hidden[p]})")
    return ["Not revealed yet:", "", *lines, ""] if lines else []
