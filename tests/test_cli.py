"""The command-line contract: outputs, exit codes and one-line messages for bad input."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from recuperation.cli import main
from recuperation.people import mask_id
from recuperation.services.batch import batches
from recuperation.storage.database import open_database
from tests.factories import certified_base, partner

D = dt.date


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_then_stats_json_gives_the_years_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "demo.db")
    code, _out, err = run(capsys, "--db", path, "demo")
    assert code == 0 and "1218 个批次" in err and "虚构" in err
    code, out, _err = run(capsys, "--db", path, "stats", "--year", "2021", "--until", "2021-11-30", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["batches"], data["people"], data["training_classes"], data["conferences"]) == (
        1065,
        38665,
        65,
        3,
    )
    assert data["agreements_signed"] == 8
    assert data["bases_certified"] == {"provincial": 1, "hangzhou": 26, "county": 0}
    assert [m["month"] for m in data["by_month"]] == list(range(1, 13))
    assert sum(p["people"] for p in data["by_partner"]) == 38665
    assert set(data["by_partner"][0]) == {"partner", "batches", "people"}
    assert data["person_days"] > data["people"]


def test_stats_as_text(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(demo_path), "stats", "--year", "2021", "--until", "2021-11-30")
    assert code == 0 and "疗休养批次: 1,065" in out and "人次: 38,665" in out


def test_check_passes_on_the_demo(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", str(demo_path), "check")
    assert (code, out) == (0, "") and "检查通过" in err


def test_check_names_an_overbooked_night(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "over.db"
    db = open_database(path)
    p = partner(db)
    base = certified_base(db, "寿昌宾馆", beds=80)
    for people in (60, 26):  # planned batches may overbook; check must report it
        batches.create_batch(
            db,
            batches.BatchInput(
                p.id,
                D(2021, 5, 12),
                D(2021, 5, 13),
                people,
                lodging=(batches.LodgingInput(base.id, D(2021, 5, 12), people),),
            ),
        )
    db.close()
    code, out, err = run(capsys, "--db", str(path), "check")
    assert code == 1
    assert "寿昌宾馆 2021-05-12 床位超出 6 张（已订 86 / 共 80）" in out
    assert "发现 1 个问题" in err


@pytest.mark.sqlite_only
def test_backup_and_restore(demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copy.db"
    code, _, err = run(capsys, "--db", str(demo_path), "backup", "-o", str(copy))
    assert code == 0 and copy.exists() and "已备份到" in err
    code, _, err = run(capsys, "--db", str(demo_path), "restore", str(copy))
    assert code == 0 and "1218 个批次" in err and "另存为" in err


def test_batch_list_json(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--db", str(demo_path), "batch", "list", "--year", "2021", "--partner", "宁波大学", "--json"
    )
    rows = json.loads(out)
    assert code == 0 and rows and {r["partner"] for r in rows} == {"宁波大学"}
    assert {"code", "kind", "partner", "route", "arrival", "departure", "status", "headcount"} <= set(rows[0])


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["stats", "--year", "2021"], 1, "不存在"),  # the database file is missing
        (["stats", "--year", "2021", "--until", "2021-02-30"], 2, "日期“2021-02-30”无效"),
        (["stats", "--year", "20x1"], 2, "年份“20x1”无效"),
        (["stats"], 2, "用法错误"),
        (["restore", "/nonexistent/backup.db"], 1, "不存在"),
        (["demo", "--years", "0"], 2, "不是正整数"),
        (["launch"], 2, "用法错误"),
    ],
)
def test_bad_input_gives_one_line_and_an_exit_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, words: str
) -> None:
    status, _out, err = run(capsys, "--db", str(tmp_path / "missing.db"), *args)
    assert status == code
    assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unknown_year_and_until_outside_year(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "--db", str(demo_path), "stats", "--year", "2035")
    assert status == 1 and "没有 2035 年" in err and "2019–2021" in err
    status, _, err = run(capsys, "--db", str(demo_path), "stats", "--year", "2021", "--until", "2022-01-01")
    assert status == 2 and "不在 2021 年内" in err


def test_english_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "--lang", "en", "--db", str(tmp_path / "none.db"), "check")
    assert status == 1 and "does not exist" in err


@pytest.mark.parametrize("content", [b"hello, not a database", b"PK\x03\x04" + b"\x00" * 200])
def test_the_installed_command_never_shows_a_traceback(tmp_path: Path, content: bytes) -> None:
    fake = tmp_path / "fake.db"
    fake.write_bytes(content)
    for args in (["check"], ["stats", "--year", "2021"], ["backup", "-o", str(tmp_path / "b.db")]):
        result = subprocess.run(
            [sys.executable, "-m", "recuperation.cli", "--db", str(fake), *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 1, result.stderr
        assert "不是 SQLite 数据库" in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert fake.read_bytes() == content


def test_gui_without_a_display_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    if not sys.platform.startswith("linux"):
        pytest.skip("the display check is for Linux desktops")
    status, _, err = run(capsys, "--db", str(tmp_path / "x.db"))
    assert status == 1 and "没有可用的显示器" in err and "xvfb-run" in err


def test_check_names_overlapping_people_and_bad_ids(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import text

    with open_database(demo_path) as db, db.engine.begin() as conn:
        batch_a, batch_b, person = conn.execute(
            text(
                "SELECT a.id, b.id, p.id_number FROM batch a JOIN batch b ON b.id != a.id AND b.arrival = a.arrival"
                " JOIN participant p ON p.batch_id = a.id WHERE a.status != 'cancelled'"
                " AND b.status != 'cancelled' ORDER BY a.id, b.id, p.id LIMIT 1"
            )
        ).one()
        conn.execute(
            text(
                "UPDATE participant SET id_number = :person WHERE id = (SELECT min(id) FROM participant"
                " WHERE batch_id = :batch)"
            ),
            {"person": person, "batch": batch_b},
        )
        conn.execute(
            text(
                "UPDATE participant SET id_number = '330182198001010011' WHERE id = (SELECT min(id)"
                " FROM participant WHERE batch_id NOT IN (:a, :b))"
            ),
            {"a": batch_a, "b": batch_b},
        )
    code, out, _err = run(capsys, "--db", str(demo_path), "check")
    assert code == 1
    # ID numbers are quoted masked (issue 16): the batch and the name find the person.
    assert "日期重叠" in out and mask_id(person) in out and person not in out
    assert "330182********0011" in out and "330182198001010011" not in out and "校验位错误" in out


def test_one_rotating_log_however_often_it_is_set_up(tmp_path) -> None:
    import logging

    from recuperation.logs import PrivateRotatingFileHandler, setup_logging

    first = setup_logging(tmp_path)
    assert setup_logging(tmp_path) == first  # the command line, then the desktop, in one process
    files = [h for h in logging.getLogger("recuperation").handlers if isinstance(h, logging.FileHandler)]
    assert len(files) == 1 and isinstance(files[0], PrivateRotatingFileHandler)
    assert files[0].maxBytes > 0 and files[0].backupCount > 0


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["gui", "--size", "²x768"], "The window size “²x768” is invalid"),
        (["demo", "--years", "²"], "“²” is not a positive whole number"),
        (["demo", "--years", "9" * 5000], "is not a positive whole number"),
        (["stats", "--year", "²０２１"], "The year “²０２１” is invalid"),
        (["stats", "--year", "2021", "--until", "2021-02-30"], "The date “2021-02-30” is invalid"),
    ],
)
@pytest.mark.parametrize("lang", [["--lang=en"], ["--lang", "en"]], ids=["equals", "separate"])
def test_a_value_an_option_cannot_read_is_named_in_the_language_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str, lang: list[str]
) -> None:
    """Never argparse's "invalid _size value" (the name of a function), and --lang=en as --lang en."""
    status, _out, err = run(capsys, *lang, "--db", str(tmp_path / "x.db"), *args)
    assert status == 2 and words in err and len(err.strip().splitlines()) == 1
    assert "invalid _" not in err and "用法" not in err


