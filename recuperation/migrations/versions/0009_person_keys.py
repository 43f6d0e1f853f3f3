"""full numbers kept from view: masked and key columns on the roster and the waiting list

participant and waiting_entry get id_masked, phone_masked, id_key and phone_key, which stand in for the full
numbers and are kept by the database's own triggers (recuperation/storage/person_keys.py), filled here for every
person; waiting_entry also gets sex and birth_date (the ID number's facts, which a promotion carries to the
roster).  On PostgreSQL the full numbers then become readable by the owner alone (the grants are installed again
after the upgrade: storage/schema.upgrade).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_KEPT = (("id_masked", 18), ("phone_masked", 20), ("id_key", 64), ("phone_key", 64))


def upgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        for name, length in _KEPT:
            batch_op.add_column(sa.Column(name, sa.String(length), nullable=False, server_default=""))
        batch_op.create_index("ix_participant_id_key", ["id_key", "batch_id"], unique=False)
    with op.batch_alter_table("waiting_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sex", sa.String(1), nullable=True))
        batch_op.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
        for name, length in _KEPT:
            batch_op.add_column(sa.Column(name, sa.String(length), nullable=False, server_default=""))
        batch_op.create_check_constraint("ck_waiting_entry_sex", "sex IS NULL OR sex IN ('M', 'F')")
    bind = op.get_bind()
    # The waiting list's sex and birth date, from each number as an addition reads it (the owner migrates).
    from recuperation.people import check_id

    entries = bind.execute(sa.text("SELECT id, id_number FROM waiting_entry")).all()
    for entry_id, number in entries:
        verdict = check_id(str(number or ""))
        if verdict.ok:
            bind.execute(
                sa.text("UPDATE waiting_entry SET sex = :s, birth_date = :b WHERE id = :i"),
                {"s": verdict.sex, "b": verdict.birth_date, "i": entry_id},
            )
    from recuperation.storage.person_keys import install_person_keys

    install_person_keys(bind)
    if bind.dialect.name == "postgresql":
        from recuperation.storage.server_access import install_access

        install_access(bind)


def downgrade() -> None:
    bind = op.get_bind()
    from recuperation.storage.person_keys import uninstall_person_keys

    uninstall_person_keys(bind)
    with op.batch_alter_table("waiting_entry", schema=None) as batch_op:
        batch_op.drop_constraint("ck_waiting_entry_sex", type_="check")
        for name, _length in reversed(_KEPT):
            batch_op.drop_column(name)
        batch_op.drop_column("birth_date")
        batch_op.drop_column("sex")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index("ix_participant_id_key")
        for name, _length in reversed(_KEPT):
            batch_op.drop_column(name)
    if bind.dialect.name == "postgresql":
        from recuperation.storage.server_access import unprotect_full_numbers

        unprotect_full_numbers(bind)  # every column readable again, as at 0008
