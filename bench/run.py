"""Every benchmark, cold and warm, on demo databases of 1, 5 and 20 years; a table and JSON at the end.

    .venv/bin/python bench/run.py [--runs N] [--years 1,5,20] [--keep DIR] [--frozen EXE] [--json FILE]
    (or: bash scripts/bench)

Builds ``demo --years N`` for each size into a temporary folder (or reuses the files in ``--keep DIR``), then
runs bench/cold.py on each size: what a coordinator waits for in a fresh process (the command line and a
freshly started desktop) beside the same work warm, each beside the raw library doing it in the same run.
The warm benchmarks of single operations (startup.py, ui_pages.py, roster_import.py, documents.py, orders.py,
year_stats.py, demo_build.py) run on the five-year database.  Each figure is the median of ``--runs``; all
are written to ``--json`` (default bench/results.json) with the machine they were measured on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.common import HEADER, Result, line, show  # noqa: E402

SCRIPTS = (
    "startup.py",
    "ui_pages.py",
    "roster_import.py",
    "documents.py",
    "year_stats.py",
    "demo_build.py",
    "orders.py",
    "scorecards.py",
)


def machine() -> dict[str, object]:
    cpu = ""
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
    }


def markdown(results: list[dict[str, object]]) -> str:
    """The README's table: each cold.py figure at every size, the raw anchor and target at five years."""
    sizes = sorted({int(r["years"]) for r in results if r.get("years") is not None})  # type: ignore[call-overload]
    names: list[str] = []
    at: dict[tuple[str, int], dict[str, object]] = {}
    for r in results:
        if r.get("years") is None:
            continue
        name = f"{r['name']} ({r['kind']})"
        if name not in names:
            names.append(name)
        at[(name, int(r["years"]))] = r  # type: ignore[call-overload]
    head = " | ".join(f"{y} y" for y in sizes)
    lines = [f"| what | {head} | raw (5 y) | target | 20 y ÷ 5 y |", "|---|" + "---:|" * (len(sizes) + 3)]
    for name in names:
        cells = []
        for y in sizes:
            r = at.get((name, y))
            cells.append(show(float(r["value"]), "s") if r else "")  # type: ignore[arg-type]
        five = at.get((name, 5)) or {}
        twenty = at.get((name, 20))
        raw = show(float(five["raw"]), "s") if five.get("raw") else ""  # type: ignore[arg-type]
        target = f"≤ {show(float(five['target']), 's')}" if five.get("target") else ""  # type: ignore[arg-type]
        growth = (
            f"{float(twenty['value']) / float(five['value']):.2f}" if twenty and five.get("value") else ""  # type: ignore[arg-type]
        )
        lines.append(f"| {name} | {' | '.join(cells)} | {raw} | {target} | {growth} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=HERE / "results.json")
    parser.add_argument("--years", default="1,5,20", help="sizes of the demo databases, in years")
    parser.add_argument("--keep", type=Path, help="a folder that keeps the built databases between runs")
    parser.add_argument("--frozen", type=Path, help="the frozen executable, measured cold as well")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="recuperation-bench-"))
    env = dict(os.environ, RECUPERATION_DATA_DIR=str(folder), QT_QPA_PLATFORM="offscreen")
    program = str(Path(sys.executable).with_name("recuperation"))
    sizes = sorted({int(y) for y in args.years.split(",")} | {5})
    store = args.keep or folder
    store.mkdir(parents=True, exist_ok=True)
    databases: dict[int, Path] = {}
    for years in sizes:
        db = databases[years] = store / f"demo-{years}y.db"
        if not db.exists():
            print(f"building demo --years {years} …", flush=True)
            started = time.perf_counter()
            subprocess.run([program, "--db", str(db), "demo", "--years", str(years)], check=True, env=env)
            print(f"built in {time.perf_counter() - started:.1f} s\n")
    db = databases[5]
    emitted = folder / "results.jsonl"
    failed = []
    runs: list[tuple[str, list[str]]] = []
    for years in sizes:
        cold = [str(HERE / "cold.py"), "--db", str(databases[years]), "--years", str(years)]
        if args.frozen is not None and years == 5:
            cold += ["--frozen", str(args.frozen)]
        runs.append((f"cold.py, {years} years", cold))
    runs += [(script, [str(HERE / script), "--db", str(db)]) for script in SCRIPTS]
    for title, command in runs:
        print(f"== {title}", flush=True)
        done = subprocess.run(
            [sys.executable, *command, "--runs", str(args.runs), "--emit", str(emitted)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        if done.returncode != 0:
            failed.append(title)
            print(done.stderr[-2000:], file=sys.stderr)
    results = [json.loads(text) for text in emitted.read_text(encoding="utf-8").splitlines()]
    print("\n" + HEADER)
    for data in results:
        fields = {k: data[k] for k in Result.__dataclass_fields__}
        print(line(Result(**fields)))
    about = machine()
    print(
        f"\nmeasured on {about['cpu']}, {about['cores']} cores, {about['memory']}, Python {about['python']}"
    )
    args.json.write_text(
        json.dumps({"machine": about, "runs": args.runs, "results": results}, ensure_ascii=False, indent=2)
        + "\n",
        encoding="utf-8",
    )
    print(f"results written to {args.json}")
    print("\n" + markdown(results))
    if failed:
        print(f"benchmarks that failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
