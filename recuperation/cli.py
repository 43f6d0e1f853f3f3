"""The command line: thin commands over the services.

Exit status: 0 success, 1 input or data refused (and then nothing was written), 2 usage error;
``alerts`` exits 3 when it found severe alerts (:data:`EXIT_SEVERE`), so a daily check tells them from an error.
Messages go to stderr, in Chinese unless ``--lang en`` or ``RECUPERATION_LANG=en``; results to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from recuperation import messages
from recuperation.cli_settle import add_settle, cmd_settle  # argparse, messages and money only
from recuperation.cli_shared import err, open_db  # argparse and errors only
from recuperation.errors import DomainError, RuleViolation

if TYPE_CHECKING:
    from recuperation.services.batch.rosters import ParticipantInput
    from recuperation.storage.database import Database

# Only argparse and the messages are imported before the arguments are parsed: ``--help`` and a usage error
# pay for nothing else, and each command imports what it uses (docs/architecture.md, *Start-up*).

log = logging.getLogger("recuperation")

PAGES = ("dashboard", "agreements", "bases", "routes", "batches", "planner", "statistics", "settings")


#: ``recuperation alerts``: it ran and found severe alerts (not 1, an error, nor 2, bad usage).
EXIT_SEVERE = 3


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line, in the user's language, with exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


# The type= functions of the options.  Each refuses what it cannot read with its own message (argparse
# would otherwise say "invalid _size value" for a ValueError it catches); their __name__ is what argparse
# names them should anything else escape.


def _whole(text: str) -> int | None:
    """A whole number of at most 9 digits (full-width digits too), or None: never int()'s ValueError on
    “²” (a digit to str.isdigit) or on 5,000 digits."""
    text = text.strip()
    return int(text) if text.isdecimal() and len(text) <= 9 else None


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, TypeError):
        raise argparse.ArgumentTypeError(messages.text("cli.bad_date", value=value)) from None


def _year(value: str) -> int:
    year = _whole(value)
    if year is None or not 2000 <= year <= 2100:
        raise argparse.ArgumentTypeError(messages.text("cli.bad_year", value=value))
    return year


def _positive(value: str) -> int:
    number = _whole(value)
    if number is None or number < 1:
        raise argparse.ArgumentTypeError(messages.text("cli.bad_int", value=value))
    return number


SCREEN_SIZE = (1366, 768)  # the office screen the window is made to fit
SIZE_LIMITS = ((640, 7680), (480, 4320))


def _size(value: str) -> tuple[int, int]:
    """``1366x768`` (also ``1366×768``) as (width, height), within sizes a screen has."""
    (low_w, high_w), (low_h, high_h) = SIZE_LIMITS
    parts = [_whole(p) for p in value.strip().lower().replace("×", "x").replace("ｘ", "x").split("x")]
    if len(parts) == 2:
        width, height = parts
        if (
            width is not None
            and height is not None
            and low_w <= width <= high_w
            and low_h <= height <= high_h
        ):
            return width, height
    raise argparse.ArgumentTypeError(
        messages.text(
            "cli.bad_size",
            value=value,
            min_width=low_w,
            max_width=high_w,
            min_height=low_h,
            max_height=high_h,
        )
    )


#: ``orders list --status``: the derived states (services.orders: the stored ones, changed, withdrawn).
ORDER_STATES = ("draft", "sent", "confirmed", "amended", "declined", "changed", "withdrawn", "cancel_sent")
#: ``order mark``: what can be recorded; ``--how``: how an order was sent (models.SentHow).
ORDER_MARKS = ("sent", "confirmed", "amended", "declined", "cancel_sent")
SENT_HOWS = ("printed", "pdf", "workbook", "email")


def _one_of(key: str, choices: tuple[str, ...]) -> Callable[[str], str]:
    def read(value: str) -> str:
        word = value.strip().lower()
        if word not in choices:
            raise argparse.ArgumentTypeError(messages.text(key, value=value, choices=", ".join(choices)))
        return word

    return read


_order_state = _one_of("cli.bad_order_state", ORDER_STATES)
_order_mark = _one_of("cli.bad_order_mark", ORDER_MARKS)
_sent_how = _one_of("cli.bad_sent_how", SENT_HOWS)
_order_state.__name__ = "order state"
_order_mark.__name__ = "order answer"
_sent_how.__name__ = "how sent"
_date.__name__ = "date"
_year.__name__ = "year"
_positive.__name__ = "positive whole number"
_size.__name__ = "window size"


def _person_id(value: str) -> str:
    """An ID number or its last four or more digits, as typed (spaces dropped, x read as X)."""
    text = "".join(value.split()).upper()
    if len(text) < 4 or len(text) > 18 or not all(c.isdigit() or c == "X" for c in text):
        raise argparse.ArgumentTypeError(messages.text("cli.bad_person_id", value=value))
    return text


def _yes_no(value: str) -> bool:
    word = value.strip().lower()
    if word in ("yes", "y", "是"):
        return True
    if word in ("no", "n", "否"):
        return False
    raise argparse.ArgumentTypeError(messages.text("cli.yes_no", value=value))


_person_id.__name__ = "ID number"
_yes_no.__name__ = "yes or no"


class _Version(argparse.Action):
    """``--version``: the installed version, looked up only when asked for (reading package metadata costs
    a start-up that does not need it)."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> None:
        from recuperation import __version__

        print(f"recuperation {__version__}")  # on stdout, as argparse's own version action does
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="recuperation", description="职工疗休养工作台 Recuperation Desk")
    parser.add_argument("--db", help="数据库文件或 SQLAlchemy URL（默认：用户数据目录中的 recuperation.db）")
    parser.add_argument("--lang", choices=("zh", "en"), help="消息语言 / language of messages")
    parser.add_argument("--version", action=_Version, nargs=0, help="显示版本号并退出 / show the version")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    gui = sub.add_parser("gui", help="启动桌面程序")
    gui.add_argument("--page", choices=PAGES, help="打开的页面")
    gui.add_argument("--screenshot", type=Path, help="保存窗口截图（PNG）后退出")
    gui.add_argument(
        "--size",
        type=_size,
        default=None,
        metavar="WxH",
        help="截图时的窗口大小（像素，默认 1366x768）；窗口缩不到这么小时报错",
    )
    gui.add_argument(
        "--exit-when-shown", action="store_true", help="数据显示后打印 shown 并退出（测量启动时间用）"
    )

    demo = sub.add_parser("demo", help="写入演示数据（2021 年起）")
    demo.add_argument("--years", type=_positive, default=1, help="年数（默认 1）")

    stats = sub.add_parser("stats", help="年度统计")
    stats.add_argument("--year", type=_year, required=True)
    stats.add_argument("--until", type=_date, help="统计截止日期 YYYY-MM-DD")
    stats.add_argument("--json", action="store_true", help="输出 JSON")
    stats.add_argument(
        "--money", action="store_true", help="同时输出费用：每人天费用、已付与未付（JSON 中在 money 键下）"
    )

    backup = sub.add_parser("backup", help="备份数据库（程序运行时也能得到一致的副本）")
    backup.add_argument("-o", "--output", type=Path, required=True)

    rest = sub.add_parser("restore", help="从备份恢复（先保留当前数据库的副本）")
    rest.add_argument("file", type=Path)

    sub.add_parser("check", help="检查数据库完整性与各项规则")

    alerts = sub.add_parser(
        "alerts",
        help="需要关注的事项（与总览相同），可每天定时检查",
        description="需要关注的事项（与总览相同），可每天定时检查。"
        f"退出状态：0 没有严重事项，{EXIT_SEVERE} 有严重事项（以 ! 标出），1 出错（如无法打开数据库），2 用法错误。",
    )
    alerts.add_argument("--date", type=_date, help="以哪一天为准 YYYY-MM-DD（默认今天）")
    alerts.add_argument("--json", action="store_true", help="输出 JSON")

    copy_to = sub.add_parser(
        "copy-to",
        help="把 --db 的全部数据复制到一个空数据库（例如 PostgreSQL 服务器），并逐表核对行数和校验和",
    )
    copy_to.add_argument("target", help="目标：postgresql+psycopg://用户@主机:端口/库名，或 SQLite 文件")
    copy_to.add_argument("--json", action="store_true", help="以 JSON 输出每张表的核对结果")

    roster = sub.add_parser("roster", help="名单")
    roster_sub = roster.add_subparsers(dest="roster_command", parser_class=_Parser, required=True)
    roster_import = roster_sub.add_parser("import", help="导入合作单位发来的名单（Excel 或 CSV）")
    roster_import.add_argument("batch", help="批次编号，例如 L2021-0001")
    roster_import.add_argument("file", type=Path)
    roster_import.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    roster_import.add_argument("--skip-invalid", action="store_true", help="跳过有错误的行，只导入正确的行")
    roster_import.add_argument(
        "--allow-removals",
        action="store_true",
        help="允许从名单中删除文件里没有的人（须同时用 --reason 写明原因）",
    )
    roster_import.add_argument(
        "--reason",
        default="",
        help="人员调整的原因（删除人员、修改已完成或已取消批次的名单时必填，记入批次历史）",
    )
    roster_import.add_argument("--json", action="store_true")
    roster_export = roster_sub.add_parser("export", help="导出批次名单（.xlsx）")
    roster_export.add_argument("batch")
    roster_export.add_argument("-o", "--output", type=Path, required=True)
    roster_export.add_argument("--full-ids", action="store_true", help="完整身份证号和手机号（记入审计日志）")
    roster_substitute = roster_sub.add_parser(
        "substitute", help="换人：新人替换名单上的一个人（记入名单历史）"
    )
    roster_substitute.add_argument("batch", help="批次编号")
    roster_substitute.add_argument(
        "old", type=_person_id, metavar="OLD_ID", help="被替换者的身份证号或其后四位以上"
    )
    roster_substitute.add_argument(
        "new", metavar="NEW_FILE_OR_ID", help="新人的身份证号（须同时用 --name），或只有一人的名单文件"
    )
    roster_substitute.add_argument("--name", default="", help="新人的姓名（用身份证号替换时）")
    roster_substitute.add_argument("--reason", required=True, help="换人的原因（记入名单历史）")
    roster_move = roster_sub.add_parser("move", help="把名单上的人转到同一合作单位的另一个批次")
    roster_move.add_argument("batch", help="现在的批次编号")
    roster_move.add_argument("target", help="转入的批次编号")
    roster_move.add_argument("ids", type=_person_id, nargs="+", metavar="ID", help="身份证号或其后四位以上")
    roster_move.add_argument("--reason", required=True, help="转批次的原因（记入两个批次的名单历史）")
    roster_companion = roster_sub.add_parser("companion", help="标记或取消随行家属（自费，不计人次人天）")
    roster_companion.add_argument("batch", help="批次编号")
    roster_companion.add_argument("id", type=_person_id, metavar="ID", help="身份证号或其后四位以上")
    roster_companion.add_argument("companion", type=_yes_no, metavar="yes|no")
    roster_request = roster_sub.add_parser(
        "request", help="生成名单报送表（.xlsx）：发给合作单位填写，填好后可直接导入；每个批次一个工作表"
    )
    roster_request.add_argument("batches", nargs="+", metavar="batch", help="批次编号，可写多个")
    roster_request.add_argument("-o", "--output", type=Path, required=True, help="文件或文件夹")

    register_import = sub.add_parser(
        "import", help="导入现有的登记表：基地、合作单位与协议、线路、批次（Excel 或 CSV）"
    )
    register_import.add_argument("register", choices=("bases", "partners", "routes", "batches"))
    register_import.add_argument("file", type=Path)
    register_import.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    register_import.add_argument("--skip-invalid", action="store_true", help="跳过有错误的记录，只导入正确的")
    register_import.add_argument(
        "--allow-removals",
        action="store_true",
        help="批次登记表所附名单：允许删除名单工作表里没有的人（须同时用 --reason 写明原因）",
    )
    register_import.add_argument("--reason", default="", help="名单人员调整的原因（记入批次历史）")
    register_import.add_argument("--json", action="store_true")

    template = sub.add_parser("template", help="保存登记表或名单的 Excel 模板")
    template.add_argument("register", choices=("bases", "partners", "routes", "batches", "roster"))
    template.add_argument("-o", "--output", type=Path, required=True)
    template.add_argument(
        "--with-data", action="store_true", help="填入现有记录：在 Excel 中修改后再导入，只应用改动"
    )

    printing = sub.add_parser(
        "print", help="生成 PDF：行程单、名单、分房表、线路介绍、年度统计、接待预订单、变更通知、出团通知书"
    )
    print_sub = printing.add_subparsers(dest="document", parser_class=_Parser, required=True)
    for document, text in (
        ("itinerary", "行程单"),
        ("manifest", "名单"),
        ("rooming", "分房表"),
        ("route", "线路介绍"),
        ("annual", "年度统计"),
    ):
        each = print_sub.add_parser(document, help=text)
        each.add_argument("code", help="批次编号（线路介绍为线路编号，年度统计为年份）")
        each.add_argument("--until", type=_date, help="年度统计的截止日期 YYYY-MM-DD")
        each.add_argument("-o", "--output", type=Path, required=True)
        each.add_argument(
            "--full-ids", action="store_true", help="名单中显示完整身份证号和手机号（记入审计日志）"
        )
    print_checkin = print_sub.add_parser("checkin", help="报到表：每人每天打勾，领队签字")
    print_checkin.add_argument("code", metavar="batch", help="批次编号，例如 L2021-0286")
    print_checkin.add_argument("-o", "--output", type=Path, required=True)
    print_order = print_sub.add_parser("order", help="接待预订单：一个批次给一个基地")
    print_order.add_argument("batch", help="批次编号，例如 L2021-0286")
    print_order.add_argument("base", help="基地名称")
    print_order.add_argument("-o", "--output", type=Path, required=True)
    print_order.add_argument(
        "--full-ids", action="store_true", help="名单中显示完整身份证号（入住登记用，记入审计日志）"
    )
    print_orders = print_sub.add_parser("orders", help="一个基地一段时间的预订单汇总（一份清单）")
    print_orders.add_argument("--base", required=True, help="基地名称")
    print_orders.add_argument("--from", dest="first", type=_date, required=True, help="开始日期 YYYY-MM-DD")
    print_orders.add_argument("--to", dest="last", type=_date, required=True, help="结束日期 YYYY-MM-DD")
    print_orders.add_argument("-o", "--output", type=Path, required=True)
    print_notice = print_sub.add_parser("notice", help="变更通知与取消通知（发出后有变更或已取消的预订单）")
    print_notice.add_argument("batch", help="批次编号")
    print_notice.add_argument("--base", help="只给这个基地")
    print_notice.add_argument("-o", "--output", type=Path, required=True)
    print_departure = print_sub.add_parser("departure", help="出团通知书（给合作单位）")
    print_departure.add_argument("batch", help="批次编号")
    print_departure.add_argument("-o", "--output", type=Path, required=True)
    print_departure.add_argument("--xlsx", type=Path, help="同时导出出团通知和名单工作簿（.xlsx）")
    print_settlement = print_sub.add_parser("settlement", help="结算单：批次与各基地的费用、发票、差额和付款")
    print_settlement.add_argument("code", metavar="batch", help="批次编号，例如 L2021-0286")
    print_settlement.add_argument("--base", help="只打印这个基地的结算单（默认每个基地一份）")
    print_settlement.add_argument("-o", "--output", type=Path, required=True)
    from recuperation import cli_statement  # the partner's annual statement (对账单): argparse only

    cli_statement.add_print_parser(print_sub, _year)
    from recuperation import cli_review  # scorecards and the re-check file (复核档案): argparse only

    cli_review.add_print_parsers(print_sub, _year)

    orders_cmd = sub.add_parser("orders", help="接待预订单")
    orders_sub = orders_cmd.add_subparsers(dest="orders_command", parser_class=_Parser, required=True)
    orders_list = orders_sub.add_parser("list", help="列出预订单及其状态")
    orders_list.add_argument(
        "--status", type=_order_state, metavar="STATE", help="状态：" + "、".join(ORDER_STATES)
    )
    orders_list.add_argument("--base", help="基地名称")
    orders_list.add_argument("--from", dest="first", type=_date, help="开始日期 YYYY-MM-DD")
    orders_list.add_argument("--to", dest="last", type=_date, help="结束日期 YYYY-MM-DD")
    orders_list.add_argument("--json", action="store_true", help="输出 JSON")

    order_cmd = sub.add_parser("order", help="登记预订单的发出和基地的回复")
    order_sub = order_cmd.add_subparsers(dest="order_command", parser_class=_Parser, required=True)
    order_mark = order_sub.add_parser("mark", help="登记：已发出、已确认、有变更确认、已拒绝、已发取消通知")
    order_mark.add_argument("batch", help="批次编号")
    order_mark.add_argument("base", help="基地名称")
    order_mark.add_argument("what", type=_order_mark, metavar="|".join(ORDER_MARKS), help="登记什么")
    order_mark.add_argument(
        "--how", type=_sent_how, help="发送方式：" + "、".join(SENT_HOWS) + "（默认 printed）"
    )
    order_mark.add_argument("--by", default="", help="基地确认人")
    order_mark.add_argument("--reference", default="", help="基地编号")
    order_mark.add_argument("--reason", default="", help="拒绝的原因（declined 必填）")
    order_mark.add_argument("--changes", default="", help="基地改了什么（amended 必填）")
    order_mark.add_argument("--on", type=_date, help="日期 YYYY-MM-DD（默认今天）")
    order_mark.add_argument(
        "--edition",
        type=_positive,
        help="基地回复的是第几版（预订单二维码上的版本）；与最新发出的版本不同时拒绝登记",
    )
    order_mark.add_argument(
        "--full-ids",
        action="store_true",
        help="基地需要完整身份证号（公安登记）：随预订单发出完整号码（sent）",
    )

    waitlist = sub.add_parser("waitlist", help="候补名单")
    waitlist_sub = waitlist.add_subparsers(dest="waitlist_command", parser_class=_Parser, required=True)
    waitlist_add = waitlist_sub.add_parser("add", help="加入候补")
    waitlist_add.add_argument("batch", help="批次编号")
    waitlist_add.add_argument("--name", required=True, help="姓名")
    waitlist_add.add_argument("--id", dest="id_number", required=True, help="身份证号")
    waitlist_add.add_argument("--phone", default="", help="手机")
    waitlist_list = waitlist_sub.add_parser("list", help="列出候补（先排队的在前）")
    waitlist_list.add_argument("batch", help="批次编号")
    waitlist_list.add_argument("--json", action="store_true", help="输出 JSON")
    waitlist_promote = waitlist_sub.add_parser("promote", help="候补递补进名单")
    waitlist_promote.add_argument("batch", help="批次编号")
    waitlist_promote.add_argument("id", type=_person_id, metavar="ID", help="候补者的身份证号或其后四位以上")
    waitlist_promote.add_argument("--reason", default="", help="原因（跳过排在前面的候补时必填）")
    waitlist_promote.add_argument(
        "--replacing", type=_person_id, metavar="ID", help="顶替名单上的这个人（身份证号或其后四位以上）"
    )

    rollcall = sub.add_parser("rollcall", help="报到：导入报到表、关闭报到")
    rollcall_sub = rollcall.add_subparsers(dest="rollcall_command", parser_class=_Parser, required=True)
    rollcall_import = rollcall_sub.add_parser(
        "import", help="导入填好的报到表（Excel 或 CSV），全部登记或全不登记"
    )
    rollcall_import.add_argument("batch", help="批次编号")
    rollcall_import.add_argument("file", type=Path)
    rollcall_import.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    rollcall_import.add_argument("--json", action="store_true", help="输出 JSON")
    rollcall_close = rollcall_sub.add_parser("close", help="关闭报到：未登记的人记为未到")
    rollcall_close.add_argument("batch", help="批次编号")
    rollcall_close.add_argument(
        "--on", type=_date, help="关闭日期 YYYY-MM-DD（默认批次的最后一天，尚未结束则今天）"
    )

    export = sub.add_parser("export", help="导出工作簿（.xlsx）")
    export_sub = export.add_subparsers(dest="export_command", parser_class=_Parser, required=True)
    export_partner = export_sub.add_parser("partner", help="合作单位一年的批次与名单")
    export_partner.add_argument("name", help="合作单位名称")
    export_partner.add_argument("--year", type=_year, required=True)
    export_partner.add_argument("-o", "--output", type=Path, required=True)
    export_partner.add_argument(
        "--full-ids", action="store_true", help="完整身份证号和手机号（记入审计日志）"
    )
    export_batches = export_sub.add_parser("batches", help="一年的批次一览")
    export_batches.add_argument("--year", type=_year, required=True)
    export_batches.add_argument("-o", "--output", type=Path, required=True)
    cli_statement.add_export_parser(export_sub, _year)
    from recuperation import cli_rules  # the spending rules and insurance: argparse only

    cli_rules.add_export_insurance(export_sub)
    from recuperation import cli_inspect  # the inspections' checklists: argparse and labels only

    cli_inspect.add_export_checklist(export_sub, _date, _positive)  # export checklist BASE -o F.xlsx

    batch = sub.add_parser("batch", help="批次")
    batch_sub = batch.add_subparsers(dest="batch_command", parser_class=_Parser, required=True)
    batch_list = batch_sub.add_parser("list", help="列出批次")
    batch_list.add_argument("--year", type=_year)
    batch_list.add_argument("--partner")
    batch_list.add_argument("--json", action="store_true")

    rates_cmd = sub.add_parser("rates", help="基地价目表：导入、导出（Excel）")
    rates_sub = rates_cmd.add_subparsers(dest="rates_command", parser_class=_Parser, required=True)
    rates_import = rates_sub.add_parser("import", help="导入价目表（有错误时不写入任何数据）")
    rates_import.add_argument("file", type=Path)
    rates_import.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    rates_import.add_argument("--json", action="store_true", help="输出 JSON")
    rates_export = rates_sub.add_parser("export", help="导出价目表（.xlsx），修改后可再导入")
    rates_export.add_argument("--base", help="只导出这个基地的价目表")
    rates_export.add_argument("-o", "--output", type=Path, required=True)
    add_settle(sub, _Parser)  # settle list|invoice|approve|pay (recuperation/cli_settle.py)
    cli_rules.add_rules_parser(sub, _Parser)
    cli_inspect.add_parsers(sub, _Parser, _date, _positive)  # inspect BASE F.xlsx; clauses list|load-default
    cli_review.add_scorecard_parser(sub, _Parser, _year)  # scorecard list
    from recuperation import cli_incident  # incident add|list|close|reopen|delete: argparse and labels only

    cli_incident.add_parser(sub, _Parser)
    from recuperation import cli_feedback  # feedback import|export|list, print questionnaire: argparse only

    cli_feedback.add_parsers(sub, print_sub, _Parser, _positive)
    from recuperation import cli_users  # user add|list|roles|disable|enable|permissions: argparse only

    cli_users.add_parser(sub, _Parser)
    from recuperation import cli_privacy  # privacy status|purge: argparse and messages only

    cli_privacy.add_parser(sub, _Parser)
    return parser


