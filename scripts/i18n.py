"""Keep the translations in step with the code.

    .venv/bin/python scripts/i18n.py            # update the .ts sources from ui/ and compile the .qm files
    .venv/bin/python scripts/i18n.py --check    # exit 1 when a visible string lacks a translation

The Chinese file translates each (Chinese) source text to itself; the English file is edited by hand (or with
Qt Linguist) and is the source of truth for English.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS_DIR = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN", "en")
BIN = Path(sys.executable).parent


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py"))


def lupdate(target: Path) -> None:
    subprocess.run(
        [str(BIN / "pyside6-lupdate"), *sources(), "-no-obsolete", "-locations", "none", "-ts", str(target)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    tree = ET.parse(ts)
    found = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found.append((name, message.findtext("source") or "", message))
    return found


def fill_chinese(ts: Path) -> None:
    tree = ET.parse(ts)
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        assert translation is not None
        if message.get("numerus") == "yes":  # tr(text, "", n): Chinese has one form, the source itself
            for form in list(translation):
                translation.remove(form)
            ET.SubElement(translation, "numerusform").text = message.findtext("source")
        else:
            translation.text = message.findtext("source")
        translation.attrib.pop("type", None)
    tree.write(ts, encoding="utf-8", xml_declaration=True)


def missing(ts: Path) -> list[str]:
    problems = []
    for context, source, message in messages(ts):
        translation = message.find("translation")
        forms = [translation.text] if translation is not None and message.get("numerus") != "yes" else []
        if translation is not None and message.get("numerus") == "yes":
            forms = [f.text for f in translation.iter("numerusform")]  # English: one and other
        if (
            translation is None
            or not forms
            or not all((f or "").strip() for f in forms)
            or translation.get("type") == "unfinished"
        ):
            problems.append(f"{ts.name}: [{context}] {source}")
    return problems


def untracked_strings() -> list[str]:
    """Strings in the code that the committed .ts files do not have yet."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.ts"
        lupdate(fresh)
        wanted = {(c, s) for c, s, _ in messages(fresh)}
    problems = []
    for language in LANGUAGES:
        have = {(c, s) for c, s, _ in messages(TS_DIR / f"recuperation_{language}.ts")}
        problems += [f"recuperation_{language}.ts lacks [{c}] {s}" for c, s in sorted(wanted - have)]
    return problems


def release() -> None:
    for language in LANGUAGES:
        ts = TS_DIR / f"recuperation_{language}.ts"
        subprocess.run(
            [str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))],
            check=True,
            capture_output=True,
        )


def main() -> int:
    if "--check" in sys.argv:
        problems = untracked_strings() + [
            p for lang in LANGUAGES for p in missing(TS_DIR / f"recuperation_{lang}.ts")
        ]
        print("\n".join(problems) or "all strings translated")
        return 1 if problems else 0
    TS_DIR.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        lupdate(TS_DIR / f"recuperation_{language}.ts")
    fill_chinese(TS_DIR / "recuperation_zh_CN.ts")
    release()
    for problem in missing(TS_DIR / "recuperation_en.ts"):
        print(problem)
    return 0


if __name__ == "__main__":
    sys.exit(main())
