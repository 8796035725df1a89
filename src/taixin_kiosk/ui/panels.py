"""What full-window panels are made of: the overlay that covers the window, the
large touch button whose label shrinks to fit, and the labels on them.

The kiosk's staff screens (``kiosk.screens``: the PIN pad, the staff panel,
the touch test) and the presenter's console (``presenter``) are built from
these: overlays inside the window, never dialogs, so a kiosk never shows a
desktop or a separate window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QBrush,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QWidget,
)

from taixin_kiosk.ui.focus import HALO_PX, paint_focus_ring, ring_width
from taixin_kiosk.ui.layout.text import measure
from taixin_kiosk.ui.look import Look, look_of
from taixin_kiosk.ui.theme import base_font

# Touch targets: at least this many millimetres (above the 9 mm guideline).
MIN_KEY_MM = 12.0


def px_per_mm(widget: QWidget) -> float:
    screen = widget.screen()
    dpi = screen.physicalDotsPerInch() if screen is not None else 96.0
    return max(72.0, min(dpi, 600.0)) / 25.4


def unit_of(widget: QWidget) -> float:
    """1.0 on a 1920x1080 window; type and keys scale with the short side."""
    return max(0.5, min(widget.width(), widget.height()) / 1000.0)


class PanelButton(QAbstractButton):
    """A large rounded text button, for fingers; the label shrinks to fit.

    With ``keyboard`` (the staff screens) Tab reaches it, never a tap or a
    click, as the audience window's controls (ui.focus): it then shows a
    focus ring, and Enter or Space press it. It paints in the look of the
    screen it is on (its parent's).
    """

    def __init__(self, name: str, parent: QWidget | None = None, *, accent: bool = False,
                 keyboard: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.accent = accent
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus if keyboard else Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, False)
        self.family = ""
        # The language of the label (set with it by the screen it is on).
        self.text_locale = ""
        # Set by a panel so a column of buttons shares one type size.
        self.shared_size: float | None = None
        # The fitted size for (text, width, height, locale), without and with
        # a focus ring: measured once, not per paint.
        self._fitted: dict[float, tuple[str, int, int, str, float]] = {}

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def ring_band(self) -> float:
        """How far the body steps in for the focus ring (none unfocused)."""
        return ring_width(self) + 2 * HALO_PX if self.hasFocus() else 0.0

    def label_font_size(self, inset: float = 0.0) -> float:
        """The largest size (down to a floor) at which the label fits, with
        the body ``inset`` on each side."""
        fitted = self._fitted.get(inset)
        if fitted is not None and fitted[:4] == (self.text(), self.width(), self.height(),
                                                 self.text_locale):
            return fitted[4]
        pad = max(10.0, self.width() * 0.1) + inset
        box = QRectF(self.rect()).adjusted(pad, 4 + inset, -pad, -4 - inset)
        # From the unfocused size: a focus ring shrinks a label only to fit.
        size = (self.height() - 8) * 0.42
        while size > 9:
            need = measure(self.text(), base_font(self.family, size, locale=self.text_locale),
                           box.width(),
                           int(Qt.AlignmentFlag.AlignCenter))
            if need.width() <= box.width() + 0.5 and need.height() <= box.height() + 0.5:
                break
            size -= 1
        self._fitted[inset] = (self.text(), self.width(), self.height(), self.text_locale, size)
        return size

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Pressed on the key going down, as the audience window's controls;
        # any other key is the screen's (digits and Esc for the PIN pad).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space,
                           Qt.Key.Key_Select):
            if self.isEnabled() and not event.isAutoRepeat():
                self.click()
            event.accept()
            return
        event.ignore()

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        event.ignore()  # (a button pressed on the key's release would press twice)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Focused: the body steps inside the focus ring, which never covers it.
        band = self.ring_band()
        r = QRectF(self.rect()).adjusted(3 + band, 3 + band, -3 - band, -3 - band)
        palette = look_of(self.parentWidget()).palette
        if self.accent:
            fill = palette.accent.darker(130) if self.isDown() else palette.accent
            ink = palette.background_top
        else:
            fill = palette.control_pressed if self.isDown() else palette.control
            ink = palette.text
        if not self.isEnabled():
            p.setOpacity(0.35)
        p.setPen(QPen(palette.control_edge, 1.2))
        p.setBrush(QBrush(fill))
        radius = min(r.height(), r.width()) * 0.16
        p.drawRoundedRect(r, radius, radius)
        size = self.shared_size if self.shared_size is not None else self.label_font_size()
        if band:  # the label fits the smaller body too
            size = min(size, self.label_font_size(band))
        p.setFont(base_font(self.family, size, locale=self.text_locale))
        p.setPen(ink)
        p.drawText(r.adjusted(7, 1, -7, -1),
                   int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), self.text())
        if band:
            p.setOpacity(1.0)
            paint_focus_ring(p, QRectF(self.rect()), ring_width(self), radius + band,
                             palette=palette)
        p.end()


def make_label(parent: QWidget, name: str, look: Look, *, accent: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setProperty("accent", accent)
    colour_label(label, look)
    return label


def colour_label(label: QLabel, look: Look) -> None:
    # A stylesheet holds a colour, not the look: set again when the theme may
    # have changed (each time a staff screen opens).
    palette = look.palette
    color = palette.accent if label.property("accent") else palette.text
    label.setStyleSheet(f"color: {color.name()}; background: transparent;")


class Overlay(QWidget):
    """Covers its window: opaque, so nothing of the slide shows through.

    It takes the window's look when it is made, and each new one from the
    window (``restyle``); its labels take its colours when it opens."""

    def __init__(self, parent: QWidget, family: str) -> None:
        super().__init__(parent)
        self.family = family
        self.look = look_of(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        self.hide()
        # The window turns or is resized while staff use it: follow.
        parent.installEventFilter(self)

    def restyle(self, look: Look) -> None:
        self.look = look
        self.update()

    def cover(self) -> None:
        self._fit()
        for label in self.findChildren(QLabel):
            colour_label(label, self.look)
        self.show()
        self.raise_()
        self.setFocus()

    def _fit(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
            # The audience window's low reach (a tall totem, a seated person).
            self.set_low_reach(self.look.low_reach)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize \
                and self.isVisible():
            # After the window's own resize handling has settled its low reach.
            QTimer.singleShot(0, self, self._fit)
        return False

    def set_low_reach(self, on: bool) -> None:
        """Low reach: what is touched goes to the lower part (see subclasses)."""

    def buttons_in_order(self) -> list[PanelButton]:
        """Its buttons in reading order: top to bottom, left to right."""
        return sorted(self.findChildren(PanelButton),
                      key=lambda b: (b.mapTo(self, b.rect().topLeft()).y(),
                                     b.mapTo(self, b.rect().topLeft()).x()))

    def tab_order(self) -> list[PanelButton]:
        """The buttons Tab reaches now (ui.focus): shown, enabled, Tab's."""
        return [b for b in self.buttons_in_order()
                if b.isVisible() and b.isEnabled()
                and b.focusPolicy() == Qt.FocusPolicy.TabFocus]

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.look.palette.background_bottom)
        p.end()
