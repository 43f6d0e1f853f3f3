"""Personal data kept no longer than needed (issue 24, PIPL): ``privacy purge`` and its retention policy.

What an administrator checks: every year's ``stats --json`` (with ``--money``) is the same to the byte after the
demo's year is anonymised; no removed ID number or phone (full or masked) is left in any text column of any
table, audit log included, and no removed name either (a small office plants distinctive ones everywhere a
person's data lives); a dry run changes nothing; a date later than the policy allows is refused naming both
dates; the purge is audited per batch with counts and no names; a second purge finds nobody; a person whose
batch ended after the date keeps everything; the anonymised still stand on their rosters and the exports
read back unchanged; only an administrator may purge, and an anonymised person cannot be edited.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String, Text, select, text
from sqlalchemy.engine import make_url

from recuperation import messages
from recuperation.access import Access
from recuperation.cli import main as cli_main
from recuperation.errors import AccessDenied, RuleViolation, ValidationError
from recuperation.models import DATA_TABLES, Participant, table_of
from recuperation.people import age_on, mask_id, mask_phone
from recuperation.services import feedback, incidents, insurance, orders, policy, privacy, users
from recuperation.services.batch import batches, roster_moves, rosters
from recuperation.services.checks import bad_ids
from recuperation.services.statistics import years_with_records
from recuperation.storage.database import Database, open_database
from tests.factories import owner_connection, partner, person_id
from tests.round_trip_helpers import roster_round_trip, snapshot, table_sums

D = dt.date
TODAY = dt.date.today()


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli_main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def text_values(db: Database) -> Iterator[tuple[str, str, int, str]]:
    """(table, column, row id, value) of every non-empty text column of every table, the audit log included."""
    with owner_connection(db) as conn:
        for model in DATA_TABLES:
            table = table_of(model)
            columns = [c for c in table.c if isinstance(c.type, String | Text)]
            key = next(iter(table.primary_key.columns))
            for row in conn.execute(select(key, *columns)):
                for column, value in zip(columns, row[1:], strict=True):
                    if value:
                        yield str(table.name), column.name, row[0], str(value)


_NUMBER_RUN = re.compile(r"[0-9Xx*]{7,}")


def leftovers(db: Database, numbers: set[str], names: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Where any of ``numbers`` (whole runs of digits and stars) or ``names`` (anywhere) is still written."""
    found = []
    for table, column, row_id, value in text_values(db):
        hits = {run for run in _NUMBER_RUN.findall(value) if run in numbers}
        hits |= {name for name in names if name in value}
        if hits:
            found.append(f"{table}.{column} #{row_id}: {sorted(hits)} in {value[:80]!r}")
    return found


def forms(number: str, phone: str = "") -> set[str]:
    """A person's numbers as they may be written: full and masked."""
    found = {number, mask_id(number)}
    if phone:
        found |= {phone, mask_phone(phone)}
    return found


# --- a small office: every place a person's data lives, written through the services -------------------------


PLANTED_NAMES = (
    "测试甲乙丙",
    "测试己庚",
    "测试辛壬",
    "测试癸子",
    "候补丑寅",
    "测试丁戊",
    "路人卯辰",
    "领队甲乙",
)


@dataclass
class Office:
    db: Database
    gone: int  # the batch to anonymise (2021-05-10 … 12)
    kept: int  # a batch that ends after the date, in the next year (2022-06-10 … 12)
    people: dict[str, int]  # name → participant id in ``gone``
    numbers: set[str]  # every number of the people of ``gone``, full and masked
    both: int  # the participant of ``kept`` who was in ``gone`` too


BEFORE = D(2021, 6, 1)


