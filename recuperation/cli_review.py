"""The bases' review evidence on the command line: scorecards (评分表), the re-check file (复核档案) and the
year's scorecards and satisfaction as a list.

    recuperation print scorecard 寿昌宾馆 --year 2021 -o 寿昌宾馆2021评分表.pdf
    recuperation print scorecard --year 2021 -o 2021评分表.pdf          # every base, a page each
    recuperation print review-file 寿昌宾馆 -o 寿昌宾馆复核档案.pdf [--year 2021]
    recuperation scorecard list --year 2021 [--json]

An unknown base is refused with exit status 1 and nothing is written.  Only argparse is imported while the
parser is built (``recuperation.cli``'s start-up rule).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from recuperation.cli_shared import err, open_db


def add_print_parsers(print_sub: Any, year: Callable[[str], int]) -> None:
    """``print scorecard [BASE] --year Y -o F.pdf`` and ``print review-file BASE -o F.pdf [--year Y]``."""
    card = print_sub.add_parser(
        "scorecard", help="基地评分表：满意度、事件、接待、检查（不写基地则每个基地一页）"
    )
    card.add_argument("base", nargs="?", default=None, help="基地名称（省略则打印全部基地）")
    card.add_argument("--year", type=year, required=True, help="年份（按批次的到达日期）")
    card.add_argument("-o", "--output", type=Path, required=True, help="输出文件（.pdf）")
    review = print_sub.add_parser(
        "review-file", help="基地复核档案：认定历程、两年评分表、实地检查、事件、意见摘录、签字栏"
    )
    review.add_argument("base", help="基地名称")
    review.add_argument("--year", type=year, help="评分年份（默认：有数据的最近一年）")
    review.add_argument("-o", "--output", type=Path, required=True, help="输出文件（.pdf）")


def add_scorecard_parser(
    sub: Any, parser_class: type[argparse.ArgumentParser], year: Callable[[str], int]
) -> None:
    """``scorecard list --year Y [--json]``."""
    cmd = sub.add_parser("scorecard", help="基地评分：每个基地一年的满意度、事件、接待与复核关注")
    cmd_sub = cmd.add_subparsers(dest="scorecard_command", parser_class=parser_class, required=True)
    listing = cmd_sub.add_parser(
        "list", help="列出全部基地的评分与复核关注（--json 另含按线路、合作单位的满意度和回收率）"
    )
    listing.add_argument("--year", type=year, required=True, help="年份（按批次的到达日期）")
    listing.add_argument("--json", action="store_true", help="输出 JSON")


def cmd_print_review(args: argparse.Namespace) -> int:
    """``print scorecard`` and ``print review-file``."""
    from recuperation import messages
    from recuperation.documents.render import render

    document = "scorecard" if args.document == "scorecard" else "review_file"
    with open_db(args) as db:
        result = render(db, document, args.base or "", args.output, year=args.year)
    for note in result.notes:
        err(note)
    err(messages.text("print.done", path=result.path))
    return 0


def cmd_scorecard(args: argparse.Namespace) -> int:
    """``scorecard list``: a line per base (tab-separated, the header first), or JSON with the satisfaction."""
    from recuperation import messages
    from recuperation.labels import label
    from recuperation.services.scorecard import flag_words, satisfaction, scorecards
    from recuperation.services.statistics import Period

    with open_db(args) as db:
        cards = scorecards(db, args.year)
        figures = satisfaction(db, Period.year(args.year)) if args.json else None
    flagged = sum(1 for c in cards if c.review)
    if figures is not None:
        data = {
            "year": args.year,
            "bases": [c.to_json() for c in cards],
            "satisfaction": figures.to_json(),
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print("\t".join(messages.text("scorecard.columns").split("|")))
        for card in cards:
            this = card.this
            inspection = this.inspection.on_date.isoformat() if this.inspection else "—"
            print(
                "\t".join(
                    [
                        card.base,
                        this.overall.mean_text,
                        f"{this.overall.count}",
                        f"{this.responses}",
                        f"{this.batches}",
                        f"{this.people}",
                        this.utilisation_text,
                        f"{len(this.incidents)}",
                        f"{len(this.open_serious)}",
                        inspection,
                        label("base_cert_state", card.certificate.state),
                        flag_words(card),
                    ]
                )
            )
    err(messages.text("scorecard.listed", year=args.year, count=len(cards), flagged=flagged))
    return 0
