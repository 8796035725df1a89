"""A notice above the stage: why the requested content could not be shown."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from taixin_kiosk.content.problems import Problem
from taixin_kiosk.core.language import Localizer
from taixin_kiosk.ui.focus import paint_focus_ring, ring_width
from taixin_kiosk.ui.layout.text import measure
from taixin_kiosk.ui.look import DEFAULT_LOOK, Look
from taixin_kiosk.ui.theme import base_font

# The notice names the first few problems; `taixin-kiosk validate` lists all.
SHOWN_PROBLEMS = 3


class NoticeBar(QWidget):
    """Plain words on a coloured strip; a tap hides it. Never a dialog."""

    def __init__(self, localizer: Localizer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loc = localizer
        self._problems: list[Problem] = []
        self._folder = ""
        self.text = ""
        self.look = DEFAULT_LOOK
        self.setObjectName("notice")
        # Tab reaches it (Enter closes it), a tap never focuses it.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        localizer.language_changed.connect(self.retranslate)
        self.hide()

    def show_problems(self, folder: str, problems: Sequence[Problem]) -> None:
        self._folder, self._problems = folder, list(problems)
        self.retranslate()
        self.setVisible(bool(problems))

    def retranslate(self) -> None:
        if not self._problems:
            self.text = ""
            return
        loc = self._loc
        lines = [loc.text("ui.notice.pack_invalid", folder=self._folder,
                          count=len(self._problems))]
        for problem in self._problems[:SHOWN_PROBLEMS]:
            lines.append(problem.format(loc.text))
        if len(self._problems) > SHOWN_PROBLEMS:
            lines.append(loc.text("ui.notice.more", count=len(self._problems) - SHOWN_PROBLEMS))
        lines.append(loc.text("ui.notice.dismiss"))
        self.text = "\n".join(lines)
        self.setAccessibleName(loc.app_text("access.name.notice"))
        # The problems, and how a keyboard closes it (the painted line says "tap").
        self.setAccessibleDescription("\n".join([*lines[:-1],
                                                 loc.app_text("access.describe.notice")]))
        self.lay_out()

    def restyle(self, look: Look) -> None:
        self.look = look
        self.update()

    def lay_out(self) -> None:
        """As tall as its lines need at the window's width (after a resize)."""
        if not self._problems:
            return
        self._fit()
        self.update()

    def font_(self) -> QFont:
        window = self.window()
        short = min(window.width(), window.height()) if window else 1080
        return base_font("", max(12, round(short * 0.02)), locale=self._loc.locale)

    def _fit(self) -> None:
        pad = 12
        width = max(100, (self.window().width() if self.window() else 1280) - 4 * pad)
        need = measure(self.text, self.font_(), width)
        self.setFixedHeight(int(need.height()) + 2 * pad)

    def mouseReleaseEvent(self, event: object) -> None:
        self.hide()

    def activate(self) -> None:
        """Enter or Space while it has keyboard focus: closed, like a tap."""
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.look.palette
        p = QPainter(self)
        p.fillRect(self.rect(), palette.notice)
        p.setFont(self.font_())
        p.setPen(palette.text)
        p.drawText(QRectF(self.rect()).adjusted(24, 12, -24, -12),
                   int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), self.text)
        if self.hasFocus():
            paint_focus_ring(p, QRectF(self.rect()), ring_width(self), palette=palette)
        p.end()
