"""The batch area of the core: a batch and its itinerary, the rules it is checked by, where it sleeps each night,
its roster and the import of a partner's roster, its rooms and the year's planner.

- :mod:`.batches` — create, list and read batches; the booking locks; a batch's row for lists;
- :mod:`.edit` — change, move and cancel a batch, its lodging and itinerary (one transaction each);
- :mod:`.rules` — findings: what a batch breaks (firm) or should look at (warnings);
- :mod:`.night_base` — which base each night of a batch is spent at, from one place;
- :mod:`.rosters` — participants, and the rule that a person is never in two batches at once;
- :mod:`.roster_import` — a partner's roster workbook read, checked, matched, shown as a diff, applied;
- :mod:`.rooms` — the rooming list; :mod:`.planner` — the year's batches on a calendar.
"""
