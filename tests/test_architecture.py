"""The core never imports Qt: the desk's rules must run with no screen (CLI, server, tests)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import importlib, pkgutil, sys
import recuperation
names = [m.name for m in pkgutil.walk_packages(recuperation.__path__, "recuperation.")
         if ".migrations.versions" not in m.name and not m.name.endswith("migrations.env")]
for name in names:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6")))
print(len(names), ",".join(qt))
"""


def test_importing_every_core_module_loads_no_qt() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    ).stdout.split()
    count = int(out[0])
    assert count >= 15, "the walk should find every core module"
    assert len(out) == 1, f"Qt modules loaded by the core: {out[1:]}"


def test_no_source_cites_a_file_outside_the_repository() -> None:
    """Whoever inherits the code has the repository only: the design it follows is in docs/."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    cited = []
    for folder in ("recuperation", "ui", "tests", "scripts", "bench"):
        for path in (root / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "DESIGN" + ".md" in text or "../" + "shared" in text:
                cited.append(str(path.relative_to(root)))
    assert cited == []
    assert (root / "docs" / "architecture.md").exists() and (root / "docs" / "domain.md").exists()


def test_no_module_imports_another_modules_private_names() -> None:
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    found = []
    for folder in ("recuperation", "ui"):
        for path in (root / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    ("recuperation", "ui")
                ):
                    private = [
                        a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")
                    ]
                    if private:
                        found.append(f"{path.relative_to(root)}: {node.module} {private}")
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr.startswith("_")
                    and not node.attr.startswith("__")
                    and isinstance(node.value, ast.Name)
                    and node.value.id.endswith("_service")
                ):
                    found.append(f"{path.relative_to(root)}:{node.lineno} {node.value.id}.{node.attr}")
    assert found == []
