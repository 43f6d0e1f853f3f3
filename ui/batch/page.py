"""批次: the batches with their filters; the editor of a batch with its lodging per night and status;
its facts and the rules that fire on it; its roster."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QMenu,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QWidget,
)

from recuperation import messages
from recuperation.filenames import file_in, safe_file_name
from recuperation.models import BatchStatus, ItemKind
from recuperation.people import mask_phone
from recuperation.services import bases as base_service
from recuperation.services import insurance as insurance_service
from recuperation.services import partners as partner_service
from recuperation.services import routes as route_service
from recuperation.services import settlement as settlement_service
from recuperation.services.batch import batches as service
from recuperation.services.batch import edit as batch_edit
from recuperation.services.batch.night_base import night_bases
from recuperation.services.routes import RouteItemInput
from recuperation.storage.database import Database
from recuperation.storage.paths import data_dir
from ui import labels, operations
from ui.batch.after_trip import AfterTripView
from ui.batch.departure import DepartureDialog
from ui.batch.feedback import FeedbackView
from ui.batch.incidents import IncidentsView
from ui.batch.insurance import InsuranceDialog
from ui.batch.lodging import LodgingEditor
from ui.batch.orders import OrdersView, confirm_blockers
from ui.batch.planner import PlannerPanel
from ui.batch.rooms import RoomsView
from ui.batch.roster import RosterView
from ui.batch.settlement import SettlementView
from ui.checks import phone_problem
from ui.desk import Desk
from ui.i18n import format_date, opening_year, sort_text
from ui.pages.base import Page
from ui.pages.routes import PlanEditor
from ui.widgets import dialogs, rights
from ui.widgets.fit import CompactCombo, roomy_tabs, tighten_tabs
from ui.widgets.form import Field
from ui.widgets.pdf_preview import PdfPreview
from ui.widgets.pin_dialog import confirm_pin
from ui.widgets.record_panel import Fetched, RecordPanel
from ui.widgets.table import BAD, Column, sample_dates

STATUS_COLOURS = {"cancelled": BAD}
_UNSET = object()
#: The room beside each tab title of the batch's editor: its nine tabs fit beside the list at 1366×768 in
#: Chinese and in English, without scroll buttons hiding 基本信息 (the style's own is 24 px in Fusion).  Measured
#: in English at 6 px: 471 px of the editor's 493 with 反馈与事件 untranslated; an English title of up to about ten
#: letters (“After trip”) still fits, a longer one (“Feedback & incidents”, 531 px) does not.
TAB_SPACE = 6
#: The column of the batch list shown whole beside the editor (离开), and the list's share of a wide window.
DEPARTURE_COLUMN, LIST_SHARE = 5, 0.55
#: Who changes a batch's status: confirming it is an approval (负责人), any other change is planning.
STATUS_RIGHTS = ("plan", "approve")


def status_right(target: str) -> str:
    return "approve" if target == BatchStatus.CONFIRMED.value else "plan"


class BatchesPanel(RecordPanel):
    audit_table = "batch"

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(desk, parent)
        # The filters keep a modest width whatever the names in them; the bar wraps when they do not fit.
        self.year = CompactCombo(chars=5, widest=12)
        self.year.addItem(self.tr("全部年份"), None)
        self.status = CompactCombo(chars=5, widest=12)
        self.status.addItem(self.tr("全部状态"), None)
        for value, label in labels.batch_statuses().items():
            self.status.addItem(label, value)
        self.month = CompactCombo(chars=4, widest=10)
        self.month.addItem(self.tr("全年"), None)
        for month in range(1, 13):
            self.month.addItem(self.tr("{0}月").format(month), month)
        self.kind = CompactCombo(chars=5, widest=14)
        self.kind.addItem(self.tr("全部类型"), None)
        for value, label in labels.batch_kinds().items():
            self.kind.addItem(label, value)
        self.base = CompactCombo(chars=7, widest=13)
        self.base.addItem(self.tr("全部基地"), None)
        self.partner = CompactCombo(chars=7, widest=13)
        self.partner.addItem(self.tr("全部合作单位"), None)
        for combo in (self.year, self.month, self.status, self.kind, self.partner, self.base):
            combo.currentIndexChanged.connect(
                self._year_chosen if combo is self.year else self._filter_chosen
            )
            self.filters.addWidget(combo)
        self.new_button.setText(self.tr("新建批次"))
        self.delete_button.setText(self.tr("取消批次…"))
        self.status_button = QPushButton(self.tr("改变状态…"))
        self.status_button.setEnabled(False)  # until a batch is chosen
        self.status_button.clicked.connect(self._status_menu)
        self.filters.addWidget(self.status_button)
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.clicked.connect(self._print_menu)
        self.filters.addWidget(self.print_button)
        self.preview: PdfPreview | None = None
        self.baseline_lodging: list[Any] = []
        self.details_of: int | None = None  # the batch whose lodging and itinerary the editors show
        self.change_reason = ""  # why a completed or cancelled batch is changed (asked on saving)
        self.lodging = LodgingEditor()
        self.lodging.changed.connect(self._update_buttons)
        self.lodging.fill_button.clicked.connect(self.fill_lodging)
        self.form_box.insertWidget(1, self.lodging)  # scrolls with the fields, above the Save bar
        self.form.widgets["partner_id"].currentIndexChanged.connect(self._fill_agreements)  # type: ignore[attr-defined]
        self.itinerary = PlanEditor()
        self.itinerary.changed.connect(self._update_buttons)
        # without the right to plan, the batch is read: its nights and its itinerary too; its status changes
        # by planning (cancelled, under way, completed) or by approving (confirmed)
        if not self.allowed:
            self.lodging.set_read_only(desk.access.why_not(self.right))
            self.itinerary.set_read_only(desk.access.why_not(self.right))
        rights.allow(self.status_button, desk.access, STATUS_RIGHTS)
        self.baseline_itinerary: list[Any] = []
        self.tabs.addTab(self.itinerary, self.tr("行程"))
        self.detail = QTextBrowser()
        self.tabs.addTab(self.detail, self.tr("批次详情"))
        self.roster = RosterView(desk)
        self.tabs.addTab(self.roster, self.tr("名单"))
        self.rooms = RoomsView(desk)
        self.tabs.addTab(self.rooms, self.tr("分房与用餐"))
        self.orders = OrdersView(desk)
        self.tabs.addTab(self.orders, self.tr("接待预订单"))
        self.settlement = SettlementView(desk)  # 结算: the bases' invoices, approval, payment
        self.tabs.addTab(self.settlement, self.tr("结算"))
        self.current_changed.connect(self.settlement.set_batch)
        # 反馈与事件: questionnaires and incidents (ui/batch/after_trip.py); each view is added here, one line each
        self.after_trip = AfterTripView()
        # (after-trip views go here)
        self.feedback = self.after_trip.add(FeedbackView(desk), self.tr("问卷反馈"))
        self.after_trip.add(IncidentsView(desk), self.tr("事件"))
        self.tabs.addTab(self.after_trip, self.tr("反馈与事件"))
        self.current_changed.connect(self.after_trip.set_batch)
        self.current_changed.connect(self.rooms.set_batch)
        self.current_changed.connect(self.orders.set_batch)
        self.rooms.changed.connect(lambda: self.roster.set_batch(self.current))
        self.current_changed.connect(self._show_detail)
        self.current_changed.connect(self.roster.set_batch)
        self.saved.connect(self._show_detail)
        self.roster.changed.connect(self.refresh)
        self._years_loaded = False
        #: The year the rows cover (None: every year).  The list reads one year at a time, so that opening
        #: it costs the same with twenty years on file as with one; the other filters work on those rows.
        self.rows_year: int | None = None
        self._keep: Any = None
        self._choosing_year = False
        self._year_wanted: Any = _UNSET  # a year chosen whose rows have not arrived yet
        self.view.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # by arrival
        self.splitter.setSizes([820, 540])
        # The editor's eight tabs without scroll buttons, and, at whatever width the page has, the list as wide
        # as its columns up to 离开 and the editor the rest (the settlement's columns need it) until the user
        # moves the handle.
        tighten_tabs(self.tabs, TAB_SPACE)
        self._split_own = False
        self.splitter.splitterMoved.connect(lambda *_a: setattr(self, "_split_own", True))
        self.splitter.installEventFilter(self)

    def list_width(self) -> int:
        """What the list needs to show its columns up to 离开 whole, with its frame and scroll bar."""
        header = self.view.horizontalHeader()
        shown = [i for i in range(DEPARTURE_COLUMN + 1) if not header.isSectionHidden(i)]
        columns = sum(header.sectionSize(i) for i in shown)
        return columns + 2 * self.view.frameWidth() + self.view.verticalScrollBar().sizeHint().width() + 2

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.splitter and event.type() == QEvent.Type.Resize and not self._split_own:
            self.arrange_split()
        return super().eventFilter(watched, event)

    def arrange_split(self) -> None:
        """The list shows each batch up to its dates and the editor has the rest (at 1366×768 its tabs and the
        settlement's columns need it); a wider window gives the list its share.  A split the user made (or
        left last time, restored) stays as it is."""
        total = self.splitter.width() - self.splitter.handleWidth()
        if total <= 0:
            return
        least = self.tabs.minimumSizeHint().width()
        left = max(min(max(self.list_width(), round(total * LIST_SHARE)), total - least), 0)
        self.splitter.setSizes([left, total - left])

    def restore_state(self, settings: Any, prefix: str) -> None:
        super().restore_state(settings, prefix)
        if settings.value(f"{prefix}/splitter") is not None:
            self._split_own = True  # the split the user left

    def columns(self) -> list[Column]:
        kinds, statuses = labels.batch_kinds(), labels.batch_statuses()
        return [
            Column(self.tr("编号"), lambda b: b.code, fits=("L2028-0000",)),
            Column(self.tr("类型"), lambda b: kinds.get(b.kind, b.kind), fits=list(kinds.values())),
            Column(self.tr("合作单位"), lambda b: b.partner, width=170),
            Column(self.tr("线路"), lambda b: b.route, width=150),
            Column(self.tr("到达"), lambda b: b.arrival, fits=sample_dates()),
            Column(self.tr("离开"), lambda b: b.departure, fits=sample_dates()),
            Column(self.tr("天数"), lambda b: b.days, right=True, width=45),
            Column(self.tr("计划人数"), lambda b: b.headcount, right=True, width=70),
            Column(self.tr("名单人数"), lambda b: b.roster_count, right=True, width=70),
            Column(
                self.tr("状态"),
                lambda b: statuses.get(b.status, b.status),
                fits=list(statuses.values()),
                background=lambda b: STATUS_COLOURS.get(b.status),
            ),
            Column(self.tr("领队"), lambda b: b.leader, width=70),
            Column(self.tr("导游"), lambda b: b.guide),
        ]

    def fields(self) -> list[Field]:
        return [
            Field("code", self.tr("编号"), max_length=20, placeholder=self.tr("留空则自动编号")),
            Field(
                "kind", self.tr("类型"), "choice", required=True, choices=list(labels.batch_kinds().items())
            ),
            Field("partner_id", self.tr("合作单位"), "choice", required=True),
            Field("agreement_id", self.tr("合作协议"), "choice"),
            Field("route_id", self.tr("线路"), "choice"),
            Field("arrival", self.tr("到达日期"), "date", required=True),
            Field("departure", self.tr("离开日期"), "date", required=True),
            Field("headcount", self.tr("计划人数"), "int", required=True, maximum=10_000),
            Field("leader", self.tr("领队"), max_length=40),
            Field("leader_phone", self.tr("领队电话"), max_length=20, check=phone_problem),
            Field("guide", self.tr("导游"), max_length=40),
            Field("vehicle", self.tr("车辆"), max_length=40),
            Field("notes", self.tr("备注"), "multiline", max_length=2000),
        ]

    def defaults(self) -> dict[str, Any]:
        today = dt.date.today()
        partner = self.partner.currentData() if hasattr(self, "partner") else None
        return {
            # the partner the list is filtered to, else the first in the list
            **({"partner_id": partner} if partner is not None else {}),
            "kind": "recuperation",
            "arrival": today,
            "departure": today + dt.timedelta(days=1),
            "headcount": 0,
            "agreement_id": None,
            "route_id": None,
        }

    def label(self, row: Any) -> str:
        return row.code

    def saved_message(self, saved: Any) -> str:
        """已保存, and how many rules fired on the batch: a warning is easy to miss in the details tab."""
        if not saved.findings:
            return super().saved_message(saved)
        return self.tr(
            "已保存：{0}（%n 条提醒，见批次详情）", "a saved batch and its findings", len(saved.findings)
        ).format(saved.code)

    def fetch_args(self) -> dict[str, Any]:
        keep, self._keep = self._keep, None
        return {"year": self.year.currentData(), "first": not self._years_loaded, "keep": keep}

    def refresh(self, select_key: Any = None) -> None:
        # A batch asked for (just saved, opened from the calendar or an alert), or else the selected one (moved
        # to another year here or at another desk), brings its year; another year chosen is read as chosen.
        if select_key is not None:
            self._keep = select_key
        elif self._choosing_year:
            self._keep = None
        else:
            self._keep = self.current.id if self.current is not None else None
        self._choosing_year = False
        super().refresh(select_key)

    def fetch(self, db: Database, *, year: int | None, first: bool, keep: Any) -> Fetched:
        batch_years = service.batch_years(db)
        if first:
            # This year if it has batches, else the latest year that has (an agreement dated this year does
            # not make an empty list the first thing a coordinator sees).
            year = opening_year(batch_years)
        if keep is not None and year is not None:
            kept = service.batch_year(db, keep)
            if kept is not None:
                year = kept  # a batch just saved, or asked for, is shown in its year
        rows = service.list_batches(db, year=year)
        routes = route_service.list_routes(db, with_items=True)
        bases = sorted(base_service.list_bases(db), key=lambda b: sort_text(b.name))  # pinyin, as every list
        lookups = {
            "partners": [(p.id, p.name) for p in partner_service.list_partners(db)],
            "agreements": [(a.id, a.partner_id, a.number) for a in partner_service.list_agreements(db)],
            "routes": [(r.id, f"{r.code} {r.name}") for r in routes],
            "route_plans": {r.id: r.items for r in routes},
            "bases": [(b.id, b.name) for b in bases if b.beds > 0],
            "all_bases": [(b.id, b.name) for b in bases],
        }
        return Fetched(rows, (lookups, batch_years, year))

    def accept(self, extra: Any) -> None:
        self.lookups, self._batch_years, self.rows_year = extra
        self._fill_filters()

    def _fill_filters(self) -> None:
        """The partner and base filters offer what is on file now (a partner created since is there),
        keeping what the user chose."""
        lookups = self.lookups
        for combo, items in ((self.partner, lookups["partners"]), (self.base, lookups["bases"])):
            wanted = [(name, name if combo is self.base else key) for key, name in items]
            wanted.sort(key=lambda item: sort_text(item[0]))
            have = [(combo.itemText(i), combo.itemData(i)) for i in range(1, combo.count())]
            if have == wanted:
                continue
            chosen = combo.currentData()
            blocked = combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for text, data in wanted:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
            combo.blockSignals(blocked)

    def _fill_choices(self) -> None:
        lookups = getattr(self, "lookups", None)
        if not lookups:
            return
        self.form.set_choices("partner_id", sorted(lookups["partners"], key=lambda p: sort_text(p[1])))
        self.form.set_choices("route_id", [(None, self.tr("（不选线路）")), *lookups["routes"]])
        self.lodging.set_bases(lookups["bases"])
        self.itinerary.bases = lookups["all_bases"]
        self._fill_agreements()

    def _fill_agreements(self, *_args: object) -> None:
        lookups = getattr(self, "lookups", None)
        if not lookups:
            return
        partner_id = self.form.value("partner_id")
        choices = [(a_id, number) for a_id, p_id, number in lookups["agreements"] if p_id == partner_id]
        self.form.set_choices("agreement_id", [(None, self.tr("（无协议）")), *choices])

    def fill_lodging(self) -> None:
        """按计划人数排满每晚: every night of the stay without lodging gets the planned headcount at the base
        the batch's itinerary sleeps at that night (its 入住 item, as ``night_base`` reads it)."""
        arrival = self.form.value("arrival")
        plan = [
            (arrival + dt.timedelta(days=item.day_no - 1), item.base_id, "")
            for item in self._plan_items()
            if item.kind == ItemKind.LODGING.value and item.base_id is not None
        ]
        planned = {night: entry.main[0] for night, entry in night_bases([], plan).items()}
        self.lodging.fill(arrival, self.form.value("departure"), self.form.value("headcount"), planned)

    def _plan_items(self) -> list[Any]:
        """The day plan the batch will have: its itinerary as edited, or, for a new batch (or a route just
        chosen instead of the one the itinerary came with), the chosen route's plan."""
        items: list[Any] = self.itinerary.items()
        route_id = self.form.value("route_id")
        kept = self.current is not None and self.current.route_id == route_id
        if items and (kept or items != self.baseline_itinerary):
            return items
        plans = getattr(self, "lookups", {}).get("route_plans", {})
        return list(plans.get(route_id, ())) if route_id is not None else items

    def values_of(self, row: Any) -> dict[str, Any]:
        values = super().values_of(row)
        if row is not None and row.partner_id not in {
            p for p, _ in getattr(self, "lookups", {}).get("partners", [])
        }:
            self.form.set_choices("partner_id", [(row.partner_id, row.partner)])  # an archived partner
        return values

    def show_record(self, row: Any) -> None:
        self._fill_choices()
        super().show_record(row)
        self._fill_agreements()
        self.form.baseline = self.form.values()
        self._update_buttons()
        self.status_button.setEnabled(row is not None and bool(service.NEXT_STATUS.get(row.status)))

    def load_extra(self, row: Any) -> None:
        self.details_of = None
        if row is None:
            self.lodging.set_items([])
            self.baseline_lodging = []
            self.itinerary.set_items([])
            self.baseline_itinerary = []
            return
        db, batch_id = self.desk.db, row.id

        def done(details: Any) -> None:
            if self.current is None or self.current.id != batch_id:
                return
            self.details_of = batch_id
            self.lodging.set_items(
                [service.LodgingInput(lo.base_id, lo.night, lo.people) for lo in details.lodging]
            )
            self.baseline_lodging = self.lodging.items()
            arrival = details.batch.arrival
            self.itinerary.set_items(
                [
                    RouteItemInput(
                        (i.on_date - arrival).days + 1, i.activity, i.kind, i.time_of_day, i.place, i.base_id
                    )
                    for i in details.itinerary
                ]
            )
            self.baseline_itinerary = self.itinerary.items()
            self._update_buttons()

        def failed(exc: BaseException) -> None:
            if self.current is not None and self.current.id == batch_id:
                self.lodging.set_items([])  # never another batch's lodging under this one
                self.baseline_lodging = []
                self.itinerary.set_items([])
                self.baseline_itinerary = []
                self._update_buttons()
            operations.show_failure(self, exc)

        operations.run(self, lambda: batch_edit.get_details(db, batch_id), done, failed=failed)

    def validate(self) -> bool:
        """A batch is saved with its lodging and itinerary: never with another batch's, shown while its own
        are read (or could not be)."""
        if self.current is not None and self.details_of != self.current.id:
            dialogs.warn(
                self,
                self.tr("不能保存"),
                self.tr("这个批次的住宿与行程还没有读出，不能保存。请按 F5 刷新后再试。"),
            )
            return False
        if not super().validate():
            return False
        self.change_reason = ""
        if self.current is not None and batch_edit.needs_reason(self.current.status):
            # The core refuses changing a batch that is over without a reason, which goes into its history.
            reason = dialogs.ask_text(
                self,
                self.tr("修改已结束的批次"),
                self.tr("批次 {0} 的状态是“{1}”。修改它的原因（记入批次历史）：").format(
                    self.current.code, labels.batch_statuses().get(self.current.status, self.current.status)
                ),
                ok=self.tr("保存修改"),
                cancel=self.tr("暂不保存"),
            )
            if reason is None:
                return False
            self.change_reason = reason
        return True

    def extra_dirty(self) -> bool:
        return hasattr(self, "itinerary") and (
            self.lodging.items() != self.baseline_lodging or self.itinerary.items() != self.baseline_itinerary
        )

    def collect_values(self) -> dict[str, Any]:
        plan = self.itinerary.items()
        changed_plan = tuple(plan) if plan != self.baseline_itinerary else None
        return {
            **self.form.values(),
            "lodging": tuple(self.lodging.items()),
            "itinerary": changed_plan,
            "reason": self.change_reason,
        }

    def store(self, db: Database, row: Any, values: dict[str, Any]) -> Any:
        values = dict(values)
        reason = values.pop("reason", "")
        data = service.BatchInput(**values)
        if row is None:
            return service.create_batch(db, data)
        return batch_edit.update_batch(db, row.id, row.version, data, reason=reason)

    def offers_archive(self) -> bool:
        return False

    def delete_current(self) -> None:
        """A batch is never deleted: it is cancelled with a reason and stays in the records."""
        self.change_status("cancelled")

    def change_status(self, target: str) -> None:
        row = self.current
        if row is None or rights.why_not(self.desk.access, status_right(target)):
            return
        reason = ""
        if target == "cancelled":
            # “取消” would be both the deed and the way out: the buttons say which is which.
            answer = dialogs.ask_text(
                self,
                self.tr("取消批次"),
                self.tr("取消批次 {0} 的原因：").format(row.code),
                ok=self.tr("取消这个批次"),
                cancel=self.tr("不取消"),
            )
            if answer is None:
                return
            reason = answer
        if target == BatchStatus.CONFIRMED.value:
            self._confirm(row)
            return
        self._set_status(row, target, reason)

    def _confirm(self, row: Any) -> None:
        """Confirming a batch whose rules warn (a lapsed certification, lodging against the itinerary …) asks
        first, naming the warnings; the list's rows do not carry them, so they are read fresh."""
        db = self.desk.db

        def check(batch_id: int) -> tuple[Any, bool]:
            from recuperation.services.policy import get_policy

            refused = get_policy(db).order_mode == "refuse" and bool(confirm_blockers(db, batch_id))
            return service.get_batch(db, batch_id), refused

        def checked(result: tuple[Any, bool]) -> None:
            batch, refused = result
            if self.current is None or self.current.id != row.id:
                return  # another batch was chosen meanwhile
            if refused:
                # The bases have not confirmed its orders: the core refuses with their names, before the
                # warnings are asked about for nothing.
                self._set_status(row, BatchStatus.CONFIRMED.value, "")
                return
            warnings = [f.message for f in batch.findings if f.severity == "warning"]
            if warnings:
                question = "\n".join(
                    [
                        self.tr(
                            "批次 {0} 有 %n 条提醒：", "warnings before confirming", len(warnings)
                        ).format(row.code),
                        *(f"• {message}" for message in warnings),
                        "",
                        self.tr("仍要确认吗？"),
                    ]
                )
                if dialogs.ask(self, self.tr("确认批次"), question) != dialogs.Button.Yes:
                    return
            self._set_status(row, BatchStatus.CONFIRMED.value, "")

        operations.run(self, lambda: check(row.id), checked, failed=self._save_failed)

    def _set_status(self, row: Any, target: str, reason: str) -> None:
        db = self.desk.db

        def job() -> tuple[Any, list[str]]:
            saved = service.set_status(db, row.id, row.version, target, reason)
            # Confirmed with the policy "warn": which bases have not confirmed its orders, said afterwards.
            open_orders = confirm_blockers(db, row.id) if target == BatchStatus.CONFIRMED.value else []
            return saved, open_orders

        def done(result: tuple[Any, list[str]]) -> None:
            saved, open_orders = result
            self.desk.status.emit(
                self.tr("{0} 已改为“{1}”").format(saved.code, labels.batch_statuses()[saved.status])
            )
            self.current = saved
            self.refresh(select_key=saved.id)
            if open_orders:
                dialogs.warn(
                    self,
                    self.tr("预订单未确认"),
                    messages.text(
                        "order.confirm_warned", batch=saved.code, detail=messages.join_clauses(open_orders)
                    ),
                )

        operations.run(self, job, done, failed=self._save_failed)

    def documents(self) -> dict[str, str]:
        return {
            "itinerary": self.tr("行程单"),
            "manifest": self.tr("团员名单"),
            "manifest_full": self.tr("名单（完整证件号，供保险）"),
            "rooming": self.tr("分房表与用餐人数"),
            "checkin": self.tr("报到表"),
        }

    def _print_menu(self) -> None:
        menu = self.print_menu()
        menu.exec(self.print_button.mapToGlobal(self.print_button.rect().bottomLeft()))

    def print_menu(self) -> QMenu:
        """打印…: the batch's documents, its workbooks, its departure notice and its insurance; what needs a
        right the person lacks is disabled, saying why."""
        menu = QMenu(self)
        access = self.desk.access
        for key, title in self.documents().items():
            action = menu.addAction(title)
            action.triggered.connect(lambda _checked=False, k=key: self.print_document(k))
            if key == "manifest_full":
                rights.allow(action, access, "full_ids")
        menu.addSeparator()
        menu.addAction(self.tr("导出名单（Excel）…")).triggered.connect(lambda: self.export("roster"))
        menu.addAction(self.tr("导出本年批次一览（Excel）…")).triggered.connect(lambda: self.export("year"))
        menu.addSeparator()  # 出团通知书 for the partner: the PDF, the workbook with the roster, its details
        menu.addAction(self.tr("出团通知书（PDF）")).triggered.connect(
            lambda: self.print_document("departure")
        )
        menu.addAction(self.tr("出团通知书与名单（Excel）…")).triggered.connect(
            lambda: self.export("departure")
        )
        edit = menu.addAction(self.tr("编辑出团通知书…"))
        edit.triggered.connect(self.edit_departure)
        rights.allow(edit, access, self.right)
        menu.addSeparator()  # the batch's group insurance and the insurer's list (full IDs, audited)
        menu.addAction(self.tr("保险与保险名单…")).triggered.connect(self.edit_insurance)
        return menu

    departure_dialog: DepartureDialog | None = None  # the last 出团通知书… opened (tests reach it)

    def edit_departure(self) -> None:
        """出团通知书…: the selected batch's departure-notice details; 保存并打印 shows the PDF afterwards."""
        row = self.current
        if row is None or not self.allowed:
            return
        dialog = DepartureDialog(self, self.desk, row)
        dialog.print_wanted.connect(lambda: self.print_document("departure"))
        self.departure_dialog = dialog
        dialog.open()

    insurance_dialog: InsuranceDialog | None = None  # the last 保险… opened (tests reach it)

    def edit_insurance(self) -> None:
        """保险…: the selected batch's policy, what its cover lacks, the insurer's list; the findings follow."""
        row = self.current
        if row is None:
            return
        dialog = InsuranceDialog(self, self.desk, row)
        dialog.saved.connect(lambda _policy: self._show_detail(self.current))
        self.insurance_dialog = dialog
        dialog.open()

    def export(self, which: str) -> None:
        """The roster of the selected batch (masked), the batch list of its year, or the batch's departure
        notice with its roster (``which`` "departure"), as a workbook."""
        row = self.current
        if row is None:
            return
        suggested = (
            safe_file_name(row.code, "名单", suffix=".xlsx")
            if which == "roster"
            else safe_file_name(row.code, self.tr("出团通知书"), suffix=".xlsx")
            if which == "departure"
            else f"{row.arrival.year}年批次.xlsx"
        )
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存工作簿"), suggested, self.tr("Excel 工作簿 (*.xlsx)")
        )
        if not name:
            return
        db, path = self.desk.db, Path(name).with_suffix(".xlsx")

        def job() -> Any:
            from recuperation.workbooks import (  # imported when first used: keeps reportlab/XlsxWriter out of the start-up
                export_batches_year,
                export_roster,
            )

            if which == "roster":
                return export_roster(db, row.code, path)
            if which == "departure":
                from recuperation.documents.orders_docs import departure_notice_workbook

                return departure_notice_workbook(db, row.code, path)
            return export_batches_year(db, row.arrival.year, path)

        def done(result: Any) -> None:
            self.desk.status.emit(messages.text("export.done", rows=result.rows, path=result.path))

        operations.run(self, job, done, failed=self._save_failed)

    def print_document(self, which: str) -> None:
        """Make the PDF on the worker, then show it in the preview to print, save or open."""
        row = self.current
        if row is None:
            return
        if which == "manifest_full" and not self.desk.access.can("full_ids"):
            return  # (the menu does not offer it)
        db, code = self.desk.db, row.code
        if which == "manifest_full" and not confirm_pin(self, db):  # a desk's PIN (ui/widgets/pin_dialog.py)
            return
        target = file_in(data_dir() / "print", code, which, suffix=".pdf")

        document, full_ids = (
            ("manifest", which == "manifest_full") if which.startswith("manifest") else (which, False)
        )

        def job() -> Any:
            from recuperation.documents.render import render  # reportlab is imported when first used

            return render(db, document, code, target, full_ids=full_ids)

        def done(result: Any) -> None:
            title = self.tr("出团通知书") if which == "departure" else self.documents()[which]
            self.preview = PdfPreview(self, result.path, f"{code} {title}", result.note())
            self.preview.open()

        operations.run(self, job, done, failed=self._save_failed)

    def _status_menu(self) -> None:
        menu = self.status_menu()
        menu.exec(self.status_button.mapToGlobal(self.status_button.rect().bottomLeft()))

    def status_menu(self) -> QMenu:
        """改变状态…: the statuses the batch may move to; confirming needs 负责人, the others 协调员."""
        menu = QMenu(self)
        row = self.current
        statuses = labels.batch_statuses()
        for target in service.NEXT_STATUS.get(row.status, ()) if row else ():
            action = menu.addAction(statuses[target])
            action.triggered.connect(lambda _checked=False, t=target: self.change_status(t))
            rights.allow(action, self.desk.access, status_right(target))
        return menu

    def _year_chosen(self, *_args: object) -> None:
        """Another year: read it (unless every year is already here), else filter what is here."""
        chosen = self.year.currentData()
        if self.rows_year is not None and chosen != self.rows_year:
            self._year_wanted = chosen
            self._choosing_year = True
            self.refresh()
        else:
            self._year_wanted = _UNSET
            self._filter_chosen()

    def _show_rows(self, rows: list[Any], select_key: Any) -> None:
        wanted_year, self._year_wanted = self._year_wanted, _UNSET
        late = wanted_year is not _UNSET and wanted_year != self.rows_year  # chosen while these were read
        # The years that have a batch, as they are now (a year saved since is added, one emptied goes).
        years = set(getattr(self, "_batch_years", ())) | {b.arrival.year for b in rows}
        shown = self.rows_year if not late else wanted_year
        if shown is not None:
            years.add(shown)
        blocked = self.year.blockSignals(True)
        if [self.year.itemData(i) for i in range(1, self.year.count())] != sorted(years, reverse=True):
            while self.year.count() > 1:
                self.year.removeItem(1)
            for year in sorted(years, reverse=True):
                self.year.addItem(str(year), year)
        self._years_loaded = True
        # the combo says the year the rows are of (the opening year, a kept batch's year), or the one chosen
        index = self.year.findData(shown) if shown is not None else 0
        self.year.setCurrentIndex(max(index, 0))
        self.year.blockSignals(blocked)
        if late:  # the user chose another year while these rows were read: read that one
            self._year_wanted = wanted_year
            self._choosing_year = True
            QTimer.singleShot(0, self.refresh)
        self._apply_filters()
        wanted = next((b for b in rows if b.id == select_key), None)
        if wanted is not None and not self.proxy.keeps(wanted):
            self._show_filters_for(wanted)  # what the user just saved stays visible and selected
        super()._show_rows(rows, select_key)
        if self.current is not None:
            self._show_detail(self.current)  # the details follow the data (a roster imported, a save)
            # and so do the orders: a batch edited shows at once which orders changed since they were sent
            self.orders.set_batch(self.current)
            self.settlement.set_batch(self.current)  # and the settlement (another desk's payment)

    def _show_filters_for(self, batch: Any) -> None:
        """Open the filters so that ``batch`` is in the list: its year, every other filter cleared."""
        for combo in (self.month, self.status, self.kind, self.partner, self.base):
            blocked = combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(blocked)
        blocked = self.year.blockSignals(True)
        self.year.setCurrentIndex(max(self.year.findData(batch.arrival.year), 0))
        self.year.blockSignals(blocked)
        self._apply_filters()

    def _apply_filters(self, *_args: object) -> None:
        year, status, kind = self.year.currentData(), self.status.currentData(), self.kind.currentData()
        month, base, partner = self.month.currentData(), self.base.currentData(), self.partner.currentData()

        def keep(b: Any) -> bool:
            return (
                (year is None or b.arrival.year == year)
                and (month is None or b.arrival.month == month)
                and (status is None or b.status == status)
                and (kind is None or b.kind == kind)
                and (base is None or base in b.bases)
                and (partner is None or b.partner_id == partner)
            )

        self.proxy.set_predicate(keep)

    def _filter_chosen(self, *_args: object) -> None:
        self._apply_filters()
        self.select_visible()

    def _show_detail(self, row: Any) -> None:
        if row is None:
            self.detail.clear()
            return
        db, batch_id = self.desk.db, row.id

        def job() -> tuple[Any, list[settlement_service.SettlementRow], insurance_service.Cover]:
            # the facts, the findings, and what the settlement and the insurance stand at: one trip to the worker
            batch = service.get_batch(db, batch_id)
            bases = settlement_service.settlements(db, batch_ids=[batch_id])
            return batch, bases, insurance_service.batch_cover(db, batch_id)

        operations.run(self, job, lambda found: self._render(*found))

    def settlement_text(self, bases: list[Any]) -> str:
        """结算 in the details: how many bases stand at each state (2 个基地已付清、1 个基地待审批), or that nothing
        is settled yet."""
        states = [r.state for r in bases]
        if not states or all(s == settlement_service.NOT_DUE for s in states):
            return self.tr("无需结算")
        if all(s in (settlement_service.NO_INVOICE, settlement_service.NOT_DUE) for s in states):
            return self.tr("尚未结算")
        names = labels.settlement_states()
        order = ("paid", "approved", "received", settlement_service.NO_INVOICE, settlement_service.NOT_DUE)
        return messages.join(
            [
                self.tr("%n 个基地{0}", "bases at a settlement state", states.count(s)).format(names[s])
                for s in order
                if s in states
            ]
        )

    def insurance_text(self, cover: Any) -> str:
        """保险 in the details: the policy and whether it covers the batch, or that there is none."""
        policy = cover.policy
        if policy is None:
            return self.tr("没有登记保险")
        if cover.valid:
            return self.tr("{0} {1}，有效", "an insurer, a policy number").format(
                policy.insurer, policy.policy_no
            )
        return self.tr("{0} {1}，不符合要求：{2}", "an insurer, a policy number, what is wrong").format(
            policy.insurer, policy.policy_no, messages.join_clauses(list(cover.messages))
        )

    def _render(self, batch: Any, bases: list[Any] | None = None, cover: Any = None) -> None:
        kinds, statuses = labels.batch_kinds(), labels.batch_statuses()
        e = html.escape
        facts = [
            (self.tr("合作单位"), batch.partner),
            (self.tr("类型"), kinds.get(batch.kind, batch.kind)),
            (self.tr("线路"), batch.route or "—"),
            (
                self.tr("日期"),
                self.tr("{0} – {1}（%n 天）", "a batch's dates and its days", batch.days).format(
                    format_date(batch.arrival), format_date(batch.departure)
                ),
            ),
            (self.tr("计划人数"), str(batch.headcount)),
            (self.tr("名单人数"), str(batch.roster_count)),
            (self.tr("状态"), statuses.get(batch.status, batch.status)),
            (self.tr("领队"), f"{batch.leader} {mask_phone(batch.leader_phone)}".strip()),
            (self.tr("导游"), batch.guide or "—"),
            (self.tr("车辆"), batch.vehicle or "—"),
        ]
        if bases is not None:
            facts.append((self.tr("结算"), self.settlement_text(bases)))
        if cover is not None:
            facts.append((self.tr("保险"), self.insurance_text(cover)))
        rows = "".join(
            f"<tr><td style='color:#555;padding-right:12px'>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in facts
        )
        error_word, warning_word = self.tr("错误"), self.tr("提醒")
        if batch.findings:
            items = "".join(
                f"<li style='color:{'#b02a37' if f.severity == 'error' else '#8a6d00'}'>"
                + e(
                    self.tr("{0}：{1}", "a finding: its severity and its message").format(
                        error_word if f.severity == "error" else warning_word, f.message
                    )
                )
                + "</li>"
                for f in batch.findings
            )
            heading = self.tr("检查结果")
            checks = f"<h4>{e(heading)}</h4><ul>{items}</ul>"
        else:
            passed = self.tr("各项规则检查均通过。")
            checks = f"<p style='color:#0f5132'>{e(passed)}</p>"
        self.detail.setHtml(f"<h3>{e(batch.code)}</h3><table>{rows}</table>{checks}")


