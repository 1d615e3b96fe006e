"""Named domain errors. Each carries a message key so pages can show it in the user's language."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the action; `key` names the message to show."""

    key = "error.domain"

    def __init__(self, key: str | None = None, **params: object) -> None:
        self.key = key or type(self).key
        self.params = params
        super().__init__(f"{self.key} {params}" if params else self.key)


class InvalidTransition(DomainError):
    key = "error.invalid_transition"


class NotPermitted(DomainError):
    key = "error.not_permitted"


class StaleCase(DomainError):
    """Someone else changed the case since the user saw it."""

    key = "error.stale_case"


class NotFound(DomainError):
    key = "error.not_found"


class InvalidInput(DomainError):
    """One or more fields are invalid; `errors` maps each field to its message key, and
    `params` a field to its message's parameters (a number it names)."""

    key = "error.invalid_input"

    def __init__(self, errors: dict[str, str],
                 params: dict[str, dict[str, object]] | None = None) -> None:
        self.errors, self.field_params = errors, params or {}
        super().__init__(fields=", ".join(errors))
