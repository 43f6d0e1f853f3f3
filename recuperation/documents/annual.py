"""年度职工疗休养工作统计: the year's figures stated the way the union's annual report does, with tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, TableStyle

from recuperation.documents.batch_docs import DocumentResult
from recuperation.documents.fonts import PdfFont, find_font
from recuperation.documents.pdf import Heading, build, grid, paragraph, styles
from recuperation.money import yuan_text
from recuperation.services import policy as policy_service
from recuperation.services.money_stats import MoneyFigures, MoneyLine, money_figures
from recuperation.services.statistics import Period, PeriodStats, period_stats
from recuperation.storage.database import Database


def summary_text(stats: PeriodStats) -> str:
    """One paragraph in the report's words; every number comes from the same statistics service: the planned
    人次 and 人天, then what the closed roll calls say was attended."""
    start, end = stats.start, stats.end
    span = (
        f"{start.year}年{start.month}月至{end.month}月"
        if start.year == end.year
        else (f"{start.year}年{start.month}月至{end.year}年{end.month}月")
    )
    certified = stats.bases_certified
    bases = "，".join(
        f"{label} {certified.get(key, 0)} 家"
        for key, label in (("provincial", "省级"), ("hangzhou", "杭州市级"), ("county", "建德市级"))
        if certified.get(key)
    )
    went = stats.attendance
    attended = (
        f"按报到实际参加 {went.attended_people:,} 人次、{went.attended_person_days:,} 人天"
        f"（已结束报到 {went.closed_batches:,} 批次，未报到 {went.no_show:,} 人、提前离开 {went.left_early:,} 人，"
        f"比计划少 {went.difference_people:,} 人次、{went.difference_person_days:,} 人天"
        f"{'；其余批次按计划计' if went.closed_batches < went.batches else ''}），随行家属不计；"
        if went.closed_batches
        else "尚无结束报到的批次，实际参加按计划计，随行家属不计；"
    )
    return (
        f"{span}，共接待职工疗休养 {stats.batches:,} 批次 {stats.people:,} 人次（计划），合计 {stats.person_days:,} 人天；"
        f"{attended}"
        f"承办工会培训班 {stats.training_classes} 个（{stats.training_people:,} 人次），会议 {stats.conferences} 个"
        f"（{stats.conference_people:,} 人次）；新签合作协议 {stats.agreements_signed} 份；"
        f"截至{end.month}月{end.day}日，认定的职工（劳模）疗休养基地{('：' + bases) if bases else ' 0 家'}。"
    )


def _yuan(fen: int | None) -> str:
    return "—" if fen is None else f"¥{yuan_text(fen)}"


def money_text(money: MoneyFigures) -> str:
    """The money in the report's words (recuperation/services/money_stats.py): the cost and where it comes
    from, the members' cost per person-day, what the bases invoiced, were paid and are owed; what lacks a price."""
    total, paid = money.total, money.paid
    sources = {s.source: s for s in money.sources}
    known = "，".join(
        f"{words} {sources[key].costs:,} 项 {_yuan(sources[key].fen)}"
        for key, words in (("invoice", "按已审批发票"), ("actual", "按报到计算"), ("planned", "按计划计算"))
        if sources[key].costs
    )
    text = (
        f"各批次在各基地的费用合计 {_yuan(total.cost_fen)}（含税{'；' + known if known else ''}），"
        f"其中团员 {_yuan(total.member_cost_fen)}，随行家属自费 {_yuan(total.companion_cost_fen)}；"
        f"团员 {total.person_days:,} 人天，每人天费用 {_yuan(total.per_person_day_fen)}。"
        f"基地发票 {paid.invoices:,} 张，合计 {_yuan(paid.invoiced_fen)}，已付款 {_yuan(paid.paid_fen)}，"
        f"未付 {_yuan(paid.outstanding_fen)}（待审批 {_yuan(paid.awaiting_fen)}，已审批未付 {_yuan(paid.due_fen)}）；"
        f"已完成、基地尚未开票 {paid.uninvoiced:,} 项，按计算 {_yuan(paid.uninvoiced_fen)}。"
    )
    if money.gaps:
        text += f"另有 {len(money.gaps):,} 项费用缺少价格，以上合计只含已定价的部分。"
    if money.no_base:
        text += f"{len(money.no_base):,} 个批次没有安排基地，未计费用。"
    return text


def _money_rows(lines: list[MoneyLine], total: MoneyLine) -> list[list[str]]:
    return [
        *[
            [
                line.name,
                f"{line.batches:,}",
                f"{line.person_days:,}",
                _yuan(line.cost_fen),
                _yuan(line.per_person_day_fen),
            ]
            for line in lines
        ],
        [
            "合计",
            f"{total.batches:,}",
            f"{total.person_days:,}",
            _yuan(total.cost_fen),
            _yuan(total.per_person_day_fen),
        ],
    ]


