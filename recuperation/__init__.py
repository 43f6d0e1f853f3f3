"""Recuperation Desk core: everything a coordinator's desk does, with no screen.

Nothing in this package imports Qt; the desktop lives in the ``ui`` package.
"""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("recuperation-desk")
except metadata.PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"

APP_NAME = "RecuperationDesk"
