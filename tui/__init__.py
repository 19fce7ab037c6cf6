"""Hearth: a calm terminal companion for couples."""

__version__ = "0.1.0"
