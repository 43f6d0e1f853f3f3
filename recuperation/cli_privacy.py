"""``recuperation privacy``: people's personal data kept no longer than the retention policy says.

    privacy status [--json]
    privacy purge --before DATE [--dry-run] [--json] [--yes]

``status`` prints the policy (years after a batch ends), today's latest date for a purge, the people due at it
by year and those anonymised already.  ``purge`` anonymises the people of the batches that ended before DATE
(:mod:`recuperation.services.privacy` says what each becomes; every statistic stays the same).  Before it
starts it says that this cannot be undone except from a backup, and where the backups that still hold the data
are, and on a terminal asks to go on (``--yes`` does not ask; a script is never asked); ``--dry-run`` prints
what it would do and changes nothing.  A DATE later than the policy allows today is
refused naming both dates; only an administrator (管理员) may purge.  Results go to standard output (``--json``:
one object), the warnings to standard error.

Only argparse and the messages are imported until a command's arguments are read (the command line's
start-up, docs/architecture.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recuperation import messages
from recuperation.cli_shared import err, open_db

if TYPE_CHECKING:
    from recuperation.services.privacy import PurgePlan, YearCount
    from recuperation.storage.database import Database


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, TypeError):
        raise argparse.ArgumentTypeError(messages.text("cli.bad_date", value=value)) from None


_day.__name__ = "date"


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """The ``privacy`` command and its subcommands, on the command line's subparsers."""
    privacy = sub.add_parser("privacy", help="个人信息保存期限：查看到期的人，到期后匿名化（不可撤销）")
    commands = privacy.add_subparsers(dest="privacy_command", parser_class=parser_class, required=True)
    status = commands.add_parser("status", help="保存期限、今天最晚可匿名化的日期、到期和已匿名化的人数")
    status.add_argument("--json", action="store_true", help="输出 JSON")
    purge = commands.add_parser(
        "purge",
        help="匿名化某日期前结束的批次的团员个人信息（统计不变；不可撤销，只能从之前的备份恢复）",
    )
    purge.add_argument(
        "--before",
        type=_day,
        required=True,
        metavar="DATE",
        help="匿名化在这一天之前结束（离开）的批次，YYYY-MM-DD；不能晚于保存期限允许的日期（privacy status）",
    )
    purge.add_argument("--dry-run", action="store_true", help="只列出将匿名化的批次和人数，不改动任何数据")
    purge.add_argument("--json", action="store_true", help="以 JSON 输出计划或结果")
    purge.add_argument("--yes", action="store_true", help="在终端运行时不再询问是否继续（脚本中从不询问）")


def cmd_privacy(args: argparse.Namespace) -> int:
    if args.privacy_command == "status":
        return _status(args)
    return _purge(args)


def _year_lines(years: tuple[YearCount, ...]) -> list[str]:
    return [
        messages.text("privacy.year_line", year=y.year, batches=y.batches, people=y.people) for y in years
    ]


def _policy_line(plan: PurgePlan) -> str:
    return messages.text(
        "privacy.policy",
        years=plan.retention_years,
        today=plan.today.isoformat(),
        cutoff=plan.cutoff.isoformat(),
    )


def _plan_lines(plan: PurgePlan) -> list[str]:
    if not plan.batches:
        return [messages.text("privacy.nothing", before=plan.before.isoformat())]
    return [
        messages.text(
            "privacy.plan", before=plan.before.isoformat(), batches=len(plan.batches), people=plan.people
        ),
        *_year_lines(plan.years),
    ]


def _status(args: argparse.Namespace) -> int:
    from recuperation.services.privacy import privacy_status

    with open_db(args) as db:
        status = privacy_status(db)
    if args.json:
        print(json.dumps(status.to_json(), ensure_ascii=False, indent=2))
        return 0
    lines = [_policy_line(status.due), *_plan_lines(status.due)]
    if status.anonymised:
        lines += [messages.text("privacy.anonymised"), *_year_lines(status.anonymised)]
        if status.last_anonymised_on is not None:
            lines.append(messages.text("privacy.last", day=status.last_anonymised_on.isoformat()))
    else:
        lines.append(messages.text("privacy.none_anonymised"))
    print("\n".join(lines))
    return 0


def _warn(db: Database, *, dry_run: bool = False) -> None:
    """What the administrator must know before the purge starts: it cannot be undone, except from a backup,
    and the backups keep the data (a dry run says how to keep a way back)."""
    from recuperation.services.privacy import backups_note

    err(messages.text("privacy.irreversible"))
    err(backups_note(db))
    if dry_run and db.path is not None:
        err(messages.text("privacy.backup_first", db=Path(db.path)))


def _confirmed(args: argparse.Namespace) -> bool:
    """On a terminal the administrator confirms (unless ``--yes``); a script is not asked."""
    import sys

    if args.yes or not sys.stdin.isatty():
        return True
    try:
        answer = input(messages.text("privacy.confirm"))
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes", "是")


def _purge(args: argparse.Namespace) -> int:
    from recuperation.errors import AccessDenied
    from recuperation.services.privacy import purge, purge_plan

    with open_db(args, dry_run=args.dry_run) as db:
        plan = purge_plan(db, args.before)  # a date later than the policy allows is refused here
        if args.dry_run:
            if args.json:
                print(json.dumps({**plan.to_json(), "written": False}, ensure_ascii=False, indent=2))
            else:
                print("\n".join([_policy_line(plan), *_plan_lines(plan)]))
            if plan.batches:
                _warn(db, dry_run=True)
            err(messages.text("privacy.dry_run"))
            return 0
        if not db.access.can("settings"):
            raise AccessDenied("privacy.denied", why=db.access.why_not("settings"))
        if plan.batches:
            _warn(db)
            if not _confirmed(args):
                err(messages.text("privacy.cancelled"))
                return 1
        result = purge(db, args.before)
    if args.json:
        print(
            json.dumps(
                {**result.to_json(), "written": bool(result.plan.batches)}, ensure_ascii=False, indent=2
            )
        )
        return 0
    print("\n".join([_policy_line(result.plan), *_plan_lines(result.plan)]))
    if result.plan.batches:
        err(
            messages.text(
                "privacy.done",
                batches=result.batches,
                people=result.people,
                before=result.plan.before.isoformat(),
                records=sum(result.records.values()),
            )
        )
    return 0
