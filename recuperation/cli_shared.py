"""What the command line's modules share: opening the database (a dry run never creates one), a message on
standard error, and the tail every workbook import shares — plan, refuse or write, report.

``rates import``, ``rules import`` and the imports that came after them read a file into a plan (its rows,
what would change, the problems at their cells), write the plan in one transaction unless there are problems
or ``--dry-run``, and report it the same way: with ``--json`` one object (its ``written``, and its
``refused`` when nothing was written), else each problem on a line (sheet, row, column, message) and a
closing sentence on standard error.  Exit status 1 when refused, 0 otherwise.

Only argparse-level things are imported here (the command line's start-up, docs/architecture.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from recuperation.errors import DatabaseOpenError, DomainError

if TYPE_CHECKING:
    from recuperation.storage.database import Database


def err(text: str) -> None:
    """A message for the user: one line on standard error (results go to standard output)."""
    print(text, file=sys.stderr)


def open_db(args: argparse.Namespace, *, create: bool = False, dry_run: bool = False) -> Database:
    """The database of ``--db``.  A dry run writes nothing, so it never creates one: a mistyped ``--db`` is named
    as a file that does not exist instead of becoming a new, empty database."""
    from recuperation.storage.database import open_database
    from recuperation.storage.paths import resolve_url, sqlite_path

    if dry_run:
        try:
            path = sqlite_path(resolve_url(getattr(args, "db", None)))
        except Exception:  # a server URL or an unusable --db: open_database names the problem
            path = None
        if path is not None and not path.exists():
            raise DatabaseOpenError("db.missing_dry_run", path=str(path))
        create = False
    db = open_database(args.db, create=create)
    if getattr(args, "full_ids", False):
        try:
            require_pin(db)
        except BaseException:
            db.close()
            raise
    return db


def require_pin(db: Database) -> None:
    """Full numbers from a desk that has a PIN (``services/desk_pin.py``): the PIN typed on a terminal, or given
    in ``RECUPERATION_PIN`` for a script; refused otherwise, before anything is written."""
    import getpass
    import os

    from recuperation.errors import AccessDenied
    from recuperation.services.desk_pin import check_pin, pin_required

    if not pin_required(db):
        return
    pin = os.environ.get("RECUPERATION_PIN")
    if pin is None:
        if not sys.stdin.isatty():
            raise AccessDenied("pin.needed")
        from recuperation import messages

        pin = getpass.getpass(messages.text("pin.prompt"))
    if not check_pin(db, pin):
        raise AccessDenied("pin.wrong")


class ImportPlan(Protocol):
    """What an import read: its problems (each with sheet, row, column and message) and its report."""

    @property
    def errors(self) -> Any: ...

    def report(self) -> dict[str, Any]: ...


def run_import(
    args: argparse.Namespace,
    plan: Callable[[], ImportPlan],
    apply: Callable[[ImportPlan], object],
    refused: Callable[[int], str],
    finished: Callable[[dict[str, Any], int], str],
) -> int:
    """Plan with ``plan()`` (a whole file refused still gives one JSON object with ``--json``), write with
    ``apply(plan)`` unless the plan has problems or ``args.dry_run``; ``refused(errors)`` words the refusal of a
    file with problems, ``finished(report, errors)`` the closing sentence (``args.dry_run`` tells which)."""
    try:
        planned = plan()
    except DomainError as exc:
        if args.json:
            print(json.dumps({"written": False, "refused": exc.message}, ensure_ascii=False, indent=2))
        raise
    report = planned.report()
    errors = len(planned.errors)
    refusal = refused(errors) if errors else ""
    if not refusal and not args.dry_run:
        try:
            apply(planned)
        except DomainError as exc:
            refusal = exc.message
    report["written"] = not refusal and not args.dry_run
    if refusal:
        report["refused"] = refusal
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for problem in planned.errors:
            print(f"{problem.sheet}\t{problem.row}\t{problem.column}\t{problem.message}")
    if refusal:
        err(refusal)
        return 1
    err(finished(report, errors))
    return 0
