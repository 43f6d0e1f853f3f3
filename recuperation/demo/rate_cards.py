"""The demo's rate cards (价目表): one card per base per calendar year, with the base's invoice details.

Drawn from a random stream of their own (``SEED + 31``), after everything else, so that no other figure of the
demo moves.  Prices are those of the county's hotels and homestays around 2021: a twin room ¥260–480 a night,
a single ¥220–420, breakfast ¥20–35, lunch and dinner ¥45–90 a person, a meeting room ¥800–2,000 a session,
and the tickets and workshops the routes take groups to.  About a third of the bases that lodge have a summer
season (July and August).  Hotels, centres, farms, scenic areas and enterprises invoice at 6%; homestays, small
taxpayers, at 1% or 3%.  Prices rise by about 3% a year.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from recuperation.demo.helpers import SEED, demo_uscc

#: What the routes' activities cost at their base: (kind, unit, lowest, highest yuan).  Walks, visits of
#: museums and factories open to the public are free and are not on any card.
ACTIVITY_PRICES: dict[str, tuple[str, str, int, int]] = {
    "古镇非遗体验": ("activity", "per_person", 30, 50),
    "寿昌宫职工文化活动": ("meeting", "per_session", 800, 1500),
    "草莓种植技术培训": ("meeting", "per_session", 1000, 1800),
    "草莓采摘体验": ("activity", "per_person", 40, 60),
    "航空小镇通航科普": ("activity", "per_person", 50, 80),
    "航空器制造企业参观": ("activity", "per_session", 300, 600),
    "飞行体验观摩，返程": ("activity", "per_person", 60, 100),
    "大慈岩登山": ("activity", "per_person", 60, 80),
    "灵栖洞游览": ("activity", "per_person", 80, 100),
    "中医康养讲座": ("meeting", "per_session", 1000, 2000),
    "温泉康养": ("activity", "per_person", 98, 158),
    "抵达大同镇，健康体检": ("activity", "per_person", 220, 320),
    "太极与八段锦": ("activity", "per_session", 500, 800),
    "健康讲座": ("meeting", "per_session", 800, 1500),
    "党史学习教育专题课": ("meeting", "per_session", 1000, 2000),
    "乾潭红色故事会，返程": ("meeting", "per_session", 600, 1000),
    "青岛啤酒工业旅游": ("activity", "per_person", 20, 40),
    "绿道骑行（江滨段）": ("activity", "per_person", 30, 50),
    "绿道骑行（三江口段）": ("activity", "per_person", 30, 50),
}
_BANKS = (
    "中国工商银行建德支行",
    "中国农业银行建德支行",
    "中国建设银行建德支行",
    "中国银行建德支行",
    "浙江建德农村商业银行{township}支行",
)
_SMALL = ("homestay",)  # small taxpayers (小规模纳税人): 1% or 3%


def _title(name: str, kind: str) -> str:
    """The invoicing unit's name as its invoices print it."""
    short = name.split("（")[0]
    if kind in _SMALL:
        return f"建德市{short}经营部"
    return f"建德{short}有限公司" if not short.startswith("建德") else f"{short}有限公司"


def _yuan(rng: random.Random, low: int, high: int, step: int = 10) -> int:
    return rng.randrange(low, high + 1, step)


