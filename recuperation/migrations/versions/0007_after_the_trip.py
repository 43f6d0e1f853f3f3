"""after the trip: feedback, incidents and inspections against the standard's clauses

Tables feedback_response (a returned questionnaire of a batch) and feedback_rating (its stars per base or the
route and dimension); incident and incident_person (what went wrong, who); standard_clause (the office's
checklist, kept as data); inspection and inspection_item (a visit to a base, each clause as it read that day).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _versioned() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
    ]


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "standard_clause",
        *_versioned(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("standard", sa.String(length=60), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("element", sa.String(length=20), nullable=False),
        sa.Column("requirement", sa.String(length=1000), nullable=False),
        sa.Column("strength", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "element IN ('concept', 'entry', 'infrastructure', 'resources', 'safety', 'service')",
            name="ck_standard_clause_element",
        ),
        sa.CheckConstraint("strength IN ('shall', 'should')", name="ck_standard_clause_strength"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("standard", "code", name="uq_standard_clause_code"),
    )
    op.create_table(
        "inspection",
        *_versioned(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=False),
        sa.Column("certification_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("standard", sa.String(length=60), nullable=False),
        sa.Column("inspectors", sa.String(length=200), nullable=False),
        sa.Column("conclusion", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('site_inspection', 'recheck', 'routine')", name="ck_inspection_kind"),
        sa.ForeignKeyConstraint(["base_id"], ["base.id"]),
        sa.ForeignKeyConstraint(["certification_id"], ["certification.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("inspection", "base_id", "certification_id")
    op.create_table(
        "inspection_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("clause_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("element", sa.String(length=20), nullable=False),
        sa.Column("requirement", sa.String(length=1000), nullable=False),
        sa.Column("strength", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=10), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "result IS NULL OR result IN ('met', 'not_met', 'na')", name="ck_inspection_item_result"
        ),
        sa.CheckConstraint("strength IN ('shall', 'should')", name="ck_inspection_item_strength"),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspection.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["clause_id"], ["standard_clause.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("inspection_id", "code", name="uq_inspection_item_code"),
    )
    _index("inspection_item", "inspection_id")
    op.create_table(
        "feedback_response",
        *_versioned(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("sheet_no", sa.Integer(), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("respondent", sa.String(length=40), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.CheckConstraint("sheet_no IS NULL OR sheet_no >= 1", name="ck_feedback_response_sheet"),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.id"]),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_id", "sheet_no", name="uq_feedback_response_sheet"),
    )
    _index("feedback_response", "batch_id")
    op.create_table(
        "feedback_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=True),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "dimension IN ('lodging', 'food', 'activities', 'guide', 'transport', 'safety', 'overall')",
            name="ck_feedback_rating_dimension",
        ),
        sa.CheckConstraint("stars >= 1 AND stars <= 5", name="ck_feedback_rating_stars"),
        sa.ForeignKeyConstraint(["response_id"], ["feedback_response.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["base_id"], ["base.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("feedback_rating", "response_id", "base_id")
    op.create_table(
        "incident",
        *_versioned(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("base_id", sa.Integer(), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("others", sa.String(length=400), nullable=False),
        sa.Column("action_taken", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("follow_up", sa.Text(), nullable=False),
        sa.Column("follow_up_due", sa.Date(), nullable=True),
        sa.Column("reported_by", sa.String(length=80), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.String(length=80), nullable=False),
        sa.CheckConstraint(
            "kind IN ('injury', 'illness', 'complaint', 'lost_property', 'transport_delay', 'other')",
            name="ck_incident_kind",
        ),
        sa.CheckConstraint("severity IN ('minor', 'moderate', 'serious')", name="ck_incident_severity"),
        sa.CheckConstraint("closed_on IS NULL OR closed_on >= occurred_on", name="ck_incident_closed"),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.id"]),
        sa.ForeignKeyConstraint(["base_id"], ["base.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("incident", "batch_id", "base_id")
    op.create_table(
        "incident_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("incident_id", "participant_id", name="uq_incident_person"),
    )
    _index("incident_person", "incident_id", "participant_id")


def downgrade() -> None:
    for table in (
        "incident_person",
        "incident",
        "feedback_rating",
        "feedback_response",
        "inspection_item",
        "inspection",
        "standard_clause",
    ):
        op.drop_table(table)
