"""Touch, mouse and wheel on the stage: swipes, taps and wheel notches.

Qt's QSwipeGesture needs three fingers, so one-finger swipes are recognised
here from raw touch events. A mouse drag is the same gesture. A gesture gives
at most one action, decided when the finger or button is released: a mostly
horizontal move longer than the threshold is a swipe, a short still touch is
a tap, anything else (vertical drags, two fingers) does nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QTouchEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from taixin_kiosk.core.actions import Action, ActionRegistry
from taixin_kiosk.core.modes import Mode, ModeManager

log = logging.getLogger("taixin_kiosk.input")

# A widget with this dynamic property set to True handles its own drags.
SWIPE_OPT_OUT = "taixin_no_swipe"
# Horizontal travel must exceed vertical travel by this factor.
SWIPE_DOMINANCE = 1.5
TAP_MM = 4.0
TAP_MAX_S = 0.8
WHEEL_NOTCH = 120
WHEEL_COOLDOWN_S = 0.18


@dataclass
class _Gesture:
    start: QPointF
    last: QPointF
    started: float
    fingers: int = 1
    cancelled: bool = False


def _opted_out(widget: QObject | None) -> bool:
    while widget is not None:
        if widget.property(SWIPE_OPT_OUT):
            return True
        widget = widget.parent()
    return False


_POINTER_EVENTS = frozenset({
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
    QEvent.Type.TouchCancel, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel,
})


class PointerController(QObject):
    """An application event filter for pointer input aimed at the stage."""

    def __init__(self, stage: QWidget, registry: ActionRegistry, modes: ModeManager,
                 swipe_mm: float, tap: Callable[[QPointF], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stage = stage
        self._registry = registry
        self._modes = modes
        self.swipe_mm = swipe_mm
        self._tap = tap
        self._gesture: _Gesture | None = None
        self._wheel_accum = 0
        self._wheel_last = 0.0

    def bind(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def unbind(self, app: QApplication) -> None:
        app.removeEventFilter(self)

    # -- geometry -----------------------------------------------------------

    def _px_per_mm(self) -> float:
        screen = self._stage.screen()
        dpi = screen.physicalDotsPerInch() if screen is not None else 96.0
        # Some drivers report nonsense (0 or a few dpi); stay sane.
        return max(dpi, 72.0) / 25.4

    @property
    def swipe_px(self) -> float:
        return self.swipe_mm * self._px_per_mm()

    @property
    def tap_px(self) -> float:
        return TAP_MM * self._px_per_mm()

    def _on_stage(self, watched: QObject) -> bool:
        return isinstance(watched, QWidget) and (
            watched is self._stage or self._stage.isAncestorOf(watched))

    # -- events -------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self._modes.mode is Mode.ASKING:
            # A question is open (end the talk?): a stray swipe or wheel
            # notch on the slides must not move them meanwhile.
            return self._on_stage(watched) and kind in _POINTER_EVENTS
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
                    QEvent.Type.TouchCancel):
            if not self._on_stage(watched) or _opted_out(watched):
                return False
            assert isinstance(event, QTouchEvent)
            return self._touch(event)
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                    QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick):
            if not self._on_stage(watched) or _opted_out(watched):
                return False
            assert isinstance(event, QMouseEvent)
            return self._mouse(event)
        if kind == QEvent.Type.Wheel and self._on_stage(watched) and not _opted_out(watched):
            assert isinstance(event, QWheelEvent)
            return self._wheel(event)
        return False

    def _stage_pos(self, global_pos: QPointF) -> QPointF:
        return QPointF(self._stage.mapFromGlobal(global_pos))

    def _touch(self, event: QTouchEvent) -> bool:
        points = event.points()
        kind = event.type()
        if kind == QEvent.Type.TouchCancel:
            self._gesture = None
            return True
        if not points:
            return True
        pos = self._stage_pos(points[0].globalPosition())
        if kind == QEvent.Type.TouchBegin:
            self._gesture = _Gesture(pos, pos, time.monotonic(), len(points))
        elif self._gesture is not None:
            self._gesture.fingers = max(self._gesture.fingers, len(points))
            self._gesture.last = pos
            if kind == QEvent.Type.TouchEnd:
                self._finish()
        event.accept()
        return True

    def _mouse(self, event: QMouseEvent) -> bool:
        # Qt turns unhandled touches into mouse events; the touch path has
        # already decided about those.
        if event.source() != Qt.MouseEventSource.MouseEventNotSynthesized:
            return True
        pos = self._stage_pos(event.globalPosition())
        kind = event.type()
        # A second press soon after a click arrives as a double-click: it
        # starts a gesture all the same (click, then swipe; tap a bar twice).
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick) \
                and event.button() == Qt.MouseButton.LeftButton:
            self._gesture = _Gesture(pos, pos, time.monotonic())
        elif kind == QEvent.Type.MouseMove and self._gesture is not None:
            self._gesture.last = pos
        elif kind == QEvent.Type.MouseButtonRelease and self._gesture is not None \
                and event.button() == Qt.MouseButton.LeftButton:
            self._gesture.last = pos
            self._finish()
        return True

    def _finish(self) -> None:
        gesture, self._gesture = self._gesture, None
        if gesture is None or gesture.cancelled or gesture.fingers > 1:
            return
        dx = gesture.last.x() - gesture.start.x()
        dy = gesture.last.y() - gesture.start.y()
        overview = self._modes.mode is Mode.OVERVIEW
        if abs(dx) >= self.swipe_px and abs(dx) >= SWIPE_DOMINANCE * abs(dy) and not overview:
            self._registry.trigger(Action.NEXT if dx < 0 else Action.PREVIOUS)
        elif max(abs(dx), abs(dy)) <= self.tap_px \
                and time.monotonic() - gesture.started <= TAP_MAX_S:
            self._tap(gesture.last)

    def _wheel(self, event: QWheelEvent) -> bool:
        if self._modes.mode is Mode.OVERVIEW:
            return True
        delta = event.angleDelta()
        step = delta.y() if abs(delta.y()) >= abs(delta.x()) else delta.x()
        if step * self._wheel_accum < 0:
            self._wheel_accum = 0  # a change of direction starts a new notch
        self._wheel_accum += step
        now = time.monotonic()
        if abs(self._wheel_accum) >= WHEEL_NOTCH and now - self._wheel_last >= WHEEL_COOLDOWN_S:
            self._registry.trigger(Action.NEXT if self._wheel_accum < 0 else Action.PREVIOUS)
            self._wheel_last = now
            self._wheel_accum = 0
        elif abs(self._wheel_accum) >= WHEEL_NOTCH:
            # Inertial scrolling keeps sending; one notch, one slide.
            self._wheel_accum = 0
        event.accept()
        return True
