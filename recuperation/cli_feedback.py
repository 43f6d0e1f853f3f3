"""``recuperation feedback import|export|list`` and ``recuperation print questionnaire``: a batch's returned
questionnaires (问卷反馈).

    recuperation feedback import L2021-0005 问卷星导出.xlsx [--dry-run] [--json] [--skip-invalid]
                                 [--map "F=寿昌宾馆·餐饮" --map "H=-" …]
    recuperation feedback export L2021-0005 -o 问卷反馈.xlsx
    recuperation feedback list L2021-0005 [--json]
    recuperation print questionnaire L2021-0005 -o 问卷.pdf [--group 3]

A refusal names the file, the sheet, the row, the column and what to do; the exit status is then 1 and nothing
is written (2 for a usage error).  Only argparse is imported while the parser is built.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from recuperation.cli_shared import err, open_db


def _mapping(text: str) -> tuple[str, str]:
    column, sep, target = text.partition("=")
    if not sep or not column.strip():
        from recuperation import messages

        raise argparse.ArgumentTypeError(messages.text("feedback.bad_map", value=text))
    return column.strip(), target.strip()


_mapping.__name__ = "COLUMN=TARGET"


def add_parsers(sub: Any, print_sub: Any, parser_class: type, positive: Callable[[str], int]) -> None:
    """``feedback import|export|list`` under ``sub`` and ``questionnaire`` under ``print``."""
    feedback = sub.add_parser("feedback", help="问卷反馈：导入、导出、查看回收率和平均分")
    each = feedback.add_subparsers(dest="feedback_command", parser_class=parser_class, required=True)
    importing = each.add_parser(
        "import", help="导入问卷结果（本程序导出的，或问卷星、腾讯问卷的导出）；有错误时不写入"
    )
    importing.add_argument("batch", help="批次编号，例如 L2021-0005")
    importing.add_argument("file", type=Path, help="工作簿（.xlsx、.xls、.ods）或 CSV")
    importing.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    importing.add_argument("--json", action="store_true", help="输出 JSON")
    importing.add_argument(
        "--skip-invalid", action="store_true", help="跳过有问题的行，只导入正确的（会列出跳过的行）"
    )
    importing.add_argument(
        "--map",
        type=_mapping,
        action="append",
        default=[],
        metavar="COLUMN=TARGET",
        help="改变一列的对应：列（字母、序号或表头）=问卷编号、填写人、填写日期、意见建议、“基地·项目”、"
        "“线路·总体满意度”，或 - 表示不导入",
    )
    exporting = each.add_parser("export", help="导出批次的问卷反馈（.xlsx），修改后可再导入")
    exporting.add_argument("batch", help="批次编号")
    exporting.add_argument("-o", "--output", type=Path, required=True)
    listing = each.add_parser("list", help="列出批次的问卷、回收率和各项平均分")
    listing.add_argument("batch", help="批次编号")
    listing.add_argument("--json", action="store_true", help="输出 JSON")
    questionnaire = print_sub.add_parser(
        "questionnaire", help="满意度调查表：每位团员一页（或按组打印若干份）"
    )
    questionnaire.add_argument("code", metavar="batch", help="批次编号，例如 L2021-0005")
    questionnaire.add_argument("-o", "--output", type=Path, required=True)
    questionnaire.add_argument(
        "--group", type=positive, metavar="N", help="打印 N 份不写姓名的调查表（按组填写）"
    )


def cmd_feedback(args: argparse.Namespace) -> int:
    if args.feedback_command == "import":
        return _import(args)
    if args.feedback_command == "export":
        return _export(args)
    return _list(args)


def _import(args: argparse.Namespace) -> int:
    from recuperation import messages
    from recuperation.errors import DomainError, RuleViolation
    from recuperation.feedback_cells import column_letter
    from recuperation.feedback_workbook import apply_feedback, plan_feedback

    with open_db(args) as db:
        try:
            plan = plan_feedback(db, args.batch, args.file, mapping=dict(args.map))
        except DomainError as exc:
            if args.json:
                print(json.dumps({"written": False, "refused": exc.message}, ensure_ascii=False, indent=2))
            raise
        report = plan.report()
        refusal = ""
        if plan.errors and not args.skip_invalid:
            refusal = messages.text(
                "feedback.import_refused",
                errors=len(plan.bad_rows),
                rows=", ".join(str(r) for r in plan.bad_rows[:10]),
                path=str(args.file),
                sheet=plan.layout.sheet,
            )
        result = None
        if not refusal and not args.dry_run:
            try:
                result = apply_feedback(db, plan, skip_invalid=args.skip_invalid)
            except RuleViolation as exc:
                refusal = exc.message
        report["written"] = result is not None
        if result is not None:
            report["skipped"] = list(result.skipped)
        if refusal:
            report["refused"] = refusal
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    else:
        kind = "错误" if messages.language() == "zh" else "error"
        for problem in plan.errors:
            print(f"{problem.row}\t{problem.column}\t{kind}\t{problem.message}")
        mapped = messages.join(
            [
                f"{column_letter(c)}={plan.shown(k)}"
                for k, c in sorted(plan.layout.columns.items(), key=lambda i: i[1])
            ]
        )
        err(
            messages.text(
                "feedback.import_columns",
                sheet=plan.layout.sheet,
                row=plan.layout.header_row + 1,
                columns=mapped,
            )
        )
        if plan.unmapped:
            err(
                messages.text(
                    "feedback.import_unmapped",
                    columns=messages.join(
                        [f"{column_letter(c)} {messages.shown(plan.headers[c], 30)}" for c in plan.unmapped]
                    ),
                )
            )
    err(plan.summary())
    if plan.count("other_batch"):
        err(
            messages.text(
                "feedback.import_other_batches", rows=plan.count("other_batch"), code=plan.batch_code
            )
        )
    if refusal:
        err(f"recuperation: {refusal}")
        return 1
    if result is None:
        err(messages.text("feedback.import_dry_run"))
    else:
        if result.skipped:
            err(messages.text("feedback.import_skipped", rows=", ".join(str(r) for r in result.skipped)))
        err(
            messages.text(
                "feedback.imported", code=plan.batch_code, added=result.added, changed=result.changed
            )
        )
    return 0


def _export(args: argparse.Namespace) -> int:
    from recuperation import messages
    from recuperation.feedback_export import export_feedback

    with open_db(args) as db:
        result = export_feedback(db, args.batch, args.output)
    err(messages.text("feedback.exported", code=args.batch.strip(), rows=result.rows, path=result.path))
    return 0


def _list(args: argparse.Namespace) -> int:
    """The rate, each column's mean (sum/count) and the questionnaires; numbers in comments masked."""
    from recuperation import messages
    from recuperation.people import mask_in_text
    from recuperation.services import feedback as service

    with open_db(args) as db:
        grid = service.batch_grid(db, service.find_batch_id(db, args.batch))
    if args.json:
        print(
            json.dumps(
                {
                    "batch": grid.code,
                    "responses": grid.rate.responses,
                    "people": grid.rate.people,
                    "basis": grid.rate.basis,
                    "rate": grid.rate.percent_text(),
                    "means": [
                        {
                            "target": t.shown(),
                            "key": t.key,
                            "total": grid.mean(t.key).total,
                            "count": grid.mean(t.key).count,
                            "mean": grid.mean(t.key).mean_text(),
                        }
                        for t in grid.targets
                    ],
                    "rows": [
                        {
                            "sheet_no": r.sheet_no,
                            "respondent": mask_in_text(r.respondent) or r.participant,
                            "answered_on": r.answered_on.isoformat() if r.answered_on else None,
                            "stars": {_shown(grid, k): v for k, v in r.stars.items()},
                            "comment": mask_in_text(r.comment),
                        }
                        for r in grid.rows
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(grid.rate.text())
    print("\t".join(messages.text("feedback.list.mean_columns").split("|")))
    for target in grid.targets:
        score = grid.mean(target.key)
        print(f"{target.shown()}\t{score.mean_text()}\t{score.total}/{score.count}")
    if grid.rows:
        print("\t".join(messages.text("feedback.list.row_columns").split("|")))
    for row in grid.rows:
        sheet = "" if row.sheet_no is None else str(row.sheet_no)
        print(
            f"{sheet}\t{mask_in_text(row.respondent) or row.participant}\t{len(row.stars)}\t{messages.shown(mask_in_text(row.comment), 40)}"
        )
    return 0


def _shown(grid: Any, key: str) -> str:
    target = grid.target(key)
    return target.shown() if target is not None else key


def cmd_print_questionnaire(args: argparse.Namespace) -> int:
    from recuperation import messages
    from recuperation.documents.feedback_docs import render_questionnaire

    with open_db(args) as db:
        result = render_questionnaire(db, args.code, args.output, group=args.group)
    for note in result.notes:
        err(note)
    err(messages.text("print.done", path=result.path))
    return 0
