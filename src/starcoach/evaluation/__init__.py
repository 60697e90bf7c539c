"""Measuring the coach against the labelled corpus in `corpus/` (a source checkout only)."""
