"""The PIN of a single desk: an SQLite file may ask for a PIN to open it and to show full numbers.

On an SQLite file the computer's user is the desk's user and holds every right (``recuperation/access.py``);
the administrator may add a PIN of 4–12 digits, which the desktop asks for when it opens the file and before
it reveals, prints or exports full ID numbers, and the command line before a command with ``--full-ids``
(on a terminal, or from ``RECUPERATION_PIN``).  It keeps a colleague passing by from opening the program; it
protects nothing against whoever can copy the file, which is read without the program (the README says how
to encrypt the disk or the folder).  A server has no PIN: each person signs in with a login of their own.

The PIN is kept as a salted scrypt hash in ``app_meta`` (key ``desk_pin``), never the PIN itself.  Setting,
changing and clearing it are audited (that it was set or cleared, never the PIN).  Changing or clearing it
needs the current PIN.

Wrong PINs are counted in the file (``app_meta`` key ``desk_pin_failures``: the count and the time of the
last), whatever asked — opening, an action, a change of the PIN — and across runs of the program: after
:data:`FREE_TRIES` wrong ones in a row, each further try waits, 30 seconds doubling up to an hour, and no PIN is
checked meanwhile (:func:`check_pin` refuses, saying until when).  The right PIN clears the count.  So
guessing a 4-digit PIN at an unlocked desk takes days, not minutes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import os
import re

from recuperation.access import RIGHTS, right_label, roles_text
from recuperation.errors import AccessDenied, RuleViolation, ValidationError
from recuperation.models import AppMeta
from recuperation.services.common import audit
from recuperation.storage.database import Database

#: The key of the PIN's hash in ``app_meta``.
PIN_KEY = "desk_pin"
#: The key of the count of wrong PINs in a row and the time of the last, in ``app_meta``.
FAILURES_KEY = "desk_pin_failures"
#: Wrong PINs in a row before each further try waits.
FREE_TRIES = 5
#: The first wait after :data:`FREE_TRIES` wrong ones (doubling with each further wrong one) and the longest.
FIRST_WAIT = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=1)
#: The table name the audit log records the PIN's changes under.
AUDIT_KIND = "desk_pin"
_DIGITS = re.compile(r"^[0-9]{4,12}$")
# scrypt's cost: about 16 MB and a few tens of milliseconds a check on an office computer.
_N, _R, _P = 2**14, 8, 1


def _digest(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def _hashed(pin: str) -> str:
    salt = os.urandom(16)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${_digest(pin, salt, _N, _R, _P).hex()}"


def _matches(stored: str, pin: str) -> bool:
    if not _DIGITS.match(pin or ""):
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        found = _digest(pin, bytes.fromhex(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(found, bytes.fromhex(digest))


def _stored(db: Database) -> str | None:
    with db.session() as session:
        row = session.get(AppMeta, PIN_KEY)
        return None if row is None else row.value


def pin_required(db: Database) -> bool:
    """Whether this desk asks for a PIN (an SQLite file with one set; a server never)."""
    return db.is_sqlite and _stored(db) is not None


def waiting_time(failures: int) -> dt.timedelta:
    """How long a try waits after ``failures`` wrong PINs in a row (nothing for the first :data:`FREE_TRIES`)."""
    if failures < FREE_TRIES:
        return dt.timedelta(0)
    return min(FIRST_WAIT * 2 ** min(failures - FREE_TRIES, 20), LONGEST_WAIT)


def _failures(row: AppMeta | None) -> tuple[int, dt.datetime | None]:
    try:
        count, last = (row.value if row is not None else "").split(" ", 1)
        return int(count), dt.datetime.fromisoformat(last)
    except ValueError:
        return 0, None


def check_pin(db: Database, pin: str, *, now: dt.datetime | None = None) -> bool:
    """Whether ``pin`` opens this desk (True when no PIN is set).  A wrong one is counted; after
    :data:`FREE_TRIES` in a row a try within the waiting time (:func:`waiting_time`) is refused
    (RuleViolation ``pin.locked``, saying until when) without looking at the PIN."""
    if not db.is_sqlite:
        return True
    now = now or dt.datetime.now()
    with db.session(write=True) as session:
        stored = session.get(AppMeta, PIN_KEY)
        if stored is None:
            return True
        row = session.get(AppMeta, FAILURES_KEY)
        count, last = _failures(row)
        wait = waiting_time(count)
        if wait and last is not None and last <= now < last + wait:
            until = last + wait
            raise RuleViolation(
                "pin.locked",
                count=count,
                until=until.strftime("%H:%M:%S"),
                minutes=max(1, math.ceil((until - now).total_seconds() / 60)),
            )
        if _matches(stored.value, pin.strip()):
            if row is not None:
                session.delete(row)
            return True
        value = f"{count + 1} {now.isoformat(timespec='seconds')}"
        if row is None:
            session.add(AppMeta(key=FAILURES_KEY, value=value))
        else:
            row.value = value
            session.add(row)
        return False


def _may_change(db: Database) -> None:
    if not db.is_sqlite:
        raise RuleViolation("pin.server")
    access = db.access
    if not access.can("users"):
        raise AccessDenied(
            "access.needs", right=right_label("users"), roles=roles_text(RIGHTS["users"]), login=access.login
        )


def _checked_pin(pin: str) -> str:
    pin = pin.strip()
    if not _DIGITS.match(pin):
        raise ValidationError("pin.bad", field="pin", length=len(pin))
    return pin


def set_pin(db: Database, pin: str, current_pin: str = "") -> None:
    """Require ``pin`` to open this SQLite file and to show full numbers; changing a PIN needs the current."""
    _may_change(db)
    pin = _checked_pin(pin)
    if pin_required(db) and not check_pin(db, current_pin):  # counted as any wrong PIN
        raise ValidationError("pin.wrong_current", field="current_pin")
    with db.session(write=True) as session:
        row = session.get(AppMeta, PIN_KEY)
        if row is None:
            session.add(AppMeta(key=PIN_KEY, value=_hashed(pin)))
            audit(session, db.user, "create", AUDIT_KIND, None, "PIN")
        else:
            row.value = _hashed(pin)
            session.add(row)
            audit(session, db.user, "update", AUDIT_KIND, None, "PIN")


def clear_pin(db: Database, current_pin: str) -> None:
    """Open this SQLite file without a PIN again (needs the current PIN)."""
    _may_change(db)
    if not pin_required(db):
        raise RuleViolation("pin.none")
    if not check_pin(db, current_pin):  # counted as any wrong PIN
        raise ValidationError("pin.wrong_current", field="current_pin")
    with db.session(write=True) as session:
        row = session.get(AppMeta, PIN_KEY)
        if row is None:
            raise RuleViolation("pin.none")
        session.delete(row)
        audit(session, db.user, "delete", AUDIT_KIND, None, "PIN")
