"""The columns the database keeps from a person's full numbers (recuperation/storage/person_keys.py): the
masks it computes in SQL are exactly what the program's own mask_id and mask_phone give, on awkward values
too, and every writer — the services, a raw INSERT or UPDATE, a forged mask — leaves them true."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text

from recuperation.people import mask_id, mask_phone
from recuperation.services.batch import batches
from recuperation.storage.database import Database
from tests.factories import partner, person_id

pytestmark = pytest.mark.pg_owner  # reads the stored numbers beside what the database keeps from them

NUMBERS = [
    "",
    "1",
    "1234567890",  # 10: shown whole
    "12345678901",  # 11: one star
    "330182660101001",  # an old 15-digit number
    person_id(1),
    "33010619850615001X",
    "33010619850615001x",
    "３３０１８２１９８００１０１００１２",  # full-width, as a careless writer might store it
    "ANON1234567",  # an anonymised person's token, longer than 10: kept whole (privacy purge)
    "ANONW12345678901",
]
PHONES = [
    "",
    "138",
    "138123",  # 6: shown whole
    "1381234",  # 7: the stars and nothing after
    "13812345678",
    " 13812345678 ",
    "\u300013812345678\t",
    "0571-64712345",
    "+86 138 1234 5678",
]


@pytest.fixture
def batch_id(db: Database) -> int:
    p = partner(db)
    return batches.create_batch(
        db, batches.BatchInput(p.id, dt.date(2021, 5, 12), dt.date(2021, 5, 14), 6, code="L2021-0100")
    ).id


def _insert(db: Database, batch_id: int, rows: list[tuple[str, str]]) -> None:
    with db.engine.begin() as conn:
        for i, (number, phone) in enumerate(rows):
            conn.execute(
                text(
                    "INSERT INTO participant (batch_id, name, id_number, phone, employer, department, "
                    "model_worker, category, diet, health, emergency_contact, room, notes, companion, attendance, "
                    "version, created_at, updated_at, updated_by) VALUES (:b, :n, :i, :p, '', '', false, '', '', "
                    "'', '', '', '', false, '', 1, :t, :t, '')"
                ),
                {"b": batch_id, "n": f"人{i}", "i": number, "p": phone, "t": dt.datetime(2021, 1, 1)},
            )


def _kept(db: Database) -> list[tuple[str, str, str, str, str, str]]:
    with db.engine.connect() as conn:
        return [
            tuple(str(v) for v in row)  # type: ignore[misc]
            for row in conn.execute(
                text(
                    "SELECT id_number, phone, id_masked, phone_masked, id_key, phone_key "
                    "FROM participant ORDER BY id"
                )
            )
        ]


def _keys_of(db: Database, values: list[str]) -> dict[str, str]:
    if db.is_sqlite:
        return {v: v for v in values}
    with db.engine.connect() as conn:
        found = dict(conn.execute(text("SELECT number, key FROM rd_id_keys(:n)"), {"n": values}).all())
    return {v: ("" if v == "" else found[v]) for v in values}


def test_the_databases_masks_are_the_programs_on_awkward_values(db: Database, batch_id: int) -> None:
    rows = [(n, PHONES[i % len(PHONES)]) for i, n in enumerate(NUMBERS)]
    rows += [(person_id(100 + i), p) for i, p in enumerate(PHONES)]
    _insert(db, batch_id, rows)
    kept = _kept(db)
    keys = _keys_of(db, [v for row in rows for v in row])
    assert [(r[2], r[3]) for r in kept] == [(mask_id(n), mask_phone(p)) for n, p in rows]
    assert [(r[4], r[5]) for r in kept] == [(keys[n], keys[p]) for n, p in rows]


def test_every_writer_keeps_them_true(db: Database, batch_id: int) -> None:
    _insert(db, batch_id, [(person_id(1), "13812345678"), (person_id(2), "")])
    new = person_id(3)
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE participant SET id_number = :n, phone = '13900001111' WHERE name = '人0'"),
            {"n": new},
        )
        # a forged mask or key is put right at once
        conn.execute(
            text(
                "UPDATE participant SET id_masked = 'x', id_key = 'y', phone_masked = 'z' WHERE name = '人1'"
            )
        )
        conn.execute(text("UPDATE participant SET room = '101' WHERE name = '人1'"))
    keys = _keys_of(db, [new, person_id(2), "13900001111"])
    first, second = _kept(db)
    assert first[2:] == (mask_id(new), "139****1111", keys[new], keys["13900001111"])
    assert second[2:] == (mask_id(person_id(2)), "", keys[person_id(2)], "")


@pytest.mark.pg_only
def test_a_servers_keys_are_keyed_hashes_that_survive_an_upgrade(db: Database, batch_id: int) -> None:
    """The key is no plain hash anyone could compute: it takes the database's secret, which only the owner
    reads, and the secret is kept when the access is installed again (every upgrade does)."""
    import hashlib

    from recuperation.storage.person_keys import install_person_keys
    from recuperation.storage.server_access import install_access

    _insert(db, batch_id, [(person_id(1), "13812345678")])
    before = _kept(db)[0]
    assert before[4] not in (person_id(1), hashlib.sha256(person_id(1).encode()).hexdigest())
    assert len(before[4]) == 64
    with db.engine.begin() as conn:
        install_person_keys(conn)
        install_access(conn)
    assert _kept(db)[0] == before


def _waiting_entry(conn: Any, batch_id: int, number: str, phone: str) -> None:
    conn.execute(
        text(
            "INSERT INTO waiting_entry (batch_id, name, id_number, phone, employer, category, added_on, state, "
            "reason, version, created_at, updated_at, updated_by) VALUES (:b, '赵候补', :n, :p, '', '', :d, "
            "'waiting', '', 1, :t, :t, '')"
        ),
        {"b": batch_id, "n": number, "p": phone, "d": dt.date(2021, 4, 1), "t": dt.datetime(2021, 1, 1)},
    )


def test_the_waiting_list_is_kept_as_the_roster_is_and_an_upgrade_fills_it(
    db: Database, batch_id: int
) -> None:
    """Migration 0009 on a database of 0008 with a waiting list: its entries get their masks, keys and the ID
    number's sex and birth date; down and up again, nothing else of them changes."""
    from alembic import command

    from recuperation.storage.schema import alembic_config

    number, phone = person_id(4, "19760203"), "13812345678"
    with db.engine.connect() as conn:
        command.downgrade(alembic_config(conn), "0008")
        conn.commit()
        _waiting_entry(conn, batch_id, number, phone)
        conn.commit()
        command.upgrade(alembic_config(conn), "head")
        conn.commit()
        row = conn.execute(
            text(
                "SELECT id_number, phone, id_masked, phone_masked, id_key, sex, birth_date FROM waiting_entry"
            )
        ).one()
    key = _keys_of(db, [number])[number]
    birth = row[6] if isinstance(row[6], dt.date) else dt.date.fromisoformat(str(row[6]))
    assert tuple(row[:6]) == (number, phone, mask_id(number), "138****5678", key, "F")
    assert birth == dt.date(1976, 2, 3)
    with db.engine.begin() as conn:  # a writer that forgets the masks: the database keeps them
        conn.execute(text("UPDATE waiting_entry SET id_number = :n, phone = ''"), {"n": person_id(5)})
        assert conn.execute(text("SELECT id_masked, phone_masked FROM waiting_entry")).one() == (
            mask_id(person_id(5)),
            "",
        )
