"""What the launcher runs beside the app: first start, demo desks and background jobs."""
