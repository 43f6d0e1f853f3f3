"""The scorecard (评分表) and the re-check file (复核档案) as PDFs, read back by text extraction: the base, the
figures worked out by hand in tests/test_scorecard.py, the flags in words, the totals equal to the lines
printed above them, the signature lines, and no full ID number or phone anywhere."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from recuperation.cli import main
from recuperation.documents.render import render
from recuperation.errors import DomainError
from recuperation.storage.database import Database
from tests.test_scorecard import two_years

ID18 = re.compile(r"\d{17}[\dXx]")
PHONE = re.compile(r"1[3-9]\d{9}")


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def pages_of(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def incident_rows(text: str) -> list[list[str]]:
    """The incidents' table of a scorecard page: a row per kind and the 合计 row, each the kind and five
    counts (一般, 较重, 严重, the year's total, the year before's)."""
    lines = text.split("\n")
    start = lines.index("二、事件（按类型与严重程度）") + 7  # the title and the six headers
    rows = []
    for n in range(7):
        row = lines[start + 6 * n : start + 6 * (n + 1)]
        rows.append(row)
    assert rows[-1][0] == "合计"
    return rows


def test_a_scorecard_page_says_the_figures_and_the_flags(db: Database, tmp_path: Path) -> None:
    years = two_years(db)
    path = render(db, "scorecard", "寿昌宾馆", tmp_path / "card.pdf", year=2021).path
    pages = pages_of(path)
    assert len(pages) == 1  # one A4 page per base
    text = pages[0]
    assert "寿昌宾馆 2021年度评分表" in text
    assert "4.3（3 份评分，问卷 3 份）" in text
    # the dimensions: this year, its count, last year, its count, the trend
    assert "总体满意度\n4.3\n3\n3.5\n2\n↑ 上升" in text
    assert "住宿\n4.7\n3\n4.0\n2\n↑ 上升" in text
    assert "餐饮\n3.7\n3\n4.0\n2\n↓ 下降" in text
    assert "导游讲解\n—\n0\n—\n0\n—" in text
    assert "需复核关注：" in text
    assert "1. 有 1 起严重事件尚未结案（最早一起 2021年5月11日：王芳在台阶上摔伤，送医）。" in text
    assert "2. 2021年6月1日的实地检查中有 1 条“应”条款不符合：6.2。" in text
    assert "接待批次\n2\n1" in text and "接待人次（团员，报到后按实到）\n13\n2" in text
    assert "随行家属\n1\n0" in text and "问卷回收率（问卷 ÷ 人次）\n23.1%\n100.0%" in text
    assert "0.0%（18 / 36,500 床位·晚）" in text
    assert "共 5 条，符合 1 条，不符合 2 条，不适用 1 条，未检查 1 条" in text
    rows = incident_rows(text)
    kinds = {row[0]: [int(n) for n in row[1:]] for row in rows}
    assert (
        kinds["受伤"] == [0, 0, 1, 1, 0]
        and kinds["疾病"] == [0, 1, 0, 1, 0]
        and kinds["投诉"] == [1, 0, 0, 1, 0]
    )
    body = [counts for kind, counts in kinds.items() if kind != "合计"]
    assert kinds["合计"] == [sum(column) for column in zip(*body, strict=True)] == [1, 1, 1, 3, 0]
    assert years.wang_id not in text and not ID18.search(text)


def test_every_base_prints_a_page_of_its_own(db: Database, tmp_path: Path) -> None:
    two_years(db)
    path = render(db, "scorecard", "", tmp_path / "all.pdf", year=2021).path
    pages = pages_of(path)
    assert [p.split("\n")[0] for p in pages] == ["江滨宾馆 2021年度评分表", "寿昌宾馆 2021年度评分表"]
    # 江滨宾馆 had no figure at all in 2020: its column is no data (—), not zeros
    assert "无需复核关注" in pages[0] and "物品遗失\n1\n0\n0\n1\n—" in pages[0]
    assert "基地评分表  2021年 2 个基地" in pages[0]


def test_the_recheck_file_for_the_panel(db: Database, tmp_path: Path) -> None:
    years = two_years(db)
    path = render(db, "review_file", "寿昌宾馆", tmp_path / "review.pdf", year=2021).path
    text = text_of(path)
    for heading in (
        "职工疗休养基地复核档案",
        "一、认定历程",
        "二、评分表",
        "三、实地检查",
        "四、事件记录",
        "五、意见摘录",
    ):
        assert heading in text
    assert "评分年度：2020年、2021年" in text
    # the certification's history, step by step
    assert "杭州市级认定（已失效，证书编号 HZ-寿昌宾馆，有效期 2020年1月1日 至 2022年12月31日）" in text
    assert "申报\n2019年10月3日\n王建华" in text and "认定\n2020年1月1日" in text
    # both years' scorecards
    assert "寿昌宾馆 2020年度评分表" in text and "寿昌宾馆 2021年度评分表" in text
    # both inspections, the one of June with what was not met first
    assert "认定期间（2019年10月3日 以来）的实地检查 2 次" in text
    inspections = text[text.rindex("三、实地检查") :]  # not the cover's contents
    june = inspections[inspections.index("2021年6月1日（复核") :]
    assert june.index("6.2\n安全保障") < june.index("6.3\n安全保障") < june.index("6.5\n安全保障")
    assert june.index("6.5\n安全保障") < june.index("6.1\n安全保障") < june.index("6.4\n安全保障")
    assert "不符合\n急救箱过期" in june
    # the incidents, their people masked
    assert "2020年至2021年的事件共 3 起，其中未结案 2 起（严重 1 起）" in text
    flat = text.replace("\n", "")  # cells wrap
    assert f"王芳\n{years.wang_id[:6]}********{years.wang_id[-4:]}\n" in text  # the masked ID on a line
    assert "肠胃不适（按当晚住宿计入）" in flat
    # the comments: every one counted, the most recent first, the phone masked
    assert "共有 2 条书面意见，以下按时间由近及远列出 2 条（最多 20 条）" in text
    assert flat.index("早餐品种少；有事请打 139****0000") < flat.index("房间干净，服务热情")
    assert "取消的批次不该计入" not in text
    # the panel's signatures
    assert "六、评审意见与签字" in text and "评审意见：" in text
    assert (
        "评审组成员（签字）：" in text
        and "评审组组长（签字）：" in text
        and "日期：______年____月____日" in text
    )
    assert years.wang_id not in text and not ID18.search(text) and not PHONE.search(text)


def test_at_most_twenty_comments_most_recent_first(db: Database, tmp_path: Path) -> None:
    from tests.test_scorecard import respond

    years = two_years(db)
    for n in range(25):
        respond(db, years.x_id, 10 + n, {}, f"第{n + 1}条意见", dt.date(2021, 5, 13 + n % 5))
    text = text_of(render(db, "review_file", "寿昌宾馆", tmp_path / "review.pdf", year=2021).path)
    assert "共有 27 条书面意见，以下按时间由近及远列出 20 条（最多 20 条）" in text
    section = text[text.rindex("五、意见摘录") : text.rindex("六、评审意见与签字")]
    numbers = re.findall(r"^(\d+)\n2021-", section, flags=re.M)
    assert numbers == [str(n) for n in range(1, 21)]  # the lines printed are the 20 counted
    assert "房间干净，服务热情" not in section  # older than the twenty


def test_the_command_line_prints_both_and_refuses_an_unknown_base(
    db: Database, tmp_path: Path, capsys: Any
) -> None:
    two_years(db)
    card = tmp_path / "card.pdf"
    assert main(["--db", db.url, "print", "scorecard", "寿昌宾馆", "--year", "2021", "-o", str(card)]) == 0
    assert "已生成" in capsys.readouterr().err and "寿昌宾馆 2021年度评分表" in text_of(card)
    every = tmp_path / "every.pdf"
    assert main(["--db", db.url, "print", "scorecard", "--year", "2021", "-o", str(every)]) == 0
    assert len(pages_of(every)) == 2
    review = tmp_path / "review.pdf"
    assert main(["--db", db.url, "print", "review-file", "寿昌宾馆", "-o", str(review)]) == 0
    assert "评分年度：2020年、2021年" in text_of(review)  # the latest year with figures
    capsys.readouterr()
    missing = tmp_path / "missing.pdf"
    assert main(["--db", db.url, "print", "review-file", "不存在的基地", "-o", str(missing)]) == 1
    assert "没有名为“不存在的基地”的基地" in capsys.readouterr().err
    assert not missing.exists()
    assert main(["--db", db.url, "print", "scorecard", "寿昌宾馆", "-o", str(missing)]) == 2  # --year needed


def test_a_base_without_any_figure_still_prints(db: Database, tmp_path: Path) -> None:
    from tests.factories import certified_base

    certified_base(db, "新安江宾馆")
    text = text_of(render(db, "review_file", "新安江宾馆", tmp_path / "r.pdf", year=2021).path)
    assert (
        "这两年没有事件记录。" in text and "没有书面意见。" in text and "认定期间没有实地检查记录。" in text
    )
    # neither year has a figure: a line each, no scorecard of zeros with a green verdict
    assert "2021年新安江宾馆没有任何数据" in text and "2020年新安江宾馆没有任何数据" in text
    assert "无需复核关注" not in text and "年度评分表" not in text
    with pytest.raises(DomainError):
        render(db, "review_file", "没有的", tmp_path / "x.pdf", year=2021)


@pytest.mark.slow
def test_every_demo_base_has_its_page_without_a_full_id(demo_db: Database, tmp_path: Path) -> None:
    from recuperation.services.scorecard import scorecards

    year = 2021
    cards = scorecards(demo_db, year)
    path = render(demo_db, "scorecard", "", tmp_path / "demo.pdf", year=year).path
    pages = pages_of(path)
    assert len(pages) == len(cards)
    for card, page in zip(cards, pages, strict=True):
        assert page.startswith(f"{card.base} {year}年度评分表")
        rows = incident_rows(page)
        body = [[int(n) for n in row[1:5]] for row in rows[:-1]]  # the year before's may be — (no data)
        assert [int(n) for n in rows[-1][1:5]] == [sum(c) for c in zip(*body, strict=True)]
        assert int(rows[-1][4]) == len(card.this.incidents)
        assert not ID18.search(page)
