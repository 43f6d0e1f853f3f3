"""Recuperation Desk core: everything a coordinator's desk does, with no screen.

Nothing in this package imports Qt; the desktop lives in the ``ui`` package.
"""

from __future__ import annotations

APP_NAME = "RecuperationDesk"


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed package's metadata when first asked for: importing
    importlib.metadata costs a fifth of what ``recuperation --help`` may take, and most commands never ask."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import metadata

    try:
        version = metadata.version("recuperation-desk")
    except metadata.PackageNotFoundError:  # running from a source tree that was not installed
        version = "0.0.0+source"
    globals()["__version__"] = version
    return version
