"""`python -m taixin_kiosk` runs the same entry point as the console script."""

import sys

from taixin_kiosk.cli import main

sys.exit(main())
