"""The full-window list of a watched pack's problems (``--watch``), shown
instead of the slides while the pack does not validate."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from taixin_kiosk.content.problems import Problem
from taixin_kiosk.core.language import Localizer
from taixin_kiosk.ui.look import DEFAULT_LOOK, Look
from taixin_kiosk.ui.theme import base_font

# More would be too small to read across the room; the rest are counted.
SHOWN_PROBLEMS = 12


class ProblemsView(QWidget):
    """Covers its parent window whole while shown: a heading, one line per
    problem as ``FILE: PATH: message`` (as ``validate`` prints them) in the
    current language, and how to get the slides back."""

    def __init__(self, localizer: Localizer, family: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._window = parent
        self._loc = localizer
        self._family = family
        self._folder = ""
        self._problems: list[Problem] = []
        self.lines: list[str] = []
        self.look = DEFAULT_LOOK
        self.setObjectName("pack-problems")
        localizer.language_changed.connect(self.retranslate)
        parent.installEventFilter(self)
        self.hide()

    def show_problems(self, folder: str, problems: Sequence[Problem]) -> None:
        self._folder, self._problems = folder, list(problems)
        self.retranslate()
        self.setGeometry(self._window.rect())
        self.raise_()
        self.show()

    def clear(self) -> None:
        self._problems = []
        self.lines = []
        self.hide()

    def restyle(self, look: Look) -> None:
        self.look = look
        self.update()

    def retranslate(self) -> None:
        if not self._problems:
            return
        own = self._loc.own_text
        shown = self._problems[:SHOWN_PROBLEMS]
        self.lines = [own("cli.watch.title", folder=self._folder, count=len(self._problems)),
                      *(problem.format(own) for problem in shown)]
        if len(self._problems) > len(shown):
            self.lines.append(own("cli.watch.more", count=len(self._problems) - len(shown)))
        self.lines.append(own("cli.watch.hint"))
        self.setAccessibleName(self.lines[0])
        self.setAccessibleDescription("\n".join(self.lines[1:]))
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # (Shown before its window is: isVisible() is False until then.)
        if event.type() == QEvent.Type.Resize and not self.isHidden():
            self.setGeometry(self._window.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.look.palette
        short = min(self.width(), self.height())
        pad = max(16, round(short * 0.04))
        p = QPainter(self)
        p.fillRect(self.rect(), palette.background_top)
        box = QRectF(self.rect()).adjusted(pad, pad, -pad, -pad)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        for index, line in enumerate(self.lines):
            heading = index == 0
            size = max(12, short * (0.04 if heading else 0.022))
            p.setFont(base_font(self._family, size, heading, locale=self._loc.locale))
            p.setPen(palette.accent if heading else palette.text)
            used = p.boundingRect(box, flags, line)
            p.drawText(box, flags, line)
            box.setTop(used.bottom() + pad * (0.6 if heading else 0.25))
            if box.height() <= 0:
                break
        p.end()
