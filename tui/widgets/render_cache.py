"""Let go of closed widgets' rendered lines, which Textual 8.2 keeps for as long as 1,024 more
widgets have been drawn.

`StylesCache.get_inner_outer` (textual/_styles_cache.py) is an `lru_cache` on an instance method,
so every widget's StylesCache is a key of one class-wide cache, and with it every line the widget
last drew (each line a Strip with its own small caches). The widgets themselves go, their lines
stay: after one 12-card round at ten years that was 12 MiB. The answer depends only on the two
colours, so it is cached on those alone. Reported upstream with the reproduction in the report of
issue 17; where Textual has fixed it (no cache on the method), nothing is changed."""

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