_err = err  # cli_shared.err: one line on standard error


def _open(args: argparse.Namespace, *, create: bool = False) -> Database:
    return open_db(args, create=create)


def _db_file(args: argparse.Namespace) -> Path | None:
    """The SQLite file the command works on (None for a server or an unusable --db)."""
    from recuperation.storage.paths import resolve_url, sqlite_path

    try:
        return sqlite_path(resolve_url(getattr(args, "db", None)))
    except Exception:
        return None


def _open_for_import(args: argparse.Namespace, *, create: bool) -> Database:
    """An import's database (a --dry-run never creates one: cli_shared.open_db)."""
    return open_db(args, create=create, dry_run=args.dry_run)


def cmd_demo(args: argparse.Namespace) -> int:
    from recuperation.demo import build_demo

    with _open(args, create=True) as db:
        report = build_demo(db, args.years)
        _err(
            messages.text(
                "demo.done",
                years=report.years,
                batches=report.batches,
                participants=report.participants,
                seconds=report.seconds,
            )
        )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from recuperation import cli_money
    from recuperation.services.statistics import Period, period_stats, years_with_records

    if args.until is not None and args.until.year != args.year:
        raise UsageError(messages.text("stats.until_outside", until=args.until.isoformat(), year=args.year))
    with _open(args) as db:
        years = years_with_records(db)
        if args.year not in years:
            shown = f"{years[0]}–{years[-1]}" if years else "无" if messages.language() == "zh" else "none"
            raise DomainError("stats.unknown_year", year=args.year, years=shown)
        stats = period_stats(db, Period.year(args.year, args.until))
        money = cli_money.load(db, Period.year(args.year, args.until)) if args.money else None
    if args.json:
        data = stats.to_json()
        if money is not None:
            data["money"] = money.to_json()
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    zh = messages.language() == "zh"
    lines = [
        f"{stats.start} – {stats.end}",
        f"{'疗休养批次' if zh else 'Recuperation batches'}: {stats.batches:,}",
        f"{'人次' if zh else 'People'}: {stats.people:,}",
        f"{'人天' if zh else 'Person-days'}: {stats.person_days:,}",
        (
            "实际参加（报到已结束 {closed:,} 批次，其余按计划）：{people:,} 人次，{days:,} 人天；"
            "比计划少 {dp:,} 人次，{dd:,} 人天"
            if zh
            else "Attended ({closed:,} roll calls closed, the rest as planned): {people:,} people, "
            "{days:,} person-days; {dp:,} people and {dd:,} person-days fewer than planned"
        ).format(
            closed=stats.attendance.closed_batches,
            people=stats.attendance.attended_people,
            days=stats.attendance.attended_person_days,
            dp=stats.attendance.difference_people,
            dd=stats.attendance.difference_person_days,
        ),
        f"{'培训班' if zh else 'Training classes'}: {stats.training_classes:,}",
        f"{'会议' if zh else 'Conferences'}: {stats.conferences:,}",
        f"{'新签协议' if zh else 'Agreements signed'}: {stats.agreements_signed:,}",
        (
            "认定基地：省级 {provincial}，杭州市级 {hangzhou}，建德市级 {county}"
            if zh
            else "Certified bases: provincial {provincial}, Hangzhou {hangzhou}, county {county}"
        ).format(**stats.bases_certified),
    ]
    if money is not None:
        lines += cli_money.lines(money)
    print("\n".join(lines))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    with _open(args) as db:
        from recuperation.storage.backups import backup_to

        target = backup_to(db, args.output)
    _err(messages.text("db.backup_done", path=target, size=target.stat().st_size))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    # The database is not opened first: a damaged one (what a restore is for) must not stop it, and a
    # refused restore leaves it exactly as it was.
    from recuperation.storage.restore import restore

    report = restore(args.db, args.file)
    _err(report.message())
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from recuperation.services.checks import check_database

    with _open(args) as db:
        problems = check_database(db)
    for problem in problems:
        print(f"[{problem.kind}] {messages.shown(problem.record, limit=120)}: {problem.message}")
    if problems:
        _err(messages.text("check.problems", n=len(problems)))
        return 1
    _err(messages.text("check.ok"))
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    """The overview's 需要关注 list; exit status 3 (:data:`EXIT_SEVERE`) when a severe one is among them, so a
    scheduled check tells severe alerts from an error (1) and bad usage (2)."""
    from recuperation.services.alerts import collect_alerts

    with _open(args) as db:
        alerts = collect_alerts(db, args.date or dt.date.today())
    if args.json:
        print(json.dumps([a.to_json() for a in alerts], ensure_ascii=False, indent=2))
    else:
        for alert in alerts:
            print(f"{'!' if alert.severe else '-'} {alert.message}")
        _err(messages.text("alerts.count", n=len(alerts)))
    return EXIT_SEVERE if any(a.severe for a in alerts) else 0


