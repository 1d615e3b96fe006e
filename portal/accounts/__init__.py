"""Signing in and sessions: passwords, lockout, and who an account is."""
