"""The command line of the inspections against the standard's clauses: ``inspect BASE F.xlsx``, ``export checklist
BASE -o F.xlsx``, ``clauses list|load-default``.

Only argparse, the messages and the labels are imported here at start (the command line's rule: ``--help`` pays
for nothing else); each command imports what it uses.  Registered by :mod:`recuperation.cli`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recuperation import messages
from recuperation.cli_shared import err, open_db
from recuperation.labels import labels

if TYPE_CHECKING:
    pass


def _kind(value: str) -> str:
    """``--kind``: site_inspection, recheck, routine or their labels (实地考察, 复核, 日常检查)."""
    for language in ("zh", "en"):
        for code, word in labels("inspection_kind", language).items():
            if value.strip().lower() in (code, word.lower()):
                return code
    choices = "、".join(f"{code}（{word}）" for code, word in labels("inspection_kind", "zh").items())
    raise argparse.ArgumentTypeError(messages.text("inspection.cli.bad_kind", value=value, choices=choices))


def add_parsers(
    sub: Any,
    parser_class: type[argparse.ArgumentParser],
    date: Callable[[str], Any],
    positive: Callable[[str], int],
) -> None:
    """``inspect`` and ``clauses``, under the command line's subparsers ``sub``."""
    kinds = "、".join(f"{code}（{word}）" for code, word in labels("inspection_kind", "zh").items())
    inspect = sub.add_parser(
        "inspect",
        help="导入填好的实地考察检查表（Excel）：表中有考察编号则更新该次考察，否则新建一次考察",
        description="导入填好的实地考察检查表（Excel）：表中有考察编号则更新该次考察，否则新建一次考察。",
        epilog="新的一次考察从空白检查表开始：先用 export checklist BASE --kind KIND --date YYYY-MM-DD "
        "导出（例如 export checklist 寿昌宾馆 --kind recheck --date 2021-11-18），填好后再用 inspect BASE F.xlsx 导入。",
    )
    inspect.add_argument("base", help="基地名称")
    inspect.add_argument("file", type=Path)
    inspect.add_argument("--kind", type=_kind, metavar="KIND", help=f"考察类型（检查表没有写明时）：{kinds}")
    inspect.add_argument("--date", type=date, help="考察日期 YYYY-MM-DD（检查表没有写明时）")
    inspect.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    inspect.add_argument("--json", action="store_true", help="输出 JSON")

    clauses = sub.add_parser("clauses", help="实地考察的标准条款：列出、载入默认条款")
    clauses_sub = clauses.add_subparsers(dest="clauses_command", parser_class=parser_class, required=True)
    clauses_list = clauses_sub.add_parser("list", help="列出标准条款（按检查表顺序）")
    clauses_list.add_argument("--json", action="store_true", help="输出 JSON")
    clauses_sub.add_parser(
        "load-default",
        help="载入默认条款（DB3301/T 0374-2022，办公室自编编号）：只添加缺少的条款，已有的不改",
    )


def add_export_checklist(export_sub: Any, date: Callable[[str], Any], positive: Callable[[str], int]) -> None:
    """``export checklist BASE -o F.xlsx [--inspection ID]`` under ``export``."""
    kinds = "、".join(f"{code}（{word}）" for code, word in labels("inspection_kind", "zh").items())
    checklist = export_sub.add_parser(
        "checklist", help="基地的实地考察检查表（.xlsx）：空白表，或 --inspection 指定的已填考察"
    )
    checklist.add_argument("base", help="基地名称")
    checklist.add_argument("-o", "--output", type=Path, required=True)
    checklist.add_argument(
        "--inspection", type=positive, metavar="ID", help="已有考察的编号（inspect 的输出）"
    )
    checklist.add_argument("--kind", type=_kind, metavar="KIND", help=f"空白表的考察类型：{kinds}")
    checklist.add_argument("--date", type=date, help="空白表的考察日期 YYYY-MM-DD")


