"""The couple's names and the app settings: one small document each."""

from __future__ import annotations

from typing import Any

from ..core.partners import Couple, Partner
from ..core.settings import DEFAULTS, merged
from .database import Store

PROFILE = "profile"
SETTINGS = "settings"


def load_couple(store: Store) -> Couple | None:
    """The two partners, or None before onboarding."""
    doc = store.table(PROFILE).get(doc_id=1)
    if not doc or len(doc.get("partners", [])) != 2:
        return None
    people = tuple(
        Partner(i, p["name"], p.get("colour", ""), p.get("symbol", "")) for i, p in enumerate(doc["partners"])
    )
    defaults = Couple.from_names(people[0].name, people[1].name)
    fixed = tuple(
        Partner(p.index, p.name, p.colour or defaults[p.index].colour, p.symbol or defaults[p.index].symbol)
        for p in people
    )
    return Couple((fixed[0], fixed[1]))


def save_couple(store: Store, couple: Couple) -> None:
    partners = [{"name": p.name, "colour": p.colour, "symbol": p.symbol} for p in couple.partners]
    _put(store, PROFILE, {"partners": partners})


def _put(store: Store, table: str, fields: dict[str, Any]) -> None:
    t = store.table(table)
    if t.contains(doc_id=1):
        t.update(fields, doc_ids=[1])
    else:
        from tinydb.table import Document

        t.insert(Document(fields, doc_id=1))


def settings(store: Store) -> dict[str, Any]:
    doc = store.table(SETTINGS).get(doc_id=1) or {}
    return merged(dict(doc))


def setting(store: Store, key: str, default: Any = None) -> Any:
    doc = store.table(SETTINGS).get(doc_id=1) or {}
    if key in doc:
        return doc[key]
    return DEFAULTS.get(key, default)


def set_setting(store: Store, key: str, value: Any) -> None:
    _put(store, SETTINGS, {key: value})
