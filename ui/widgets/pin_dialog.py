"""The PIN of a single desk, asked when the window opens the file and before full numbers are shown.

A desk on an SQLite file may require a PIN (``recuperation/services/desk_pin.py``; set in 设置 → 用户与角色):
:func:`unlock` asks it before the window shows any data (five tries, then the program closes), and
:func:`confirm_pin` at the start of each action that reveals, prints or exports full ID numbers, once per
action.  Both answer at once when no PIN is set, and always on a server (where each person signs in with a
login of their own and the server checks the right to full numbers).

The prompt is modal and the action waits for its answer, so the check runs here, on the GUI thread: one read
of ``app_meta`` and one scrypt hash (a few tens of milliseconds), after the user pressed OK.  The prompt goes
through ``ui/widgets/dialogs.ask_text`` (the tests answer it).
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ui.widgets import dialogs

#: Wrong PINs allowed when the window opens the file; then the program closes.
OPEN_TRIES = 5
#: Wrong PINs allowed for one action; then the action is not taken.
ACTION_TRIES = 3


translate = QCoreApplication.translate


def ask_pin(parent: QWidget | None, db: Any, title: str, label: str, tries: int) -> bool | None:
    """Ask for the PIN up to ``tries`` times: True when it is right, False after ``tries`` wrong ones, None
    when the user cancelled or the desk makes them wait after too many wrong ones (said in a message)."""
    from recuperation.errors import RuleViolation
    from recuperation.services.desk_pin import check_pin

    said = label
    for attempt in range(tries):
        pin = dialogs.ask_text(
            parent,
            title,
            said,
            ok=translate("PinDialog", "确定"),
            cancel=translate("PinDialog", "取消"),
            secret=True,
        )
        if pin is None:
            return None
        try:
            if check_pin(db, pin):
                return True
        except RuleViolation as locked:  # too many wrong ones in a row: wait (services/desk_pin.py)
            dialogs.warn(parent, translate("PinDialog", "PIN 不对"), locked.message)
            return None
        left = tries - attempt - 1
        said = label + "\n" + translate("PinDialog", "PIN 不对，还可以再试 {0} 次。").format(left)
    return False


def confirm_pin(parent: QWidget | None, db: Any) -> bool:
    """Whether an action that shows, prints or exports full numbers may go on: True at once when this desk has
    no PIN (or is a server); else the PIN asked once for this action."""
    from recuperation.services.desk_pin import pin_required

    if not db.is_sqlite or not pin_required(db):
        return True
    answer = ask_pin(
        parent,
        db,
        translate("PinDialog", "输入 PIN"),
        translate("PinDialog", "显示、打印或导出完整证件号需要输入这个数据库文件的 PIN："),
        ACTION_TRIES,
    )
    if answer is False:
        dialogs.warn(
            parent,
            translate("PinDialog", "PIN 不对"),
            translate("PinDialog", "PIN 连续 {0} 次不对：没有显示完整号码。").format(ACTION_TRIES),
        )
    return answer is True


def unlock(parent: QWidget | None, db: Any, *, from_environment: bool = False) -> bool:
    """Whether the window may show this database: True at once without a PIN; else the PIN asked (up to
    :data:`OPEN_TRIES` times; after the last wrong one the program closes), or with ``from_environment`` (a
    screenshot, a start-up measurement: no one to ask) taken from ``RECUPERATION_PIN``."""
    from recuperation.errors import RuleViolation
    from recuperation.services.desk_pin import check_pin, pin_required

    if not db.is_sqlite or not pin_required(db):
        return True
    if from_environment:
        try:
            return check_pin(db, os.environ.get("RECUPERATION_PIN", ""))
        except RuleViolation:
            return False
    answer = ask_pin(
        parent,
        db,
        translate("PinDialog", "打开数据库"),
        translate("PinDialog", "这个数据库文件需要输入 PIN 才能打开：\n{0}").format(db.name),
        OPEN_TRIES,
    )
    if answer is False:
        dialogs.warn(
            parent,
            translate("PinDialog", "PIN 不对"),
            translate("PinDialog", "PIN 连续 {0} 次不对，程序将关闭。").format(OPEN_TRIES),
        )
    return answer is True
