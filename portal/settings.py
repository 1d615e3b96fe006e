"""Rules of the programme that the city may tune (kept here until the settings page exists)."""

import datetime as dt

# A case turns yellow when its due date is at most this many working days away.
YELLOW_WORKING_DAYS = 1

# Whether agents may assign cases to colleagues of their own unit (managers always may).
AGENTS_MAY_ASSIGN = True

# How often `python -m portal run` records the supervision notices that have fallen due.
SUPERVISION_SWEEP_MINUTES = 10

# Office hours on a working day, for the hand-off acceptance limit.
OFFICE_HOURS = ((dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 0), dt.time(17, 0)))

# A hand-off not answered within this many office hours is flagged to both units and managers.
ACCEPT_WITHIN_WORKING_HOURS = 4

# Hand-offs (or returns) of one case after which it is marked bounced.
BOUNCED_AFTER_HANDOFFS = 3
BOUNCED_AFTER_RETURNS = 2

# The dashboard redraws its figures this often; every viewer of one scope shares one query
# of them, at most DASHBOARD_CACHE_SECONDS old.
DASHBOARD_REFRESH_SECONDS = 10
DASHBOARD_CACHE_SECONDS = 5

# Rankings leave out units and people who handled fewer cases than this in the period.
LEAGUE_MIN_CASES = 20
