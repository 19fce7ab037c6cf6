"""The rules of Hearth in plain Python: no Textual here, so tests can drive them directly."""
