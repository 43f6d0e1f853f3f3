"""The README's permission table is the program's (recuperation/access.py): each right, the roles that give it,
and what a holder writes on a server (the grants of storage/server_access.py)."""

from __future__ import annotations

from pathlib import Path

from recuperation.access import RIGHT_TABLES, RIGHTS, ROLES, right_label, role_label
from recuperation.storage.server_access import EXTRA_GRANTS, REVEAL_FUNCTION

ROOT = Path(__file__).resolve().parents[1]

#: What a right that writes no table of its own amounts to on a server (the README's words).
NOTES = {
    "read": "SELECT on every table",
    "approve": "the triggers let only 负责人 confirm a batch, close or reopen its roll call, approve an invoice, "
    "decide a certification",
    "users": "login roles and their membership of this database's groups (CREATEROLE)",
    "full_ids": f"full numbers only through `{REVEAL_FUNCTION}(participant_id)`, which writes the audit entry",
}


def permission_table() -> str:
    """The table as the README writes it, made from ``RIGHTS``, ``RIGHT_TABLES`` and ``EXTRA_GRANTS``."""
    head = " | ".join(f"{role_label(r, 'zh')}<br>{role_label(r, 'en')}" for r in ROLES)
    lines = [
        f"| Right · 权限 | {head} | On a server a holder writes |",
        "|---|" + ":-:|" * len(ROLES) + "---|",
    ]
    for right, roles in RIGHTS.items():
        marks = " | ".join("✓" if r in roles else " " for r in ROLES)
        writes = [f"`{t}`" for t in RIGHT_TABLES.get(right, ())]
        writes += [f"`{t}` ({grant})" for t, grant, holder in EXTRA_GRANTS if holder == right]
        said = "; ".join(part for part in (", ".join(writes), NOTES.get(right, "")) if part)
        name = f"`{right}`: {right_label(right, 'en')} · {right_label(right, 'zh').split('（')[0]}"
        lines.append(f"| {name} | {marks} | {said} |")
    return "\n".join(lines) + "\n"


def test_the_readme_permission_table_is_the_programs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert permission_table() in readme, "README.md: paste tests/test_readme_roles.permission_table()"
