"""What a PostgreSQL server enforces of the roles (``recuperation/access.py``), installed into a database.

:func:`install_access` runs in migration 0008 and again after every later upgrade (``storage.schema.upgrade``),
so a table added by a later migration gets its grants in the same transaction that creates it.  It is
idempotent.  What it sets up, in this database:

- **Group roles** (NOLOGIN), one per role, named from the database so that two databases on one server keep
  their people apart: ``rd_<database>_coordinator`` …  The prefix is kept in ``app_meta`` (``role_prefix``),
  so renaming the database does not orphan them.  A person is a LOGIN role that is a member of some of them.
- **Grants**: CONNECT on the database only for the groups (revoked from PUBLIC); SELECT on every table for
  every group; INSERT, UPDATE, DELETE per table as :data:`recuperation.access.RIGHT_TABLES` says; INSERT on
  the audit log for every group, never UPDATE or DELETE (an administrator may only blank out its values when
  personal data is purged: UPDATE of ``old``, ``new``, ``record_label``).  A few more (:data:`EXTRA_GRANTS`,
  :data:`LOCKS`) let 负责人 approve an invoice and 财务 lock the rows its writes depend on.
- **Triggers** for the rights that depend on the row: only 负责人 confirms a batch, closes or reopens its roll
  call, approves an invoice, or decides a certification (认定, 复核 — which renews its term —, 未通过, 摘牌;
  any change of its term).  Refusals are SQLSTATE 42501 with
  a message ``rd:<right>:<what>``, which the desk turns into a sentence (``storage.faults.access_refusal``).
- **The audit log's user** is set by a trigger to the server's ``session_user``, which a desk cannot forge,
  and a row policy refuses any other; the schema's owner (who ran the migrations, and copies data in with
  its history) and a superuser are trusted as the server trusts them (they could drop the trigger).
- **Full personal data**: nobody but the owner may SELECT ``participant.id_number`` or ``phone`` (SELECT is
  granted on the table's other columns only, read from the catalogue, so a column added later is included);
  a desk shows the masked columns and matches people by their keys (``storage/person_keys.py``).
  :data:`REVEAL_FUNCTION` (one person) and :data:`FULL_PEOPLE_FUNCTION` (a batch, or a partner's batches,
  to print or export) check
  the right and write the audit entry in the same transaction as they return the numbers.
  :data:`KEYS_FUNCTION` gives the keys of numbers a desk holds (an imported roster), for those who plan
  (and 完整证件号): with it one can confirm that a known number is on a roster — which anyone who may import
  a roster can do anyway — so it is not given to 查看 or 财务.

The role that runs the migration is the first administrator: it owns the tables (every right) and is given
the administrator's group WITH ADMIN OPTION.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from sqlalchemy import text

from recuperation.access import RIGHT_TABLES, RIGHTS, ROLES

AUDIT_TABLE = "audit_log"
#: Tables an administrator may rewrite when personal data is anonymised (``privacy purge``).
PURGE_TABLES: tuple[str, ...] = (
    "participant",
    "batch",
    "waiting_entry",
    "roster_event",
    "service_order",
    "departure_notice",
    "insurance_policy",
    "incident",
    "feedback_response",
)  # the records of a batch that name people (recuperation/services/privacy.py)
#: The tables whose audit entries a purge scrubs (the records of a batch that name people, and who an incident
#: concerned): an administrator's UPDATE of any other entry is refused.
PURGE_AUDIT_TABLES: tuple[str, ...] = (*PURGE_TABLES, "incident_person")
#: What a purge puts in place of what it removes from a text (recuperation/services/privacy.py).
SCRUB_MARKERS: tuple[str, ...] = ("已匿名化", "某某", "***")
#: The audit log's columns an administrator may blank out in a purge.
AUDIT_SCRUB_COLUMNS: tuple[str, ...] = ("old", "new", "record_label")
#: Tables a right's holders lock (``SELECT … FOR UPDATE``) but do not write: 财务 locks the batch and the base
#: while it records an invoice or a rate card (``services/settlement.py``, ``services/rates.py``).  PostgreSQL
#: wants UPDATE on a column for such a lock: they get it on ``id`` only, and :data:`WRITERS_TRIGGER` refuses
#: an actual UPDATE of the row by anyone who is not one of the table's writers.
LOCKS: dict[str, tuple[str, ...]] = {"money": ("batch", "base")}
#: Other table grants beyond :data:`recuperation.access.RIGHT_TABLES`: table → (privilege, right).
EXTRA_GRANTS: tuple[tuple[str, str, str], ...] = (("base_invoice", "UPDATE", "approve"),)  # approving one

REVEAL_FUNCTION = "rd_reveal"
FULL_PEOPLE_FUNCTION = "rd_full_people"
KEYS_FUNCTION = "rd_id_keys"
ID_PROBLEMS_FUNCTION = "rd_id_problems"
COPY_PERSON_FUNCTION = "rd_copy_person"
PROMOTE_FUNCTION = "rd_promote_waiting"
#: What a person on the waiting list brings to the roster (the rest starts empty, as an addition's would).
PROMOTED_COLUMNS: tuple[str, ...] = (
    "name",
    "id_number",
    "sex",
    "birth_date",
    "phone",
    "employer",
    "category",
)
#: A person's columns a move to another batch carries (the rest are the new batch's: room, the roll call).
MOVED_COLUMNS: tuple[str, ...] = (
    "name",
    "id_number",
    "sex",
    "birth_date",
    "phone",
    "employer",
    "department",
    "model_worker",
    "category",
    "diet",
    "health",
    "emergency_contact",
    "notes",
    "companion",
    "anonymised_on",
)
#: The purposes a batch's full numbers are read for: the audit entry's action.
FULL_PURPOSES: tuple[str, ...] = ("print", "export")
#: The roles that may ask for the keys of numbers they hold.
KEY_ROLES: frozenset[str] = RIGHTS["plan"] | RIGHTS["full_ids"]


def role_prefix_for(database: str) -> str:
    """``rd_<database>_``: lower case letters, digits and _ only; a name that had other characters, or is
    long, also carries six hex digits of its hash, so that two databases never share roles."""
    clean = re.sub(r"[^a-z0-9_]", "_", database.lower())
    if clean != database or len(clean) > 40:
        clean = clean[:33] + "_" + hashlib.sha256(database.encode()).hexdigest()[:6]
    return f"rd_{clean}_"


def _here(conn: Any) -> tuple[str, str]:
    """This database's name and OID (a renamed database keeps its OID; a copy made with CREATE DATABASE …
    TEMPLATE gets a new one)."""
    name, oid = conn.execute(
        text("SELECT datname, oid FROM pg_database WHERE datname = current_database()")
    ).one()
    return str(name), str(oid)


def _recorded(conn: Any) -> dict[str, str]:
    rows = conn.execute(
        text("SELECT key, value FROM app_meta WHERE key IN ('role_prefix', 'role_database')")
    ).all()
    return {str(k): str(v) for k, v in rows}


def role_prefix(conn: Any) -> str:
    """The prefix recorded in this database at install — unless the database is a copy of another (made with
    CREATE DATABASE … TEMPLATE, which copies the record but not the database's permissions): a copy gets
    its own roles, from its own name, when its owner next opens it (:func:`is_copy`)."""
    recorded = _recorded(conn)
    name, oid = _here(conn)
    if recorded.get("role_prefix") and recorded.get("role_database", oid) == oid:
        return recorded["role_prefix"]
    return role_prefix_for(name)


def is_copy(conn: Any) -> bool:
    """The roles recorded here were installed in another database (this one is a copy of it): its owner must
    install this database's own (``storage.schema.migrate`` does, at open)."""
    recorded = _recorded(conn)
    return "role_database" in recorded and recorded["role_database"] != _here(conn)[1]


def group_role(prefix: str, role: str) -> str:
    return prefix + role


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _writers() -> dict[str, set[str]]:
    """table: the roles that may insert, update and delete its rows."""
    tables: dict[str, set[str]] = {}
    for right, names in RIGHT_TABLES.items():
        for name in names:
            tables.setdefault(name, set()).update(RIGHTS[right])
    return tables


def writer_roles(table: str) -> tuple[str, ...]:
    """The roles that may change ``table`` on the server, in :data:`ROLES` order (for a refusal's sentence)."""
    roles = set(_writers().get(table, ()))
    for name, _privilege, right in EXTRA_GRANTS:
        if name == table:
            roles |= RIGHTS[right]
    return tuple(r for r in ROLES if r in roles)


def _functions(prefix: str) -> list[str]:
    lit = prefix.replace("'", "''")
    has = f"""
CREATE OR REPLACE FUNCTION rd_has(role_key text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT rd_owner() OR pg_has_role(session_user, '{lit}' || role_key, 'MEMBER')
$$"""
    owner = """
CREATE OR REPLACE FUNCTION rd_owner() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT pg_has_role(session_user, (SELECT relowner FROM pg_catalog.pg_class WHERE oid = 'public.batch'::pg_catalog.regclass), 'MEMBER')
$$"""
    refuse = """
CREATE OR REPLACE FUNCTION rd_refuse(what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'rd:' || what;
END $$"""
    batch = """
CREATE OR REPLACE FUNCTION rd_check_batch() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  -- a batch becomes firm (confirmed, then in progress or completed) only through the head's confirmation:
  -- made firm at once, or moved on from planned or cancelled, it is refused to anyone else
  IF NEW.status IN ('confirmed', 'in_progress', 'completed')
     AND (TG_OP = 'INSERT' OR (OLD.status IS DISTINCT FROM NEW.status
                               AND (NEW.status = 'confirmed' OR OLD.status IN ('planned', 'cancelled'))))
     AND NOT rd_has('head') THEN
    PERFORM rd_refuse('approve:batch.confirm');
  END IF;
  IF ((TG_OP = 'INSERT' AND NEW.roll_closed_on IS NOT NULL)
      OR (TG_OP = 'UPDATE' AND OLD.roll_closed_on IS DISTINCT FROM NEW.roll_closed_on))
     AND NOT rd_has('head') THEN
    PERFORM rd_refuse('approve:batch.roll_call');
  END IF;
  RETURN NEW;
END $$"""
    invoice = """
CREATE OR REPLACE FUNCTION rd_check_invoice() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NOT rd_has('head') THEN
    -- only the head takes an invoice past 已收票: approving it, or paid without approval, or made so at once
    IF (TG_OP = 'INSERT' AND NEW.state <> 'received')
       OR (TG_OP = 'UPDATE' AND OLD.state = 'received' AND NEW.state <> 'received') THEN
      PERFORM rd_refuse('approve:invoice.approve');
    END IF;
    -- an approved (or paid) invoice keeps what was approved unless it goes back to 已收票
    IF TG_OP = 'UPDATE' AND OLD.state <> 'received' AND NEW.state <> 'received'
       AND (OLD.number, OLD.issued_on, OLD.amount_fen, OLD.tax_bp, OLD.approved_by, OLD.approved_on)
           IS DISTINCT FROM (NEW.number, NEW.issued_on, NEW.amount_fen, NEW.tax_bp, NEW.approved_by,
                             NEW.approved_on) THEN
      PERFORM rd_refuse('approve:invoice.approve');
    END IF;
    -- nobody but the head writes an approval's name or day
    IF NEW.approved_on IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.approved_on IS DISTINCT FROM NEW.approved_on) THEN
      PERFORM rd_refuse('approve:invoice.approve');
    END IF;
  END IF;
  IF NEW.state = 'approved' AND (TG_OP = 'INSERT' OR OLD.state IS DISTINCT FROM NEW.state) AND NOT rd_owner() THEN
    NEW.approved_by := session_user;
  END IF;
  RETURN NEW;
END $$"""
    payment = """
CREATE OR REPLACE FUNCTION rd_check_payment() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  -- money leaves only against an approved invoice
  IF NOT rd_owner() AND (SELECT state FROM public.base_invoice WHERE id = NEW.invoice_id) = 'received' THEN
    PERFORM rd_refuse('approve:invoice.pay_unapproved');
  END IF;
  RETURN NEW;
END $$"""
    certification = """
CREATE OR REPLACE FUNCTION rd_check_certification() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF ((NEW.status IN ('certified', 'rechecked', 'rejected', 'revoked')
       AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status))
      OR (TG_OP = 'UPDATE' AND (OLD.valid_to IS DISTINCT FROM NEW.valid_to
                                OR OLD.valid_from IS DISTINCT FROM NEW.valid_from)))
     AND NOT rd_has('head') THEN
    PERFORM rd_refuse('approve:certification.decide');
  END IF;
  RETURN NEW;
END $$"""
    step = """
CREATE OR REPLACE FUNCTION rd_check_certification_step() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.step IN ('certified', 'recheck', 'rejected', 'revoked') AND NOT rd_has('head') THEN
    PERFORM rd_refuse('approve:certification.decide');
  END IF;
  RETURN NEW;
END $$"""
    # What a purge may do to an audit entry's text: put its markers (已匿名化, 某某, ***) in place of stretches of
    # it, cut its end, or empty it (NULL) — never write anything the entry did not say.
    markers = "|".join(m.replace("*", "\\*") for m in SCRUB_MARKERS)
    only_removed = f"""
CREATE OR REPLACE FUNCTION rd_only_removed(before text, after text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  parts text[];
  rest text;
  at integer;
BEGIN
  IF after IS NULL OR after IS NOT DISTINCT FROM before THEN
    RETURN true;
  END IF;
  IF before IS NULL THEN
    RETURN false;
  END IF;
  parts := regexp_split_to_array(after, '{markers}');
  -- the first piece starts the old text; each next one follows a stretch a marker replaced; the end may be cut
  IF left(before, length(parts[1])) <> parts[1] THEN
    RETURN false;
  END IF;
  rest := substr(before, length(parts[1]) + 1);
  FOR i IN 2 .. coalesce(array_length(parts, 1), 1) LOOP
    CONTINUE WHEN parts[i] = '';
    at := strpos(rest, parts[i]);
    IF at = 0 THEN
      RETURN false;
    END IF;
    rest := substr(rest, at + length(parts[i]));
  END LOOP;
  RETURN true;
END $$"""
    scrubbed = ", ".join(f"'{t}'" for t in PURGE_AUDIT_TABLES)
    audit = f"""
CREATE OR REPLACE FUNCTION rd_audit_user() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF rd_owner() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    NEW."user" := session_user;
    NEW.at := date_trunc('second', localtimestamp);  -- the server's clock, not the desk's word
  ELSE
    -- an administrator scrubbing personal data in a purge: only entries of a batch's records, only taking
    -- away; the entry's author stays
    IF OLD.table_name <> ALL (ARRAY[{scrubbed}])
       OR NOT (rd_only_removed(OLD.old, NEW.old) AND rd_only_removed(OLD.new, NEW.new)
               AND rd_only_removed(OLD.record_label, NEW.record_label)) THEN
      PERFORM rd_refuse('settings:audit_log.scrub');
    END IF;
    NEW."user" := OLD."user";
  END IF;
  RETURN NEW;
END $$"""
    writers = """
CREATE OR REPLACE FUNCTION rd_check_writers() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  -- TG_ARGV: the right named in a refusal, then the roles that may write the table (a lock is not a write);
  -- once per statement, as it does not depend on the row
  FOR i IN 1 .. TG_NARGS - 1 LOOP
    IF rd_has(TG_ARGV[i]) THEN
      RETURN NULL;
    END IF;
  END LOOP;
  PERFORM rd_refuse(TG_ARGV[0] || ':' || TG_TABLE_NAME || '.update');
  RETURN NULL;
END $$"""
    reveal = f"""
CREATE OR REPLACE FUNCTION {REVEAL_FUNCTION}(person integer) RETURNS TABLE(id_number text, phone text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  found_label text;
BEGIN
  IF NOT rd_has('pii') THEN
    PERFORM rd_refuse('full_ids:participant.reveal');
  END IF;
  SELECT b.code || ' ' || p.name INTO found_label
    FROM participant p JOIN batch b ON b.id = p.batch_id WHERE p.id = person;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  -- the server's log keeps it even if the caller rolls back (no name in it: the log is not purged)
  RAISE LOG 'rd: % revealed the full numbers of participant %', session_user, person;
  INSERT INTO {AUDIT_TABLE} (at, "user", action, table_name, record_id, record_label, field)
    VALUES (date_trunc('second', localtimestamp), session_user, 'reveal', 'participant', person,
            left(found_label, 120), 'id_number');
  RETURN QUERY SELECT p.id_number::text, p.phone::text FROM participant p WHERE p.id = person;
END $$"""
    purposes = ", ".join(f"'{p}'" for p in FULL_PURPOSES)
    full_people = f"""
CREATE OR REPLACE FUNCTION {FULL_PEOPLE_FUNCTION}(batches integer[], purpose text, detail text DEFAULT '')
RETURNS TABLE(id integer, id_number text, phone text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  found integer;
  partners integer[];
  found_table text;
  found_id integer;
  found_label text;
BEGIN
  IF NOT rd_has('pii') THEN
    PERFORM rd_refuse('full_ids:participant.full_list');
  END IF;
  IF purpose IS NULL OR purpose NOT IN ({purposes}) THEN
    RAISE EXCEPTION 'rd_full_people: purpose must be one of {purposes.replace("'", "")}';
  END IF;
  SELECT count(*), array_agg(DISTINCT b.partner_id) INTO found, partners FROM batch b WHERE b.id = ANY(batches);
  IF found = 0 THEN
    RETURN;
  END IF;
  -- one entry for the reading: the batch, or the partner whose batches they all are (a partner's year)
  IF found = 1 THEN
    SELECT 'batch', b.id, b.code INTO found_table, found_id, found_label FROM batch b WHERE b.id = ANY(batches);
  ELSIF cardinality(partners) = 1 THEN
    SELECT 'partner', o.id, o.name INTO found_table, found_id, found_label FROM partner o WHERE o.id = partners[1];
  ELSE
    RAISE EXCEPTION 'rd_full_people: one batch, or batches of one partner';
  END IF;
  -- the server's log keeps it even if the caller rolls its transaction back (the audit entry goes with it)
  RAISE LOG 'rd: % read the full numbers of % % (%) to %', session_user, found_table, found_id, found_label,
    purpose;
  INSERT INTO {AUDIT_TABLE} (at, "user", action, table_name, record_id, record_label, field, new)
    VALUES (date_trunc('second', localtimestamp), session_user, purpose, found_table, found_id,
            left(found_label, 120), 'full_ids', coalesce(detail, ''));
  RETURN QUERY SELECT p.id, p.id_number::text, p.phone::text FROM participant p
    WHERE p.batch_id = ANY(batches) ORDER BY p.id;
END $$"""
    keys = f"""
CREATE OR REPLACE FUNCTION {KEYS_FUNCTION}(numbers text[]) RETURNS TABLE(number text, key text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  -- plpgsql, checked when called: an upgrade makes it (0008) before the key function exists (0009)
  RETURN QUERY SELECT n, rd_person_key(n) FROM unnest(numbers) AS n;
END $$"""
    # The check of stored numbers (services/checks.bad_ids) for those who may not read them: GB 11643's
    # errors as people.check_id finds them, named by code; nothing of the number but its row.
    problems = f"""
CREATE OR REPLACE FUNCTION {ID_PROBLEMS_FUNCTION}(since date) RETURNS TABLE(id integer, problem text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  r record;
  n text;
  birth date;
  total integer;
  weights integer[] := ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
BEGIN
  FOR r IN SELECT p.id, p.id_number FROM participant p JOIN batch b ON b.id = p.batch_id
           WHERE (since IS NULL OR b.arrival >= since) AND p.anonymised_on IS NULL ORDER BY p.id LOOP
    id := r.id;
    n := btrim(normalize(coalesce(r.id_number, ''), NFKC));
    IF n ~ '^[0-9](\\.[0-9]+)?[eE]\\+?[0-9]+$' THEN
      problem := 'excel_number'; RETURN NEXT; CONTINUE;
    END IF;
    n := upper(regexp_replace(n, '[[:space:]\u3000\u00a0\u200b-]+', '', 'g'));
    IF n = '' THEN problem := 'empty'; RETURN NEXT; CONTINUE; END IF;
    IF length(n) <> 18 THEN problem := 'length'; RETURN NEXT; CONTINUE; END IF;
    IF n !~ '^[0-9]{{17}}[0-9X]$' THEN problem := 'format'; RETURN NEXT; CONTINUE; END IF;
    BEGIN
      birth := make_date(substr(n, 7, 4)::integer, substr(n, 11, 2)::integer, substr(n, 13, 2)::integer);
    EXCEPTION WHEN others THEN
      problem := 'birth'; RETURN NEXT; CONTINUE;
    END;
    IF birth < DATE '1900-01-01' THEN problem := 'early_birth'; RETURN NEXT; CONTINUE; END IF;
    IF birth > current_date THEN problem := 'future_birth'; RETURN NEXT; CONTINUE; END IF;
    total := 0;
    FOR i IN 1..17 LOOP
      total := total + substr(n, i, 1)::integer * weights[i];
    END LOOP;
    IF substr(n, 18, 1) <> substr('10X98765432', total % 11 + 1, 1) THEN
      problem := 'checksum'; RETURN NEXT;
    END IF;
  END LOOP;
END $$"""
    # A move to another batch (services/batch/roster_moves.move_people) and a promotion from the waiting list
    # write the person anew on the roster: their numbers go with them unread, for those who plan.
    planners = " OR ".join(f"rd_has('{r}')" for r in sorted(RIGHTS["plan"]))
    copy_person, promote = (
        f"""
CREATE OR REPLACE FUNCTION {name}({arguments}) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  made integer;
BEGIN
  IF NOT ({planners}) THEN
    PERFORM rd_refuse('plan:participant.{kind}');
  END IF;
  {person_copy_sql(kind, source=source, target="target", at=_SERVER_NOW, user="session_user")}
    RETURNING id INTO made;
  RETURN made;
END $$"""
        for name, arguments, kind, source in (
            (COPY_PERSON_FUNCTION, "person integer, target integer", "move", "person"),
            (PROMOTE_FUNCTION, "entry integer", "promote", "entry"),
        )
    )
    return [
        owner,
        has,
        refuse,
        batch,
        invoice,
        payment,
        certification,
        step,
        only_removed,
        audit,
        writers,
        reveal,
        full_people,
        keys,
        problems,
        copy_person,
        promote,
    ]


def _protect_full_numbers(conn: Any, everyone: str) -> None:
    """SELECT on the roster's and the waiting list's columns but the full numbers
    (storage/person_keys.PERSON_TABLES, PROTECTED_COLUMNS)."""
    from recuperation.storage.person_keys import PERSON_TABLES, PROTECTED_COLUMNS

    for table in PERSON_TABLES:
        columns = [
            str(name)
            for (name,) in conn.execute(
                text(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                    "AND table_name = :t ORDER BY ordinal_position"
                ),
                {"t": table},
            )
            if name not in PROTECTED_COLUMNS
        ]
        if not columns:
            continue
        conn.execute(text(f"REVOKE SELECT ON {table} FROM {everyone}"))  # its columns' grants go with it
        conn.execute(text(f"GRANT SELECT ({', '.join(_q(c) for c in columns)}) ON {table} TO {everyone}"))


def _grant_sequence(conn: Any, table: str, names: str) -> None:
    """USAGE on the sequences of ``table``'s columns (its id, if it has one) to ``names``, who insert into it."""
    for (sequence,) in conn.execute(
        text(
            "SELECT s.oid::regclass::text FROM pg_class s JOIN pg_depend d ON d.objid = s.oid "
            "AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
            "WHERE s.relkind = 'S' AND d.refobjid = to_regclass(:t)"
        ),
        {"t": f"public.{_q(table)}"},
    ):
        conn.execute(text(f"GRANT USAGE ON SEQUENCE {sequence} TO {names}"))


_SERVER_NOW = "date_trunc('second', localtimestamp)"


def person_copy_sql(kind: str, *, source: str, target: str, at: str, user: str) -> str:
    """The INSERT that writes a person anew on a roster, their numbers carried unread (nobody but the owner reads
    them on a server): ``kind`` "move" copies the participant ``source`` to the batch ``target`` (the room and
    the roll-call mark stay behind); "promote" the waiting entry ``source``, still waiting, to its own batch
    (the rest starts empty, as an addition's would).  ``source``, ``target``, ``at`` and ``user`` are SQL: the
    server's functions give their arguments, its clock and ``session_user``; an SQLite desk bound parameters
    (services/identity.py)."""
    stamps = f"1, {at}, {at}, {user}"
    if kind == "move":
        moved = ", ".join(MOVED_COLUMNS)
        return (
            f"INSERT INTO participant (batch_id, {moved}, room, attendance, version, created_at, updated_at, "
            f"updated_by) SELECT {target}, {moved}, '', '', {stamps} FROM participant WHERE id = {source}"
        )
    promoted = ", ".join(PROMOTED_COLUMNS)
    return (
        f"INSERT INTO participant (batch_id, {promoted}, department, model_worker, diet, health, emergency_contact, "
        "room, notes, companion, attendance, version, created_at, updated_at, updated_by) "
        f"SELECT batch_id, {promoted}, '', false, '', '', '', '', '', false, '', {stamps} "
        f"FROM waiting_entry WHERE id = {source} AND state = 'waiting'"
    )


def unprotect_full_numbers(conn: Any) -> None:
    """Undo :func:`_protect_full_numbers` (migration 0009's downgrade): SELECT on the whole tables again."""
    from recuperation.storage.person_keys import PERSON_TABLES

    prefix = role_prefix(conn)
    everyone = ", ".join(_q(group_role(prefix, r)) for r in ROLES)
    for table in PERSON_TABLES:
        conn.execute(text(f"GRANT SELECT ON {table} TO {everyone}"))
    conn.execute(text(f"DROP FUNCTION IF EXISTS {PROMOTE_FUNCTION}(integer)"))


TRIGGERS: tuple[tuple[str, str, str], ...] = (
    # (trigger, table, function)
    ("rd_batch_rights", "batch", "rd_check_batch"),
    ("rd_invoice_rights", "base_invoice", "rd_check_invoice"),
    ("rd_payment_rights", "payment", "rd_check_payment"),
    ("rd_certification_rights", "certification", "rd_check_certification"),
    ("rd_certification_step_rights", "certification_step", "rd_check_certification_step"),
    ("rd_audit_user", AUDIT_TABLE, "rd_audit_user"),
)


#: The trigger on each table of :data:`LOCKS`: only the table's writers update its rows.
WRITERS_TRIGGER = "rd_writers_only"


def _right_of(table: str) -> str:
    """The right that writes ``table`` (the first in :data:`RIGHT_TABLES` that lists it)."""
    return next(right for right, tables in RIGHT_TABLES.items() if table in tables)


def install_access(conn: Any) -> str:
    """Create or bring up to date the group roles, grants, triggers, row policies and functions of this
    database (PostgreSQL only); returns the role prefix.  Runs inside the migration's transaction."""
    prefix = role_prefix(conn)
    database, oid = _here(conn)
    conn.execute(text("DELETE FROM app_meta WHERE key IN ('role_prefix', 'role_database')"))
    conn.execute(
        text("INSERT INTO app_meta (key, value) VALUES ('role_prefix', :p), ('role_database', :o)"),
        {"p": prefix, "o": oid},
    )
    groups = [group_role(prefix, r) for r in ROLES]
    missing = [
        g
        for g in groups
        if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :g"), {"g": g}).scalar()
    ]
    if (
        missing
        and not conn.execute(
            text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        ).scalar()
    ):
        from recuperation.errors import DatabaseOpenError

        raise DatabaseOpenError(
            "db.needs_createrole", login=str(conn.execute(text("SELECT current_user")).scalar_one())
        )
    for group in groups:
        # Roles belong to the whole server: made once, whichever database's migration comes first.
        conn.execute(
            text(
                f"""DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{group}') THEN
    CREATE ROLE {_q(group)} NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$"""
            )
        )
    who = str(conn.execute(text("SELECT session_user")).scalar_one())
    superuser = bool(
        conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")).scalar()
    )
    if not superuser:
        for group in groups:
            conn.execute(text(f"GRANT {_q(group)} TO {_q(who)} WITH ADMIN OPTION"))
    everyone = ", ".join(_q(g) for g in groups)
    conn.execute(text(f"REVOKE ALL ON DATABASE {_q(database)} FROM PUBLIC"))
    # no temporary tables (they would come first in a function's search path) and nothing of one's own in
    # the schema (PostgreSQL 14 and older let PUBLIC create there): a colleague can only use what is here
    conn.execute(text(f"REVOKE TEMPORARY ON DATABASE {_q(database)} FROM {everyone}"))
    conn.execute(text(f"GRANT CONNECT ON DATABASE {_q(database)} TO {everyone}"))
    conn.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    conn.execute(text("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {everyone}"))
    conn.execute(
        text(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public FROM {everyone}")
    )
    conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {everyone}"))
    _protect_full_numbers(conn, everyone)
    # A table's id sequence is used by those who insert into it, nobody else (a 查看 burns no ids).
    conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {everyone}"))
    existing = {
        str(name)
        for (name,) in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
    }
    for table, roles in sorted(_writers().items()):
        if table in existing:
            names = ", ".join(_q(group_role(prefix, r)) for r in sorted(roles))
            conn.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {_q(table)} TO {names}"))
            _grant_sequence(conn, table, names)
    for table, privilege, right in EXTRA_GRANTS:
        names = ", ".join(_q(group_role(prefix, r)) for r in sorted(RIGHTS[right]))
        conn.execute(text(f"GRANT {privilege} ON {_q(table)} TO {names}"))
    for right, tables in LOCKS.items():
        names = ", ".join(_q(group_role(prefix, r)) for r in sorted(RIGHTS[right]))
        for table in tables:
            conn.execute(text(f"GRANT UPDATE (id) ON {_q(table)} TO {names}"))
    admin = _q(group_role(prefix, "admin"))
    for table in PURGE_TABLES:
        conn.execute(text(f"GRANT UPDATE ON {_q(table)} TO {admin}"))
    conn.execute(text(f"GRANT INSERT ON {AUDIT_TABLE} TO {everyone}"))
    _grant_sequence(conn, AUDIT_TABLE, everyone)
    scrub = ", ".join(AUDIT_SCRUB_COLUMNS)
    conn.execute(text(f"GRANT UPDATE ({scrub}) ON {AUDIT_TABLE} TO {admin}"))

    conn.execute(text(f"DROP FUNCTION IF EXISTS {FULL_PEOPLE_FUNCTION}(integer, text, text)"))  # 0008's first
    for statement in _functions(prefix):
        conn.execute(text(statement))
    conn.execute(text(f"REVOKE ALL ON FUNCTION {REVEAL_FUNCTION}(integer) FROM PUBLIC"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION {REVEAL_FUNCTION}(integer) TO {everyone}"))
    full_people = f"{FULL_PEOPLE_FUNCTION}(integer[], text, text)"
    conn.execute(text(f"REVOKE ALL ON FUNCTION {full_people} FROM PUBLIC"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION {full_people} TO {everyone}"))
    conn.execute(text(f"REVOKE ALL ON FUNCTION {COPY_PERSON_FUNCTION}(integer, integer) FROM PUBLIC"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION {COPY_PERSON_FUNCTION}(integer, integer) TO {everyone}"))
    conn.execute(text(f"REVOKE ALL ON FUNCTION {PROMOTE_FUNCTION}(integer) FROM PUBLIC"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION {PROMOTE_FUNCTION}(integer) TO {everyone}"))
    conn.execute(text(f"REVOKE ALL ON FUNCTION {ID_PROBLEMS_FUNCTION}(date) FROM PUBLIC"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION {ID_PROBLEMS_FUNCTION}(date) TO {everyone}"))
    conn.execute(text(f"REVOKE ALL ON FUNCTION {KEYS_FUNCTION}(text[]) FROM PUBLIC"))
    conn.execute(text(f"REVOKE ALL ON FUNCTION {KEYS_FUNCTION}(text[]) FROM {everyone}"))
    keyed = ", ".join(_q(group_role(prefix, r)) for r in ROLES if r in KEY_ROLES)
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION {KEYS_FUNCTION}(text[]) TO {keyed}"))
    for trigger, table, function in TRIGGERS:
        if table in existing:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger} ON {_q(table)}"))
            conn.execute(
                text(
                    f"CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE ON {_q(table)} "
                    f"FOR EACH ROW EXECUTE FUNCTION {function}()"
                )
            )
    for table in sorted({t for tables in LOCKS.values() for t in tables} & existing):
        purging = ("admin",) if table in PURGE_TABLES else ()  # an administrator anonymising personal data
        arguments = ", ".join(f"'{a}'" for a in (_right_of(table), *writer_roles(table), *purging))
        conn.execute(text(f"DROP TRIGGER IF EXISTS {WRITERS_TRIGGER} ON {_q(table)}"))
        conn.execute(
            text(
                f"CREATE TRIGGER {WRITERS_TRIGGER} BEFORE UPDATE ON {_q(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION rd_check_writers({arguments})"
            )
        )
    # The audit log: everyone reads it; a row may only be written under one's own name (the trigger sets
    # it); an administrator may blank out values in a purge; nobody deletes.
    conn.execute(text(f"ALTER TABLE {AUDIT_TABLE} ENABLE ROW LEVEL SECURITY"))
    for policy, rule in (
        ("rd_audit_read", "FOR SELECT USING (true)"),
        ("rd_audit_write", 'FOR INSERT WITH CHECK ("user" = session_user OR rd_owner())'),
        ("rd_audit_scrub", "FOR UPDATE USING (rd_has('admin')) WITH CHECK (rd_has('admin'))"),
    ):
        conn.execute(text(f"DROP POLICY IF EXISTS {policy} ON {AUDIT_TABLE}"))
        conn.execute(text(f"CREATE POLICY {policy} ON {AUDIT_TABLE} {rule}"))
    return prefix


def uninstall_access(conn: Any) -> None:
    """Undo :func:`install_access`'s triggers, policies and functions (migration 0008's downgrade).  The
    group roles stay on the server (people are members of them); the grants stay and are harmless."""
    for trigger, table, _function in TRIGGERS:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger} ON {_q(table)}"))
    for table in sorted({t for tables in LOCKS.values() for t in tables}):
        conn.execute(text(f"DROP TRIGGER IF EXISTS {WRITERS_TRIGGER} ON {_q(table)}"))
    for policy in ("rd_audit_read", "rd_audit_write", "rd_audit_scrub"):
        conn.execute(text(f"DROP POLICY IF EXISTS {policy} ON {AUDIT_TABLE}"))
    conn.execute(text(f"ALTER TABLE {AUDIT_TABLE} DISABLE ROW LEVEL SECURITY"))
    for function in (
        f"{REVEAL_FUNCTION}(integer)",
        f"{FULL_PEOPLE_FUNCTION}(integer[], text, text)",
        f"{KEYS_FUNCTION}(text[])",
        f"{ID_PROBLEMS_FUNCTION}(date)",
        f"{COPY_PERSON_FUNCTION}(integer, integer)",
        f"{PROMOTE_FUNCTION}(integer)",
        "rd_check_batch()",
        "rd_check_invoice()",
        "rd_check_payment()",
        "rd_check_certification()",
        "rd_check_certification_step()",
        "rd_audit_user()",
        "rd_only_removed(text, text)",
        "rd_check_writers()",
        "rd_refuse(text)",
        "rd_has(text)",
        "rd_owner()",
    ):
        conn.execute(text(f"DROP FUNCTION IF EXISTS {function}"))
