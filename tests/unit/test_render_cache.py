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


def test_a_drawn_line_makes_its_cache_dictionaries_only_when_it_fills_them():
    from rich.segment import Segment
    from textual.strip import Strip

    from tui.widgets.render_cache import light_strip_caches

    one, two = Strip([Segment("hello world")]), Strip([Segment("good night")])
    assert one._crop_cache._cache is two._style_cache._cache  # the same empty one, not seven each
    assert one.crop(0, 5).text == "hello" and two.crop(0, 4).text == "good"
    assert one._crop_cache is not two._crop_cache and len(one._crop_cache) == 1 == len(two._crop_cache)
    assert one.crop(0, 5) is one.crop(0, 5)  # still cached
    assert len(two._style_cache) == 0 and two._crop_cache._cache is not one._crop_cache._cache
    assert light_strip_caches() is False  # once is enough
