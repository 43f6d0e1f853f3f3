"""The tables of the desk, one class per entity of the glossary (docs/domain.md).

The schema itself holds the absolute rules: foreign keys, unique codes, departure not before arrival,
counts not negative, enumerations limited to their values.  ID numbers, phones and codes are text.
Every editable record carries ``version`` (optimistic locking, checked by the services), and who changed
it last and when, so that a refused stale edit can say who got there first.

Times are naive local times of the desk (all desks of one office share a time zone).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, cast

from sqlalchemy import CheckConstraint, DateTime, FetchedValue, Index, Table, Text, UniqueConstraint
from sqlalchemy import event as _event
from sqlalchemy.orm import declared_attr, deferred
from sqlmodel import Field, SQLModel


class StrEnum(enum.StrEnum):
    """A string enumeration whose members compare equal to their stored text."""

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]


class PartnerKind(StrEnum):
    ENTERPRISE = "enterprise"
    UNIVERSITY = "university"
    UNION = "union"
    GOVERNMENT = "government"
    OTHER = "other"


class BaseKind(StrEnum):
    HOTEL = "hotel"
    HOMESTAY = "homestay"
    SCENIC = "scenic"
    FARM = "farm"
    TRAINING_CENTRE = "training_centre"
    ENTERPRISE = "enterprise"


class CertLevel(StrEnum):
    PROVINCIAL = "provincial"  # 省级
    HANGZHOU = "hangzhou"  # 杭州市级
    COUNTY = "county"  # 建德市级


class CertStatus(StrEnum):
    APPLIED = "applied"  # 申报
    FIRST_REVIEW = "first_review"  # 初审
    SITE_INSPECTION = "site_inspection"  # 实地考察
    CERTIFIED = "certified"  # 认定
    RECHECKED = "rechecked"  # 复核
    EXPIRED = "expired"  # 过期
    REVOKED = "revoked"  # 摘牌
    REJECTED = "rejected"  # 未通过


#: The certification states under which a base is certified (until the step's 有效期止).
VALID_CERT_STATES = (CertStatus.CERTIFIED.value, CertStatus.RECHECKED.value)


class CertStep(StrEnum):
    APPLICATION = "application"
    FIRST_REVIEW = "first_review"
    SITE_INSPECTION = "site_inspection"
    CERTIFIED = "certified"
    RECHECK = "recheck"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REJECTED = "rejected"


class Theme(StrEnum):
    LEISURE = "leisure"  # 休闲
    FITNESS = "fitness"  # 健身
    STUDY = "study"  # 研学
    HERITAGE = "heritage"  # 红色
    WELLNESS = "wellness"  # 康养


class ItemKind(StrEnum):
    ACTIVITY = "activity"
    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"
    LODGING = "lodging"


class BatchKind(StrEnum):
    RECUPERATION = "recuperation"  # 疗休养
    TRAINING = "training"  # 培训班
    CONFERENCE = "conference"  # 会议


class BatchStatus(StrEnum):
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Attendance(StrEnum):
    """How a person on a roster turned out (报到)."""

    ATTENDED = "attended"
    NO_SHOW = "no_show"
    LEFT_EARLY = "left_early"


class WaitState(StrEnum):
    WAITING = "waiting"
    PROMOTED = "promoted"  # took a place on the roster
    WITHDRAWN = "withdrawn"  # no longer wants or can go


class OrderStatus(StrEnum):
    """A service order's answer from its base (接待预订单); "changed since sent" is derived, not stored."""

    DRAFT = "draft"  # never sent
    SENT = "sent"  # waiting for the base's answer
    CONFIRMED = "confirmed"
    AMENDED = "amended"  # confirmed with changes (what the base changed is in ``changes``)
    DECLINED = "declined"


class SentHow(StrEnum):
    PRINTED = "printed"
    PDF = "pdf"
    WORKBOOK = "workbook"
    EMAIL = "email"


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"


class RateKind(StrEnum):
    """What a rate card's line prices (价目表)."""

    ROOM = "room"  # 客房: twin, single, suite … per room and night
    MEAL = "meal"  # 餐饮: breakfast, lunch, dinner per person
    MEETING = "meeting"  # 会议室: per session
    ACTIVITY = "activity"  # 活动: a ticket per person, or a session
    OTHER = "other"


class RateUnit(StrEnum):
    PER_ROOM_NIGHT = "per_room_night"  # 每间每晚
    PER_PERSON = "per_person"  # 每人
    PER_SESSION = "per_session"  # 每场


class ChargeBasis(StrEnum):
    """What a partner pays for a batch (the agreement says which)."""

    PRICE = "price"  # the agreement's price per person per day (协议价)
    COST = "cost"  # what the bases cost (据实结算)


class InvoiceState(StrEnum):
    """A base's invoice for a batch (结算): received, approved by the head, paid in full."""

    RECEIVED = "received"  # 已收票
    APPROVED = "approved"  # 已审批
    PAID = "paid"  # 已付款


class RuleKind(StrEnum):
    """A spending rule of a jurisdiction (开支标准)."""

    DAY_CAP = "day_cap"  # 每人每天上限 (fen)
    YEAR_CAP = "year_cap"  # 每人每年上限 (fen)
    MAX_DAYS = "max_days"  # 天数上限，含往返 (days)
    ACCIDENT_MIN = "accident_min"  # 意外险保额下限 (fen)
    MEDICAL_MIN = "medical_min"  # 医疗险保额下限 (fen)


