"""Every visible string of the desktop is translated, and the compiled files match their sources."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _i18n():
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_string_is_missing_from_either_translation() -> None:
    i18n = _i18n()
    problems = i18n.untracked_strings()
    for language in i18n.LANGUAGES:
        problems += i18n.missing(i18n.TS_DIR / f"recuperation_{language}.ts")
    assert problems == []


def test_compiled_translations_are_up_to_date(tmp_path: Path) -> None:
    for language in ("zh_CN", "en"):
        ts = ROOT / "resources" / "translations" / f"recuperation_{language}.ts"
        qm = tmp_path / f"{language}.qm"
        subprocess.run(
            [str(Path(sys.executable).parent / "pyside6-lrelease"), str(ts), "-qm", str(qm)],
            check=True,
            capture_output=True,
        )
        assert qm.read_bytes() == ts.with_suffix(".qm").read_bytes(), f"run scripts/i18n.py ({language})"


def test_the_window_in_english(qtbot, db) -> None:
    from PySide6.QtWidgets import QApplication

    from ui.desk import Desk
    from ui.i18n import install_translator
    from ui.main_window import MainWindow

    app = QApplication.instance()
    translator = install_translator(app, "en")
    try:
        window = MainWindow(Desk(db), remember=False)
        qtbot.addWidget(window)
        labels = [window.nav.item(i).text() for i in range(window.nav.count())]
        assert labels == ["Overview", "Agreements", "Bases", "Routes", "Batches", "Statistics", "Settings"]
        panel = window.pages["agreements"].partners
        assert panel.search.placeholderText() == "Search…" and panel.save_button.text() == "Save"
        window.desk.worker.shutdown()
    finally:
        app.removeTranslator(translator)
        install_translator(app, "zh_CN")


def test_dates_read_the_chinese_way() -> None:
    import datetime as dt

    from ui.i18n import format_date

    assert format_date(dt.date(2021, 3, 31)) == "2021年3月31日"


def test_qts_own_buttons_are_chinese_in_the_chinese_program(qapp) -> None:
    """Yes/No/Cancel in a message box (and the file dialog's words) come from Qt's own translations."""
    from PySide6.QtWidgets import QMessageBox

    from ui.i18n import install_translator

    install_translator(qapp, "zh_CN")  # as the program starts in Chinese
    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x", buttons.Yes | buttons.No | buttons.Cancel)
    assert {b.text() for b in box.buttons()} == {"是(&Y)", "否(&N)", "取消"}


def test_the_file_dialog_has_no_english_word_in_the_chinese_program(qapp) -> None:
    """Qt's catalogue lacks “&Look in:” and “Files of &type:”; ui.i18n.QtGaps gives them."""
    import re

    from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton

    from ui.i18n import install_translator

    install_translator(qapp, "zh_CN")
    dialog = QFileDialog(None, "导出", "", "Excel 工作簿 (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    words = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QPushButton) if w.text()]
    assert words and not [w for w in words if re.search(r"[A-Za-z]{2,}", w.replace("&", ""))], words
    dialog.deleteLater()
