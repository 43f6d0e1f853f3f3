"""rate cards: a base's prices per period with its invoice details (money, first slice)

Tables rate_card (a base's card: validity, 开票单位, 统一社会信用代码, bank, tax rate in basis points) and
rate_line (its prices: kind, item, an optional season, unit, price in fen), deleted with its card.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_card",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("invoice_title", sa.String(length=100), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("bank_name", sa.String(length=100), nullable=False),
        sa.Column("bank_account", sa.String(length=40), nullable=False),
        sa.Column("tax_bp", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.CheckConstraint("valid_to >= valid_from", name="ck_rate_card_term"),
        sa.CheckConstraint("tax_bp >= 0 AND tax_bp <= 10000", name="ck_rate_card_tax"),
        sa.ForeignKeyConstraint(["base_id"], ["base.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("base_id", "name", name="uq_rate_card_base_name"),
    )
    with op.batch_alter_table("rate_card", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rate_card_base_id"), ["base_id"], unique=False)
    op.create_table(
        "rate_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rate_card_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("item", sa.String(length=60), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("price_fen", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "kind IN ('room', 'meal', 'meeting', 'activity', 'other')", name="ck_rate_line_kind"
        ),
        sa.CheckConstraint(
            "unit IN ('per_room_night', 'per_person', 'per_session')", name="ck_rate_line_unit"
        ),
        sa.CheckConstraint("price_fen >= 0", name="ck_rate_line_price"),
        sa.CheckConstraint(
            "(first_day IS NULL AND last_day IS NULL) OR "
            "(first_day IS NOT NULL AND last_day IS NOT NULL AND last_day >= first_day)",
            name="ck_rate_line_season",
        ),
        sa.ForeignKeyConstraint(["rate_card_id"], ["rate_card.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rate_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rate_line_rate_card_id"), ["rate_card_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rate_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rate_line_rate_card_id"))
    op.drop_table("rate_line")
    with op.batch_alter_table("rate_card", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rate_card_base_id"))
    op.drop_table("rate_card")
