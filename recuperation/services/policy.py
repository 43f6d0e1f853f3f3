"""Policy settings: the configurable values behind the rules (docs/domain.md), and the union's own details."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import select

from recuperation import messages
from recuperation.errors import ValidationError
from recuperation.labels import label, labels
from recuperation.models import Dimension, PolicySetting
from recuperation.services.common import audit, now
from recuperation.storage.database import Database

DEFAULTS: dict[str, str] = {
    "max_days": "5",  # days of a batch including travel
    "eligibility_cycle_days": "365",  # the same person again within this many days is a warning
    "quota_mode": "warn",  # exceeding an agreement's quota: "warn" or "refuse"
    "order_mode": "refuse",  # confirming a batch whose bases have not confirmed its orders: "warn" or "refuse"
    "order_answer_days": "3",  # an order waiting longer than this for the base's answer is on the overview
    "union_name": "建德市总工会",
    "union_address": "",
    "pdf_font": "",  # a TrueType font file chosen for PDFs; empty: the system's Chinese fonts
    # a worker category's least share of the people: "一线职工:90" (category:percent); empty: no rule
    "category_share": "",
    # where the share is measured: "batch" (each recuperation batch's roster, a finding on the batch) or
    # "partner_year" (a partner's rosters of the year, an alert); empty: no rule
    "category_share_scope": "",
    # the dimensions questionnaires ask about, in order (codes of models.Dimension, comma-separated)
    "feedback_dimensions": "lodging,food,activities,guide,safety,overall",
    # a base is flagged for review when its overall rating of a year is below this (stars, one decimal) …
    "review_min_overall": "4.0",
    # … on at least this many answers (fewer answers say too little to flag a base)
    "review_min_responses": "30",
    # people's identifying data is anonymised this many whole years after their batch ended (privacy purge)
    "retention_years": "3",
}

SHARE_SCOPES = ("batch", "partner_year")

QUOTA_MODES = ("warn", "refuse")

#: The longest retention the policy takes (years); 0 lets a batch's people be anonymised once it has ended.
MAX_RETENTION_YEARS = 100


@dataclass(frozen=True)
class Policy:
    max_days: int
    eligibility_cycle_days: int
    quota_mode: str
    union_name: str
    union_address: str
    pdf_font: str = ""
    order_mode: str = "refuse"
    order_answer_days: int = 3
    category_share: str = ""
    category_share_scope: str = ""
    feedback_dimensions: tuple[str, ...] = ("lodging", "food", "activities", "guide", "safety", "overall")
    review_min_overall_tenths: int = 40  # 4.0 stars
    review_min_responses: int = 30
    retention_years: int = 3  # years after a batch ends before its people may be anonymised

    def value_of(self, key: str) -> object:
        """A setting as a form shows it (a key of :data:`DEFAULTS`): the feedback dimensions as their labels in
        the messages' language, listed as the language lists (、 or a comma); the review line as stars with one decimal; else the value."""
        if key == "feedback_dimensions":
            return messages.join([label("dimension", code) for code in self.feedback_dimensions])
        if key == "review_min_overall":
            return f"{self.review_min_overall_tenths / 10:.1f}"
        return getattr(self, key)

    @property
    def share_rule(self) -> tuple[str, int] | None:
        """The worker category and its least share in percent, or None when no rule is set."""
        if not self.category_share or not self.category_share_scope:
            return None
        category, _, percent = self.category_share.rpartition(":")
        return category, int(percent)


def _from_values(values: dict[str, str]) -> Policy:
    merged = {**DEFAULTS, **values}
    return Policy(
        max_days=int(merged["max_days"]),
        eligibility_cycle_days=int(merged["eligibility_cycle_days"]),
        quota_mode=merged["quota_mode"],
        union_name=merged["union_name"],
        union_address=merged["union_address"],
        pdf_font=merged["pdf_font"],
        order_mode=merged["order_mode"],
        order_answer_days=int(merged["order_answer_days"]),
        category_share=merged["category_share"],
        category_share_scope=merged["category_share_scope"],
        feedback_dimensions=tuple(d for d in merged["feedback_dimensions"].split(",") if d),
        review_min_overall_tenths=round(float(merged["review_min_overall"]) * 10),
        review_min_responses=int(merged["review_min_responses"]),
        retention_years=int(merged["retention_years"]),
    )


def load_policy(session: object) -> Policy:
    """The policy as seen inside an open session (services call this within their transaction)."""
    rows = session.exec(select(PolicySetting)).all()  # type: ignore[attr-defined]
    return _from_values({row.key: row.value for row in rows})


