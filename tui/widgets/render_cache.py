"""Let go of closed widgets' rendered lines, which Textual 8.2 keeps for as long as 1,024 more
widgets have been drawn.

`StylesCache.get_inner_outer` (textual/_styles_cache.py) is an `lru_cache` on an instance method,
so every widget's StylesCache is a key of one class-wide cache, and with it every line the widget
last drew (each line a Strip with its own small caches). The widgets themselves go, their lines
stay: after one 12-card round at ten years that was 12 MiB. The answer depends only on the two
colours, so it is cached on those alone. Reported upstream with the reproduction in the report of
issue 17; where Textual has fixed it (no cache on the method), nothing is changed.

Also here: drawn lines' own caches made lighter (light_strip_caches)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from textual._styles_cache import StylesCache


def cache_colours_not_widgets() -> bool:
    """Replace the cache keyed by (StylesCache, colour, colour) with one keyed by the colours.
    True if it was needed (and done)."""
    method = StylesCache.__dict__.get("get_inner_outer")
    original = getattr(method, "__wrapped__", None)
    if original is None or not hasattr(method, "cache_clear"):
        return False

    @lru_cache(1024)
    def by_colours(base_background: Any, background: Any) -> Any:
        return original(StylesCache, base_background, background)  # its first argument is unused

    def get_inner_outer(self: StylesCache, base_background: Any, background: Any) -> Any:
        return by_colours(base_background, background)

    get_inner_outer.__doc__ = original.__doc__
    StylesCache.get_inner_outer = get_inner_outer  # type: ignore[method-assign]
    method.cache_clear()  # the StylesCaches it held can go now
    return True


#: What every drawn line's unused caches share until one of them is first filled.
_NO_ENTRIES: dict[Any, Any] = {}


def light_strip_caches() -> bool:
    """Give each drawn line (a Textual `Strip`, which makes seven small caches of its own) caches
    that make their dictionary only when first filled. Most of a line's caches stay empty: at a
    round's summary that was about 4,300 empty dictionaries; lazily, home and a round's peak take
    about 0.5 MiB less at ten years. Done only where Textual's `FIFOCache` is as this code knows
    it (a `_cache` dict that only `set` fills). True if it was done now."""
    import textual.strip
    from textual.cache import FIFOCache

    if textual.strip.FIFOCache is not FIFOCache or "_cache" not in getattr(FIFOCache, "__slots__", ()):
        return False
    fill = FIFOCache.set

    class LazyFIFOCache(FIFOCache):  # type: ignore[misc]
        """A FIFOCache whose dictionary is made by its first entry."""

        __slots__ = ()

        def __init__(self, maxsize: int) -> None:
            self._maxsize = maxsize
            self._cache = _NO_ENTRIES  # only read (get, in, len, keys) or cleared until set
            self.hits = 0
            self.misses = 0

        def set(self, key: Any, value: Any) -> None:
            if self._cache is _NO_ENTRIES:
                self._cache = {}
            fill(self, key, value)

        __setitem__ = set

    textual.strip.FIFOCache = LazyFIFOCache  # type: ignore[misc]
    return True