def cmd_batch_list(args: argparse.Namespace) -> int:
    from recuperation.services.batch.batches import list_batches

    with _open(args) as db:
        rows = list_batches(db, year=args.year, partner=args.partner)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "code": r.code,
                        "kind": r.kind,
                        "partner": r.partner,
                        "route": r.route,
                        "arrival": r.arrival.isoformat(),
                        "departure": r.departure.isoformat(),
                        "status": r.status,
                        "headcount": r.headcount,
                        "roster": r.roster_count,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for r in rows:
            print(f"{r.code}\t{r.arrival}\t{r.departure}\t{r.partner}\t{r.route}\t{r.headcount}\t{r.status}")
    return 0


def _import_report(
    args: argparse.Namespace,
    report: dict[str, object],
    errors: Sequence[Any],
    apply: Callable[[], dict[str, object]],
) -> tuple[dict[str, object], str]:
    """What the roster and register imports share: refused on errors unless --skip-invalid, written unless
    --dry-run; the report says what was written.  Returns the report and why it was refused ("" if not):
    rows with errors, or a rule of the write (removals without --allow-removals and --reason …)."""
    refusal = ""
    if errors and not args.skip_invalid:
        key = "register.refused" if args.command == "import" else "import.refused"
        refusal = messages.text(key, errors=len({p.row for p in errors}))
    if not refusal and not args.dry_run:
        try:
            report.update(apply())
        except RuleViolation as exc:
            refusal = exc.message
    report["written"] = not refusal and not args.dry_run
    if refusal:
        report["refused"] = refusal
    return report, refusal


