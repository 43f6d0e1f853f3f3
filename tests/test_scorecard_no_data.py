"""Fixes after the new user's trip (issue 23): a comparison year without any figure for the base is "no data"
(—), never zeros; the certification is one statement (level · state as the bases list shows it, today's
state, so labelled); the flags' dates and numbers are written as elsewhere; a closing quote never starts a
line in the PDFs; the re-check file's dates and masked ID numbers are never split."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from recuperation.documents import scorecard_docs
from recuperation.documents.fonts import find_font
from recuperation.documents.pdf import paragraph, styles
from recuperation.documents.render import render
from recuperation.services import scorecard
from recuperation.storage.database import Database
from tests.test_review_docs import pages_of, text_of
from tests.test_scorecard import two_years

D = dt.date
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_a_year_without_figures_is_no_data(db: Database) -> None:
    years = two_years(db)
    card = scorecard.scorecard(db, years.shouchang, 2020)  # 2020: one batch; 2019: nothing at all
    assert card.this.has_figures and not card.last.has_figures
    assert all(line.trend is None for line in card.lines)
    assert card.to_json()["last_year"]["has_figures"] is False  # type: ignore[index]
    assert scorecard.scorecard(db, years.shouchang, 2021).last.has_figures  # 2020 has a batch


def test_the_scorecard_pdf_prints_no_data_not_zeros(db: Database, tmp_path: Path) -> None:
    two_years(db)
    text = pages_of(render(db, "scorecard", "寿昌宾馆", tmp_path / "card.pdf", year=2020).path)[0]
    assert "2020年（2019年无数据，不作对比）" in text
    assert "接待批次\n1\n—" in text and re.search(r"收回问卷\n\d+ 份\n—", text)
    assert "0 / " not in text.split("床位利用率")[1].split("四、")[0].replace("2 / ", "")  # no 0.0%（0 / …）
    assert "2019年评分数" in text and "2020年评分数" in text  # the two count columns told apart


def test_the_re_check_file_prints_one_line_for_a_year_without_figures(db: Database, tmp_path: Path) -> None:
    two_years(db)
    path = render(db, "review_file", "寿昌宾馆", tmp_path / "review.pdf", year=2020).path
    text = text_of(path)
    assert (
        "2019年寿昌宾馆没有任何数据（无接待批次、问卷评分、事件和实地检查），不列评分表，也不作对比。" in text
    )
    assert "寿昌宾馆 2019年度评分表" not in text and text.count("年度评分表") == 1
    pages = pages_of(path)
    # the certification history shares its page with the scorecards' heading and the line of 2019
    assert (
        "一、认定历程" in pages[1] and "二、评分表" in pages[1] and "2019年寿昌宾馆没有任何数据" in pages[1]
    )


def test_one_statement_of_the_certification(db: Database, tmp_path: Path) -> None:
    """certified_base's certification ran to 2022-12-31: today it has lapsed, as the bases list says; the
    recorded status 已认定 is not printed beside it."""
    two_years(db)
    card = scorecard.scorecard(db, scorecard.find_base(db, "寿昌宾馆")[0], 2021)
    assert card.certificate.state == "lapsed"
    assert scorecard_docs.certificate_text(card) == (
        "杭州市级 · 已失效",
        "已失效（有效期至 2022年12月31日）",
    )
    text = text_of(render(db, "review_file", "寿昌宾馆", tmp_path / "review.pdf", year=2021).path)
    assert "认定状态（今天）" in text and "认定状态（今天，" in text
    assert "已认定" not in text
    assert scorecard.certification_state("certified", D(2022, 12, 31), None, D(2022, 12, 1)) == "lapsing"
    assert scorecard.certification_state("certified", D(2022, 12, 31), None, D(2022, 1, 1)) == "valid"
    assert scorecard.certification_state("rejected", None, None, D(2022, 1, 1)) == "pending"


def test_flag_reasons_write_dates_numbers_and_lists_as_the_language_does() -> None:
    shall = scorecard.Flag(
        "shall_not_met", (("day", D(2021, 11, 18)), ("count", 3), ("codes", ("1.2", "3.5")))
    )
    assert shall.message("zh") == "2021年11月18日的实地检查中有 3 条“应”条款不符合：1.2、3.5。"
    assert shall.message("en") == "The inspection of 2021-11-18 found shall clauses not met: 3 (1.2, 3.5)."
    assert shall.to_json() == {"day": "2021-11-18", "count": 3, "codes": "1.2、3.5"}
    low = scorecard.Flag(
        "low_rating", (("mean", "4.4"), ("count", 5052), ("least", "4.5"), ("responses", 20))
    )
    assert low.message("zh") == "总体满意度 4.4（5,052 份评分），低于复核关注线 4.5（满 20 份评分即检查）。"
    assert low.message("en").startswith("Overall rating 4.4 from 5,052 ratings, below the review line of 4.5")


def test_a_closing_quote_never_starts_a_line() -> None:
    st = styles(find_font())
    style = ParagraphStyle("insp", parent=st.body, fontSize=9, leading=12)
    text = "2021年11月18日（复核，DB3301/T 0374-2022）：共 33 条，符合 29 条，不符合 3 条。“应”条款不符合：1.2、3.5。"
    for width in range(60, 180):
        shown = paragraph(text, style)
        shown.wrap(width * mm, 1000)
        for line in shown.blPara.lines:
            words = line[1] if isinstance(line, tuple) else line.words
            first = "".join(str(w) for w in words) if isinstance(words, list) else str(words)
            assert not first.startswith("”"), width


def test_incident_dates_and_masked_ids_stay_whole(db: Database, tmp_path: Path) -> None:
    years = two_years(db)
    text = text_of(render(db, "review_file", "寿昌宾馆", tmp_path / "review.pdf", year=2021).path)
    masked = f"{years.wang_id[:6]}********{years.wang_id[-4:]}"
    lines = text.split("\n")
    assert masked in lines  # the name on a line, its masked ID number on the next, whole
    assert lines[lines.index(masked) - 1] == "王芳"
    closed = lines.index("已结案")
    assert ISO.fullmatch(lines[closed + 1])  # the day it was closed whole, under 已结案
    assert not any(line.endswith(years.wang_id[:6]) for line in lines)
