"""The demo's generator: reference data, then each year's batches with lodging and rosters.

See :mod:`recuperation.demo` for what the demo promises; this module makes the rows, it writes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Sequence

from recuperation.demo import data
from recuperation.demo.helpers import (
    FIRST_YEAR,
    FRONTLINE_DAY,
    FRONTLINE_PEOPLE,
    MONTH_WEIGHTS,
    PEOPLE_BY_NOV,
    RECUPERATION_BY_NOV,
    SEED,
    TRAINING_BY_NOV,
    YEAR_SCALE,
    DemoTables,
    add_years,
    apportion,
    demo_uscc,
    group_sizes,
    status_on,
)
from recuperation.people import with_check_character
from recuperation.services.common import now


class Generator:
    def __init__(self, years: int, progress: Callable[[str, float], None] | None):
        self.rng = random.Random(SEED)
        self.years = years
        self.last_day = dt.date(FIRST_YEAR + years - 1, 12, 31)
        self.t = DemoTables()
        self.progress = progress or (lambda _stage, _fraction: None)
        self.stamp = now()
        self.used_ids: set[str] = set()
        self.beds_used: dict[tuple[int, dt.date], int] = defaultdict(int)
        self.guide_days: dict[tuple[str, dt.date], bool] = {}
        self.vehicle_days: dict[tuple[str, dt.date], bool] = {}
        #: each batch's first participant and first lodging row (rows are appended batch after batch)
        self.spans: dict[int, tuple[int, int]] = {}
        self.vehicles = [f"浙A·{chr(65 + i % 6)}{1000 + 137 * i % 9000:04d}" for i in range(70)]

    def versioned(self, **values: object) -> dict[str, object]:
        return {
            "version": 1,
            "created_at": self.stamp,
            "updated_at": self.stamp,
            "updated_by": "demo",
            **values,
        }

    # --- reference data ---------------------------------------------------------------------------------

    def reference(self) -> None:
        rng = self.rng
        self.partner_ids: dict[str, int] = {}
        self.partner_info: dict[int, tuple[str, str, str, int]] = {}
        for pid, (name, kind, region, code, weight) in enumerate(data.PARTNERS, start=1):
            self.partner_ids[name] = pid
            self.partner_info[pid] = (name, kind, code, weight)
            self.t.partners.append(
                self.versioned(
                    id=pid,
                    name=name,
                    kind=kind,
                    region=region,
                    uscc=demo_uscc(rng, code),
                    contact_name=self.person_name(),
                    contact_phone=self.phone(),
                    address=region,
                    notes="",
                    archived=False,
                )
            )
        self.agreement_chain: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
        serial: dict[int, int] = defaultdict(int)
        for pid, (name, _kind, _code, _weight) in self.partner_info.items():
            if name in data.SIGNED_FIRST_YEAR:
                month, day = data.SIGNED_FIRST_YEAR[name]
                start = dt.date(FIRST_YEAR, month, day)
            else:
                start = dt.date(
                    rng.choice((FIRST_YEAR - 2, FIRST_YEAR - 1)), rng.randint(1, 12), rng.randint(1, 28)
                )
            # Agreements run three years and are renewed until the end of the demo.
            while start <= self.last_day:
                end = add_years(start, 3) - dt.timedelta(days=1)
                signed = (
                    start
                    if start.year == FIRST_YEAR and name in data.SIGNED_FIRST_YEAR
                    else start - dt.timedelta(days=rng.randint(5, 25))
                )
                if signed.year == FIRST_YEAR and name not in data.SIGNED_FIRST_YEAR:
                    signed = dt.date(FIRST_YEAR - 1, 12, 20)  # renewals signed before the year began
                serial[signed.year] += 1
                aid = len(self.t.agreements) + 1
                self.t.agreements.append(
                    self.versioned(
                        id=aid,
                        partner_id=pid,
                        number=f"JDGH-XY-{signed.year}-{serial[signed.year]:03d}",
                        signed_on=signed,
                        valid_from=start,
                        valid_to=end,
                        quota_batches=None,
                        quota_people=None,
                        price_fen=rng.choice((320, 350, 380, 400, 420, 450)) * 100,
                        notes="疗休养合作协议",
                        scan_path="",
                        archived=False,
                    )
                )
                self.agreement_chain[pid].append((aid, start, end))
                start = end + dt.timedelta(days=1)

        self.base_ids: dict[str, int] = {}
        self.base_beds: dict[int, int] = {}
        self.base_township: dict[int, str] = {}
        self.base_valid_from: dict[int, dt.date] = {}
        cert_serial = 0
        for bid, (name, kind, township, beds, rooms, dining, meeting, cert) in enumerate(data.BASES, start=1):
            self.base_ids[name] = bid
            self.base_beds[bid] = beds
            self.base_township[bid] = township
            self.t.bases.append(
                self.versioned(
                    id=bid,
                    name=name,
                    kind=kind,
                    township=township,
                    address=f"建德市{township}",
                    contact_name=self.person_name(),
                    contact_phone=self.phone(),
                    beds=beds,
                    rooms=rooms,
                    dining_seats=dining,
                    meeting_seats=meeting,
                    notes="",
                    archived=False,
                )
            )
            cid = len(self.t.certifications) + 1
            if cert is None:
                if name in data.COUNTY_APPLICANTS:
                    applied = dt.date(FIRST_YEAR, 9, 1) + dt.timedelta(days=bid)
                    self.t.certifications.append(
                        self.versioned(
                            id=cid,
                            base_id=bid,
                            level="county",
                            status="first_review",
                            certificate_no=None,
                            applied_on=applied,
                            valid_from=None,
                            valid_to=None,
                            recheck_due=None,
                        )
                    )
                    self.step(cid, "application", applied)
                    self.step(cid, "first_review", applied + dt.timedelta(days=20))
                continue
            level, since = cert
            valid_from = dt.date.fromisoformat(since)
            self.base_valid_from[bid] = valid_from
            applied = valid_from - dt.timedelta(days=90)
            cert_serial += 1
            prefix = "ZJ" if level == "provincial" else "HZ"
            self.step(cid, "application", applied)
            self.step(cid, "first_review", applied + dt.timedelta(days=30))
            self.step(cid, "site_inspection", applied + dt.timedelta(days=60))
            self.step(
                cid,
                "certified",
                valid_from,
                notes=f"{'省级' if level == 'provincial' else '杭州市级'}职工疗休养基地",
            )
            valid_to = add_years(valid_from, 3) - dt.timedelta(days=1)
            status = "certified"
            while valid_to < self.last_day:  # re-checked before each term ends
                self.step(cid, "recheck", valid_to - dt.timedelta(days=30), notes="复核通过，有效期延长三年")
                valid_to = add_years(valid_to, 3)
                status = "rechecked"
            self.t.certifications.append(
                self.versioned(
                    id=cid,
                    base_id=bid,
                    level=level,
                    status=status,
                    certificate_no=f"{prefix}LXY-{valid_from.year}-{cert_serial:03d}",
                    applied_on=applied,
                    valid_from=valid_from,
                    valid_to=valid_to,
                    recheck_due=valid_to - dt.timedelta(days=60),
                )
            )
        self.lodging_bases = [self.base_ids[b[0]] for b in data.BASES if b[3] > 0 and b[7] is not None]

        self.route_plans: dict[int, list[tuple[int, str, str, str, str, int | None]]] = {}
        self.route_days: dict[int, int] = {}
        self.route_codes: dict[int, str] = {}
        for rid, (code, name, theme, days, price, season, description, plan) in enumerate(
            data.ROUTES, start=1
        ):
            self.route_days[rid] = days
            self.route_codes[rid] = code
            self.t.routes.append(
                self.versioned(
                    id=rid,
                    code=code,
                    name=name,
                    theme=theme,
                    days=days,
                    nights=days - 1,
                    price_fen=price * 100,
                    season=season,
                    description=description,
                    archived=False,
                )
            )
            items = []
            for seq, (day, when, kind, activity, place, base) in enumerate(plan):
                base_id = self.base_ids[base] if base else None
                items.append((day, when, kind, activity, place, base_id))
                self.t.route_items.append(
                    {
                        "route_id": rid,
                        "day_no": day,
                        "seq": seq,
                        "time_of_day": when,
                        "kind": kind,
                        "activity": activity,
                        "place": place,
                        "base_id": base_id,
                    }
                )
            self.route_plans[rid] = items

    def step(self, cid: int, step: str, day: dt.date, notes: str = "") -> None:
        self.t.steps.append(
            {
                "certification_id": cid,
                "step": step,
                "on_date": day,
                "responsible": self.rng.choice(("王建华", "李秀兰", "陈志刚", "周晓峰")),
                "notes": notes,
            }
        )

    # --- people -----------------------------------------------------------------------------------------

    def person_name(self, rng: random.Random | None = None) -> str:
        rng = rng or self.rng
        given = rng.choice(data.GIVEN) + (rng.choice(data.GIVEN) if rng.random() < 0.7 else "")
        return rng.choice(data.SURNAMES) + given

    def phone(self, rng: random.Random | None = None) -> str:
        rng = rng or self.rng
        return rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"

    def id_number(
        self, region: str, on: dt.date, rng: random.Random | None = None, ages: tuple[int, int] = (22, 58)
    ) -> tuple[str, str, dt.date]:
        rng = rng or self.rng
        while True:
            birth = dt.date(on.year - rng.randint(*ages), rng.randint(1, 12), rng.randint(1, 28))
            seq = rng.randrange(1000)
            first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            number = with_check_character(first17)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number, ("M" if seq % 2 else "F"), birth

    # --- batches ----------------------------------------------------------------------------------------

    def agreement_for(self, partner_id: int, day: dt.date) -> int | None:
        for aid, start, end in self.agreement_chain.get(partner_id, []):
            if start <= day <= end:
                return aid
        return None

    def partners_on(self, day: dt.date, frontline: bool) -> tuple[list[int], list[int]]:
        ids, weights = [], []
        for pid, (name, _kind, _code, weight) in self.partner_info.items():
            if name in data.SIGNED_FIRST_YEAR and self.agreement_for(pid, day) is None:
                continue  # new partners send groups once their agreement is signed
            if name == "杭州市总工会" and not frontline:
                continue
            ids.append(pid)
            weights.append(weight)
        return ids, weights

    def lodge(self, nights: list[tuple[dt.date, int | None]], people: int) -> list[tuple[int, dt.date, int]]:
        """Beds for ``people`` on each night: the preferred base first, then same township, then any."""
        placed = []
        for night, preferred in nights:
            valid = [b for b in self.lodging_bases if self.base_valid_from[b] <= night]
            order = []
            if preferred in valid:
                order.append(preferred)
                township = self.base_township[preferred]
                order += [b for b in valid if b != preferred and self.base_township[b] == township]
            rest = [b for b in valid if b not in order]
            self.rng.shuffle(rest)
            order += rest
            left = people
            for base_id in order:
                free = self.base_beds[base_id] - self.beds_used[(base_id, night)]
                if free <= 0:
                    continue
                take = min(free, left)
                self.beds_used[(base_id, night)] += take
                placed.append((base_id, night, take))
                left -= take
                if not left:
                    break
            if left:
                raise RuntimeError(f"demo: no beds left on {night} for {people} people")
        return placed

    def free(
        self, pool: list[str] | tuple[str, ...], taken: dict[tuple[str, dt.date], bool], days: list[dt.date]
    ) -> str:
        start = self.rng.randrange(len(pool))
        for i in range(len(pool)):
            candidate = pool[(start + i) % len(pool)]
            if not any((candidate, d) in taken for d in days):
                for d in days:
                    taken[(candidate, d)] = True
                return candidate
        return ""

    def add_batch(
        self,
        *,
        kind: str,
        partner_id: int,
        route_id: int | None,
        arrival: dt.date,
        days: int,
        headcount: int,
        status: str,
        lodging_pref: Sequence[int | None],
        cancel: bool = False,
    ) -> None:
        rng = self.rng
        departure = arrival + dt.timedelta(days=days - 1)
        stay = [arrival + dt.timedelta(days=i) for i in range(days)]
        nights = [
            (arrival + dt.timedelta(days=i), lodging_pref[i] if i < len(lodging_pref) else None)
            for i in range(days - 1)
        ]
        bid = len(self.t.batches) + 1
        placed = [] if cancel else self.lodge(nights, headcount)
        self.spans[bid] = (len(self.t.participants), len(self.t.lodging))
        for base_id, night, people in placed:
            self.t.lodging.append({"batch_id": bid, "base_id": base_id, "night": night, "people": people})
        name, partner_kind, region, _weight = self.partner_info[partner_id]
        departments = data.UNIVERSITY_DEPARTMENTS if partner_kind == "university" else data.DEPARTMENTS
        leader = leader_phone = ""
        for i in range(headcount):
            number, sex, birth = self.id_number(region, arrival)
            person = self.person_name()
            phone = self.phone()
            category = (
                "一线职工"
                if name == "杭州市总工会"
                else rng.choices([c for c, _ in data.CATEGORIES], [w for _, w in data.CATEGORIES])[0]
            )
            if i == 0:
                leader, leader_phone = person, phone
            self.t.participants.append(
                {
                    "version": 1,
                    "created_at": self.stamp,
                    "updated_at": self.stamp,
                    "updated_by": "demo",
                    "batch_id": bid,
                    "name": person,
                    "id_number": number,
                    "sex": sex,
                    "birth_date": birth,
                    "phone": phone,
                    "employer": name,
                    "department": rng.choice(departments),
                    "model_worker": category == "劳模先进",
                    "category": category,
                    "diet": "",
                    "health": "",
                    "emergency_contact": "",
                    "room": "",
                    "notes": "",
                    "companion": False,
                    "attendance": "",
                    "left_on": None,
                }
            )
        self.t.batches.append(
            self.versioned(
                id=bid,
                code="",
                kind=kind,
                status=status,
                partner_id=partner_id,
                agreement_id=self.agreement_for(partner_id, arrival),
                route_id=route_id,
                arrival=arrival,
                departure=departure,
                headcount=headcount,
                leader=leader,
                leader_phone=leader_phone,
                guide="" if cancel else self.free(data.GUIDES, self.guide_days, stay),
                vehicle="" if cancel else self.free(self.vehicles, self.vehicle_days, stay),
                notes="",
                cancel_reason="合作单位调整工作安排，本批次取消" if cancel else "",
                roll_closed_on=None,
            )
        )
        if route_id is not None:
            lodging_by_night = {night: base for base, night, _ in placed}
            for seq, (day, when, item_kind, activity, place, item_base) in enumerate(
                self.route_plans[route_id]
            ):
                on = arrival + dt.timedelta(days=day - 1)
                if item_kind == "lodging":
                    item_base = lodging_by_night.get(on, item_base)
                self.t.batch_items.append(
                    {
                        "batch_id": bid,
                        "on_date": on,
                        "seq": seq,
                        "time_of_day": when,
                        "kind": item_kind,
                        "activity": activity,
                        "place": place,
                        "base_id": item_base,
                    }
                )

    def route_lodging(self, route_id: int) -> list[int | None]:
        days = self.route_days[route_id]
        prefs: list[int | None] = [None] * max(days - 1, 0)
        for day, _when, kind, _activity, _place, base_id in self.route_plans[route_id]:
            if kind == "lodging" and day - 1 < len(prefs):
                prefs[day - 1] = base_id
        return prefs

    def day_in(self, year: int, month: int, after: dt.date | None = None) -> dt.date:
        first = dt.date(year, month, 1)
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        if after and after > first:
            first = after
        return first + dt.timedelta(days=self.rng.randrange((last - first).days + 1))

    def year(self, index: int) -> None:
        rng = self.rng
        year = FIRST_YEAR + index
        scale = YEAR_SCALE[index] if index < len(YEAR_SCALE) else 1.08
        by_nov = round(RECUPERATION_BY_NOV * scale)
        people_by_nov = round(PEOPLE_BY_NOV * scale)
        weights = MONTH_WEIGHTS[:11]
        per_month = apportion(by_nov, weights)
        december = round(by_nov * MONTH_WEIGHTS[11] / sum(weights))
        sizes = group_sizes(
            rng, by_nov - (1 if index == 0 else 0), people_by_nov - (FRONTLINE_PEOPLE if index == 0 else 0)
        )
        plans: list[tuple[dt.date, int, int | None]] = []  # arrival, headcount, forced partner
        if index == 0:
            plans.append((FRONTLINE_DAY, FRONTLINE_PEOPLE, self.partner_ids["杭州市总工会"]))
        sizes_iter = iter(sizes)
        for month, count in enumerate(per_month, start=1):
            for _ in range(count - (1 if index == 0 and month == 3 else 0)):
                plans.append((self.day_in(year, month), next(sizes_iter), None))
        plans += [(self.day_in(year, 12), rng.randint(20, 50), None) for _ in range(december)]
        training = apportion(round(TRAINING_BY_NOV * scale), weights)
        conferences = [
            (dt.date(year, 4, 20), 150),
            (dt.date(year, 7, 8), 120),
            (dt.date(year, 10, 26), 130),
            (dt.date(year, 12, 16), 110),
        ]
        frontline_start = FRONTLINE_DAY if index == 0 else dt.date(year, 1, 1)

        # The frontline group and conferences book first (they are large and fixed), then in date order.
        special = [plans[0]] if index == 0 else []
        regular = sorted(plans[len(special) :], key=lambda p: p[0])
        for arrival, headcount, partner in special:
            route_id = self.route_by_code("XL02")
            self.add_batch(
                kind="recuperation",
                partner_id=partner or 0,
                route_id=route_id,
                arrival=arrival,
                days=3,
                headcount=headcount,
                status=self.status(arrival),
                lodging_pref=self.route_lodging(route_id),
            )
        for day, people in conferences:
            pref = [self.base_ids["建德新安江疗休养中心"]]
            self.add_batch(
                kind="conference",
                partner_id=self.partner_ids["杭州市总工会"],
                route_id=None,
                arrival=day,
                days=2,
                headcount=people,
                status=self.status(day),
                lodging_pref=pref,
            )
        unions = [pid for pid, info in self.partner_info.items() if info[1] == "union"]
        for month, count in enumerate([*training, round(6 * scale)], start=1):
            for _ in range(count):
                arrival = self.day_in(year, month)
                centre = self.base_ids[rng.choice(("更楼培训中心", "建德新安江疗休养中心"))]
                days = rng.choice((2, 3, 3, 4, 5))
                partner = rng.choice(unions)
                if data.PARTNERS[partner - 1][0] in data.SIGNED_FIRST_YEAR and not self.agreement_for(
                    partner, arrival
                ):
                    partner = self.partner_ids["杭州市教育工会"]
                self.add_batch(
                    kind="training",
                    partner_id=partner,
                    route_id=None,
                    arrival=arrival,
                    days=days,
                    headcount=rng.randint(30, 60),
                    status=self.status(arrival),
                    lodging_pref=[centre] * (days - 1),
                )
        for n, (arrival, headcount, _forced) in enumerate(regular):
            ids, partner_weights = self.partners_on(arrival, arrival >= frontline_start)
            partner = rng.choices(ids, partner_weights)[0]
            route_id = self.pick_route(arrival)
            self.add_batch(
                kind="recuperation",
                partner_id=partner,
                route_id=route_id,
                arrival=arrival,
                days=self.route_days[route_id],
                headcount=headcount,
                status=self.status(arrival),
                lodging_pref=self.route_lodging(route_id),
            )
            if n % 200 == 0:
                self.progress(f"{year}", (index + n / max(len(regular), 1)) / self.years)
        # A few batches were cancelled: they never count and hold no beds.
        for _ in range(round(12 * scale)):
            arrival = self.day_in(year, rng.randint(1, 11))
            ids, partner_weights = self.partners_on(arrival, arrival >= frontline_start)
            route_id = self.pick_route(arrival)
            self.add_batch(
                kind="recuperation",
                partner_id=rng.choices(ids, partner_weights)[0],
                route_id=route_id,
                arrival=arrival,
                days=self.route_days[route_id],
                headcount=rng.randint(20, 45),
                status="cancelled",
                lodging_pref=[],
                cancel=True,
            )

    def route_by_code(self, code: str) -> int:
        return next(rid for rid, c in self.route_codes.items() if c == code)

    def pick_route(self, arrival: dt.date) -> int:
        ids = list(self.route_days)
        weights = [4 if self.route_codes[r] in ("XL01", "XL02", "XL05") else 2 for r in ids]
        route_id = self.rng.choices(ids, weights)[0]
        if self.route_codes[route_id] == "XL03" and 6 <= arrival.month <= 11:  # strawberries grow in winter
            route_id = self.route_by_code("XL02")
        return route_id

    def status(self, arrival: dt.date) -> str:
        return status_on(arrival, dt.date.today())

    def finish(self) -> None:
        """Codes by arrival order within year and kind; agreement quotas with headroom over their use."""
        counters: dict[tuple[str, int], int] = defaultdict(int)
        prefix = {"recuperation": "L", "training": "P", "conference": "H"}
        for batch in sorted(self.t.batches, key=lambda b: (str(b["arrival"]), int(b["id"]))):  # type: ignore[call-overload]
            arrival: dt.date = batch["arrival"]  # type: ignore[assignment]
            key = (str(batch["kind"]), arrival.year)
            counters[key] += 1
            batch["code"] = f"{prefix[key[0]]}{arrival.year}-{counters[key]:04d}"
        use: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
        headcounts = {b["id"]: b for b in self.t.batches}
        for batch in headcounts.values():
            if batch["agreement_id"] and batch["status"] != "cancelled":
                arrival = batch["arrival"]  # type: ignore[assignment]
                entry = use[(batch["agreement_id"], arrival.year)]  # type: ignore[index]
                entry[0] += 1
                entry[1] += int(batch["headcount"])  # type: ignore[call-overload]
        for agreement in self.t.agreements:
            years = [v for (aid, _y), v in use.items() if aid == agreement["id"]]
            most_batches = max((v[0] for v in years), default=10)
            most_people = max((v[1] for v in years), default=400)
            agreement["quota_batches"] = -(-int(most_batches * 1.25) // 5) * 5
            agreement["quota_people"] = -(-int(most_people * 1.25) // 100) * 100
        self.after_the_trip()
        self.rate_cards()

    def rate_cards(self) -> None:
        """Every base's rate card for each year, from a random stream of their own (nothing above moves)."""
        from recuperation.demo.rate_cards import make_rate_cards, route_activities

        # to the year the last batch leaves (one that arrives on 31 December sleeps into the next year)
        departures: list[dt.date] = [b["departure"] for b in self.t.batches]  # type: ignore[misc]
        last = max([self.last_day, *departures])
        self.t.rate_cards, self.t.rate_lines = make_rate_cards(
            self.t.bases, route_activities(self.route_plans), FIRST_YEAR, last.year, self.versioned
        )

    # --- who actually went ------------------------------------------------------------------------------

    def after_the_trip(self) -> None:
        """The roll call of every completed batch (closed on its departure day: most attended, a few no-shows,
        a few left early), a few companions (随行家属) and substitutions (换人).

        Drawn from its own random stream after everything else, so none of the figures above move: the
        companions are added beside the planned roster (the headcount and the planned 人次 stay) and lodge
        only where the base has the beds to spare."""
        rng = random.Random(SEED + 21)
        participants, lodging = self.t.participants, self.t.lodging
        count = len(self.t.batches)
        added: list[dict[str, object]] = []
        for batch in self.t.batches:
            if batch["status"] != "completed":
                continue
            bid = int(batch["id"])  # type: ignore[call-overload]
            first, first_night = self.spans[bid]
            last, last_night = self.spans[bid + 1] if bid < count else (len(participants), len(lodging))
            arrival: dt.date = batch["arrival"]  # type: ignore[assignment]
            departure: dt.date = batch["departure"]  # type: ignore[assignment]
            partner = self.partner_info[int(batch["partner_id"])][0]  # type: ignore[call-overload]
            recuperation = batch["kind"] == "recuperation" and partner != "杭州市总工会"
            if recuperation and last - first > 1 and rng.random() < 0.03:
                self.substitution(rng, batch, participants[rng.randrange(first + 1, last)])
            family = (
                self.companions(rng, batch, participants[first:last], lodging[first_night:last_night])
                if recuperation and rng.random() < 0.06
                else []
            )
            stay = (departure - arrival).days
            for person in participants[first:last]:
                roll = rng.random()
                if roll >= 0.04:
                    person["attendance"] = "attended"
                elif roll < 0.025 or stay < 1:
                    person["attendance"] = "no_show"
                else:
                    person["attendance"] = "left_early"
                    person["left_on"] = arrival + dt.timedelta(days=rng.randrange(stay))
            for person in family:
                person["attendance"] = "attended"
            added += family
            batch["roll_closed_on"] = departure
        participants += added  # after everyone else: the planned rosters keep their rows and order

    def companions(
        self,
        rng: random.Random,
        batch: dict[str, object],
        roster: list[dict[str, object]],
        nights: list[dict[str, object]],
    ) -> list[dict[str, object]]:
        """One or two family members travelling with a member at their own cost, lodged with the group: none
        when a night has no bed to spare."""
        count = rng.choice((1, 1, 2))
        rows: dict[dt.date, dict[str, object]] = {}
        for row in nights:
            rows.setdefault(row["night"], row)  # type: ignore[arg-type]
        for row in rows.values():
            base_id, night = int(row["base_id"]), row["night"]  # type: ignore[call-overload]
            if self.beds_used[(base_id, night)] + count > self.base_beds[base_id]:  # type: ignore[index]
                return []
        for row in rows.values():
            row["people"] = int(row["people"]) + count  # type: ignore[call-overload]
            self.beds_used[(int(row["base_id"]), row["night"])] += count  # type: ignore[call-overload,index]
        member = rng.choice(roster)
        region = str(member["id_number"])[:6]
        added = []
        for n in range(count):
            number, sex, birth = self.id_number(region, batch["arrival"], rng, (8, 70) if n else (25, 65))  # type: ignore[arg-type]
            surname = str(member["name"])[0]
            name = (surname if n else "") + self.person_name(rng)[1 if n else 0 :]
            added.append(
                {
                    **member,
                    "name": name,
                    "id_number": number,
                    "sex": sex,
                    "birth_date": birth,
                    "phone": self.phone(rng),
                    "department": "",
                    "model_worker": False,  # the category stays the member's: the partner's list has them together
                    "notes": f"随行家属（{member['name']}的{'子女' if n else '家属'}，自费）",
                    "companion": True,
                }
            )
        return added

    def substitution(self, rng: random.Random, batch: dict[str, object], person: dict[str, object]) -> None:
        """换人 before the trip: ``person`` took the place of someone who could not go (kept in the history)."""
        from recuperation.people import mask_id

        arrival: dt.date = batch["arrival"]  # type: ignore[assignment]
        old_name = self.person_name(rng)
        old_number, _sex, _birth = self.id_number(str(person["id_number"])[:6], arrival, rng)
        why = rng.choice(("工作安排冲突", "身体原因", "家中有事", "单位另有任务"))
        self.t.roster_events.append(
            {
                "batch_id": batch["id"],
                "at": dt.datetime.combine(
                    arrival - dt.timedelta(days=rng.randint(2, 12)), dt.time(9 + rng.randrange(8))
                ),
                "user": "demo",
                "kind": "substitute",
                "name": person["name"],
                "id_masked": mask_id(str(person["id_number"])),
                "other_name": old_name,
                "other_batch_id": None,
                "reason": f"{why}（替换 {old_name} {mask_id(old_number)}）",
            }
        )
