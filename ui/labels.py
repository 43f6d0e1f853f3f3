"""How the core's codes read on screen (kinds, statuses, levels, themes), through tr()."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def partner_kinds() -> dict[str, str]:
    return {
        "enterprise": translate("Labels", "企业"),
        "university": translate("Labels", "高校"),
        "union": translate("Labels", "工会"),
        "government": translate("Labels", "机关事业单位"),
        "other": translate("Labels", "其他"),
    }


def base_kinds() -> dict[str, str]:
    return {
        "hotel": translate("Labels", "酒店宾馆"),
        "homestay": translate("Labels", "民宿"),
        "scenic": translate("Labels", "景区场馆"),
        "farm": translate("Labels", "农庄"),
        "training_centre": translate("Labels", "培训中心"),
        "enterprise": translate("Labels", "企业"),
    }


def cert_levels() -> dict[str, str]:
    return {
        "provincial": translate("Labels", "省级"),
        "hangzhou": translate("Labels", "杭州市级"),
        "county": translate("Labels", "建德市级"),
    }


def cert_statuses() -> dict[str, str]:
    return {
        "applied": translate("Labels", "已申报"),
        "first_review": translate("Labels", "初审"),
        "site_inspection": translate("Labels", "实地考察"),
        "certified": translate("Labels", "已认定"),
        "rechecked": translate("Labels", "已复核"),
        "expired": translate("Labels", "已过期"),
        "revoked": translate("Labels", "已摘牌"),
        "rejected": translate("Labels", "未通过"),
    }


def cert_steps() -> dict[str, str]:
    return {
        "application": translate("Labels", "申报"),
        "first_review": translate("Labels", "初审"),
        "site_inspection": translate("Labels", "实地考察"),
        "certified": translate("Labels", "认定"),
        "recheck": translate("Labels", "复核"),
        "expired": translate("Labels", "过期"),
        "revoked": translate("Labels", "摘牌"),
        "rejected": translate("Labels", "不予认定"),
    }


def themes() -> dict[str, str]:
    return {
        "leisure": translate("Labels", "休闲"),
        "fitness": translate("Labels", "健身"),
        "study": translate("Labels", "研学"),
        "heritage": translate("Labels", "红色"),
        "wellness": translate("Labels", "康养"),
    }


def item_kinds() -> dict[str, str]:
    return {
        "activity": translate("Labels", "活动"),
        "breakfast": translate("Labels", "早餐"),
        "lunch": translate("Labels", "午餐"),
        "dinner": translate("Labels", "晚餐"),
        "lodging": translate("Labels", "住宿"),
    }


def batch_kinds() -> dict[str, str]:
    return {
        "recuperation": translate("Labels", "疗休养"),
        "training": translate("Labels", "培训班"),
        "conference": translate("Labels", "会议"),
    }


def batch_statuses() -> dict[str, str]:
    return {
        "planned": translate("Labels", "计划"),
        "confirmed": translate("Labels", "已确认"),
        "in_progress": translate("Labels", "进行中"),
        "completed": translate("Labels", "已完成"),
        "cancelled": translate("Labels", "已取消"),
    }


def agreement_states() -> dict[str, str]:
    return {
        "none": translate("Labels", "无协议"),
        "future": translate("Labels", "未生效"),
        "active": translate("Labels", "有效"),
        "expiring": translate("Labels", "即将到期"),
        "expired": translate("Labels", "已到期"),
    }


def base_cert_states() -> dict[str, str]:
    return {
        "none": translate("Labels", "未认定"),
        "pending": translate("Labels", "认定中"),
        "valid": translate("Labels", "有效"),
        "recheck_due": translate("Labels", "待复核"),
        "lapsing": translate("Labels", "即将到期"),
        "lapsed": translate("Labels", "已失效"),
    }
