"""Parsing a screen's widget styles ahead, while home sits idle.

Textual parses a widget class's DEFAULT_CSS the first time one of them mounts, on the key that
opens the screen: for the round setup that was a fifth of its first open (issue 17). Parsed here
ahead, the open finds them parsed. The sources are added to the stylesheet as mounting a widget
adds them (Widget._post_register), so that a base class's place among them (its tie breaker,
which a deeper class lowers, and which is part of the parse cache's key) is settled too: else the
open parsed Widget's and Static's styles again. Scoped to their own classes, the added rules
style nothing until those widgets mount.
"""

from __future__ import annotations

from types import SimpleNamespace

from textual.app import App
from textual.dom import DOMNode


def parse_ahead(app: App, *classes: type[DOMNode]) -> None:
    """Add the DEFAULT_CSS of `classes` (and of their bases) to the app's stylesheet, parsed."""
    sheet = app.stylesheet
    for cls in classes:
        node = SimpleNamespace(_node_bases=DOMNode._css_bases(cls))
        for read_from, css, tie_breaker, scope in DOMNode._get_default_css(node):  # type: ignore[arg-type]
            sheet.add_source(css, read_from=read_from, is_default_css=True, tie_breaker=tie_breaker, scope=scope)
    sheet.parse()
