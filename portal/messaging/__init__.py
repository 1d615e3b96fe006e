"""Sending what the outbox holds: adapters, the worker, templates, the bell."""