def get_policy(db: Database) -> Policy:
    """The policy in force: stored values over the defaults."""
    with db.session() as session:
        return load_policy(session)


def _validate(key: str, value: str) -> str:
    if key not in DEFAULTS:
        raise ValidationError(
            "field.bad_choice",
            field="key",
            kind=messages.kind_label("policy_setting"),
            label=messages.field_label("setting"),
            value=key,
            choices=", ".join(DEFAULTS),
        )
    if key == "feedback_dimensions":
        return _dimensions(key, value)
    if key == "review_min_overall":
        return _stars(key, value)
    if key in ("max_days", "eligibility_cycle_days", "order_answer_days", "review_min_responses"):
        if not value.strip().isdecimal() or int(value) < 1:
            raise ValidationError("cli.bad_int", field=key, value=value)
        return str(int(value))
    if key == "retention_years":
        if not value.strip().isdecimal() or int(value) > MAX_RETENTION_YEARS:
            raise ValidationError("policy.retention_years", field=key, value=value, max=MAX_RETENTION_YEARS)
        return str(int(value))
    if key in ("quota_mode", "order_mode") and value not in QUOTA_MODES:
        raise ValidationError(
            "field.bad_choice",
            field=key,
            kind=messages.kind_label("policy_setting"),
            label=key,
            value=value,
            choices=", ".join(QUOTA_MODES),
        )
    if key == "category_share" and value.strip():
        category, colon, percent = value.strip().replace("：", ":").rpartition(":")
        digits = percent.strip()
        if not colon or not category.strip() or not digits.isdecimal() or not 1 <= int(digits) <= 100:
            raise ValidationError("policy.category_share", field=key, value=value)
        return f"{category.strip()}:{int(digits)}"
    if key == "category_share_scope" and value.strip() not in ("", *SHARE_SCOPES):
        raise ValidationError(
            "field.bad_choice",
            field=key,
            kind=messages.kind_label("policy_setting"),
            label=key,
            value=value,
            choices=", ".join(SHARE_SCOPES),
        )
    return value.strip()


def _dimensions(key: str, value: str) -> str:
    """Codes of models.Dimension in the order given, each once, from codes or their labels (Chinese or
    English, any case) separated by commas, 、, semicolons or spaces; the overall one among them (the review
    line of the scorecard is drawn on it)."""
    words = {code: code for code in Dimension.values()}
    for language in ("zh", "en"):
        words.update({name.casefold(): code for code, name in labels("dimension", language).items()})
    codes: list[str] = []
    for part in re.split(r"[,，、;；\s]+", value.strip()):
        if not part:
            continue
        code = words.get(part.casefold())
        if code is None:
            raise ValidationError(
                "policy.dimension",
                field=key,
                value=part,
                choices=messages.join(list(labels("dimension").values())),
            )
        if code not in codes:
            codes.append(code)
    if not codes:
        raise ValidationError(
            "policy.dimension",
            field=key,
            value=value,
            choices=messages.join(list(labels("dimension").values())),
        )
    if Dimension.OVERALL.value not in codes:  # the scorecard's review line reads the overall stars
        raise ValidationError("policy.dimension_overall", field=key, overall=label("dimension", "overall"))
    return ",".join(codes)


def _stars(key: str, value: str) -> str:
    """Stars from 1.0 to 5.0 with at most one decimal, stored as written with one decimal."""
    text = value.strip()
    try:
        tenths = float(text) * 10
    except ValueError:
        tenths = -1.0
    if tenths != round(tenths) or not 10 <= tenths <= 50:
        raise ValidationError("policy.stars", field=key, value=value)
    return f"{round(tenths) / 10:.1f}"


def set_policy(db: Database, values: dict[str, str]) -> Policy:
    """Store policy values (all or nothing), each change recorded in the audit log."""
    cleaned = {key: _validate(key, str(value)) for key, value in values.items()}
    with db.session(write=True) as session:
        existing = {row.key: row for row in session.exec(select(PolicySetting)).all()}
        for key, value in cleaned.items():
            row = existing.get(key)
            old = row.value if row else DEFAULTS[key]
            if old == value:
                continue
            if row is None:
                session.add(PolicySetting(key=key, value=value, updated_by=db.user, updated_at=now()))
            else:
                row.value = value
                row.version += 1
                row.updated_by = db.user
                row.updated_at = now()
            audit(session, db.user, "update", "policy_setting", None, key, "value", old, value)
        session.flush()
        return load_policy(session)