class RuleMode(StrEnum):
    WARN = "warn"  # a finding to read
    REFUSE = "refuse"  # a finding that stops confirming the batch


class RoomType(StrEnum):
    """The room types costs are computed with; a rate card may also name others as written (江景房)."""

    TWIN = "twin"  # 标准间 (two beds)
    SINGLE = "single"  # 单人间
    SUITE = "suite"  # 套房
    TRIPLE = "triple"  # 三人间


class Dimension(StrEnum):
    """What a group rates a base or the route on (满意度维度); the office chooses which (policy)."""

    LODGING = "lodging"  # 住宿
    FOOD = "food"  # 餐饮
    ACTIVITIES = "activities"  # 活动安排
    GUIDE = "guide"  # 导游讲解
    TRANSPORT = "transport"  # 交通
    SAFETY = "safety"  # 安全保障
    OVERALL = "overall"  # 总体满意度


class IncidentKind(StrEnum):
    INJURY = "injury"  # 受伤
    ILLNESS = "illness"  # 疾病
    COMPLAINT = "complaint"  # 投诉
    LOST_PROPERTY = "lost_property"  # 物品遗失
    TRANSPORT_DELAY = "transport_delay"  # 交通延误
    OTHER = "other"  # 其他


class Severity(StrEnum):
    MINOR = "minor"  # 一般
    MODERATE = "moderate"  # 较重
    SERIOUS = "serious"  # 严重 (an alert until closed)


class Element(StrEnum):
    """The six elements a base is assessed on (六要素)."""

    CONCEPT = "concept"  # 概念
    ENTRY = "entry"  # 准入条件
    INFRASTRUCTURE = "infrastructure"  # 基础设施
    RESOURCES = "resources"  # 休养资源
    SAFETY = "safety"  # 安全保障
    SERVICE = "service"  # 服务质量


class Strength(StrEnum):
    SHALL = "shall"  # 应 (a requirement)
    SHOULD = "should"  # 宜 (a recommendation)


class InspectionKind(StrEnum):
    """Why a base was inspected: the certification's 实地考察 or 复核, or a routine visit (日常检查)."""

    SITE_INSPECTION = "site_inspection"
    RECHECK = "recheck"
    ROUTINE = "routine"


class ClauseResult(StrEnum):
    MET = "met"  # 符合
    NOT_MET = "not_met"  # 不符合
    NOT_APPLICABLE = "na"  # 不适用


def _in(column: str, enum_cls: type[StrEnum], name: str) -> CheckConstraint:
    values = ", ".join(f"'{v}'" for v in enum_cls.values())
    return CheckConstraint(f"{column} IN ({values})", name=name)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Versioned(SQLModel):
    """Columns every editable record carries."""

    version: int = Field(default=1, nullable=False)
    created_at: dt.datetime = Field(default_factory=_now, nullable=False, sa_type=DateTime())
    updated_at: dt.datetime = Field(default_factory=_now, nullable=False, sa_type=DateTime())
    updated_by: str = Field(default="", max_length=80, nullable=False)


