"""One label catalogue: every enumeration's labels are defined once, in Chinese and English, and English
messages carry no Chinese but the data they quote."""

from __future__ import annotations

import ast
import re
from enum import Enum
from pathlib import Path

import pytest

from recuperation import labels, messages, models
from recuperation.services import register_cells

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3400-\u9fff（），。：；、“”]")

ENUMERATIONS = {
    "partner_kind": models.PartnerKind,
    "base_kind": models.BaseKind,
    "cert_level": models.CertLevel,
    "cert_status": models.CertStatus,
    "cert_step": models.CertStep,
    "theme": models.Theme,
    "item_kind": models.ItemKind,
    "batch_kind": models.BatchKind,
    "batch_status": models.BatchStatus,
    "sex": models.Sex,
    "dimension": models.Dimension,
    "incident_kind": models.IncidentKind,
    "severity": models.Severity,
    "element": models.Element,
    "strength": models.Strength,
    "inspection_kind": models.InspectionKind,
    "clause_result": models.ClauseResult,
}


@pytest.mark.parametrize("name", sorted(ENUMERATIONS))
def test_every_code_of_every_enumeration_has_both_labels(name: str) -> None:
    enum: type[Enum] = ENUMERATIONS[name]
    assert set(labels.labels(name)) == {m.value for m in enum}
    for code in labels.labels(name):
        zh, en = labels.label(name, code, "zh"), labels.label(name, code, "en")
        assert CJK.search(zh) and not CJK.search(en), (name, code, zh, en)


def test_an_unknown_code_reads_as_itself() -> None:
    assert labels.label("batch_status", "archived_by_a_newer_program") == "archived_by_a_newer_program"
    assert labels.label("batch_status", None) == ""


def test_the_word_a_workbook_writes_reads_back_as_the_same_code() -> None:
    for table, words in register_cells.LABELS.items():
        for code in {str(getattr(v, "value", v)) for v in words.values()}:
            word = register_cells.label_of(table, code)
            assert str(getattr(words[word], "value", words[word])) == code


#: English messages that quote the Chinese words of the files themselves (a header to add, a value to type).
QUOTES_FILE_WORDS = {
    "field.allowed.number",  # the full-width brackets allowed in a number
    "register.bad_range",  # 2021-03-31至2021-04-02, as the cell is written
    "register.lodging_replan",  # the column 住宿基地
    "import.no_header",  # the columns 姓名 and 身份证号
    "import.bad_flag",  # 是 / 否
    "policy.category_share",  # 一线职工:90, a category as the office writes it
}
CHINESE = re.compile(r"[\u3400-\u9fff（），。：；、]")  # curly quotes are English typography too


def test_english_messages_carry_no_chinese() -> None:
    offenders = [
        key
        for key, (_zh, en) in messages.CATALOGUE.items()
        if CHINESE.search(en) and key not in QUOTES_FILE_WORDS
    ]
    assert offenders == []


CODES = {code for table in labels.CATALOGUE.values() for code in table}


def _code_to_chinese_dicts(path: Path) -> list[int]:
    """Lines of dict literals whose keys are all lower-case codes and whose values are Chinese words."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Dict) or len(node.keys) < 2:
            continue
        keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
        values = [v.value for v in node.values if isinstance(v, ast.Constant)]
        if (
            len(keys) == len(node.keys)
            and len(values) == len(node.values)
            and sum(k in CODES for k in keys) >= 2
            and all(isinstance(v, str) and CJK.search(v) for v in values)
        ):
            found.append(node.lineno)
    return found


def test_no_code_to_label_dictionary_outside_the_catalogue() -> None:
    allowed = {ROOT / "recuperation" / "labels.py", ROOT / "recuperation" / "messages.py"}
    offenders = []
    for folder in ("recuperation", "ui"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path in allowed or "migrations" in path.parts or path.name.startswith("demo"):
                continue
            offenders += [f"{path.relative_to(ROOT)}:{line}" for line in _code_to_chinese_dicts(path)]
    assert offenders == []


def _raised_keys() -> set[str]:
    """Every message key a core module raises a DomainError (or one of its kinds) with."""
    errors = {"DomainError", "ValidationError", "RuleViolation", "NotFoundError", "StaleEditError"}
    errors |= {"DatabaseOpenError", "UsageError", "CellError"}
    keys = set()
    for path in (ROOT / "recuperation").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) in errors
            ):
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str) and "." in first.value:
                    keys.add(first.value)
    return keys


def test_every_refusal_the_core_raises_reads_in_english_without_chinese() -> None:
    """Each key raised exists in the catalogue and, filled with Latin values, reads without a Chinese word."""
    keys = _raised_keys()
    assert len(keys) > 50, "the walk should find the core's refusals"
    assert sorted(k for k in keys if k not in messages.CATALOGUE) == []
    field = re.compile(r"\{(\w+)(?::([^}]*))?\}")
    before = messages.language()
    messages.set_language("en")
    try:
        for key in sorted(keys):
            params = {name: (2 if spec else "X") for name, spec in field.findall(messages.CATALOGUE[key][1])}
            text = messages.text(key, **params)
            assert key in QUOTES_FILE_WORDS or not CHINESE.search(text), (key, text)
    finally:
        messages.set_language(before)
