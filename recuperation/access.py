"""Who may do what: the roles, the rights they give, and the signed-in person's access.

Five roles describe an office's jobs, and one more is a right given to a few people:

- 管理员 ``admin``: administers the users and the settings (policy, the checklist's clauses);
- 负责人 ``head``: approves — confirms batches, closes the roll call, approves invoices, decides
  certifications — and may plan as a coordinator does;
- 协调员 ``coordinator``: plans — partners, agreements, bases, routes, batches, rosters, orders, incidents,
  questionnaires, inspections;
- 财务 ``finance``: rates, spending rules, invoices and payments;
- 查看 ``viewer``: reads everything, changes nothing (every role reads);
- 完整证件号 ``pii``: may reveal full ID numbers and phones, and print or export lists with them.

A person may hold several.  On an SQLite file the desk's own computer user holds every role (the file is the
desk's; a local file protects nothing against whoever can copy it).  On a PostgreSQL server each person signs
in with a login role of their own and holds the roles the administrator gave them; the server enforces them
(GRANTs per table, triggers for the approvals, a row policy on the audit log, a function for full numbers —
``recuperation/storage/server_access.py``), and the desk only follows them: what a person may not do is not
offered (:meth:`Access.why_not` says why).

The table :data:`RIGHTS` is the program's default, shown to the administrator and written in the README.
"""

from __future__ import annotations

from dataclasses import dataclass

from recuperation import messages

#: The roles in the order they are listed.
ROLES: tuple[str, ...] = ("admin", "head", "coordinator", "finance", "viewer", "pii")

#: right: the roles that give it.  ``read`` is every role's.
RIGHTS: dict[str, frozenset[str]] = {
    "read": frozenset(ROLES),
    "plan": frozenset({"coordinator", "head"}),
    "approve": frozenset({"head"}),
    "money": frozenset({"finance"}),
    "settings": frozenset({"admin"}),
    "users": frozenset({"admin"}),
    "full_ids": frozenset({"pii"}),
}

#: For the permission table: each right, and the tables a holder writes on the server (the grants).
RIGHT_TABLES: dict[str, tuple[str, ...]] = {
    "plan": (
        "partner",
        "agreement",
        "base",
        "certification",
        "certification_step",
        "route",
        "route_item",
        "batch",
        "batch_item",
        "lodging",
        "participant",
        "service_order",
        "roster_event",
        "waiting_entry",
        "departure_notice",
        "insurance_policy",
        "feedback_response",
        "feedback_rating",
        "incident",
        "incident_person",
        "inspection",
        "inspection_item",
    ),
    "money": (
        "rate_card",
        "rate_line",
        "spending_pack",
        "spending_rule",
        "base_invoice",
        "invoice_adjustment",
        "payment",
    ),
    "settings": ("policy_setting", "standard_clause"),
}


def role_label(role: str, language: str | None = None) -> str:
    from recuperation.labels import label

    return label("role", role, language)


def role_from_text(text: str) -> str | None:
    """A role named by its code or its label in either language (协调员, coordinator, Coordinator)."""
    from recuperation.labels import CATALOGUE

    wanted = text.strip().casefold()
    for code, (zh, en) in CATALOGUE["role"].items():
        if wanted in (code, zh.casefold(), en.casefold()):
            return code
    return None


def roles_text(roles: frozenset[str] | set[str] | tuple[str, ...], language: str | None = None) -> str:
    return messages.join([role_label(r, language) for r in ROLES if r in roles])


def roles_either(roles: frozenset[str] | set[str] | tuple[str, ...], language: str | None = None) -> str:
    """The roles any one of which will do: ``负责人或协调员``, ``Head or Coordinator``."""
    names = [role_label(r, language) for r in ROLES if r in roles]
    if len(names) <= 1:
        return "".join(names)
    english = (language or messages.language()).lower().startswith("en")
    return messages.join(names[:-1]) + (" or " if english else "或") + names[-1]


@dataclass(frozen=True)
class Access:
    """The signed-in person and what they may do.

    ``login``: the desk's user (SQLite) or the server's ``session_user``; ``roles``: the roles held;
    ``server``: the server enforces them; ``owner``: the server's superuser or the role that owns the schema
    (it ran the migrations), who holds every right.
    """

    login: str
    roles: frozenset[str]
    server: bool = False
    owner: bool = False

    def can(self, right: str) -> bool:
        if right == "users" and self.server and not self.owner:
            # On a server the schema's owner administers the logins: a colleague given 管理员 administers the
            # settings, not the server's roles (the CREATEROLE that would take is, before PostgreSQL 16, close
            # to a superuser's power).
            return False
        return bool(self.roles & RIGHTS[right])

    def why_not(self, right: str) -> str:
        """Why this person may not take an action needing ``right`` ("" when they may)."""
        if self.can(right):
            return ""
        if right == "users" and self.server and self.roles & RIGHTS[right]:
            return messages.text("access.users_owner", login=self.login)
        return messages.text(
            "access.needs", right=right_label(right), roles=roles_either(RIGHTS[right]), login=self.login
        )

    def describe(self) -> str:
        """``王芳（协调员、财务）`` for the status bar."""
        return messages.text("access.signed_in", login=self.login, roles=roles_text(self.roles) or "—")


def right_label(right: str, language: str | None = None) -> str:
    from recuperation.labels import label

    return label("right", right, language)


def everything(login: str, *, server: bool = False, owner: bool = False) -> Access:
    """Every role: the desk's own file, or the server's owner."""
    return Access(login, frozenset(ROLES), server=server, owner=owner)