def _money_story(money: MoneyFigures, font: PdfFont, st: Any, top: int = 10) -> list[Any]:
    """费用: the paragraph, the cost by kind, and the bases that cost most with the rest in one line (so the
    table's total is the sum of its lines)."""
    right = TableStyle([("ALIGN", (1, 0), (-1, -1), "RIGHT")])  # figures and their headings
    kinds = grid(
        [["类型", "批次", "团员人天", "费用", "每人天费用"], *_money_rows(list(money.by_kind), money.total)],
        [44 * mm, 26 * mm, 30 * mm, 42 * mm, 32 * mm],
        font,
    )
    kinds.setStyle(right)
    paid_of = {line.name: line for line in money.paid_by_base}
    bases = list(money.top_bases(top))
    rest = [line for line in money.by_base if line not in bases]
    rows = [["基地", "批次", "费用", "每人天费用", "已付款", "未付"]]
    for line in bases:
        one = paid_of.get(line.name)
        rows.append(
            [
                paragraph(line.name, st.cell),
                f"{line.batches:,}",
                _yuan(line.cost_fen),
                _yuan(line.per_person_day_fen),
                _yuan(one.paid_fen if one else 0),
                _yuan(one.outstanding_fen if one else 0),
            ]
        )
    # the rest in one line, paid and unpaid as the total less the top's, so the lines add up to the total
    top_paid = [paid_of[line.name] for line in bases if line.name in paid_of]
    rest_paid = money.paid.paid_fen - sum(p.paid_fen for p in top_paid)
    rest_unpaid = money.paid.outstanding_fen - sum(p.outstanding_fen for p in top_paid)
    if rest or rest_paid or rest_unpaid:
        rows.append(
            [
                f"其他 {len(rest)} 个",
                "",
                _yuan(sum(line.cost_fen for line in rest)),
                "",
                _yuan(rest_paid),
                _yuan(rest_unpaid),
            ]
        )
    rows.append(
        [
            "合计",
            "",
            _yuan(money.total.cost_fen),
            "",
            _yuan(money.paid.paid_fen),
            _yuan(money.paid.outstanding_fen),
        ]
    )
    top_bases = grid(rows, [50 * mm, 16 * mm, 30 * mm, 24 * mm, 30 * mm, 24 * mm], font)
    top_bases.setStyle(right)
    # a heading never stands alone at the foot of a page
    return [
        KeepTogether([paragraph("费用", st.section), paragraph(money_text(money), st.body), kinds]),
        KeepTogether([paragraph(f"费用最高的基地（前 {len(bases)} 个）", st.section), top_bases]),
    ]


def print_annual(
    db: Database, year: int, until: dt.date | None, path: Path, font: PdfFont | None = None
) -> DocumentResult:
    font = font or find_font()
    st = styles(font)
    stats = period_stats(db, Period.year(year, until))
    money = money_figures(db, Period.year(year, until))
    union = policy_service.get_policy(db).union_name
    story: list[Any] = [
        paragraph(f"{year}年度职工疗休养工作统计", st.title),
        paragraph(summary_text(stats), st.body),
        paragraph("按月份", st.section),
        grid(
            [
                ["月份", "批次", "人次"],
                *[[f"{m.month}月", f"{m.batches:,}", f"{m.people:,}"] for m in stats.by_month],
                ["合计", f"{stats.batches:,}", f"{stats.people:,}"],
            ],
            [40 * mm, 40 * mm, 40 * mm],
            font,
        ),
        paragraph("按合作单位", st.section),
        grid(
            [
                ["合作单位", "批次", "人次"],
                *[
                    [paragraph(p.partner, st.cell), f"{p.batches:,}", f"{p.people:,}"]
                    for p in stats.by_partner
                ],
            ],
            [94 * mm, 40 * mm, 40 * mm],
            font,
        ),
        paragraph("按基地（住宿）", st.section),
        grid(
            [
                ["基地", "批次", "人次", "床位·晚"],
                *[
                    [paragraph(g.name, st.cell), f"{g.batches:,}", f"{g.people:,}", f"{g.person_days:,}"]
                    for g in stats.by_base
                ],
            ],
            [74 * mm, 30 * mm, 35 * mm, 35 * mm],
            font,
        ),
        paragraph("按线路主题", st.section),
        grid(
            [
                ["主题", "批次", "人次", "人天"],
                *[[g.name, f"{g.batches:,}", f"{g.people:,}", f"{g.person_days:,}"] for g in stats.by_theme],
            ],
            [74 * mm, 30 * mm, 35 * mm, 35 * mm],
            font,
        ),
        *_money_story(money, font, st),
        Spacer(1, 6 * mm),
    ]
    build(path, Heading(union, "年度统计", str(year), dt.date.today()), story, font)
    return DocumentResult(path, font)
