"""Wording that a translation can change: whole sentences through tr() or the core's catalogue, counts that agree
with their nouns in English, a character the font lacks named by its code point, and a README that names the
buttons as the program labels them."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from recuperation import messages
from recuperation.documents.batch_docs import DocumentResult, Unprintable

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
#: Chinese punctuation that, glued to a placeholder outside tr(), stays Chinese in the English interface.
PUNCTUATION = set("（）：，、“”；")
#: Chinese literals that are not interface text: language names, date formats, default file names.
NOT_INTERFACE = {
    ("ui/i18n.py", "简体中文"),
    ("ui/i18n.py", "查找范围(&L)："),  # QtGaps: the Chinese of Qt's own words, shown only in Chinese
    ("ui/i18n.py", "文件类型(&T)："),
    ("ui/i18n.py", "yyyy年M月d日"),
    ("ui/i18n.py", "年"),
    ("ui/i18n.py", "月"),
    ("ui/i18n.py", "日"),
    ("ui/batch/page.py", "名单"),
    ("ui/batch/page.py", "年批次.xlsx"),
    ("ui/pages/statistics.py", "统计-"),
    ("ui/pages/spending.py", "天"),  # a unit typed after a number of days (5天) is read, never shown
}
TRANSLATING = {"tr", "translate", "QT_TR_NOOP", "QT_TRANSLATE_NOOP"}


@pytest.fixture
def english() -> Iterator[None]:
    before = messages.language()
    messages.set_language("en")
    yield
    messages.set_language(before)


def _ui_trees() -> Iterator[tuple[str, ast.AST]]:
    for path in sorted((ROOT / "ui").rglob("*.py")):
        yield str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _called(node: ast.AST) -> str:
    func = node.func if isinstance(node, ast.Call) else None
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def test_every_chinese_text_in_the_interface_goes_through_tr() -> None:
    """An untranslated literal (the planner's 超 was one) shows Chinese in the English interface."""
    found = []
    for name, tree in _ui_trees():
        parents = _parents(tree)
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)
            ):
                continue
            if isinstance(parents.get(node), ast.Expr) or (name, node.value) in NOT_INTERFACE:
                continue  # a docstring
            up = parents.get(node)
            while up is not None and not isinstance(up, ast.Call):
                up = parents.get(up)
            if up is None or _called(up) not in TRANSLATING:
                found.append(f"{name}:{node.lineno} {node.value!r}")
    assert not found


def test_no_chinese_punctuation_is_glued_around_text_outside_tr() -> None:
    """f"{name}（{n}）", "、".join(...) or tr("数据库：") + name: the translation cannot change those marks."""
    found = []
    for name, tree in _ui_trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
                if PUNCTUATION & set(str(text)):
                    found.append(f"{name}:{node.lineno} f-string {text!r}")
            elif _called(node) == "join" and isinstance(node.func.value, ast.Constant):  # type: ignore[attr-defined]
                if PUNCTUATION & set(str(node.func.value.value)):  # type: ignore[attr-defined]
                    found.append(f"{name}:{node.lineno} join")
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                for side in (node.left, node.right):
                    if isinstance(side, ast.Constant) and PUNCTUATION & set(str(side.value)):
                        found.append(f"{name}:{node.lineno} concatenation {side.value!r}")
                    if isinstance(side, ast.Call) and _called(side) in TRANSLATING:
                        text = next(
                            (
                                a.value
                                for a in side.args
                                if isinstance(a, ast.Constant) and CJK.search(str(a.value))
                            ),
                            "",
                        )
                        if str(text).endswith("："):  # tr("数据库：") + name: a label glued to its value
                            found.append(f"{name}:{node.lineno} {text!r} + text")
    assert not found


def test_counts_agree_with_their_nouns_in_english(english: None) -> None:
    dry_run = dict(code="L2021-0001", valid=1, errors=0)
    assert messages.text("import.dry_run", rows=1, warnings=1, **dry_run) == (
        "Batch L2021-0001: 1 row read, 1 valid, 0 errors, 1 warning (dry run, nothing written)."
    )
    assert "2 rows read" in messages.text("import.dry_run", rows=2, warnings=2, **dry_run)
    assert "2 warnings" in messages.text("import.dry_run", rows=2, warnings=2, **dry_run)
    assert messages.text("check.problems", n=1) == "1 problem found."
    assert messages.text("import.refused", errors=1).startswith("1 row has errors;")
    assert messages.text("import.refused", errors=3).startswith("3 rows have errors;")
    assert messages.text("export.done", rows=1, path="a.xlsx") == "1 person exported to a.xlsx."
    assert messages.text("depends.batch", count=1) == "1 batch"
    # The Chinese needs no plural and keeps its own wording.
    messages.set_language("zh")
    assert messages.text("check.problems", n=1) == "发现 1 个问题。"


