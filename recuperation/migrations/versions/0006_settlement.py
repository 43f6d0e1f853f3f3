"""money, second slice: settlement with bases, partners' charges, spending rules and insurance

Tables spending_pack and spending_rule (a jurisdiction's rules, each with its source), base_invoice (a base's
invoice for a batch), invoice_adjustment (lines explaining its difference), payment, insurance_policy (a
batch's cover).  partner.spending_pack_id; agreement.charge_basis (price or cost) and
agreement.no_show_credit_bp (the share of a no-show's charge credited).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _versioned() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "spending_pack",
        *_versioned(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "spending_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("notes", sa.String(length=400), nullable=False),
        sa.CheckConstraint(
            "kind IN ('day_cap', 'year_cap', 'max_days', 'accident_min', 'medical_min')",
            name="ck_spending_rule_kind",
        ),
        sa.CheckConstraint("mode IN ('warn', 'refuse')", name="ck_spending_rule_mode"),
        sa.CheckConstraint("amount > 0", name="ck_spending_rule_amount"),
        sa.ForeignKeyConstraint(["pack_id"], ["spending_pack.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("spending_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_spending_rule_pack_id"), ["pack_id"], unique=False)
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.add_column(sa.Column("spending_pack_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_partner_spending_pack", "spending_pack", ["spending_pack_id"], ["id"])
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("charge_basis", sa.String(length=10), nullable=False, server_default="price")
        )
        batch_op.add_column(sa.Column("no_show_credit_bp", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_check_constraint("ck_agreement_charge_basis", "charge_basis IN ('price', 'cost')")
        batch_op.create_check_constraint(
            "ck_agreement_no_show_credit", "no_show_credit_bp >= 0 AND no_show_credit_bp <= 10000"
        )
    op.create_table(
        "base_invoice",
        *_versioned(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("tax_bp", sa.Integer(), nullable=False),
        sa.Column("scan_path", sa.String(length=400), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("approved_by", sa.String(length=80), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.CheckConstraint("state IN ('received', 'approved', 'paid')", name="ck_base_invoice_state"),
        sa.CheckConstraint("amount_fen >= 0", name="ck_base_invoice_amount"),
        sa.CheckConstraint("tax_bp >= 0 AND tax_bp <= 10000", name="ck_base_invoice_tax"),
        sa.ForeignKeyConstraint(["base_id"], ["base.id"]),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("base_id", "number", name="uq_base_invoice_number"),
    )
    with op.batch_alter_table("base_invoice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_base_invoice_base_id"), ["base_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_base_invoice_batch_id"), ["batch_id"], unique=False)
    op.create_table(
        "invoice_adjustment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["base_invoice.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("invoice_adjustment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoice_adjustment_invoice_id"), ["invoice_id"], unique=False)
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("notes", sa.String(length=400), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.CheckConstraint("amount_fen > 0", name="ck_payment_amount"),
        sa.ForeignKeyConstraint(["invoice_id"], ["base_invoice.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_invoice_id"), ["invoice_id"], unique=False)
    op.create_table(
        "insurance_policy",
        *_versioned(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("insurer", sa.String(length=100), nullable=False),
        sa.Column("policy_no", sa.String(length=60), nullable=False),
        sa.Column("accident_fen", sa.Integer(), nullable=False),
        sa.Column("medical_fen", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("insured_count", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=400), nullable=False),
        sa.CheckConstraint("last_day >= first_day", name="ck_insurance_policy_period"),
        sa.CheckConstraint("accident_fen >= 0 AND medical_fen >= 0", name="ck_insurance_policy_cover"),
        sa.CheckConstraint("insured_count >= 0", name="ck_insurance_policy_count"),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_id", name="uq_insurance_policy_batch"),
    )


def downgrade() -> None:
    op.drop_table("insurance_policy")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_invoice_id"))
    op.drop_table("payment")
    with op.batch_alter_table("invoice_adjustment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_adjustment_invoice_id"))
    op.drop_table("invoice_adjustment")
    with op.batch_alter_table("base_invoice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_invoice_batch_id"))
        batch_op.drop_index(batch_op.f("ix_base_invoice_base_id"))
    op.drop_table("base_invoice")
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_constraint("ck_agreement_no_show_credit", type_="check")
        batch_op.drop_constraint("ck_agreement_charge_basis", type_="check")
        batch_op.drop_column("no_show_credit_bp")
        batch_op.drop_column("charge_basis")
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.drop_constraint("fk_partner_spending_pack", type_="foreignkey")
        batch_op.drop_column("spending_pack_id")
    with op.batch_alter_table("spending_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_spending_rule_pack_id"))
    op.drop_table("spending_rule")
    op.drop_table("spending_pack")
