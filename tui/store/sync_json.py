"""JSON documents inside a pycrdt (Yjs) document: how Hearth's tables are kept as a CRDT.

Why this shape: two homes edit offline and their edits must merge without hand-written rules.
Yjs merges a map key by key, but two homes that each *create* a map under the same key keep only
one of the two maps, with all that was in it. So no object ever becomes a map of its own: every
field of every document is one key of one flat map, named by its path
(`table ␟ document ␟ field ␟ subfield`). Ana's answer and Sam's answer are then two keys that
never meet, even when both were the first to write into that card. Lists become CRDT arrays, so
two homes appending to a list that both already had (versions of an agreement) keep both; an
object inside a list is a flat map of its own paths, in the same way.

A key both homes set to different values ends with one of them on both computers (Yjs picks the
same one everywhere). Yjs keeps numbers as doubles: whole numbers come back as `int`.
"""

from __future__ import annotations

from typing import Any, Iterable

from pycrdt import Array, Map

JSON = Any
SEP = "\x1f"
#: Marks an object with nothing in it (a flat map has no key for it otherwise).
EMPTY = "\x1f{}"


class Unnamable(ValueError):
    """A field name that holds the separator: such a document is left out, with a message."""


def flatten(value: dict[str, JSON], prefix: str = "", out: dict[str, JSON] | None = None) -> dict[str, JSON]:
    """{path: leaf} of an object; objects inside are paths too, lists and scalars are leaves."""
    out = {} if out is None else out
    if not value:
        out[prefix] = EMPTY
    for key, item in value.items():
        key = str(key)
        if SEP in key:
            raise Unnamable(key)
        path = f"{prefix}{SEP}{key}" if prefix else key
        if isinstance(item, dict):
            flatten(item, path, out)
        else:
            out[path] = item
    return out


def unflatten(items: Iterable[tuple[str, Any]]) -> dict[str, JSON]:
    """The object back from (relative path, CRDT value) pairs. Where one home made a field an
    object and the other a plain value, the object wins (nothing in it is lost)."""
    root: dict[str, JSON] = {}
    for path, value in sorted(items, key=lambda kv: kv[0].count(SEP)):  # shallow paths first
        parts = path.split(SEP) if path else []
        empty = isinstance(value, str) and value == EMPTY
        node = root
        for part in parts if empty else parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        if empty or not parts or isinstance(node.get(parts[-1]), dict):
            continue
        node[parts[-1]] = plain(value)
    return root


def prelim(value: JSON) -> Any:
    """A plain JSON value as something a CRDT map or array can hold."""
    if isinstance(value, dict):
        return Map({k: prelim(v) for k, v in flatten(value).items()})
    if isinstance(value, list):
        return Array([prelim(v) for v in value])
    if value is None or isinstance(value, (bool, str, int, float)):
        return value
    return str(value)


def plain(value: Any) -> JSON:
    """A CRDT value back as plain JSON (whole doubles as int)."""
    if isinstance(value, Map):
        return unflatten(value.items())
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


def set_flat(target: Map, new: dict[str, JSON], old_keys: Iterable[str]) -> bool:
    """Make the keys `old_keys` of `target` hold the flat items `new`, touching only what
    differs (so a concurrent edit of another field survives). Returns whether anything changed."""
    changed = False
    old = set(old_keys)
    for key in old - new.keys():
        del target[key]
        changed = True
    for key, value in new.items():
        if key not in old:
            target[key] = prelim(value)
            changed = True
            continue
        current = target[key]
        if isinstance(value, list) and isinstance(current, Array):
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
    if len(new) < len(old):
        target.clear()
        target.extend([prelim(v) for v in new])
        return True
    for index, (was, now) in enumerate(zip(old, new)):
        if same(was, now):
            continue
        current = target[index]
        if isinstance(now, dict) and isinstance(current, Map):
            set_flat(current, flatten(now), list(current.keys()))
        elif isinstance(now, list) and isinstance(current, Array):
            set_array(current, now)
        else:
            del target[index]
            target.insert(index, prelim(now))
    if len(new) > len(old):
        target.extend([prelim(v) for v in new[len(old):]])
    return True
