"""How every enumeration's codes read, in Chinese and in English, defined once.

Services, documents, workbooks, the command line and the desktop all take their labels from here; no
other module keeps a code → label dictionary (``tests/test_architecture.py`` looks).  The Chinese label is
also the word a workbook we write carries, so it is among the words the importer reads back
(``recuperation/services/register_cells.py``; a test holds the two together).

    >>> label("batch_status", "cancelled")
    '已取消'
    >>> label("batch_status", "cancelled", "en")
    'Cancelled'
"""

from __future__ import annotations

from recuperation import messages

# enumeration: code: (Chinese, English)
CATALOGUE: dict[str, dict[str, tuple[str, str]]] = {
    "partner_kind": {
        "enterprise": ("企业", "Enterprise"),
        "university": ("高校", "University"),
        "union": ("工会", "Trade union"),
        "government": ("机关事业单位", "Government or public body"),
        "other": ("其他", "Other"),
    },
    "base_kind": {
        "hotel": ("酒店宾馆", "Hotel"),
        "homestay": ("民宿", "Homestay"),
        "scenic": ("景区场馆", "Scenic area or venue"),
        "farm": ("农庄", "Farm"),
        "training_centre": ("培训中心", "Training centre"),
        "enterprise": ("企业", "Enterprise"),
    },
    "cert_level": {
        "provincial": ("省级", "Provincial"),
        "hangzhou": ("杭州市级", "Hangzhou"),
        "county": ("建德市级", "Jiande"),
    },
    # a certification's state, as a list shows it
    "cert_status": {
        "applied": ("已申报", "Applied"),
        "first_review": ("初审", "First review"),
        "site_inspection": ("实地考察", "Site inspection"),
        "certified": ("已认定", "Certified"),
        "rechecked": ("已复核", "Re-checked"),
        "expired": ("已过期", "Expired"),
        "revoked": ("已摘牌", "Revoked"),
        "rejected": ("未通过", "Rejected"),
    },
    # a step in a certification's history
    "cert_step": {
        "application": ("申报", "Application"),
        "first_review": ("初审", "First review"),
        "site_inspection": ("实地考察", "Site inspection"),
        "certified": ("认定", "Certification"),
        "recheck": ("复核", "Re-check"),
        "expired": ("过期", "Expiry"),
        "revoked": ("摘牌", "Revocation"),
        "rejected": ("不予认定", "Rejection"),
    },
    "theme": {
        "leisure": ("休闲", "Leisure"),
        "fitness": ("健身", "Fitness"),
        "study": ("研学", "Study"),
        "heritage": ("红色", "Heritage"),
        "wellness": ("康养", "Wellness"),
    },
    "item_kind": {
        "activity": ("活动", "Activity"),
        "breakfast": ("早餐", "Breakfast"),
        "lunch": ("午餐", "Lunch"),
        "dinner": ("晚餐", "Dinner"),
        "lodging": ("住宿", "Lodging"),
    },
    "batch_kind": {
        "recuperation": ("疗休养", "Recuperation"),
        "training": ("培训班", "Training class"),
        "conference": ("会议", "Conference"),
    },
    # a service order's state as lists show it: the base's answer, or derived (changed, withdrawn)
    "order_state": {
        "draft": ("未发送", "Not sent"),
        "sent": ("待回复", "Awaiting answer"),
        "confirmed": ("已确认", "Confirmed"),
        "amended": ("有变更确认", "Confirmed with changes"),
        "declined": ("已拒绝", "Declined"),
        "changed": ("发出后有变更", "Changed since sent"),
        "withdrawn": ("需发取消通知", "Cancellation due"),
        "cancel_sent": ("已发取消通知", "Cancellation sent"),
    },
    "sent_how": {
        "printed": ("打印", "Printed"),
        "pdf": ("PDF", "PDF"),
        "workbook": ("工作簿", "Workbook"),
        "email": ("电子邮件附件", "E-mail attachment"),
    },
    "batch_status": {
        "planned": ("计划", "Planned"),
        "confirmed": ("已确认", "Confirmed"),
        "in_progress": ("进行中", "In progress"),
        "completed": ("已完成", "Completed"),
        "cancelled": ("已取消", "Cancelled"),
    },
    # an agreement's term as of a day (services.partners.agreement_state)
    "agreement_state": {
        "none": ("无协议", "No agreement"),
        "future": ("未生效", "Not yet in force"),
        "active": ("有效", "Valid"),
        "expiring": ("即将到期", "Ending soon"),
        "expired": ("已到期", "Ended"),
    },
    # a base's certification as of a day (services.bases.BaseRow.cert_state)
    "base_cert_state": {
        "none": ("未认定", "Not certified"),
        "pending": ("认定中", "In review"),
        "valid": ("有效", "Valid"),
        "recheck_due": ("待复核", "Re-check due"),
        "lapsing": ("即将到期", "Ending soon"),
        "lapsed": ("已失效", "Lapsed"),
    },
    # a person's mark in the roll call (报到); no mark reads as nothing
    "attendance": {
        "attended": ("已到", "Attended"),
        "no_show": ("未到", "No-show"),
        "left_early": ("提前离开", "Left early"),
    },
    # an entry of a batch's waiting list (候补)
    "waiting_state": {
        "waiting": ("候补中", "Waiting"),
        "promoted": ("已递补", "Given a place"),
        "withdrawn": ("已退出", "Withdrawn"),
    },
    # a change in a batch's roster history (名单变动)
    "roster_event": {
        "substitute": ("换人", "Substitution"),
        "move_out": ("转出", "Moved out"),
        "move_in": ("转入", "Moved in"),
        "promote": ("候补递补", "From the waiting list"),
        "skip": ("候补被跳过", "Passed over on the waiting list"),
        "waitlist": ("加入候补", "Put on the waiting list"),
        "withdraw": ("退出候补", "Left the waiting list"),
        "no_show": ("报到未到", "No-show at the roll call"),
    },
    "sex": {
        "M": ("男", "Male"),
        "F": ("女", "Female"),
    },
    # what a rate card's line prices (价目表)
    "rate_kind": {
        "room": ("客房", "Room"),
        "meal": ("餐饮", "Meal"),
        "meeting": ("会议室", "Meeting room"),
        "activity": ("活动", "Activity"),
        "other": ("其他", "Other"),
    },
    # how a rate card's price is counted
    "rate_unit": {
        "per_room_night": ("每间每晚", "Per room and night"),
        "per_person": ("每人", "Per person"),
        "per_session": ("每场", "Per session"),
    },
    # the room types costs are computed with (a card may name others as written)
    "room_type": {
        "twin": ("标准间", "Twin room"),
        "single": ("单人间", "Single room"),
        "suite": ("套房", "Suite"),
        "triple": ("三人间", "Triple room"),
    },
    # a batch's settlement with a base (结算): no invoice yet, nothing owed, or the invoice's state
    "settlement_state": {
        "none": ("未收票", "No invoice"),
        "not_due": ("无需结算", "Nothing due"),
        "received": ("待审批", "Awaiting approval"),
        "approved": ("已审批待付", "Approved, unpaid"),
        "paid": ("已付清", "Paid"),
    },
    # a spending rule of a jurisdiction (开支标准) and what it does when it fires
    "rule_kind": {
        "day_cap": ("每人每天上限", "Cap per person per day"),
        "year_cap": ("每人每年上限", "Cap per person per year"),
        "max_days": ("天数上限（含往返）", "Most days, travel included"),
        "accident_min": ("意外险保额下限", "Least accident cover"),
        "medical_min": ("医疗险保额下限", "Least medical cover"),
    },
    "rule_mode": {
        "warn": ("提醒", "Warn"),
        "refuse": ("拒绝", "Refuse"),
    },
    # what a partner pays for a batch, as its agreement says (services.charges)
    "charge_basis": {
        "price": ("按协议价", "At the agreed price"),
        "cost": ("据实结算", "At cost"),
    },
    # where a batch's known cost at a base comes from (services.settlement.known_costs)
    "cost_source": {
        "invoice": ("发票", "Invoice"),
        "actual": ("实际", "Actual"),
        "planned": ("计划", "Planned"),
    },
    # what a cost at cost rests on, as a statement's footnote says it
    "cost_ground": {
        "invoice": ("基地发票", "the bases' invoices"),
        "actual": ("报到后的实际用量", "what was used after the roll call"),
        "planned": ("计划用量", "what was planned"),
    },
    # what a questionnaire rates a base or the route on (services.feedback; the office picks them in the policy)
    "dimension": {
        "lodging": ("住宿", "Lodging"),
        "food": ("餐饮", "Food"),
        "activities": ("活动安排", "Activities"),
        "guide": ("导游讲解", "Guide"),
        "transport": ("交通", "Transport"),
        "safety": ("安全保障", "Safety"),
        "overall": ("总体满意度", "Overall"),
    },
    "incident_kind": {
        "injury": ("受伤", "Injury"),
        "illness": ("疾病", "Illness"),
        "complaint": ("投诉", "Complaint"),
        "lost_property": ("物品遗失", "Lost property"),
        "transport_delay": ("交通延误", "Transport delay"),
        "other": ("其他", "Other"),
    },
    "severity": {
        "minor": ("一般", "Minor"),
        "moderate": ("较重", "Moderate"),
        "serious": ("严重", "Serious"),
    },
    # the six elements a base is assessed on (六要素)
    "element": {
        "concept": ("概念", "Concept"),
        "entry": ("准入条件", "Entry conditions"),
        "infrastructure": ("基础设施", "Infrastructure"),
        "resources": ("休养资源", "Recuperation resources"),
        "safety": ("安全保障", "Safety"),
        "service": ("服务质量", "Service quality"),
    },
    # how binding a clause of the standard is
    "strength": {
        "shall": ("应", "Shall"),
        "should": ("宜", "Should"),
    },
    "inspection_kind": {
        "site_inspection": ("实地考察", "Site inspection"),
        "recheck": ("复核", "Re-check"),
        "routine": ("日常检查", "Routine check"),
    },
    "clause_result": {
        "met": ("符合", "Met"),
        "not_met": ("不符合", "Not met"),
        "na": ("不适用", "Not applicable"),
    },
    # a scorecard's dimension against the year before, as the means are shown (services.scorecard)
    "trend": {
        "up": ("上升", "Up"),
        "down": ("下降", "Down"),
        "same": ("持平", "Same"),
    },
    # why a scorecard flags a base for review (services.scorecard.FLAGS)
    "review_flag": {
        "low_rating": ("满意度偏低", "Low rating"),
        "open_serious": ("严重事件未结", "Serious incident open"),
        "shall_not_met": ("“应”条款不符合", "Shall clause not met"),
    },
    # who may do what (recuperation/access.py): the roles a person holds
    "role": {
        "admin": ("管理员", "Administrator"),
        "head": ("负责人", "Head"),
        "coordinator": ("协调员", "Coordinator"),
        "finance": ("财务", "Finance"),
        "viewer": ("查看", "Viewer"),
        "pii": ("完整证件号", "Full IDs"),
    },
    # and the rights the roles give
    "right": {
        "read": ("查看数据", "read the data"),
        "plan": (
            "计划与修改（批次、名单、订单、线路、基地、合作单位）",
            "plan and change (batches, rosters, orders, routes, bases, partners)",
        ),
        "approve": (
            "审批（确认批次、结束报到、批准发票、认定决定）",
            "approve (confirm batches, close the roll call, approve invoices, certification decisions)",
        ),
        "money": ("财务（价格、消费规则、发票、付款）", "money (rates, spending rules, invoices, payments)"),
        "settings": ("设置（政策、考察条款）", "settings (policy, checklist clauses)"),
        "users": ("管理用户和角色", "administer users and roles"),
        "full_ids": (
            "查看、打印、导出完整证件号和电话",
            "reveal, print and export full ID numbers and phones",
        ),
    },
}


def _index(language: str | None) -> int:
    return 1 if (language or messages.language()).lower().startswith("en") else 0


def label(enumeration: str, code: object, language: str | None = None) -> str:
    """The label of ``code`` (a str or an Enum member) in ``language`` (default: the messages' language).

    An unknown code reads as itself, so data from a newer program or a hand-edited file stays visible.
    """
    value = getattr(code, "value", code)
    if value is None or value == "":
        return ""
    pair = CATALOGUE[enumeration].get(str(value))
    return pair[_index(language)] if pair else str(value)


def labels(enumeration: str, language: str | None = None) -> dict[str, str]:
    """Every code of ``enumeration`` and its label, in the catalogue's order (the order choices are offered)."""
    i = _index(language)
    return {code: pair[i] for code, pair in CATALOGUE[enumeration].items()}
