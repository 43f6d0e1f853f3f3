"""``recuperation incident``: incidents (事件) on the command line.

    incident add [BATCH] [--base BASE] --kind K --severity S --date D --summary TEXT [--details TEXT]
                 [--person ID_OR_NAME …] [--others TEXT] [--action TEXT] [--outcome TEXT]
                 [--follow-up TEXT --due D] [--reported-by NAME] [--json]
    incident list [--year Y] [--batch B] [--base B] [--kind K] [--severity S] [--open] [--json]
    incident close ID [--outcome TEXT] [--date D] [--json]
    incident reopen ID --reason TEXT [--json]
    incident delete ID --reason TEXT

Kinds and severities are read as their codes (injury, serious) or their labels (受伤, 严重; Injury, Serious).  A
person is a participant of the batch named by a full ID number, its last four or more characters, or a name on
the roster.  People are printed masked (name and masked ID number), and numbers typed into the free texts are
masked in the output.  A refusal names the field and what to do, nothing is written, and the exit status is 1
(2 for a usage error).

Only argparse, the messages and the labels are imported until a command's arguments are read (the command
line's start-up, docs/architecture.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from recuperation import messages
from recuperation.cli_shared import err, open_db
from recuperation.labels import label, labels

if TYPE_CHECKING:
    from recuperation.services.incidents import IncidentRow


def read_code(enumeration: str, text: str) -> str | None:
    """A kind or a severity as typed: its code, or its Chinese or English label (any case); None if none."""
    typed = " ".join(str(text).split()).lower()
    for code in labels(enumeration, "zh"):
        if typed in (code, label(enumeration, code, "zh").lower(), label(enumeration, code, "en").lower()):
            return code
    return None


def _choices(enumeration: str) -> str:
    """The codes with their labels in the messages' language: injury（受伤）、illness（疾病）… or injury (Injury), …"""
    if messages.language() == "en":
        return ", ".join(f"{code} ({name})" for code, name in labels(enumeration, "en").items())
    return "、".join(f"{code}（{name}）" for code, name in labels(enumeration, "zh").items())


def _kind(value: str) -> str:
    found = read_code("incident_kind", value)
    if found is None:
        raise argparse.ArgumentTypeError(
            messages.text("incident.bad_kind", value=value, choices=_choices("incident_kind"))
        )
    return found


def _severity(value: str) -> str:
    found = read_code("severity", value)
    if found is None:
        raise argparse.ArgumentTypeError(
            messages.text("incident.bad_severity", value=value, choices=_choices("severity"))
        )
    return found


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, TypeError):
        raise argparse.ArgumentTypeError(messages.text("cli.bad_date", value=value)) from None


def _year(value: str) -> int:
    text = value.strip()
    if not (text.isdecimal() and len(text) == 4 and 2000 <= int(text) <= 2100):
        raise argparse.ArgumentTypeError(messages.text("cli.bad_year", value=value))
    return int(text)


def _number(value: str) -> int:
    text = value.strip().lstrip("#")
    if not (text.isdecimal() and len(text) <= 9 and int(text) >= 1):
        raise argparse.ArgumentTypeError(messages.text("cli.bad_int", value=value))
    return int(text)


_kind.__name__ = "incident kind"
_severity.__name__ = "severity"
_day.__name__ = "date"
_year.__name__ = "year"
_number.__name__ = "incident number"


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """The ``incident`` command and its subcommands, on the command line's subparsers."""
    incident = sub.add_parser("incident", help="事件：受伤、疾病、投诉、物品遗失、交通延误……登记、列出、结案")
    commands = incident.add_subparsers(dest="incident_command", parser_class=parser_class, required=True)
    kinds = "、".join(f"{c}（{z}）" for c, z in labels("incident_kind", "zh").items())
    severities = "、".join(f"{c}（{z}）" for c, z in labels("severity", "zh").items())
    add = commands.add_parser("add", help="登记事件（批次和/或基地）")
    add.add_argument("batch", nargs="?", help="批次编号，例如 L2021-0005（只涉及基地时可省略，用 --base）")
    add.add_argument("--base", help="基地名称（与批次同时给出时须是批次去过的基地）")
    add.add_argument("--kind", type=_kind, required=True, help=f"类型：{kinds}")
    add.add_argument("--severity", type=_severity, required=True, help=f"严重程度：{severities}")
    add.add_argument("--date", type=_day, required=True, help="发生日期 YYYY-MM-DD")
    add.add_argument("--summary", required=True, help="事件概要（一行）")
    add.add_argument("--details", default="", help="经过")
    add.add_argument(
        "--person",
        action="append",
        default=[],
        metavar="ID_OR_NAME",
        help="涉及的团员：身份证号（或其后四位以上）或名单上的姓名（可多次）",
    )
    add.add_argument("--others", default="", help="其他涉及人员（不在名单上的人，照写）")
    add.add_argument("--action", default="", help="处置")
    add.add_argument("--outcome", default="", help="结果")
    add.add_argument("--follow-up", dest="follow_up", default="", help="后续跟进")
    add.add_argument("--due", type=_day, help="跟进期限 YYYY-MM-DD（须同时写 --follow-up）")
    add.add_argument("--reported-by", dest="reported_by", help="报告人（默认本机用户）")
    add.add_argument("--json", action="store_true", help="以 JSON 输出登记的事件")
    listing = commands.add_parser("list", help="列出事件（最新的在前），涉及人员脱敏显示")
    listing.add_argument("--year", type=_year, help="发生日期在这一年的事件")
    listing.add_argument(
        "batch_code", nargs="?", metavar="BATCH", help="批次编号（与 incident add 一样写在前面）"
    )
    listing.add_argument("--batch", help="批次编号")
    listing.add_argument("--base", help="基地名称")
    listing.add_argument("--kind", type=_kind, help="类型")
    listing.add_argument("--severity", type=_severity, help="严重程度")
    listing.add_argument("--open", action="store_true", help="只列未结案的")
    listing.add_argument("--json", action="store_true", help="输出 JSON")
    close = commands.add_parser("close", help="结案：写明结果（已填写过结果的可省略 --outcome）")
    close.add_argument("id", type=_number, metavar="ID", help="事件编号（incident list 的第一列）")
    close.add_argument("--outcome", help="结果（替换已填写的结果）")
    close.add_argument("--date", type=_day, help="结案日期 YYYY-MM-DD（默认今天）")
    close.add_argument("--json", action="store_true", help="以 JSON 输出结案后的事件")
    reopen = commands.add_parser("reopen", help="重新打开已结案的事件（写明原因，记入历史）")
    reopen.add_argument("id", type=_number, metavar="ID", help="事件编号")
    reopen.add_argument("--reason", required=True, help="重新打开的原因")
    reopen.add_argument("--json", action="store_true", help="以 JSON 输出重新打开后的事件")
    delete = commands.add_parser("delete", help="删除误登记的事件：只限未结案、由登记人删除，写明原因")
    delete.add_argument("id", type=_number, metavar="ID", help="事件编号")
    delete.add_argument("--reason", required=True, help="删除的原因（记入审计日志）")


