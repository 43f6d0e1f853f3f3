"""What needs a coordinator's attention today, as structured records both front ends show.

The overview's 需要关注 list and ``recuperation alerts [--json]`` (a daily check a colleague can schedule) are
the same list, made here.  Each :class:`Alert` names its rule, the record it concerns (table and id, so a
front end can open it), the date it is about, the figures behind it and a full sentence in the current
language.  The rules (see ``docs/domain.md``):

- ``agreement_expiring``: a partner's latest agreement ends within 60 days;
- ``quota_over``: an agreement's batches or people this year exceed its quota (severe);
- ``cert_lapsing``: a base's certificate ends within 60 days (severe);
- ``cert_recheck_due``: a base's re-check (复核) is due within 60 days;
- ``overbooked``: from today on, a night at a base has more people lodged than beds (severe);
- ``no_roster``: a batch arriving within a week has no roster;
- ``bad_id``: a participant of a batch arriving from today on has an ID number that fails its check (severe);
- ``uncertified_lodging``: a batch arriving from today on (not cancelled) lodges at a base that holds no valid
  certificate on that night, lapsed or never certified (severe): one alert per batch and base, dated on the
  first such night;
- ``agreement_ended``: a batch arriving from today on (not cancelled) counts against an agreement that has
  ended, or ends before the batch leaves: one alert per batch, dated on its arrival;
- ``order_unconfirmed``: a live batch (planned, confirmed, in progress) arriving within a week has a base whose
  service order is not confirmed (never sent, waiting, declined, or changed since sent) (severe): one alert
  per batch and base, dated on its arrival;
- ``order_unanswered``: an order of a live batch arriving from today on has waited for the base's answer
  longer than the policy's ``order_answer_days`` (unless ``order_unconfirmed`` already names it);
- ``order_withdrawn``: an order was sent for a batch arriving from today on that was then cancelled or no
  longer uses the base: a cancellation notice is due;
- ``category_share``: with the policy's ``category_share_scope`` = ``partner_year``, a partner's rosters of
  today's year (recuperation batches not cancelled, companions left out) hold less than the policy's
  ``category_share`` of its category: one alert per partner, not severe (with the scope ``batch`` the
  rule is a finding on each batch instead, ``services.batch.rules``);
- ``insurance``: a live batch arriving within a week, or under way, without valid cover (no policy, a period
  short of the stay, fewer insured than on the roster, cover below its partner's spending rules) (severe):
  one alert per batch, dated on its arrival, saying what is wrong (``services.insurance``).
- ``incident_open``: a serious incident not closed (severe); ``incident_follow_up``: another open incident whose
  follow-up is overdue; each opens its batch, else its base (``services.incidents``).
- ``settle_not_invoiced``, ``settle_unapproved``, ``settle_unpaid``: a completed batch's base that has not
  invoiced 30 days after the batch left, an invoice awaiting approval, an approved invoice not paid in full
  (not severe; ``services.settlement.overview_alerts``).

What has already lapsed is listed as well as what lapses soon: the rules on batches look at every batch from
today on, however far ahead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import and_, case, func, select

from recuperation import messages
from recuperation.labels import label
from recuperation.models import (
    Agreement,
    Base,
    Batch,
    BatchKind,
    BatchStatus,
    Certification,
    Lodging,
    OrderStatus,
    Participant,
    Partner,
    ServiceOrder,
    table_of,
)
from recuperation.services import bases as base_service
from recuperation.services import insurance as insurance_service
from recuperation.services import orders as order_service
from recuperation.services import partners as partner_service
from recuperation.services.batch import batches as batch_service
from recuperation.services.batch.rules import share_percent
from recuperation.services.checks import bad_ids, overbookings
from recuperation.services.policy import get_policy
from recuperation.storage.database import Database

ROSTER_DUE_DAYS = 7  # a batch arriving within a week should have its roster
ORDER_DUE_DAYS = 7  # a batch arriving within a week should have every base's confirmation

#: Each rule's category, as the overview groups them.
CATEGORY = {
    "agreement_expiring": "agreement",
    "quota_over": "agreement",
    "cert_lapsing": "certification",
    "cert_recheck_due": "certification",
    "overbooked": "capacity",
    "no_roster": "roster",
    "bad_id": "id_number",
    "uncertified_lodging": "certification",
    "agreement_ended": "agreement",
    "order_unconfirmed": "order",
    "order_unanswered": "order",
    "order_withdrawn": "order",
    "category_share": "agreement",
    "settle_not_invoiced": "settlement",
    "settle_unapproved": "settlement",
    "settle_unpaid": "settlement",
    "insurance": "insurance",
    "incident_open": "incident",
    "incident_follow_up": "incident",
}


@dataclass(frozen=True)
class Alert:
    rule: str  # a key of CATEGORY
    table: str  # the table of the record to open: partner, base or batch
    key: int | None  # that record's id
    subject: str  # the record as a coordinator names it: partner, base or batch code
    day: dt.date | None  # the date it is about: the end, the re-check, the night, the arrival
    severe: bool
    message: str  # a full sentence in the current language
    numbers: dict[str, int] = field(default_factory=dict)  # the figures behind it

    @property
    def category(self) -> str:
        return CATEGORY[self.rule]

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "table": self.table,
            "id": self.key,
            "subject": self.subject,
            "day": self.day.isoformat() if self.day else None,
            "severe": self.severe,
            "numbers": dict(self.numbers),
            "message": self.message,
        }


def collect_alerts(db: Database, today: dt.date) -> list[Alert]:
    """Every alert as of ``today``, severe ones first, then by date (undated last) and rule."""
    alerts: list[Alert] = []
    for partner in partner_service.list_partners(db):
        end = partner.agreement_end
        if end is None or partner.agreement_state(today) != "expiring":
            continue
        alerts.append(
            Alert(
                "agreement_expiring",
                "partner",
                partner.id,
                partner.name,
                end,
                False,
                messages.text(
                    "alert.agreement_expiring",
                    partner=partner.name,
                    day=messages.day_text(end),
                    days=(end - today).days,
                ),
                {"days": (end - today).days},
            )
        )
    for agreement in partner_service.list_agreements(db, year=today.year):
        over_batches = (
            agreement.quota_batches is not None and agreement.used_batches > agreement.quota_batches
        )
        over_people = agreement.quota_people is not None and agreement.used_people > agreement.quota_people
        if not (over_batches or over_people):
            continue
        numbers = {
            "agreement": agreement.id,
            "year": today.year,
            "used_batches": agreement.used_batches,
            "used_people": agreement.used_people,
        }
        if agreement.quota_batches is not None:
            numbers["quota_batches"] = agreement.quota_batches
        if agreement.quota_people is not None:
            numbers["quota_people"] = agreement.quota_people
        figures = messages.join(
            (
                [
                    messages.text(
                        "alert.quota_batches", used=agreement.used_batches, quota=agreement.quota_batches
                    )
                ]
                if over_batches
                else []
            )
            + (
                [
                    messages.text(
                        "alert.quota_people", used=agreement.used_people, quota=agreement.quota_people
                    )
                ]
                if over_people
                else []
            )
        )
        alerts.append(
            Alert(
                "quota_over",
                "partner",
                agreement.partner_id,
                f"{agreement.partner} {agreement.number}",
                None,
                True,
                messages.text(
                    "alert.quota_over",
                    partner=agreement.partner,
                    number=agreement.number,
                    year=today.year,
                    figures=figures,
                ),
                numbers,
            )
        )
    for base in base_service.list_bases(db):
        state = base.cert_state(today)
        if state == "lapsing" and base.cert_valid_to is not None:
            day = base.cert_valid_to
            rule, severe = "cert_lapsing", True
        elif state == "recheck_due" and base.cert_recheck_due is not None:
            day = base.cert_recheck_due
            rule, severe = "cert_recheck_due", False
        else:
            continue
        message = messages.text(
            f"alert.{rule}", base=base.name, day=messages.day_text(day), days=(day - today).days
        )
        alerts.append(
            Alert(rule, "base", base.id, base.name, day, severe, message, {"days": (day - today).days})
        )
    _recheck_scorecards(db, alerts, today)
    for night in overbookings(db, since=today):
        alerts.append(
            Alert(
                "overbooked",
                "base",
                night.base_id,
                night.base,
                night.night,
                True,
                night.message(),
                {"used": night.used, "beds": night.beds, "over": night.over},
            )
        )
    # a week on, or the calendar's last day (a check run “as of” 9999-12-25 looks no further than 9999-12-31)
    soon = today + dt.timedelta(days=min(ROSTER_DUE_DAYS, (dt.date.max - today).days))
    years = sorted({today.year, soon.year})
    for year in years:
        for batch in batch_service.list_batches(db, year=year):
            if today <= batch.arrival <= soon and batch.roster_count == 0 and batch.status != "cancelled":
                alerts.append(
                    Alert(
                        "no_roster",
                        "batch",
                        batch.id,
                        batch.code,
                        batch.arrival,
                        False,
                        messages.text(
                            "alert.no_roster",
                            code=batch.code,
                            partner=batch.partner,
                            day=messages.day_text(batch.arrival),
                            days=(batch.arrival - today).days,
                        ),
                        {"days": (batch.arrival - today).days, "headcount": batch.headcount},
                    )
                )
    for bad in bad_ids(db, since=today):
        alerts.append(Alert("bad_id", "batch", bad.batch_id, bad.batch, bad.arrival, True, bad.message))
    alerts.extend(_uncertified_lodging(db, today))
    alerts.extend(_agreements_ended(db, today))
    alerts.extend(_orders(db, today))
    alerts.extend(_category_share(db, today))
    from recuperation.services.settlement import overview_alerts  # imports this module's Alert

    alerts.extend(overview_alerts(db, today))
    alerts.extend(insurance_service.insurance_alerts(db, today))
    from recuperation.services.incidents import incident_alerts  # imports this module's Alert

    alerts.extend(incident_alerts(db, today))
    alerts.sort(key=lambda a: (not a.severe, a.day is None, a.day or dt.date.max, a.rule, a.subject))
    return alerts


def _recheck_scorecards(db: Database, alerts: list[Alert], today: dt.date) -> None:
    """Each ``cert_recheck_due`` alert with its base's scorecard in a sentence and its figures, for the panel to
    come (``services.scorecard``: this year's, or last year's while this year has no rating yet)."""
    due = [i for i, a in enumerate(alerts) if a.rule == "cert_recheck_due" and a.key is not None]
    if not due:
        return
    from recuperation.services.scorecard import recheck_cards, summary_numbers, summary_text

    cards = recheck_cards(db, [alerts[i].key or 0 for i in due], today)
    space = "" if messages.language() == "zh" else " "
    for i in due:
        alert = alerts[i]
        card = cards.get(alert.key or 0)
        if card is not None:
            alerts[i] = replace(
                alert,
                message=alert.message + space + summary_text(card),
                numbers={**alert.numbers, **summary_numbers(card)},
            )


def _category_share(db: Database, today: dt.date) -> list[Alert]:
    """Partners whose rosters of today's year fall short of the policy's least share of a worker category."""
    policy = get_policy(db)
    rule = policy.share_rule
    if rule is None or policy.category_share_scope != "partner_year":
        return []
    category, least = rule
    b, p, pt = table_of(Batch).c, table_of(Participant).c, table_of(Partner).c
    query = (
        select(
            pt.id,
            pt.name,
            func.count(),
            func.sum(case((p.category == category, 1), else_=0)),
        )
        .select_from(table_of(Participant))
        .join(table_of(Batch), b.id == p.batch_id)
        .join(table_of(Partner), pt.id == b.partner_id)
        .where(
            p.companion == False,  # noqa: E712 (SQL)
            b.kind == BatchKind.RECUPERATION.value,
            b.status != BatchStatus.CANCELLED.value,
            b.arrival >= dt.date(today.year, 1, 1),
            b.arrival <= dt.date(today.year, 12, 31),
        )
        .group_by(pt.id, pt.name)
    )
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
    alerts = []
    for partner_id, partner, total, count in rows:
        total, count = int(total), int(count or 0)
        if not total or count * 100 >= least * total:
            continue
        share = share_percent(count, total)
        alerts.append(
            Alert(
                "category_share",
                "partner",
                partner_id,
                partner,
                None,
                False,
                messages.text(
                    "alert.category_share",
                    partner=partner,
                    year=today.year,
                    category=category,
                    count=count,
                    total=total,
                    share=share,
                    least=least,
                ),
                {"year": today.year, "count": count, "total": total, "share": share, "least": least},
            )
        )
    return alerts


def _uncertified_lodging(db: Database, today: dt.date) -> list[Alert]:
    """Per batch arriving from today on and base: the nights it lodges there while no certificate of the base
    is valid (lapsed, revoked, never certified), dated on the first."""
    lo, ba, b, pt, c = (table_of(m).c for m in (Lodging, Base, Batch, Partner, Certification))
    certified = (
        select(c.id)
        .where(
            c.base_id == lo.base_id,
            c.status.in_(base_service.VALID_STATES),
            c.valid_from <= lo.night,
            c.valid_to >= lo.night,
        )
        .exists()
    )
    query = (
        select(b.id, b.code, pt.name, ba.id, ba.name, func.min(lo.night), func.count())
        .select_from(table_of(Lodging))
        .join(table_of(Batch), b.id == lo.batch_id)
        .join(table_of(Partner), pt.id == b.partner_id)
        .join(table_of(Base), ba.id == lo.base_id)
        .where(
            b.arrival >= today,
            b.status != BatchStatus.CANCELLED.value,
            lo.people > 0,  # a row of 0 people lodges nobody there
            ~certified,
        )
        .group_by(b.id, b.code, pt.name, ba.id, ba.name)
    )
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        Alert(
            "uncertified_lodging",
            "batch",
            batch_id,
            code,
            first,
            True,
            messages.text(
                "alert.uncertified_lodging",
                code=code,
                partner=partner,
                base=base,
                day=messages.day_text(first),
                nights=nights,
            ),
            {"base": base_id, "nights": int(nights)},
        )
        for batch_id, code, partner, base_id, base, first, nights in rows
    ]


def _agreements_ended(db: Database, today: dt.date) -> list[Alert]:
    """Batches arriving from today on whose agreement has ended, or ends before they leave."""
    b, ag, pt = table_of(Batch).c, table_of(Agreement).c, table_of(Partner).c
    query = (
        select(b.id, b.code, pt.name, b.arrival, b.departure, ag.id, ag.number, ag.valid_to)
        .join(table_of(Agreement), and_(ag.id == b.agreement_id, ag.valid_to < b.departure))
        .join(table_of(Partner), pt.id == b.partner_id)
        .where(b.arrival >= today, b.status != BatchStatus.CANCELLED.value)
    )
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
    alerts = []
    for batch_id, code, partner, arrival, departure, agreement_id, number, end in rows:
        ended = end < today  # else it ends later, but before the batch leaves
        alerts.append(
            Alert(
                "agreement_ended",
                "batch",
                batch_id,
                code,
                arrival,
                False,
                messages.text(
                    "alert.agreement_ended" if ended else "alert.agreement_ends_during",
                    code=code,
                    partner=partner,
                    number=number,
                    day=messages.day_text(end),
                    arrival=messages.day_text(arrival),
                    departure=messages.day_text(departure),
                ),
                {"agreement": agreement_id, "days_uncovered": (departure - end).days},
            )
        )
    return alerts


def _orders(db: Database, today: dt.date) -> list[Alert]:
    """The service orders that need a call or a notice: one :func:`order_service.list_orders` over the batches
    from today up to a week on (drafts only matter within the week), or up to the furthest arrival of an order
    sent by today when that is later (an order sent matters however far ahead its batch arrives).  An order
    sent after ``today`` (a check run as of a past day) was not sent yet."""
    soon = today + dt.timedelta(days=min(ORDER_DUE_DAYS, (dt.date.max - today).days))
    o, b = table_of(ServiceOrder).c, table_of(Batch).c
    with db.engine.connect() as conn:
        furthest = conn.execute(
            select(func.max(b.arrival))
            .select_from(table_of(ServiceOrder))
            .join(table_of(Batch), b.id == o.batch_id)
            .where(
                o.edition > 0,
                o.status != OrderStatus.DECLINED.value,
                o.sent_on <= today,
                b.arrival > soon,
            )
        ).scalar_one()
    if isinstance(furthest, str):  # a date read through plain SQL
        furthest = dt.date.fromisoformat(furthest)
    last = max(soon, furthest) if furthest else soon
    patience = get_policy(db).order_answer_days
    alerts: list[Alert] = []
    for row in order_service.list_orders(db, first=today, last=last):
        if row.arrival < today:
            continue  # already arrived: what is left is the stay itself
        # an order sent after the day asked about (a check as of a past day) was a draft that day
        state = OrderStatus.DRAFT.value if row.sent_on is not None and row.sent_on > today else row.state
        live = row.batch_status in order_service.LIVE_BATCHES
        days = (row.arrival - today).days
        common = {"code": row.batch, "partner": row.partner, "base": row.base}
        if live and row.arrival <= soon and row.content is not None and state in order_service.OPEN_STATES:
            alerts.append(
                Alert(
                    "order_unconfirmed",
                    "batch",
                    row.batch_id,
                    row.batch,
                    row.arrival,
                    True,
                    messages.text(
                        "alert.order_unconfirmed",
                        **common,
                        day=messages.day_text(row.arrival),
                        days=days,
                        state=label("order_state", state),
                    ),
                    {"base": row.base_id, "days": days},
                )
            )
        elif live and state == OrderStatus.SENT.value and row.sent_on and row.waiting_days(today) > patience:
            waited = row.waiting_days(today)
            alerts.append(
                Alert(
                    "order_unanswered",
                    "batch",
                    row.batch_id,
                    row.batch,
                    row.arrival,
                    False,
                    messages.text(
                        "alert.order_unanswered", **common, sent=messages.day_text(row.sent_on), days=waited
                    ),
                    {"base": row.base_id, "waiting_days": waited, "edition": row.edition},
                )
            )
        elif state == order_service.WITHDRAWN:
            why = (
                "alert.order_withdrawn_cancelled"
                if row.batch_status == BatchStatus.CANCELLED.value
                else "alert.order_withdrawn_unused"
            )
            alerts.append(
                Alert(
                    "order_withdrawn",
                    "batch",
                    row.batch_id,
                    row.batch,
                    row.arrival,
                    False,
                    messages.text(
                        "alert.order_withdrawn",
                        **common,
                        day=messages.day_text(row.arrival),
                        why=messages.text(why),
                    ),
                    {"base": row.base_id, "edition": row.edition},
                )
            )
    return alerts
