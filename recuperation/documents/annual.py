"""年度职工疗休养工作统计: the year's figures stated the way the union's annual report does, with tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from recuperation.documents.batch_docs import DocumentResult
from recuperation.documents.fonts import PdfFont, find_font
from recuperation.documents.pdf import Heading, build, grid, paragraph, styles
from recuperation.services import policy as policy_service
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


def print_annual(
    db: Database, year: int, until: dt.date | None, path: Path, font: PdfFont | None = None
) -> DocumentResult:
    font = font or find_font()
    st = styles(font)
    stats = period_stats(db, Period.year(year, until))
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
        Spacer(1, 6 * mm),
    ]
    build(path, Heading(union, "年度统计", str(year), dt.date.today()), story, font)
    return DocumentResult(path, font)
