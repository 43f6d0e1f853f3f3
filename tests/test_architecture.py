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
