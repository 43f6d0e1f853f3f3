"""app_meta: the database records which program version last migrated it

An older program reads this to refuse, with a clear message, a database that a newer one has changed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 02:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "app_meta",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.bulk_insert(table, [{"key": "schema_created_by", "value": "0001"}])


def downgrade() -> None:
    op.drop_table("app_meta")
