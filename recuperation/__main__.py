"""``python -m recuperation …`` runs the same command line as the installed ``recuperation`` script."""

import sys

from recuperation.cli import main

sys.exit(main())
