"""roster life: companions, the roll call, the roster's history and the waiting list (issue 21)

participant.companion, participant.attendance, participant.left_on; batch.roll_closed_on; tables
roster_event and waiting_entry.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("companion", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("attendance", sa.String(length=20), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("left_on", sa.Date(), nullable=True))
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("roll_closed_on", sa.Date(), nullable=True))
    op.create_table(
        "roster_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("id_masked", sa.String(length=18), nullable=False),
        sa.Column("other_name", sa.String(length=40), nullable=False),
        sa.Column("other_batch_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.id"]),
        sa.ForeignKeyConstraint(["other_batch_id"], ["batch.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("roster_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roster_event_batch_id"), ["batch_id"], unique=False)
    op.create_table(
        "waiting_entry",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("employer", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.CheckConstraint("state IN ('waiting', 'promoted', 'withdrawn')", name="ck_waiting_entry_state"),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_id", "id_number", name="uq_waiting_batch_person"),
    )
    with op.batch_alter_table("waiting_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waiting_entry_batch_id"), ["batch_id"], unique=False)


def downgrade() -> None:
    op.drop_table("waiting_entry")
    op.drop_table("roster_event")
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.drop_column("roll_closed_on")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("left_on")
        batch_op.drop_column("attendance")
        batch_op.drop_column("companion")
