"""What opens over the console: the question before ending the talk and the
chooser of tours, each dimming the console under it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QWidget

from taixin_kiosk.presenter.common import MIN_BUTTON_MM, plain_label
from taixin_kiosk.ui.look import Look, look_of
from taixin_kiosk.ui.panels import PanelButton, px_per_mm
from taixin_kiosk.ui.theme import base_font


class ConsoleOverlay(QWidget):
    """Dims the console and lays its own children out on every resize; its
    buttons paint in the console's look."""

    DIM = QColor(5, 15, 28, 238)

    @property
    def look(self) -> Look:
        return look_of(self.parentWidget())

    def layout_children(self) -> None:
        raise NotImplementedError

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.layout_children()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.DIM)
        p.end()


class Question(ConsoleOverlay):
    """"End the presentation?" over the console, with two large buttons (the
    presenter mode also answers it from Esc and Enter)."""

    answered = Signal(bool)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("end-question")
        self.text = plain_label(self, "end-question-text", wrap=True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Going on is the highlighted answer: ending takes a deliberate choice.
        self.keep = PanelButton("keep-presenting", self, accent=True)
        self.end = PanelButton("end-presentation", self)
        self.keep.clicked.connect(lambda: self.answered.emit(False))
        self.end.clicked.connect(lambda: self.answered.emit(True))
        self.hide()

    def layout_children(self) -> None:
        w, h = self.width(), self.height()
        unit = max(0.5, min(w, h) / 1000.0)
        button_h = max(px_per_mm(self) * MIN_BUTTON_MM * 1.3, 110 * unit)
        button_w = min(w * 0.4, 560 * unit)
        self.text.setFont(base_font(self.keep.family, 46 * unit, bold=True,
                                    locale=self.keep.text_locale))
        self.text.setGeometry(round(w * 0.1), round(h * 0.22), round(w * 0.8), round(h * 0.25))
        y = round(h * 0.52)
        gap = 40 * unit
        x = w / 2 - button_w - gap / 2
        self.keep.setGeometry(round(x), y, round(button_w), round(button_h))
        self.end.setGeometry(round(w / 2 + gap / 2), y, round(button_w), round(button_h))


class Chooser(ConsoleOverlay):
    """A column of large buttons over the console (the tours); one tap chooses."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("tour-chooser")
        self.title = plain_label(self, "tour-chooser-title", wrap=True)
        self.cancel = PanelButton("tour-chooser-cancel", self)
        self.cancel.clicked.connect(self.hide)
        self.buttons: list[PanelButton] = []
        self.values: list[object] = []
        self.family = ""
        self.text_locale = ""
        self.hide()

    def set_choices(self, title: str, cancel: str, choices: Sequence[tuple[str, object]],
                    current: object) -> None:
        for button in self.buttons:
            button.deleteLater()
        self.title.setText(title)
        self.cancel.setText(cancel)
        self.cancel.family = self.family
        self.cancel.text_locale = self.text_locale
        self.buttons, self.values = [], []
        for n, (label, value) in enumerate(choices):
            button = PanelButton(f"choice-{n}", self, accent=value == current)
            button.family = self.family
            button.text_locale = self.text_locale
            button.setText(label)
            button.clicked.connect(lambda _=False, v=value: self.chosen.emit(v))
            button.show()
            self.buttons.append(button)
            self.values.append(value)
        self.layout_children()

    def layout_children(self) -> None:
        w, h = self.width(), self.height()
        unit = max(0.5, min(w, h) / 1000.0)
        self.title.setFont(base_font(self.family, 40 * unit, bold=True, locale=self.text_locale))
        self.title.setGeometry(round(w * 0.1), round(h * 0.05), round(w * 0.8), round(h * 0.1))
        rows = [*self.buttons, self.cancel]
        n = len(rows)
        top, bottom = h * 0.17, h * 0.95
        gap = 14 * unit
        bh = min((bottom - top - gap * n) / n, 110 * unit)
        bh = max(bh, px_per_mm(self) * MIN_BUTTON_MM)
        bw = min(w * 0.8, 1100 * unit)
        for i, button in enumerate(rows):
            # The way back sits apart from the routes, below them.
            y = top + i * (bh + gap) + (gap if button is self.cancel else 0)
            button.setGeometry(round((w - bw) / 2), round(y), round(bw), round(bh))
