"""Casework: the queues and every action on a case while a unit works it."""
