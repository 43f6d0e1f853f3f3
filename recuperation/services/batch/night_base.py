"""Where a batch sleeps each night: one answer for the rules and for every document.

A batch says where it sleeps twice: in its lodging (住宿安排, the beds the coordinator booked night by night)
and in its itinerary (the route's day plan laid on the dates, whose 入住 item names a base).  The two can
disagree, when the lodging was changed after the route was chosen.  The lodging wins: the coordinator set
it explicitly and the beds are counted against it, so a night that has lodging is spent at its bases, most
people first; a lodging row of 0 people lodges nobody and is not one of them.  A night without lodging (or
with 0 people only) falls back on the itinerary's 入住 base.

The itinerary PDF (行程单), the rooming list (分房表) and the kitchens' meal counts all read the night's base
from here, so they name the same base for the same night.  A 入住 item, the dinner of that evening and the
breakfast of the next morning that the itinerary serves at its own night's base move with the lodging;
other meals (a lunch on the way) stay where the itinerary serves them.  The rule ``lodging_plan``
(:func:`recuperation.services.batch.rules.batch_findings`) warns about every night where the two disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from recuperation.models import ItemKind

#: A base as the documents name it: (id, name).
BaseRef = tuple[int, str]


@dataclass(frozen=True)
class NightBase:
    """One night of a batch: where it sleeps and where its itinerary says it sleeps."""

    night: dt.date
    bases: tuple[BaseRef, ...]  # where the group sleeps, most people first (never empty)
    planned: BaseRef | None  # the itinerary's 入住 base that night, if any
    from_lodging: bool  # the bases come from the lodging (else from the itinerary)

    @property
    def main(self) -> BaseRef:
        """The base that holds most of the group that night (where the staff sleep and the group eats)."""
        return self.bases[0]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for _id, name in self.bases)

    @property
    def agrees(self) -> bool:
        """False when the lodging puts the group at bases that do not include the itinerary's base."""
        if self.planned is None or not self.from_lodging:
            return True
        return self.planned[0] in {base_id for base_id, _name in self.bases}


def night_bases(
    lodging: Iterable[tuple[dt.date, int, str, int]], plan: Iterable[tuple[dt.date, int, str]]
) -> dict[dt.date, NightBase]:
    """Each night's bases from the lodging rows (night, base id, base name, people) and the itinerary's 入住
    items (date, base id, base name) in itinerary order; the first 入住 item of a day is the plan's base."""
    lodged: dict[dt.date, list[tuple[int, int, str]]] = {}
    for night, base_id, name, people in lodging:
        if people > 0:  # a row with nobody in it books no bed: the group does not sleep there
            lodged.setdefault(night, []).append((people, base_id, name))
    planned: dict[dt.date, BaseRef] = {}
    for on_date, base_id, name in plan:
        planned.setdefault(on_date, (base_id, name))
    result: dict[dt.date, NightBase] = {}
    for night in sorted(set(lodged) | set(planned)):
        rows = lodged.get(night)
        if rows:
            ordered = sorted(rows, key=lambda r: (-r[0], r[2]))
            bases = tuple((base_id, name) for _people, base_id, name in ordered)
            result[night] = NightBase(night, bases, planned.get(night), True)
        else:
            result[night] = NightBase(night, (planned[night],), planned[night], False)
    return result


def _night_of(kind: str, on_date: dt.date) -> dt.date | None:
    """The night whose base serves an item: the evening's for 入住 and dinner, the previous one's for breakfast."""
    if kind in (ItemKind.LODGING.value, ItemKind.DINNER.value):
        return on_date
    if kind == ItemKind.BREAKFAST.value:
        return on_date - dt.timedelta(days=1)
    return None


Item = TypeVar("Item")


def follow_lodging(
    items: Sequence[Item], nights: Mapping[dt.date, NightBase], townships: Mapping[int, str] | None = None
) -> list[Item]:
    """The itinerary rows as they are printed: on a night whose lodging disagrees with the itinerary, the
    入住 item and the meals the itinerary serves at its night's base (that evening's dinner, the next
    morning's breakfast) name the base that holds most of the group instead, and their place becomes that
    base's township (from ``townships``) or its name.

    ``items`` are dataclasses with ``kind``, ``on_date``, ``base_id``, ``base`` and ``place``
    (:class:`recuperation.services.batch.edit.ItineraryRow`)."""
    result: list[Item] = []
    for item in items:
        row: Any = item
        night = _night_of(row.kind, row.on_date)
        entry = nights.get(night) if night is not None else None
        if (
            entry is not None
            and not entry.agrees
            and entry.planned is not None
            and row.base_id == entry.planned[0]
        ):
            base_id, name = entry.main
            place = (townships or {}).get(base_id) or name
            row = replace(row, base_id=base_id, base=name, place=place)
        result.append(row)
    return result
