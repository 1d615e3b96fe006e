"""Intake: a citizen's request taken in at a unit, its receipt, and the public status lookup."""