def _planned(args: argparse.Namespace, plan: Callable[[], Any]) -> Any:
    """Read and check the file; a file refused as a whole still gives one JSON object with --json."""
    try:
        return plan()
    except DomainError as exc:
        if args.json:
            print(json.dumps({"written": False, "refused": exc.message}, ensure_ascii=False, indent=2))
        raise


def _print_import(args: argparse.Namespace, report: dict[str, object], errors: Any, warnings: Any) -> None:
    """The report as JSON, or each problem on a line: row, field, kind, message."""
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    zh = messages.language() == "zh"
    for kind, problems in (("错误" if zh else "error", errors), ("提醒" if zh else "warning", warnings)):
        for problem in problems:
            print(f"{problem.row}\t{problem.field}\t{kind}\t{problem.message}")


def cmd_roster(args: argparse.Namespace) -> int:
    if args.roster_command in ("substitute", "move", "companion"):
        return cmd_roster_life(args)
    if args.roster_command == "request":
        from recuperation.roster_request import roster_request

        with _open(args) as db:
            made = roster_request(db, args.batches, args.output)
        if made.rostered:
            _err(messages.text("request.has_roster", codes=messages.join(list(made.rostered))))
        _err(messages.text("request.done", path=made.path, batches=made.batches, rows=made.rows))
        return 0
    if args.roster_command == "export":
        from recuperation.workbooks import export_roster

        with _open(args) as db:
            result = export_roster(db, args.batch, args.output, full_ids=args.full_ids)
        _err(messages.text("export.done", rows=result.rows, path=result.path))
        return 0
    from recuperation.services.batch.roster_import import apply_import, plan_import, removal_names

    with _open_for_import(args, create=False) as db:
        plan = _planned(args, lambda: plan_import(db, args.batch, args.file))

        def apply() -> dict[str, object]:
            applied = apply_import(
                db,
                plan,
                skip_invalid=args.skip_invalid,
                allow_removals=args.allow_removals,
                reason=args.reason,
            )
            return {"added": applied.added, "removed": applied.removed, "changed": applied.changed}

        report, refusal = _import_report(args, plan.report(), plan.errors, apply)
    _print_import(args, report, plan.errors, plan.warnings)
    if refusal:
        _err(refusal)
        return 1
    if args.dry_run:
        _err(
            messages.text(
                "import.dry_run",
                code=plan.batch_code,
                rows=len(plan.rows),
                valid=plan.valid,
                errors=len(plan.errors),
                warnings=len(plan.warnings),
            )
        )
    else:
        _err(
            messages.text(
                "import.done",
                code=plan.batch_code,
                rows=len(plan.rows),
                added=report["added"],
                removed=report["removed"],
                changed=report["changed"],
            )
        )
    if plan.masked_matched:
        _err(messages.text("import.masked_matched", count=plan.masked_matched))
    if plan.kept_unreadable:
        _err(messages.text("import.kept_unreadable", count=plan.kept_unreadable))
    if args.dry_run and plan.removed:
        _err(
            messages.text(
                "import.would_remove",
                count=len(plan.removed),
                names=removal_names(plan),
                code=plan.batch_code,
            )
        )
    return 0