def test_no_english_message_puts_a_plain_count_before_a_plural_noun() -> None:
    """“{warnings} warnings” reads “1 warnings”: a count's noun is written {warnings:warning|warnings}.  Limits
    (never 1) may stay plain."""
    nouns = (
        r"rows?|errors?|warnings?|batch(?:es)?|people|records?|problems?|participants?|partners?|days?|years?|"
        r"beds?|tables?|places?|agreements?"
    )
    plain = re.compile(r"\{(?!limit\b|max\b|min\b)(\w+)\} (?:" + nouns + r")\b")
    found = [
        f"{key}: {m.group(0)}" for key, (_zh, en) in messages.CATALOGUE.items() for m in plain.finditer(en)
    ]
    assert not found


def test_a_missing_character_is_named_by_its_code_point_and_its_place(english: None) -> None:
    """王□（□） told nobody which character: the note names U+4DB6, the person's number and the field."""
    result = DocumentResult(Path("m.pdf"), font=None)  # type: ignore[arg-type]
    result.missing = [Unprintable(3, "name", "王䶶", "䶶"), Unprintable(7, "employer", "𠮷野家", "𠮷")]
    note = result.missing_note()
    assert "U+4DB6 in the name “王䶶” of person 3" in note
    assert "U+20BB7 in the employer “𠮷野家” of person 7" in note
    assert "（" not in note and "、" not in note  # English punctuation in the English note
    messages.set_language("zh")
    assert "第 3 人的姓名“王䶶”中的 U+4DB6；第 7 人的单位“𠮷野家”中的 U+20BB7" in result.missing_note()
    many = DocumentResult(
        Path("m.pdf"), font=None, missing=[Unprintable(i, "name", "䶶", "䶶") for i in range(30)]
    )  # type: ignore[arg-type]
    assert many.missing_note().endswith("共 30 处")


def _readme_names() -> list[str]:
    guide = (ROOT / "README.md").read_text(encoding="utf-8")
    return [q for q in re.findall(r"“([^”]+)”", guide) if "→" in q or q.endswith("…")]


def _interface_strings() -> set[str]:
    strings = set()
    for _name, tree in _ui_trees():
        strings |= {
            n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
        }
    return strings


def catalogue_names() -> list[str]:
    from recuperation.labels import CATALOGUE

    return list(CATALOGUE)  # status buttons read as their statuses (已确认 …)


def test_the_readme_names_buttons_and_menus_as_the_program_labels_them() -> None:
    """The README said 导出工作簿 and 打印年度统计 for 导出全部表格… and 年度统计报告（PDF）…."""
    names = _readme_names()
    assert "导出全部表格…" in names and "年度统计报告（PDF）…" in names
    from recuperation.labels import labels as catalogue

    labels = _interface_strings() | {"文件", "设置"}  # the File menu is 文件(&F); the page is 设置
    labels |= {word for table in catalogue_names() for word in catalogue(table, "zh").values()}
    missing = [part for name in names for part in (p.strip() for p in name.split("→")) if part not in labels]
    assert not missing


def test_a_day_plan_reads_each_activity_from_its_start(qtbot) -> None:
    """The activity column takes the room left; a long entry is cut at its end with “…”, whole in its tooltip
    (a line edit scrolled to its cursor showed only the last words)."""
    from types import SimpleNamespace

    from ui.pages.routes import ACTIVITY, BASE, PLACE, PlanEditor

    editor = PlanEditor()
    qtbot.addWidget(editor)
    editor.resize(640, 300)
    activity = "抵达梅城，参观浙大西迁历史陈列馆，聆听西迁故事，并在古城墙下合影留念后前往下一站"
    place = "梅城浙大西迁历史陈列馆"
    item = SimpleNamespace(
        day_no=1, time_of_day="上午", activity=activity, place=place, kind="activity", base_id=None
    )
    editor.add_item(item)
    editor.show()
    qtbot.waitExposed(editor)
    widths = [editor.table.columnWidth(c) for c in range(editor.table.columnCount())]
    assert widths[ACTIVITY] == max(widths)
    for column, text in ((ACTIVITY, activity), (PLACE, place)):
        edit = editor.table.cellWidget(0, column)
        shown = edit.elided()
        assert shown.endswith("…") and text.startswith(shown[:-1])  # its start, cut at the end
        assert edit.toolTip() == text and edit.cursorPosition() == 0
    editor.resize(470, 300)  # the batch page's side panel
    qtbot.waitUntil(lambda: editor.table.viewport().width() < 470)
    texts = [editor.table.columnWidth(c) for c in (ACTIVITY, PLACE, BASE)]
    assert texts[0] == max(texts) and texts[0] > 90  # never the narrowest column
    edit = editor.table.cellWidget(0, ACTIVITY)
    edit.setText("午餐")
    assert edit.elided() == "午餐" and edit.toolTip() == "午餐"
