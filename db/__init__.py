"""Data layer: configuration, engine and sessions, models, migrations, embedded server, seed data."""