# -- issue 21: who actually went (substitutions, moves, companions, the waiting list, the roll call) --------------


def _find_batch(db: Database, code: str) -> Any:
    from recuperation.errors import ValidationError
    from recuperation.services.batch.batches import find_batch

    row = find_batch(db, code)
    if row is None:
        raise ValidationError("batch.unknown_code", field="batch", code=code)
    return row


def _shown_id(typed: str) -> str:
    from recuperation.people import mask_id

    return mask_id(typed) if len(typed) == 18 else typed


def _one_person(found: Sequence[Any], typed: str, code: str, missing: str) -> Any:
    """The one person ``typed`` (an ID number or its last digits) names, or a refusal naming who matched."""
    from recuperation.errors import ValidationError

    if not found:
        raise ValidationError(missing, field="id_number", code=code, id=_shown_id(typed))
    if len(found) > 1:
        raise ValidationError(
            "cli.person_ambiguous",
            field="id_number",
            code=code,
            count=len(found),
            id=typed,
            people=messages.join([f"{p.name} {_masked(p)}" for p in found[:5]]),
        )
    return found[0]


def _masked(person: Any) -> str:
    """A roster person's number as shown (id_masked), or a waiting entry's masked."""
    from recuperation.people import mask_id

    masked = getattr(person, "id_masked", None)
    return str(masked) if masked is not None else mask_id(person.id_number)


def _matching(db: Database, people: Any, typed: str) -> list[Any]:
    """Who ``typed`` names among ``people`` (a roster or a waiting list): a whole ID number, its last digits, or a
    name (services/batch/attendance.find_person)."""
    from recuperation.people import normalise_id
    from recuperation.services import identity
    from recuperation.services.batch.attendance import find_person

    plain, number = identity.plain_keys(db), normalise_id(typed)
    key = identity.key_of(db, None, number) if len(number) == 18 and not plain else ""
    return find_person(people, typed, plain=plain, key=key)


def _on_roster(db: Database, batch: Any, typed: str) -> Any:
    from recuperation.services.batch.attendance import roll_call

    found = _matching(db, roll_call(db, batch.id), typed)
    return _one_person(found, typed, batch.code, "cli.person_not_found")


