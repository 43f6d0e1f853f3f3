"""Small pieces of the demo generator: dates, codes and how numbers are spread over groups."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

FIRST_YEAR = 2021
SEED = 20211130
# 2021 to the end of November (the union's report)
RECUPERATION_BY_NOV = 1065
PEOPLE_BY_NOV = 38665
TRAINING_BY_NOV = 65
CONFERENCES_BY_NOV = 3
FRONTLINE_DAY = dt.date(2021, 3, 31)
FRONTLINE_PEOPLE = 200
# Arrivals by month (Spring Festival quiet, spring and autumn busy); December continues the year.
MONTH_WEIGHTS = (3, 2, 8, 11, 12, 10, 9, 8, 11, 12, 11, 6)
#: Each demo year's volume against 2021's (2022 was a hard year for travel, then slow growth); ``demo --years`` goes up to its length
#: (twenty years: the size the start-up benchmarks measure against five).
YEAR_SCALE = (
    *(1.0, 0.72, 0.96, 1.0, 1.02, 1.04, 1.05, 1.06, 1.07, 1.08),
    *(1.09, 1.1, 1.11, 1.12, 1.13, 1.14, 1.15, 1.16, 1.17, 1.18),
)


@dataclass
class DemoTables:
    partners: list[dict[str, object]] = field(default_factory=list)
    agreements: list[dict[str, object]] = field(default_factory=list)
    bases: list[dict[str, object]] = field(default_factory=list)
    certifications: list[dict[str, object]] = field(default_factory=list)
    steps: list[dict[str, object]] = field(default_factory=list)
    routes: list[dict[str, object]] = field(default_factory=list)
    route_items: list[dict[str, object]] = field(default_factory=list)
    batches: list[dict[str, object]] = field(default_factory=list)
    batch_items: list[dict[str, object]] = field(default_factory=list)
    lodging: list[dict[str, object]] = field(default_factory=list)
    participants: list[dict[str, object]] = field(default_factory=list)
    roster_events: list[dict[str, object]] = field(default_factory=list)
    rate_cards: list[dict[str, object]] = field(default_factory=list)
    rate_lines: list[dict[str, object]] = field(default_factory=list)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def demo_uscc(rng: random.Random, region: str) -> str:
    from stdnum.cn import uscc

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + region + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def apportion(total: int, weights: tuple[int, ...] | list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` with whole numbers that add up exactly."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[: total - sum(counts)]:
        counts[i] += 1
    return counts


def group_sizes(rng: random.Random, count: int, people: int) -> list[int]:
    """``count`` group sizes between 15 and 60 adding up to exactly ``people``."""
    mean = people / count
    sizes = [max(15, min(60, round(rng.gauss(mean, 9)))) for _ in range(count)]
    diff = people - sum(sizes)
    step = 1 if diff > 0 else -1
    while diff:
        i = rng.randrange(count)
        if 15 <= sizes[i] + step <= 60:
            sizes[i] += step
            diff -= step
    rng.shuffle(sizes)
    return sizes


def status_on(arrival: dt.date, today: dt.date) -> str:
    """A demo batch's status seen from ``today``: past ones completed, near ones confirmed."""
    if arrival + dt.timedelta(days=5) < today:
        return "completed"
    if arrival <= today:
        return "in_progress"
    return "confirmed" if (arrival - today).days <= 30 else "planned"
