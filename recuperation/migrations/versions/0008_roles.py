"""who may do what: the server's roles, grants, triggers and row policies; anonymised people

On PostgreSQL, installs what the server enforces of the roles (recuperation/storage/server_access.py): group
roles named from the database, grants per table, triggers for the approvals, the audit log's row policy and
session user, the function that reveals full numbers.  Every later upgrade installs them again, so new tables
get their grants.  On every database: participant.anonymised_on, the day a person's data was anonymised
(privacy purge); participant.id_masked, phone_masked, id_key and phone_key, which stand in for the full numbers
and are kept by the database's triggers (recuperation/storage/person_keys.py), filled for every person here.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_on", sa.Date(), nullable=True))
        for name, length in (("id_masked", 18), ("phone_masked", 20), ("id_key", 64), ("phone_key", 64)):
            batch_op.add_column(sa.Column(name, sa.String(length), nullable=False, server_default=""))
        batch_op.create_index("ix_participant_id_key", ["id_key", "batch_id"], unique=False)
    bind = op.get_bind()
    from recuperation.storage.person_keys import install_person_keys

    install_person_keys(bind)
    if bind.dialect.name == "postgresql":
        from recuperation.storage.server_access import install_access

        install_access(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from recuperation.storage.server_access import uninstall_access

        uninstall_access(bind)
    from recuperation.storage.person_keys import uninstall_person_keys

    uninstall_person_keys(bind)
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index("ix_participant_id_key")
        for name in ("phone_key", "id_key", "phone_masked", "id_masked"):
            batch_op.drop_column(name)
        batch_op.drop_column("anonymised_on")
