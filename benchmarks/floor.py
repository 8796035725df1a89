"""The floor: a bare PySide6 window, full screen, timed to its first paint.

Run by ``benchmarks/run.py`` as a subprocess, the same way as the app probe,
so the two start-up figures differ only by what the app itself does. It prints
one ``RESULT {json}`` line on stdout:

* ``t_paint``: wall-clock time (``time.time()``) at the end of the first paintEvent;
* ``rss_mb``: VmRSS once that first frame has been handed to the X server;
* ``size``: the window's size at the first paint (to check it really was full screen).

Only PySide6 and the standard library are imported: nothing of the app.
"""

from __future__ import annotations

import json
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget
from rss import rss_mb  # benchmarks/ is the script's folder

MARKER = "RESULT "


class BareWindow(QWidget):
    """Fills itself with one colour; records the first paint, then quits."""

    def __init__(self) -> None:
        super().__init__()
        self.result: dict[str, object] = {}

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(16, 32, 48))
        painter.end()
        if not self.result:
            self.result = {"t_paint": time.time(), "size": [self.width(), self.height()]}
            # Runs after this paint pass (and its flush to the X server) is over.
            QTimer.singleShot(0, self.finish)

    def finish(self) -> None:
        self.result["rss_mb"] = rss_mb()
        print(MARKER + json.dumps(self.result), flush=True)
        QApplication.quit()


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = BareWindow()
    window.showFullScreen()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
