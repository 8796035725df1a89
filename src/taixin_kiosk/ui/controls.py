"""The on-screen control bar: large touch buttons below the slide, never over it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QWidget

from taixin_kiosk.core.actions import Action, ActionRegistry
from taixin_kiosk.core.language import Localizer
from taixin_kiosk.core.navigator import Navigator
from taixin_kiosk.ui.focus import HALO_PX, paint_focus_ring, ring_width
from taixin_kiosk.ui.layout.text import measure
from taixin_kiosk.ui.look import DEFAULT_LOOK, Look, look_of
from taixin_kiosk.ui.theme import base_font

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


def _large_text(p: QPainter) -> None:
    # A small and a large letter A: text size, in any script.
    p.drawPolyline([QPointF(40, 86), QPointF(64, 14), QPointF(88, 86)])
    p.drawLine(QPointF(49, 60), QPointF(79, 60))
    p.drawPolyline([QPointF(6, 86), QPointF(21, 44), QPointF(36, 86)])
    p.drawLine(QPointF(11, 72), QPointF(31, 72))


def _access(p: QPainter) -> None:
    # The accessibility figure: head, outstretched arms, body, legs.
    p.drawEllipse(QPointF(50, 16), 8, 8)
    p.drawLine(QPointF(16, 36), QPointF(84, 36))
    p.drawLine(QPointF(50, 36), QPointF(50, 62))
    p.drawPolyline([QPointF(30, 90), QPointF(50, 62), QPointF(70, 90)])


def _contrast(p: QPainter) -> None:
    p.drawEllipse(QPointF(50, 50), 36, 36)
    p.save()
    p.setBrush(p.pen().color())
    p.drawPie(QRectF(14, 14, 72, 72), -90 * 16, 180 * 16)
    p.restore()


def _motion(p: QPainter) -> None:
    # A ball with speed lines, crossed out: less motion.
    for y, x in ((34, 12), (50, 4), (66, 12)):
        p.drawLine(QPointF(x, y), QPointF(36, y))
    p.drawEllipse(QPointF(64, 50), 20, 20)
    p.drawLine(QPointF(14, 86), QPointF(86, 14))


def _reach(p: QPainter) -> None:
    # An arrow down onto a bar: the controls come down.
    p.drawLine(QPointF(50, 10), QPointF(50, 64))
    p.drawPolyline([QPointF(30, 46), QPointF(50, 66), QPointF(70, 46)])
    p.drawLine(QPointF(14, 86), QPointF(86, 86))


GLYPHS: dict[str, Callable[[QPainter], None]] = {
    "previous": lambda p: _chevron(p, True),
    "next": lambda p: _chevron(p, False),
    "home": _home,
    "overview": _grid,
    "language": _globe,
    "large_text": _large_text,
    "access": _access,
    "contrast": _contrast,
    "motion": _motion,
    "reach": _reach,
}


class ControlButton(QAbstractButton):
    """An icon over a label; pressed, checked and focused states shown.

    Focus comes from Tab only, never from a tap or a click: with no button
    chosen by keyboard, Space and Enter keep meaning "next slide" / "jump"
    for clickers; a keyboard user who tabs to a button presses it with them
    (input.keyboard) and sees a focus ring on it. It paints in its
    bar's look.
    """

    def __init__(self, glyph: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.glyph = glyph
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.label_font = QFont()

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def label_rect(self) -> QRectF:
        r = QRectF(self.rect())
        # Clear of a toggle's checked frame (4 px in, max(3, 5 %) wide) on both sides.
        inset = 6 + max(3.0, (r.height() - 4) * 0.05)
        return QRectF(r.left() + inset, r.top() + r.height() * 0.56, r.width() - 2 * inset,
                      r.height() * 0.42)

    def label_fits(self) -> bool:
        need = measure(self.text(), self.label_font, self.label_rect().width(),
                       int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop))
        box = self.label_rect()
        return need.width() <= box.width() + 0.75 and need.height() <= box.height() + 0.75

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        # Focused: the body steps inside the focus ring, so the ring never
        # hides the checked frame and bar (a focused toggle still shows "on").
        ring = ring_width(self) + 2 * HALO_PX if self.hasFocus() else 0.0
        body = QRectF(self.rect()).adjusted(ring + 2, ring + 2, -ring - 2, -ring - 2)
        palette = look_of(self.parentWidget()).palette
        fill = palette.control_pressed if self.isDown() else palette.control
        if not self.isEnabled():
            p.setOpacity(0.35)
        p.setPen(QPen(palette.control_edge, 1.2))
        p.setBrush(QBrush(fill))
        p.drawRoundedRect(body, body.height() * 0.16, body.height() * 0.16)
        if self.isChecked():
            # On: an accent frame and a bar along the bottom, not colour alone.
            p.setPen(QPen(palette.accent, max(3.0, r.height() * 0.05)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            inner = body.adjusted(2, 2, -2, -2)
            p.drawRoundedRect(inner, inner.height() * 0.15, inner.height() * 0.15)
            if not ring:  # (inside a focus ring the bar would run into the label)
                p.fillRect(QRectF(r.left() + r.width() * 0.3, r.bottom() - r.height() * 0.07,
                                  r.width() * 0.4, r.height() * 0.04), palette.accent)
        side = r.height() * 0.42
        p.save()
        p.translate(r.center().x() - side / 2, r.top() + r.height() * 0.1)
        p.scale(side / 100, side / 100)
        pen = QPen(palette.text, 8)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        GLYPHS[self.glyph](p)
        p.restore()
        p.setFont(self.label_font)
        p.setPen(palette.text)
        p.drawText(self.label_rect(), int(Qt.AlignmentFlag.AlignHCenter
                                          | Qt.AlignmentFlag.AlignTop
                                          | Qt.TextFlag.TextWordWrap), self.text())
        if self.hasFocus():
            # Drawn last and at full opacity: a disabled look never hides it.
            p.setOpacity(1.0)
            paint_focus_ring(p, QRectF(self.rect()), ring_width(self), r.height() * 0.18,
                             palette=palette)
        p.end()


def fit_labels(buttons: list[ControlButton], px: float, locale: str) -> None:
    """Gives a row of buttons one bold label font for labels in ``locale``:
    ``px``, or smaller until the longest label fits on one line (a word cut
    in two reads as two labels), but never under 10 px; a label still too
    long then wraps."""
    font = base_font("", max(11, round(px)), bold=True, locale=locale)
    worst = 1.0
    for button in buttons:
        room = button.label_rect().width()
        need = QFontMetricsF(font).horizontalAdvance(button.text())
        if need > room > 0:
            worst = min(worst, room / need)
    if worst < 1.0:
        font = base_font("", max(10, int(font.pixelSize() * worst)), bold=True, locale=locale)
    for button in buttons:
        button.label_font = font
        button.update()


class CounterLabel(QWidget):
    """"5 / 18", or the number being typed for a jump; a progress line above."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.font_ = QFont()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setFont(self.font_)
        p.setPen(look_of(self.parentWidget()).palette.text)
        p.drawText(QRectF(self.rect()), int(Qt.AlignmentFlag.AlignCenter), self.text)
        p.end()

    def fits(self) -> bool:
        need = measure(self.text, self.font_, self.width(), int(Qt.AlignmentFlag.AlignHCenter))
        return need.width() <= self.width() + 0.75 and need.height() <= self.height() + 0.75


