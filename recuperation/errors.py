"""Domain errors: a rule or an input that was refused, with a message fit for the user."""

from __future__ import annotations

from recuperation import messages


class DomainError(Exception):
    """A refusal that the user can act on.

    ``key`` and ``params`` name a message of :mod:`recuperation.messages`; ``field`` names the input field
    concerned (so a form can show the message at the field) and ``record`` the record concerned.
    """

    def __init__(
        self, message_key: str, *, field: str | None = None, record: str | None = None, **params: object
    ):
        self.key = message_key
        self.params = params
        self.field = field
        self.record = record
        super().__init__(message_key)

    @property
    def message(self) -> str:
        return messages.text(self.key, **self.params)

    def __str__(self) -> str:
        return self.message


class ValidationError(DomainError):
    """An input value that breaks a rule; nothing was written."""


class NotFoundError(DomainError):
    """The record asked for does not exist (any more)."""


class StaleEditError(DomainError):
    """The record changed since the user loaded it; the save was refused so nothing is overwritten."""


class RuleViolation(DomainError):
    """A business rule (capacity, dates, policy) refuses the operation."""


class DatabaseOpenError(DomainError):
    """The database cannot be opened (missing, not SQLite, not ours, newer than this program)."""


class AccessDenied(DomainError):
    """The signed-in person lacks the right for this (refused by the server, or not offered by the desk);
    nothing was changed."""
