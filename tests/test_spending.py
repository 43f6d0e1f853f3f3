"""Spending rules by jurisdiction (开支标准), with answers computed by hand.

Two packs: a Hangzhou-like one (¥600 per person per day since 2020-01-01, ¥3,000 per person per year, 5 days
including travel; all warn) and a Ningbo-like one (¥2,000 per person per year, refuse; insurance: accident
≥ ¥1,000,000 and medical ≥ ¥100,000, warn).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from recuperation.errors import NotFoundError, RuleViolation, StaleEditError, ValidationError
from recuperation.models import AuditEntry, BaseInvoice, Partner
from recuperation.money import MoneyError
from recuperation.services import partners, spending
from recuperation.services import policy as policy_service
from recuperation.services.batch import batches, roster_moves, rosters
from recuperation.services.spending import PackInput, RuleInput
from recuperation.storage.database import Database
from tests.factories import certified_base, partner, person_id

D = dt.date
HANGZHOU_DAY = "浙江省总工会 浙工发〔2020〕1号 第三条：疗休养每人每天费用不超过600元"
HANGZHOU_YEAR = "杭州市 杭工〔2021〕5号：机关事业单位每人每年不超过3000元"
HANGZHOU_DAYS = "浙工发〔2020〕1号 第四条：每次不超过5天（含往返）"
NINGBO_YEAR = "宁波市总工会 甬工〔2022〕8号：每人每年不超过2000元"
ZHENHAI_INSURANCE = "镇海区 2025 年疗休养服务招标文件：意外险不低于100万元，医疗险不低于10万元"


def hangzhou() -> PackInput:
    return PackInput(
        "杭州市（示例）",
        "浙江省与杭州市的标准",
        (
            RuleInput("day_cap", 60000, "warn", D(2020, 1, 1), None, HANGZHOU_DAY),
            RuleInput("year_cap", 300000, "warn", None, None, HANGZHOU_YEAR),
            RuleInput("max_days", 5, "warn", None, None, HANGZHOU_DAYS),
        ),
    )


def ningbo() -> PackInput:
    return PackInput(
        "宁波市（示例）",
        "",
        (
            RuleInput("year_cap", 200000, "refuse", None, None, NINGBO_YEAR),
            RuleInput("accident_min", 100000000, "warn", None, None, ZHENHAI_INSURANCE),
            RuleInput("medical_min", 10000000, "warn", None, None, ZHENHAI_INSURANCE),
        ),
    )


def join_pack(db: Database, partner_row: partners.PartnerRow, pack_id: int | None) -> None:
    partners.update_partner(
        db,
        partner_row.id,
        partner_row.version,
        partners.PartnerInput(
            partner_row.name, partner_row.kind, uscc=partner_row.uscc, spending_pack_id=pack_id or 0
        ),
    )


def agreement(db: Database, partner_id: int, number: str, price: int | None, basis: str = "price") -> int:
    return partners.create_agreement(
        db,
        partners.AgreementInput(
            partner_id,
            number,
            D(2020, 12, 1),
            D(2021, 1, 1),
            D(2023, 12, 31),
            price_fen=price,
            charge_basis=basis,
        ),
    ).id


def batch(
    db: Database,
    partner_id: int,
    arrival: dt.date,
    days: int,
    agreement_id: int | None = None,
    headcount: int = 5,
    lodging: tuple[batches.LodgingInput, ...] = (),
) -> batches.BatchRow:
    return batches.create_batch(
        db,
        batches.BatchInput(
            partner_id,
            arrival,
            arrival + dt.timedelta(days=days - 1),
            headcount,
            agreement_id=agreement_id,
            lodging=lodging,
        ),
    )


def add(db: Database, batch_id: int, name: str, n: int, *, companion: bool = False) -> rosters.ParticipantRow:
    row, _warnings = rosters.add_participant(db, batch_id, rosters.ParticipantInput(name, person_id(n)))
    if companion:
        row = roster_moves.set_companion(db, row.id, row.version, True)
    return row


def findings_of(db: Database, batch_id: int) -> list[spending.Finding]:
    with db.session() as session:
        return spending.findings(session, [batch_id])[batch_id]


# -- packs ------------------------------------------------------------------------------------------------------


def test_a_pack_and_its_rules_are_written_listed_and_audited(db: Database) -> None:
    pack = spending.create_pack(db, hangzhou())
    assert [(r.kind, r.amount, r.mode, r.valid_from, r.valid_to) for r in pack.rules] == [
        ("day_cap", 60000, "warn", D(2020, 1, 1), None),
        ("year_cap", 300000, "warn", None, None),
        ("max_days", 5, "warn", None, None),
    ]
    assert pack.rules[0].source == HANGZHOU_DAY
    p = partner(db, "杭州电子科技大学")
    join_pack(db, p, pack.id)
    (listed,) = spending.list_packs(db)
    assert listed.partners == ("杭州电子科技大学",)
    assert partners.find_partner(db, "杭州电子科技大学").spending_pack_id == pack.id  # type: ignore[union-attr]

    # the day cap raised to ¥650 from 2024: the audit log names the rule that changed, as it was and is
    rules = list(pack.as_input().rules)
    rules[0] = RuleInput("day_cap", 65000, "warn", D(2024, 1, 1), None, HANGZHOU_DAY)
    changed = spending.update_pack(db, pack.id, pack.version, PackInput(pack.name, pack.notes, tuple(rules)))
    assert changed.version == pack.version + 1 and changed.rules[0].amount == 65000
    with db.session() as session:
        entry = session.exec(
            select(AuditEntry)
            .where(AuditEntry.table_name == "spending_pack", AuditEntry.field == "rules")
            .order_by(AuditEntry.id.desc())  # type: ignore[union-attr]
        ).first()
    assert entry is not None
    assert entry.old == "每人每天上限 600.00 元 2020-01-01起 提醒"
    assert entry.new == "每人每天上限 650.00 元 2024-01-01起 提醒"
    with pytest.raises(StaleEditError):  # a desk that read the old version
        spending.update_pack(db, pack.id, pack.version, hangzhou())
    # a pack a partner belongs to is not deleted; once no partner does, it is
    with pytest.raises(RuleViolation) as refused:
        spending.delete_pack(db, pack.id, changed.version)
    assert "1 个合作单位" in refused.value.message
    join_pack(db, partners.find_partner(db, "杭州电子科技大学"), None)  # type: ignore[arg-type]
    spending.delete_pack(db, pack.id, changed.version)
    assert spending.list_packs(db) == []


@pytest.mark.parametrize(
    ("rule", "field", "words"),
    [
        (RuleInput("day_cap", 60000, "warn", source=""), "source", "没有填写依据"),
        (RuleInput("day_cap", 0, "warn", source="x"), "amount", "必须大于 0"),
        (RuleInput("max_days", 400, "warn", source="x"), "amount", "超过了上限"),
        (RuleInput("day_cap", 60000, "never", source="x"), "mode", "处理方式"),
        (RuleInput("day_cap", 60000, "warn", D(2021, 1, 2), D(2021, 1, 1), "x"), "valid_to", "早于有效期起"),
        (RuleInput("day_cap", 60000, "warn", D(1999, 12, 31), None, "x"), "valid_from", "早于 2000 年"),
        (RuleInput("day_cap", 60000, "warn", None, D(1899, 12, 31), "x"), "valid_to", "早于 2000 年"),
        (
            RuleInput("day_cap", 60000, "warn", D(1900, 1, 15), D(1900, 2, 27), "x"),
            "valid_from",
            "1900-01-15",
        ),
    ],
)
def test_a_rule_is_refused_naming_the_pack_the_rule_and_the_field(
    db: Database, rule: RuleInput, field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        spending.create_pack(db, PackInput("杭州市", "", (rule,)))
    assert refused.value.field == field and words in refused.value.message
    if field != "mode":
        assert "杭州市" in refused.value.message and "第 1 条" in refused.value.message
    assert spending.list_packs(db) == []


def test_a_rule_dated_2000_and_a_too_long_source_named_by_its_rule(db: Database) -> None:
    pack = spending.create_pack(
        db, PackInput("杭州市", "", (RuleInput("day_cap", 60000, "warn", D(2000, 1, 1), None, "x"),))
    )
    assert pack.rules[0].valid_from == D(2000, 1, 1)  # the first day allowed
    rules = (
        RuleInput("day_cap", 60000, "warn", None, None, "x"),
        RuleInput("year_cap", 300000, "warn", None, None, "依" * 401),
    )
    with pytest.raises(ValidationError) as refused:
        spending.check_pack(PackInput("宁波市", "", rules))
    # a workbook puts it at the second rule's row and the 依据 column
    assert refused.value.field == "source" and refused.value.params["rule"] == 1
    with pytest.raises(ValidationError) as refused:
        spending.check_pack(
            PackInput("宁波市", "", (rules[0], RuleInput("year_cap", 1, notes="注" * 401, source="y")))
        )
    assert refused.value.field == "notes" and refused.value.params["rule"] == 1


def test_a_rules_amount_is_read_up_to_its_own_ceiling() -> None:
    assert (
        spending.read_yuan("RMB 600")
        == spending.read_yuan("CNY 600")
        == spending.read_yuan("人民币600元")
        == 60000
    )
    assert spending.read_yuan("￥1,000,000") == 100_000_000 and spending.read_yuan(2_000_000) == 200_000_000
    assert spending.read_yuan("20,000,000") == spending.MAX_AMOUNT_FEN
    for value in ("20,000,000.01", 1e30, "9" * 40):
        with pytest.raises(MoneyError) as refused:
            spending.read_yuan(value)
        says = refused.value.message()
        assert "最多 20,000,000.00 元" in says and "单价" not in says, says
    with pytest.raises(MoneyError) as refused:
        spending.read_yuan("600.001")
    assert refused.value.key == "money.fraction_of_fen"


def test_two_rules_of_one_kind_never_meet_and_a_name_is_unique(db: Database) -> None:
    overlapping = PackInput(
        "杭州市",
        "",
        (
            RuleInput("day_cap", 60000, "warn", D(2020, 1, 1), None, "a"),
            RuleInput("day_cap", 55000, "warn", None, D(2020, 6, 30), "b"),
        ),
    )
    with pytest.raises(ValidationError) as refused:
        spending.create_pack(db, overlapping)
    assert "第 1 条和第 2 条" in refused.value.message and refused.value.params["rule"] == 1
    # one ending the day before the other starts is fine
    spending.create_pack(
        db,
        PackInput(
            "杭州市",
            "",
            (
                RuleInput("day_cap", 55000, "warn", None, D(2019, 12, 31), "a"),
                RuleInput("day_cap", 60000, "warn", D(2020, 1, 1), None, "b"),
            ),
        ),
    )
    with pytest.raises(ValidationError) as duplicate:
        spending.create_pack(db, PackInput("杭州市 ", "", ()))
    assert duplicate.value.field == "name"
    with pytest.raises(NotFoundError):  # a partner names a pack that does not exist
        p = partner(db)
        join_pack(db, p, 999)


# -- findings ---------------------------------------------------------------------------------------------------


def test_day_cap_at_the_agreed_price(db: Database) -> None:
    pack = spending.create_pack(db, hangzhou())
    p = partner(db)
    join_pack(db, p, pack.id)
    over = batch(db, p.id, D(2021, 5, 10), 3, agreement(db, p.id, "A-650", 65000))
    (found,) = findings_of(db, over.id)
    assert (found.kind, found.mode, found.severity, found.source) == (
        "day_cap",
        "warn",
        "warning",
        HANGZHOU_DAY,
    )
    assert found.numbers == {"per_day_fen": 65000, "limit_fen": 60000}
    assert "协议价每人每天 650.00 元" in found.message and "上限 600.00 元" in found.message
    assert "提醒" in found.message and HANGZHOU_DAY in found.message
    # the batch page and the confirmation dialog read it among the batch's findings
    assert any(f.rule == "spending_day_cap" for f in batches.get_batch(db, over.id).findings)
    # at the cap exactly: no finding
    at = batch(db, p.id, D(2021, 6, 10), 3, agreement(db, p.id, "A-600", 60000))
    assert findings_of(db, at.id) == []
    # before the rule was valid (2019): no finding
    old = batch(db, p.id, D(2019, 5, 10), 3)
    assert findings_of(db, old.id) == []


def _invoice(db: Database, batch_id: int, base_id: int, amount: int) -> None:
    with db.session(write=True) as session:
        session.add(
            BaseInvoice(
                batch_id=batch_id,
                base_id=base_id,
                number=f"INV-{batch_id}-{amount}",
                issued_on=D(2021, 5, 13),
                amount_fen=amount,
                state="approved",
            )
        )


def test_day_cap_at_cost_divides_the_known_cost_by_the_person_days(db: Database) -> None:
    """Five members and a companion for three days: 15 person-days (the companion is not one), 18 with the
    companion.  An approved invoice of ¥11,160.00: the companion's own share is 11,160.00 × 3 ÷ 18 =
    ¥1,860.00, the members' part ¥9,300.00, ¥620.00 per person-day.  Five members alone and ¥9,000.00: ¥600.00,
    at the cap."""
    pack = spending.create_pack(db, hangzhou())
    p = partner(db)
    join_pack(db, p, pack.id)
    base = certified_base(db, "寿昌宾馆", beds=80)
    at_cost = agreement(db, p.id, "A-COST", None, "cost")
    lodging = tuple(batches.LodgingInput(base.id, D(2021, 5, 10) + dt.timedelta(days=n), 6) for n in range(2))
    row = batch(db, p.id, D(2021, 5, 10), 3, at_cost, lodging=lodging)
    for n in range(5):
        add(db, row.id, f"职工{n}", 300 + n)
    add(db, row.id, "家属", 399, companion=True)
    _invoice(db, row.id, base.id, 1116000)
    (found,) = findings_of(db, row.id)
    assert found.numbers == {
        "per_day_fen": 62000,
        "limit_fen": 60000,
        "cost_fen": 1116000,
        "members_fen": 930000,
        "companions_fen": 186000,
        "person_days": 15,
    }
    assert (
        "费用每人每天 620.00 元（9,300.00 元 ÷ 15 人天，即成本 11,160.00 元减去随行家属自费分摊的 1,860.00 元）"
        in found.message
    )

    other = batch(
        db,
        p.id,
        D(2021, 6, 10),
        3,
        at_cost,
        lodging=tuple(
            batches.LodgingInput(base.id, D(2021, 6, 10) + dt.timedelta(days=n), 5) for n in range(2)
        ),
    )
    for n in range(5):
        add(db, other.id, f"职工{n}", 310 + n)
    _invoice(db, other.id, base.id, 900000)
    assert findings_of(db, other.id) == []


def test_caps_at_cost_measure_the_members_part_not_the_companions(db: Database) -> None:
    """24 members and 2 companions for 3 days, an approved invoice of ¥15,234.00.  By hand: 72 members'
    person-days, 6 the companions', 78 in all; the companions' share round_half_up(1,523,400 × 6 ÷ 78) =
    117,184.6 fen → ¥1,171.85; the members' part ¥14,062.15: ¥195.31 a person-day (1,406,215 ÷ 72 = 19,530.76),
    ¥585.92 a person (÷ 24 = 58,592.29).  Charged the whole cost they would be ¥211.58 and ¥634.75."""
    tight = PackInput(
        "紧",
        "",
        (
            RuleInput("day_cap", 19500, "warn", None, None, HANGZHOU_DAY),
            RuleInput("year_cap", 58500, "warn", None, None, HANGZHOU_YEAR),
        ),
    )
    loose = PackInput(
        "松",
        "",
        (
            RuleInput("day_cap", 19600, "warn", None, None, HANGZHOU_DAY),
            RuleInput("year_cap", 58600, "warn", None, None, HANGZHOU_YEAR),
        ),
    )
    tight_pack, loose_pack = spending.create_pack(db, tight), spending.create_pack(db, loose)
    p = partner(db)
    join_pack(db, p, tight_pack.id)
    base = certified_base(db, "寿昌宾馆", beds=80)
    at_cost = agreement(db, p.id, "A-COST", None, "cost")
    lodging = tuple(
        batches.LodgingInput(base.id, D(2021, 5, 10) + dt.timedelta(days=n), 26) for n in range(2)
    )
    row = batch(db, p.id, D(2021, 5, 10), 3, at_cost, headcount=24, lodging=lodging)
    for n in range(24):
        add(db, row.id, f"职工{n:02d}", 700 + n)
    add(db, row.id, "家属甲", 790, companion=True)
    add(db, row.id, "家属乙", 791, companion=True)
    _invoice(db, row.id, base.id, 1523400)

    found = {f.kind: f for f in findings_of(db, row.id)}
    assert sorted(found) == ["day_cap", "year_cap"]
    assert found["day_cap"].numbers == {
        "per_day_fen": 19531,
        "limit_fen": 19500,
        "cost_fen": 1523400,
        "members_fen": 1406215,
        "companions_fen": 117185,
        "person_days": 72,
    }
    assert (
        "费用每人每天 195.31 元（14,062.15 元 ÷ 72 人天，即成本 15,234.00 元减去随行家属自费分摊的 1,171.85 元）"
        in (found["day_cap"].message)
    )
    year = found["year_cap"]
    assert year.numbers == {"people": 24, "limit_fen": 58500}  # every member, each ¥585.92
    assert year.message.count("585.92 元") == 24 and "家属" not in year.message
    # the same batch under caps a fen above: nothing (the whole cost would be ¥211.58 and ¥634.75)
    join_pack(db, partners.find_partner(db, p.name), loose_pack.id)  # type: ignore[arg-type]
    assert findings_of(db, row.id) == []


def test_max_days_including_travel(db: Database) -> None:
    policy_service.set_policy(db, {"max_days": "7"})
    pack = spending.create_pack(db, hangzhou())
    p = partner(db)
    join_pack(db, p, pack.id)
    long = batch(db, p.id, D(2021, 5, 10), 6)
    (found,) = findings_of(db, long.id)
    assert found.kind == "max_days" and found.numbers == {"days": 6, "limit": 5}
    assert "共 6 天（含往返），超过“杭州市（示例）”的天数上限 5 天" in found.message
    assert findings_of(db, batch(db, p.id, D(2021, 6, 10), 5).id) == []


def test_a_route_priced_or_lasting_beyond_the_rules_is_named_on_its_batch(db: Database) -> None:
    from recuperation.services import routes

    pack = spending.create_pack(db, hangzhou())
    p = partner(db)
    join_pack(db, p, pack.id)
    # ¥2,000.00 a person for 3 days: ¥666.67 a day (200000 / 3 = 66666.67 fen, half up), above ¥600
    dear = routes.create_route(
        db, routes.RouteInput("XL91", "千岛湖康养", "wellness", 3, 2, price_fen=200000)
    )
    # 6 days: longer than the 5 the pack allows, though this batch takes only 3 of them
    long = routes.create_route(
        db, routes.RouteInput("XL92", "浙西南红色之旅", "study", 6, 5, price_fen=300000)
    )
    fair = routes.create_route(db, routes.RouteInput("XL93", "新安江山水", "leisure", 3, 2, price_fen=180000))
    found = {}
    for route in (dear, long, fair):
        row = batches.create_batch(
            db, batches.BatchInput(p.id, D(2021, 5, 10), D(2021, 5, 12), 5, route_id=route.id)
        )
        found[route.code] = findings_of(db, row.id)
    (priced,) = found["XL91"]
    assert priced.kind == "day_cap" and priced.numbers == {
        "route_fen": 200000,
        "route_days": 3,
        "per_day_fen": 66667,
    }
    assert (
        "线路“千岛湖康养”每人 2,000.00 元、3 天，合每人每天 666.67 元，超过“杭州市（示例）”" in priced.message
    )
    (lasting,) = found["XL92"]  # ¥500.00 a day: within the cap; 6 days: beyond the 5
    assert lasting.kind == "max_days" and lasting.numbers == {"route_days": 6, "limit": 5}
    assert HANGZHOU_DAYS in lasting.message
    assert found["XL93"] == []  # exactly ¥600.00 a day: at the cap, not above it


def test_year_cap_names_the_person_across_two_batches_and_refuses_confirming(db: Database) -> None:
    """¥400 a day: three days are ¥1,200 a person.  职工甲 goes twice in 2021 (¥2,400 > ¥2,000); 职工乙 once;
    the companion and a batch of 2022 never count."""
    pack = spending.create_pack(db, ningbo())
    p = partner(db)
    join_pack(db, p, pack.id)
    deal = agreement(db, p.id, "NB-400", 40000)
    first = batch(db, p.id, D(2021, 4, 1), 3, deal, headcount=1)
    second = batch(db, p.id, D(2021, 6, 1), 3, deal, headcount=2)
    later = batch(db, p.id, D(2022, 4, 1), 3, deal, headcount=1)
    add(db, first.id, "职工甲", 501)
    add(db, first.id, "家属丙", 503, companion=True)
    add(db, second.id, "职工甲", 501)
    add(db, second.id, "职工乙", 502)
    add(db, second.id, "家属丙", 503, companion=True)
    add(db, later.id, "职工甲", 501)

    for batch_id in (first.id, second.id):
        year = [f for f in findings_of(db, batch_id) if f.kind == "year_cap"]
        (found,) = year
        masked = person_id(501)[:6] + "********" + person_id(501)[-4:]
        assert found.person == f"职工甲 {masked}" and found.refuses and found.severity == "error"
        assert found.numbers == {"total_fen": 240000, "limit_fen": 200000, "batches": 2}
        assert f"职工甲（{masked}）2021 年在宁波大学的 2 个批次共 2,400.00 元" in found.message
        assert f"{first.code} 1,200.00 元、{second.code} 1,200.00 元" in found.message
        assert "拒绝" in found.message and NINGBO_YEAR in found.message
        assert person_id(501) not in found.message
    assert [f.kind for f in findings_of(db, later.id) if f.kind == "year_cap"] == []
    # the insurance minimums of the pack warn: no policy
    kinds = sorted(f.kind for f in findings_of(db, second.id) if f.kind != "year_cap")
    assert kinds == ["accident_min", "medical_min"]

    current = batches.get_batch(db, second.id)
    with pytest.raises(RuleViolation) as refused:
        batches.set_status(db, second.id, current.version, "confirmed")
    assert f"批次 {second.code} 不能确认" in refused.value.message
    assert "职工甲" in refused.value.message and "2,400.00" in refused.value.message
    assert batches.get_batch(db, second.id).status == "planned"  # nothing was saved

    # the rule turned to warn: confirming goes through, the finding stays as a warning
    rules = tuple(
        RuleInput(r.kind, r.amount, "warn", r.valid_from, r.valid_to, r.source, r.notes) for r in pack.rules
    )
    spending.update_pack(db, pack.id, pack.version, PackInput(pack.name, pack.notes, rules))
    confirmed = batches.set_status(db, second.id, current.version, "confirmed")
    assert confirmed.status == "confirmed"
    assert any(f.rule == "spending_year_cap" and f.severity == "warning" for f in confirmed.findings)


def test_many_people_over_the_yearly_cap_are_one_finding_naming_each(db: Database) -> None:
    pack = spending.create_pack(db, ningbo())
    p = partner(db)
    join_pack(db, p, pack.id)
    deal = agreement(db, p.id, "NB-750", 75000)  # ¥750 × 3 days = ¥2,250.00 a person, above ¥2,000.00
    dear = batch(db, p.id, D(2021, 4, 1), 3, deal, headcount=4)
    for n in range(4):
        add(db, dear.id, f"职工{'甲乙丙丁'[n]}", 601 + n)
    (found,) = [f for f in findings_of(db, dear.id) if f.kind == "year_cap"]
    assert found.numbers == {"people": 4, "limit_fen": 200000} and found.refuses
    assert found.message.startswith(
        "4 人 2021 年在宁波大学的批次费用超过“宁波市（示例）”的每人每年上限 2,000.00 元"
    )
    for n in range(4):
        masked = person_id(601 + n)[:6] + "********" + person_id(601 + n)[-4:]
        assert f"职工{'甲乙丙丁'[n]}（{masked}）2,250.00 元" in found.message  # each person named
        assert person_id(601 + n) not in found.message


def test_a_no_show_and_other_partners_batches_do_not_count(db: Database) -> None:
    from recuperation.services.batch import attendance

    pack = spending.create_pack(db, ningbo())
    p = partner(db)
    other = partner(db, "宁波银行")
    join_pack(db, p, pack.id)
    join_pack(db, other, pack.id)
    first = batch(db, p.id, D(2021, 4, 1), 3, agreement(db, p.id, "NB-1", 40000), headcount=1)
    elsewhere = batch(db, other.id, D(2021, 6, 1), 3, agreement(db, other.id, "NB-2", 40000), headcount=1)
    add(db, first.id, "职工甲", 501)
    person = add(db, elsewhere.id, "职工甲", 501)
    assert [f for f in findings_of(db, first.id) if f.kind == "year_cap"] == []  # two partners' years
    # a third batch of the first partner, where 职工甲 did not come
    third = batch(db, p.id, D(2021, 8, 1), 3, agreement(db, p.id, "NB-3", 40000), headcount=1)
    absent = add(db, third.id, "职工甲", 501)
    assert len([f for f in findings_of(db, first.id) if f.kind == "year_cap"]) == 1
    attendance.mark(db, absent.id, absent.version, "no_show")
    assert [f for f in findings_of(db, first.id) if f.kind == "year_cap"] == []
    assert person.id  # the other partner's batch kept its person


def test_a_partner_without_a_pack_and_a_cancelled_batch_have_no_findings(db: Database) -> None:
    pack = spending.create_pack(db, hangzhou())
    p = partner(db)
    row = batch(db, p.id, D(2021, 5, 10), 3, agreement(db, p.id, "A-650", 65000))
    assert findings_of(db, row.id) == []
    join_pack(db, p, pack.id)
    assert len(findings_of(db, row.id)) == 1
    current = batches.get_batch(db, row.id)
    batches.set_status(db, row.id, current.version, "cancelled", "改期")
    assert findings_of(db, row.id) == []


def test_findings_in_bulk_and_seeded_packs(db: Database) -> None:
    made = spending.seed_packs(db, [hangzhou(), ningbo()])
    assert [m.name for m in made] == ["宁波市（示例）", "杭州市（示例）"] or [m.name for m in made] == [
        "杭州市（示例）",
        "宁波市（示例）",
    ]
    p = partner(db)
    join_pack(db, p, spending.find_pack(db, "杭州市（示例）").id)  # type: ignore[union-attr]
    deal = agreement(db, p.id, "A-650", 65000)
    rows = [batch(db, p.id, D(2021, m, 10), 3, deal) for m in (3, 4, 5)]
    with db.session() as session:
        found = spending.findings(session, [r.id for r in rows])
    assert [len(found[r.id]) for r in rows] == [1, 1, 1]
    with db.session() as session:
        partner_row = session.get(Partner, p.id)
        assert partner_row is not None and partner_row.spending_pack_id is not None


def test_check_names_a_confirmed_batch_that_a_later_refusing_rule_fires_on(db: Database, capsys) -> None:
    from recuperation.cli import main as cli_main
    from recuperation.services.checks import check_database

    p = partner(db)
    deal = agreement(db, p.id, "NB-400", 40000)
    row = batch(db, p.id, D(2021, 6, 1), 3, deal, headcount=1)
    add(db, row.id, "职工甲", 501)
    other = batch(db, p.id, D(2021, 8, 1), 3, deal, headcount=1)
    add(db, other.id, "职工甲", 501)
    current = batches.get_batch(db, row.id)
    batches.set_status(db, row.id, current.version, "confirmed")
    assert check_database(db) == []
    # the partner joins the Ningbo-like pack after the batch was confirmed
    pack = spending.create_pack(db, ningbo())
    join_pack(db, partners.find_partner(db, "宁波大学"), pack.id)  # type: ignore[arg-type]
    problems = [p for p in check_database(db) if p.kind == "spending"]
    assert [(p.record, "职工甲" in p.message, "2,400.00" in p.message) for p in problems] == [
        (row.code, True, True)
    ]  # the planned batch is not reported: confirming it is what the rule refuses
    assert cli_main(["--db", db.url, "check"]) == 1
    assert f"[spending] {row.code}" in capsys.readouterr().out
