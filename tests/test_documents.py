"""PDFs: the manifest, itinerary, rooming list and route brochure, read back as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from recuperation.cli import main as cli_main
from recuperation.documents import batch_docs, fonts
from recuperation.people import mask_id
from recuperation.services.batch import batches, rosters
from recuperation.storage.database import Database
from tests.factories import stored_numbers

FRONTLINE = "L2021-0140"  # the 200 frontline workers at Shouchang on 31 March 2021


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def embedded_fonts(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    names.add(str(font["/BaseFont"]))
    return names


def test_a_200_person_manifest(demo_db: Database, tmp_path: Path) -> None:
    row = batches.find_batch(demo_db, FRONTLINE)
    assert row is not None and row.headcount == 200
    people = rosters.list_participants(demo_db, row.id)
    result = batch_docs.print_manifest(demo_db, FRONTLINE, tmp_path / "m.pdf")
    pages = pdf_text(result.path)
    body = "\n".join(pages)
    flat = body.replace("\n", "").replace(" ", "")
    assert all(p.name in flat for p in people)
    numbers = stored_numbers(demo_db, row.id)
    assert all(mask_id(numbers[p.id][0]) in body for p in people) and numbers[people[0].id][0] not in body
    total = len(pages)
    assert total > 1 and all(f"第 {i} 页 / 共 {total} 页" in page for i, page in enumerate(pages, start=1))
    assert all("序号" in page and "身份证号" in page for page in pages)  # the header row on every page
    men = sum(p.sex == "M" for p in people)
    assert f"合计200人：男{men}人，女{200 - men}人" in flat
    assert "领队签字" in body and "建德市总工会" in pages[0]
    assert any("WenQuanYi" in name for name in embedded_fonts(result.path))


def test_full_ids_only_when_asked_and_recorded(demo_db: Database, tmp_path: Path, capsys) -> None:
    path = tmp_path / "full.pdf"
    assert cli_main(["--db", demo_db.url, "print", "manifest", FRONTLINE, "-o", str(path), "--full-ids"]) == 0
    person = rosters.list_participants(demo_db, batches.find_batch(demo_db, FRONTLINE).id)[0]
    assert stored_numbers(demo_db)[person.id][0] in "\n".join(pdf_text(path))
    with demo_db.engine.connect() as conn:
        entry = conn.execute(
            text("SELECT action, field, record_label FROM audit_log WHERE field='full_ids'")
        ).one()
    assert entry == ("print", "full_ids", FRONTLINE)
    assert "已生成" in capsys.readouterr().err


def test_itinerary_rooming_and_route(demo_db: Database, tmp_path: Path) -> None:
    itinerary = "\n".join(pdf_text(batch_docs.print_itinerary(demo_db, FRONTLINE, tmp_path / "i.pdf").path))
    assert "杭州市总工会职工疗休养行程单" in itinerary and "2021年3月31日" in itinerary
    assert "寿昌古镇" in itinerary and "120" in itinerary and "基地联系方式" in itinerary
    rooms = "\n".join(pdf_text(batch_docs.print_rooming(demo_db, FRONTLINE, tmp_path / "r.pdf").path))
    assert "分房表" in rooms and "寿昌宾馆" in rooms and "用餐人数" in rooms
    route = "\n".join(pdf_text(batch_docs.print_route(demo_db, "XL01", tmp_path / "route.pdf").path))
    assert "浙大西迁疗休养线路" in route and "2 天 1 晚" in route and "梅城浙大路" in route.replace("\n", "")
    assert re.search(r"第 1 页 / 共 1 页", route)


def test_names_the_font_cannot_print_are_named(db: Database, tmp_path: Path) -> None:
    from tests.factories import partner, person_id

    p = partner(db)
    row = batches.create_batch(
        db,
        batches.BatchInput(
            p.id, batches.dt.date(2021, 5, 12), batches.dt.date(2021, 5, 13), 1, code="L2021-0001"
        ),
    )
    rosters.add_participant(db, row.id, rosters.ParticipantInput("吉𠮷", person_id(1)))
    result = batch_docs.print_manifest(db, "L2021-0001", tmp_path / "m.pdf")
    assert result.missing == [batch_docs.Unprintable(1, "name", "吉𠮷", "𠮷")]
    # The character by its code point, with the person and the field: a screen lacking it shows only a box.
    assert "第 1 人的姓名“吉𠮷”中的 U+20BB7" in result.missing_note()


def test_without_a_chinese_font_the_pdf_still_prints_and_says_so(
    demo_db: Database, tmp_path: Path, monkeypatch, capsys
) -> None:
    fonts.find_font.cache_clear()
    monkeypatch.setattr(fonts, "_candidates", lambda: [])
    try:
        path = tmp_path / "cid.pdf"
        assert cli_main(["--db", demo_db.url, "print", "itinerary", FRONTLINE, "-o", str(path)]) == 0
        assert "只有安装了中文字体的查看器" in capsys.readouterr().err
        assert path.stat().st_size > 1000 and embedded_fonts(path) == set()
    finally:
        fonts.find_font.cache_clear()


def test_a_chosen_font_that_is_not_a_font_is_passed_over(tmp_path: Path) -> None:
    fake = tmp_path / "font.ttf"
    fake.write_bytes(b"not a font")
    fonts.find_font.cache_clear()
    try:
        chosen = fonts.find_font(str(fake))
        assert chosen.embedded and chosen.path != str(fake)
    finally:
        fonts.find_font.cache_clear()


def test_unknown_codes(demo_db: Database, tmp_path: Path, capsys) -> None:
    assert (
        cli_main(["--db", demo_db.url, "print", "manifest", "L1999-0001", "-o", str(tmp_path / "x.pdf")]) == 1
    )
    assert "找不到编号为 L1999-0001 的批次" in capsys.readouterr().err


@pytest.fixture(autouse=True)
def _fresh_font_cache():
    yield
    fonts.find_font.cache_clear()


def test_rooming_list_after_pairing(demo_db: Database, tmp_path: Path) -> None:
    from recuperation.services.batch import rooms

    before = "\n".join(pdf_text(batch_docs.print_rooming(demo_db, FRONTLINE, tmp_path / "r0.pdf").path))
    assert "尚未分房" in before
    rooms.pair_rooms(demo_db, batches.find_batch(demo_db, FRONTLINE).id)
    after = "\n".join(pdf_text(batch_docs.print_rooming(demo_db, FRONTLINE, tmp_path / "r1.pdf").path))
    assert "男01" in after and "女01" in after and "寿昌宾馆（3月31日、4月1日晚）" in after.replace("\n", "")


def test_annual_summary_states_the_years_figures(demo_db: Database, tmp_path: Path, capsys) -> None:
    path = tmp_path / "annual.pdf"
    assert (
        cli_main(["--db", demo_db.url, "print", "annual", "2021", "--until", "2021-11-30", "-o", str(path)])
        == 0
    )
    body = "".join(pdf_text(path)).replace("\n", "").replace(" ", "")
    assert "2021年度职工疗休养工作统计" in body
    assert "共接待职工疗休养1,065批次38,665人次" in body
    assert "培训班65个" in body and "会议3个" in body and "新签合作协议8份" in body
    assert "省级1家" in body and "杭州市级26家" in body