class BatchesPage(Page):
    name = "batches"

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(desk, parent)
        self.batches = BatchesPanel(desk)
        self.planner = PlannerPanel(desk)
        self.views = roomy_tabs(QTabWidget())
        self.views.addTab(self.batches, self.tr("批次列表"))
        self.views.addTab(self.planner, self.tr("日程计划"))
        self.views.currentChanged.connect(self._view_changed)
        self.planner.opened.connect(self.open_batch)
        self.planner.changed.connect(self.batches.refresh)
        self.layout_.addWidget(self.views)
        self.panels = [self.batches]

    def maybe_leave(self) -> bool:
        """The batch's form, then the questionnaires typed in its 反馈与事件 tab (saved apart from the form)."""
        return super().maybe_leave() and self.batches.feedback.maybe_leave()

    def _view_changed(self, index: int) -> None:
        if self.views.widget(index) is self.planner:
            current = self.batches.current
            if current is not None and not self.planner.loaded_once:
                self.planner.anchor = current.arrival
            self.planner.reload()

    def refresh(self) -> None:
        """F5: the list (and with it the selected batch's tabs) and the calendar once it has been shown."""
        super().refresh()
        if self.planner.loaded_once or self.views.currentWidget() is self.planner:
            self.planner.reload()

    def reload(self, change: Any = None) -> None:
        super().reload(change)
        if self.planner.loaded_once:
            self.planner.reload()  # the calendar follows the data too

    def open_batch(self, batch_id: int) -> None:
        """Show a batch from the planner in the list and its editor."""
        self.views.setCurrentWidget(self.batches)
        panel = self.batches
        row = panel.model.row_for_key(batch_id)
        if row < 0:
            panel.refresh(select_key=batch_id)  # read its year, then select it
            return
        if not panel.proxy.mapFromSource(panel.model.index(row, 0)).isValid():
            panel.search.clear()  # the search or a filter hides it: open them so that it shows
            panel._show_filters_for(panel.model.rows[row])
        panel.select_key(batch_id)

    def loaded(self) -> bool:
        return (
            super().loaded()
            and self.batches.roster.busy == 0
            and self.batches.rooms.busy == 0
            and self.batches.orders.busy == 0
            and self.batches.settlement.busy == 0
            and self.batches.after_trip.busy == 0
            and self.planner.busy == 0
        )
