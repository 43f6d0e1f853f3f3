"""What a partner owes: a year of hand-built batches whose amounts are computed by hand — at the agreed price
with two no-shows credited at 50% and a companion, at cost from an approved invoice and from the planned
cost, a batch whose agreement names no price and one without an agreement — and the totals as the sums of
the lines; the agreement's charge basis and credit as the service keeps them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from recuperation.errors import ValidationError
from recuperation.models import BaseInvoice
from recuperation.money import round_half_up
from recuperation.services import charges, partners, rates
from recuperation.services.batch import attendance, batches, roster_moves, rosters
from recuperation.services.rates import CardInput, LineInput
from recuperation.services.statistics import Period, batch_attendance
from recuperation.storage.database import Database
from tests.factories import certified_base, confirm_orders, partner, person_id, valid_uscc

D = dt.date


@dataclass
class Year:
    partner: partners.PartnerRow
    price: partners.AgreementRow
    cost: partners.AgreementRow
    unpriced: partners.AgreementRow
    codes: dict[str, str]  # P1 (price), C1 (cost, invoiced), C2 (cost, planned), N1 (no price), X1 (none)


def _agreement(db: Database, partner_id: int, number: str, **values: object) -> partners.AgreementRow:
    return partners.create_agreement(
        db,
        partners.AgreementInput(partner_id, number, D(2021, 1, 5), D(2021, 1, 5), D(2023, 12, 31), **values),  # type: ignore[arg-type]
    )


def _roster(db: Database, batch_id: int, names: list[str], first: int) -> list[rosters.ParticipantRow]:
    """The people of ``names`` on the roster; a name starting with 家属 is a companion."""
    people = []
    for n, name in enumerate(names):
        row, _warnings = rosters.add_participant(
            db, batch_id, rosters.ParticipantInput(name, person_id(first + n))
        )
        if name.startswith("家属"):
            row = roster_moves.set_companion(db, row.id, row.version, True)
        people.append(row)
    return people


def _complete(
    db: Database,
    batch_id: int,
    people: list[rosters.ParticipantRow],
    marks: list[str],
    left_on: dt.date | None,
) -> None:
    """Mark the roll call, move the batch to completed and close its roll call on its last day."""
    for person, mark in zip(people, marks, strict=True):
        attendance.mark(
            db, person.id, person.version, mark, left_on=left_on if mark == "left_early" else None
        )
    confirm_orders(db, batch_id)
    for status in ("confirmed", "in_progress", "completed"):
        batches.set_status(db, batch_id, batches.get_batch(db, batch_id).version, status)
    attendance.close_roll_call(db, batch_id, batches.get_batch(db, batch_id).departure)


def build_year(db: Database) -> Year:
    p = partner(db, "宁波大学")
    price = _agreement(
        db, p.id, "NB-2021-价", price_fen=35000, charge_basis="price", no_show_credit_bp=5000,
        quota_batches=2, quota_people=4,
    )  # fmt: skip
    cost = _agreement(db, p.id, "NB-2021-实", charge_basis="cost", quota_people=100)
    unpriced = _agreement(db, p.id, "NB-2021-未定")
    base = certified_base(db, "寿昌宾馆", beds=100)
    rates.create_card(
        db,
        CardInput(
            base.id, "2021 年协议价", D(2021, 1, 1), D(2021, 12, 31), "建德市寿昌宾馆有限公司", valid_uscc(),
            "中国工商银行建德寿昌支行", "1202 0267 0900 0123 456", 600, "",
            (LineInput("room", "twin", "per_room_night", 30000),),
        ),
    )  # fmt: skip
    codes: dict[str, str] = {}

    def batch(key: str, first: dt.date, last: dt.date, headcount: int, agreement: int | None, **more: object):
        row = batches.create_batch(
            db,
            batches.BatchInput(p.id, first, last, headcount, agreement_id=agreement, **more),  # type: ignore[arg-type]
        )
        codes[key] = row.code
        return row

    # P1, at the price: 3 days, 5 members and a companion; two no-shows, one left early, the rest came
    p1 = batch("P1", D(2021, 3, 10), D(2021, 3, 12), 5, price.id)
    people = _roster(db, p1.id, ["职工甲", "职工乙", "职工丙", "职工丁", "职工戊", "家属己"], 100)
    marks = ["attended", "attended", "left_early", "no_show", "no_show", "attended"]
    _complete(db, p1.id, people, marks, D(2021, 3, 11))
    # C1, at cost: one night at 寿昌宾馆, 4 members and a companion; one no-show; the base's approved invoice
    lodging = (batches.LodgingInput(base.id, D(2021, 4, 10), 5),)
    c1 = batch("C1", D(2021, 4, 10), D(2021, 4, 11), 4, cost.id, lodging=lodging)
    people = _roster(db, c1.id, ["职工庚", "职工辛", "职工壬", "职工癸", "家属子"], 200)
    _complete(db, c1.id, people, ["attended", "attended", "attended", "no_show", "attended"], None)
    with db.session(write=True) as session:
        session.add(
            BaseInvoice(
                batch_id=c1.id, base_id=base.id, number="33012100001", issued_on=D(2021, 4, 12),
                amount_fen=300000, tax_bp=600, state="approved", approved_by="王主席", approved_on=D(2021, 4, 20),
            )
        )  # fmt: skip
    # C2, at cost, planned: one night for 5 (4 members and a companion): 3 twin rooms at 300.00
    lodging = (batches.LodgingInput(base.id, D(2021, 9, 1), 5),)
    c2 = batch("C2", D(2021, 9, 1), D(2021, 9, 2), 4, cost.id, lodging=lodging)
    _roster(db, c2.id, ["职工丑", "职工寅", "职工卯", "职工辰", "家属巳"], 300)
    # N1 under the agreement without a price (10 planned, no roster); X1 under no agreement (8 planned)
    batch("N1", D(2021, 5, 1), D(2021, 5, 2), 10, unpriced.id)
    batch("X1", D(2021, 6, 1), D(2021, 6, 1), 8, None)
    # neither counts: a cancelled batch of 2021 and a batch of 2022
    cancelled = batch("K1", D(2021, 7, 1), D(2021, 7, 3), 30, price.id)
    batches.set_status(db, cancelled.id, cancelled.version, "cancelled", reason="合作单位取消")
    batch("Y1", D(2022, 3, 1), D(2022, 3, 3), 20, price.id)
    return Year(p, price, cost, unpriced, codes)


@pytest.fixture
def year(db: Database) -> Year:
    return build_year(db)


def _statement(db: Database, year: Year) -> charges.Statement:
    with db.session() as session:
        return charges.partner_year(session, year.partner.id, 2021)


def _line(statement: charges.Statement, code: str) -> charges.ChargeLine:
    return next(line for line in statement.lines if line.code == code)


def test_at_the_price_two_no_shows_are_credited_half_and_the_companion_pays_apart(
    db: Database, year: Year
) -> None:
    line = _line(_statement(db, year), year.codes["P1"])
    # 5 members × 3 days = 15 person-days at 350.00: 5,250.00
    assert (line.members, line.days, line.person_days, line.unit_fen, line.gross_fen) == (
        5,
        3,
        15,
        35000,
        525000,
    )
    # the roll call: 2 came, 1 left early (came), 2 no-shows; 50% of 2 × 3 days × 350.00 = 1,050.00
    assert (line.attended, line.no_shows, line.credit_fen, line.owed_fen) == (3, 2, 105000, 420000)
    # the companion: 3 days at 350.00, never charged to the partner
    assert (line.companions, line.companion_days, line.companions_fen) == (1, 3, 105000)
    assert (line.basis, line.agreement, line.credit_bp, line.findings) == ("price", "NB-2021-价", 5000, ())


def test_at_cost_the_approved_invoice_less_the_companions_share(db: Database, year: Year) -> None:
    line = _line(_statement(db, year), year.codes["C1"])
    assert (line.basis, line.cost_fen, line.cost_sources) == ("cost", 300000, ("invoice",))
    # the roll call is closed: 3 members were there 2 days each (6), the companion 2, the no-show none;
    # the companion's share is 3,000.00 × 2 / 8 = 750.00
    assert (line.attended, line.no_shows, line.companions_fen) == (3, 1, 75000)
    assert (line.gross_fen, line.credit_fen, line.owed_fen) == (225000, 0, 225000)
    assert line.gross_fen + line.companions_fen == line.cost_fen
    assert line.person_days == 8  # planned: 4 members × 2 days (the statistics' figure)


def test_at_cost_before_the_roll_call_the_planned_cost_by_planned_person_days(
    db: Database, year: Year
) -> None:
    line = _line(_statement(db, year), year.codes["C2"])
    # 5 lodged: 3 twin rooms at 300.00 = 900.00 (planned, as rates computes it)
    assert (line.cost_fen, line.cost_sources, line.attended) == (90000, ("planned",), None)
    # planned person-days: members 4 × 2 = 8, the companion 2: 900.00 × 2 / 10 = 180.00
    assert (line.companions_fen, line.owed_fen) == (18000, 72000)


def test_the_split_of_a_cost_is_one_rule_for_the_statement_and_the_spending_caps(
    db: Database, year: Year
) -> None:
    """charges.split_days / split_cost (what the spending caps use) give the statement's own split: C1 by the
    days each was there (members 6, the companion 2), C2 by the planned days (8 and 2), a batch without a
    roster by its headcount (N1: 10 × 2, no companion)."""
    statement = _statement(db, year)
    ids = {
        key: _line(statement, code).batch_id for key, code in year.codes.items() if key in ("C1", "C2", "N1")
    }
    with db.session() as session:
        days = charges.split_days(session, ids.values())
    assert days == {ids["C1"]: (6, 2), ids["C2"]: (8, 2), ids["N1"]: (20, 0)}
    for key in ("C1", "C2"):
        line = _line(statement, year.codes[key])
        assert line.cost_fen is not None
        assert charges.split_cost(line.cost_fen, *days[line.batch_id]) == (
            line.gross_fen,
            line.companions_fen,
        )
    # by hand: 1,523,400 × 6 / 78 = 117,184.6 → 117,185; the members' part the rest, exactly
    assert charges.split_cost(1523400, 72, 6) == (1406215, 117185)
    assert charges.split_cost(1523400, 72, 0) == (1523400, 0) and charges.split_cost(0, 0, 0) == (0, 0)


def test_a_batch_without_price_or_agreement_is_a_finding_never_zero(db: Database, year: Year) -> None:
    statement = _statement(db, year)
    unpriced, without = _line(statement, year.codes["N1"]), _line(statement, year.codes["X1"])
    assert (unpriced.gross_fen, unpriced.owed_fen, unpriced.companions_fen) == (None, None, None)
    assert [f.key for f in unpriced.findings] == ["charge.no_price"]
    assert (
        "NB-2021-未定" in unpriced.findings[0].message()
        and year.codes["N1"] in unpriced.findings[0].message()
    )
    assert "enter the agreement's price" in unpriced.findings[0].message("en")
    assert (unpriced.members, unpriced.person_days) == (10, 20)  # the headcount: no roster yet
    assert (without.basis, without.owed_fen, [f.key for f in without.findings]) == (
        None,
        None,
        ["charge.no_agreement"],
    )
    assert not statement.complete and statement.totals.unknown == 2


def test_the_year_is_its_batches_not_cancelled_and_the_totals_are_the_sums(db: Database, year: Year) -> None:
    statement = _statement(db, year)
    codes = year.codes
    assert [line.code for line in statement.lines] == [codes[k] for k in ("P1", "C1", "N1", "X1", "C2")]
    t = statement.totals
    # by hand: owed 4,200.00 + 2,250.00 + 720.00; gross 5,250.00 + 2,250.00 + 720.00; companions 1,050 + 750 + 180
    assert (t.batches, t.gross_fen, t.credit_fen, t.owed_fen, t.companions_fen) == (
        5,
        822000,
        105000,
        717000,
        198000,
    )
    assert (t.members, t.person_days, t.companions, t.attended, t.no_shows, t.unknown) == (31, 59, 3, 6, 3, 2)
    known = [line for line in statement.lines if line.known]
    assert t.owed_fen == sum(line.owed_fen or 0 for line in known)
    assert t.gross_fen - t.credit_fen == t.owed_fen
    assert t.person_days == sum(line.person_days for line in statement.lines)
    # person-days as the statistics count them, batch by batch
    figures = batch_attendance(db, Period.year(2021), partner_id=year.partner.id)
    assert {line.batch_id: line.person_days for line in statement.lines} == {
        batch_id: f.planned_person_days for batch_id, f in figures.items()
    }


def test_the_agreements_against_their_quotas(db: Database, year: Year) -> None:
    quotas = {q.number: q for q in _statement(db, year).quotas}
    assert set(quotas) == {"NB-2021-价", "NB-2021-实", "NB-2021-未定"}
    price = quotas["NB-2021-价"]
    assert (price.quota_batches, price.used_batches, price.quota_people, price.used_people) == (2, 1, 4, 5)
    assert (price.basis, price.price_fen, price.credit_bp) == ("price", 35000, 5000)
    cost = quotas["NB-2021-实"]
    assert (cost.basis, cost.quota_batches, cost.used_batches, cost.used_people) == ("cost", None, 2, 8)


def test_the_credit_is_rounded_half_up_to_the_fen_once_per_batch(db: Database) -> None:
    """333.33 a day at 50%, one no-show for one day: 166.665 → 166.67 (never a float's 166.66)."""
    p = partner(db, "浙江大学")
    agreement = _agreement(db, p.id, "ZJU-1", price_fen=33333, no_show_credit_bp=5000)
    row = batches.create_batch(
        db, batches.BatchInput(p.id, D(2021, 10, 8), D(2021, 10, 8), 2, agreement_id=agreement.id)
    )
    people = _roster(db, row.id, ["职工一", "职工二"], 400)
    _complete(db, row.id, people, ["attended", "no_show"], None)
    with db.session() as session:
        line = charges.partner_year(session, p.id, 2021).lines[0]
    assert line.credit_fen == round_half_up(33333 * 5000, 10000) == 16667
    assert (line.gross_fen, line.owed_fen) == (66666, 49999)


def test_the_statement_is_found_by_name_and_refused_with_reasons(db: Database, year: Year) -> None:
    found = charges.find_statement(db, " 宁波大学 ", 2021)
    assert found.totals.owed_fen == 717000
    with pytest.raises(ValidationError) as unknown:
        charges.find_statement(db, "宁波大", 2021)
    assert unknown.value.key == "statement.unknown_partner" and "宁波大" in unknown.value.message
    with pytest.raises(ValidationError) as empty:
        charges.find_statement(db, "宁波大学", 2020)
    assert empty.value.key == "statement.no_batches"
    assert "2021, 2022" in empty.value.message  # the years that have batches


def test_a_bulk_year_gives_each_partner_its_statement(db: Database, year: Year) -> None:
    other = partner(db, "浙江海港集团")
    batches.create_batch(db, batches.BatchInput(other.id, D(2021, 8, 1), D(2021, 8, 2), 6))
    with db.session() as session:
        statements = charges.year_statements(session, 2021)
        alone = charges.partner_year(session, year.partner.id, 2021)
    assert [s.partner for s in statements] == ["宁波大学", "浙江海港集团"]
    assert statements[0] == alone
    assert statements[1].totals.unknown == 1 and statements[1].totals.person_days == 12


def test_the_agreement_keeps_its_charge_basis_and_credit(db: Database) -> None:
    p = partner(db)
    row = _agreement(db, p.id, "A-1", price_fen=30000)
    assert (row.charge_basis, row.no_show_credit_bp) == ("price", 0)  # the defaults
    data = partners.AgreementInput(
        p.id, "A-1", D(2021, 1, 5), D(2021, 1, 5), D(2023, 12, 31), price_fen=30000, charge_basis="cost",
        no_show_credit_bp=2550,
    )  # fmt: skip
    row = partners.update_agreement(db, row.id, row.version, data)
    assert (row.charge_basis, row.no_show_credit_bp) == ("cost", 2550)
    # a caller that does not name them (a register without such columns) keeps them
    kept = partners.AgreementInput(
        p.id, "A-1", D(2021, 1, 5), D(2021, 1, 5), D(2024, 12, 31), price_fen=30000
    )
    row = partners.update_agreement(db, row.id, row.version, kept)
    assert (row.charge_basis, row.no_show_credit_bp, row.valid_to) == ("cost", 2550, D(2024, 12, 31))
    listed = partners.list_agreements(db, p.id)[0]
    assert (listed.charge_basis, listed.no_show_credit_bp) == ("cost", 2550)
    with pytest.raises(ValidationError) as bad_basis:
        partners.update_agreement(
            db, row.id, row.version, data.__class__(**{**data.__dict__, "charge_basis": "free"})
        )
    assert bad_basis.value.field == "charge_basis"
    with pytest.raises(ValidationError) as bad_credit:
        partners.update_agreement(
            db, row.id, row.version, data.__class__(**{**data.__dict__, "no_show_credit_bp": 10001})
        )
    assert bad_credit.value.field == "no_show_credit_bp" and "100.01%" in bad_credit.value.message
    assert "A-1" in bad_credit.value.message
