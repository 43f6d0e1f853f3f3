"""The documents of service orders (接待预订单) and of the departure (出团通知书).

* :func:`print_order`: one base's order for one batch: nights and rooms, meals with the dietary sums,
  activities, the coach, leader and guide, the people it lodges (ID numbers masked unless asked for, which
  the audit log records) and a confirmation block for the base with a QR code carrying ``code|edition``, so
  that a photographed confirmation names the version it confirms (:func:`qr_payload`).
* :func:`print_orders`: one base's orders for a period as one list (bases prefer one sheet per period), read
  with one bulk :func:`recuperation.services.orders.list_orders`.
* :func:`print_change_notice`: 变更通知 (only what changed since the order was sent) and 取消通知 (a cancelled
  batch, a base no longer used), one page per base; each printed notice is recorded.
* :func:`print_departure_notice` and :func:`departure_notice_workbook`: 出团通知书 for the partner, with the
  program's standard wording (:data:`STANDARD_BRING`, :data:`STANDARD_CONDUCT`) where the batch's details are
  empty, and 待定 for a gathering time or place not yet known.

Documents are Chinese whatever the messages' language, as the other documents are.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle
from sqlmodel import select

from recuperation import messages
from recuperation.documents.batch_docs import EMERGENCY, DocumentResult, Unprintable, roster_rows
from recuperation.documents.fonts import PdfFont, find_font
from recuperation.documents.pdf import Heading, Styles, build, grid, paragraph, styles
from recuperation.errors import ValidationError
from recuperation.labels import label
from recuperation.models import Base, Batch, BatchStatus, ItemKind, OrderStatus
from recuperation.people import mask_in_text
from recuperation.services import identity, orders
from recuperation.services import policy as policy_service
from recuperation.storage.database import Database
from recuperation.workbooks import ExportResult

#: 出团通知书: what to bring and the rules of conduct when the batch's notice leaves them empty.
STANDARD_BRING = (
    "身份证（入住登记必需）、换洗衣物、雨具、常用药品（慢性病患者请带足所需药品）、水杯、手机及充电器；"
    "早晚温差较大，请带一件外套；参加登山、骑行等活动请穿运动鞋。"
)
STANDARD_CONDUCT = (
    "遵守作息时间，按时集合，集体活动不擅自离队；外出请结伴并告知领队；注意饮食卫生和人身、财物安全；"
    "爱护基地设施，文明礼貌；如有身体不适请及时告知领队和导游。"
)
STANDARD_INSURANCE = "由组织单位统一办理团体意外伤害保险，保险公司和保单号待定。"
#: What a gathering time or place not yet known prints as.
TO_BE_SET = "待定"
#: The QR code's printed size (the symbol with its quiet zone); the symbol itself stays above 25 mm.
QR_SIZE = 34 * mm
#: The kitchen's two dietary columns; other notes are listed with their counts.
DIET_COLUMNS = ("清真", "素食")
WIDTH = 174 * mm  # A4 less the margins of documents.pdf


# -- small words ----------------------------------------------------------------------------------------------


def _day(value: str | dt.date) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _md(value: str | dt.date) -> str:
    day = _day(value)
    return f"{day.month}月{day.day}日"


def _long(value: str | dt.date) -> str:
    return messages.day_text(_day(value), language="zh")


def _stay(arrival: dt.date, departure: dt.date) -> str:
    days = (departure - arrival).days + 1
    last = _md(departure) if departure.year == arrival.year else _long(departure)
    return f"{_long(arrival)} 至 {last}（{days} 天 {days - 1} 晚）"


def _meal(kind: str) -> str:
    return label("item_kind", kind, "zh")


def _state(state: str) -> str:
    return label("order_state", state, "zh")


def _others(diets: dict[str, int]) -> str:
    """The dietary notes beyond 清真 and 素食 with their counts: 花生过敏 1；不吃辣 2."""
    return "；".join(
        f"{mask_in_text(k)} {n}" for k, n in sorted(diets.items()) if k not in DIET_COLUMNS and n
    )


def diet_sums(content: dict[str, Any]) -> dict[str, int]:
    """The dietary needs of an order's meals (each meal carries the roster's sums; the largest of each)."""
    sums: Counter[str] = Counter()
    for meal in content.get("meals", []):
        for kind, count in meal["diets"].items():
            sums[kind] = max(sums[kind], count)
    return dict(sorted(sums.items()))


def _diet_text(diets: dict[str, int]) -> str:
    return "，".join(f"{mask_in_text(k)} {n} 人" for k, n in diets.items() if n) or "无特殊要求"


def staff_count(content: dict[str, Any]) -> int:
    """Guide and driver, who eat and sleep with the group (the core's rule: one each when named)."""
    return int(bool(content.get("guide"))) + int(bool(content.get("vehicle")))


def printed_edition(row: orders.OrderRow) -> int:
    """The edition the printed content is: the one sent when it is that content again, else the next one
    (the edition it becomes when it is marked sent)."""
    if row.edition > 0 and row.sent is not None and not orders.differences(row.sent, row.content):
        return row.edition
    return row.edition + 1


def qr_payload(row: orders.OrderRow) -> str:
    """What the order's QR code carries: ``order code|edition`` (L2026-0012-B017|2)."""
    return f"{row.code}|{printed_edition(row)}"


def qr_code(payload: str, size: float = QR_SIZE) -> Drawing:
    """A QR code of ``size`` points square (quiet zone included), error correction M (a creased sheet)."""
    widget = QrCodeWidget(payload, barLevel="M", barWidth=size, barHeight=size)
    drawing = Drawing(size, size)
    drawing.add(widget)
    return drawing


def _union(db: Database) -> tuple[str, str]:
    with db.session() as session:
        policy = policy_service.load_policy(session)
    return policy.union_name, policy.union_address


def _batch_id(db: Database, code: str) -> tuple[int, str, str]:
    """The batch's id, status and cancel reason by its code (order.unknown_batch when there is none)."""
    with db.session() as session:
        batch = session.exec(select(Batch).where(Batch.code == code.strip())).first()
        if batch is None or batch.id is None:
            raise ValidationError("order.unknown_batch", field="batch", batch=code)
        return batch.id, batch.status, batch.cancel_reason


def _base_id(db: Database, name: str) -> int:
    with db.session() as session:
        found = session.exec(select(Base.id).where(Base.name == name.strip())).first()
    if found is None:
        raise ValidationError("order.unknown_base", field="base", base=name)
    return found


def _by_room(db: Database, batch_id: int) -> list[Any]:
    """The roster as plain rows, by room (those without one last) then as entered."""
    return sorted(roster_rows(db, batch_id), key=lambda p: (p.room or "\uffff", p.id or 0))


def _facts(pairs: list[tuple[str, str]], st: Styles, font: PdfFont, widths: list[float]) -> Table:
    """Label / value pairs, two pairs a row."""
    rows: list[list[Any]] = []
    for i in range(0, len(pairs), 2):
        row: list[Any] = []
        for key, value in pairs[i : i + 2]:
            row += [paragraph(key, st.cell), paragraph(value, st.cell)]
        rows.append(row + [""] * (4 - len(row)))
    table = grid(rows, widths, font, header_rows=0, zebra=False)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef2f7")),
                ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#eef2f7")),
            ]
        )
    )
    return table


