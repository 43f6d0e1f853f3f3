"""The first-run assistant (开始使用向导): the union, the policy, where the data lives, and how to begin.

It opens by itself when the database has no partners, bases, routes or batches yet (once per database; the
settings page and 文件 → 开始使用向导… open it again).  The last page chooses how to begin: empty, with the
demo year (invented people), or by importing the office's existing registers — bases, partners and
agreements, routes, batches, in that order, each with its own preview before anything is written.
Changing where the database lives ends the assistant: the program uses the new place from its next start,
and the assistant opens there.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from recuperation.services import policy as policy_service
from recuperation.storage.database import Database, table_counts
from ui import operations
from ui.desk import Desk
from ui.i18n import settings, store_database
from ui.widgets import rights
from ui.widgets.fit import fit_to_screen
from ui.widgets.register_import import register_names
from ui.widgets.server_dialog import ServerDialog

REGISTERS = ("bases", "partners", "routes", "batches")


def _key(desk: Desk) -> str:
    return "assistant/" + hashlib.sha1(desk.db.name.encode()).hexdigest()[:16]


def assistant_dismissed(desk: Desk) -> bool:
    """The assistant has been finished or dismissed for this database at this desk (read on the GUI thread)."""
    return bool(settings().value(_key(desk), "") == "done")


def database_empty(db: Database) -> bool:
    """For the worker: no partner, base, route or batch yet."""
    counts = table_counts(db)
    return all(counts[t] == 0 for t in ("partner", "base", "route", "batch"))


def assistant_wanted(desk: Desk) -> bool:
    """An empty database whose assistant has not been finished or dismissed at this desk."""
    return not assistant_dismissed(desk) and database_empty(desk.db)


class _Page(QWizardPage):
    def __init__(self, title: str, subtitle: str = ""):
        super().__init__()
        self.setTitle(title)
        if subtitle:
            self.setSubTitle(subtitle)
        self.layout_ = QVBoxLayout(self)


class FirstRunAssistant(QWizard):
    EMPTY, DEMO, IMPORT = 0, 1, 2

    def __init__(self, desk: Desk, window: Any):
        super().__init__(window)
        self.desk, self.window_ = desk, window
        self.setWindowTitle(self.tr("开始使用向导"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.HaveHelpButton, True)
        self.setButtonText(QWizard.WizardButton.HelpButton, self.tr("用户指南"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步 >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< 上一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("以后再说"))
        self.helpRequested.connect(self.show_guide)
        fit_to_screen(self, 680, 520)
        self.moved = False  # the database is to live elsewhere from the next start
        self.pending: list[str] = []
        self.job: Any = None

        welcome = _Page(
            self.tr("欢迎使用职工疗休养工作台"),
            self.tr(
                "几分钟就能开始：先填写工会的信息和政策，再选择从空白开始、载入演示数据，或导入现有的 Excel 登记表。"
            ),
        )
        intro = QLabel(
            self.tr(
                "程序管理合作协议、疗休养基地的认定、线路目录、批次与名单，打印行程单和名单，"
                "向合作单位发送 Excel 工作簿，并做年度统计。每一步都可以在以后修改；"
                "点“用户指南”可以随时查看日常工作的说明。"
            )
        )
        intro.setWordWrap(True)
        welcome.layout_.addWidget(intro)
        guide = QPushButton(self.tr("打开用户指南"))
        guide.setObjectName("open_guide")
        guide.clicked.connect(self.show_guide)
        welcome.layout_.addWidget(guide, alignment=Qt.AlignmentFlag.AlignLeft)
        welcome.layout_.addStretch(1)

        union = _Page(self.tr("工会信息"), self.tr("印在每一份行程单、名单和统计表的页眉上。"))
        form = QFormLayout()
        self.union_name = QLineEdit()
        self.union_name.setObjectName("union_name")
        self.union_address = QLineEdit()
        self.union_address.setObjectName("union_address")
        form.addRow(self.tr("工会名称 *"), self.union_name)
        form.addRow(self.tr("地址"), self.union_address)
        union.layout_.addLayout(form)
        union.registerField("union_name*", self.union_name)

        policy = _Page(self.tr("政策"), self.tr("程序按这些规定检查每个批次和名单；设置页可以随时修改。"))
        form = QFormLayout()
        self.max_days = QSpinBox()
        self.max_days.setObjectName("max_days")
        self.max_days.setRange(1, 60)
        self.cycle = QSpinBox()
        self.cycle.setObjectName("eligibility_cycle_days")
        self.cycle.setRange(0, 3650)
        form.addRow(self.tr("每批最多天数（含往返）"), self.max_days)
        form.addRow(self.tr("同一人再次参加的间隔（天）"), self.cycle)
        policy.layout_.addLayout(form)

        where = _Page(
            self.tr("数据保存在哪里"),
            self.tr("一台电脑使用时，数据保存在本机的一个文件中，程序每天自动备份。"),
        )
        self.where_label = QLabel()
        self.where_label.setObjectName("where")
        self.where_label.setWordWrap(True)
        self.where_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.layout_.addWidget(self.where_label)
        other_file = QPushButton(self.tr("换一个文件位置…"))
        other_file.clicked.connect(self.choose_file)
        server = QPushButton(self.tr("多人共用：使用数据库服务器…"))
        server.clicked.connect(self.choose_server)
        where.layout_.addWidget(other_file, alignment=Qt.AlignmentFlag.AlignLeft)
        where.layout_.addWidget(server, alignment=Qt.AlignmentFlag.AlignLeft)
        self.moved_label = QLabel()
        self.moved_label.setWordWrap(True)
        where.layout_.addWidget(self.moved_label)
        where.layout_.addStretch(1)

        start = _Page(self.tr("怎样开始"))
        self.choice = QButtonGroup(self)
        options = (
            (self.EMPTY, self.tr("从空白开始：自己录入合作单位、基地、线路和批次")),
            (self.DEMO, self.tr("载入演示年份（2021 年的完整数据，人员均为虚构），先熟悉程序")),
            (self.IMPORT, self.tr("导入现有的 Excel 登记表")),
        )
        for value, text in options:
            button = QRadioButton(text)
            button.setObjectName(("start_empty", "start_demo", "start_import")[value])
            self.choice.addButton(button, value)
            start.layout_.addWidget(button)
        self.choice.button(self.EMPTY).setChecked(True)
        for value in (self.DEMO, self.IMPORT):  # both write the registers: who may plan
            rights.allow(self.choice.button(value), desk.access, "plan")
        files = QWidget()
        grid = QGridLayout(files)
        grid.setContentsMargins(24, 0, 0, 0)
        self.files: dict[str, QLineEdit] = {}
        names = register_names()
        for row, kind in enumerate(REGISTERS):
            edit = QLineEdit()
            edit.setObjectName(f"file_{kind}")
            edit.setPlaceholderText(self.tr("（不导入）"))
            self.files[kind] = edit
            pick = QPushButton(self.tr("选择…"))
            pick.clicked.connect(lambda _c=False, k=kind: self.pick_file(k))
            grid.addWidget(QLabel(names[kind]), row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(pick, row, 2)
        note = QLabel(
            self.tr(
                "按基地、合作单位与协议、线路、批次的顺序导入，每一份都会先显示每一行的检查结果，确认后才写入。"
                "没有现成的表格？可以在“文件 → 保存登记表模板”中保存模板，填好后再导入。"
            )
        )
        note.setWordWrap(True)
        grid.addWidget(note, len(REGISTERS), 0, 1, 3)
        self.files_box = files
        start.layout_.addWidget(files)
        start.layout_.addStretch(1)
        self.choice.idToggled.connect(lambda *_: files.setEnabled(self.choice.checkedId() == self.IMPORT))
        files.setEnabled(False)

        for page in (welcome, union, policy, where, start):
            self.addPage(page)
        self.start_page = start
        self._load()

    # --- data in and out ----------------------------------------------------------------------------------

    def _load(self) -> None:
        self.where_label.setText(self.tr("当前数据库：{0}").format(self.desk.db.name))

        def done(policy: Any) -> None:
            self.union_name.setText(policy.union_name)
            self.union_address.setText(policy.union_address)
            self.max_days.setValue(policy.max_days)
            self.cycle.setValue(policy.eligibility_cycle_days)

        db = self.desk.db
        operations.run(self, lambda: policy_service.get_policy(db), done)

    def show_guide(self) -> None:
        if hasattr(self.window_, "show_guide"):
            self.window_.show_guide()

    def pick_file(self, kind: str) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            register_names()[kind],
            "",
            self.tr("登记表 (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt);;所有文件 (*)"),
        )
        if name:
            self.files[kind].setText(name)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("数据库文件的位置"), "recuperation.db", self.tr("数据库 (*.db)")
        )
        if name:
            self._moved_to(name, name)

    def choose_server(self) -> None:
        dialog = ServerDialog(self.desk.worker, self)
        if dialog.exec() == ServerDialog.DialogCode.Accepted:
            self._moved_to(dialog.url(), dialog.connection(with_password=False))

    def _moved_to(self, target: str, shown: str) -> None:
        store_database(target)
        self.moved = True
        self.moved_label.setText(
            self.tr(
                "下次启动时使用 {0}，向导会在那里继续。点“完成”保存工会信息和政策后重新启动程序。"
            ).format(shown)
        )

    def accept(self) -> None:
        values = {
            "union_name": self.union_name.text().strip(),
            "union_address": self.union_address.text().strip(),
            "max_days": str(self.max_days.value()),
            "eligibility_cycle_days": str(self.cycle.value()),
        }
        choice = self.choice.checkedId()
        pending = [k for k in REGISTERS if self.files[k].text().strip()] if choice == self.IMPORT else []
        db = self.desk.db

        def saved(_policy: Any) -> None:
            settings().setValue(_key(self.desk), "done")
            super(FirstRunAssistant, self).accept()
            if self.moved:
                return
            if choice == self.DEMO:
                self.load_demo()
            elif choice == self.IMPORT:
                self.pending = pending
                self.import_next()

        operations.run(self, lambda: policy_service.set_policy(db, values), saved, title=self.tr("不能保存"))

    def reject(self) -> None:
        settings().setValue(_key(self.desk), "done")  # “以后再说”: the settings page opens it again
        super().reject()

    # --- how to begin -------------------------------------------------------------------------------------

    def load_demo(self) -> None:
        from recuperation.demo import build_demo

        db = self.desk.db

        def done(report: Any) -> None:
            self.demo_report = report
            self.desk.status.emit(
                QCoreApplication.translate(
                    "FirstRunAssistant", "演示数据已载入：{0} 个批次，{1} 名团员（均为虚构）"
                ).format(report.batches, report.participants)
            )
            if hasattr(self.window_, "refresh_page"):
                self.window_.refresh_page()

        # Over the window: the assistant has closed by now.
        operations.run(
            self.window_,
            lambda report: build_demo(db, 1, progress=report),
            done,
            title=self.tr("不能载入演示数据"),
            progress=self.tr("正在生成演示数据…"),
        )

    def import_next(self) -> None:
        if not self.pending:
            if hasattr(self.window_, "refresh_page"):
                self.window_.refresh_page()
            return
        kind = self.pending.pop(0)
        self.job = self.window_.import_register(kind, Path(self.files[kind].text().strip()))
        self.job.finished.connect(lambda _result: self.import_next())
