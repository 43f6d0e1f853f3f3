"""The demo after the trip: questionnaires, incidents and inspections.

Drawn from random streams of their own (``SEED + 51`` to ``SEED + 53``) after everything else, so no figure of
the demo moves.

- **Questionnaires** (满意度调查): nine completed recuperation batches in ten returned questionnaires, from
  a quarter to four in five of the members who attended (one per person, numbered from 1, answered on the departure
  day; a few entered from a survey tool's export).  Each rates every base the batch slept at on the policy's
  dimensions and the route overall, 1 to 5 stars; about one in seven writes a comment.  Most bases are rated
  about 4.5; three (:data:`WEAK_BASES` of the lodging bases, chosen by the stream) are clearly weaker, about
  3.5, with more complaints — the scorecard flags them for review.
- **Incidents** (事件): about one completed batch in twenty-five has one, of every kind (complaints most often,
  at the weaker bases more); most are minor, a few serious.  Each is closed a few days later with its outcome,
  but the latest serious one, which is still open (an alert).  An injury, an illness or a lost phone names the
  participant involved.
- **Inspections** (实地考察 and 复核): every site inspection and re-check step of a certification has its
  inspection on that day against the office's clauses (the default checklist, ``resources/standards``), by the
  step's responsible and a colleague: nearly every clause met, a few not applicable at homestays and farms, and
  at the weaker bases a few not met (one a "shall").
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, insert, select

from recuperation.demo.helpers import SEED
from recuperation.models import (
    Base,
    Batch,
    BatchStatus,
    Certification,
    CertificationStep,
    FeedbackRating,
    FeedbackResponse,
    Incident,
    IncidentPerson,
    Inspection,
    InspectionItem,
    Lodging,
    Participant,
    StandardClause,
    table_of,
)
from recuperation.services.policy import DEFAULTS

#: how many of the lodging bases are clearly weaker
WEAK_BASES = 3

_GOOD = (
    "安排周到，服务热情，谢谢工会！",
    "住宿干净，饭菜可口，行程松紧适度。",
    "导游讲解很专业，对浙大西迁历史有了更深的了解。",
    "环境优美，空气好，身心得到了很好的放松。",
    "活动丰富，希望以后还能参加。",
    "房间宽敞，早餐品种多。",
    "基地工作人员很贴心，老同志照顾得很好。",
)
_BAD = (
    "房间有异味，空调噪音大，晚上没休息好。",
    "饭菜偏咸，品种少，连续几天差不多。",
    "集合时间一再推迟，行程安排有些仓促。",
    "热水不稳定，洗澡时忽冷忽热。",
    "服务员态度一般，反映问题后很久才处理。",
)
_MIXED = ("总体满意，建议增加一些健身活动。", "景点不错，就是坐车时间长了点。", "希望午休时间长一些。")

# kind: (weight, severity weights minor/moderate/serious, (summary, action, outcome) choices, names a person)
_INCIDENTS: dict[str, tuple[int, tuple[int, int, int], list[tuple[str, str, str]], bool]] = {
    "complaint": (
        30,
        (85, 15, 0),
        [
            ("房间空调不制冷，团员投诉", "联系基地维修，调换两间客房", "当晚解决，团员表示满意"),
            ("晚餐菜品与菜单不符", "与基地餐饮部沟通，次日调整菜单", "基地致歉，后续餐标按协议执行"),
            ("客房卫生不达标", "要求基地重新打扫并检查全部客房", "已整改，纳入基地复核记录"),
        ],
        False,
    ),
    "illness": (
        20,
        (55, 30, 15),
        [
            ("团员夜间发热，体温 38.5℃", "基地医务室处理，次日陪同就诊", "诊断为感冒，休息后继续行程"),
            ("团员突发胸闷", "拨打 120 送建德市第一人民医院，已通知所在单位", "住院观察两天后出院"),
            ("团员肠胃不适", "医务室给药，安排清淡饮食", "次日好转"),
        ],
        True,
    ),
    "injury": (
        15,
        (65, 25, 10),
        [
            ("登山时扭伤脚踝", "导游现场冰敷，送镇卫生院拍片", "软组织挫伤，未影响返程"),
            ("浴室滑倒，手肘擦伤", "基地医务室包扎，浴室加铺防滑垫", "伤口已愈合"),
        ],
        True,
    ),
    "lost_property": (
        15,
        (100, 0, 0),
        [
            ("团员手机遗失在景区", "联系景区失物招领处", "已找回并寄还本人"),
            ("团员身份证遗失", "协助挂失并开具临时证明", "已补办"),
        ],
        True,
    ),
    "transport_delay": (
        15,
        (80, 20, 0),
        [
            ("大巴途中故障，延误两小时", "旅行社调派备用车辆", "当日行程顺延，已向团员说明"),
            ("高速拥堵，晚到基地一个半小时", "通知基地推迟晚餐", "未影响后续行程"),
        ],
        False,
    ),
    "other": (
        5,
        (90, 10, 0),
        [("暴雨预警，户外活动取消", "改为室内讲座并报告工会", "行程按调整后的安排完成")],
        False,
    ),
}

_CONCLUSION = {
    True: "复核要素基本符合，以下条款需限期整改，整改完成后报送材料。",
    False: "各项条款符合要求，同意通过。",
}


def _versioned(stamp: dt.datetime, **values: object) -> dict[str, object]:
    return {"version": 1, "created_at": stamp, "updated_at": stamp, "updated_by": "demo", **values}


def _stars(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.75))))


def default_clauses() -> list[dict[str, object]]:
    """The office's default checklist as rows of standard_clause (no ids): the inspections service's own reading
    of ``resources/standards``."""
    from recuperation.services.inspections import default_clauses

    keys = ("standard", "code", "element", "strength", "requirement")
    return [{key: _field(row, key) for key in keys} for row in default_clauses()]


def _field(row: object, key: str) -> object:
    return row[key] if isinstance(row, dict) else getattr(row, key)


def write(conn: Connection, stamp: dt.datetime, today: dt.date, clauses: list[dict[str, object]]) -> None:
    """Questionnaires, incidents and inspections for the demo just written to ``conn``; ``clauses`` are the
    office's default checklist (rows of standard_clause without ids)."""
    b = table_of(Batch).c
    completed = conn.execute(
        select(b.id, b.arrival, b.departure, b.kind, b.route_id)
        .where(b.status == BatchStatus.COMPLETED.value)
        .order_by(b.id)
    ).all()
    lodging = table_of(Lodging).c
    bases_of: dict[int, list[int]] = defaultdict(list)
    for batch_id, base_id in conn.execute(
        select(lodging.batch_id, lodging.base_id).distinct().order_by(lodging.batch_id, lodging.base_id)
    ):
        bases_of[batch_id].append(base_id)
    p = table_of(Participant).c
    members: dict[int, list[int]] = defaultdict(list)
    for batch_id, pid in conn.execute(
        select(p.batch_id, p.id)
        .where(p.attendance == "attended", p.companion.is_(False))
        .order_by(p.batch_id, p.id)
    ):
        members[batch_id].append(pid)
    lodging_bases = sorted({base for ids in bases_of.values() for base in ids})
    pick = random.Random(SEED + 51)
    weak = set(pick.sample(lodging_bases, min(WEAK_BASES, len(lodging_bases))))
    quality = {base: (3.45 if base in weak else pick.uniform(4.3, 4.75)) for base in lodging_bases}
    _feedback(conn, stamp, completed, bases_of, members, quality, weak)
    _incidents(conn, stamp, today, completed, bases_of, members, weak)
    _inspections(conn, stamp, clauses, weak)


