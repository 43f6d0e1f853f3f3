"""The smoke test of the frozen program: run the built executable as a user would, offscreen.

    .venv/bin/python scripts/smoke_frozen.py dist/RecuperationDesk

Checks --version, ``demo`` into a temporary database, ``stats --json`` against the demo year's figures,
``print manifest`` giving a PDF with the Chinese font embedded, and ``gui --page batches --screenshot``
giving a PNG with data.  Exit 0 when all pass; each failure is printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/RecuperationDesk").resolve()
    exe = folder / ("recuperation-cli.exe" if os.name == "nt" else "RecuperationDesk")
    tmp = Path(tempfile.mkdtemp(prefix="recuperation-smoke-"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", RECUPERATION_DATA_DIR=str(tmp / "data"))
    env.pop("RECUPERATION_DB", None)
    db = tmp / "demo.db"
    failures: list[str] = []

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=300)

    def check(name: str, ok: bool, detail: str = "") -> None:
        print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail and not ok else ''}", flush=True)
        if not ok:
            failures.append(name)

    from importlib import metadata

    version = metadata.version("recuperation-desk")
    done = run("--version")
    check("--version", done.returncode == 0 and version in done.stdout, done.stdout + done.stderr)

    done = run("--db", str(db), "demo")
    check("demo", done.returncode == 0 and "1218" in done.stderr, done.stderr)

    done = run("--db", str(db), "stats", "--year", "2021", "--until", "2021-11-30", "--json")
    figures = json.loads(done.stdout) if done.returncode == 0 else {}
    check(
        "stats --json",
        (
            figures.get("batches"),
            figures.get("people"),
            figures.get("training_classes"),
            figures.get("conferences"),
        )
        == (1065, 38665, 65, 3),
        done.stdout[:300] + done.stderr,
    )

    done = run("--db", str(db), "batch", "list", "--year", "2021", "--json")
    batches = json.loads(done.stdout) if done.returncode == 0 else []
    frontline = next(
        (b["code"] for b in batches if b["arrival"] == "2021-03-31" and b["headcount"] == 200), None
    )
    check("batch list", frontline is not None, done.stderr)
    pdf = tmp / "manifest.pdf"
    done = run("--db", str(db), "print", "manifest", str(frontline), "-o", str(pdf))
    embedded = False
    if done.returncode == 0 and pdf.exists():
        from pypdf import PdfReader

        reader = PdfReader(str(pdf))
        for page in reader.pages:
            fonts = page["/Resources"]["/Font"]
            for ref in fonts.values():
                font = ref.get_object()
                descendants = font.get("/DescendantFonts")
                target = descendants[0].get_object() if descendants else font
                descriptor = target.get("/FontDescriptor")
                if descriptor and any(
                    k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    embedded = True
        text = reader.pages[0].extract_text()
        check("print manifest: 200 people, Chinese font embedded", embedded and "第 1 页" in text, text[:200])
    else:
        check("print manifest", False, done.stderr)

    internal = folder / "_internal"
    bundled = [
        internal / "desk_resources" / "translations" / "recuperation_en.qm",
        internal / "desk_resources" / "guide" / "user-guide.md",
        internal / "desk_resources" / "guide" / "user-guide.en.md",
        internal / "desk_resources" / "icons" / "app.svg",
        internal / "desk_resources" / "standards" / "DB3301-T0374-2022.csv",
        internal / "recuperation" / "migrations" / "versions" / "0007_after_the_trip.py",
    ]
    missing = [str(p.relative_to(folder)) for p in bundled if not p.exists()]
    check("translations, guides, icon, clauses and migrations in the bundle", not missing, ", ".join(missing))
    webengine = [p.name for p in internal.rglob("*WebEngine*")]
    check("no Qt WebEngine in the bundle", not webengine, ", ".join(webengine[:5]))

    png = tmp / "batches.png"
    done = run("--db", str(db), "gui", "--page", "batches", "--screenshot", str(png))
    size = png.stat().st_size if png.exists() else 0
    check(
        "gui --screenshot with data",
        done.returncode == 0 and size > 40_000,
        f"{size} bytes; {done.stderr[-500:]}",
    )
    if png.exists():
        print(f"     screenshot: {png}")
    print("smoke test: " + ("passed" if not failures else f"{len(failures)} failed: {', '.join(failures)}"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
