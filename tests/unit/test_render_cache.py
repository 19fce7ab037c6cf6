"""Issue 17: a closed widget's rendered lines are not kept by Textual's colour cache."""

from __future__ import annotations

import gc
import weakref

from textual._styles_cache import StylesCache
from textual.color import Color

import tui.app  # noqa: F401  (installs the fix, as the app does)
from tui.widgets.render_cache import cache_colours_not_widgets


def test_a_styles_cache_is_not_kept_alive_by_the_colours_it_asked_for():
    cache = StylesCache()
    inner, outer = cache.get_inner_outer(Color(10, 20, 30), Color(40, 50, 60, 0.5))
    assert (inner, outer) == StylesCache().get_inner_outer(Color(10, 20, 30), Color(40, 50, 60, 0.5))
    gone = weakref.ref(cache)
    del cache
    gc.collect()
    assert gone() is None
    assert cache_colours_not_widgets() is False  # once is enough
