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

#: The documents, as ``recuperation print`` names them; the key is a batch code, a route code or a year.
DOCUMENTS = ("itinerary", "manifest", "rooming", "route", "annual", "checkin")


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
) -> Rendered:
    """Write ``document`` for ``key`` to ``target``.  ``full_ids``: a manifest with full ID numbers (the
    caller has asked for them on purpose); ``until``: the annual report's last day."""
    from recuperation.documents import batch_docs
    from recuperation.documents.fonts import find_font
    from recuperation.services.policy import get_policy

    if document not in DOCUMENTS:
        raise ValidationError("print.unknown_document", value=document, documents=", ".join(DOCUMENTS))
    font = find_font(get_policy(db).pdf_font)
    if document == "annual":
        from recuperation.documents.annual import print_annual

        result = print_annual(db, int(key), until, target, font=font)
    elif document == "manifest":
        result = batch_docs.print_manifest(db, str(key), target, full_ids=full_ids, font=font)
    elif document == "checkin":
        from recuperation.documents.checkin_docs import print_checkin

        result = print_checkin(db, str(key), target, font=font)
    else:
        make = {
            "itinerary": batch_docs.print_itinerary,
            "rooming": batch_docs.print_rooming,
            "route": batch_docs.print_route,
        }[document]
        result = make(db, str(key), target, font=font)
    notes = []
    if not result.embedded:
        notes.append(messages.text("print.no_font"))
    missing = result.missing_note()
    if missing:
        notes.append(missing)
    return Rendered(result.path, result.embedded, tuple(notes))