def _result(path: Path, font: PdfFont, missing: list[Unprintable] | None = None) -> DocumentResult:
    return DocumentResult(path, font, missing or [])


# -- the order ------------------------------------------------------------------------------------------------


def _order_row(db: Database, batch_code: str, base_name: str) -> orders.OrderRow:
    batch_id, status, _reason = _batch_id(db, batch_code)
    base_id = _base_id(db, base_name)
    row = next((r for r in orders.batch_orders(db, batch_id) if r.base_id == base_id), None)
    if row is None or row.content is None or status == BatchStatus.CANCELLED.value:
        raise ValidationError(
            "order.not_used", field="base", batch=batch_code.strip(), base=base_name.strip()
        )
    return row


def night_rows(content: dict[str, Any]) -> list[list[str]]:
    """The order's nights as the table prints them: the header, a row a night, the totals."""
    nights = content["nights"]
    optional = [
        (key, word)
        for key, word in (
            ("twin", "双人间"),
            ("single", "单人间"),
            ("male", "男"),
            ("female", "女"),
            ("staff_rooms", "工作人员房"),
        )
        if any(key in n for n in nights)
    ]
    rows = [["日期（晚）", "入住人数", "房间数", *[w for _k, w in optional]]]
    for n in nights:
        rows.append(
            [_long(n["night"]), str(n["people"]), str(n["rooms"]), *[str(n.get(k, "")) for k, _w in optional]]
        )
    if len(nights) > 1:
        rows.append(
            [
                f"合计 {len(nights)} 晚",
                f"{sum(n['people'] for n in nights)} 人夜",
                f"{sum(n['rooms'] for n in nights)} 间夜",
                *["" for _ in optional],
            ]
        )
    return rows


