"""Python's cyclic garbage collector, paused while the app starts.

It runs again and again while the app imports its modules and builds its
window, and finds next to nothing to free: it cost the first slide about
10 ms. So a launch starts with the collector off; once the first slide is on
screen, everything made so far is frozen (kept out of every later
collection, which also shortens the pauses of a kiosk running all day) and
the collector is turned back on (``after_start``).
"""

from __future__ import annotations

import gc


def prepare() -> None:
    """Before any of the app is imported."""
    gc.disable()


def after_start() -> None:
    """Once the first slide is on screen (or when a command is not the
    presentation): start-up's objects frozen, the collector back on."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