def _feedback(
    conn: Connection,
    stamp: dt.datetime,
    completed: Sequence[Any],  # rows of (batch id, arrival, departure, kind, route id)
    bases_of: dict[int, list[int]],
    members: dict[int, list[int]],
    quality: dict[int, float],
    weak: set[int],
) -> None:
    rng = random.Random(SEED + 51)
    dimensions = [d for d in DEFAULTS["feedback_dimensions"].split(",") if d]
    offset = {"lodging": 0.0, "food": -0.15, "activities": 0.05, "guide": 0.15, "safety": 0.2, "overall": 0.0}
    responses: list[dict[str, object]] = []
    ratings: list[dict[str, object]] = []
    for batch_id, _arrival, departure, kind, _route in completed:
        people = members.get(batch_id, [])
        if kind != "recuperation" or not people or rng.random() < 0.1:
            continue
        share = rng.uniform(0.25, 0.8)
        answering = sorted(rng.sample(people, max(1, round(len(people) * share))))
        imported = rng.random() < 0.15
        for number, pid in enumerate(answering, start=1):
            rid = len(responses) + 1
            bases = bases_of.get(batch_id, [])
            mood = sum(quality.get(base, 4.5) for base in bases) / len(bases) if bases else 4.5
            comment = ""
            if rng.random() < 0.15:
                pool = _BAD if any(base in weak for base in bases) and rng.random() < 0.6 else _GOOD
                comment = rng.choice(pool if rng.random() < 0.8 else _MIXED)
            responses.append(
                _versioned(
                    stamp,
                    id=rid,
                    batch_id=batch_id,
                    sheet_no=number,
                    participant_id=pid,
                    respondent="",
                    answered_on=departure,
                    source="imported" if imported else "entered",
                    comment=comment,
                )
            )
            for base in bases:
                for dimension in dimensions:
                    if dimension != "overall" and rng.random() < 0.03:
                        continue  # left blank
                    stars = _stars(rng, quality.get(base, 4.5) + offset.get(dimension, 0.0))
                    ratings.append(
                        {"response_id": rid, "base_id": base, "dimension": dimension, "stars": stars}
                    )
            ratings.append(
                {
                    "response_id": rid,
                    "base_id": None,
                    "dimension": "overall",
                    "stars": _stars(rng, mood + 0.1),
                }
            )
    for start in range(0, len(responses), 20_000):
        conn.execute(insert(table_of(FeedbackResponse)), responses[start : start + 20_000])
    for start in range(0, len(ratings), 50_000):
        conn.execute(insert(table_of(FeedbackRating)), ratings[start : start + 50_000])


