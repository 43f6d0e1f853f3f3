"""who may do what: the server's roles, grants, triggers and row policies; anonymised people

On PostgreSQL, installs what the server enforces of the roles (recuperation/storage/server_access.py): group
roles named from the database, grants per table, triggers for the approvals, the audit log's row policy and
session user, the function that reveals full numbers.  Every later upgrade installs them again, so new tables
get their grants.  On every database: participant.anonymised_on, the day a person's data was anonymised
(privacy purge).

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
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from recuperation.storage.server_access import install_access

        install_access(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from recuperation.storage.server_access import uninstall_access

        uninstall_access(bind)
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("anonymised_on")
