"""What IT staff run: units, users, the service catalogue, the calendar, ledgers, changes."""
