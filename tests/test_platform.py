"""Guards against known-bad Qt bindings before they reach a hall's screen."""

from __future__ import annotations

import sys

from PySide6.QtCore import QRectF


def test_void_calls_keep_none_alive():
    """PySide6 6.12.0 released a reference to None on every void method call;
    on Python 3.11 the app then aborted after a few thousand calls."""
    rect = QRectF(0, 0, 10, 10)
    before = sys.getrefcount(None)
    for _ in range(2000):
        rect.moveTop(3)
    assert sys.getrefcount(None) - before > -100