def make_rate_cards(
    bases: list[dict[str, object]],
    activities: dict[int, set[str]],
    first_year: int,
    last_year: int,
    versioned: Callable[..., dict[str, object]],
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Rows of rate_card (with ids) and rate_line for every base and year; ``activities`` are the activity
    names the routes hold at each base."""
    rng = random.Random(SEED + 31)  # its own stream: the rest of the demo is unchanged
    cards: list[dict[str, object]] = []
    lines: list[dict[str, object]] = []
    for base in bases:
        base_id, name, kind = int(base["id"]), str(base["name"]), str(base["kind"])  # type: ignore[call-overload]
        beds, dining, meeting = (int(base[k]) for k in ("beds", "dining_seats", "meeting_seats"))  # type: ignore[call-overload]
        township = str(base["township"])
        tax = rng.choice((100, 300)) if kind in _SMALL else 600
        bank = rng.choice(_BANKS).format(
            township=township.removesuffix("街道").removesuffix("镇").removesuffix("乡")
        )
        account = "".join(str(rng.randrange(10)) for _ in range(19))
        uscc = demo_uscc(rng, "330182")
        summer = beds > 0 and rng.random() < 0.35
        twin = _yuan(rng, 260, 420) if kind not in _SMALL else _yuan(rng, 260, 340)
        single = max(220, min(420, twin - _yuan(rng, 20, 60)))
        suite = twin * 2 + _yuan(rng, 0, 200) if beds >= 150 and kind == "hotel" else 0
        uplift = (_yuan(rng, 60, 100), _yuan(rng, 40, 80))
        breakfast, lunch = _yuan(rng, 20, 35, 1), _yuan(rng, 45, 80, 5)
        dinner = min(90, lunch + _yuan(rng, 0, 15, 5))
        hall = _yuan(rng, 800, 2000, 100)
        guide = _yuan(rng, 150, 300, 50)
        own = {
            a: (k, u, _yuan(rng, lo, hi, 1 if hi < 200 else 10))
            for a, (k, u, lo, hi) in ACTIVITY_PRICES.items()
        }
        for year in range(first_year, last_year + 1):
            card_id = len(cards) + 1
            grow = 1.03 ** (year - first_year)

            def price(yuan: int, grow: float = grow) -> int:
                return round(yuan * grow) * 100  # whole yuan, in fen

            cards.append(
                versioned(
                    id=card_id,
                    base_id=base_id,
                    name=f"{year} 年协议价",
                    valid_from=dt.date(year, 1, 1),
                    valid_to=dt.date(year, 12, 31),
                    invoice_title=_title(name, kind),
                    uscc=uscc,
                    bank_name=bank,
                    bank_account=account,
                    tax_bp=tax,
                    notes="团队协议价，含税",
                )
            )

            entries: list[tuple[str, str, str, int, bool, str]] = []

            def line(
                kind_: str, item: str, unit: str, fen: int, season: bool = False, notes: str = ""
            ) -> None:
                entries.append((kind_, item, unit, fen, season, notes))  # noqa: B023 (called at once)

            if beds > 0:
                line("room", "twin", "per_room_night", price(twin), notes="含双早" if kind == "hotel" else "")
                line("room", "single", "per_room_night", price(single))
                if summer:
                    line("room", "twin", "per_room_night", price(twin + uplift[0]), season=True, notes="暑期")
                    line(
                        "room",
                        "single",
                        "per_room_night",
                        price(single + uplift[1]),
                        season=True,
                        notes="暑期",
                    )
                if suite:
                    line("room", "suite", "per_room_night", price(suite))
            if dining > 0:
                line("meal", "breakfast", "per_person", price(breakfast))
                line("meal", "lunch", "per_person", price(lunch))
                line("meal", "dinner", "per_person", price(dinner))
            if meeting > 0 and kind in ("hotel", "training_centre"):
                line("meeting", "会议室（半天）", "per_session", price(hall))
            for activity in sorted(activities.get(base_id, ())):
                if activity in own:
                    kind_, unit, yuan = own[activity]
                    line(kind_, activity, unit, price(yuan))
            if kind in ("scenic", "enterprise"):
                line("other", "讲解服务", "per_session", price(guide))
            summer_days = (dt.date(year, 7, 1), dt.date(year, 8, 31))
            for kind_, item, unit, fen, season, notes in entries:
                first, last = summer_days if season else (None, None)
                lines.append(
                    {
                        "rate_card_id": card_id,
                        "kind": kind_,
                        "item": item,
                        "first_day": first,
                        "last_day": last,
                        "unit": unit,
                        "price_fen": fen,
                        "notes": notes,
                    }
                )
    return cards, lines


def route_activities(
    plans: dict[int, list[tuple[int, str, str, str, str, int | None]]],
) -> dict[int, set[str]]:
    """The activities each base hosts in the routes' plans: base id → activity names."""
    found: dict[int, set[str]] = {}
    for items in plans.values():
        for _day, _when, kind, activity, _place, base_id in items:
            if kind == "activity" and base_id is not None:
                found.setdefault(base_id, set()).add(activity)
    return found
