"""The schema itself holds the absolute rules, whatever code writes to it."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from recuperation.storage.database import Database

NOW = "2021-03-01 09:00:00"
AUDIT = "version, created_at, updated_at, updated_by"
PARTNER = (
    f"INSERT INTO partner (id, {AUDIT}, name, kind, region, contact_name, contact_phone, address, notes,"
    f" archived) VALUES (:id, 1, '{NOW}', '{NOW}', 't', :name, 'enterprise', '', '', '', '', '', false)"
)
BATCH = (
    f"INSERT INTO batch ({AUDIT}, code, kind, status, partner_id, arrival, departure, headcount, leader,"
    f" leader_phone, guide, vehicle, notes, cancel_reason) VALUES (1, '{NOW}', '{NOW}', 't', :code,"
    " 'recuperation', :status, :partner, :arrival, :departure, :headcount, '', '', '', '', '', '')"
)
PERSON = (
    f"INSERT INTO participant (batch_id, {AUDIT}, name, id_number, phone, employer, department,"
    " model_worker, category, diet, health, emergency_contact, room, notes)"
    f" VALUES (1, 1, '{NOW}', '{NOW}', 't', '王芳', :id, '', '', '', false, '', '', '', '', '', '')"
)


def _batch(**over: object) -> dict[str, object]:
    return {
        "code": "L2021-0001",
        "status": "planned",
        "partner": 1,
        "arrival": "2021-05-12",
        "departure": "2021-05-14",
        "headcount": 30,
        **over,
    }


@pytest.fixture
def conn(db: Database):
    with db.engine.connect() as connection:
        connection.execute(text(PARTNER), {"id": 1, "name": "宁波大学"})
        connection.execute(text(BATCH), _batch())
        connection.commit()
        yield connection


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        (BATCH, _batch(code="L2021-0002", departure="2021-05-11")),  # departure before arrival
        (BATCH, _batch(code="L2021-0003", headcount=-1)),  # negative headcount
        (BATCH, _batch()),  # duplicate batch code
        (BATCH, _batch(code="L2021-0004", partner=99)),  # no such partner
        (BATCH, _batch(code="L2021-0005", status="lost")),  # unknown status
        (PARTNER, {"id": 2, "name": "宁波大学"}),  # duplicate partner name
    ],
    ids=["dates", "headcount", "code", "foreign key", "status", "partner name"],
)
def test_the_schema_refuses(conn, sql: str, params: dict[str, object]) -> None:
    with pytest.raises(IntegrityError):
        conn.execute(text(sql), params)
    conn.rollback()


def test_one_person_once_per_batch(conn) -> None:
    conn.execute(text(PERSON), {"id": "330182198001010016"})
    with pytest.raises(IntegrityError):
        conn.execute(text(PERSON), {"id": "330182198001010016"})
    conn.rollback()


def test_negative_lodging_and_beds(conn) -> None:
    with pytest.raises(IntegrityError):
        conn.execute(
            text(
                f"INSERT INTO base ({AUDIT}, name, kind, township, address, contact_name, contact_phone,"
                f" beds, rooms, dining_seats, meeting_seats, notes, archived) VALUES (1, '{NOW}',"
                f" '{NOW}', 't', '寿昌宾馆', 'hotel', '', '', '', '', -1, 0, 0, 0, '', false)"
            )
        )
    conn.rollback()


def test_every_table_of_the_office_is_a_data_table_in_foreign_key_order() -> None:
    """copy-to, the table counts and the checksums go through DATA_TABLES: a table missing there is lost
    silently when an office moves to a server (the money tables once were)."""
    from sqlmodel import SQLModel

    from recuperation.models import DATA_TABLES

    names = [str(model.__tablename__) for model in DATA_TABLES]
    assert set(names) == set(SQLModel.metadata.tables) - {"app_meta"}
    position = {name: i for i, name in enumerate(names)}
    for name in names:
        for key in SQLModel.metadata.tables[name].foreign_keys:
            parent = key.column.table.name
            assert parent == name or position[parent] < position[name], (name, parent)