def test_lang_with_an_equals_sign_is_honoured(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "--lang=en", "--db", str(tmp_path / "none.db"), "check")
    assert status == 1 and "does not exist" in err and "不存在" not in err
    status, _, err = run(capsys, "--lang=en", "--db", str(tmp_path / "none.db"), "launch")
    assert status == 2 and err.startswith("recuperation: Usage error:")


def test_exporting_a_partner_not_on_file_says_so_in_english(
    db, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "x.xlsx")
    status, _, err = run(
        capsys, "--lang=en", "--db", db.url, "export", "partner", "不存在", "--year", "2021", "-o", out
    )
    assert status == 1 and err.strip() == "recuperation: Partner “不存在” was not found."
    status, _, err = run(capsys, "--db", db.url, "export", "partner", "不存在", "--year", "2021", "-o", out)
    assert status == 1 and err.strip() == "recuperation: 找不到合作单位“不存在”。"


def test_help_and_version_need_no_core(capsys: pytest.CaptureFixture[str]) -> None:
    """``--version`` prints the installed version on stdout; ``--help`` is answered before the database layer
    is imported (a fresh process: what a coordinator waits for)."""
    import subprocess
    import sys
    from importlib import metadata

    with pytest.raises(SystemExit) as ended:
        main(["--version"])
    assert ended.value.code == 0
    assert capsys.readouterr().out.strip() == f"recuperation {metadata.version('recuperation-desk')}"
    probe = (
        "import sys, contextlib, io\n"
        "from recuperation.cli import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])\n"
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'recuperation.models') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
