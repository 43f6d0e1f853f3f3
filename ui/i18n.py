"""Language, dates and sorting in the desktop: Chinese first, English on request."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterable
from importlib import resources
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from recuperation import messages, money
from recuperation.sorting import pinyin_key
from recuperation.storage.paths import data_dir

LANGUAGES = (("zh_CN", "简体中文"), ("en", "English"))


def settings() -> QSettings:
    """The desk's settings file, in the data folder (so tests and several profiles stay apart)."""
    return QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def stored_database() -> str | None:
    """The database chosen in the settings page (a server URL), used when neither --db nor RECUPERATION_DB says."""
    value = settings().value("database/url", "")
    return str(value) or None


def store_database(url: str | None) -> None:
    """Remember ``url`` for the next start (None: back to the default file).  The file is the user's alone."""
    store = settings()
    if url:
        store.setValue("database/url", url)
    else:
        store.remove("database/url")
    store.sync()
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.chmod(store.fileName(), 0o600)


#: This run's language when the command line chose it (``recuperation --lang en gui``): the interface and
#: the guide follow it, the saved setting is left as it is.
run_language: str | None = None


def current_language() -> str:
    """The interface's language: this run's, else the one saved in the settings."""
    return run_language or saved_language()


def saved_language() -> str:
    """The language chosen on the settings page (the next start's)."""
    value = settings().value("language", "zh_CN")
    return "en" if str(value).startswith("en") else "zh_CN"


def install_translator(app: QCoreApplication, language: str | None = None) -> QTranslator:
    """Load the compiled translation for ``language`` (default: the setting) and tell the core too."""
    language = language or current_language()
    messages.set_language("en" if language == "en" else "zh")
    QLocale.setDefault(
        QLocale(
            QLocale.Language.English if language == "en" else QLocale.Language.Chinese,
            QLocale.Country.UnitedKingdom if language == "en" else QLocale.Country.China,
        )
    )
    translator = QTranslator(app)
    path = resources.files("desk_resources") / "translations" / f"recuperation_{language}.qm"
    with resources.as_file(path) as qm:
        if qm.exists():
            translator.load(str(qm))
    app.installTranslator(translator)
    if language != "en":
        # Qt's own words (Yes/No, Save/Discard, OK/Cancel, the file dialog's Look in / File name) in Chinese
        # too: Qt's translations ship with PySide6 (the frozen build keeps the Chinese and English ones).
        qt = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
            app.installTranslator(qt)
        app.installTranslator(QtGaps(app))  # installed last: asked first
    return translator


class QtGaps(QTranslator):
    """Qt's Chinese translation lacks a few of its own file dialog's words (its catalogue has “Look in:”
    but the dialog asks for “&Look in:”): they are given here, so no English shows in a Chinese dialog."""

    WORDS: ClassVar[dict[tuple[str, str], str]] = {
        ("QFileDialog", "&Look in:"): "查找范围(&L)：",
        ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    }

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        return self.WORDS.get((context, source))  # None: not ours, the next translator answers

    def isEmpty(self) -> bool:
        return False


def is_chinese() -> bool:
    return messages.language() == "zh"


def format_date(day: dt.date | None) -> str:
    """2021年3月31日 in Chinese, 31 Mar 2021 in English; empty for no date."""
    if day is None:
        return ""
    if is_chinese():
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day:%b %Y}"


def format_day(day: dt.date | None) -> str:
    """A day whose year the context says: 12月28日 in Chinese, 28 Dec in English; empty for no date."""
    if day is None:
        return ""
    if is_chinese():
        return f"{day.month}月{day.day}日"
    return f"{day.day} {day:%b}"


def format_money(fen: int | None) -> str:
    """fen as yuan with two decimals and thousands separators (1,260.50), exactly: integers, never a float."""
    if fen is None:
        return ""
    return money.yuan_text(fen)


def sort_text(text: str) -> str:
    """A sort key for names: pinyin, so 陈 < 李 < 王 as a Chinese reader expects."""
    return " ".join(pinyin_key(text))


def opening_year(with_data: Iterable[int], today: dt.date | None = None) -> int | None:
    """The year a page opens on: this year if it has data, else the latest year up to this one that has (a
    batch planned for next year does not make an empty list or 0 人次 the first thing seen), else the first
    of the years to come; None when no year has data."""
    years = sorted(set(with_data))
    this_year = (today or dt.date.today()).year
    if this_year in years:
        return this_year
    past = [y for y in years if y < this_year]
    if past:
        return past[-1]
    return years[0] if years else None


def date_format() -> str:
    """The display format of date edits."""
    return "yyyy年M月d日" if is_chinese() else "d MMM yyyy"
