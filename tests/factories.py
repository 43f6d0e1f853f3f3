"""Small hand-built records for tests where the right answers are known."""

from __future__ import annotations

import datetime as dt
from itertools import count

from stdnum.cn import uscc

from recuperation.people import with_check_character
from recuperation.services import bases, partners
from recuperation.storage.database import Database

_serial = count(1)


def valid_uscc(region: str = "330182") -> str:
    body = f"91{region}{next(_serial):09d}"
    return body + uscc.calc_check_digit(body)


def person_id(n: int, birth: str = "19800101", region: str = "330182") -> str:
    return with_check_character(f"{region}{birth}{n % 1000:03d}")


def partner(db: Database, name: str = "宁波大学") -> partners.PartnerRow:
    return partners.create_partner(db, partners.PartnerInput(name=name, kind="university", uscc=valid_uscc()))


def certified_base(
    db: Database,
    name: str = "寿昌宾馆",
    beds: int = 80,
    since: dt.date = dt.date(2020, 1, 1),
    until: dt.date = dt.date(2022, 12, 31),
    level: str = "hangzhou",
) -> bases.BaseRow:
    base = bases.create_base(db, bases.BaseInput(name=name, beds=beds, rooms=beds // 2, township="寿昌镇"))
    cert = bases.apply_for_certification(db, base.id, level, since - dt.timedelta(days=90), "王建华")
    for step in ("first_review", "site_inspection"):
        cert = bases.advance_certification(db, cert.id, cert.version, step, since - dt.timedelta(days=30))
    bases.advance_certification(
        db,
        cert.id,
        cert.version,
        "certified",
        since,
        certificate_no=f"HZ-{name}",
        valid_from=since,
        valid_to=until,
    )
    return base
