"""`python -m taixin_kiosk` runs the same entry point as the console script."""

import sys

from taixin_kiosk.launch import main

sys.exit(main())
