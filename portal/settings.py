"""Rules of the programme that the city may tune (kept here until the settings page exists)."""

# A case turns yellow when its due date is at most this many working days away.
YELLOW_WORKING_DAYS = 1

# Whether agents may assign cases to colleagues of their own unit (managers always may).
AGENTS_MAY_ASSIGN = True

# How often `python -m portal run` records the supervision notices that have fallen due.
SUPERVISION_SWEEP_MINUTES = 10