class Partner(Versioned, table=True):
    """合作单位: an organisation that sends groups."""

    __table_args__ = (_in("kind", PartnerKind, "ck_partner_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True, index=True)
    kind: str = Field(default=PartnerKind.ENTERPRISE.value, max_length=20)
    region: str = Field(default="", max_length=60)
    uscc: str | None = Field(default=None, max_length=18, unique=True)  # 统一社会信用代码
    contact_name: str = Field(default="", max_length=40)
    contact_phone: str = Field(default="", max_length=20)
    address: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=2000)
    archived: bool = Field(default=False)
    # the spending rules of the partner's jurisdiction (开支标准); None: no rules known
    spending_pack_id: int | None = Field(default=None, foreign_key="spending_pack.id")


class Agreement(Versioned, table=True):
    """合作协议: a signed cooperation agreement with a partner."""

    __table_args__ = (
        CheckConstraint("valid_to >= valid_from", name="ck_agreement_term"),
        CheckConstraint("quota_batches IS NULL OR quota_batches >= 0", name="ck_agreement_quota_batches"),
        CheckConstraint("quota_people IS NULL OR quota_people >= 0", name="ck_agreement_quota_people"),
        CheckConstraint("price_fen IS NULL OR price_fen >= 0", name="ck_agreement_price"),
        _in("charge_basis", ChargeBasis, "ck_agreement_charge_basis"),
        CheckConstraint(
            "no_show_credit_bp >= 0 AND no_show_credit_bp <= 10000", name="ck_agreement_no_show_credit"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    partner_id: int = Field(foreign_key="partner.id", index=True)
    number: str = Field(max_length=40, unique=True)
    signed_on: dt.date
    valid_from: dt.date
    valid_to: dt.date
    quota_batches: int | None = Field(default=None)  # per year
    quota_people: int | None = Field(default=None)  # per year
    price_fen: int | None = Field(default=None)  # agreed price per person per day, in fen (0.01 yuan)
    charge_basis: str = Field(default=ChargeBasis.PRICE.value, max_length=10)  # price or cost
    # the share of a no-show's charge credited to the partner, in basis points (10000: all of it)
    no_show_credit_bp: int = Field(default=0)
    notes: str = Field(default="", max_length=2000)
    scan_path: str = Field(default="", max_length=400)
    archived: bool = Field(default=False)


class Base(Versioned, table=True):
    """疗休养基地: a place that hosts groups."""

    __table_args__ = (
        _in("kind", BaseKind, "ck_base_kind"),
        CheckConstraint(
            "beds >= 0 AND rooms >= 0 AND dining_seats >= 0 AND meeting_seats >= 0", name="ck_base_counts"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True, index=True)
    kind: str = Field(default=BaseKind.HOTEL.value, max_length=20)
    township: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=200)
    contact_name: str = Field(default="", max_length=40)
    contact_phone: str = Field(default="", max_length=20)
    beds: int = Field(default=0)
    rooms: int = Field(default=0)
    dining_seats: int = Field(default=0)
    meeting_seats: int = Field(default=0)
    notes: str = Field(default="", max_length=2000)
    archived: bool = Field(default=False)


class RateCard(Versioned, table=True):
    """价目表: a base's prices for a period (rooms, meals, meeting rooms, activities) and its invoice details.

    Prices are in fen and include tax; ``tax_bp`` is the tax rate in basis points (600 = 6%).  A base's cards
    never overlap in validity (checked by ``services.rates``, which locks the base's row first)."""

    __tablename__ = "rate_card"
    __table_args__ = (
        UniqueConstraint("base_id", "name", name="uq_rate_card_base_name"),
        CheckConstraint("valid_to >= valid_from", name="ck_rate_card_term"),
        CheckConstraint("tax_bp >= 0 AND tax_bp <= 10000", name="ck_rate_card_tax"),
    )

    id: int | None = Field(default=None, primary_key=True)
    base_id: int = Field(foreign_key="base.id", index=True)
    name: str = Field(max_length=100)
    valid_from: dt.date
    valid_to: dt.date
    invoice_title: str = Field(default="", max_length=100)  # 开票单位
    uscc: str = Field(default="", max_length=18)  # the invoicing unit's 统一社会信用代码 ("" when not known)
    bank_name: str = Field(default="", max_length=100)  # 开户银行
    bank_account: str = Field(default="", max_length=40)  # 银行账号 (text: every digit kept)
    tax_bp: int = Field(default=600)
    notes: str = Field(default="", max_length=2000)


class RateLine(SQLModel, table=True):
    """One price of a rate card: a room type per night, a meal per person, a meeting room per session, an
    activity.  Without dates it is the card's price for the whole validity; with ``first_day`` and
    ``last_day`` (a season inside the card) it replaces that price on those days."""

    __tablename__ = "rate_line"
    __table_args__ = (
        _in("kind", RateKind, "ck_rate_line_kind"),
        _in("unit", RateUnit, "ck_rate_line_unit"),
        CheckConstraint("price_fen >= 0", name="ck_rate_line_price"),
        CheckConstraint(
            "(first_day IS NULL AND last_day IS NULL) OR "
            "(first_day IS NOT NULL AND last_day IS NOT NULL AND last_day >= first_day)",
            name="ck_rate_line_season",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    rate_card_id: int = Field(foreign_key="rate_card.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)
    item: str = Field(max_length=60)  # a room type or meal code (twin, breakfast), or a name as written
    first_day: dt.date | None = Field(default=None)
    last_day: dt.date | None = Field(default=None)
    unit: str = Field(max_length=20)
    price_fen: int  # tax included
    notes: str = Field(default="", max_length=200)


class SpendingPack(Versioned, table=True):
    """A jurisdiction's spending rules (开支标准), kept as data: 浙江省·杭州市, 宁波市 …"""

    __tablename__ = "spending_pack"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60, unique=True)
    notes: str = Field(default="", max_length=2000)


class SpendingRule(SQLModel, table=True):
    """One rule of a pack, with the text it comes from: a cap per person per day or per year (fen), the most
    days including travel, an insurance minimum (fen); ``mode`` warn or refuse; optional validity."""

    __tablename__ = "spending_rule"
    __table_args__ = (
        _in("kind", RuleKind, "ck_spending_rule_kind"),
        _in("mode", RuleMode, "ck_spending_rule_mode"),
        CheckConstraint("amount > 0", name="ck_spending_rule_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    pack_id: int = Field(foreign_key="spending_pack.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)
    amount: int  # fen for caps and insurance minimums, days for max_days
    mode: str = Field(default=RuleMode.WARN.value, max_length=10)
    valid_from: dt.date | None = Field(default=None)
    valid_to: dt.date | None = Field(default=None)
    source: str = Field(default="", max_length=400)  # the document and its words
    notes: str = Field(default="", max_length=400)


class BaseInvoice(Versioned, table=True):
    """A base's invoice for a batch (结算): number, date, amount (tax included) and tax rate, a scan; the
    difference from the actual cost explained by adjustment lines; approved; paid by payments."""

    __tablename__ = "base_invoice"
    __table_args__ = (
        UniqueConstraint("base_id", "number", name="uq_base_invoice_number"),
        _in("state", InvoiceState, "ck_base_invoice_state"),
        CheckConstraint("amount_fen >= 0", name="ck_base_invoice_amount"),
        CheckConstraint("tax_bp >= 0 AND tax_bp <= 10000", name="ck_base_invoice_tax"),
    )

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="batch.id", index=True)
    base_id: int = Field(foreign_key="base.id", index=True)
    number: str = Field(max_length=40)  # 发票号码
    issued_on: dt.date
    amount_fen: int  # tax included
    tax_bp: int = Field(default=600)
    scan_path: str = Field(default="", max_length=400)
    state: str = Field(default=InvoiceState.RECEIVED.value, max_length=20)
    approved_by: str = Field(default="", max_length=80)
    approved_on: dt.date | None = Field(default=None)
    notes: str = Field(default="", max_length=2000)


class InvoiceAdjustment(SQLModel, table=True):
    """One line explaining an invoice's difference from the actual cost (signed fen: +300.00 an extra
    meeting room, −180.00 a room not made up)."""

    __tablename__ = "invoice_adjustment"

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="base_invoice.id", index=True, ondelete="CASCADE")
    amount_fen: int
    reason: str = Field(max_length=400)


class Payment(SQLModel, table=True):
    """A payment of an invoice (date, amount, the bank's reference); an invoice is paid when its payments
    add up to its amount."""

    __tablename__ = "payment"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="ck_payment_amount"),)

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="base_invoice.id", index=True)
    paid_on: dt.date
    amount_fen: int
    reference: str = Field(default="", max_length=60)
    notes: str = Field(default="", max_length=400)
    created_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime())
    created_by: str = Field(default="", max_length=80)