def office(db: Database) -> Office:
    p = partner(db)
    gone = batches.create_batch(
        db,
        batches.BatchInput(
            p.id,
            D(2021, 5, 10),
            D(2021, 5, 12),
            4,
            code="L2021-0001",
            leader="领队甲乙",
            leader_phone="13700001111",
            notes="联系人 测试甲乙丙 13800001234",
        ),
    )
    kept = batches.create_batch(
        db, batches.BatchInput(p.id, D(2022, 6, 10), D(2022, 6, 12), 1, code="L2022-0001")
    )

    def add(batch_id: int, n: int, name: str, **more: str) -> int:
        row, _warnings = rosters.add_participant(
            db, batch_id, rosters.ParticipantInput(name, person_id(n, "19800615"), **more)
        )
        return row.id

    people = {
        "测试甲乙丙": add(
            gone.id,
            1,
            "测试甲乙丙",
            phone="13800001234",
            emergency_contact="妻 测试丁戊 13900002222",
            health="高血压",
            diet="清真",
            room="301",
            department="工会办公室",
            notes=f"另一证件 {person_id(9)}",
        ),
        "测试己庚": add(gone.id, 2, "测试己庚", phone="13800005678", room="301"),
        "测试辛壬": add(gone.id, 3, "测试辛壬", phone="13800007777", room="302"),
        "两批同人": add(gone.id, 4, "两批同人", phone="13800004444"),
    }
    both = add(kept.id, 4, "两批同人", phone="13800004444")
    # a correction of a phone, a substitution with its reason, the waiting list, a full number shown
    second = next(r for r in rosters.list_participants(db, gone.id) if r.name == "测试己庚")
    rosters.update_participant(
        db,
        second.id,
        second.version,
        rosters.ParticipantInput("测试己庚", None, phone="13800009999", room="301"),
    )
    third = next(r for r in rosters.list_participants(db, gone.id) if r.name == "测试辛壬")
    new, _warnings = roster_moves.substitute(
        db,
        third.id,
        third.version,
        rosters.ParticipantInput("测试癸子", person_id(5, "19800615"), phone="13811110000", room="302"),
        "测试辛壬 生病，电话 13811112222",
    )
    people["测试癸子"] = new.id
    del people["测试辛壬"]
    roster_moves.add_waiting(
        db, gone.id, rosters.ParticipantInput("候补丑寅", person_id(6, "19800615"), phone="13822223333")
    )
    rosters.reveal_participant(db, people["测试甲乙丙"])
    incidents.record_incident(
        db,
        incidents.IncidentInput(
            occurred_on=D(2021, 5, 11),
            kind="injury",
            severity="minor",
            summary="测试甲乙丙 扭伤脚踝",
            batch_id=gone.id,
            details="送医，家属 测试丁戊 13900002222",
            participant_ids=(people["测试甲乙丙"],),
            others="路人卯辰 13633334444",
            action_taken="联系 13800001234",
            outcome="已康复",
        ),
    )
    feedback.add_response(
        db,
        gone.id,
        feedback.ResponseInput(
            participant_id=people["测试甲乙丙"],
            respondent="测试甲乙丙",
            comment="很好，测试甲乙丙 13800001234",
        ),
    )
    feedback.add_response(db, gone.id, feedback.ResponseInput(respondent="第一组", comment="安排周到，谢谢"))
    orders.save_notice(db, gone.id, 0, {"contacts": "测试丁戊 13900002222", "gather_place": "总工会门口"})
    insurance.set_insurance(
        db,
        gone.id,
        None,
        insurance.InsuranceInput(
            "人保财险",
            "PICC-2021-1",
            10_000_000,
            1_000_000,
            D(2021, 5, 10),
            D(2021, 5, 12),
            4,
            "被保险人 测试甲乙丙",
        ),
    )
    numbers: set[str] = set()
    for n, phone in ((1, "13800001234"), (2, "13800005678"), (3, "13800007777"), (5, "13811110000")):
        numbers |= forms(person_id(n, "19800615"), phone)
    numbers |= forms(person_id(6, "19800615"), "13822223333") | forms(person_id(9))
    for phone in ("13800009999", "13900002222", "13811112222", "13633334444", "13700001111"):
        numbers |= {phone, mask_phone(phone)}
    return Office(db, gone.id, kept.id, people, numbers, both)