def meal_rows(content: dict[str, Any]) -> list[list[str]]:
    """The order's meals: header, a row a meal (date, meal, people, 清真, 素食, other notes with counts)."""
    rows = [["日期", "餐次", "用餐人数", *DIET_COLUMNS, "其他饮食要求"]]
    for m in content["meals"]:
        others = sum(n for k, n in m["diets"].items() if k not in DIET_COLUMNS)
        rows.append(
            [
                _long(m["day"]),
                _meal(m["meal"]),
                str(m["people"]),
                *[str(m["diets"].get(k, 0)) for k in DIET_COLUMNS],
                f"{others} 人（见下）" if others else "0",
            ]
        )
    return rows


def print_order(
    db: Database,
    batch_code: str,
    base_name: str,
    path: Path,
    font: PdfFont | None = None,
    full_ids: bool = False,
) -> DocumentResult:
    """接待预订单 of ``batch_code`` for ``base_name``.  ``full_ids``: the roster with full ID numbers (the
    base's police registration), which the audit log records."""
    font = font or find_font()
    st = styles(font)
    note = ParagraphStyle("note", parent=st.small, spaceBefore=1.5 * mm)
    row = _order_row(db, batch_code, base_name)
    content = row.content
    assert content is not None
    union, _address = _union(db)
    edition = printed_edition(row)
    arrival, departure = _day(content["arrival"]), _day(content["departure"])
    # the order goes to the base: no state of ours on it, but the day its answer is wanted
    from recuperation.services.policy import get_policy

    reply_by = dt.date.today() + dt.timedelta(days=get_policy(db).order_answer_days)
    leader = " ".join(x for x in (content["leader"], content["leader_phone"]) if x) or "—"
    story: list[Any] = [
        paragraph("接待预订单", st.title),
        _facts(
            [
                ("致（基地）", row.base),
                ("预订单编号", row.code),
                ("版次", f"第 {edition} 版"),
                ("批次", row.batch),
                ("合作单位", row.partner),
                ("人数", f"{content['people']} 人"),
                ("日期", _stay(arrival, departure)),
                (
                    "到达本基地",
                    f"{_md(_day(content.get('arrival_day', content['arrival'])))} "
                    f"{content.get('arrival_time') or TO_BE_SET}",
                ),
                ("领队", leader),
                ("导游", content["guide"] or "—"),
                ("车辆", content["vehicle"] or "—"),
                ("请回复", f"{_long(reply_by)} 前"),
            ],
            st,
            font,
            [22 * mm, 65 * mm, 22 * mm, 65 * mm],
        ),
        paragraph("一、住宿", st.section),
    ]
    if content["nights"]:
        rows = night_rows(content)
        fixed = [30 * mm, 18 * mm, 18 * mm]
        rest = (WIDTH - sum(fixed)) / max(len(rows[0]) - 3, 1)
        story.append(grid(rows, fixed + [rest] * (len(rows[0]) - 3), font))
        if staff_count(content):
            story.append(paragraph("房间数含随团工作人员（导游、司机）用房。", note))
    else:
        story.append(paragraph("本基地不安排本批次住宿。", st.body))
    story.append(paragraph("二、用餐", st.section))
    if content["meals"]:
        rows = meal_rows(content)
        cells = [[r[0], r[1], r[2], r[3], r[4], paragraph(r[5], st.cell)] for r in rows[1:]]
        story.append(grid([rows[0], *cells], [34 * mm, 16 * mm, 20 * mm, 16 * mm, 16 * mm, 72 * mm], font))
        text = f"饮食要求（每餐相同）：{_diet_text(diet_sums(content))}。"
        if staff_count(content):
            text += f"用餐人数含随团工作人员 {staff_count(content)} 人。"
        story.append(paragraph(text, note))
    else:
        story.append(paragraph("本基地不安排本批次用餐。", st.body))
    if content["activities"]:
        story.append(paragraph("三、活动安排", st.section))
        acts: list[list[Any]] = [["日期", "时间", "活动", "地点"]]
        for a in content["activities"]:
            acts.append(
                [
                    _long(a["day"]),
                    a["time"],
                    paragraph(a["activity"], st.cell),
                    paragraph(a["place"], st.cell),
                ]
            )
        story.append(grid(acts, [34 * mm, 16 * mm, 84 * mm, 40 * mm], font))
    story.append(paragraph(f"{'四' if content['activities'] else '三'}、基地确认", st.section))
    story.append(_confirmation(row.code, edition, qr_payload(row), st, font))
    result = _result(path, font)
    people = _by_room(db, row.batch_id) if content["nights"] else []
    full: dict[int, tuple[str, str]] = {}
    if (
        full_ids and people
    ):  # read whole with the right, and recorded in the audit log in the same transaction
        with db.session(write=True) as session:
            full = identity.full_numbers(
                db, session, row.batch_id, "print", f"预订单 {row.base} {len(people)} 人"
            )
    if people:
        story += [PageBreak(), paragraph(f"附：入住人员名单（{row.batch} · {row.base}）", st.section)]
        roster: list[list[Any]] = [["序号", "姓名", "性别", "身份证号", "房间", "饮食要求"]]
        for i, p in enumerate(people, start=1):
            result.check(i, (("name", p.name),))
            diet = p.diet if full_ids else mask_in_text(p.diet)
            roster.append(
                [
                    str(i),
                    paragraph(p.name, st.cell) if len(p.name) > 6 else p.name,
                    label("sex", p.sex, "zh"),
                    full.get(p.id, (p.id_masked, ""))[0] if full_ids else p.id_masked,
                    p.room if full_ids else mask_in_text(p.room),
                    paragraph(diet, st.cell) if len(diet) > 12 else diet,
                ]
            )
        story.append(grid(roster, [12 * mm, 26 * mm, 12 * mm, 46 * mm, 24 * mm, 54 * mm], font))
        men = sum(1 for p in people if p.sex == "M")
        women = sum(1 for p in people if p.sex == "F")
        story.append(paragraph(f"合计 {len(people)} 人：男 {men} 人，女 {women} 人。", st.body))
        if not full_ids:
            story.append(
                paragraph("身份证号已隐去中间位；办理入住登记需要完整号码时请与我们联系。", st.small)
            )
    build(path, Heading(union, "接待预订单", row.code, dt.date.today()), story, font)
    return result


