"""Issue 24, adversarial: the PIN a desk asks before full numbers, tried by someone at a desk left open.

Each action allows three tries and the next action three more, with no pause and no count kept between them:
four actions are twelve guesses, and a 4-digit PIN falls to a patient colleague (or a key-press macro).  The
desk should remember wrong answers across actions (in memory is enough for a passer-by) and wait longer after
each few, or close the window as it does after five wrong ones at opening.
"""

from __future__ import annotations

from typing import Any

import pytest

from recuperation.services import desk_pin
from recuperation.storage.database import Database
from tests.ui_helpers import Answers

pytestmark = pytest.mark.sqlite_only


def test_wrong_pins_over_several_actions_lock_full_numbers(
    qtbot: Any, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.widgets.pin_dialog import ACTION_TRIES, confirm_pin

    desk_pin.set_pin(db, "4711")
    guesses = [f"{n:04d}" for n in range(4 * ACTION_TRIES)]  # four actions' worth of wrong guesses
    answers = Answers(monkeypatch, *guesses, "4711")
    for _action in range(4):
        assert confirm_pin(None, db) is False
    assert confirm_pin(None, db) is False, "the right PIN after twelve wrong ones still shows the numbers"
    assert len(answers.warned) >= 4
    assert any("请在" in w and "之后再试" in w for w in answers.warned)  # it says how long to wait
