"""Field checks for forms, reusing the core's rules so a form and the service never disagree."""

from __future__ import annotations

from recuperation.errors import DomainError
from recuperation.services.partners import check_phone, check_uscc


def uscc_problem(value: object, name: object = "") -> str | None:
    """Why a credit code is refused, naming the partner as typed in the form (新合作单位 while unnamed)."""
    try:
        check_uscc(str(name or ""), str(value))
    except DomainError as exc:
        return exc.message
    return None


def phone_problem(value: object) -> str | None:
    """Why a phone is refused; the message names no record (it shows under the field of any form)."""
    try:
        check_phone("partner", "", str(value))
    except DomainError as exc:
        return exc.message
    return None


def id_problem(value: object) -> str | None:
    """The reason an ID number is refused (GB 11643), or None."""
    from recuperation import messages
    from recuperation.people import check_id

    verdict = check_id(value)
    if verdict.error:
        key, params = verdict.error
        return messages.text(key, **params)
    return None