def _newcomer(args: argparse.Namespace) -> ParticipantInput:
    """``roster substitute``'s NEW: an ID number with --name, or a roster file with one person."""
    from recuperation.services.batch.rosters import ParticipantInput

    text = args.new.strip()
    looks_like_id = all(c.isdigit() or c in "xX" for c in "".join(text.split())) and not Path(text).exists()
    if looks_like_id:
        if not args.name.strip():
            raise UsageError(messages.text("cli.substitute_name"))
        return ParticipantInput(args.name, text)
    if args.name.strip():
        raise UsageError(messages.text("cli.substitute_name"))
    from recuperation.errors import ValidationError
    from recuperation.services.batch.roster_import import check_rows, detect_layout
    from recuperation.sheets import read_sheets

    path = Path(text)
    sheets = read_sheets(path)
    layout = detect_layout(sheets, str(path))
    sheet = next(s for s in sheets if s.name == layout.sheet)
    rows = check_rows(sheet, layout)
    if len(rows) != 1:
        raise ValidationError("cli.one_person_file", field="file", path=str(path), rows=len(rows))
    row = rows[0]
    if row.errors:
        for problem in row.errors:
            _err(f"{problem.row}\t{problem.message}")
        raise ValidationError("import.refused", field="file", errors=1)
    v = row.values
    return ParticipantInput(
        str(v["name"]),
        str(v["id_number"]),
        phone=str(v.get("phone", "")),
        employer=str(v.get("employer", "")),
        department=str(v.get("department", "")),
        model_worker=bool(v.get("model_worker", False)),
        category=str(v.get("category", "")),
        diet=str(v.get("diet", "")),
        health=str(v.get("health", "")),
        emergency_contact=str(v.get("emergency_contact", "")),
        room=str(v.get("room", "")),
        notes=str(v.get("notes", "")),
    )


def cmd_roster_life(args: argparse.Namespace) -> int:
    """``roster substitute|move|companion``: who goes changes, each change in the batch's roster history."""
    from recuperation.services.batch import roster_moves

    newcomer: ParticipantInput | None = _newcomer(args) if args.roster_command == "substitute" else None
    with _open(args) as db:
        batch = _find_batch(db, args.batch)
        if args.roster_command == "substitute":
            old = _on_roster(db, batch, args.old)
            assert newcomer is not None
            row, warnings = roster_moves.substitute(db, old.id, old.version, newcomer, args.reason)
            for warning in warnings:
                _err(warning)
            _err(
                messages.text(
                    "roster.substituted",
                    code=batch.code,
                    new=row.name,
                    id=row.id_masked,
                    old=old.name,
                )
            )
        elif args.roster_command == "move":
            target = _find_batch(db, args.target)
            people = [_on_roster(db, batch, typed) for typed in args.ids]
            moved = roster_moves.move_people(db, [p.id for p in people], target.id, args.reason)
            for warning in moved.warnings:
                _err(warning)
            _err(messages.text("roster.moved", count=len(moved.moved), source=batch.code, target=target.code))
        else:
            person = _on_roster(db, batch, args.id)
            row = roster_moves.set_companion(db, person.id, person.version, args.companion)
            key = "roster.companion_yes" if row.companion else "roster.companion_no"
            _err(messages.text(key, code=batch.code, name=row.name))
    return 0


def _waiting_json(row: Any) -> dict[str, object]:
    return {
        "position": row.position,
        "name": row.name,
        "id_number": row.id_masked,
        "phone": row.phone_masked,
        "employer": row.employer,
        "added_on": row.added_on.isoformat(),
        "state": row.state,
        "reason": row.reason,
    }


def cmd_waitlist(args: argparse.Namespace) -> int:
    """``waitlist add|list|promote``: the batch's waiting list (候补), first come first offered."""
    from recuperation.labels import label
    from recuperation.services.batch import roster_moves
    from recuperation.services.batch.rosters import ParticipantInput

    with _open(args) as db:
        batch = _find_batch(db, args.batch)
        if args.waitlist_command == "add":
            data = ParticipantInput(args.name, args.id_number, phone=args.phone)
            entry = roster_moves.add_waiting(db, batch.id, data)
            _err(
                messages.text(
                    "waiting.added",
                    name=entry.name,
                    id=entry.id_masked,
                    code=batch.code,
                    position=entry.position,
                )
            )
            return 0
        rows = roster_moves.list_waiting(db, batch.id)
        if args.waitlist_command == "list":
            if args.json:
                print(json.dumps([_waiting_json(r) for r in rows], ensure_ascii=False, indent=2))
                return 0
            for r in rows:
                position = str(r.position) if r.position else "-"
                shown = _waiting_json(r)
                state = label("waiting_state", r.state)
                print("\t".join([position, r.name, str(shown["id_number"]), r.added_on.isoformat(), state]))
            waiting = sum(1 for r in rows if r.position)
            _err(messages.text("waiting.listed", code=batch.code, count=waiting))
            return 0
        from recuperation.models import WaitState

        waiting_rows = [r for r in rows if r.state == WaitState.WAITING.value]
        entry = _one_person(
            _matching(db, waiting_rows, args.id), args.id, batch.code, "cli.waiting_not_found"
        )
        replacing = None
        if args.replacing:
            old = _on_roster(db, batch, args.replacing)
            replacing = (old.id, old.version)
        row, warnings = roster_moves.promote(
            db, entry.id, entry.version, reason=args.reason, replacing=replacing
        )
    for warning in warnings:
        _err(warning)
    _err(messages.text("waiting.promoted", name=row.name, id=row.id_masked, code=batch.code))
    return 0


def cmd_rollcall(args: argparse.Namespace) -> int:
    """``rollcall import|close``: the filled check-in sheet (all marks or none), and closing the roll call."""
    if args.rollcall_command == "close":
        from recuperation.services.batch.attendance import close_roll_call

        with _open(args) as db:
            batch = _find_batch(db, args.batch)
            count = close_roll_call(db, batch.id, args.on)
        day = (args.on or dt.date.today()).isoformat()
        _err(messages.text("rollcall.closed_now", code=batch.code, day=day, count=count))
        return 0
    from recuperation.services.batch.rollcall_import import rollcall_import

    with _open_for_import(args, create=False) as db:
        result = _planned(args, lambda: rollcall_import(db, args.batch, args.file, dry_run=args.dry_run))
    if args.json:
        report = result.report()
        if result.errors:
            report["refused"] = result.summary()
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        kind = "错误" if messages.language() == "zh" else "error"
        for problem in result.errors:
            print(f"{problem.row}\t{problem.field}\t{kind}\t{problem.message}")
    _err(result.summary())
    return 1 if result.errors else 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.export_command == "checklist":
        from recuperation.cli_inspect import cmd_export_checklist

        return cmd_export_checklist(args)
    if args.export_command == "insurance":
        from recuperation.cli_rules import cmd_export_insurance

        return cmd_export_insurance(args)
    if args.export_command == "statement":
        from recuperation.cli_statement import cmd_export_statement

        return cmd_export_statement(args)
    from recuperation.workbooks import export_batches_year, export_partner_year

    with _open(args) as db:
        if args.export_command == "partner":
            result = export_partner_year(db, args.name, args.year, args.output, full_ids=args.full_ids)
        else:
            result = export_batches_year(db, args.year, args.output)
    key = "export.done" if args.export_command == "partner" else "export.done_batches"
    _err(messages.text(key, rows=result.rows, path=result.path))
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    if args.document == "questionnaire":
        from recuperation.cli_feedback import cmd_print_questionnaire

        return cmd_print_questionnaire(args)
    if args.document in ("scorecard", "review-file"):
        from recuperation.cli_review import cmd_print_review

        return cmd_print_review(args)
    if args.document == "statement":
        from recuperation.cli_statement import cmd_print_statement

        return cmd_print_statement(args)
    if args.document in ("order", "orders", "notice", "departure"):
        return cmd_print_orders(args)
    from recuperation.documents.render import render

    key: str | int = args.code
    if args.document == "annual":
        try:
            key = _year(args.code)
        except argparse.ArgumentTypeError as exc:
            raise UsageError(str(exc)) from None
    with _open(args) as db:
        result = render(
            db,
            args.document,
            key,
            args.output,
            full_ids=getattr(args, "full_ids", False),
            until=getattr(args, "until", None),
            base=getattr(args, "base", None),  # print settlement --base
        )
    for note in result.notes:
        _err(note)
    _err(messages.text("print.done", path=result.path))
    return 0


