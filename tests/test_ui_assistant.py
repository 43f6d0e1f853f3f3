"""The first-run assistant walked to the end for each way of beginning, and the register import's preview."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from PySide6.QtWidgets import QWizard

from recuperation.services import policy as policy_service
from recuperation.storage.database import Database, table_counts
from recuperation.templates import write_template
from tests.ui_helpers import type_text
from ui.assistant import FirstRunAssistant, assistant_wanted
from ui.desk import Desk
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: Any, db: Database):
    win = MainWindow(Desk(db), remember=False)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.desk.worker.shutdown()


def _walk(qtbot: Any, window: MainWindow, choice: str) -> FirstRunAssistant:
    assert assistant_wanted(window.desk)  # an empty database asks for it
    window.show_assistant()
    wizard = window.assistant
    qtbot.waitUntil(lambda: wizard.max_days.value() > 0, timeout=10_000)  # the policy has loaded
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    next_button.click()  # welcome → union
    assert not next_button.isEnabled() or not wizard.union_name.text()  # the union's name is required
    type_text(wizard.union_name, "建德市总工会")
    type_text(wizard.union_address, "浙江省建德市新安江街道")
    assert next_button.isEnabled()
    next_button.click()  # → policy
    wizard.max_days.setValue(4)
    wizard.cycle.setValue(730)
    next_button.click()  # → where the data lives
    assert window.desk.db.name in wizard.where_label.text()
    next_button.click()  # → how to begin
    assert wizard.currentPage() is wizard.start_page
    wizard.findChild(object, f"start_{choice}").click()
    return wizard


def _finish(qtbot: Any, window: MainWindow, wizard: FirstRunAssistant) -> None:
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10_000)
    policy = policy_service.get_policy(window.desk.db)
    assert (policy.union_name, policy.union_address, policy.max_days, policy.eligibility_cycle_days) == (
        "建德市总工会",
        "浙江省建德市新安江街道",
        4,
        730,
    )
    assert not assistant_wanted(window.desk)  # not again at the next start


def test_starting_empty(qtbot: Any, window: MainWindow) -> None:
    wizard = _walk(qtbot, window, "empty")
    _finish(qtbot, window, wizard)
    assert table_counts(window.desk.db)["batch"] == 0


def test_starting_with_the_demo_year(qtbot: Any, window: MainWindow) -> None:
    wizard = _walk(qtbot, window, "demo")
    _finish(qtbot, window, wizard)
    qtbot.waitUntil(lambda: getattr(wizard, "demo_report", None) is not None, timeout=60_000)
    counts = table_counts(window.desk.db)
    assert (counts["batch"], counts["participant"]) == (1218, 45340)


def _filled_template(kind: str, folder: Path) -> Path:
    path = write_template(kind, folder / f"{kind}.xlsx").path
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    sheet.append(
        [str(c.value).replace("（示例）", "") if isinstance(c.value, str) else c.value for c in sheet[2]]
    )
    book.save(path)
    return path


def test_starting_by_importing_the_registers(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    wizard = _walk(qtbot, window, "import")
    assert wizard.files_box.isEnabled()
    for kind in ("bases", "partners", "routes"):
        type_text(wizard.files[kind], str(_filled_template(kind, tmp_path)))
    _finish(qtbot, window, wizard)
    for kind in ("bases", "partners", "routes"):  # one preview after the other, in order
        qtbot.waitUntil(
            lambda k=kind: (
                window.register_import.kind == k
                and window.register_import.preview is not None
                and window.register_import.preview.plan is not None
            ),
            timeout=15_000,
        )
        preview = window.register_import.preview
        assert "新增 1 条" in preview.summary.text()
        assert preview.import_button.isEnabled()
        preview.import_button.click()
        qtbot.waitUntil(lambda p=preview: not p.isVisible(), timeout=15_000)
    counts = table_counts(window.desk.db)
    assert (counts["base"], counts["partner"], counts["agreement"], counts["route"]) == (1, 1, 1, 1)


def test_a_register_with_errors_is_previewed_and_only_the_correct_records_imported(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    path = _filled_template("bases", tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    sheet.append(["梅城民宿", "度假村"])  # not a kind of base
    sheet.append(["乾潭宾馆", "宾馆", None, None, None, None, 50])
    book.save(path)
    job = window.import_register("bases", path)
    qtbot.waitUntil(lambda: job.preview is not None and job.preview.plan is not None, timeout=15_000)
    preview = job.preview
    statuses = [preview.rows.data(preview.rows.index(r, 1)) for r in range(preview.rows.rowCount())]
    assert statuses == ["新增", "错误", "新增"]
    problem = preview.rows.data(preview.rows.index(1, 3))
    assert "度假村" in problem and "宾馆" in problem
    assert not preview.import_button.isEnabled() and preview.valid_button.isEnabled()
    assert table_counts(window.desk.db)["base"] == 0  # nothing written by the preview
    preview.valid_button.click()
    qtbot.waitUntil(lambda: table_counts(window.desk.db)["base"] == 2, timeout=15_000)


def test_exporting_a_register_from_the_file_menu(
    qtbot: Any, demo_db: Database, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    window = MainWindow(Desk(demo_db), remember=False)
    qtbot.addWidget(window)
    target = tmp_path / "bases-register.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.save_template("bases", with_data=True)
    qtbot.waitUntil(target.exists, timeout=15_000)
    qtbot.waitUntil(lambda: window.desk.worker.pending == 0, timeout=15_000)
    names = [row[0].value for row in openpyxl.load_workbook(target).worksheets[0].iter_rows(min_row=3)]
    assert len(names) == table_counts(demo_db)["base"] and "寿昌宾馆" in names
    window.desk.worker.shutdown()
