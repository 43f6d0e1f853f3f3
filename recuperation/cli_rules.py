"""The command line of the spending rules and of insurance: ``rules list|export|import`` and
``export insurance BATCH -o F.xlsx``.

Only argparse and the messages are imported here at start (the command line's rule: ``--help`` pays for
nothing else); each command imports what it uses.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recuperation import messages
from recuperation.cli_shared import err, open_db, require_pin, run_import

if TYPE_CHECKING:
    pass


def add_rules_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """``rules`` and its subcommands, under the command line's subparsers ``sub``."""
    rules_cmd = sub.add_parser("rules", help="开支标准：列出、导出、导入（Excel）")
    rules_sub = rules_cmd.add_subparsers(dest="rules_command", parser_class=parser_class, required=True)
    rules_list = rules_sub.add_parser("list", help="列出开支标准及其规则")
    rules_list.add_argument("--json", action="store_true", help="输出 JSON")
    rules_export = rules_sub.add_parser("export", help="导出开支标准（.xlsx），修改后可再导入")
    rules_export.add_argument("-o", "--output", type=Path, required=True)
    rules_import = rules_sub.add_parser("import", help="导入开支标准（有错误时不写入任何数据）")
    rules_import.add_argument("file", type=Path)
    rules_import.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    rules_import.add_argument("--json", action="store_true", help="输出 JSON")


def add_export_insurance(export_sub: Any) -> None:
    """``export insurance BATCH -o F.xlsx`` under ``export``."""
    insurance = export_sub.add_parser("insurance", help="保险公司的被保险人名单（完整证件号，记入审计日志）")
    insurance.add_argument("batch", help="批次编号")
    insurance.add_argument("-o", "--output", type=Path, required=True)


def _pack_json(pack: Any) -> dict[str, object]:
    return {
        "id": pack.id,
        "name": pack.name,
        "notes": pack.notes,
        "partners": list(pack.partners),
        "rules": [
            {
                "kind": r.kind,
                "amount": r.amount,
                "unit": "days" if r.kind == "max_days" else "fen",
                "mode": r.mode,
                "valid_from": r.valid_from.isoformat() if r.valid_from else None,
                "valid_to": r.valid_to.isoformat() if r.valid_to else None,
                "source": r.source,
                "notes": r.notes,
            }
            for r in pack.rules
        ],
    }


def cmd_rules(args: argparse.Namespace) -> int:
    from recuperation.labels import label
    from recuperation.services import spending

    if args.rules_command == "list":
        with open_db(args) as db:
            packs = spending.list_packs(db)
        if args.json:
            print(json.dumps([_pack_json(p) for p in packs], ensure_ascii=False, indent=2))
            return 0
        for pack in packs:
            print(f"{pack.name}\t{messages.join(list(pack.partners)) or '—'}")
            for rule in pack.rules:
                print(
                    "\t"
                    + "\t".join(
                        (
                            label("rule_kind", rule.kind),
                            spending.amount_text(rule.kind, rule.amount),
                            label("rule_mode", rule.mode),
                            spending.validity_text(rule.valid_from, rule.valid_to),
                            rule.source,
                        )
                    )
                )
        return 0
    from recuperation.rules_workbook import apply_rules, export_rules, plan_rules

    if args.rules_command == "export":
        with open_db(args) as db:
            made = export_rules(db, args.output)
        err(messages.text("rules.exported", packs=made.packs, rules=made.rules, path=made.path))
        return 0
    with open_db(args, dry_run=args.dry_run) as db:
        return run_import(
            args,
            lambda: plan_rules(db, args.file),
            lambda plan: apply_rules(db, plan),  # type: ignore[arg-type]
            lambda errors: messages.text("rules.refused", errors=errors),
            lambda report, errors: messages.text(
                "rules.dry_run" if args.dry_run else "rules.done",
                rules=report["rules"],
                new=report["new"],
                changed=report["changed"],
                unchanged=report["unchanged"],
                errors=errors,
            ),
        )


def cmd_export_insurance(args: argparse.Namespace) -> int:
    from recuperation.services.insurance import export_insurance

    with open_db(args) as db:
        require_pin(db)  # the insurer's list has full ID numbers
        result = export_insurance(db, args.batch, args.output)
    err(messages.text("insurance.exported", code=args.batch.strip(), rows=result.rows, path=result.path))
    return 0