def _period(args: argparse.Namespace) -> None:
    if args.first is not None and args.last is not None and args.first > args.last:
        raise UsageError(
            messages.text("cli.bad_period", first=args.first.isoformat(), last=args.last.isoformat())
        )


def cmd_print_orders(args: argparse.Namespace) -> int:
    """``print order|orders|notice|departure``: service orders, their notices, the departure notice."""
    if args.document == "orders":
        _period(args)
    from recuperation.documents import orders_docs
    from recuperation.documents.render import render

    with _open(args) as db:
        result = render(
            db,
            args.document,
            args.base if args.document == "orders" else args.batch,
            args.output,
            base=getattr(args, "base", None),
            first=getattr(args, "first", None),
            until=getattr(args, "last", None),
            full_ids=getattr(args, "full_ids", False),
        )
        book = None
        if args.document == "departure" and args.xlsx is not None:
            book = orders_docs.departure_notice_workbook(db, args.batch, args.xlsx)
    for note in result.notes:
        _err(note)
    _err(messages.text("print.done", path=result.path))
    if book is not None:
        _err(messages.text("export.done", rows=book.rows, path=book.path))
    return 0


def _order_json(row: Any, today: dt.date) -> dict[str, object]:
    return {
        "code": row.code,
        "batch": row.batch,
        "base": row.base,
        "partner": row.partner,
        "arrival": row.arrival.isoformat(),
        "departure": row.departure.isoformat(),
        "state": row.state,
        "state_label": row.state_label,
        "edition": row.edition,
        "sent_on": row.sent_on.isoformat() if row.sent_on else None,
        "sent_how": row.sent_how,
        "answered_on": row.answered_on.isoformat() if row.answered_on else None,
        "answered_by": row.answered_by,
        "reference": row.reference,
        "reason": row.reason,
        "changes": row.changes,
        "batch_status": row.batch_status,
        "full_ids": row.full_ids,
        "waiting_days": row.waiting_days(today),
        "differences": list(row.differences),
    }


