"""Let go of removed widgets' watchers, which Textual 8.2 keeps (and with them the widgets).

`widget.watch(other, "name", callback)` (and `data_bind`, which uses it) puts (widget, callback)
in a list on `other`. Textual drops an entry only when `other.name` next changes, and only if the
widget is closing by then. On a long-lived object that can be never: Footer binds every key it
composes to its own `compact` and recomposes at every change of keys (each focus move, each step
of a round), Header watches the app's `title` and `sub_title`, TextArea the app's `theme`. After
one 12-card round 1,171-1,451 removed FooterKeys were still alive with 49 widgets on screen.

The same holds for a screen's `text_selection_started_signal`: every TextArea and Input subscribes
to it when mounted with a callback that holds the widget itself, in a WeakKeyDictionary keyed by
that widget, and nothing unsubscribes it. A removed answer box, with its whole undo history, lived
as long as its screen: over a round, every card's two boxes (forget_selection_signal). And each
node's cache of `query_one` answers (a 1,024-entry LRU, keyed by a count of changes below it)
keeps the widgets it found after they are removed, until newer answers push them out
(forget_query_answers)."""

from __future__ import annotations

from textual.dom import DOMNode, NoScreen
from textual.widget import Widget

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


def forget_selection_signal(widget: Widget, *, with_children: bool = False) -> None:
    """Unsubscribe `widget` (and, with `with_children`, everything in it) from its screen's
    text-selection signal, so that removing it lets it go (see above). Public Textual API only."""
    try:
        signal = widget.screen.text_selection_started_signal
    except NoScreen:
        return
    signal.unsubscribe(widget)
    if with_children:
        for node in widget.walk_children(with_self=False):
            signal.unsubscribe(node)


def forget_query_answers(node: DOMNode) -> None:
    """Empty the `query_one` caches of `node` and of every node above it, once widgets under it
    were removed: their old answers (the widgets) would otherwise stay alive (see above). Textual
    8.2 has no public way to do this; without the attribute this does nothing."""
    for holder in (node, *node.ancestors):
        cache = getattr(holder, "_query_one_cache", None)
        if cache is not None:
            cache.clear()
