"""The frozen program's entry point: the same command line as the installed ``recuperation`` command."""

import multiprocessing
import sys

from recuperation.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
