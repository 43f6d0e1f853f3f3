"""How the core's codes read on screen (kinds, statuses, levels, themes), through tr()."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def partner_kinds() -> dict[str, str]:
    return {
        "enterprise": _t("企业"),
        "university": _t("高校"),
        "union": _t("工会"),
        "government": _t("机关事业单位"),
        "other": _t("其他"),
    }


def base_kinds() -> dict[str, str]:
    return {
        "hotel": _t("酒店宾馆"),
        "homestay": _t("民宿"),
        "scenic": _t("景区场馆"),
        "farm": _t("农庄"),
        "training_centre": _t("培训中心"),
        "enterprise": _t("企业"),
    }


def cert_levels() -> dict[str, str]:
    return {"provincial": _t("省级"), "hangzhou": _t("杭州市级"), "county": _t("建德市级")}


def cert_statuses() -> dict[str, str]:
    return {
        "applied": _t("已申报"),
        "first_review": _t("初审"),
        "site_inspection": _t("实地考察"),
        "certified": _t("已认定"),
        "rechecked": _t("已复核"),
        "expired": _t("已过期"),
        "revoked": _t("已摘牌"),
        "rejected": _t("未通过"),
    }


def cert_steps() -> dict[str, str]:
    return {
        "application": _t("申报"),
        "first_review": _t("初审"),
        "site_inspection": _t("实地考察"),
        "certified": _t("认定"),
        "recheck": _t("复核"),
        "expired": _t("过期"),
        "revoked": _t("摘牌"),
        "rejected": _t("不予认定"),
    }


def themes() -> dict[str, str]:
    return {
        "leisure": _t("休闲"),
        "fitness": _t("健身"),
        "study": _t("研学"),
        "heritage": _t("红色"),
        "wellness": _t("康养"),
    }


def item_kinds() -> dict[str, str]:
    return {
        "activity": _t("活动"),
        "breakfast": _t("早餐"),
        "lunch": _t("午餐"),
        "dinner": _t("晚餐"),
        "lodging": _t("住宿"),
    }


def batch_kinds() -> dict[str, str]:
    return {"recuperation": _t("疗休养"), "training": _t("培训班"), "conference": _t("会议")}


def batch_statuses() -> dict[str, str]:
    return {
        "planned": _t("计划"),
        "confirmed": _t("已确认"),
        "in_progress": _t("进行中"),
        "completed": _t("已完成"),
        "cancelled": _t("已取消"),
    }


def agreement_states() -> dict[str, str]:
    return {
        "none": _t("无协议"),
        "future": _t("未生效"),
        "active": _t("有效"),
        "expiring": _t("即将到期"),
        "expired": _t("已到期"),
    }


def base_cert_states() -> dict[str, str]:
    return {
        "none": _t("未认定"),
        "pending": _t("认定中"),
        "valid": _t("有效"),
        "recheck_due": _t("待复核"),
        "lapsing": _t("即将到期"),
        "lapsed": _t("已失效"),
    }
