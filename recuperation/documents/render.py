"""One way to print a document, for the command line and the desktop alike.

:func:`render` chooses the PDF font (the one set in the settings, else the best embeddable CJK font found,
else the built-in one with a note), writes the document privately into place and returns what the user
should be told beside the file: that no Chinese font could be embedded, or which characters of which
person print as blanks.  The CLI prints the notes; the desktop shows them under its preview.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from recuperation import messages
from recuperation.errors import ValidationError
from recuperation.storage.database import Database

#: The service orders' documents (``documents.orders_docs``): an order, a base's orders of a period, the change
#: and cancellation notices, the departure notice.
ORDER_DOCUMENTS = ("order", "orders", "notice", "departure")
#: The documents, as ``recuperation print`` names them; the key is a batch code, a route code, a year or (for
#: ``orders``, one base's orders of a period) a base's name.
DOCUMENTS = (
    "itinerary",
    "manifest",
    "rooming",
    "route",
    "annual",
    "checkin",
    *ORDER_DOCUMENTS,
    "statement",
    "settlement",
    "scorecard",  # a base's scorecard (key: its name; "" for every base), documents.review_docs
    "review_file",  # a base's re-check file (复核档案)
)


@dataclass(frozen=True)
class Rendered:
    path: Path
    embedded: bool  # a Chinese font is embedded (else only viewers with Chinese fonts show the text)
    notes: tuple[str, ...] = ()

    def note(self) -> str:
        return "\n".join(self.notes)


def render(
    db: Database,
    document: str,
    key: str | int,
    target: Path,
    *,
    full_ids: bool = False,
    until: dt.date | None = None,
    base: str | None = None,
    first: dt.date | None = None,
    year: int | None = None,
) -> Rendered:
    """Write ``document`` for ``key`` to ``target``.  ``full_ids``: a manifest, or an order's roster, with
    full ID numbers (the caller has asked for them on purpose); ``until``: the annual report's last day, or
    the last of the period of a base's orders (``first`` its first); ``base``: the base an order or a change
    notice is for (a notice for every base that needs one when None); ``year``: the year of a partner's
    statement (``statement``: ``key`` is the partner's name); ``settlement``: the batch's settlement sheet for
    every base, or for ``base`` only."""
    from recuperation.documents import batch_docs
    from recuperation.documents.fonts import find_font
    from recuperation.services.policy import get_policy

    if document not in DOCUMENTS:
        raise ValidationError("print.unknown_document", value=document, documents=", ".join(DOCUMENTS))
    font = find_font(get_policy(db).pdf_font)
    code = str(key)
    if document in ("scorecard", "review_file"):
        from recuperation.documents import review_docs, scorecard_docs

        if document == "scorecard":
            assert year is not None
            result = scorecard_docs.print_scorecards(db, code or None, year, target, font=font)
        else:
            result = review_docs.print_review_file(db, code, year, target, font=font)
    elif document == "statement":
        from recuperation.documents.statement_docs import print_statement

        assert year is not None
        result = print_statement(db, code, year, target, font=font)
    elif document == "settlement":
        from recuperation.documents.settlement_docs import print_settlement

        result = print_settlement(db, code, target, base_name=base, font=font)
    elif document == "annual":
        from recuperation.documents.annual import print_annual

        result = print_annual(db, int(key), until, target, font=font)
    elif document == "manifest":
        result = batch_docs.print_manifest(db, code, target, full_ids=full_ids, font=font)
    elif document == "checkin":
        from recuperation.documents.checkin_docs import print_checkin

        result = print_checkin(db, code, target, font=font)
    elif document in ORDER_DOCUMENTS:
        from recuperation.documents import orders_docs

        if document == "order":
            result = orders_docs.print_order(db, code, base or "", target, font=font, full_ids=full_ids)
        elif document == "orders":
            assert first is not None and until is not None
            result = orders_docs.print_orders(db, code, first, until, target, font=font)
        elif document == "notice":
            result = orders_docs.print_change_notice(db, code, target, base_name=base, font=font)
        else:
            result = orders_docs.print_departure_notice(db, code, target, font=font)
    else:
        make = {
            "itinerary": batch_docs.print_itinerary,
            "rooming": batch_docs.print_rooming,
            "route": batch_docs.print_route,
        }[document]
        result = make(db, code, target, font=font)
    notes = []
    if not result.embedded:
        notes.append(messages.text("print.no_font"))
    missing = result.missing_note()
    if missing:
        notes.append(missing)
    return Rendered(result.path, result.embedded, tuple(notes))