def row_of(db: Database, participant_id: int) -> dict[str, Any]:
    """Every column of a person's record, read as the owner (the full numbers too)."""
    with owner_connection(db) as conn:
        p = table_of(Participant)
        return dict(conn.execute(select(p).where(p.c.id == participant_id)).one()._mapping)


def test_every_place_a_person_lives_is_anonymised_and_nothing_else(db: Database) -> None:
    o = office(db)
    before = {pid: row_of(db, pid) for pid in (*o.people.values(), o.both)}
    assert leftovers(db, o.numbers, set(PLANTED_NAMES))  # the search finds them before
    plan = privacy.purge_plan(db, BEFORE)
    assert [(b.code, b.people) for b in plan.batches] == [("L2021-0001", 4)]
    assert [(y.year, y.batches, y.people) for y in plan.years] == [(2021, 1, 4)]

    result = privacy.purge(db, BEFORE)
    assert (result.people, result.batches, result.anonymised_on) == (4, 1, TODAY)
    found = leftovers(db, o.numbers, set(PLANTED_NAMES))
    assert not found, "\n".join(found)

    # what a person became: the facts the statistics count kept, the rest gone
    for name, pid in o.people.items():
        row, old = row_of(db, pid), before[pid]
        assert row["name"] == "已匿名化" and row["anonymised_on"] == TODAY, name
        assert re.fullmatch(r"ANON\d+", row["id_number"]) and len(row["id_number"]) <= 18
        for field in ("phone", "department", "diet", "health", "emergency_contact", "notes"):
            assert row[field] == "", (name, field)
        for field in ("sex", "employer", "category", "model_worker", "companion", "attendance", "left_on"):
            assert row[field] == old[field], (name, field)
        assert row["birth_date"] != old["birth_date"]
        assert age_on(row["birth_date"], D(2021, 5, 10)) == age_on(old["birth_date"], D(2021, 5, 10))
        assert row["version"] == old["version"] + 1
    rooms = {name: row_of(db, pid)["room"] for name, pid in o.people.items()}
    assert rooms["测试甲乙丙"] == rooms["测试己庚"] != rooms["测试癸子"]  # who shared a room still does
    assert "301" not in rooms.values() and rooms["两批同人"] == ""
    # the same person in a batch that ended later keeps everything
    assert row_of(db, o.both) == before[o.both]
    assert row_of(db, o.both)["id_number"] == person_id(4, "19800615")

    # the group's own words stay (without names or numbers); a participant's name as respondent goes
    responses = feedback.list_responses(db, o.gone)
    assert sorted((r.respondent, r.comment) for r in responses) == [
        ("", "很好，某某 ***"),
        ("第一组", "安排周到，谢谢"),
    ]
    history = {e.kind: e for e in roster_moves.roster_history(db, o.gone)}
    assert set(history) == {"substitute", "waitlist"}
    event = history["substitute"]
    assert (event.name, event.other_name, event.reason) == ("已匿名化", "已匿名化", "某某 生病，电话 ***")
    assert (history["waitlist"].name, history["waitlist"].id_masked) == ("已匿名化", "")
    [waiting] = roster_moves.list_waiting(db, o.gone)
    assert waiting.name == "已匿名化" and waiting.id_masked.startswith("ANONW") and waiting.phone_masked == ""

    # one audit entry for the batch, with the count and no name
    with db.engine.connect() as conn:
        entries = conn.execute(
            text("SELECT record_label, field, old, new FROM audit_log WHERE action = 'anonymise'")
        ).all()
    assert [tuple(e) for e in entries] == [("L2021-0001", "anonymised", None, "4 人；截止 2021-06-01")]
    # a second purge finds nobody and changes nothing
    sums = table_sums(db)
    assert not privacy.purge_plan(db, BEFORE).batches
    assert privacy.purge(db, BEFORE).people == 0
    assert table_sums(db) == sums