class InsurancePolicy(Versioned, table=True):
    """A batch's group insurance (团体意外险): insurer, policy number, cover amounts (fen), period, insured
    count (checked against the roster)."""

    __tablename__ = "insurance_policy"
    __table_args__ = (
        UniqueConstraint("batch_id", name="uq_insurance_policy_batch"),
        CheckConstraint("last_day >= first_day", name="ck_insurance_policy_period"),
        CheckConstraint("accident_fen >= 0 AND medical_fen >= 0", name="ck_insurance_policy_cover"),
        CheckConstraint("insured_count >= 0", name="ck_insurance_policy_count"),
    )

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="batch.id")
    insurer: str = Field(max_length=100)
    policy_no: str = Field(max_length=60)
    accident_fen: int = Field(default=0)
    medical_fen: int = Field(default=0)
    first_day: dt.date
    last_day: dt.date
    insured_count: int = Field(default=0)
    notes: str = Field(default="", max_length=400)


class FeedbackResponse(Versioned, table=True):
    """One returned questionnaire (满意度调查表) of a batch: from a participant or from the group, with the
    questionnaire's number printed on it (unique per batch) and a comment; its stars are FeedbackRating rows."""

    __tablename__ = "feedback_response"
    __table_args__ = (
        UniqueConstraint("batch_id", "sheet_no", name="uq_feedback_response_sheet"),
        CheckConstraint("sheet_no IS NULL OR sheet_no >= 1", name="ck_feedback_response_sheet"),
    )

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="batch.id", index=True)
    sheet_no: int | None = Field(default=None)  # 问卷编号 (the number printed on the questionnaire)
    participant_id: int | None = Field(default=None, foreign_key="participant.id", ondelete="SET NULL")
    respondent: str = Field(default="", max_length=40)  # as written ("第一组", a name, or empty)
    answered_on: dt.date | None = Field(default=None)
    source: str = Field(default="entered", max_length=20)  # entered (the grid) or imported (a workbook)
    comment: str = Field(default="", sa_type=Text())


class FeedbackRating(SQLModel, table=True):
    """Stars (1-5) one response gives one dimension of a base, or of the route when ``base_id`` is None."""

    __tablename__ = "feedback_rating"
    __table_args__ = (
        _in("dimension", Dimension, "ck_feedback_rating_dimension"),
        CheckConstraint("stars >= 1 AND stars <= 5", name="ck_feedback_rating_stars"),
    )

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(foreign_key="feedback_response.id", index=True, ondelete="CASCADE")
    base_id: int | None = Field(default=None, foreign_key="base.id", index=True)
    dimension: str = Field(max_length=20)
    stars: int


class Incident(Versioned, table=True):
    """Something that went wrong on a trip (事件): kind, severity, what happened, who (participants through
    IncidentPerson, shown masked; others as written), what was done, the outcome and the follow-up; open until
    closed.  A serious incident is an alert until closed."""

    __table_args__ = (
        _in("kind", IncidentKind, "ck_incident_kind"),
        _in("severity", Severity, "ck_incident_severity"),
        CheckConstraint("closed_on IS NULL OR closed_on >= occurred_on", name="ck_incident_closed"),
    )

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int | None = Field(default=None, foreign_key="batch.id", index=True)
    base_id: int | None = Field(default=None, foreign_key="base.id", index=True)
    occurred_on: dt.date
    kind: str = Field(max_length=20)
    severity: str = Field(default=Severity.MINOR.value, max_length=10)
    summary: str = Field(max_length=200)  # what happened, in a line
    details: str = Field(default="", sa_type=Text())
    others: str = Field(default="", max_length=400)  # people involved who are not on a roster, as written
    action_taken: str = Field(default="", sa_type=Text())  # 处置
    outcome: str = Field(default="", sa_type=Text())  # 结果
    follow_up: str = Field(default="", sa_type=Text())  # 后续跟进
    follow_up_due: dt.date | None = Field(default=None)
    reported_by: str = Field(default="", max_length=80)
    closed_on: dt.date | None = Field(default=None)
    closed_by: str = Field(default="", max_length=80)


