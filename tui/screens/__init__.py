"""Screens: thin Textual layers over tui.core (rules) and tui.store (saving)."""
