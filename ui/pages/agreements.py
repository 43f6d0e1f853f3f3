"""合作协议: partners and their agreements, with each agreement's fulfilment this year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import QCheckBox, QFileDialog, QInputDialog, QPushButton, QWidget

from recuperation.filenames import file_in, safe_file_name
from recuperation.models import BatchStatus
from recuperation.money import rate_text as credit_text
from recuperation.services import partners as service
from recuperation.storage.database import Database
from recuperation.storage.paths import data_dir
from ui import labels, operations
from ui.checks import phone_problem, uscc_problem
from ui.desk import Desk
from ui.i18n import format_money, opening_year
from ui.pages.base import Page
from ui.widgets import dialogs, rights
from ui.widgets.form import Field
from ui.widgets.pdf_preview import PdfPreview
from ui.widgets.record_panel import Fetched, RecordPanel, ServiceCalls
from ui.widgets.table import BAD, WARN, Column

STATE_COLOURS = {"expired": BAD, "expiring": WARN}


def _state_colour(state: str) -> QColor | None:
    return STATE_COLOURS.get(state)


class AgreementsPanel(RecordPanel):
    audit_table = "agreement"
    """The agreements of one partner: a list above, the form below."""

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        self.partner_id: int | None = None
        super().__init__(desk, parent, vertical=True)
        self.search.hide()
        self.new_button.setText(self.tr("新建协议"))
        self.delete_button.setText(self.tr("删除协议"))
        self.attach_button = QPushButton(self.tr("附加扫描件…"))
        self.attach_button.clicked.connect(self.attach_scan)
        self.open_button = QPushButton(self.tr("打开扫描件"))
        self.open_button.clicked.connect(self.open_scan)
        self.filters.addWidget(self.attach_button)
        self.filters.addWidget(self.open_button)
        rights.allow(self.attach_button, desk.access, self.right)
        self.current_changed.connect(self._scan_buttons)
        self._scan_buttons(None)
        # A partner has a few agreements: on a short screen the form gets the room, the list a few rows.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([200, 460])
        credit = self.form.widgets["no_show_credit_bp"]
        credit.setSuffix(" %")  # type: ignore[attr-defined]  # a percentage with two decimals: its bp
        credit.setToolTip(
            self.tr(
                "按协议价结算时，报到结束后每名未到人员退还的比例（按 单价 × 计划天数 计）；据实结算不另退费。"
            )
        )

    def form_title(self) -> str:
        return self.tr("协议")

    def label(self, row: Any) -> str:
        return row.number

    def columns(self) -> list[Column]:
        today = dt.date.today()
        states = labels.agreement_states()
        bases = labels.charge_bases()
        return [
            Column(self.tr("协议编号"), lambda a: a.number, width=150),
            Column(self.tr("签订日期"), lambda a: a.signed_on, width=110),
            Column(
                self.tr("有效期至"),
                lambda a: a.valid_to,
                width=110,
                background=lambda a: _state_colour(a.state(today)),
            ),
            Column(
                self.tr("今年批次"),
                lambda a: a.used_batches,
                bar=lambda a: (a.used_batches, a.quota_batches),
                width=120,
            ),
            Column(
                self.tr("今年人数"),
                lambda a: a.used_people,
                bar=lambda a: (a.used_people, a.quota_people),
                width=130,
            ),
            Column(
                self.tr("单价（元/人天）"),
                lambda a: format_money(a.price_fen),
                right=True,
                sort=lambda a: a.price_fen or 0,
            ),
            Column(
                self.tr("结算方式"),
                lambda a: bases.get(a.charge_basis, a.charge_basis),
                tooltip=lambda a: self.tr("未到退费 {0}").format(credit_text(a.no_show_credit_bp)),
                fits=list(bases.values()),
            ),
            Column(
                self.tr("状态"),
                lambda a: states[a.state(today)],
                background=lambda a: _state_colour(a.state(today)),
            ),
            Column(self.tr("扫描件"), lambda a: bool(a.scan_path)),
        ]

    def fields(self) -> list[Field]:
        none = self.tr("不限")
        return [
            Field("number", self.tr("协议编号"), required=True, max_length=40),
            Field("signed_on", self.tr("签订日期"), "date", required=True),
            Field("valid_from", self.tr("生效日期"), "date", required=True),
            Field("valid_to", self.tr("终止日期"), "date", required=True),
            Field(
                "quota_batches", self.tr("年度批次配额"), "int", optional=True, none_text=none, maximum=10_000
            ),
            Field(
                "quota_people",
                self.tr("年度人数配额"),
                "int",
                optional=True,
                none_text=none,
                maximum=1_000_000,
            ),
            Field(
                "price_fen",
                self.tr("协议单价（元/人天）"),
                "money",
                optional=True,
                none_text=self.tr("未定"),
                maximum=100_000,
            ),
            Field(
                "charge_basis",
                self.tr("结算方式"),
                "choice",
                required=True,
                choices=list(labels.charge_bases().items()),
            ),
            # a "money" spin box: two decimals, read as its value × 100, so 50.00 % is 5000 basis points
            Field("no_show_credit_bp", self.tr("未到退费比例"), "money", maximum=100),
            Field("notes", self.tr("备注"), "multiline", max_length=2000),
        ]

    def defaults(self) -> dict[str, Any]:
        today = dt.date.today()
        return {
            "signed_on": today,
            "valid_from": today,
            "valid_to": today.replace(year=today.year + 3) - dt.timedelta(days=1),
            "quota_batches": None,
            "quota_people": None,
            "price_fen": None,
            "charge_basis": "price",
            "no_show_credit_bp": 0,
        }

    def can_edit(self) -> bool:
        return self.partner_id is not None

    def set_partner(self, partner_id: int | None) -> None:
        self.partner_id = partner_id
        self.current = None
        if partner_id is None:
            self.model.set_rows([])
            self.show_record(None)
        else:
            self.refresh()
        self._update_buttons()

    def fetch_args(self) -> dict[str, Any]:
        return {"partner_id": self.partner_id}

    def fetch(self, db: Database, **args: Any) -> list[Any]:
        if args["partner_id"] is None:
            return []
        return service.list_agreements(db, args["partner_id"])

    def collect_values(self) -> dict[str, Any]:
        # read on the GUI thread: ``store`` runs on the worker
        return {**self.form.values(), "partner_id": self.partner_id}

    def store(self, db: Database, row: Any, values: dict[str, Any]) -> Any:
        assert values["partner_id"] is not None
        data = service.AgreementInput(**values)
        if row is None:
            return service.create_agreement(db, data)
        return service.update_agreement(db, row.id, row.version, data)

    def remove(self, db: Database, row: Any) -> None:
        service.delete_agreement(db, row.id, row.version)

    def offers_archive(self) -> bool:
        return False

    def _scan_buttons(self, row: Any) -> None:
        self.attach_button.setEnabled(row is not None)
        self.open_button.setEnabled(row is not None and bool(row.scan_path))

    def attach_scan(self) -> None:
        row = self.current
        if row is None or not self.allowed:
            return
        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("选择协议扫描件"),
            "",
            self.tr("扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)"),
        )
        if not name:
            return
        db = self.desk.db

        def done(saved: Any) -> None:
            self.desk.status.emit(self.tr("扫描件已保存到 {0}").format(saved.scan_path))
            self.refresh(select_key=saved.id)

        operations.run(
            self,
            lambda: service.attach_scan(db, row.id, row.version, Path(name)),
            done,
            failed=self._save_failed,
        )

    def open_scan(self) -> None:
        if self.current is not None and self.current.scan_path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.current.scan_path))


class PartnersPanel(RecordPanel):
    audit_table = "partner"
    service_calls = ServiceCalls(
        service.PartnerInput,
        service.create_partner,
        service.update_partner,
        service.delete_partner,
        service.archive_partner,
    )

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(desk, parent)
        self.status_filter = self.add_status_filter()
        self.expiring = QCheckBox(self.tr("60 天内到期"))
        self.expiring.toggled.connect(lambda _on: self.refresh())
        self.filters.addWidget(self.expiring)
        self.export_button = QPushButton(self.tr("导出年度工作簿…"))
        self.export_button.clicked.connect(self.export_year)
        self.filters.addWidget(self.export_button)
        self.statement_button = QPushButton(self.tr("打印对账单…"))
        self.statement_button.setToolTip(
            self.tr("所选合作单位一年的对账单：各批次的人数、人天、应收金额和合计")
        )
        self.statement_button.clicked.connect(self.print_statement)
        self.filters.addWidget(self.statement_button)
        self.preview: PdfPreview | None = None
        self.new_button.setText(self.tr("新建合作单位"))
        self.agreements = AgreementsPanel(desk)
        self.tabs.addTab(self.agreements, self.tr("合作协议"))
        self.current_changed.connect(self._partner_changed)
        self.agreements.saved.connect(lambda _row: self.refresh())

    def export_year(self) -> None:
        """A partner's year as a workbook: the summary with quotas and one roster sheet per batch."""
        row = self.current
        if row is None:
            return
        year, ok = QInputDialog.getInt(
            self, self.tr("导出年度工作簿"), self.tr("年份："), dt.date.today().year, 2000, 2100
        )
        if not ok:
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("保存工作簿"),
            safe_file_name(row.name, year, suffix=".xlsx"),
            self.tr("Excel 工作簿 (*.xlsx)"),
        )
        if not name:
            return
        db, path = self.desk.db, Path(name).with_suffix(".xlsx")

        def done(result: Any) -> None:
            self.desk.status.emit(self.tr("已导出 {0} 人到 {1}").format(result.rows, result.path))

        def job() -> Any:
            from recuperation.workbooks import (
                export_partner_year,  # imported when first used: keeps reportlab/XlsxWriter out of the start-up
            )

            return export_partner_year(db, row.name, year, path)

        operations.run(self, job, done, failed=self._save_failed)

    def print_statement(self) -> None:
        """The selected partner's annual statement (对账单): the year asked — offered as the latest year the
        partner has batches in (read on the worker first) — the PDF made on the worker, then shown in the
        preview to print, save or open."""
        row = self.current
        if row is None:
            return
        db, name = self.desk.db, row.name

        def years() -> list[int]:
            from recuperation.services.batch.batches import list_batches

            found = list_batches(db, partner=name)
            return sorted({b.arrival.year for b in found if b.status != BatchStatus.CANCELLED.value})

        operations.run(self, years, lambda found: self._ask_statement_year(row, found))

    def _ask_statement_year(self, row: Any, years: list[int]) -> None:
        """The year of the statement, offered as the latest year up to this one the partner has batches in (the
        first year ahead when it has batches only then; this year when it has none, which the statement
        refuses naming the years that have)."""
        offered = opening_year(years) or dt.date.today().year
        answer = dialogs.ask_text(
            self,
            self.tr("打印对账单"),
            self.tr("{0} 的对账单，年份（按批次到达日期）：").format(row.name),
            ok=self.tr("生成对账单"),
            cancel=self.tr("取消"),
            text=str(offered),
        )
        if answer is None:
            return
        text = answer.strip()
        if not (text.isdecimal() and len(text) == 4 and 2000 <= int(text) <= 2100):
            dialogs.warn(
                self,
                self.tr("打印对账单"),
                self.tr("“{0}”不是年份：请写四位数的年份，如 2021。").format(text),
            )
            return
        year, db, name = int(text), self.desk.db, row.name
        target = file_in(data_dir() / "print", name, year, "statement", suffix=".pdf")

        def job() -> Any:
            from recuperation.documents.render import render  # reportlab is imported when first used

            return render(db, "statement", name, target, year=year)

        def done(result: Any) -> None:
            self.preview = PdfPreview(
                self, result.path, self.tr("{0} {1} 年对账单").format(name, year), result.note()
            )
            self.preview.open()

        operations.run(
            self, job, done, failed=lambda exc: operations.show_failure(self, exc, self.tr("不能打印对账单"))
        )

    def _partner_changed(self, row: Any) -> None:
        partner_id = row.id if row is not None else None
        if partner_id != self.agreements.partner_id or partner_id is None:
            self.agreements.set_partner(partner_id)

    def columns(self) -> list[Column]:
        today = dt.date.today()
        kinds = labels.partner_kinds()
        states = labels.agreement_states()
        return [
            Column(self.tr("名称"), lambda p: p.name, width=200),
            Column(self.tr("类型"), lambda p: kinds.get(p.kind, p.kind), fits=list(kinds.values())),
            Column(self.tr("地区"), lambda p: p.region, width=100),
            Column(self.tr("联系人"), lambda p: p.contact_name, width=80),
            Column(
                self.tr("协议到期"),
                lambda p: p.agreement_end,
                width=110,
                background=lambda p: _state_colour(p.agreement_state(today)),
                tooltip=lambda p: states[p.agreement_state(today)],
            ),
            Column(self.tr("批次"), lambda p: p.batches, right=True, width=60),
        ]

    def fields(self) -> list[Field]:
        kinds = labels.partner_kinds()
        return [
            Field("name", self.tr("名称"), required=True, max_length=100),
            Field("kind", self.tr("类型"), "choice", required=True, choices=list(kinds.items())),
            Field("region", self.tr("地区"), max_length=60),
            Field(
                "uscc",
                self.tr("统一社会信用代码"),
                max_length=18,
                measure=service.normalise_uscc,
                check=lambda value: uscc_problem(value, self.form.value("name")),
                placeholder=self.tr("18 位，例如 91330182MA2xxxxxxx"),
            ),
            Field("contact_name", self.tr("联系人"), max_length=40),
            Field("contact_phone", self.tr("联系电话"), max_length=20, check=phone_problem),
            Field("address", self.tr("地址"), max_length=200),
            Field(
                "spending_pack_id",
                self.tr("开支标准"),
                "choice",
                choices=[(0, self.tr("无（不检查开支标准）"))],  # the packs arrive with the rows
            ),
            Field("notes", self.tr("备注"), "multiline", max_length=2000),
        ]

    def defaults(self) -> dict[str, Any]:
        return {"kind": "enterprise", "spending_pack_id": 0}

    def values_of(self, row: Any) -> dict[str, Any]:
        return {**super().values_of(row), "spending_pack_id": row.spending_pack_id or 0}

    def fetch_args(self) -> dict[str, Any]:
        return {"status": self.status_filter.currentData(), "expiring": self.expiring.isChecked()}

    def fetch(self, db: Database, **args: Any) -> Fetched:
        from recuperation.services import spending

        rows = service.list_partners(
            db,
            include_archived=args["status"] != "active",
            expiring_within=service.EXPIRY_WARNING_DAYS if args["expiring"] else None,
        )
        packs = [(p.id, p.name) for p in spending.list_packs(db)]
        return Fetched(self.keep_status(rows, args["status"]), packs)

    def accept(self, extra: Any) -> None:
        """The packs of spending rules a partner may belong to (设置 → 开支标准)."""
        self.form.set_choices("spending_pack_id", [(0, self.tr("无（不检查开支标准）")), *extra])


class AgreementsPage(Page):
    """Partners on the left; the selected partner's details and agreements on the right."""

    name = "agreements"
    shows = frozenset({"partner", "agreement", "batch", "participant", "spending_pack"})

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(desk, parent)
        self.partners = PartnersPanel(desk)
        self.layout_.addWidget(self.partners)
        self.panels = [self.partners, self.partners.agreements]
