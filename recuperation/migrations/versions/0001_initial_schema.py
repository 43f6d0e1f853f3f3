"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 01:51:51.658502
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("record_label", sa.String(length=120), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_record", ["table_name", "record_id"], unique=False)

    op.create_table(
        "base",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("township", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("contact_name", sa.String(length=40), nullable=False),
        sa.Column("contact_phone", sa.String(length=20), nullable=False),
        sa.Column("beds", sa.Integer(), nullable=False),
        sa.Column("rooms", sa.Integer(), nullable=False),
        sa.Column("dining_seats", sa.Integer(), nullable=False),
        sa.Column("meeting_seats", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('hotel', 'homestay', 'scenic', 'farm', 'training_centre', 'enterprise')",
            name="ck_base_kind",
        ),
        sa.CheckConstraint(
            "beds >= 0 AND rooms >= 0 AND dining_seats >= 0 AND meeting_seats >= 0", name="ck_base_counts"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("base", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_base_name"), ["name"], unique=True)

    op.create_table(
        "partner",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("region", sa.String(length=60), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("contact_name", sa.String(length=40), nullable=False),
        sa.Column("contact_phone", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('enterprise', 'university', 'union', 'government', 'other')", name="ck_partner_kind"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uscc"),
    )
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_name"), ["name"], unique=True)

    op.create_table(
        "policy_setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "route",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("theme", sa.String(length=20), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("nights", sa.Integer(), nullable=False),
        sa.Column("price_fen", sa.Integer(), nullable=True),
        sa.Column("season", sa.String(length=40), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "theme IN ('leisure', 'fitness', 'study', 'heritage', 'wellness')", name="ck_route_theme"
        ),
        sa.CheckConstraint("days >= 1 AND nights >= 0 AND nights <= days", name="ck_route_days"),
        sa.CheckConstraint("price_fen IS NULL OR price_fen >= 0", name="ck_route_price"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("route", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_route_name"), ["name"], unique=False)

    op.create_table(
        "agreement",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("quota_batches", sa.Integer(), nullable=True),
        sa.Column("quota_people", sa.Integer(), nullable=True),
        sa.Column("price_fen", sa.Integer(), nullable=True),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.Column("scan_path", sa.String(length=400), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.CheckConstraint("price_fen IS NULL OR price_fen >= 0", name="ck_agreement_price"),
        sa.CheckConstraint("quota_batches IS NULL OR quota_batches >= 0", name="ck_agreement_quota_batches"),
        sa.CheckConstraint("quota_people IS NULL OR quota_people >= 0", name="ck_agreement_quota_people"),
        sa.CheckConstraint("valid_to >= valid_from", name="ck_agreement_term"),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_partner_id"), ["partner_id"], unique=False)

    op.create_table(
        "certification",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("certificate_no", sa.String(length=40), nullable=True),
        sa.Column("applied_on", sa.Date(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("recheck_due", sa.Date(), nullable=True),
        sa.CheckConstraint("level IN ('provincial', 'hangzhou', 'county')", name="ck_cert_level"),
        sa.CheckConstraint(
            "status IN ('applied', 'first_review', 'site_inspection', 'certified', 'rechecked', 'expired', 'revoked', 'rejected')",
            name="ck_cert_status",
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="ck_cert_term"
        ),
        sa.ForeignKeyConstraint(
            ["base_id"],
            ["base.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("certificate_no"),
    )
    with op.batch_alter_table("certification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certification_base_id"), ["base_id"], unique=False)

    op.create_table(
        "route_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("route_id", sa.Integer(), nullable=False),
        sa.Column("day_no", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("time_of_day", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("activity", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('activity', 'breakfast', 'lunch', 'dinner', 'lodging')", name="ck_route_item_kind"
        ),
        sa.CheckConstraint("day_no >= 1", name="ck_route_item_day"),
        sa.ForeignKeyConstraint(
            ["base_id"],
            ["base.id"],
        ),
        sa.ForeignKeyConstraint(
            ["route_id"],
            ["route.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("route_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_route_item_route_id"), ["route_id"], unique=False)

    op.create_table(
        "batch",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("route_id", sa.Integer(), nullable=True),
        sa.Column("arrival", sa.Date(), nullable=False),
        sa.Column("departure", sa.Date(), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("leader", sa.String(length=40), nullable=False),
        sa.Column("leader_phone", sa.String(length=20), nullable=False),
        sa.Column("guide", sa.String(length=40), nullable=False),
        sa.Column("vehicle", sa.String(length=40), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.Column("cancel_reason", sa.String(length=400), nullable=False),
        sa.CheckConstraint("kind IN ('recuperation', 'training', 'conference')", name="ck_batch_kind"),
        sa.CheckConstraint(
            "status IN ('planned', 'confirmed', 'in_progress', 'completed', 'cancelled')",
            name="ck_batch_status",
        ),
        sa.CheckConstraint("departure >= arrival", name="ck_batch_dates"),
        sa.CheckConstraint("headcount >= 0", name="ck_batch_headcount"),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreement.id"],
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
        ),
        sa.ForeignKeyConstraint(
            ["route_id"],
            ["route.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batch_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index("ix_batch_arrival", ["arrival"], unique=False)
        batch_op.create_index(batch_op.f("ix_batch_partner_id"), ["partner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_batch_route_id"), ["route_id"], unique=False)

    op.create_table(
        "certification_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certification_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("responsible", sa.String(length=40), nullable=False),
        sa.Column("notes", sa.String(length=1000), nullable=False),
        sa.CheckConstraint(
            "step IN ('application', 'first_review', 'site_inspection', 'certified', 'recheck', 'expired', 'revoked', 'rejected')",
            name="ck_cert_step",
        ),
        sa.ForeignKeyConstraint(
            ["certification_id"],
            ["certification.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("certification_step", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_step_certification_id"), ["certification_id"], unique=False
        )

    op.create_table(
        "batch_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("time_of_day", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("activity", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('activity', 'breakfast', 'lunch', 'dinner', 'lodging')", name="ck_batch_item_kind"
        ),
        sa.ForeignKeyConstraint(
            ["base_id"],
            ["base.id"],
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batch.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("batch_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batch_item_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "lodging",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=False),
        sa.Column("night", sa.Date(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.CheckConstraint("people >= 0", name="ck_lodging_people"),
        sa.ForeignKeyConstraint(
            ["base_id"],
            ["base.id"],
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batch.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_id", "base_id", "night", name="uq_lodging_batch_base_night"),
    )
    with op.batch_alter_table("lodging", schema=None) as batch_op:
        batch_op.create_index("ix_lodging_base_night", ["base_id", "night"], unique=False)
        batch_op.create_index(batch_op.f("ix_lodging_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "participant",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("employer", sa.String(length=100), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("model_worker", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("diet", sa.String(length=200), nullable=False),
        sa.Column("health", sa.String(length=200), nullable=False),
        sa.Column("emergency_contact", sa.String(length=100), nullable=False),
        sa.Column("room", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.CheckConstraint("sex IS NULL OR sex IN ('M', 'F')", name="ck_participant_sex"),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batch.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_id", "id_number", name="uq_participant_batch_person"),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participant_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_participant_id_number"), ["id_number"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_id_number"))
        batch_op.drop_index(batch_op.f("ix_participant_batch_id"))

    op.drop_table("participant")
    with op.batch_alter_table("lodging", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lodging_batch_id"))
        batch_op.drop_index("ix_lodging_base_night")

    op.drop_table("lodging")
    with op.batch_alter_table("batch_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_item_batch_id"))

    op.drop_table("batch_item")
    with op.batch_alter_table("certification_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_step_certification_id"))

    op.drop_table("certification_step")
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_route_id"))
        batch_op.drop_index(batch_op.f("ix_batch_partner_id"))
        batch_op.drop_index("ix_batch_arrival")
        batch_op.drop_index(batch_op.f("ix_batch_agreement_id"))

    op.drop_table("batch")
    with op.batch_alter_table("route_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_route_item_route_id"))

    op.drop_table("route_item")
    with op.batch_alter_table("certification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_base_id"))

    op.drop_table("certification")
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_partner_id"))

    op.drop_table("agreement")
    with op.batch_alter_table("route", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_route_name"))

    op.drop_table("route")
    op.drop_table("policy_setting")
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_name"))

    op.drop_table("partner")
    with op.batch_alter_table("base", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_name"))

    op.drop_table("base")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_record")
        batch_op.drop_index("ix_audit_at")

    op.drop_table("audit_log")
