"""Opt-in decks (parenting, desire, grief...): which ones the couple turned on in Settings.

Kept in the settings document as ``decks_on``, a list of deck ids. A deck not listed stays hidden:
not on the setup screen, not drawn, not in History search (its answers stay in the file).
"""

from __future__ import annotations

from .database import Store
from .profile import set_setting, setting

DECKS_ON = "decks_on"


def decks_on(store: Store) -> set[str]:
    """Ids of the opt-in decks turned on (anything odd in the file reads as none)."""
    raw = setting(store, DECKS_ON, [])
    return {d for d in raw if isinstance(d, str)} if isinstance(raw, list) else set()


def set_deck_on(store: Store, deck_id: str, on: bool) -> None:
    chosen = decks_on(store)
    chosen = chosen | {deck_id} if on else chosen - {deck_id}
    set_setting(store, DECKS_ON, sorted(chosen))
