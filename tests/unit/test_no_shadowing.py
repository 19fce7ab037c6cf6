"""Our screens and widgets must not reuse Textual's private attribute names.

A screen that set `self._closing` for its own bookkeeping shadowed Textual's message-pump flag:
Textual then dropped the message that shuts the screen down, and closing it hung the whole app.
This test finds such a name before it can do that again.
"""

from __future__ import annotations

import ast
import pathlib
import re

import textual
from textual.app import App
from textual.widget import Widget

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent / "tui"


def textual_private_names() -> set[str]:
    """Every `self._name` Textual assigns anywhere, plus the private names of its base classes."""
    names: set[str] = set()
    for path in pathlib.Path(textual.__file__).parent.rglob("*.py"):
        names.update(re.findall(r"self\.(_[A-Za-z]\w*)\s*(?::[^=\n]*)?=(?!=)", path.read_text(encoding="utf-8")))
    for cls in (App, Widget):
        for klass in cls.__mro__:
            names.update(n for n in vars(klass) if n.startswith("_") and not n.startswith("__"))
    return names


def _adds_no_attributes(node: ast.AST) -> bool:
    """A class with `__slots__ = ()` can only set what its base already has: a replacement of a
    Textual class's own workings (tui/widgets/render_cache.py), never a name of ours by chance."""
    return isinstance(node, ast.ClassDef) and any(
        isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__slots__" for t in stmt.targets)
        and isinstance(stmt.value, ast.Tuple) and not stmt.value.elts
        for stmt in node.body)


def our_assigned_names(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    skipped = {id(inner) for node in ast.walk(tree) if _adds_no_attributes(node) for inner in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            if isinstance(node.value, ast.Name) and node.value.id == "self" and node.attr.startswith("_"):
                found.append((node.lineno, node.attr))
    return found


# Names Textual uses only in classes ours never derive from (checked by hand).
ALLOWED = {"_timer", "_value"}


def test_screens_and_widgets_do_not_shadow_textual_internals():
    internal = textual_private_names() - ALLOWED
    clashes = []
    for folder in ("screens", "widgets"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for line, name in our_assigned_names(ast.parse(path.read_text(encoding="utf-8"))):
                if name in internal and not name.startswith("__"):
                    clashes.append(f"{path.name}:{line}: self.{name}")
    clashes += [f"app.py:{line}: self.{name}"
                for line, name in our_assigned_names(ast.parse((ROOT / "app.py").read_text(encoding="utf-8")))
                if name in internal]
    assert not clashes, "these names are Textual's own; pick another:\n" + "\n".join(clashes)
