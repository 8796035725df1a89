"""The entry point of ``taixin-kiosk`` and ``python -m taixin_kiosk``.

It pauses Python's garbage collector before anything else is imported
(``system.collector`` says why), then hands over to the command line.
"""

from __future__ import annotations


def main() -> int:
    from taixin_kiosk.system.collector import prepare

    prepare()
    from taixin_kiosk.cli.main import main as cli_main

    return cli_main()
