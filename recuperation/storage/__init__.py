"""Storage: where the database lives, how it is opened, migrated, backed up and restored.

- :mod:`.paths` — the data and log folders, database URLs and their display names, the desk user;
- :mod:`.engine` — SQLAlchemy engines (SQLite with WAL, foreign keys, busy timeout, explicit BEGIN) and
  plain sqlite3 readers;
- :mod:`.faults` — driver and file errors named as what they are (busy, read-only, disk full, damage);
- :mod:`.schema` — Alembic revisions and the migration at open;
- :mod:`.server` — PostgreSQL URLs and the connection test;
- :mod:`.database` — :class:`~.database.Database` (one transaction per ``session()``, change
  notifications) and :func:`~.database.open_database`;
- :mod:`.files` — private files and folders, the ``.part`` files of backups and restores;
- :mod:`.backups` — consistent copies, the daily backup; :mod:`.restore` — restoring a backup safely.

Submodules are imported by name (nothing is re-exported here), so that a command pays only for what it uses.
"""
