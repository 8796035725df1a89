"""The frozen app's entry point.

PyInstaller freezes a script, not a console-script entry point; this calls
the same function as ``taixin-kiosk`` and ``python -m taixin_kiosk``, so the
frozen app starts up exactly as an installed one does.
"""

import sys

from taixin_kiosk.launch import main

if __name__ == "__main__":
    sys.exit(main())