def _incidents(
    conn: Connection,
    stamp: dt.datetime,
    today: dt.date,
    completed: Sequence[Any],  # rows of (batch id, arrival, departure, kind, route id)
    bases_of: dict[int, list[int]],
    members: dict[int, list[int]],
    weak: set[int],
) -> None:
    rng = random.Random(SEED + 52)
    kinds = list(_INCIDENTS)
    incidents: list[dict[str, object]] = []
    people: list[dict[str, object]] = []
    for batch_id, arrival, departure, _kind, _route in completed:
        bases = bases_of.get(batch_id, [])
        at_weak = any(base in weak for base in bases)
        if rng.random() >= (0.09 if at_weak else 0.035):
            continue
        if at_weak and rng.random() < 0.5:
            kind = "complaint"
        else:
            kind = rng.choices(kinds, weights=[_INCIDENTS[k][0] for k in kinds])[0]
        _weight, severities, stories, names_person = _INCIDENTS[kind]
        severity = rng.choices(("minor", "moderate", "serious"), weights=severities)[0]
        summary, action, outcome = rng.choice(stories)
        stay = max((departure - arrival).days, 0)
        occurred = arrival + dt.timedelta(days=rng.randint(0, stay))
        closed = min(departure + dt.timedelta(days=rng.randint(1, 14)), today)
        iid = len(incidents) + 1
        incidents.append(
            _versioned(
                stamp,
                id=iid,
                batch_id=batch_id,
                base_id=rng.choice(bases) if bases and kind != "transport_delay" else None,
                occurred_on=occurred,
                kind=kind,
                severity=severity,
                summary=summary,
                details="",
                others="" if names_person else "领队反映",
                action_taken=action,
                outcome=outcome,
                follow_up="回访当事人" if severity != "minor" else "",
                follow_up_due=None,
                reported_by=rng.choice(("王建华", "李秀兰", "陈志刚", "周晓峰")),
                closed_on=max(closed, occurred),
                closed_by=rng.choice(("王建华", "李秀兰")),
            )
        )
        if names_person and members.get(batch_id):
            people.append({"incident_id": iid, "participant_id": rng.choice(members[batch_id])})
    serious = [row for row in incidents if row["severity"] == "serious"]
    if (
        len(serious) < 3
    ):  # a year has a few: the latest illnesses and injuries that were not serious become so
        grave = ("团员突发胸闷", "拨打 120 送建德市第一人民医院，已通知所在单位", "住院观察两天后出院")
        for row in reversed(incidents):
            if len(serious) >= 3:
                break
            if row["kind"] in ("illness", "injury") and row["severity"] != "serious":
                row["severity"] = "serious"
                if row["kind"] == "illness":
                    row.update(zip(("summary", "action_taken", "outcome"), grave, strict=True))
                serious.append(row)
    if serious:  # the latest serious incident is still being followed up: an alert until it is closed
        illnesses = [row for row in serious if row["kind"] == "illness"] or serious
        latest = max(illnesses, key=lambda row: (str(row["occurred_on"]), int(row["id"])))  # type: ignore[call-overload]
        latest.update(closed_on=None, closed_by="", outcome="", follow_up="待出院后回访，整理情况报工会")
    if incidents:
        conn.execute(insert(table_of(Incident)), incidents)
    if people:
        conn.execute(insert(table_of(IncidentPerson)), people)


