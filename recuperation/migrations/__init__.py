"""Alembic migrations of the desk's schema (run by recuperation.storage.schema.migrate)."""