class IncidentPerson(SQLModel, table=True):
    """A participant involved in an incident."""

    __tablename__ = "incident_person"
    __table_args__ = (UniqueConstraint("incident_id", "participant_id", name="uq_incident_person"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True, ondelete="CASCADE")
    participant_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")


class StandardClause(Versioned, table=True):
    """One clause of the standard the office inspects bases against (DB3301/T 0374-2022 …), kept as data the
    office edits: its number, the element it belongs to, the requirement, shall (应) or should (宜)."""

    __tablename__ = "standard_clause"
    __table_args__ = (
        UniqueConstraint("standard", "code", name="uq_standard_clause_code"),
        _in("element", Element, "ck_standard_clause_element"),
        _in("strength", Strength, "ck_standard_clause_strength"),
    )

    id: int | None = Field(default=None, primary_key=True)
    standard: str = Field(max_length=60)
    code: str = Field(max_length=20)  # the clause's number as the standard writes it: 6.5.3
    element: str = Field(max_length=20)
    requirement: str = Field(max_length=1000)
    strength: str = Field(default=Strength.SHALL.value, max_length=10)
    position: int = Field(default=0)
    active: bool = Field(default=True)


class Inspection(Versioned, table=True):
    """A visit to a base against the standard's clauses (实地考察, 复核 or a routine check): who, when, the
    conclusion; its items copy each clause as it read that day, so editing a clause never rewrites the
    evidence."""

    __table_args__ = (_in("kind", InspectionKind, "ck_inspection_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    base_id: int = Field(foreign_key="base.id", index=True)
    certification_id: int | None = Field(default=None, foreign_key="certification.id", index=True)
    kind: str = Field(max_length=20)
    on_date: dt.date
    standard: str = Field(default="", max_length=60)
    inspectors: str = Field(default="", max_length=200)
    conclusion: str = Field(default="", sa_type=Text())


class InspectionItem(SQLModel, table=True):
    """One clause of an inspection: met, not met or not applicable (None: not checked yet), with a note and
    the day it was checked."""

    __tablename__ = "inspection_item"
    __table_args__ = (
        UniqueConstraint("inspection_id", "code", name="uq_inspection_item_code"),
        CheckConstraint(
            "result IS NULL OR result IN ('met', 'not_met', 'na')", name="ck_inspection_item_result"
        ),
        _in("strength", Strength, "ck_inspection_item_strength"),
    )

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True, ondelete="CASCADE")
    clause_id: int | None = Field(default=None, foreign_key="standard_clause.id", ondelete="SET NULL")
    code: str = Field(max_length=20)
    element: str = Field(max_length=20)
    requirement: str = Field(max_length=1000)
    strength: str = Field(max_length=10)
    position: int = Field(default=0)
    result: str | None = Field(default=None, max_length=10)
    note: str = Field(default="", max_length=1000)
    checked_on: dt.date | None = Field(default=None)


class Certification(Versioned, table=True):
    """基地认定: one certification of a base at one level, with its current state."""

    __table_args__ = (
        _in("level", CertLevel, "ck_cert_level"),
        _in("status", CertStatus, "ck_cert_status"),
        CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="ck_cert_term"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    base_id: int = Field(foreign_key="base.id", index=True)
    level: str = Field(max_length=20)
    status: str = Field(default=CertStatus.APPLIED.value, max_length=20)
    certificate_no: str | None = Field(default=None, max_length=40, unique=True)
    applied_on: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    recheck_due: dt.date | None = None


class CertificationStep(SQLModel, table=True):
    """One step in a certification's history (申报, 初审, 实地考察, 认定, 复核, 摘牌 …)."""

    __tablename__ = "certification_step"
    __table_args__ = (_in("step", CertStep, "ck_cert_step"),)

    id: int | None = Field(default=None, primary_key=True)
    certification_id: int = Field(foreign_key="certification.id", index=True)
    step: str = Field(max_length=20)
    on_date: dt.date
    responsible: str = Field(default="", max_length=40)
    notes: str = Field(default="", max_length=1000)


class Route(Versioned, table=True):
    """线路: a catalogue product with a day-by-day plan."""

    __table_args__ = (
        _in("theme", Theme, "ck_route_theme"),
        CheckConstraint("days >= 1 AND nights >= 0 AND nights <= days", name="ck_route_days"),
        CheckConstraint("price_fen IS NULL OR price_fen >= 0", name="ck_route_price"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=100, index=True)
    theme: str = Field(max_length=20)
    days: int = Field(default=1)
    nights: int = Field(default=0)
    price_fen: int | None = None  # per person, whole route
    season: str = Field(default="", max_length=40)
    description: str = Field(default="", max_length=2000)
    archived: bool = Field(default=False)


class RouteItem(SQLModel, table=True):
    """One item of a route's day plan: an activity, a meal at a base or the night's lodging."""

    __tablename__ = "route_item"
    __table_args__ = (
        _in("kind", ItemKind, "ck_route_item_kind"),
        CheckConstraint("day_no >= 1", name="ck_route_item_day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    route_id: int = Field(foreign_key="route.id", index=True)
    day_no: int
    seq: int = Field(default=0)
    time_of_day: str = Field(default="", max_length=20)
    kind: str = Field(default=ItemKind.ACTIVITY.value, max_length=20)
    activity: str = Field(default="", max_length=200)
    place: str = Field(default="", max_length=100)
    base_id: int | None = Field(default=None, foreign_key="base.id")


class Batch(Versioned, table=True):
    """批次: one group visit."""

    __table_args__ = (
        _in("kind", BatchKind, "ck_batch_kind"),
        _in("status", BatchStatus, "ck_batch_status"),
        CheckConstraint("departure >= arrival", name="ck_batch_dates"),
        CheckConstraint("headcount >= 0", name="ck_batch_headcount"),
        Index("ix_batch_arrival", "arrival"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    kind: str = Field(default=BatchKind.RECUPERATION.value, max_length=20)
    status: str = Field(default=BatchStatus.PLANNED.value, max_length=20)
    partner_id: int = Field(foreign_key="partner.id", index=True)
    agreement_id: int | None = Field(default=None, foreign_key="agreement.id", index=True)
    route_id: int | None = Field(default=None, foreign_key="route.id", index=True)
    arrival: dt.date
    departure: dt.date
    headcount: int = Field(default=0)
    leader: str = Field(default="", max_length=40)
    leader_phone: str = Field(default="", max_length=20)
    guide: str = Field(default="", max_length=40)
    vehicle: str = Field(default="", max_length=40)
    notes: str = Field(default="", max_length=2000)
    cancel_reason: str = Field(default="", max_length=400)
    roll_closed_on: dt.date | None = Field(default=None)  # the roll call was closed (the rest: no-shows)


class BatchItem(SQLModel, table=True):
    """The batch's own itinerary: a copy of its route's plan on real dates, changeable on its own."""

    __tablename__ = "batch_item"
    __table_args__ = (_in("kind", ItemKind, "ck_batch_item_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="batch.id", index=True)
    on_date: dt.date
    seq: int = Field(default=0)
    time_of_day: str = Field(default="", max_length=20)
    kind: str = Field(default=ItemKind.ACTIVITY.value, max_length=20)
    activity: str = Field(default="", max_length=200)
    place: str = Field(default="", max_length=100)
    base_id: int | None = Field(default=None, foreign_key="base.id")


class Lodging(SQLModel, table=True):
    """How many people of a batch sleep at a base on a night (the night starting on ``night``)."""

    __table_args__ = (
        UniqueConstraint("batch_id", "base_id", "night", name="uq_lodging_batch_base_night"),
        CheckConstraint("people >= 0", name="ck_lodging_people"),
        Index("ix_lodging_base_night", "base_id", "night"),
    )

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="batch.id", index=True)
    base_id: int = Field(foreign_key="base.id")
    night: dt.date
    people: int = Field(default=0)


def _kept() -> Any:
    """A column the database keeps from the full numbers (``storage/person_keys.py``): never written by a desk,
    read back after a write."""
    return {"server_default": "", "server_onupdate": FetchedValue()}


def _numbers_unloaded(cls: Any) -> dict[str, Any]:
    """The mapper arguments of a table holding a person's full numbers (the roster, the waiting list)."""
    columns = cls.__table__.c
    return {
        # the masks and keys come from the database's trigger: read back, never taken from RETURNING
        # (SQLite's AFTER trigger is not in it)
        "eager_defaults": False,
        # never loaded with the record; reading them raises (services/identity.py reads them, with the
        # right): a reader left behind fails on SQLite too, not only on a server
        "properties": {
            "id_number": deferred(columns.id_number, raiseload=True),
            "phone": deferred(columns.phone, raiseload=True),
        },
    }


class Participant(Versioned, table=True):
    """团员: a person in a batch.  One person (ID number) at most once per batch.

    ``id_number`` and ``phone`` are written but never loaded with the record (reading them raises): on a server
    only the schema's owner may SELECT them.  A desk shows ``id_masked`` and ``phone_masked``, matches people
    by ``id_key`` and ``phone_key`` (kept by the database, ``storage/person_keys.py``) and reads the full numbers
    only through ``services/identity.py``, which needs the right to them and audits it."""

    __table_args__ = (
        UniqueConstraint("batch_id", "id_number", name="uq_participant_batch_person"),
        CheckConstraint("sex IS NULL OR sex IN ('M', 'F')", name="ck_participant_sex"),
        Index("ix_participant_id_key", "id_key", "batch_id"),
    )

    @declared_attr  # type: ignore[arg-type]
    def __mapper_args__(cls) -> dict[str, Any]:
        return _numbers_unloaded(cls)

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="batch.id", index=True)
    name: str = Field(max_length=40)
    id_number: str = Field(max_length=18, index=True)
    sex: str | None = Field(default=None, max_length=1)
    birth_date: dt.date | None = None
    phone: str = Field(default="", max_length=20)
    employer: str = Field(default="", max_length=100)
    department: str = Field(default="", max_length=100)
    model_worker: bool = Field(default=False)
    category: str = Field(default="", max_length=40)  # worker category (一线职工, 劳模, 技术人员 …)
    diet: str = Field(default="", max_length=200)
    health: str = Field(default="", max_length=200)
    emergency_contact: str = Field(default="", max_length=100)
    room: str = Field(default="", max_length=20)
    notes: str = Field(default="", max_length=500)
    # 随行家属: travels at their own cost; lodges and eats (beds, rooms, meals) but never counts in the
    # union's 人次 / 人天
    companion: bool = Field(default=False)
    # the roll call (报到): "" (not called yet), attended, no_show, left_early (with the day they left)
    attendance: str = Field(default="", max_length=20)
    left_on: dt.date | None = Field(default=None)
    # the day this person's identifying data was anonymised (privacy purge); the statistics' facts stay
    anonymised_on: dt.date | None = Field(default=None)
    # kept by the database from id_number and phone (storage/person_keys.py): mask_id, mask_phone and the keys
    # people are matched by (the numbers themselves on SQLite; a keyed hash on a server)
    id_masked: str | None = Field(default=None, max_length=18, nullable=False, sa_column_kwargs=_kept())
    phone_masked: str | None = Field(default=None, max_length=20, nullable=False, sa_column_kwargs=_kept())
    id_key: str | None = Field(default=None, max_length=64, nullable=False, sa_column_kwargs=_kept())
    phone_key: str | None = Field(default=None, max_length=64, nullable=False, sa_column_kwargs=_kept())


class ServiceOrder(Versioned, table=True):
    """接待预订单: what one base provides for one batch, and the base's answer.

    The order's content (nights, rooms, meals, activities, people) is derived from the batch whenever it is
    shown; what was sent is kept as ``sent_content`` (JSON), so that a change after sending is seen with its
    exact difference.  ``edition`` counts the times it was sent; the QR code carries it."""

    __tablename__ = "service_order"
    __table_args__ = (
        UniqueConstraint("batch_id", "base_id", name="uq_service_order_batch_base"),
        _in("status", OrderStatus, "ck_service_order_status"),
        CheckConstraint(
            "sent_how = '' OR sent_how IN ('printed', 'pdf', 'workbook', 'email')", name="ck_order_how"
        ),
        CheckConstraint("edition >= 0", name="ck_service_order_edition"),
        Index("ix_service_order_base", "base_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="batch.id", index=True)
    base_id: int = Field(foreign_key="base.id")
    status: str = Field(default=OrderStatus.DRAFT.value, max_length=20)
    edition: int = Field(default=0)
    sent_on: dt.date | None = Field(default=None)
    sent_how: str = Field(default="", max_length=20)
    sent_content: str = Field(default="", sa_type=Text())
    answered_on: dt.date | None = Field(default=None)
    answered_by: str = Field(default="", max_length=40)  # who at the base
    reference: str = Field(default="", max_length=60)  # the base's own reference
    reason: str = Field(default="", max_length=400)  # why the base declined
    changes: str = Field(default="", max_length=400)  # what the base changed when confirming with changes
    full_ids: bool = Field(default=False)  # the base needs full ID numbers (police registration)
    cancel_sent_on: dt.date | None = Field(default=None)  # the cancellation notice went to the base


class RosterEvent(SQLModel, table=True):
    """A roster's history beyond field changes: who replaced whom, who moved between batches, who was taken
    from the waiting list or passed over on it, and why.  Names are kept as written and ID numbers masked, so
    the history stays readable after a person is removed."""

    __tablename__ = "roster_event"

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="batch.id", index=True)
    at: dt.datetime = Field(default_factory=_now, sa_type=DateTime())
    user: str = Field(default="", max_length=80)
    kind: str = Field(max_length=20)  # substitute, move_out, move_in, promote, skip, waitlist, withdraw
    name: str = Field(default="", max_length=40)
    id_masked: str = Field(default="", max_length=18)
    other_name: str = Field(default="", max_length=40)
    other_batch_id: int | None = Field(default=None, foreign_key="batch.id")
    reason: str = Field(default="", max_length=400)


class WaitingEntry(Versioned, table=True):
    """候补: a person waiting for a place in a batch, in the order they were put on the list.

    Their full numbers are kept as a roster's are (:class:`Participant`): never loaded, shown masked, matched by
    key; a promotion writes them onto the roster on the server (``rd_promote_waiting``).  ``sex`` and
    ``birth_date`` are the ID number's facts, taken when the person is put on the list."""

    __tablename__ = "waiting_entry"
    __table_args__ = (
        _in("state", WaitState, "ck_waiting_entry_state"),
        UniqueConstraint("batch_id", "id_number", name="uq_waiting_batch_person"),
        CheckConstraint("sex IS NULL OR sex IN ('M', 'F')", name="ck_waiting_entry_sex"),
    )

    @declared_attr  # type: ignore[arg-type]
    def __mapper_args__(cls) -> dict[str, Any]:
        return _numbers_unloaded(cls)

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="batch.id", index=True)
    name: str = Field(max_length=40)
    id_number: str = Field(max_length=18)
    phone: str = Field(default="", max_length=20)
    employer: str = Field(default="", max_length=100)
    category: str = Field(default="", max_length=40)
    added_on: dt.date
    state: str = Field(default=WaitState.WAITING.value, max_length=20)
    reason: str = Field(default="", max_length=400)
    sex: str | None = Field(default=None, max_length=1)
    birth_date: dt.date | None = None
    # kept by the database from id_number and phone, as the roster's (storage/person_keys.py)
    id_masked: str | None = Field(default=None, max_length=18, nullable=False, sa_column_kwargs=_kept())
    phone_masked: str | None = Field(default=None, max_length=20, nullable=False, sa_column_kwargs=_kept())
    id_key: str | None = Field(default=None, max_length=64, nullable=False, sa_column_kwargs=_kept())
    phone_key: str | None = Field(default=None, max_length=64, nullable=False, sa_column_kwargs=_kept())


class DepartureNotice(Versioned, table=True):
    """出团通知书: what the partner's people need to know before the coach leaves; one per batch.  Empty
    texts print the program's standard wording (``documents.orders_docs``)."""

    __tablename__ = "departure_notice"

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="batch.id", unique=True)
    gather_at: str = Field(default="", max_length=60)  # 集合时间, as the coordinator writes it: 5月12日 7:30
    gather_place: str = Field(default="", max_length=200)  # 集合地点
    bring: str = Field(default="", max_length=1000)  # 携带物品
    conduct: str = Field(default="", max_length=1000)  # 纪律要求
    contacts: str = Field(default="", max_length=400)  # 紧急联系人 beyond the leader
    insurance: str = Field(default="", max_length=200)  # 保险: insurer and policy number


class AuditEntry(SQLModel, table=True):
    """Who changed what, when: one row per changed field (or per action without fields)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_record", "table_name", "record_id"), Index("ix_audit_at", "at"))

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=_now, sa_type=DateTime())
    user: str = Field(max_length=80)
    action: str = Field(max_length=20)  # create, update, delete, archive, export, print, import, demo
    table_name: str = Field(max_length=40)
    record_id: int | None = None
    record_label: str = Field(default="", max_length=120)
    field: str = Field(default="", max_length=60)
    old: str | None = Field(default=None, sa_type=Text())
    new: str | None = Field(default=None, sa_type=Text())


class PolicySetting(SQLModel, table=True):
    """A configurable rule value (maximum days, eligibility cycle …), stored as text."""

    __tablename__ = "policy_setting"

    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(max_length=200)
    version: int = Field(default=1)
    updated_at: dt.datetime = Field(default_factory=_now, sa_type=DateTime())
    updated_by: str = Field(default="", max_length=80)


class AppMeta(SQLModel, table=True):
    """Facts about the database itself, such as the program version that last migrated it."""

    __tablename__ = "app_meta"

    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(max_length=200)


#: Tables that hold an office's data, in an order that respects foreign keys: every table but ``app_meta``
#: (facts about the file itself).  ``copy-to``, the table counts and the tests' checksums go through it, so a
#: table left out here is a table a move to a server silently loses (tests/test_schema.py holds it whole).
DATA_TABLES: tuple[type[SQLModel], ...] = (
    SpendingPack,
    SpendingRule,
    Partner,
    Agreement,
    Base,
    RateCard,
    RateLine,
    StandardClause,
    Certification,
    CertificationStep,
    Inspection,
    InspectionItem,
    Route,
    RouteItem,
    Batch,
    BatchItem,
    Lodging,
    Participant,
    ServiceOrder,
    RosterEvent,
    WaitingEntry,
    DepartureNotice,
    BaseInvoice,
    InvoiceAdjustment,
    Payment,
    InsurancePolicy,
    FeedbackResponse,
    FeedbackRating,
    Incident,
    IncidentPerson,
    AuditEntry,
    PolicySetting,
)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a model, for queries written with columns (typed for mypy, unlike class attributes)."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


def _keep_numbers(_mapper: Any, connection: Any, target: Any) -> None:
    """On an SQLite file, the masked and key columns go with the numbers a desk writes (computed as the file's
    triggers compute them, ``storage/person_keys.kept_values``), so the triggers find nothing to put right and
    write nothing a second time.  On a server the database computes them (its secret keys) whatever is given."""
    if connection.dialect.name != "sqlite":
        return
    from sqlalchemy import inspect

    from recuperation.storage.person_keys import kept_values

    state = inspect(target)
    written = state.dict  # never loads a number: they are not loaded with a record (see Participant)
    fresh = state.key is None
    number = written.get("id_number") if fresh or state.attrs.id_number.history.has_changes() else None
    phone = written.get("phone") if fresh or state.attrs.phone.history.has_changes() else None
    kept = kept_values(str(number or ""), str(phone or ""))
    if number is not None:
        target.id_masked, target.id_key = kept["id_masked"], kept["id_key"]
    if phone is not None:
        target.phone_masked, target.phone_key = kept["phone_masked"], kept["phone_key"]


for _model in (Participant, WaitingEntry):
    _event.listen(_model, "before_insert", _keep_numbers)
    _event.listen(_model, "before_update", _keep_numbers)
