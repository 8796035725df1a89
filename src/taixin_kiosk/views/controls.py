"""The on-screen control bar: large touch buttons below the slide, never over it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QWidget

from taixin_kiosk.actions import Action, ActionRegistry
from taixin_kiosk.language import Localizer
from taixin_kiosk.views.layout import measure
from taixin_kiosk.views.theme import PALETTE, base_font

# Buttons are at least this large on any screen (the 9 mm floor).
MIN_BUTTON_MM = 11.0


def _chevron(p: QPainter, left: bool) -> None:
    if left:
        p.drawPolyline([QPointF(62, 18), QPointF(30, 50), QPointF(62, 82)])
    else:
        p.drawPolyline([QPointF(38, 18), QPointF(70, 50), QPointF(38, 82)])


def _home(p: QPainter) -> None:
    path = QPainterPath(QPointF(12, 50))
    path.lineTo(50, 16)
    path.lineTo(88, 50)
    p.drawPath(path)
    p.drawPolyline([QPointF(24, 42), QPointF(24, 86), QPointF(76, 86), QPointF(76, 42)])


def _grid(p: QPainter) -> None:
    for x in (18, 56):
        for y in (18, 56):
            p.drawRoundedRect(QRectF(x, y, 26, 26), 4, 4)


def _globe(p: QPainter) -> None:
    p.drawEllipse(QPointF(50, 50), 36, 36)
    p.drawEllipse(QPointF(50, 50), 15, 36)
    p.drawLine(QPointF(14, 50), QPointF(86, 50))


GLYPHS: dict[str, Callable[[QPainter], None]] = {
    "previous": lambda p: _chevron(p, True),
    "next": lambda p: _chevron(p, False),
    "home": _home,
    "overview": _grid,
    "language": _globe,
}


class ControlButton(QAbstractButton):
    """An icon over a label; pressed state shown; never takes keyboard focus.

    Focus stays off so Space and Enter always mean "next slide" / "jump",
    never "press the button that happens to have focus".
    """

    def __init__(self, glyph: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.glyph = glyph
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.label_font = QFont()

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def label_rect(self) -> QRectF:
        r = QRectF(self.rect())
        return QRectF(r.left() + 4, r.top() + r.height() * 0.56, r.width() - 8, r.height() * 0.42)

    def label_fits(self) -> bool:
        need = measure(self.text(), self.label_font, self.label_rect().width(),
                       int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop))
        box = self.label_rect()
        return need.width() <= box.width() + 0.75 and need.height() <= box.height() + 0.75

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        fill = PALETTE.control_pressed if self.isDown() else PALETTE.control
        if not self.isEnabled():
            p.setOpacity(0.35)
        p.setPen(QPen(PALETTE.panel_edge, 1.2))
        p.setBrush(QBrush(fill))
        p.drawRoundedRect(r, r.height() * 0.16, r.height() * 0.16)
        side = r.height() * 0.42
        p.save()
        p.translate(r.center().x() - side / 2, r.top() + r.height() * 0.1)
        p.scale(side / 100, side / 100)
        pen = QPen(PALETTE.text, 8)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        GLYPHS[self.glyph](p)
        p.restore()
        p.setFont(self.label_font)
        p.setPen(PALETTE.text)
        p.drawText(self.label_rect(), int(Qt.AlignmentFlag.AlignHCenter
                                          | Qt.AlignmentFlag.AlignTop
                                          | Qt.TextFlag.TextWordWrap), self.text())
        p.end()


class CounterLabel(QWidget):
    """"5 / 18", or the number being typed for a jump; a progress line above."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.font_ = QFont()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setFont(self.font_)
        p.setPen(PALETTE.text)
        p.drawText(QRectF(self.rect()), int(Qt.AlignmentFlag.AlignCenter), self.text)
        p.end()

    def fits(self) -> bool:
        need = measure(self.text, self.font_, self.width(), int(Qt.AlignmentFlag.AlignHCenter))
        return need.width() <= self.width() + 0.75 and need.height() <= self.height() + 0.75


