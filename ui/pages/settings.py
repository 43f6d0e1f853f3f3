"""设置: language, the union's details, the policy values and the database."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recuperation import messages
from recuperation.changes import Change
from recuperation.services import policy as policy_service
from recuperation.storage.backups import backup_file_name, backup_to
from recuperation.storage.paths import data_dir, default_database_path, display_name
from recuperation.storage.restore import restore
from recuperation.transfer import copy_database
from ui import labels, operations
from ui.desk import Desk
from ui.i18n import LANGUAGES, current_language, saved_language, settings, store_database, stored_database
from ui.pages.base import Page
from ui.pages.clauses import ClausesPanel
from ui.pages.privacy import PrivacyPanel
from ui.pages.spending import SpendingPanel
from ui.pages.users import UsersPanel
from ui.widgets import dialogs, rights
from ui.widgets.fit import ElidedLabel, FlowLayout, scrolling
from ui.widgets.form import Field, FormView
from ui.widgets.server_dialog import ServerDialog


def font_problem(value: object) -> str | None:
    """A chosen font must be a TrueType file reportlab can embed."""
    from recuperation.documents.fonts import can_embed

    return (
        None
        if can_embed(str(value))
        else QCoreApplication.translate(
            "SettingsPage", "这个文件不是可以嵌入 PDF 的 TrueType 中文字体（.ttf 或 .ttc）。"
        )
    )


class SettingsPage(Page):
    name = "settings"
    shows = frozenset({"policy_setting", "spending_pack", "spending_rule", "partner"})
    right = "settings"  # 保存 saves the policy
    language_changed = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(desk, parent)
        self.busy = 0
        self.policy: Any = None
        self.last_copy: Any = None

        language_box = QGroupBox(self.tr("界面语言"))
        language_form = QFormLayout(language_box)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(current_language()))
        self.language.currentIndexChanged.connect(self.choose_language)
        language_form.addRow(self.tr("语言"), self.language)

        self.form = FormView(
            [
                Field("union_name", self.tr("工会名称（印在文件上）"), required=True, max_length=100),
                Field("union_address", self.tr("地址"), max_length=200),
                Field("max_days", self.tr("每批最多天数（含往返）"), "int", required=True, maximum=60),
                Field(
                    "eligibility_cycle_days",
                    self.tr("同一人再次参加的间隔（天）"),
                    "int",
                    required=True,
                    maximum=3650,
                ),
                Field(
                    "quota_mode",
                    self.tr("超出协议配额时"),
                    "choice",
                    choices=[("warn", self.tr("提醒")), ("refuse", self.tr("拒绝"))],
                ),
                Field(
                    "order_mode",
                    self.tr("预订单未确认时"),
                    "choice",
                    choices=[("warn", self.tr("提醒")), ("refuse", self.tr("拒绝"))],
                ),
                Field(
                    "order_answer_days",
                    self.tr("预订单等待回复天数（超过则在总览提醒）"),
                    "int",
                    required=True,
                    maximum=365,
                ),
                Field(
                    "feedback_dimensions",
                    self.tr("问卷的评分维度（按顺序，用顿号分隔）"),
                    required=True,
                    max_length=200,
                ),
                Field(
                    "review_min_overall",
                    self.tr("总体满意度低于多少星需复核关注"),
                    required=True,
                    max_length=10,
                ),
                Field(
                    "review_min_responses",
                    self.tr("至少多少份答卷才据此标记"),
                    "int",
                    required=True,
                    maximum=100_000,
                ),
                Field(
                    "retention_years",
                    self.tr("个人信息保存年数（批次结束后满这些年可匿名化）"),
                    "int",
                    required=True,
                    maximum=100,
                ),
                Field(
                    "pdf_font",
                    self.tr("PDF 中文字体文件（留空则自动查找）"),
                    max_length=200,
                    check=font_problem,
                    placeholder="C:\\Windows\\Fonts\\msyh.ttc",
                ),
            ]
        )
        self.form.widgets["order_answer_days"].setMinimum(1)  # the core refuses 0
        self.form.widgets["review_min_responses"].setMinimum(1)
        self.form.baseline = self.form.values()  # the untouched form is clean
        self.form.widgets["order_mode"].setToolTip(
            self.tr(
                "有基地还没有确认批次当前的预订单（未发出、待回复、已拒绝或发出后有变更）时："
                "“拒绝”不能确认批次；“提醒”可以确认，并列出未确认的基地。"
            )
        )
        self.form.widgets["feedback_dimensions"].setToolTip(
            self.tr("可选：{0}。问卷按这个顺序给每个基地和线路打分。").format(
                messages.join(list(labels.dimensions().values()))
            )
        )
        self.form.changed.connect(self._update_buttons)
        self.save_button = QPushButton(self.tr("保存设置"))
        self.save_button.clicked.connect(self.save)
        policy_box = QGroupBox(self.tr("单位与政策"))
        policy_layout = QFormLayout(policy_box)
        policy_layout.addRow(self.form)

        db_box = QGroupBox(self.tr("数据库"))
        db_form = QFormLayout(db_box)
        # A long path is cut in the middle (whole in its tooltip) instead of widening the page.
        self.db_label = ElidedLabel(desk.db.name, least=160)
        self.backup_button = QPushButton(self.tr("备份到…"))
        self.backup_button.clicked.connect(self.backup)
        self.restore_button = QPushButton(self.tr("从备份恢复…"))
        self.restore_button.clicked.connect(self.restore)
        self.folder_button = QPushButton(self.tr("打开数据文件夹"))
        self.folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir())))
        )
        buttons = FlowLayout()  # the rows of buttons wrap in a narrow window instead of widening it
        for button in (self.backup_button, self.restore_button, self.folder_button):
            buttons.addWidget(button)
        self.server_button = QPushButton(self.tr("使用数据库服务器…"))
        self.server_button.setObjectName("use_server")
        self.server_button.clicked.connect(self.choose_server)
        self.copy_button = QPushButton(self.tr("把本机数据复制到服务器…"))
        self.copy_button.setObjectName("copy_to_server")
        self.copy_button.clicked.connect(self.copy_to_server)
        self.local_button = QPushButton(self.tr("改用本机数据库文件"))
        self.local_button.setObjectName("use_local")
        self.local_button.clicked.connect(self.use_local)
        server_buttons = FlowLayout()
        for button in (self.server_button, self.copy_button, self.local_button):
            server_buttons.addWidget(button)
        self.next_label = QLabel()
        self.next_label.setObjectName("next_database")
        self.next_label.setWordWrap(True)
        self.assistant_button = QPushButton(self.tr("开始使用向导…"))
        self.assistant_button.setObjectName("assistant")
        self.assistant_button.clicked.connect(self.open_assistant)
        # the policy is the administrator's (管理员): anyone else reads it; the assistant sets it too
        self.allowed = rights.allow_all((self.save_button, self.assistant_button), desk.access, self.right)
        rights.read_only(self.form, desk.access, self.right)
        policy_buttons = QHBoxLayout()
        policy_buttons.addWidget(self.save_button)
        policy_buttons.addWidget(self.assistant_button)
        policy_buttons.addStretch(1)
        policy_layout.addRow("", policy_buttons)
        db_form.addRow(self.tr("当前数据库"), self.db_label)
        db_form.addRow("", buttons)
        db_form.addRow(self.tr("多人共用"), server_buttons)
        db_form.addRow("", self.next_label)
        if desk.db.path is None:
            self.backup_button.setEnabled(False)
            self.restore_button.setEnabled(False)
            self.copy_button.setEnabled(False)
            self.backup_button.setToolTip(self.tr("服务器上的数据库由服务器备份（pg_dump）"))
        self._show_next_database()

        # 开支标准: the jurisdictions' spending rules (ui/pages/spending.py), wider for its table of rules
        self.spending_box = QGroupBox(self.tr("开支标准（按地区的经费规则）"))
        self.spending_box.setObjectName("spending_box")
        self.spending = SpendingPanel(desk)
        self.spending.setMinimumHeight(300)
        QVBoxLayout(self.spending_box).addWidget(self.spending)

        content = QWidget()
        boxes = QVBoxLayout(content)
        boxes.setContentsMargins(0, 0, 0, 0)
        for box in (language_box, policy_box, db_box):
            box.setMaximumWidth(820)  # a form reads best at a line length, not across a wide screen
            boxes.addWidget(box)
        # 用户与角色: the permission table, a server's people, a single desk's PIN (ui/pages/users.py)
        self.users_box = QGroupBox(self.tr("用户与角色"))
        self.users_box.setObjectName("users_box")
        self.users = UsersPanel(desk)
        QVBoxLayout(self.users_box).addWidget(self.users)
        self.users_box.setMaximumWidth(1100)
        boxes.addWidget(self.users_box)
        # 个人信息保存期限: who is due for anonymising, a preview, 匿名化… (ui/pages/privacy.py)
        self.privacy_box = QGroupBox(self.tr("个人信息保存期限"))
        self.privacy_box.setObjectName("privacy_box")
        self.privacy = PrivacyPanel(desk)
        QVBoxLayout(self.privacy_box).addWidget(self.privacy)
        self.privacy_box.setMaximumWidth(1100)
        boxes.addWidget(self.privacy_box)
        self.spending_box.setMaximumWidth(1100)
        boxes.addWidget(self.spending_box)
        # 标准条款: the clauses inspections check bases against (ui/pages/clauses.py; it loads when first shown)
        self.clauses_box = QGroupBox(self.tr("标准条款（实地考察检查表）"))
        self.clauses_box.setObjectName("clauses_box")
        self.clauses = ClausesPanel(desk)
        self.clauses.setMinimumHeight(320)
        QVBoxLayout(self.clauses_box).addWidget(self.clauses)
        self.clauses_box.setMaximumWidth(1100)
        boxes.addWidget(self.clauses_box)
        boxes.addStretch(1)
        self.layout_.addWidget(scrolling(content))  # a short screen scrolls the page, never grows the window
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.form.is_dirty())

    def refresh(self) -> None:
        db = self.desk.db

        def done(policy: Any) -> None:
            self.policy = policy
            self.form.load({k: policy.value_of(k) for k in self.form.fields})

        operations.run(self, lambda: policy_service.get_policy(db), done)
        self.spending.refresh()

    def loaded(self) -> bool:
        return (
            self.activated
            and self.busy == 0
            and self.policy is not None
            and self.spending.busy == 0
            and self.spending.loaded_once
        )

    def has_edits(self) -> bool:
        return self.form.is_dirty() or self.spending.is_dirty()

    def reload(self, change: Any = None) -> None:
        """The packs reload whatever is being edited (the pack editor keeps its edits); the policy form
        waits until its edits are saved or dropped."""
        self.spending.refresh()
        if self.form.is_dirty():
            self.stale = True
            return
        db = self.desk.db

        def done(policy: Any) -> None:
            self.policy = policy
            self.form.load({k: policy.value_of(k) for k in self.form.fields})

        operations.run(self, lambda: policy_service.get_policy(db), done)

    def maybe_leave(self) -> bool:
        if not self.spending.maybe_leave():
            return False
        if not self.form.is_dirty():
            return True
        answer = dialogs.ask(
            self,
            self.tr("未保存的修改"),
            self.tr("设置有未保存的修改。是否保存？"),
            dialogs.Button.Save | dialogs.Button.Discard | dialogs.Button.Cancel,
            dialogs.Button.Save,
        )
        if answer == dialogs.Button.Cancel:
            return False
        if answer == dialogs.Button.Save:
            self.save()
        else:
            self.form.load(self.form.baseline)
        return True

    def save(self) -> None:
        if not self.allowed or not self.form.validate():
            return
        values = {k: str(v) for k, v in self.form.values().items()}
        db = self.desk.db

        def done(policy: Any) -> None:
            self.policy = policy
            self.form.load({k: policy.value_of(k) for k in self.form.fields})
            self.desk.status.emit(self.tr("设置已保存"))

        operations.run(
            self,
            lambda: policy_service.set_policy(db, values),
            done,
            failed=operations.at_field(self.form, self, self.tr("不能保存")),
        )

    def choose_language(self) -> None:
        code = self.language.currentData()
        if code == saved_language():
            return
        settings().setValue("language", code)
        self.language_changed.emit(code)
        dialogs.info(
            self,
            self.tr("界面语言"),
            self.tr("界面语言将在重新启动程序后改变。")
            + "\n"
            + "The language changes when the program restarts.",
        )

    def open_assistant(self) -> None:
        window = self.window()
        if hasattr(window, "show_assistant"):
            window.show_assistant()

    def _show_next_database(self) -> None:
        stored = stored_database()
        self.local_button.setEnabled(stored is not None)
        if stored is None:
            text = self.tr("下次启动使用本机数据库文件 {0}。").format(default_database_path())
        else:
            text = self.tr("下次启动使用服务器数据库 {0}。").format(display_name(stored))
        if os.environ.get("RECUPERATION_DB"):
            text += " " + self.tr("（环境变量 RECUPERATION_DB 优先。）")
        self.next_label.setText(text)

    def choose_server(self) -> None:
        dialog = ServerDialog(self.desk.worker, self, stored_database() or "")
        if dialog.exec() != ServerDialog.DialogCode.Accepted:
            return
        store_database(dialog.url())
        self._show_next_database()
        dialogs.info(
            self,
            self.tr("使用数据库服务器"),
            self.tr("已保存。重新启动程序后使用服务器数据库 {0}。").format(display_name(dialog.url())),
        )

    def use_local(self) -> None:
        store_database(None)
        self._show_next_database()
        dialogs.info(
            self,
            self.tr("改用本机数据库文件"),
            self.tr("重新启动程序后使用本机数据库文件 {0}。").format(default_database_path()),
        )

    def copy_to_server(self) -> None:
        """Copy this desk's SQLite file into an empty server database, verified table by table."""
        source = self.desk.db.url
        dialog = ServerDialog(
            self.desk.worker, self, stored_database() or "", title=self.tr("把本机数据复制到服务器")
        )
        if dialog.exec() != ServerDialog.DialogCode.Accepted:
            return
        target, url = dialog.connection(), dialog.url()

        def done(report: Any) -> None:
            self.last_copy = report
            text = messages.text(
                "transfer.done",
                rows=report.rows,
                path=report.target,
                tables=len(report.tables),
                seconds=report.seconds,
            )
            if (
                dialogs.ask(
                    self, self.tr("复制完成"), text + "\n\n" + self.tr("以后使用服务器上的这个数据库吗？")
                )
                == dialogs.Button.Yes
            ):
                store_database(url)
                self._show_next_database()

        operations.run(
            self,
            lambda report: copy_database(source, target, progress=report),
            done,
            title=self.tr("不能复制"),
            progress=self.tr("正在复制并核对…"),
        )

    def backup(self) -> None:
        path = self.desk.db.path
        if path is None:
            return
        suggested = str(backup_file_name(path, "manual"))
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("备份数据库"), suggested, self.tr("数据库 (*.db)")
        )
        if not name:
            return

        db = self.desk.db

        def job() -> tuple[Path, int]:
            target = backup_to(db, Path(name))  # refuses the live file itself, as the command line does
            return target, target.stat().st_size

        def done(made: tuple[Path, int]) -> None:
            target, size = made
            self.desk.status.emit(messages.text("db.backup_done", path=target, size=size))

        operations.run(self, job, done)

    def restore(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择备份文件"), str(data_dir()), self.tr("数据库 (*.db);;所有文件 (*)")
        )
        if not name:
            return
        question = self.tr("用备份“{0}”替换当前数据库吗？当前数据库会先另存一份。").format(name)
        if dialogs.ask(self, self.tr("从备份恢复"), question) != dialogs.Button.Yes:
            return
        db = self.desk.db

        def done(report: Any) -> None:
            dialogs.info(self, self.tr("从备份恢复"), report.message())
            self.desk.announce(Change(everything=True))  # another database under every view

        operations.run(self, lambda: restore(db, Path(name)), done, title=self.tr("不能恢复"))
