"""``python -m recuperation …`` runs the same command line as the installed ``recuperation`` script."""

import sys

from recuperation.cli import main

if __name__ == "__main__":
    sys.exit(main())