def cmd_orders(args: argparse.Namespace) -> int:
    """``orders list``: every order (one per batch and base) in its derived state."""
    _period(args)
    from recuperation.services.orders import list_orders

    today = dt.date.today()
    with _open(args) as db:
        rows = list_orders(db, state=args.status, base=args.base, first=args.first, last=args.last)
    if args.json:
        print(json.dumps([_order_json(r, today) for r in rows], ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        waiting = r.waiting_days(today)
        print(
            "\t".join(
                [
                    r.code,
                    r.batch,
                    r.base,
                    r.arrival.isoformat(),
                    r.state_label,
                    str(r.edition),
                    r.sent_on.isoformat() if r.sent_on else "-",
                    str(waiting) if waiting else "-",
                ]
            )
        )
    _err(messages.text("order.listed", count=len(rows)))
    return 0


def cmd_order(args: argparse.Namespace) -> int:
    """``order mark BATCH BASE sent|confirmed|amended|declined|cancel_sent``: the sending, the base's answer,
    and the cancellation notice sent for a withdrawn order."""
    answers = {
        "--by": args.by,
        "--reference": args.reference,
        "--reason": args.reason,
        "--changes": args.changes,
        "--edition": args.edition,
    }
    if args.what in ("sent", "cancel_sent"):
        given = [option for option, value in answers.items() if value]
        if given:
            raise UsageError(
                messages.text("cli.order_option", option=given[0], what="confirmed|amended|declined")
            )
    if args.what != "sent" and args.how is not None:
        raise UsageError(messages.text("cli.order_option", option="--how", what="sent"))
    if args.what != "sent" and args.full_ids:
        raise UsageError(messages.text("cli.order_option", option="--full-ids", what="sent"))
    from recuperation.services.orders import mark_by_names

    with _open(args) as db:
        if args.what == "sent":
            row = mark_by_names(
                db, args.batch, args.base, "sent", how=args.how, on=args.on, full_ids=args.full_ids or None
            )
        elif args.what == "cancel_sent":
            row = mark_by_names(db, args.batch, args.base, "cancel_sent", on=args.on)
        else:
            row = mark_by_names(
                db,
                args.batch,
                args.base,
                args.what,
                by=args.by,
                reference=args.reference,
                reason=args.reason,
                changes=args.changes,
                on=args.on,
                edition=args.edition,
            )
    _err(
        messages.text(
            "order.marked",
            code=row.code,
            batch=row.batch,
            base=row.base,
            state=row.state_label,
            edition=row.edition,
        )
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from recuperation.services.registers import apply_register, plan_register

    with _open_for_import(args, create=True) as db:  # moving in starts from a new, empty database
        plan = _planned(args, lambda: plan_register(db, args.register, args.file))

        def apply() -> dict[str, object]:
            result = apply_register(
                db,
                plan,
                skip_invalid=args.skip_invalid,
                allow_removals=args.allow_removals,
                reason=args.reason,
            )
            return {
                "new": result.new,
                "changed": result.changed,
                "unchanged": result.unchanged,
                "skipped": result.skipped,
            }

        report, refusal = _import_report(args, plan.report(), plan.errors, apply)
    name = messages.text(f"register.name.{args.register}")
    _print_import(args, report, plan.errors, [])
    if refusal:
        if plan.errors and not args.skip_invalid:
            refusal = messages.text("register.refused", errors=len({p.row for p in plan.errors}))
        _err(refusal)
        return 1
    key = "register.dry_run" if args.dry_run else "register.done"
    _err(
        messages.text(
            key,
            register=name,
            rows=report["rows"],
            new=report["new"],
            changed=report["changed"],
            unchanged=report["unchanged"],
            errors=len(plan.errors),
        )
    )
    return 0


def cmd_rates(args: argparse.Namespace) -> int:
    from recuperation.cli_shared import run_import
    from recuperation.rates_workbook import apply_rates, export_rates, plan_rates

    if args.rates_command == "export":
        with _open(args) as db:
            made = export_rates(db, args.output, args.base)
        _err(messages.text("rates.exported", cards=made.cards, lines=made.lines, path=made.path))
        return 0
    with _open_for_import(args, create=False) as db:
        return run_import(
            args,
            lambda: plan_rates(db, args.file),
            lambda plan: apply_rates(db, plan),  # type: ignore[arg-type]
            lambda errors: messages.text("rates.refused", errors=errors),
            lambda report, errors: messages.text(
                "rates.dry_run" if args.dry_run else "rates.done",
                cards=report["cards"],
                lines=report["lines"],
                new=report["new"],
                changed=report["changed"],
                unchanged=report["unchanged"],
                errors=errors,
            ),
        )


def _cmd_rules(args: argparse.Namespace) -> int:
    from recuperation.cli_rules import cmd_rules

    return cmd_rules(args)


def _cmd_inspect(args: argparse.Namespace) -> int:
    from recuperation.cli_inspect import cmd_clauses, cmd_inspect

    return cmd_inspect(args) if args.command == "inspect" else cmd_clauses(args)


def _cmd_scorecard(args: argparse.Namespace) -> int:
    from recuperation.cli_review import cmd_scorecard

    return cmd_scorecard(args)


def _cmd_feedback(args: argparse.Namespace) -> int:
    from recuperation.cli_feedback import cmd_feedback

    return cmd_feedback(args)


def _cmd_incident(args: argparse.Namespace) -> int:
    from recuperation.cli_incident import cmd_incident

    return cmd_incident(args)


def _cmd_privacy(args: argparse.Namespace) -> int:
    from recuperation.cli_privacy import cmd_privacy

    return cmd_privacy(args)


def _cmd_user(args: argparse.Namespace) -> int:
    from recuperation.cli_users import cmd_user

    return cmd_user(args)


def cmd_template(args: argparse.Namespace) -> int:
    from recuperation.templates import write_template

    if args.with_data:
        if args.register == "roster":
            raise UsageError(messages.text("template.roster_with_data"))
        with _open(args) as db:
            result = write_template(args.register, args.output, db)
    else:
        result = write_template(args.register, args.output)
    _err(messages.text("template.done", path=result.path))
    return 0


def cmd_copy_to(args: argparse.Namespace) -> int:
    from recuperation.transfer import copy_database

    report = copy_database(args.db or "", args.target)
    if args.json:
        print(
            json.dumps(
                {
                    "source": report.source,
                    "target": report.target,
                    "ok": report.ok,
                    "seconds": round(report.seconds, 2),
                    "tables": [
                        {
                            "table": t.table,
                            "source_rows": t.source_rows,
                            "target_rows": t.target_rows,
                            "source_checksum": t.source_checksum,
                            "target_checksum": t.target_checksum,
                        }
                        for t in report.tables
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for t in report.tables:
            print(f"{t.table:<20} {t.target_rows:>9,}  {t.target_checksum[:16]}  {'✓' if t.ok else '✗'}")
    _err(
        messages.text(
            "transfer.done",
            rows=report.rows,
            path=report.target,
            tables=len(report.tables),
            seconds=report.seconds,
        )
    )
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    if (
        sys.platform.startswith("linux")
        and getattr(args, "screenshot", None) is None
        and not getattr(args, "exit_when_shown", False)
        and not any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
    ):
        _err(messages.text("cli.no_display"))
        return 1
    try:
        from ui.app import run
    except ImportError as exc:  # Qt missing or its system libraries absent
        _err(messages.text("cli.gui_unavailable", detail=exc))
        return 1
    return run(
        db=args.db,
        page=getattr(args, "page", None),
        screenshot=getattr(args, "screenshot", None),
        exit_when_shown=getattr(args, "exit_when_shown", False),
        size=getattr(args, "size", None) or SCREEN_SIZE,
        language=args.lang,  # for this run only: the saved language setting is left as it is
    )


COMMANDS = {
    "demo": cmd_demo,
    "stats": cmd_stats,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "check": cmd_check,
    "alerts": cmd_alerts,
    "copy-to": cmd_copy_to,
    "import": cmd_import,
    "template": cmd_template,
    "gui": cmd_gui,
    "waitlist": cmd_waitlist,
    "rollcall": cmd_rollcall,
    "settle": cmd_settle,
}


def _setup_logging() -> Path | None:
    from recuperation.logs import setup_logging
    from recuperation.storage.paths import log_dir

    try:
        return setup_logging(log_dir())
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    messages.set_language(os.environ.get("RECUPERATION_LANG", "zh"))
    for index, arg in enumerate(argv):  # before argparse, so that its usage errors are in that language too
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(argv):
            messages.set_language(argv[index + 1])
        elif arg.startswith("--lang="):
            messages.set_language(arg.partition("=")[2])
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        _err(f"recuperation: {messages.text('cli.usage', detail=exc)}")
        return 2
    if args.lang:
        messages.set_language(args.lang)
    command = args.command or "gui"
    if command == "gui" and not hasattr(args, "page"):
        args.page, args.screenshot, args.exit_when_shown, args.size = None, None, False, None
    handler = {
        "batch": cmd_batch_list,
        "roster": cmd_roster,
        "print": cmd_print,
        "export": cmd_export,
        "orders": cmd_orders,
        "order": cmd_order,
        "rates": cmd_rates,
        "rules": _cmd_rules,
        "inspect": _cmd_inspect,
        "clauses": _cmd_inspect,
        "incident": _cmd_incident,
        "privacy": _cmd_privacy,
        "user": _cmd_user,
        "feedback": _cmd_feedback,
        "scorecard": _cmd_scorecard,
    }.get(command) or COMMANDS[command]
    log_path = _setup_logging()
    try:
        return handler(args)
    except UsageError as exc:
        _err(f"recuperation: {messages.text('cli.usage', detail=exc)}")
        return 2
    except DomainError as exc:
        _err(f"recuperation: {exc.message}")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the output went into `head` or a closed pager: not an error of ours
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps interpreter shutdown from complaining
        return 0
    except Exception as exc:  # never a traceback on the terminal; the log keeps it
        # The database's own faults (busy, read-only, disk full), said as such.  Only a driver error is
        # the database's: an OSError here concerns a file the command writes (an export, say).
        import sqlite3

        from recuperation.logs import mask_personal
        from recuperation.storage.faults import database_fault

        driver_error = isinstance(getattr(exc, "orig", None) or exc, sqlite3.Error)
        fault = database_fault(exc, _db_file(args)) if driver_error else None
        if fault is not None:
            log.warning("%s: %s", command, exc)
            _err(f"recuperation: {fault.message}")
            return 1
        log.exception("unexpected error in %s", command)
        _err(
            f"recuperation: {messages.text('cli.unexpected', detail=mask_personal(str(exc).splitlines()[0]) if str(exc) else type(exc).__name__, log=log_path)}"
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
