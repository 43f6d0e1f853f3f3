"""Feedback as a workbook: a batch's responses exported, and a workbook of answers imported — our own export,
or an online survey tool's (问卷星, 腾讯问卷: title rows above the header, merged header cells, one row per
answer, star answers as 1-5, “非常满意” … “非常不满意” or “5星”, free-text comments).

**Reading** (:func:`plan_feedback`): the file through the bounded reader (:func:`recuperation.sheets.
read_sheets`); the header row is the row (within the first 30, on any sheet) whose cells name the most columns
the import knows, read over two rows when a group header is merged over its sub-headers (寿昌宾馆 over 住宿 |
餐饮 | …).  Each column is mapped to one target (:func:`recognise`): 问卷编号 (序号), 填写人, 填写日期 (提交答卷时间),
批次, a comment (意见建议; several free-text columns are joined, each after its heading), or the stars of a
(base or route, dimension) the batch offers — a heading naming a base of the batch and a dimension
(“寿昌宾馆-餐饮”, “1. 您对住宿的满意度”); a dimension alone is the base's the batch sleeps at when it sleeps at
one (a scenic spot it visits does not count), else the route's, and always the route's for 总体 (the trip's
overall satisfaction).  A survey tool's row counter (序号, 编号, 答卷序号) is not the questionnaire's number:
only a heading naming it (问卷编号) is; a title row above the header (in A1, merged across or not) is a title,
never group headings glued to the headings below it.  A guessed star column whose answers are mostly not stars is left
out.  The mapping can be changed (the desk's preview, ``--map COLUMN=TARGET`` on the command line).

**Matching**: a row with a questionnaire number is that response of the batch; a row without one is matched
by its date and respondent (the columns the file has), an identical response first.  A response entered at
the desk (the grid, from paper) is never changed by another file: a row that would change it is a problem
shown in the preview (“问卷 3 已手工录入，文件中的答案不同：…”), which the user resolves or skips; only the
desk's own export of the batch (its 批次编号 line) edits entered responses.  A row without a number is taken
for an entered response only when identical to it.  Only the columns the
file carries are compared and changed: a star column's blank is "not answered" (a star removed), a column the
file lacks keeps what is on file.  Importing the same file twice changes nothing.

**Writing** (:func:`apply_feedback`): nothing when a row has a problem, unless the bad rows are skipped (they
are named); otherwise every response added and changed in one transaction
(:func:`recuperation.services.feedback.write_edits`), refused whole when another desk changed a response since
the preview.  Rows that name another batch in a 批次 column are left out and counted.

The cells are read by :mod:`recuperation.feedback_cells` (headings recognised, stars, dates and numbers parsed);
the export is :mod:`recuperation.feedback_export`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from recuperation import messages
from recuperation.errors import RuleViolation, ValidationError
from recuperation.feedback_cells import (
    ANSWERED_ON,
    BATCH,
    COMMENT,
    FIELDS,
    QUESTION_NUMBER,
    RESPONDENT,
    ROUTE_WORDS,
    SCORE_WORDS,
    SHEET_NO,
    Targets,
    answer_text,
    cell_text,
    column_index,
    column_letter,
    fold,
    heading_text,
    is_star_answer,
    parse_day,
    parse_sheet_no,
    parse_stars,
    read_target,
    recognise,
)
from recuperation.people import MASKED_IN_TEXT, mask_in_text
from recuperation.services import feedback as service
from recuperation.services.sheet_layout import HEADER_SCAN_ROWS, Layout, skipped_row, table_end
from recuperation.sheets import Cell, Sheet, read_sheets
from recuperation.storage.database import Database

# -- the plan ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    row: int  # the row number as the spreadsheet shows it
    column: str  # its letters (F), or "" for the row as a whole
    field: str  # the target (sheet_no, b12:food …)
    message: str

    def to_json(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "field": self.field, "message": self.message}


@dataclass
class ImportRow:
    row: int
    sheet_no: int | None = None
    respondent: str = ""
    answered_on: dt.date | None = None
    comment: str = ""
    stars: dict[str, int | None] = field(default_factory=dict)
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    #: What importing does with it: new, changed (``changes``), unchanged, other_batch, or "" (errors).
    result: str = ""
    changes: list[str] = field(default_factory=list)
    response_id: int | None = None
    version: int | None = None
    data: service.ResponseInput | None = None  # the response as it will be
    batch: str = ""  # the 批次 column's value, when the file has one

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class FeedbackPlan:
    """What importing a file would do, row by row; nothing is written yet."""

    batch_id: int
    batch_code: str
    path: str
    layout: Layout
    headers: list[str]
    sheet_names: list[str]
    targets: Targets
    rows: list[ImportRow]
    samples: list[str] = field(default_factory=list)  # each column's first answer, for the mapping
    unmapped: list[int] = field(default_factory=list)  # columns with a heading that are not imported
    #: The batch's responses (ids) when the file was read: the import is refused when another desk added or
    #: deleted one since (the same file imported at two desks at once would otherwise add its rows twice).
    seen: frozenset[int] = frozenset()
    #: The desk's own export of the batch (its 批次编号 line above the header): it may change responses entered
    #: at the desk; any other file may not (see :func:`_match`).
    from_export: bool = False

    @property
    def columns(self) -> dict[str, int]:
        return self.layout.columns

    @property
    def errors(self) -> list[RowProblem]:
        return [p for r in self.rows for p in r.errors]

    @property
    def warnings(self) -> list[RowProblem]:
        return [p for r in self.rows for p in r.warnings]

    def count(self, result: str) -> int:
        return sum(1 for r in self.rows if r.result == result)

    @property
    def valid(self) -> int:
        return sum(1 for r in self.rows if r.ok and r.result != "other_batch")

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.errors})

    def shown(self, key: str) -> str:
        return self.targets.shown(key)

    def report(self) -> dict[str, object]:
        return {
            "batch": self.batch_code,
            "file": self.path,
            "sheet": self.layout.sheet,
            "header_row": self.layout.header_row + 1,
            "columns": {
                f"{column_letter(c)} {self.headers[c] if c < len(self.headers) else ''}".strip(): self.shown(
                    k
                )
                for k, c in sorted(self.layout.columns.items(), key=lambda i: i[1])
            },
            "not_imported": [f"{column_letter(c)} {self.headers[c]}".strip() for c in self.unmapped],
            "rows": len(self.rows),
            "valid": self.valid,
            "added": self.count("new"),
            "changed": self.count("changed"),
            "unchanged": self.count("unchanged"),
            "other_batch": self.count("other_batch"),
            "errors": [p.to_json() for p in self.errors],
            "warnings": [p.to_json() for p in self.warnings],
        }

    def summary(self) -> str:
        return messages.text(
            "feedback.import_summary",
            code=self.batch_code,
            rows=len(self.rows),
            added=self.count("new"),
            changed=self.count("changed"),
            unchanged=self.count("unchanged"),
            errors=len(self.bad_rows),
        )


def _cell(row: Sequence[Cell], column: int | None) -> Cell:
    if column is None or column >= len(row):
        return None
    return row[column]


def _readings(sheet: Sheet, index: int) -> list[tuple[int, list[str]]]:
    """The headings of row ``index`` read alone, and read with the row above as a header over two rows (a group
    heading merged over its sub-headings: each sub-heading after the nearest group heading to its left)."""
    rows = sheet.rows
    row = rows[index]
    one = [cell_text(c) for c in row]
    found = [(1, one)]
    if index >= 1 and not _title_row(rows[index - 1]):
        top = rows[index - 1]
        width = max(len(top), len(row))
        pair: list[str] = []
        group = ""
        for column in range(width):
            upper, lower = cell_text(_cell(top, column)), cell_text(_cell(row, column))
            if upper:
                group = upper
            elif not lower:
                group = ""
            if lower and group and group != lower:
                pair.append(f"{group}·{lower}" if not upper or upper == group else f"{upper}·{lower}")
            else:
                pair.append(lower or upper)
        found.append((2, pair))
    return found


def _title_row(row: Sequence[Cell]) -> bool:
    """Whether a row is a title (a survey's name in A1, merged across the table or not): its only filled cell is
    the first.  A title row is never read as group headings over the header below it (it would be glued to
    every heading: “满意度调查·序号”); a group heading (寿昌宾馆 over 住宿 | 餐饮) sits over its own columns."""
    filled = [i for i, c in enumerate(row) if cell_text(c)]
    return filled == [0]


def _where_heading(heading: str, limit: int = 30) -> str:
    """A heading quoted in a problem: whole when short, else its start and its end (the question), never the
    end cut off (“寿昌古镇休闲线路 职工疗休养满意度调查…” hid which question it was)."""
    text = messages.shown(heading, 10_000)
    if len(text) <= limit:
        return text
    tail = limit * 2 // 3
    return f"{text[: limit - tail - 1]}…{text[-tail:]}"


def _guess(headings: list[str], targets: Targets) -> dict[str, int]:
    """target → column for each heading the import recognises (the first column of a target wins; several
    free-text columns: comment, comment.2 …)."""
    columns: dict[str, int] = {}
    comments = 0
    for column, heading in enumerate(headings):
        target = recognise(heading, targets)
        if target is None:
            continue
        if target == COMMENT:
            comments += 1
            target = COMMENT if comments == 1 else f"{COMMENT}.{comments}"
        columns.setdefault(target, column)
    return columns


def _score(columns: Mapping[str, int]) -> tuple[int, int]:
    stars = sum(1 for k in columns if k not in FIELDS and not k.startswith(COMMENT))
    return stars, len(columns)


def _best_layout(sheets: list[Sheet], targets: Targets) -> Layout | None:
    best: tuple[tuple[int, int], Layout] | None = None
    for sheet in sheets:
        for index in range(min(len(sheet.rows), HEADER_SCAN_ROWS)):
            for header_rows, headings in _readings(sheet, index):
                columns = _guess(headings, targets)
                score = _score(columns)
                if score[0] == 0 and COMMENT not in columns:
                    continue
                if best is None or score > best[0]:
                    best = (score, Layout(sheet.name, index, columns, header_rows))
    return best[1] if best else None


def _headings(sheet: Sheet, layout: Layout) -> list[str]:
    readings = dict(_readings(sheet, layout.header_row))
    return readings.get(layout.header_rows, readings[1])


def _stated_batch(sheet: Sheet, layout: Layout) -> str:
    """The batch code a sheet's title rows name (批次编号 | CODE, as our export writes it), or ""."""
    for row in sheet.rows[: max(layout.header_row - layout.header_rows + 1, 0)]:
        cells = [cell_text(c) for c in row]
        for i, cell in enumerate(cells[:-1]):
            if fold(cell) in ("批次编号", "批次") and cells[i + 1]:
                return cells[i + 1].strip()
    return ""


def _rows_of(sheet: Sheet, layout: Layout) -> list[tuple[int, list[Cell]]]:
    found = []
    for index in range(layout.header_row + 1, len(sheet.rows)):
        raw = sheet.rows[index]
        if table_end(raw):
            break
        if skipped_row(raw):
            continue
        found.append((index + 1, raw))
    return found


def _drop_false_stars(
    layout: Layout, rows: list[tuple[int, list[Cell]]], headers: list[str], targets: Targets
) -> Layout:
    """A guessed star column whose answers are mostly not stars (a free-text question that mentions 住宿:
    “住宿方面的问题”) is left out.  A heading that asks for a score (满意, 评分 …) or names a base or the route
    (“寿昌宾馆-餐饮”) is a star column whatever its answers: a bad answer there is named at its cell, never
    passed over in silence.  Blanks and skipped questions ((跳过)) are no answers."""
    columns = dict(layout.columns)
    for key, column in list(columns.items()):
        if key in FIELDS or key.startswith(COMMENT):
            continue
        if column < len(headers) and _named_as_stars(headers[column], targets):
            continue
        answers = [raw[column] for _n, raw in rows if column < len(raw) and not _blank_answer(raw[column])]
        stars = sum(1 for a in answers if is_star_answer(a))
        if answers and stars * 2 < len(answers):
            del columns[key]
    return replace(layout, columns=columns)


def _blank_answer(value: Cell) -> bool:
    try:
        return parse_stars(value) is None
    except ValueError:
        return False


def _named_as_stars(heading: str, targets: Targets) -> bool:
    """Whether a heading asks for a score or names one of the batch's bases or the route."""
    text = heading_text(heading)
    if any(fold(w) in text for w in SCORE_WORDS):
        return True
    names = [fold(s.name) for s in targets.subjects] + [fold(w) for w in ROUTE_WORDS]
    return any(name and name in text for name in names)


def plan_feedback(
    db: Database,
    batch_code: str,
    path: Path,
    layout: Layout | None = None,
    mapping: Mapping[str, str] | None = None,
) -> FeedbackPlan:
    """Read ``path`` and work out what importing it into the batch would do; writes nothing.

    ``layout`` is a layout the user chose (its ``columns`` target → column; empty: recognise that sheet's row
    afresh); ``mapping`` changes single columns (column letters, number or heading → a target as
    :func:`read_target` reads it, "-" for none)."""
    sheets = read_sheets(path)
    return plan_sheets(db, batch_code, sheets, str(path), layout, mapping)


def plan_sheets(
    db: Database,
    batch_code: str,
    sheets: list[Sheet],
    source: str,
    layout: Layout | None = None,
    mapping: Mapping[str, str] | None = None,
) -> FeedbackPlan:
    """:func:`plan_feedback` for sheets already read."""
    batch_id = service.find_batch_id(db, batch_code)
    grid = service.batch_grid(db, batch_id)
    if not grid.open:
        key = "feedback.cancelled" if grid.status == "cancelled" else "feedback.not_begun"
        raise ValidationError(key, field="batch", code=grid.code, arrival=grid.arrival.isoformat())
    targets = Targets(grid.subjects, grid.dimensions, _other_bases(db, grid.subjects))
    chosen = layout is not None and bool(layout.columns)  # the user's own columns: kept as they are
    if layout is None:
        layout = _best_layout(sheets, targets)
        if layout is None:
            raise ValidationError(
                "feedback.no_header", field="file", path=source, code=grid.code, example=_example(targets)
            )
    sheet = next((s for s in sheets if s.name == layout.sheet), None)
    if sheet is None or layout.header_row >= len(sheet.rows):
        raise ValidationError(
            "feedback.no_header", field="file", path=source, code=grid.code, example=_example(targets)
        )
    headers = _headings(sheet, layout)
    guessed = not layout.columns
    if guessed:  # a sheet and header row chosen: its columns recognised afresh, over one row or two
        readings = dict(_readings(sheet, layout.header_row))
        one, two = _guess(readings[1], targets), _guess(readings.get(2, []), targets)
        header_rows = 2 if 2 in readings and _score(two) > _score(one) else 1
        layout = Layout(layout.sheet, layout.header_row, two if header_rows == 2 else one, header_rows)
        headers = _headings(sheet, layout)
    stated = _stated_batch(sheet, layout)
    if stated and same_code(stated) != same_code(grid.code):
        raise ValidationError(
            "feedback.other_batch_file", field="file", path=source, code=grid.code, stated=stated
        )
    rows = _rows_of(sheet, layout)
    if not chosen:
        layout = _drop_false_stars(layout, rows, headers, targets)
    if mapping:
        width = max([len(headers), *(len(r) for _n, r in rows)])
        layout = _remapped(layout, headers, mapping, targets, source, width)
    unknown = [
        k
        for k in layout.columns
        if k not in FIELDS and not k.startswith(COMMENT) and k not in targets.all_keys()
    ]
    if unknown:
        raise ValidationError(
            "feedback.bad_target", field="file", value=unknown[0], choices=_example(targets), code=grid.code
        )
    width = max((len(r) for _n, r in rows), default=0)
    samples = [
        next((cell_text(r[c]) for _n, r in rows if c < len(r) and cell_text(r[c])), "")
        for c in range(max(width, len(headers)))
    ]
    headers = headers + [""] * (len(samples) - len(headers))
    mapped = set(layout.columns.values())
    unmapped = [c for c, h in enumerate(headers) if h and c not in mapped]
    plan = FeedbackPlan(
        grid.batch_id,
        grid.code,
        source,
        layout,
        headers,
        [s.name for s in sheets],
        targets,
        [_read_row(number, raw, layout, headers, targets) for number, raw in rows],
        samples,
        unmapped,
        frozenset(r.id for r in grid.rows),
        bool(stated),
    )
    _check_in_file(plan)
    _match(plan, grid)
    _check_as_saved(plan, grid)
    return plan


def _check_as_saved(plan: FeedbackPlan, grid: service.Grid) -> None:
    """Each row to be added or changed checked as saving it checks it (a day before the arrival or in the future,
    a control character in a comment …), so that the preview and ``--dry-run`` name every problem at its cell
    and skipping the bad rows leaves out exactly the rows the save would refuse."""
    today = dt.date.today()
    for item in plan.rows:
        if item.data is None or not item.ok or item.result not in ("new", "changed"):
            continue
        where = messages.text("feedback.where.file_row", row=item.row)
        found = service.check_response(grid, item.data, where, today)
        for problem in found:
            key = COMMENT if problem.field == COMMENT else problem.field
            if key == COMMENT:
                column = min((c for k, c in plan.columns.items() if k.startswith(COMMENT)), default=None)
            else:
                column = plan.columns.get(key)
            letters = column_letter(column) if column is not None else ""
            item.errors.append(RowProblem(item.row, letters, problem.field, problem.message))
        if found:
            item.result = ""


def _other_bases(db: Database, subjects: Sequence[service.Subject]) -> tuple[str, ...]:
    """The folded names of the bases the batch does not rate."""
    from sqlmodel import select

    from recuperation.models import Base

    mine = {s.base_id for s in subjects if s.base_id is not None}
    with db.session() as session:
        found = session.exec(select(Base.id, Base.name)).all()
    return tuple(sorted({fold(name) for base_id, name in found if base_id not in mine and fold(name)}))


def _example(targets: Targets) -> str:
    first = next(iter(targets.all_keys()), "")
    return messages.join(
        [messages.text(f"feedback.target.{f}") for f in (SHEET_NO, RESPONDENT, COMMENT)]
        + ([targets.shown(first)] if first else [])
    )


def _remapped(
    layout: Layout,
    headers: list[str],
    mapping: Mapping[str, str],
    targets: Targets,
    source: str,
    width: int | None = None,
) -> Layout:
    """``layout`` with the columns of ``mapping`` changed; a column the sheet does not have (beyond its last
    column ``width``) is refused: mapped, its blanks would remove the stars already on file."""
    columns = dict(layout.columns)
    for spec, wanted in mapping.items():
        column = _column_of(spec, headers)
        if column is not None and width is not None and column >= width:
            column = None
        if column is None:
            raise ValidationError(
                "feedback.bad_column",
                field="map",
                value=spec,
                path=source,
                sheet=layout.sheet,
                row=layout.header_row + 1,
            )
        target = read_target(wanted, targets)
        if target is None:
            raise ValidationError(
                "feedback.bad_target", field="map", value=wanted, choices=_example(targets), code=""
            )
        columns = {k: c for k, c in columns.items() if c != column and k != target}
        if target == COMMENT and COMMENT in columns:
            n = 2
            while f"{COMMENT}.{n}" in columns:
                n += 1
            target = f"{COMMENT}.{n}"
        if target:
            columns[target] = column
    return replace(layout, columns=columns)


def _column_of(spec: str, headers: list[str]) -> int | None:
    """A column named on the command line: letters (F), a number from 1 (6), or its heading."""
    text = spec.strip()
    if text.isdigit() and 1 <= int(text) <= max(len(headers), 1) + 200:
        return int(text) - 1
    index = column_index(text)
    if index is not None and not any(fold(h) == fold(text) for h in headers):
        return index
    wanted = fold(text)
    found = [i for i, h in enumerate(headers) if fold(h) == wanted]
    if not found:
        found = [i for i, h in enumerate(headers) if heading_text(h) == heading_text(text)]
    return found[0] if len(found) == 1 else None


def _read_row(
    number: int, raw: list[Cell], layout: Layout, headers: list[str], targets: Targets
) -> ImportRow:
    item = ImportRow(number)
    columns = layout.columns

    def problem(key: str, column: int, message_key: str, **params: object) -> None:
        where = messages.text(
            "feedback.where.cell",
            row=number,
            column=column_letter(column),
            heading=_where_heading(headers[column] if column < len(headers) else ""),
        )
        item.errors.append(
            RowProblem(number, column_letter(column), key, messages.text(message_key, where=where, **params))
        )

    if BATCH in columns:
        item.batch = cell_text(_cell(raw, columns[BATCH]))
    if SHEET_NO in columns:
        value = _cell(raw, columns[SHEET_NO])
        try:
            item.sheet_no = parse_sheet_no(value)
        except ValueError:
            problem(
                SHEET_NO,
                columns[SHEET_NO],
                "feedback.bad_sheet_cell",
                value=cell_text(value),
                most=service.MAX_SHEET_NO,
            )
    if RESPONDENT in columns:
        item.respondent = answer_text(_cell(raw, columns[RESPONDENT]))
        if len(item.respondent) > service.RESPONDENT_MAX:
            problem(RESPONDENT, columns[RESPONDENT], "feedback.too_long_cell", max=service.RESPONDENT_MAX)
    if ANSWERED_ON in columns:
        value = _cell(raw, columns[ANSWERED_ON])
        try:
            item.answered_on = parse_day(value)
        except ValueError:
            problem(ANSWERED_ON, columns[ANSWERED_ON], "feedback.bad_date_cell", value=cell_text(value))
    comments = sorted((c, k) for k, c in columns.items() if k == COMMENT or k.startswith(COMMENT + "."))
    if len(comments) == 1:
        item.comment = answer_text(_cell(raw, comments[0][0]))
    elif comments:
        parts = []
        for column, _key in comments:
            text = answer_text(_cell(raw, column))
            if text:
                heading = QUESTION_NUMBER.sub("", headers[column]) if column < len(headers) else ""
                heading = heading or column_letter(column)
                parts.append(f"{heading}：{text}")
        item.comment = "\n".join(parts)
    if len(item.comment) > service.COMMENT_MAX:
        problem(COMMENT, comments[0][0], "feedback.too_long_cell", max=service.COMMENT_MAX)
    for key, column in sorted(columns.items(), key=lambda i: i[1]):
        if key in FIELDS or key.startswith(COMMENT):
            continue
        value = _cell(raw, column)
        try:
            item.stars[key] = parse_stars(value)
        except ValueError:
            problem(key, column, "feedback.bad_star_cell", target=targets.shown(key), value=cell_text(value))
    return item


def same_code(code: str) -> str:
    """A batch code as compared: half-width, upper case, no spaces (ｌ2021-0005 typed by a respondent is
    L2021-0005, not another batch's)."""
    return "".join(unicodedata.normalize("NFKC", code).split()).upper()


def _check_in_file(plan: FeedbackPlan) -> None:
    """Rows of other batches are left out; a questionnaire number twice in the file is an error on both."""
    seen: dict[int, ImportRow] = {}
    for item in plan.rows:
        if item.batch and same_code(item.batch) != same_code(plan.batch_code):
            item.result = "other_batch"
            item.errors = []
            continue
        if item.sheet_no is None:
            continue
        first = seen.get(item.sheet_no)
        if first is None:
            seen[item.sheet_no] = item
            continue
        column = column_letter(plan.columns[SHEET_NO])
        for one, other in ((first, item), (item, first)):
            one.errors.append(
                RowProblem(
                    one.row,
                    column,
                    SHEET_NO,
                    messages.text(
                        "feedback.sheet_twice_in_file", row=one.row, sheet=item.sheet_no, other=other.row
                    ),
                )
            )


def _carried(plan: FeedbackPlan) -> tuple[set[str], list[str]]:
    fields = {k for k in (SHEET_NO, RESPONDENT, ANSWERED_ON) if k in plan.columns}
    if any(k == COMMENT or k.startswith(COMMENT + ".") for k in plan.columns):
        fields.add(COMMENT)
    stars = [k for k in plan.columns if k not in FIELDS and not k.startswith(COMMENT)]
    return fields, stars


def _merged(
    item: ImportRow, stored: service.ResponseRow | None, fields: set[str], stars: list[str]
) -> service.ResponseInput:
    """The response as it will be: the file's columns over what is on file (a column the file lacks is kept)."""
    base = stored.as_input() if stored is not None else service.ResponseInput()
    comment = item.comment if COMMENT in fields else base.comment
    if stored is not None and COMMENT in fields and _stands_for(comment, stored.comment):
        comment = stored.comment  # a masked export's comment stands for the stored one
    respondent = item.respondent if RESPONDENT in fields else base.respondent
    if stored is not None and RESPONDENT in fields and _stands_for(respondent, stored.respondent):
        respondent = stored.respondent  # and so does its respondent (a phone typed as the name)
    given = dict(base.stars)
    for key in stars:
        value = item.stars.get(key)
        if value is None:
            given.pop(key, None)
        else:
            given[key] = value
    return service.ResponseInput(
        item.sheet_no if SHEET_NO in fields else base.sheet_no,
        base.participant_id,
        respondent,
        item.answered_on if ANSWERED_ON in fields else base.answered_on,
        comment,
        given,
    )


def _stands_for(written: str, stored: str) -> bool:
    """Whether a text read from a masked export (139****0000) stands for the stored text it was masked from."""
    return written != stored and bool(MASKED_IN_TEXT.search(written)) and mask_in_text(stored) == written


def _differences(data: service.ResponseInput, stored: service.ResponseRow) -> list[str]:
    changes = [
        k for k in (SHEET_NO, RESPONDENT, ANSWERED_ON, COMMENT) if getattr(data, k) != getattr(stored, k)
    ]
    keys = sorted(set(data.stars) | set(stored.stars))
    return changes + [k for k in keys if data.stars.get(k) != stored.stars.get(k)]


def _match(plan: FeedbackPlan, grid: service.Grid) -> None:
    """Each readable row: the response it stands for and what importing changes (see the module's docstring).

    A response entered at the desk (the grid, from a paper sheet) is never replaced by another source: a row of
    a file that is not the desk's own export of the batch and that would change an entered response is a
    problem of that row (“问卷 3 已手工录入，文件中的答案不同：…”), never a silent “修改”; and a row without a
    questionnaire number is taken for an entered response only when it is identical to it."""
    fields, stars = _carried(plan)
    by_sheet = {r.sheet_no: r for r in grid.rows if r.sheet_no is not None}
    claimed: set[int] = set()
    waiting: list[ImportRow] = []

    def take(item: ImportRow, stored: service.ResponseRow | None) -> None:
        data = _merged(item, stored, fields, stars)
        item.data = data
        if stored is None:
            item.result = "new"
            return
        claimed.add(stored.id)
        item.response_id, item.version = stored.id, stored.version
        item.changes = _differences(data, stored)
        item.result = "changed" if item.changes else "unchanged"
        if item.changes and stored.source == service.ENTERED and not plan.from_export:
            _entered_conflict(plan, item, stored)

    for item in plan.rows:
        if not item.ok or item.result == "other_batch":
            continue
        if item.sheet_no is not None:
            take(item, by_sheet.get(item.sheet_no))
        else:
            waiting.append(item)
    pool = [r for r in grid.rows if r.id not in claimed and (SHEET_NO not in fields or r.sheet_no is None)]

    def key(answered_on: dt.date | None, respondent: str) -> tuple[object, ...]:
        return (
            answered_on if ANSWERED_ON in fields else None,
            mask_in_text(respondent) if RESPONDENT in fields else None,  # as the export writes it
        )

    left: list[ImportRow] = []
    for item in waiting:  # an identical response first: the same file again changes nothing
        same = next(
            (
                r
                for r in pool
                if r.id not in claimed
                and key(r.answered_on, r.respondent) == key(item.answered_on, item.respondent)
                and not _differences(_merged(item, r, fields, stars), r)
            ),
            None,
        )
        if same is not None:
            take(item, same)
        else:
            left.append(item)
    counts = Counter(key(i.answered_on, i.respondent) for i in left)
    for item in left:  # else the one response of that day and respondent, when the file has one row for it
        wanted = key(item.answered_on, item.respondent)
        candidates = [
            r
            for r in pool
            if r.id not in claimed
            and key(r.answered_on, r.respondent) == wanted
            and (r.source != service.ENTERED or plan.from_export)
        ]
        if len(candidates) == 1 and counts[wanted] == 1 and any(v is not None for v in wanted):
            take(item, candidates[0])
        else:
            take(item, None)


def _entered_conflict(plan: FeedbackPlan, item: ImportRow, stored: service.ResponseRow) -> None:
    """The row would change a response entered at the desk: a problem naming it and what differs."""
    if stored.sheet_no is not None:
        which = messages.text("feedback.conflict.sheet", sheet=stored.sheet_no)
    else:
        which = messages.text(
            "feedback.conflict.unnumbered",
            day=stored.answered_on.isoformat() if stored.answered_on else "—",
            respondent=mask_in_text(stored.respondent) or "—",
        )
    names = [messages.text(f"feedback.target.{k}") if k in FIELDS else plan.shown(k) for k in item.changes]
    column = plan.columns.get(SHEET_NO)
    item.errors.append(
        RowProblem(
            item.row,
            column_letter(column) if column is not None else "",
            SHEET_NO,
            messages.text(
                "feedback.entered_conflict",
                where=messages.text("feedback.where.file_row", row=item.row),
                response=which,
                changes=messages.join(names),
            ),
        )
    )
    item.result = ""


@dataclass(frozen=True)
class ImportResult:
    added: int
    changed: int
    unchanged: int
    skipped: tuple[int, ...]  # the rows left out because they had problems


def apply_feedback(db: Database, plan: FeedbackPlan, *, skip_invalid: bool = False) -> ImportResult:
    """Write the plan in one transaction (responses added and changed); refused — nothing written — when rows
    have problems, unless ``skip_invalid`` (the rows skipped are named in the result), or when a response
    changed, or was added or deleted, at another desk since the preview (checked with the batch locked)."""
    if plan.errors and not skip_invalid:
        raise RuleViolation(
            "feedback.import_refused",
            field="file",
            errors=len(plan.bad_rows),
            rows=_rows_text(plan.bad_rows),
            path=plan.path,
            sheet=plan.layout.sheet,
        )
    todo = [r for r in plan.rows if r.ok and r.result in ("new", "changed") and r.data is not None]
    edits = [service.GridEdit(r.response_id, r.version, r.data) for r in todo if r.data is not None]
    where = [messages.text("feedback.where.file_row", row=r.row) for r in todo]
    if edits:
        with db.session(write=True) as session:
            service.write_edits(
                session,
                db.user,
                plan.batch_id,
                edits,
                source=service.IMPORTED,
                where=where,
                expected_ids=plan.seen,
            )
    return ImportResult(
        plan.count("new") if todo else 0,
        sum(1 for r in todo if r.result == "changed"),
        plan.count("unchanged"),
        tuple(plan.bad_rows) if skip_invalid else (),
    )


def headings_key(plan: FeedbackPlan) -> str:
    """A file's headings as a key (its sheet, header row and headings): the desk remembers, per batch and key,
    the mapping a file was imported with, so that the same file imported again — or the next export of the
    same survey — is read with it and matches the responses it added (re-reading it with another mapping would
    add its rows again)."""
    import hashlib

    text = "\x1f".join([plan.layout.sheet, str(plan.layout.header_row), *plan.headers]).rstrip("\x1f")
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def layout_to_json(layout: Layout) -> dict[str, object]:
    return {
        "sheet": layout.sheet,
        "header_row": layout.header_row,
        "header_rows": layout.header_rows,
        "columns": dict(layout.columns),
    }


def layout_from_json(data: object) -> Layout | None:
    """A remembered layout, or None when it is not one (an old or damaged setting)."""
    if not isinstance(data, dict):
        return None
    try:
        columns = {str(k): int(v) for k, v in dict(data["columns"]).items()}
        return Layout(str(data["sheet"]), int(data["header_row"]), columns, int(data.get("header_rows", 1)))
    except (KeyError, TypeError, ValueError):
        return None


def plan_remembered(
    db: Database, batch_code: str, path: Path, remembered: Mapping[str, object]
) -> FeedbackPlan:
    """:func:`plan_feedback` read with the mapping remembered for this file's headings (``remembered``: key →
    :func:`layout_to_json`), when there is one and it still fits the file; else recognised afresh."""
    sheets = read_sheets(path)
    plan = plan_sheets(db, batch_code, sheets, str(path))
    layout = layout_from_json(remembered.get(headings_key(plan)))
    if layout is None or layout == plan.layout:
        return plan
    if (layout.sheet, layout.header_row) != (plan.layout.sheet, plan.layout.header_row):
        return plan
    try:
        return plan_sheets(db, batch_code, sheets, str(path), layout)
    except ValidationError:
        return plan  # the batch's bases changed since: the remembered columns no longer exist


def _rows_text(rows: Sequence[int], most: int = 10) -> str:
    shown = ", ".join(str(r) for r in rows[:most])
    return shown + (" …" if len(rows) > most else "")