def cmd_incident(args: argparse.Namespace) -> int:
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "add": _add,
        "list": _list,
        "close": _close,
        "reopen": _reopen,
        "delete": _delete,
    }
    return commands[args.incident_command](args)


def _said(key: str, row: IncidentRow, day: dt.date | None = None) -> str:
    from recuperation.people import mask_in_text

    return messages.text(
        key,
        id=row.id,
        where=row.where,
        day=(day or row.occurred_on).isoformat(),
        kind=label("incident_kind", row.kind),
        severity=label("severity", row.severity),
        summary=messages.shown(mask_in_text(row.summary)),
    )


def _print_json(row: IncidentRow) -> None:
    print(json.dumps(row.to_json(), ensure_ascii=False, indent=2))


def _add(args: argparse.Namespace) -> int:
    from recuperation.errors import ValidationError
    from recuperation.services import incidents as service

    with open_db(args) as db:
        batch_id = service.find_batch_id(db, args.batch) if args.batch else None
        base_id = service.find_base_id(db, args.base) if args.base else None
        if args.person and batch_id is None:
            raise ValidationError("incident.people_without_batch", field="participants", record="incident")
        people = (
            service.find_people(db, batch_id, args.person) if batch_id is not None and args.person else ()
        )
        row = service.record_incident(
            db,
            service.IncidentInput(
                occurred_on=args.date,
                kind=args.kind,
                severity=args.severity,
                summary=args.summary,
                batch_id=batch_id,
                base_id=base_id,
                details=args.details,
                participant_ids=people,
                others=args.others,
                action_taken=args.action,
                outcome=args.outcome,
                follow_up=args.follow_up,
                follow_up_due=args.due,
                reported_by=args.reported_by,
            ),
        )
    if args.json:
        _print_json(row)
    err(_said("incident.recorded", row))
    return 0


def _list(args: argparse.Namespace) -> int:
    from recuperation.people import mask_in_text
    from recuperation.services import incidents as service

    with open_db(args) as db:
        rows = service.list_incidents(
            db,
            year=args.year,
            batch_id=service.find_batch_id(db, batch) if (batch := args.batch_code or args.batch) else None,
            base_id=service.find_base_id(db, args.base) if args.base else None,
            kind=args.kind,
            severity=args.severity,
            open_only=args.open,
        )
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
    else:
        print("\t".join(messages.text("incident.columns").split("|")))
        for r in rows:
            print(
                "\t".join(
                    [
                        str(r.id),
                        r.occurred_on.isoformat(),
                        r.batch_code or "-",
                        r.base or "-",
                        label("incident_kind", r.kind),
                        label("severity", r.severity),
                        messages.text("incident.state.open" if r.open else "incident.state.closed"),
                        messages.printable(mask_in_text(r.summary)),
                        r.people_text or "-",
                        r.follow_up_due.isoformat() if r.follow_up_due and r.open else "-",
                    ]
                )
            )
    err(
        messages.text(
            "incident.listed",
            count=len(rows),
            open=sum(1 for r in rows if r.open),
            serious=sum(1 for r in rows if r.open and r.serious),
        )
    )
    return 0


def _close(args: argparse.Namespace) -> int:
    from recuperation.services import incidents as service

    with open_db(args) as db:
        found = service.get_incident(db, args.id)
        row = service.close_incident(db, found.id, found.version, outcome=args.outcome, on=args.date)
    if args.json:
        _print_json(row)
    err(_said("incident.closed", row, day=row.closed_on))
    return 0


def _reopen(args: argparse.Namespace) -> int:
    from recuperation.services import incidents as service

    with open_db(args) as db:
        found = service.get_incident(db, args.id)
        row = service.reopen_incident(db, found.id, found.version, args.reason)
    if args.json:
        _print_json(row)
    err(_said("incident.reopened", row))
    return 0


def _delete(args: argparse.Namespace) -> int:
    from recuperation.services import incidents as service

    with open_db(args) as db:
        found = service.get_incident(db, args.id)
        service.delete_incident(db, found.id, found.version, args.reason)
    err(_said("incident.deleted", found))
    return 0
