"""Screens shared by several activities: the privacy curtain between turns, and a short question."""
