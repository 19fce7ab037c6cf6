"""Screens shared by several activities: the privacy curtain between turns."""
