"""A person's full numbers (ID number, phone): what a desk shows instead, how it matches people, and the one
way to read them whole.

The full numbers are a right (完整证件号, ``access.RIGHTS["full_ids"]``).  ``Participant.id_number`` and
``phone`` are never loaded with a record (reading them raises); on a server only the schema's owner may
SELECT them (``storage/server_access.py``).  So:

- **to show** a person: ``id_masked`` and ``phone_masked`` (:data:`SHOWN`), kept by the database
  (``storage/person_keys.py``) equal to :func:`recuperation.people.mask_id` and ``mask_phone``;
- **to match** people: ``id_key`` (and ``phone_key``), equal for equal numbers.  Two stored people compare
  their keys; a number a desk holds (a row of an imported roster, a number typed) gets its key from
  :func:`keys_of` — the number itself on SQLite, the server's ``rd_id_keys`` on a server.  A number's last
  digits are matched against the masked value, which keeps the last four (:func:`suffix_matches`);
- **to read** them whole (print or export with full numbers, the insurer's list): :func:`full_numbers`, which
  refuses without the right and writes the audit entry in the same transaction as it reads — on a server
  the function ``rd_full_people`` does both, so that neither can happen without the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select, text
from sqlmodel import Session

from recuperation.access import RIGHTS, right_label, roles_either
from recuperation.errors import AccessDenied
from recuperation.models import Batch, Participant, Partner, table_of
from recuperation.services.common import audit, now
from recuperation.storage.database import Database

#: The columns a desk shows for the full numbers.
SHOWN: tuple[str, str] = ("id_masked", "phone_masked")
#: What full numbers are read for (the audit entry's action).
PURPOSES: tuple[str, ...] = ("print", "export")


def refuse_without(db: Database, right: str) -> None:
    """AccessDenied (what :meth:`recuperation.access.Access.why_not` says) unless the signed-in person may."""
    access = db.access
    if not access.can(right):
        raise AccessDenied(
            "access.needs", right=right_label(right), roles=roles_either(RIGHTS[right]), login=access.login
        )


def plain_keys(db: Database) -> bool:
    """On an SQLite file a person's key is the number itself (a local file protects nothing)."""
    return db.is_sqlite


def keys_of(db: Database, session: Session | None, numbers: Iterable[str]) -> dict[str, str]:
    """number → its key, for numbers a desk holds (normalised: :func:`recuperation.people.normalise_id`).

    On a server the keys are the server's (``rd_id_keys``), which only those who plan (and 完整证件号) may
    ask: for anyone else this refuses, naming the right."""
    wanted = sorted({n for n in numbers if n})
    if not wanted:
        return {}
    if plain_keys(db):
        return {n: n for n in wanted}
    from recuperation.storage.server_access import KEY_ROLES, KEYS_FUNCTION

    if not db.access.roles & KEY_ROLES:
        refuse_without(db, "plan")
    query = text(f"SELECT number, key FROM {KEYS_FUNCTION}(:numbers)")
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 5000):
        chunk = {"numbers": wanted[start : start + 5000]}
        if session is not None:
            rows = session.execute(query, chunk).all()
        else:
            with db.engine.connect() as conn:
                rows = list(conn.execute(query, chunk).all())
        found.update({str(n): str(k) for n, k in rows})
    return found


def key_of(db: Database, session: Session | None, number: str) -> str:
    return keys_of(db, session, [number]).get(number, "")


def suffix_matches(typed: str, masked: str, key: str, plain: bool) -> bool:
    """Whether the last digits ``typed`` (four or more, normalised) are those of the person whose number is
    masked as ``masked`` (and keyed ``key``; ``plain``: the key is the number, :func:`plain_keys`).  The masked
    number keeps the first six and the last four: on a server the digits that fall in its hidden middle cannot
    be compared, and only the others are; on an SQLite file the whole suffix is compared."""
    if not typed:
        return False
    if plain:
        return key.upper().endswith(typed)
    if len(typed) > len(masked):
        return False
    tail = masked[len(masked) - len(typed) :]
    return all(m in ("*", t) for m, t in zip(tail.upper(), typed, strict=True))


def number_matches(typed: str, masked: str, key: str, plain: bool, typed_key: str = "") -> bool:
    """Whether the whole number ``typed`` is the person's: by the keys (``typed_key``, the typed number's,
    from :func:`keys_of`; on an SQLite file the number is its key).  Without the key (a search on the screen,
    which asks the server nothing), by the masked number: the first six and the last four digits."""
    from recuperation.people import mask_id

    if plain or typed_key:
        return key == (typed_key or typed)
    return masked == mask_id(typed)