def test_an_anonymised_person_cannot_be_edited_but_stays_on_the_roster(db: Database) -> None:
    o = office(db)
    privacy.purge(db, BEFORE)
    roster = rosters.list_participants(db, o.gone)
    assert {r.name for r in roster} == {"已匿名化"} and all(r.anonymised_on == TODAY for r in roster)
    person = roster[0]
    with pytest.raises(RuleViolation) as caught:
        rosters.update_participant(
            db, person.id, person.version, rosters.ParticipantInput("张三", person_id(11)), "更正"
        )
    assert person.id_masked in caught.value.message and TODAY.isoformat() in caught.value.message
    assert not [b for b in bad_ids(db) if b.batch_id == o.gone]  # a token is no bad ID number


def test_the_roster_export_of_an_anonymised_batch_reads_back_unchanged(db: Database, tmp_path: Path) -> None:
    from recuperation.workbooks import export_roster

    office(db)
    privacy.purge(db, BEFORE)
    for full in (False, True):
        path = tmp_path / f"名单{full}.xlsx"
        export_roster(db, "L2021-0001", path, full_ids=full)
        problems = roster_round_trip(db, "L2021-0001", path, snapshot(db), people=4, masked=not full)
        assert not problems, "\n".join(problems)


def test_a_date_the_policy_does_not_allow_is_refused_naming_both_dates(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    office(db)
    sums = table_sums(db)
    cutoff = privacy.cutoff_for(TODAY, 3)
    with pytest.raises(RuleViolation) as caught:
        privacy.purge(db, cutoff + dt.timedelta(days=1))
    said = caught.value.message
    assert (cutoff + dt.timedelta(days=1)).isoformat() in said and cutoff.isoformat() in said
    assert "3 年" in said
    code, _out, err = cli(capsys, "--db", db.url, "privacy", "purge", "--before", TODAY.isoformat())
    assert code == 1 and cutoff.isoformat() in err and TODAY.isoformat() in err
    code, _out, err = cli(
        capsys, "--lang", "en", "--db", db.url, "privacy", "purge", "--before", TODAY.isoformat(), "--dry-run"
    )
    assert code == 1 and f"the latest date is {cutoff.isoformat()}" in err and "3 years" in err
    assert table_sums(db) == sums
    # the policy: whole years from 0 to 100
    for bad in ("-1", "abc", "2.5", "101"):
        with pytest.raises(ValidationError) as refused:
            policy.set_policy(db, {"retention_years": bad})
        assert refused.value.field == "retention_years" and bad in refused.value.message
    assert policy.set_policy(db, {"retention_years": "0"}).retention_years == 0
    assert privacy.purge_plan(db, TODAY).cutoff == TODAY
    with pytest.raises(RuleViolation):
        privacy.purge_plan(db, TODAY + dt.timedelta(days=1))


def test_only_an_administrator_may_purge(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    office(db)
    sums = table_sums(db)
    db.access = Access("wang", frozenset({"coordinator", "head"}))
    with pytest.raises(AccessDenied) as caught:
        privacy.purge(db, BEFORE)
    assert caught.value.message == messages.text("privacy.denied", why=db.access.why_not("settings"))
    assert "wang" in caught.value.message and "管理员" in caught.value.message
    assert table_sums(db) == sums
    assert privacy.purge_plan(db, BEFORE).people == 4  # anyone may look


def test_the_command_line_warns_before_it_starts_and_says_what_it_did(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    office(db)
    code, out, err = cli(capsys, "--db", db.url, "privacy", "status", "--json")
    status = json.loads(out)
    assert code == 0 and status["retention_years"] == 3 and status["anonymised"] == []
    assert status["due"]["people"] == 5  # both batches ended three years ago
    code, out, err = cli(capsys, "--db", db.url, "privacy", "purge", "--before", BEFORE.isoformat(), "--json")
    result = json.loads(out)
    assert code == 0 and result["written"] and result["people_anonymised"] == 4
    assert result["by_year"] == [{"year": 2021, "batches": 1, "people": 4}]
    assert "不可撤销" in err and "只能从匿名化之前的备份恢复" in err
    assert ("备份" in err) and ("服务器的备份" in err if not db.is_sqlite else "-backups" in err)
    code, out, err = cli(capsys, "--db", db.url, "privacy", "purge", "--before", BEFORE.isoformat())
    assert code == 0 and "没有待匿名化的人" in out and "不可撤销" not in err
    code, out, _err = cli(capsys, "--lang", "en", "--db", db.url, "privacy", "status")
    assert "Anonymised already:" in out and "2021: 1 batch, 4 people" in out


# --- the demo office: the statistics stay exact ----------------------------------------------------------------


def stats_of_every_year(db: Database, capsys: pytest.CaptureFixture[str]) -> dict[int, str]:
    found = {}
    for year in years_with_records(db):
        code, out, err = cli(capsys, "--db", db.url, "stats", "--year", str(year), "--json", "--money")
        assert code == 0, err
        found[year] = out
    return found


@pytest.mark.slow
def test_anonymising_the_demo_year_keeps_every_statistic_to_the_byte(
    demo_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    db = demo_db
    p, b = table_of(Participant).c, table_of(batches.Batch).c
    # a batch of the next year with two of the year's people again: kept, with their numbers
    with owner_connection(db) as conn:
        again = conn.execute(
            select(b.partner_id, p.name, p.id_number, p.phone)
            .join(table_of(batches.Batch), b.id == p.batch_id)
            .where(b.status == "completed", p.companion.is_(False))
            .order_by(p.id)
            .limit(2)
        ).all()
    next_year = batches.create_batch(
        db, batches.BatchInput(again[0].partner_id, D(2022, 3, 7), D(2022, 3, 9), 2, code="L2022-0901")
    )
    for row in again:
        rosters.add_participant(
            db, next_year.id, rosters.ParticipantInput(row.name, row.id_number, phone=row.phone)
        )
    with owner_connection(db) as conn:
        people = conn.execute(
            select(p.id, p.batch_id, p.name, p.id_number, p.phone, b.arrival, b.departure).join(
                table_of(batches.Batch), b.id == p.batch_id
            )
        ).all()
        events = conn.execute(text("SELECT batch_id, name, other_name FROM roster_event")).all()
    cut = D(2022, 1, 3)  # after the last batch of 2021 came home
    # whole years by arrival (services/privacy._whole_years): a year with a batch ending after the date stays
    last: dict[int, dt.date] = {}
    with owner_connection(db) as conn:
        for arrival, departure in conn.execute(select(b.arrival, b.departure)):
            last[arrival.year] = max(last.get(arrival.year, departure), departure)
    years = {y for y, ended in last.items() if ended < cut}
    due = [r for r in people if r.departure < cut and r.arrival.year in years]
    due_ids = {r.id for r in due}
    kept = [r for r in people if r.id not in due_ids]
    assert due and kept
    stats = stats_of_every_year(db, capsys)
    sums = table_sums(db)

    # the dry run: the plan, and nothing changed
    code, out, err = cli(
        capsys, "--db", db.url, "privacy", "purge", "--before", cut.isoformat(), "--dry-run", "--json"
    )
    plan = json.loads(out)
    assert code == 0 and not plan["written"] and plan["people"] == len(due)
    assert plan["by_year"] == [{"year": 2021, "batches": len({r.batch_id for r in due}), "people": len(due)}]
    assert "不可撤销" in err and "去掉 --dry-run" in err
    assert table_sums(db) == sums

    code, out, err = cli(capsys, "--db", db.url, "privacy", "purge", "--before", cut.isoformat(), "--json")
    result = json.loads(out)
    assert code == 0, err
    assert result["people_anonymised"] == len(due) and result["batches"] == plan["batches"]
    assert stats_of_every_year(db, capsys) == stats

    # no removed number left anywhere (those of people also in a later batch stay with that batch)
    still = {r.id_number for r in kept} | {r.phone for r in kept}
    numbers: set[str] = set()
    for r in due:
        if r.id_number not in still:
            numbers |= {r.id_number, mask_id(r.id_number)}
        if r.phone and r.phone not in still:
            numbers |= {r.phone, mask_phone(r.phone)}
    found = leftovers(db, numbers)
    assert not found, "\n".join(found[:10])
    # no removed name left in its batch's records: the roster, its history (who was replaced), the audit log
    names: dict[int, set[str]] = {}
    for r in due:
        names.setdefault(r.batch_id, set()).add(r.name)
    for batch_id, name, other in events:
        if batch_id in names:
            names[batch_id] |= {name, other} - {""}
    with db.engine.connect() as conn:
        texts = conn.execute(text("SELECT batch_id, name, other_name, reason FROM roster_event")).all()
        rows = conn.execute(select(p.batch_id, p.name, p.anonymised_on)).all()
        labels = conn.execute(
            text("SELECT record_label, old, new FROM audit_log WHERE table_name IN ('participant', 'batch')")
        ).all()
    for batch_id, *values in texts:
        for name in names.get(batch_id, ()):
            assert not any(name in v for v in values), (batch_id, name, values)
    assert {(n, a) for batch_id, n, a in rows if batch_id in names} == {("已匿名化", TODAY)}
    every = {n for ns in names.values() for n in ns} - {r.name for r in kept}
    for label, old, new in labels:
        assert label.split(" ", 1)[-1] not in every and old not in every and new not in every
    # the batches that ended after the date keep their people as they were
    with owner_connection(db) as conn:
        after = {r.id: r for r in conn.execute(select(p.id, p.name, p.id_number, p.phone, p.anonymised_on))}
    assert all(
        tuple(after[r.id][1:4]) == (r.name, r.id_number, r.phone) and after[r.id][4] is None for r in kept
    )
    # audited once per batch; a second purge finds nobody; status says what was done
    with db.engine.connect() as conn:
        audited = conn.execute(text("SELECT count(*) FROM audit_log WHERE action = 'anonymise'")).scalar_one()
    assert audited == plan["batches"]
    assert not privacy.purge_plan(db, cut).batches
    status = privacy.privacy_status(db)
    assert [(y.year, y.people) for y in status.anonymised] == [(2021, len(due))]
    assert status.last_anonymised_on == TODAY


# --- on a server: an administrator who is not the owner ----------------------------------------------------


@pytest.mark.pg_only
@pytest.mark.pg_owner  # the owner makes the administrator's login
def test_an_administrator_login_purges_on_a_server_and_the_audit_keeps_its_authors(
    db: Database, pg_cluster: Any
) -> None:
    import psycopg

    o = office(db)
    tag = make_url(db.url).database
    admin, planner = f"{tag}_ada", f"{tag}_plans"
    users.add_user(db, admin, ["管理员"])
    users.add_user(db, planner, ["协调员"])
    try:
        with db.engine.connect() as conn:
            authors = dict(conn.execute(text('SELECT id, "user" FROM audit_log')).all())
        as_planner = open_database(
            make_url(db.url).set(username=planner).render_as_string(hide_password=False)
        )
        try:
            with pytest.raises(AccessDenied):
                privacy.purge(as_planner, BEFORE)
        finally:
            as_planner.close()
        url = make_url(db.url)
        with (
            psycopg.connect(host=url.host, port=url.port, dbname=url.database, user=planner) as raw,
            pytest.raises(psycopg.errors.InsufficientPrivilege),  # psql can do no more than the desk
        ):
            raw.execute("UPDATE audit_log SET old = NULL")
        as_admin = open_database(url.set(username=admin).render_as_string(hide_password=False))
        try:
            result = privacy.purge(as_admin, BEFORE)
        finally:
            as_admin.close()
        assert result.people == 4
        found = leftovers(db, o.numbers, set(PLANTED_NAMES))
        assert not found, "\n".join(found)
        with db.engine.connect() as conn:
            now_authors = dict(conn.execute(text('SELECT id, "user" FROM audit_log')).all())
            scrubbed = conn.execute(
                text("SELECT count(*) FROM audit_log WHERE record_label LIKE '%已匿名化%'")
            ).scalar()
        assert scrubbed and all(now_authors[i] == who for i, who in authors.items())  # who wrote them stays
        assert {who for i, who in now_authors.items() if i not in authors} == {admin}
    finally:
        for login in (admin, planner):
            pg_cluster.execute(f'DROP ROLE IF EXISTS "{login}"')