class ControlBar(QWidget):
    """Home, overview, access, previous, counter, next, large text, language:
    each requests an action."""

    resized = Signal()

    def __init__(self, registry: ActionRegistry, localizer: Localizer,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._registry = registry
        self._loc = localizer
        self._current, self._total = 0, 1
        self._jump = ""
        self._navigator: Navigator | None = None
        self.setObjectName("control-bar")
        self.look = DEFAULT_LOOK
        self._label_px = 16.0
        self.setAutoFillBackground(False)
        self.buttons: dict[str, ControlButton] = {}
        specs = (("home", Action.FIRST), ("overview", Action.OVERVIEW),
                 ("access", Action.ACCESS), ("previous", Action.PREVIOUS),
                 ("next", Action.NEXT), ("large_text", Action.LARGE_TEXT),
                 ("language", Action.LANGUAGE))
        for glyph, action in specs:
            button = ControlButton(glyph, self)
            button.setObjectName(f"control-{glyph}")
            button.clicked.connect(lambda _=False, a=action: self._registry.trigger(a))
            self.buttons[glyph] = button
        for glyph in ("access", "large_text"):
            self.buttons[glyph].setCheckable(True)
        self.counter = CounterLabel(self)
        row = QHBoxLayout(self)
        self._row = row
        row.addWidget(self.buttons["home"])
        row.addWidget(self.buttons["overview"])
        row.addWidget(self.buttons["access"])
        row.addStretch(1)
        row.addWidget(self.buttons["previous"])
        row.addWidget(self.counter)
        row.addWidget(self.buttons["next"])
        row.addStretch(1)
        row.addWidget(self.buttons["large_text"])
        row.addWidget(self.buttons["language"])
        localizer.language_changed.connect(self.retranslate)
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
        # Eight slots must fit the narrowest (portrait) width with room to spare.
        bw = min(round(h * 1.9), max(h, round((width - pad * 16) / 8.5)))
        for button in self.buttons.values():
            button.setFixedSize(bw, h)
        self._label_px = h * 0.2
        self._fit_labels()
        self.counter.setFixedSize(bw, h)
        self.counter.font_ = base_font("", max(12, round(h * 0.3)), bold=True,
                                       locale=self._loc.locale)
        self.setFixedHeight(h + 2 * pad)

    def _fit_labels(self) -> None:
        # Labels change with the language: the shared font is fitted again.
        fit_labels(list(self.buttons.values()), self._label_px, self._loc.locale)

    def retranslate(self) -> None:
        loc = self._loc
        self.buttons["previous"].setText(loc.text("ui.control.previous"))
        self.buttons["next"].setText(loc.text("ui.control.next"))
        self.buttons["home"].setText(loc.text("ui.control.home"))
        self.buttons["overview"].setText(loc.text("ui.control.overview"))
        self.buttons["access"].setText(loc.app_text("access.control.access"))
        self.buttons["large_text"].setText(loc.app_text("access.control.large_text"))
        self.buttons["language"].setText(loc.text_in(loc.next_locale(), "meta.language_name"))
        other = loc.text_in(loc.next_locale(), "meta.language_name")
        for glyph, button in self.buttons.items():
            button.setAccessibleName(button.text())
            button.setToolTip(button.text())
            # What pressing it does, for screen readers, in the shown language.
            button.setAccessibleDescription(loc.app_text(f"access.describe.{glyph}",
                                                         language=other))
        self.counter.setAccessibleDescription(loc.app_text("access.describe.counter"))
        self.buttons["language"].setVisible(len(loc.locales) > 1)
        self._update_counter()
        if self.isVisible():  # else apply_size fits them when the window is laid out
            self._fit_labels()

    def restyle(self, look: Look) -> None:
        """Its buttons and counter paint in ``look`` (its theme; the bar's
        size follows the window's, not the text size)."""
        self.look = look
        self.update()

    def set_checked(self, glyph: str, on: bool) -> None:
        """Shows a toggle's state (the access panel, large text) without acting."""
        self.buttons[glyph].setChecked(on)

    def follow(self, navigator: Navigator) -> None:
        """Shows the navigator's position: the counter, the progress line and
        whether Previous and Next can go further."""
        self._navigator = navigator
        navigator.slide_changed.connect(self._on_slide_changed)
        self.set_position(navigator.index, navigator.count)

    def _on_slide_changed(self, _old: int, new: int) -> None:
        total = self._navigator.count if self._navigator is not None else self._total
        self.set_position(new, total)

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
        # Said as a sentence ("Slide 5 of 19"), not as the painted "5 / 19".
        self.counter.setAccessibleName(text if self._jump else self._loc.app_text(
            "access.name.counter", current=self._current + 1, total=self._total))
        self.counter.update()
        # Only the progress line's strip: the whole bar would repaint every
        # button over it too, on every slide switch.
        self.update(QRectF(0, 0, self.width(), self._progress_height()).toAlignedRect())

    def _progress_height(self) -> float:
        return max(3.0, self.height() * 0.03)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.look.palette
        p = QPainter(self)
        p.fillRect(self.rect(), palette.control_bar)
        # A progress line along the top edge: where we are in the deck.
        frac = (self._current + 1) / max(1, self._total)
        p.fillRect(QRectF(0, 0, self.width() * frac, self._progress_height()), palette.accent)
        p.end()


class AccessBar(QWidget):
    """The accessibility toggles: high contrast, less motion, low reach.

    Opened by the control bar's access button, in a strip right above it, so
    on a tall totem it is as low as the controls themselves.
    """

    def __init__(self, registry: ActionRegistry, localizer: Localizer,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._registry = registry
        self._loc = localizer
        self.setObjectName("access-bar")
        self.look = DEFAULT_LOOK
        self._label_px = 16.0
        self.buttons: dict[str, ControlButton] = {}
        row = QHBoxLayout(self)
        self._row = row
        row.addStretch(1)
        for glyph, action in (("contrast", Action.CONTRAST), ("motion", Action.MOTION),
                              ("reach", Action.REACH)):
            button = ControlButton(glyph, self)
            button.setObjectName(f"access-{glyph}")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, a=action: self._registry.trigger(a))
            self.buttons[glyph] = button
            row.addWidget(button)
        row.addStretch(1)
        self.hide()
        localizer.language_changed.connect(self.retranslate)
        self.retranslate()

    def apply_size(self, bar: ControlBar) -> None:
        """The control bar's button size and spacing; labels may be longer."""
        h = bar.button_px()
        pad = round(h * 0.16)
        # A little room below: the control bar's progress line runs along its top.
        self._row.setContentsMargins(pad * 2, pad, pad * 2, pad // 2)
        self._row.setSpacing(pad * 2)
        window = self.window()
        width = window.width() if window else 1920
        bw = min(round(h * 2.6), max(h, round((width - pad * 12) / 3.6)))
        for button in self.buttons.values():
            button.setFixedSize(bw, h)
        self._label_px = h * 0.2
        if self.isVisible():
            self._fit_labels()
        self.setFixedHeight(h + pad + pad // 2)

    def set_state(self, high_contrast: bool, reduced_motion: bool, low_reach: bool) -> None:
        self.buttons["contrast"].setChecked(high_contrast)
        self.buttons["motion"].setChecked(reduced_motion)
        self.buttons["reach"].setChecked(low_reach)

    def _fit_labels(self) -> None:
        # Labels change with the language: the shared font is fitted again.
        fit_labels(list(self.buttons.values()), self._label_px, self._loc.locale)

    def retranslate(self) -> None:
        for glyph, button in self.buttons.items():
            button.setText(self._loc.app_text(f"access.{glyph}"))
            button.setAccessibleName(button.text())
            button.setToolTip(button.text())
            button.setAccessibleDescription(self._loc.app_text(f"access.describe.{glyph}"))
        if self.isVisible():  # else apply_size fits them when the strip opens
            self._fit_labels()

    def restyle(self, look: Look) -> None:
        """Its buttons paint in ``look``."""
        self.look = look
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.look.palette.control_bar)
        p.end()