def full_numbers(
    db: Database, session: Session, batches: int | Sequence[int], purpose: str, detail: str = ""
) -> dict[int, tuple[str, str]]:
    """participant id → (ID number, phone) of everyone on the rosters of ``batches`` (one batch, or batches of
    one partner: a partner's year), read whole to ``purpose`` (print, export).  The reading is recorded in the
    audit log — one entry, on the batch or the partner, with ``detail`` (what was made: "名单 40 人 →
    roster.xlsx") — in ``session``'s transaction (a write one).  Refused without the right (完整证件号)."""
    if purpose not in PURPOSES:
        raise ValueError(f"full numbers are read to print or export, not {purpose!r}")
    refuse_without(db, "full_ids")
    wanted = sorted({batches} if isinstance(batches, int) else set(batches))
    if not wanted:
        return {}
    if not db.is_sqlite:
        from recuperation.storage.server_access import FULL_PEOPLE_FUNCTION

        rows = session.execute(
            text(f"SELECT id, id_number, phone FROM {FULL_PEOPLE_FUNCTION}(:b, :purpose, :detail)"),
            {"b": wanted, "purpose": purpose, "detail": detail},
        ).all()
        return {int(i): (str(n), str(p or "")) for i, n, p in rows}
    b, o = table_of(Batch).c, table_of(Partner).c
    found = session.execute(select(b.id, b.code, b.partner_id).where(b.id.in_(wanted))).all()
    if not found:
        return {}
    partners = {int(partner) for _i, _code, partner in found}
    if len(found) == 1:
        table, record, label = "batch", int(found[0][0]), str(found[0][1])
    elif len(partners) == 1:
        (partner_id,) = partners
        name = session.execute(select(o.name).where(o.id == partner_id)).scalar_one()
        table, record, label = "partner", partner_id, str(name)
    else:
        raise ValueError("full numbers are read for one batch, or batches of one partner")
    audit(session, db.user, purpose, table, record, label, "full_ids", None, detail)
    p = table_of(Participant).c
    result: dict[int, tuple[str, str]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.execute(select(p.id, p.id_number, p.phone).where(p.batch_id.in_(chunk))).all()
        result.update({int(i): (str(n), str(ph or "")) for i, n, ph in rows})
    return result


def reveal(db: Database, participant_id: int) -> tuple[str, str] | None:
    """One person's (ID number, phone), shown on request and recorded in the audit log in the same
    transaction; None when the person is gone.  Refused without the right (完整证件号)."""
    refuse_without(db, "full_ids")
    with db.session(write=True) as session:
        if not db.is_sqlite:
            from recuperation.storage.server_access import REVEAL_FUNCTION

            row = session.execute(
                text(f"SELECT id_number, phone FROM {REVEAL_FUNCTION}(:p)"), {"p": participant_id}
            ).first()
            return None if row is None else (str(row[0]), str(row[1] or ""))
        p, b = table_of(Participant).c, table_of(Batch).c
        found = session.execute(
            select(p.id_number, p.phone, p.name, b.code)
            .join_from(table_of(Participant), table_of(Batch), b.id == p.batch_id)
            .where(p.id == participant_id)
        ).first()
        if found is None:
            return None
        number, phone, name, code = found
        audit(session, db.user, "reveal", "participant", participant_id, f"{code} {name}", "id_number")
        return str(number), str(phone or "")


def _copy(db: Database, session: Session, kind: str, function: str, arguments: dict[str, int]) -> int | None:
    """Write a person anew on a roster with their numbers carried unread (``server_access.person_copy_sql``):
    on a server its function ``function`` does it (for those who plan); on an SQLite file the same INSERT."""
    from recuperation.storage.server_access import person_copy_sql

    if not db.is_sqlite:
        call = ", ".join(f":{name}" for name in arguments)
        return session.execute(text(f"SELECT {function}({call})"), arguments).scalar()
    source, target = (":person", ":target") if kind == "move" else (":entry", "")
    statement = person_copy_sql(kind, source=source, target=target, at=":at", user=":user") + " RETURNING id"
    return session.execute(text(statement), {**arguments, "at": now(), "user": db.user}).scalar()


def copy_person(db: Database, session: Session, person_id: int, target_batch_id: int) -> int:
    """Write the person ``person_id`` anew on another batch's roster (a move), their numbers carried unread;
    returns the new person's id.  The room and the roll-call mark stay behind (the new batch's).  On a server
    the function ``rd_copy_person`` does it, for those who plan."""
    from recuperation.storage.server_access import COPY_PERSON_FUNCTION

    made = _copy(db, session, "move", COPY_PERSON_FUNCTION, {"person": person_id, "target": target_batch_id})
    if made is None:
        raise ValueError(f"no person {person_id} to move")
    return int(made)


def promote_waiting(db: Database, session: Session, entry_id: int) -> int:
    """Write the person waiting as ``entry_id`` onto their batch's roster (a promotion from the waiting list),
    their numbers carried unread; returns the new person's id.  On a server the function
    ``rd_promote_waiting`` does it, for those who plan."""
    from recuperation.storage.server_access import PROMOTE_FUNCTION

    made = _copy(db, session, "promote", PROMOTE_FUNCTION, {"entry": entry_id})
    if made is None:
        raise ValueError(f"no waiting entry {entry_id} to promote")
    return int(made)


def masked_people(session: Session, batch_ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
    """participant id → (id_masked, phone_masked, id_key) of the batches' people."""
    p = table_of(Participant).c
    found: dict[int, tuple[str, str, str]] = {}
    ids = sorted(set(batch_ids))
    for start in range(0, len(ids), 500):
        for i, m, ph, k in session.execute(
            select(p.id, p.id_masked, p.phone_masked, p.id_key).where(
                p.batch_id.in_(ids[start : start + 500])
            )
        ):
            found[int(i)] = (str(m), str(ph), str(k))
    return found
