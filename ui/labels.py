"""How the core's codes read on screen: the core's one label catalogue (``recuperation/labels.py``) in the
language the window shows (``ui/i18n.py`` sets it for the core's messages too).  These functions only name
the enumerations for the pages; no label is defined here."""

from __future__ import annotations

from recuperation.labels import labels


def partner_kinds() -> dict[str, str]:
    return labels("partner_kind")


def base_kinds() -> dict[str, str]:
    return labels("base_kind")


def cert_levels() -> dict[str, str]:
    return labels("cert_level")


def cert_statuses() -> dict[str, str]:
    return labels("cert_status")


def cert_steps() -> dict[str, str]:
    return labels("cert_step")


def themes() -> dict[str, str]:
    return labels("theme")


def item_kinds() -> dict[str, str]:
    return labels("item_kind")


def batch_kinds() -> dict[str, str]:
    return labels("batch_kind")


def batch_statuses() -> dict[str, str]:
    return labels("batch_status")


def agreement_states() -> dict[str, str]:
    return labels("agreement_state")


def base_cert_states() -> dict[str, str]:
    return labels("base_cert_state")


def rate_kinds() -> dict[str, str]:
    return labels("rate_kind")


def rate_units() -> dict[str, str]:
    return labels("rate_unit")


def room_types() -> dict[str, str]:
    return labels("room_type")


def sexes() -> dict[str, str]:
    return labels("sex")


def charge_bases() -> dict[str, str]:
    return labels("charge_basis")


def rule_kinds() -> dict[str, str]:
    return labels("rule_kind")


def rule_modes() -> dict[str, str]:
    return labels("rule_mode")


def settlement_states() -> dict[str, str]:
    return labels("settlement_state")


def dimensions() -> dict[str, str]:
    return labels("dimension")


def incident_kinds() -> dict[str, str]:
    return labels("incident_kind")


def severities() -> dict[str, str]:
    return labels("severity")


def elements() -> dict[str, str]:
    return labels("element")


def strengths() -> dict[str, str]:
    return labels("strength")


def inspection_kinds() -> dict[str, str]:
    return labels("inspection_kind")


def clause_results() -> dict[str, str]:
    return labels("clause_result")


def trends() -> dict[str, str]:
    return labels("trend")


def review_flags() -> dict[str, str]:
    return labels("review_flag")
