"""Alembic environment: runs on the connection that recuperation.storage.schema.upgrade hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from recuperation.models import SQLModel

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the desk always hands over a connection
    raise RuntimeError("run the migrations through recuperation.storage.schema.migrate()")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)

with context.begin_transaction():
    context.run_migrations()
    if connection.dialect.name == "sqlite":
        # Foreign keys are off while tables are copied; refuse to commit a migration that broke one.
        broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
        if broken:
            raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
