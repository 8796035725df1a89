"""The hidden staff gesture: hold one corner of the screen for a few seconds."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QApplication, QWidget

CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")
# The corner square, in millimetres of the screen: big enough to find with a
# thumb, small enough that no visitor rests a finger there by chance.
CORNER_MM = 15.0
MIN_CORNER_PX = 48.0


class CornerHold(QObject):
    """An application event filter: a single finger or the left mouse button
    held still in ``corner`` of ``window`` for ``hold_s`` emits ``triggered``.

    It never consumes the press, so a short tap in the corner still works as a
    tap; once triggered, it swallows the rest of that gesture, so the release
    presses no button and changes no slide.
    """

    triggered = Signal()

    def __init__(self, window: QWidget, corner: str, hold_s: float,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self.corner = corner if corner in CORNERS else CORNERS[0]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, round(hold_s * 1000)))
        self._timer.timeout.connect(self._on_timer_timeout)
        self._holding = False
        self._fired = False

    def bind(self, app: QApplication) -> None:
        app.installEventFilter(self)

    @property
    def holding(self) -> bool:
        """A press in the corner is being held (it may yet open the PIN pad)."""
        return self._holding

    def unbind(self, app: QApplication) -> None:
        app.removeEventFilter(self)

    def corner_rect(self) -> QRectF:
        screen = self._window.screen()
        dpi = screen.physicalDotsPerInch() if screen is not None else 96.0
        side = max(MIN_CORNER_PX, CORNER_MM * max(72.0, min(dpi, 600.0)) / 25.4)
        w, h = self._window.width(), self._window.height()
        x = 0.0 if self.corner.endswith("left") else w - side
        y = 0.0 if self.corner.startswith("top") else h - side
        return QRectF(x, y, side, side)

    def _inside(self, global_pos: QPointF) -> bool:
        return self.corner_rect().contains(QPointF(self._window.mapFromGlobal(global_pos)))

    def _start(self, global_pos: QPointF) -> None:
        self._fired = False
        self._holding = self._inside(global_pos)
        if self._holding:
            self._timer.start()
        else:
            self._timer.stop()

    def _cancel(self) -> None:
        self._holding = False
        self._timer.stop()

    def _on_timer_timeout(self) -> None:
        if self._holding:
            self._holding = False
            self._fired = True
            self.triggered.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        kind = event.type()
        if isinstance(event, QTouchEvent):
            points = event.points()
            if kind == QEvent.Type.TouchBegin and len(points) == 1:
                self._start(points[0].globalPosition())
            elif kind == QEvent.Type.TouchUpdate:
                if len(points) != 1 or not self._inside(points[0].globalPosition()):
                    self._cancel()
            elif kind in (QEvent.Type.TouchEnd, QEvent.Type.TouchCancel):
                self._cancel()
                if self._fired:
                    self._fired = False
                    return True
            return self._fired and kind == QEvent.Type.TouchUpdate
        if isinstance(event, QMouseEvent):
            if event.source() != Qt.MouseEventSource.MouseEventNotSynthesized:
                # Synthesised from touch: the touch path above decided.
                return self._fired
            if kind == QEvent.Type.MouseButtonPress:
                if event.button() == Qt.MouseButton.LeftButton:
                    self._start(event.globalPosition())
            elif kind == QEvent.Type.MouseMove:
                if self._holding and not self._inside(event.globalPosition()):
                    self._cancel()
                return self._fired
            elif kind == QEvent.Type.MouseButtonRelease:
                self._cancel()
                if self._fired:
                    self._fired = False
                    return True
        return False
