"""Agreements: the list, one agreement, the editor, consent and versions."""
