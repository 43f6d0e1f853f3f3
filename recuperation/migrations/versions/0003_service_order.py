"""service_order: what each base provides for a batch (接待预订单) and the base's answer;
departure_notice: the partner's 出团通知书 details of a batch

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 18:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_order",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("sent_how", sa.String(length=20), nullable=False),
        sa.Column("sent_content", sa.Text(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("changes", sa.String(length=400), nullable=False),
        sa.Column("full_ids", sa.Boolean(), nullable=False),
        sa.Column("cancel_sent_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'sent', 'confirmed', 'amended', 'declined')", name="ck_service_order_status"
        ),
        sa.CheckConstraint(
            "sent_how = '' OR sent_how IN ('printed', 'pdf', 'workbook', 'email')", name="ck_order_how"
        ),
        sa.CheckConstraint("edition >= 0", name="ck_service_order_edition"),
        sa.ForeignKeyConstraint(["base_id"], ["base.id"]),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_id", "base_id", name="uq_service_order_batch_base"),
    )
    with op.batch_alter_table("service_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_order_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index("ix_service_order_base", ["base_id"], unique=False)
    op.create_table(
        "departure_notice",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("gather_at", sa.String(length=60), nullable=False),
        sa.Column("gather_place", sa.String(length=200), nullable=False),
        sa.Column("bring", sa.String(length=1000), nullable=False),
        sa.Column("conduct", sa.String(length=1000), nullable=False),
        sa.Column("contacts", sa.String(length=400), nullable=False),
        sa.Column("insurance", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_id"),
    )


def downgrade() -> None:
    op.drop_table("departure_notice")
    op.drop_table("service_order")
