"""Swap what a container shows, with the keyboard already on the new view when it is first drawn.

Why: a screen repaints on its own timer, even while one of its handlers is awaiting a mount. A view
drawn before its focus is set lets a person start typing at first sight, and those first keys go to
no widget at all (a test in tests/functional/test_rounds_screens.py makes it happen).
"""

from __future__ import annotations

import asyncio
import gc
from typing import Callable
from weakref import WeakKeyDictionary

from textual.widget import Widget

from .watchers import forget_closed_watchers, forget_query_answers, forget_selection_signal

Focus = str | Callable[[], Widget | None] | None
"""A selector, or a function that finds the widget once the new ones are mounted."""

_LOCKS: WeakKeyDictionary[Widget, asyncio.Lock] = WeakKeyDictionary()


async def swap_children(container: Widget, widgets: list[Widget], focus: Focus = None) -> None:
    """Replace `container`'s children with `widgets`, focus `focus`, and scroll to the top,
    all before the next frame is drawn.

    One swap at a time per container: two views asked for at once (say, two parts arriving from
    the other home together) are drawn one after the other, the later one last, so neither
    removes the other's widgets half-way (its focus would then find nothing)."""
    lock = _LOCKS.setdefault(container, asyncio.Lock())
    async with lock:
        screen = container.screen
        with container.app.batch_update():  # no frame until the new view has its focus
            for old in container.children:  # the old view's boxes, or the screen keeps them
                forget_selection_signal(old, with_children=True)
            await container.remove_children()
            forget_query_answers(container)
            forget_closed_watchers(container.app)  # an answer box watches the app's theme
            if widgets:
                await container.mount_all(widgets)
            if isinstance(focus, str):
                found = container.query(focus)
                target = found.first() if found else None
            else:
                target = focus() if focus else None
            if target is not None:
                screen.set_focus(target)
            container.scroll_home(animate=False)
        container.call_after_refresh(_collect_old_view)


def _collect_old_view() -> None:
    """Free the widgets a swap removed, once the new view is drawn. Textual's widgets hold one
    another in cycles, so only a full collection frees them, and Python's own runs rarely: over a
    12-card round (five views a card) they piled up, and the memory they had used, scattered
    among objects that stay, was never given back (about 3 MiB after one round at ten years).
    Not left for a calm moment, as a screen change's is (HearthApp._calm_collect): a person
    quick at the keys never gives one, and the round's peak stayed where it was. About 9 ms at
    twenty years (23 at most), with what home holds frozen (HearthApp._preloaded)."""
    if gc.isenabled():  # off only while a scroll is smoothed: Python collects as usual later
        gc.collect()