class ControlBar(QWidget):
    """Previous, home, overview, counter, language, next: each requests an action."""

    resized = Signal()

    def __init__(self, registry: ActionRegistry, localizer: Localizer,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._registry = registry
        self._loc = localizer
        self._current, self._total = 0, 1
        self._jump = ""
        self.setObjectName("control-bar")
        self.setAutoFillBackground(False)
        self.buttons: dict[str, ControlButton] = {}
        specs = (("home", Action.FIRST), ("overview", Action.OVERVIEW),
                 ("previous", Action.PREVIOUS), ("next", Action.NEXT),
                 ("language", Action.LANGUAGE))
        for glyph, action in specs:
            button = ControlButton(glyph, self)
            button.setObjectName(f"control-{glyph}")
            button.clicked.connect(lambda _=False, a=action: self._registry.trigger(a))
            self.buttons[glyph] = button
        self.counter = CounterLabel(self)
        row = QHBoxLayout(self)
        self._row = row
        row.addWidget(self.buttons["home"])
        row.addWidget(self.buttons["overview"])
        row.addStretch(1)
        row.addWidget(self.buttons["previous"])
        row.addWidget(self.counter)
        row.addWidget(self.buttons["next"])
        row.addStretch(1)
        row.addWidget(self.buttons["language"])
        self.retranslate()

    def button_px(self) -> int:
        """Button height: the larger of the mm floor and a share of the screen."""
        screen = self.screen()
        dpi = screen.physicalDotsPerInch() if screen else 96.0
        floor_px = MIN_BUTTON_MM / 25.4 * max(dpi, 72.0)
        window = self.window()
        short = min(window.width(), window.height()) if window else 1080
        return round(max(floor_px, short * 0.085, 56))

    def apply_size(self) -> None:
        h = self.button_px()
        window = self.window()
        width = window.width() if window else 1920
        pad = round(h * 0.16)
        self._row.setContentsMargins(pad * 2, pad, pad * 2, pad)
        self._row.setSpacing(pad)
        # Six slots must fit the narrowest (portrait) width with room to spare.
        bw = min(round(h * 1.9), max(h, round((width - pad * 12) / 6.4)))
        font = base_font("", max(11, round(h * 0.2)), bold=True)
        for button in self.buttons.values():
            button.setFixedSize(bw, h)
            button.label_font = font
            button.update()
        self.counter.setFixedSize(bw, h)
        self.counter.font_ = base_font("", max(12, round(h * 0.3)), bold=True)
        self.setFixedHeight(h + 2 * pad)

    def retranslate(self) -> None:
        loc = self._loc
        self.buttons["previous"].setText(loc.text("ui.control.previous"))
        self.buttons["next"].setText(loc.text("ui.control.next"))
        self.buttons["home"].setText(loc.text("ui.control.home"))
        self.buttons["overview"].setText(loc.text("ui.control.overview"))
        self.buttons["language"].setText(loc.text_in(loc.next_locale(), "meta.language_name"))
        for button in self.buttons.values():
            button.setAccessibleName(button.text())
            button.setToolTip(button.text())
        self.buttons["language"].setVisible(len(loc.locales) > 1)
        self._update_counter()

    def set_position(self, current: int, total: int) -> None:
        self._current, self._total = current, total
        self.buttons["previous"].setEnabled(current > 0)
        self.buttons["next"].setEnabled(current < total - 1)
        self._update_counter()

    def set_jump(self, digits: str) -> None:
        self._jump = digits
        self._update_counter()

    def _update_counter(self) -> None:
        if self._jump:
            text = self._loc.text("ui.control.jump", number=self._jump)
        else:
            text = self._loc.text("ui.control.counter", current=self._current + 1,
                                  total=self._total)
        self.counter.text = text
        self.counter.setAccessibleName(text)
        self.counter.update()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), PALETTE.control_bar)
        # A progress line along the top edge: where we are in the deck.
        frac = (self._current + 1) / max(1, self._total)
        p.fillRect(QRectF(0, 0, self.width() * frac, max(3.0, self.height() * 0.03)),
                   PALETTE.accent)
        p.end()