def _inspections(
    conn: Connection, stamp: dt.datetime, clauses: list[dict[str, object]], weak: set[int]
) -> None:
    if not clauses:
        return
    rng = random.Random(SEED + 53)
    colleagues = ("王建华", "李秀兰", "陈志刚", "周晓峰", "吴海燕")
    rows = [_versioned(stamp, id=i, position=i, active=True, **c) for i, c in enumerate(clauses, start=1)]
    conn.execute(insert(table_of(StandardClause)), rows)
    cert_t, step_t, base_t = table_of(Certification), table_of(CertificationStep), table_of(Base)
    cert, step, base = cert_t.c, step_t.c, base_t.c
    visits: list[tuple[int | None, int, str, str, dt.date, str]] = [
        tuple(row)
        for row in conn.execute(
            select(cert.id, cert.base_id, base.kind, step.step, step.on_date, step.responsible)
            .select_from(
                step_t.join(cert_t, cert.id == step.certification_id).join(base_t, base.id == cert.base_id)
            )
            .where(step.step.in_(("site_inspection", "recheck")))
            .order_by(step.on_date, step.id)
        )
    ]
    # a routine check (日常检查) of every certified base in each year of batches, in its spring
    b = table_of(Batch).c
    first, last = conn.execute(select(func.min(b.arrival), func.max(b.arrival))).one()
    certified = conn.execute(
        select(cert.id, cert.base_id, base.kind, cert.valid_from)
        .select_from(cert_t.join(base_t, base.id == cert.base_id))
        .where(cert.valid_from.is_not(None))
        .order_by(cert.id)
    ).all()
    if first is not None:
        for year in range(first.year, last.year + 1):
            for cid, base_id, kind, valid_from in certified:
                day = dt.date(year, 4, 1) + dt.timedelta(days=rng.randrange(45))
                if valid_from <= day:
                    visits.append((cid, base_id, kind, "routine", day, rng.choice(colleagues)))
    visits.sort(key=lambda v: (v[4], v[1], v[3]))
    inspections: list[dict[str, object]] = []
    items: list[dict[str, object]] = []
    for cid, base_id, kind, step_kind, day, responsible in visits:
        iid = len(inspections) + 1
        second = rng.choice([c for c in colleagues if c != responsible])
        small = kind in ("homestay", "farm")
        failing = set()
        if base_id in weak and step_kind != "site_inspection":
            should = [r["id"] for r in rows if r["strength"] == "should"]
            shall = [r["id"] for r in rows if r["strength"] == "shall"]
            failing = set(rng.sample(should, min(2, len(should)))) | set(
                rng.sample(shall, min(1, len(shall)))
            )
        inspections.append(
            _versioned(
                stamp,
                id=iid,
                base_id=base_id,
                certification_id=cid if step_kind != "routine" else None,
                kind=step_kind,
                on_date=day,
                standard=str(rows[0]["standard"]),
                inspectors=f"{responsible}、{second}" if responsible else second,
                conclusion=_CONCLUSION[bool(failing)],
            )
        )
        for clause in rows:
            result, note = "met", ""
            if clause["id"] in failing:
                result, note = "not_met", "现场检查未达到要求，已要求限期整改"
            elif small and clause["element"] == "infrastructure" and rng.random() < 0.3:
                result, note = "na", "规模较小，不适用"
            items.append(
                {
                    "inspection_id": iid,
                    "clause_id": clause["id"],
                    "code": clause["code"],
                    "element": clause["element"],
                    "requirement": clause["requirement"],
                    "strength": clause["strength"],
                    "position": clause["position"],
                    "result": result,
                    "note": note,
                    "checked_on": day,
                }
            )
    if inspections:
        conn.execute(insert(table_of(Inspection)), inspections)
        conn.execute(insert(table_of(InspectionItem)), items)
