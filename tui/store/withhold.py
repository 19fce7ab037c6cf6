"""What an export made on one partner's computer leaves out: the other's words that the reveal
rules (tui.core.apart) do not let onto this partner's screen yet.

Why: two linked homes send each other everything as it is written, so the database here holds
the other's answer to a card this partner has not reached. The screens never show it before the
reveal; an export must not either, or opening the file would spoil the reveal. A computer both
partners use (no "me") exports as it always has.
"""

from __future__ import annotations

from typing import Any

from ..core.apart import withheld
from ..core.rounds import CardPlay
from .rounds import PREFIX
from .sync_watch import this_partner


def export_partner(store: Any) -> int | None:
    """Whose computer this is (0 or 1), or None when both use it: whose eyes an export is for."""
    return this_partner(store)


def is_round_table(name: str) -> bool:
    return name.startswith(PREFIX) and name[len(PREFIX):].isdigit()


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
