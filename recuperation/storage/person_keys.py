"""The columns that stand in for a person's full numbers: ``id_masked``, ``phone_masked``, ``id_key`` and
``phone_key`` of the roster (``participant``) and of the waiting list (``waiting_entry``), kept by the database
itself so that every writer keeps them true.

On a server nobody but the schema's owner may read their ``id_number`` or ``phone``
(``storage/server_access.py`` grants SELECT on the other columns only): a desk shows the masked columns
(what :func:`recuperation.people.mask_id` and :func:`~recuperation.people.mask_phone` give) and matches people
by their keys, and reads the full numbers only through the server's checked and audited functions
(``services/identity.py``).

- **SQLite**: plain triggers (AFTER INSERT, AFTER UPDATE of the numbers or of the columns kept from them)
  compute the masks with ``substr`` and set the keys to the numbers themselves.  A local file protects
  nothing against someone who can copy it, so a key there hides nothing either (the README says how to
  encrypt the disk).
- **PostgreSQL**: a BEFORE INSERT OR UPDATE trigger (SECURITY DEFINER) computes the masks and the keys,
  ``hex(sha256(secret || number))``.  The secret is 32 random bytes made at the first install and kept
  across installs, in ``rd_private.secret``, a schema only the owner may use.  ``rd_id_keys(text[])``
  (``server_access.py``) gives the key of numbers a desk holds (an imported roster), for matching.

:func:`install_person_keys` runs in migration 0009 and again after every later upgrade
(``storage/schema.upgrade``): a later migration that rebuilds the table on SQLite (Alembic's batch mode)
drops its triggers, and they come back in the same transaction.  It is idempotent and fills the columns of
every row already there.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import text

#: The tables that hold a person's full numbers: the roster and the waiting list.
PERSON_TABLES: tuple[str, ...] = ("participant", "waiting_entry")
#: Their columns nobody but the owner reads on a server, and those kept from them.
PROTECTED_COLUMNS: tuple[str, ...] = ("id_number", "phone")
KEPT_COLUMNS: tuple[str, ...] = ("id_masked", "phone_masked", "id_key", "phone_key")

SECRET_SCHEMA = "rd_private"
KEY_FUNCTION = "rd_person_key"
TRIGGER_FUNCTION = "rd_person_keys"


def _sqlite_mask_id(n: str) -> str:
    # mask_id: the number as it is up to 10 characters (or an anonymised person's token, ANON1234), else the first 6, a star for each hidden one, the last 4
    return (
        f"CASE WHEN length({n}) <= 10 OR {n} GLOB 'ANON[0-9]*' OR {n} GLOB 'ANONW[0-9]*' THEN {n} "
        f"ELSE substr({n}, 1, 6) "
        f"|| replace(hex(zeroblob(length({n}) - 10)), '00', '*') || substr({n}, -4) END"
    )


#: What Python's str.strip() removes from a phone, as far as a stored phone can hold it.
_STRIPPED = " \t\n\r\x0b\x0c\u00a0\u3000\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\x1c\x1d\x1e\x1f\x85"


def _sqlite_mask_phone(p: str) -> str:
    t = f"trim({p}, '{_STRIPPED}')"
    return f"CASE WHEN length({t}) < 7 THEN {t} ELSE substr({t}, 1, 3) || '****' || substr({t}, 8) END"


def _sqlite_kept(row: str) -> dict[str, str]:
    """The kept columns' values as SQL over ``row``'s numbers (NEW in a trigger)."""
    return {
        "id_masked": _sqlite_mask_id(f"{row}.id_number"),
        "phone_masked": _sqlite_mask_phone(f"{row}.phone"),
        "id_key": f"{row}.id_number",
        "phone_key": f"{row}.phone",
    }


def _sqlite_set(table: str, row: str) -> str:
    kept = _sqlite_kept(row)
    return f"UPDATE {table} SET {', '.join(f'{c} = {v}' for c, v in kept.items())} WHERE id = {row}.id"


def _sqlite_wrong(row: str) -> str:
    """Whether ``row``'s kept columns are not what its numbers give: only then does a trigger write them (a
    writer that gave them right, :func:`kept_values`, costs the database no second write)."""
    return " OR ".join(f"{row}.{c} IS NOT {v}" for c, v in _sqlite_kept(row).items())


def kept_values(number: str, phone: str) -> dict[str, str]:
    """The kept columns of a person on an SQLite file, as its triggers compute them (the masks of
    :mod:`recuperation.people`; the keys are the numbers): what the program writes with a person, sparing the
    trigger its UPDATE.  On a server the database computes them whatever a writer gives."""
    from recuperation.people import mask_id, mask_phone

    return {
        "id_masked": mask_id(number),
        "phone_masked": mask_phone(phone),
        "id_key": number,
        "phone_key": phone,
    }


def _sqlite_trigger(table: str, when: str) -> str:
    """The name of the SQLite trigger on ``table`` (the roster's keep their first names)."""
    return f"rd_person_keys_{when}" if table == "participant" else f"rd_{table}_keys_{when}"


def _sqlite_statements() -> list[str]:
    kept = ", ".join(("id_number", "phone", *KEPT_COLUMNS))
    statements: list[str] = []
    for table in PERSON_TABLES:
        insert, update = _sqlite_trigger(table, "insert"), _sqlite_trigger(table, "update")
        statements += [
            f"DROP TRIGGER IF EXISTS {insert}",
            f"DROP TRIGGER IF EXISTS {update}",
            f"CREATE TRIGGER {insert} AFTER INSERT ON {table} WHEN {_sqlite_wrong('NEW')} "
            f"BEGIN {_sqlite_set(table, 'NEW')}; END",
            f"CREATE TRIGGER {update} AFTER UPDATE OF {kept} ON {table} WHEN {_sqlite_wrong('NEW')} "
            f"BEGIN {_sqlite_set(table, 'NEW')}; END",
            # every row already there (a migration, a table rebuilt by a later one)
            f"UPDATE {table} SET id_number = id_number",
        ]
    return statements


_STRIPPED_PG = _STRIPPED.replace("'", "''")


def _pg_statements() -> list[str]:
    key = f"""
CREATE OR REPLACE FUNCTION {KEY_FUNCTION}(value text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT CASE WHEN value IS NULL OR value = '' THEN '' ELSE
    encode(sha256((SELECT s.value FROM {SECRET_SCHEMA}.secret s) || convert_to(value, 'UTF8')), 'hex') END
$$"""
    trigger = f"""
CREATE OR REPLACE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  n text := coalesce(NEW.id_number, '');
  p text := btrim(coalesce(NEW.phone, ''), '{_STRIPPED_PG}');
BEGIN
  NEW.id_masked := CASE WHEN length(n) <= 10 OR n ~ '^ANONW?[0-9]{{1,13}}$' THEN n
                   ELSE left(n, 6) || repeat('*', length(n) - 10) || right(n, 4) END;
  NEW.phone_masked := CASE WHEN length(p) < 7 THEN p ELSE left(p, 3) || '****' || substr(p, 8) END;
  NEW.id_key := {KEY_FUNCTION}(NEW.id_number);
  NEW.phone_key := {KEY_FUNCTION}(NEW.phone);
  RETURN NEW;
END $$"""
    return [
        f"CREATE SCHEMA IF NOT EXISTS {SECRET_SCHEMA}",
        f"REVOKE ALL ON SCHEMA {SECRET_SCHEMA} FROM PUBLIC",
        f"CREATE TABLE IF NOT EXISTS {SECRET_SCHEMA}.secret (single boolean PRIMARY KEY DEFAULT true "
        "CHECK (single), value bytea NOT NULL)",
        f"REVOKE ALL ON {SECRET_SCHEMA}.secret FROM PUBLIC",
        key,
        trigger,
        f"REVOKE ALL ON FUNCTION {KEY_FUNCTION}(text) FROM PUBLIC",
        f"REVOKE ALL ON FUNCTION {TRIGGER_FUNCTION}() FROM PUBLIC",
        *(
            statement
            for table in PERSON_TABLES
            for statement in (
                f"DROP TRIGGER IF EXISTS rd_person_keys ON {table}",
                f"CREATE TRIGGER rd_person_keys BEFORE INSERT OR UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER_FUNCTION}()",
            )
        ),
    ]


def install_person_keys(conn: Any) -> None:
    """Create or renew the triggers (and on a server the secret and the key function) that keep the masked
    and key columns, and fill them in for every row; inside the caller's transaction."""
    if conn.dialect.name == "postgresql":
        for statement in _pg_statements()[:4]:
            conn.execute(text(statement))
        conn.execute(
            text(f"INSERT INTO {SECRET_SCHEMA}.secret (value) VALUES (:v) ON CONFLICT (single) DO NOTHING"),
            {"v": secrets.token_bytes(32)},
        )
        for statement in _pg_statements()[4:]:
            conn.execute(text(statement))
        # Only rows whose columns are not what the trigger gives (a first install: all of them).
        for table in PERSON_TABLES:
            conn.execute(
                text(f"UPDATE {table} SET id_number = id_number WHERE id_key = '' OR id_masked = ''")
            )
        return
    for statement in _sqlite_statements():
        conn.execute(text(statement))


def uninstall_person_keys(conn: Any) -> None:
    """Undo :func:`install_person_keys` (migration 0009's downgrade; the columns go with it)."""
    if conn.dialect.name == "postgresql":
        for table in PERSON_TABLES:
            conn.execute(text(f"DROP TRIGGER IF EXISTS rd_person_keys ON {table}"))
        conn.execute(text(f"DROP FUNCTION IF EXISTS {TRIGGER_FUNCTION}()"))
        conn.execute(text(f"DROP FUNCTION IF EXISTS {KEY_FUNCTION}(text)"))
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SECRET_SCHEMA} CASCADE"))
        return
    for table in PERSON_TABLES:
        for when in ("insert", "update"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS {_sqlite_trigger(table, when)}"))