def _what(plan: Any, number: int | None) -> str:
    """The inspection a file is written to, as the summary names it."""
    from recuperation.labels import label

    header = plan.header
    said = (
        plan.base
        if header is None
        else f"{plan.base} {label('inspection_kind', header.kind)} {header.on_date.isoformat()}"
    )
    number = number or plan.inspection_id
    if number is None:
        return messages.text("inspection.cli.new", inspection=said)
    return messages.text("inspection.cli.existing", number=number, inspection=said)


def cmd_inspect(args: argparse.Namespace) -> int:
    """``inspect BASE F.xlsx``: the filled checklist, all of it or nothing."""
    from recuperation.errors import DomainError
    from recuperation.inspection_workbook import apply_checklist, plan_checklist

    written_id: int | None = None
    with open_db(args, dry_run=args.dry_run) as db:
        plan = plan_checklist(db, args.base, args.file, kind=args.kind, on_date=args.date)
        report = plan.report()
        refusal = messages.text("inspection.file.refused", errors=len(plan.errors)) if plan.errors else ""
        if not refusal and not args.dry_run and plan.status != "unchanged":
            try:
                written_id = apply_checklist(db, plan).inspection_id
            except DomainError as exc:
                refusal = exc.message
        report["written"] = not refusal and not args.dry_run and plan.status != "unchanged"
        if written_id is not None:
            report["inspection"] = written_id
        if refusal:
            report["refused"] = refusal
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for problem in plan.errors:
            print(f"{problem.sheet}\t{problem.row}\t{problem.column}\t{problem.message}")
    if refusal:
        err(refusal)
        return 1
    counts = plan.counts()
    key = "inspection.cli.dry_run" if args.dry_run else "inspection.cli.done"
    if not args.dry_run and plan.status == "unchanged":
        key = "inspection.cli.unchanged"
    err(
        messages.text(
            key,
            what=_what(plan, written_id),
            rows=len(plan.items),
            changed=plan.changed,
            unchanged=plan.unchanged,
            met=counts["met"],
            not_met=counts["not_met"],
            na=counts["na"],
        )
    )
    return 0


def _clause_json(clause: Any) -> dict[str, object]:
    return {
        "id": clause.id,
        "standard": clause.standard,
        "code": clause.code,
        "element": clause.element,
        "strength": clause.strength,
        "requirement": clause.requirement,
        "position": clause.position,
        "active": clause.active,
        "used": clause.used,
    }


def cmd_clauses(args: argparse.Namespace) -> int:
    from recuperation.labels import label
    from recuperation.services import inspections

    with open_db(args) as db:
        if args.clauses_command == "load-default":
            result = inspections.load_default_clauses(db)
            err(messages.text("clause.loaded", added=result.added, kept=result.kept, total=result.total))
            return 0
        clauses = inspections.list_clauses(db)
    if args.json:
        print(json.dumps([_clause_json(c) for c in clauses], ensure_ascii=False, indent=2))
        return 0
    print("\t".join(messages.text("clause.columns").split("|")))
    yes, no = messages.text("inspection.cli.yes"), messages.text("inspection.cli.no")
    for clause in clauses:
        print(
            "\t".join(
                (
                    clause.standard,
                    clause.code,
                    label("element", clause.element),
                    label("strength", clause.strength),
                    yes if clause.active else no,
                    clause.requirement.replace("\n", " "),
                )
            )
        )
    err(messages.text("clause.listed", count=len(clauses), active=sum(1 for c in clauses if c.active)))
    return 0


def cmd_export_checklist(args: argparse.Namespace) -> int:
    from recuperation.inspection_workbook import export_checklist

    with open_db(args) as db:
        result = export_checklist(
            db, args.base, args.output, inspection_id=args.inspection, kind=args.kind or "", on_date=args.date
        )
    key = "inspection.cli.exported" if result.inspection_id is not None else "inspection.cli.exported_blank"
    err(
        messages.text(
            key, base=args.base.strip(), rows=result.rows, number=result.inspection_id or 0, path=result.path
        )
    )
    return 0
