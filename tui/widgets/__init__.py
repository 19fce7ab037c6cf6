"""Reusable widgets. Each keeps its own DEFAULT_CSS."""