def _confirmation(code: str, edition: int, payload: str, st: Styles, font: PdfFont) -> Any:
    """The block the base fills, signs and stamps, with the QR code of the edition it confirms."""
    lines = [
        paragraph(
            f"请核对以上内容，在方框中打“√”，签章后回传（拍照或扫描均可）。回传时请保留本页右侧的二维码和"
            f"编号 {code} 第 {edition} 版，以便核对所确认的版本。",
            st.cell,
        ),
        Spacer(1, 2 * mm),
        paragraph("□ 确认接待　　□ 有变更确认（请注明变更内容）　　□ 无法接待（请注明原因）", st.body),
        paragraph("变更内容或原因：______________________________________________", st.body),
        Spacer(1, 3 * mm),
        paragraph("确认人：______________　　　日期：______年____月____日", st.body),
        Spacer(1, 3 * mm),
        paragraph("基地编号：____________　　　　（签章）", st.body),
    ]
    qr = [
        qr_code(payload),
        paragraph(code, st.small),
        paragraph(f"第 {edition} 版", st.small),
    ]
    table = Table([[lines, qr]], colWidths=[WIDTH - 40 * mm, 40 * mm])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#666666")),
                ("LINEBEFORE", (1, 0), (1, 0), 0.4, colors.HexColor("#999999")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return KeepTogether([table])


# -- one base's orders for a period -------------------------------------------------------------------------------


def base_days(content: dict[str, Any]) -> set[str]:
    """The days (ISO) the order asks something of its base: its nights, meals and activities."""
    return (
        {n["night"] for n in content["nights"]}
        | {m["day"] for m in content["meals"]}
        | {a["day"] for a in content["activities"]}
    )


def within(content: dict[str, Any], first: dt.date, last: dt.date) -> dict[str, Any]:
    """The order's nights, meals and activities that fall between ``first`` and ``last``."""
    inside = lambda day: first <= _day(day) <= last  # noqa: E731
    return {
        **content,
        "nights": [n for n in content["nights"] if inside(n["night"])],
        "meals": [m for m in content["meals"] if inside(m["day"])],
        "activities": [a for a in content["activities"] if inside(a["day"])],
    }


def _day_lines(content: dict[str, Any]) -> list[list[str]]:
    """One line a day of the stay at this base: date, lodging, breakfast, lunch, dinner, activities."""
    days: dict[str, dict[str, str]] = {}
    for n in content["nights"]:
        days.setdefault(n["night"], {})["lodging"] = f"{n['people']} 人 {n['rooms']} 间"
    for m in content["meals"]:
        days.setdefault(m["day"], {})[m["meal"]] = str(m["people"])
    for a in content["activities"]:
        entry = days.setdefault(a["day"], {})
        text = " ".join(x for x in (a["time"], a["activity"]) if x)
        entry["activity"] = f"{entry['activity']}；{text}" if "activity" in entry else text
    kinds = ("lodging", ItemKind.BREAKFAST.value, ItemKind.LUNCH.value, ItemKind.DINNER.value, "activity")
    return [[_md(day), *[days[day].get(k, "") for k in kinds]] for day in sorted(days)]


def _state_line(row: orders.OrderRow) -> str:
    text = f"状态：{_state(row.state)}"
    if row.edition and row.sent_on:
        text += f"（第 {row.edition} 版 {_md(row.sent_on)} 发出）"
    if row.state == orders.CHANGED and row.differences:
        text += "。" + row.change_text
    if row.state == OrderStatus.DECLINED.value and row.reason:
        text += f"。原因：{row.reason}"
    if row.state == OrderStatus.AMENDED.value and row.changes:
        text += f"。基地变更：{row.changes}"
    return text


def print_orders(
    db: Database, base_name: str, first: dt.date, last: dt.date, path: Path, font: PdfFont | None = None
) -> DocumentResult:
    """One base's orders of the batches staying between ``first`` and ``last``, as one list: a summary line
    per batch, then a compact block each (a line a day: lodging, meals, activities; dietary sums; state)."""
    font = font or find_font()
    st = styles(font)
    # the batches whose nights, meals or activities at this base fall in the period, each cut to the period (a
    # batch sleeping there on 30 April belongs to April's list, not to May's)
    rows = [
        replace(
            r,
            content=within(r.content, first, last) if r.content else None,
            sent=within(r.sent, first, last) if r.sent else None,
        )
        for r in orders.list_orders(db, base=base_name.strip(), first=first, last=last)
        if any(
            first <= _day(d) <= last
            for d in base_days(r.content or r.sent or {"nights": [], "meals": [], "activities": []})
        )
        or (r.content is None and r.sent is None)
    ]
    union, _address = _union(db)
    period = f"{_long(first)} 至 {_long(last)}"
    story: list[Any] = [
        paragraph(f"{base_name.strip()}接待预订单汇总", st.title),
        paragraph(f"期间：{period}　共 {len(rows)} 个批次　打印时以本系统当前安排为准。", st.body),
        Spacer(1, 3 * mm),
    ]
    summary: list[list[Any]] = [["批次", "合作单位", "日期", "人数", "房间夜", "用餐人次", "状态"]]
    for r in rows:
        held = r.content or r.sent or {}
        summary.append(
            [
                r.batch,
                paragraph(r.partner, st.cell) if len(r.partner) > 9 else r.partner,
                f"{_md(r.arrival)}–{_md(r.departure)}",
                str(held.get("people", "")),
                str(sum(n["rooms"] for n in held.get("nights", []))),
                str(sum(m["people"] for m in held.get("meals", []))),
                paragraph(_state(r.state), st.cell),
            ]
        )
    if rows:
        story.append(grid(summary, [24 * mm, 38 * mm, 32 * mm, 14 * mm, 16 * mm, 18 * mm, 32 * mm], font))
    else:
        story.append(paragraph("本期间没有预订单。", st.body))
    widths = [18 * mm, 26 * mm, 14 * mm, 14 * mm, 14 * mm, 88 * mm]
    for r in rows:
        c = r.content
        head = paragraph(
            f"{r.batch}　{r.partner}　{_md(r.arrival)}—{_md(r.departure)}　"
            f"{(c or r.sent or {}).get('people', '')} 人　编号 {r.code}",
            st.section,
        )
        block: list[Any] = [head]
        if c is None:
            block.append(
                paragraph(f"状态：{_state(r.state)}。本批次已不在本基地安排，需发取消通知。", st.cell)
            )
            story.append(KeepTogether(block))
            continue
        lines = _day_lines(c)
        table_rows: list[list[Any]] = [["日期", "住宿", "早餐", "午餐", "晚餐", "活动"]]
        table_rows += [[*line[:5], paragraph(line[5], st.cell) if line[5] else ""] for line in lines]
        block.append(grid(table_rows, widths, font))
        extra = f"饮食：{_diet_text(diet_sums(c))}" if c["meals"] else ""
        block.append(paragraph("　".join(x for x in (extra, _state_line(r)) if x), st.cell))
        story.append(KeepTogether(block))
    build(
        path,
        Heading(
            union, "预订单汇总", f"{base_name.strip()} {first:%Y-%m-%d}–{last:%Y-%m-%d}", dt.date.today()
        ),
        story,
        font,
    )
    return _result(path, font)


# -- change and cancellation notices -------------------------------------------------------------------------------


def notice_rows(db: Database, batch_code: str, base_name: str | None = None) -> list[orders.OrderRow]:
    """The orders of the batch that call for a notice: changed since sent, or withdrawn (cancelled batch, base
    no longer used), of one base when asked.  Refused with order.none_cancelled / order.nothing_changed."""
    batch_id, status, _reason = _batch_id(db, batch_code)
    base_id = _base_id(db, base_name) if base_name is not None else None
    rows = [
        r
        for r in orders.batch_orders(db, batch_id)
        if r.state in (orders.CHANGED, orders.WITHDRAWN, orders.CANCEL_SENT)
        and (base_id is None or r.base_id == base_id)
    ]
    if not rows:
        key = "order.none_cancelled" if status == BatchStatus.CANCELLED.value else "order.nothing_changed"
        raise ValidationError(key, field="batch", batch=batch_code.strip())
    return rows


def _summary(content: dict[str, Any] | None) -> str:
    """What an order held, in a sentence: 5月5日、5月6日住宿 28 人；用餐 4 餐；活动 1 项."""
    if not content:
        return "—"
    parts = []
    if content["nights"]:
        nights = "、".join(_md(n["night"]) for n in content["nights"])
        parts.append(f"{nights}住宿（共 {sum(n['rooms'] for n in content['nights'])} 间夜）")
    if content["meals"]:
        parts.append(
            f"用餐 {len(content['meals'])} 餐（共 {sum(m['people'] for m in content['meals'])} 人次）"
        )
    if content["activities"]:
        parts.append(f"活动 {len(content['activities'])} 项")
    return "；".join(parts) or "—"


def print_change_notice(
    db: Database,
    batch_code: str,
    path: Path,
    base_name: str | None = None,
    font: PdfFont | None = None,
) -> DocumentResult:
    """变更通知 for each base whose order changed since it was sent (only the differences), 取消通知 for each
    base whose order is withdrawn (the batch cancelled, or the base no longer used); one page each."""
    font = font or find_font()
    st = styles(font)
    rows = notice_rows(db, batch_code, base_name)
    _batch, status, reason = _batch_id(db, batch_code)
    union, address = _union(db)
    story: list[Any] = []
    for i, r in enumerate(rows):
        if i:
            story.append(PageBreak())
        sent = f"{_long(r.sent_on)}" if r.sent_on else ""
        facts = [
            ("致（基地）", r.base),
            ("预订单编号", r.code),
            ("批次", r.batch),
            ("合作单位", r.partner),
            ("原预订单", f"第 {r.edition} 版，{sent} 发出"),
            ("日期", _stay(r.arrival, r.departure)),
        ]
        if r.state == orders.CHANGED:
            story += [
                paragraph("接待预订单变更通知", st.title),
                _facts(facts, st, font, [22 * mm, 65 * mm, 22 * mm, 65 * mm]),
                Spacer(1, 4 * mm),
                paragraph(f"自 {_md(r.sent_on) if r.sent_on else ''} 发出后：", st.section),
            ]
            for n, clause in enumerate(r.differences, start=1):
                story.append(paragraph(f"{n}. {clause}", st.body))
            assert r.content is not None
            # the arrangement as it now stands, so that the base need not add the changes up itself
            story.append(paragraph(f"变更后的安排（共 {r.content['people']} 人）：", st.section))
            if r.content["nights"]:
                table = night_rows(r.content)
                fixed = [30 * mm, 18 * mm, 18 * mm]
                rest = (WIDTH - sum(fixed)) / max(len(table[0]) - 3, 1)
                story.append(grid(table, fixed + [rest] * (len(table[0]) - 3), font))
            if r.content["meals"]:
                story.append(Spacer(1, 2 * mm))
                story.append(
                    grid(meal_rows(r.content), [34 * mm, 16 * mm, 20 * mm, 16 * mm, 16 * mm, 72 * mm], font)
                )
                story.append(Spacer(1, 1.5 * mm))
                story.append(
                    paragraph(f"饮食要求（每餐相同）：{_diet_text(diet_sums(r.content))}。", st.small)
                )
            story += [
                Spacer(1, 3 * mm),
                paragraph(
                    f"除以上变更外，其他安排不变。变更后的预订单为第 {printed_edition(r)} 版"
                    f"（编号 {r.code}），请按变更后的内容安排，并确认回复。",
                    st.body,
                ),
                Spacer(1, 3 * mm),
                _confirmation(r.code, printed_edition(r), qr_payload(r), st, font),
            ]
        else:
            why = (
                reason or "合作单位取消"
                if status == BatchStatus.CANCELLED.value
                else "行程调整，本批次不再安排在贵基地"
            )
            story += [
                paragraph("接待取消通知", st.title),
                _facts(facts, st, font, [22 * mm, 65 * mm, 22 * mm, 65 * mm]),
                Spacer(1, 4 * mm),
                paragraph(
                    f"批次 {r.batch}（{r.partner}，{_long(r.arrival)} 至 {_md(r.departure)}）"
                    f"在贵基地的接待全部取消，原预订单 {r.code} 第 {r.edition} 版作废。",
                    st.body,
                ),
                paragraph(f"取消原因：{why}", st.body),
                paragraph(f"原预订内容：{_summary(r.sent)}。", st.body),
                Spacer(1, 3 * mm),
                paragraph("给贵基地带来不便，敬请谅解。请签收后回传。", st.body),
                Spacer(1, 8 * mm),
                paragraph("签收人：______________　　　日期：______年____月____日　　　（签章）", st.body),
            ]
        story += [
            Spacer(1, 8 * mm),
            paragraph(f"{union}　{address}".strip(), st.body),
            paragraph(f"发出日期：{_long(dt.date.today())}", st.body),
        ]
    kinds = {r.state for r in rows}
    title = (
        "变更通知"
        if kinds == {orders.CHANGED}
        else "取消通知"
        if kinds <= {orders.WITHDRAWN, orders.CANCEL_SENT}
        else "变更与取消通知"
    )
    build(path, Heading(union, title, rows[0].batch, dt.date.today()), story, font)
    for r in rows:
        orders.record_notice(db, r)
    return _result(path, font)


# -- the departure notice ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Departure:
    """What the departure notice says, for the PDF and the workbook alike."""

    batch_id: int
    code: str
    partner: str
    arrival: dt.date
    departure: dt.date
    people: int
    route: str
    gather_at: str
    gather_place: str
    days: tuple[tuple[str, str, str], ...]  # date, the day's plan, where the night is spent
    bring: str
    conduct: str
    contacts: tuple[tuple[str, str], ...]  # who, how to reach them
    insurance: str
    union: str


def departure(db: Database, batch_code: str) -> Departure:
    """The departure notice's content: the batch, its details (or the standard wording), its days."""
    from recuperation.services.batch.edit import get_details, lodged_plan

    batch_id, _status, _reason = _batch_id(db, batch_code)
    details = get_details(db, batch_id, with_findings=False)
    plan = lodged_plan(db, details)
    notice = orders.get_notice(db, batch_id)
    union, address = _union(db)
    b = details.batch
    days = []
    day = b.arrival
    while day <= b.departure:
        items = [i for i in plan.itinerary if i.on_date == day]
        what = []
        for i in items:
            if i.kind == ItemKind.ACTIVITY.value:
                what.append(" ".join(x for x in (i.time_of_day, i.activity) if x))
            elif i.kind != ItemKind.LODGING.value and i.base:
                what.append(f"{_meal(i.kind)}（{i.base}）")
        night = plan.nights.get(day)
        days.append(
            (
                _long(day),
                "；".join(what) or ("返程" if day == b.departure else "自由活动"),
                "、".join(night.names) if night is not None and day < b.departure else "",
            )
        )
        day += dt.timedelta(days=1)
    contacts = [("领队", " ".join(x for x in (b.leader, b.leader_phone) if x) or TO_BE_SET)]
    if b.guide:
        contacts.append(("导游", b.guide))
    if notice.contacts:
        contacts.append(("其他联系人", notice.contacts))
    contacts.append(("组织单位", f"{union}　{address}".strip()))
    contacts.append(("紧急电话", EMERGENCY))
    return Departure(
        batch_id,
        b.code,
        b.partner,
        b.arrival,
        b.departure,
        b.people,
        b.route,
        notice.gather_at or TO_BE_SET,
        notice.gather_place or TO_BE_SET,
        tuple(days),
        notice.bring or STANDARD_BRING,
        notice.conduct or STANDARD_CONDUCT,
        tuple(contacts),
        notice.insurance or STANDARD_INSURANCE,
        union,
    )


def print_departure_notice(
    db: Database, batch_code: str, path: Path, font: PdfFont | None = None
) -> DocumentResult:
    """出团通知书 for the partner's people: gathering, the days, what to bring, conduct, contacts, insurance."""
    font = font or find_font()
    st = styles(font)
    d = departure(db, batch_code)
    story: list[Any] = [
        paragraph(f"{d.partner}职工疗休养出团通知书", st.title),
        paragraph("各位职工：", st.body),
        paragraph(
            f"本次疗休养（批次 {d.code}）定于 {_stay(d.arrival, d.departure)}，共 {d.people} 人"
            f"{f'，线路为“{d.route}”' if d.route else ''}。现将有关事项通知如下。",
            st.body,
        ),
        paragraph("一、集合", st.section),
        _facts(
            [("集合时间", d.gather_at), ("集合地点", d.gather_place)],
            st,
            font,
            [22 * mm, 43 * mm, 22 * mm, 87 * mm],
        ),
        paragraph("二、行程安排", st.section),
        grid(
            [
                ["日期", "安排", "住宿"],
                *[[day, paragraph(what, st.cell), paragraph(night, st.cell)] for day, what, night in d.days],
            ],
            [30 * mm, 104 * mm, 40 * mm],
            font,
        ),
        paragraph("三、携带物品", st.section),
        paragraph(d.bring, st.body),
        paragraph("四、纪律要求", st.section),
        paragraph(d.conduct, st.body),
        paragraph("五、紧急联系", st.section),
        grid(
            [[k, paragraph(v, st.cell)] for k, v in d.contacts],
            [30 * mm, 144 * mm],
            font,
            header_rows=0,
            zebra=False,
        ),
        paragraph("六、保险", st.section),
        paragraph(d.insurance, st.body),
        Spacer(1, 10 * mm),
        paragraph(d.union, st.body),
        paragraph(_long(dt.date.today()), st.body),
    ]
    build(path, Heading(d.union, "出团通知书", d.code, dt.date.today()), story, font)
    return _result(path, font)


def departure_notice_workbook(db: Database, batch_code: str, path: Path) -> ExportResult:
    """The departure notice as a workbook for the partner: the notice, then the roster (ID numbers and
    phones masked, always written as text)."""
    import xlsxwriter

    from recuperation.private_files import private_output, private_scratch

    d = departure(db, batch_code)
    people = roster_rows(db, d.batch_id)
    with private_output(path) as temp, private_scratch() as scratch:
        book = xlsxwriter.Workbook(
            str(temp), {"strings_to_formulas": False, "strings_to_numbers": False, "tmpdir": scratch}
        )
        try:
            title = book.add_format({"bold": True, "font_size": 14})
            head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
            key = book.add_format({"bold": True, "border": 1, "valign": "top", "bg_color": "#EEF2F7"})
            text = book.add_format({"num_format": "@", "border": 1, "text_wrap": True, "valign": "top"})
            number = book.add_format({"num_format": "0", "border": 1})
            sheet = book.add_worksheet("出团通知")
            sheet.set_column(0, 0, 14)
            sheet.set_column(1, 1, 70)
            sheet.set_column(2, 2, 24)
            sheet.write_string(0, 0, f"{d.partner}职工疗休养出团通知书", title)
            lines: list[tuple[str, str]] = [
                ("批次", d.code),
                ("日期", _stay(d.arrival, d.departure)),
                ("人数", f"{d.people} 人"),
                ("线路", d.route or "—"),
                ("集合时间", d.gather_at),
                ("集合地点", d.gather_place),
            ]
            r = 2
            for k, v in lines:
                sheet.write_string(r, 0, k, key)
                sheet.write_string(r, 1, v, text)
                r += 1
            r += 1
            for c, word in enumerate(("日期", "安排", "住宿")):
                sheet.write_string(r, c, word, head)
            r += 1
            for day, what, night in d.days:
                for c, value in enumerate((day, what, night)):
                    sheet.write_string(r, c, value, text)
                r += 1
            r += 1
            later = [("携带物品", d.bring), ("纪律要求", d.conduct), *d.contacts, ("保险", d.insurance)]
            for k, v in later:
                sheet.write_string(r, 0, k, key)
                sheet.write_string(r, 1, v, text)
                r += 1
            roster = book.add_worksheet("名单")
            # 随行家属 as the roster export writes it (是 or empty), so the roster import reads it back
            headers = ("序号", "姓名", "性别", "身份证号", "手机", "单位", "房间", "随行家属")
            for c, (word, width) in enumerate(zip(headers, (6, 10, 6, 22, 15, 28, 10, 9), strict=True)):
                roster.write_string(0, c, word, head)
                roster.set_column(c, c, width)
            roster.freeze_panes(1, 0)
            for i, p in enumerate(people, start=1):
                roster.write_number(i, 0, i, number)
                values = (
                    p.name,
                    label("sex", p.sex, "zh"),
                    p.id_masked,
                    p.phone_masked,
                    mask_in_text(p.employer),
                    mask_in_text(p.room),
                    "是" if p.companion else "",
                )
                for c, value in enumerate(values, start=1):
                    roster.write_string(i, c, value or "", text)
            roster.autofilter(0, 0, max(len(people), 1), len(headers) - 1)
        finally:
            book.close()
    return ExportResult(path, len(people))
