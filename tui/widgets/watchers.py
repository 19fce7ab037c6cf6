"""Let go of removed widgets' watchers, which Textual 8.2 keeps (and with them the widgets).

`widget.watch(other, "name", callback)` (and `data_bind`, which uses it) puts (widget, callback)
in a list on `other`. Textual drops an entry only when `other.name` next changes, and only if the
widget is closing by then. On a long-lived object that can be never: Footer binds every key it
composes to its own `compact` and recomposes at every change of keys (each focus move, each step
of a round), Header watches the app's `title` and `sub_title`, TextArea the app's `theme`. After
one 12-card round 1,171-1,451 removed FooterKeys were still alive with 49 widgets on screen."""

from __future__ import annotations

from textual.dom import DOMNode

WATCHERS = "__watchers"  # the attribute textual.reactive._watch keeps them in


def forget_closed_watchers(holder: DOMNode) -> None:
    """Drop the watchers on `holder` whose widget has been removed (is closing or closed), as
    Textual itself does when the watched value changes (reactive.Reactive._check_watchers)."""
    lists = getattr(holder, WATCHERS, None)
    if not lists:
        return
    for entries in lists.values():
        if any(owner._closing or owner._closed for owner, _ in entries):
            entries[:] = [(owner, callback) for owner, callback in entries
                          if not (owner._closing or owner._closed)]
