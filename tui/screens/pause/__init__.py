"""Pause and repair: the time-out, its countdown, the check-in, the guided repair and the log."""
