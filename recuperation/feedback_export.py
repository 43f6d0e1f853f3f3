"""A batch's questionnaire answers as a workbook (问卷反馈 and 说明): it imports back with zero changes
(:mod:`recuperation.feedback_workbook`); numbers typed into a comment or as the respondent are masked, and a
masked text stands for the stored one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from recuperation.people import mask_in_text
from recuperation.services import feedback as service
from recuperation.storage.database import Database

EXPORT_SHEET, NOTES_SHEET = "问卷反馈", "说明"
EXPORT_FIELDS = (("问卷编号", 9), ("填写人", 12), ("填写日期", 12))
COMMENT_HEADING = "意见建议"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def export_feedback(db: Database, batch_code: str, path: Path) -> ExportResult:
    """Write the batch's responses to ``path``: they import back with no change."""
    import xlsxwriter

    from recuperation.private_files import private_output, private_scratch

    grid = service.batch_grid(db, service.find_batch_id(db, batch_code))
    headings = [h for h, _w in EXPORT_FIELDS] + [t.shown("zh") for t in grid.targets] + [COMMENT_HEADING]
    with private_output(path) as temp, private_scratch() as scratch:
        book = xlsxwriter.Workbook(
            str(temp), {"strings_to_formulas": False, "strings_to_numbers": False, "tmpdir": scratch}
        )
        try:
            title = book.add_format({"bold": True, "font_size": 14})
            label_ = book.add_format({"bold": True})
            head = book.add_format(
                {
                    "bold": True,
                    "bg_color": "#DDEBF7",
                    "border": 1,
                    "align": "center",
                    "valign": "vcenter",
                    "text_wrap": True,
                }
            )
            text = book.add_format({"num_format": "@", "border": 1})
            wrapped = book.add_format({"num_format": "@", "border": 1, "text_wrap": True})
            number = book.add_format({"num_format": "0", "border": 1, "align": "center"})
            day = book.add_format({"num_format": "yyyy-mm-dd", "border": 1})
            sheet = book.add_worksheet(EXPORT_SHEET)
            sheet.write_string(
                0,
                0,
                f"{grid.partner} {grid.code} 满意度调查结果（{grid.arrival.isoformat()} 至 {grid.departure.isoformat()}）",
                title,
            )
            sheet.write_string(1, 0, "批次编号", label_)
            sheet.write_string(1, 1, grid.code, text)
            top = 3
            for c, heading in enumerate(headings):
                sheet.write_string(top, c, heading, head)
            sheet.set_row(top, 36)
            for c, (_h, width) in enumerate(EXPORT_FIELDS):
                sheet.set_column(c, c, width)
            first_star = len(EXPORT_FIELDS)
            sheet.set_column(first_star, first_star + len(grid.targets) - 1, 10)
            sheet.set_column(first_star + len(grid.targets), first_star + len(grid.targets), 40)
            for i, row in enumerate(grid.rows, start=top + 1):
                if row.sheet_no is not None:
                    sheet.write_number(i, 0, row.sheet_no, number)
                else:
                    sheet.write_blank(i, 0, None, number)
                sheet.write_string(i, 1, mask_in_text(row.respondent), text)
                if row.answered_on is not None:
                    sheet.write_datetime(i, 2, dt.datetime.combine(row.answered_on, dt.time()), day)
                else:
                    sheet.write_blank(i, 2, None, day)
                for c, target in enumerate(grid.targets, start=first_star):
                    if target.key in row.stars:
                        sheet.write_number(i, c, row.stars[target.key], number)
                    else:
                        sheet.write_blank(i, c, None, number)
                sheet.write_string(i, first_star + len(grid.targets), mask_in_text(row.comment), wrapped)
            sheet.freeze_panes(top + 1, first_star)
            notes = book.add_worksheet(NOTES_SHEET)
            notes.set_column(0, 0, 100)
            lines = [
                f"批次 {grid.code} 的问卷反馈。改好后可用“导入…”或 recuperation feedback import {grid.code} 文件 导回。",
                "问卷编号：问卷上印的编号，同一批次不能重复；按编号找到已有的问卷，没有编号的按填写日期和填写人找。",
                "星级：1 至 5 的整数（5 为非常满意）；也可写“非常满意、满意、一般、不满意、非常不满意”或“5星”。空白为未回答，不是 0。",
                "“线路”一栏是对整个行程的评价；其余各栏是对各基地的评价，栏名为“基地·项目”。",
                "意见建议按原文保存；其中的电话和身份证号在导出时隐去中间几位，导回时保留原来的号码。",
                "文件中没有的栏不会改动已有的数据；删除一行不会删除已有的问卷（请在程序中删除）。",
            ]
            for r, line in enumerate(lines):
                notes.write_string(r, 0, line)
        finally:
            book.close()
    return ExportResult(path, len(grid.rows))
