"""JSON documents inside a pycrdt (Yjs) document: how Hearth's tables are kept as a CRDT.

Why this shape: two homes edit offline and their edits must merge without a hand-written rule.
Objects become CRDT maps, so two partners writing different fields of one document (each their
own answer, their own ratings) never conflict; lists become CRDT arrays, so two homes appending
to the same list (two new versions of one agreement, two review dates) keep both. A field both
homes set to different values ends with one of them on both computers (Yjs picks the same one
everywhere), and the rules in `tui/core/merge.py` then tidy what only a person may decide.

Yjs keeps numbers as doubles: whole numbers come back as `int` so that the screens' rules read
what they wrote (Hearth keeps no fractional number that is whole).
"""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Map

JSON = Any


def prelim(value: JSON) -> Any:
    """A plain JSON value as something a CRDT map or array can hold."""
    if isinstance(value, dict):
        return Map({str(k): prelim(v) for k, v in value.items()})
    if isinstance(value, list):
        return Array([prelim(v) for v in value])
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return value
    return str(value)


def plain(value: Any) -> JSON:
    """A CRDT value back as plain JSON (whole doubles as int)."""
    if isinstance(value, Map):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, Array):
        return [plain(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def same(a: JSON, b: JSON) -> bool:
    """Equal as JSON, where True is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def set_map(target: Map, new: dict[str, JSON]) -> bool:
    """Make `target` hold `new`, touching only what differs (so a concurrent edit of another field
    survives). Returns whether anything changed."""
    changed = False
    for key in [k for k in target.keys() if k not in new]:
        del target[key]
        changed = True
    for key, value in new.items():
        key = str(key)
        current = target.get(key) if key in target else _MISSING
        if current is _MISSING:
            target[key] = prelim(value)
            changed = True
        elif isinstance(value, dict) and isinstance(current, Map):
            changed |= set_map(current, value)
        elif isinstance(value, list) and isinstance(current, Array):
            changed |= set_array(current, value)
        elif not same(plain(current), value):
            target[key] = prelim(value)
            changed = True
    return changed


def set_array(target: Array, new: list[JSON]) -> bool:
    """Make `target` hold `new`: appended items are appended (two homes' appends both stay),
    items changed in place are changed in place, anything else replaces the list."""
    old = [plain(v) for v in target]
    if same(old, new):
        return False
    if len(new) >= len(old):
        head = new[: len(old)]
        for index, (was, now) in enumerate(zip(old, head)):
            if same(was, now):
                continue
            current = target[index]
            if isinstance(now, dict) and isinstance(current, Map):
                set_map(current, now)
            else:
                del target[index]
                target.insert(index, prelim(now))
        if len(new) > len(old):
            target.extend([prelim(v) for v in new[len(old):]])
        return True
    target.clear()
    target.extend([prelim(v) for v in new])
    return True


_MISSING = object()
