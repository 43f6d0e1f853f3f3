"""Every benchmark on one five-year database, each in its own process, with a table and JSON at the end.

    .venv/bin/python bench/run.py [--runs N] [--json FILE]      (or: bash scripts/bench)

Builds ``demo --years 5`` once into a temporary folder, runs bench/startup.py, ui_pages.py,
roster_import.py, documents.py, year_stats.py and demo_build.py against it (each figure the median of
``--runs`` runs), prints every figure with its target and its ratio to the raw library doing the same work,
and writes them all to ``--json`` (default bench/results.json) with the machine they were measured on.
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

from bench.common import HEADER, Result, line  # noqa: E402

SCRIPTS = ("startup.py", "ui_pages.py", "roster_import.py", "documents.py", "year_stats.py", "demo_build.py")


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="recuperation-bench-"))
    env = dict(os.environ, RECUPERATION_DATA_DIR=str(folder), QT_QPA_PLATFORM="offscreen")
    db = folder / "five.db"
    program = str(Path(sys.executable).with_name("recuperation"))
    print("building demo --years 5 …", flush=True)
    started = time.perf_counter()
    subprocess.run([program, "--db", str(db), "demo", "--years", "5"], check=True, env=env)
    print(f"built in {time.perf_counter() - started:.1f} s\n")
    emitted = folder / "results.jsonl"
    failed = []
    for script in SCRIPTS:
        print(f"== {script}", flush=True)
        done = subprocess.run(
            [
                sys.executable,
                str(HERE / script),
                "--db",
                str(db),
                "--runs",
                str(args.runs),
                "--emit",
                str(emitted),
            ],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        if done.returncode != 0:
            failed.append(script)
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
    if failed:
        print(f"benchmarks that failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
