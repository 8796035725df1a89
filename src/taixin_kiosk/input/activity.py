"""One point that sees every user input, for idle timers and statistics."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress,
})
# The rest of a gesture whose start only woke the kiosk: swallowed too, so no
# controller sees half a gesture.
_GESTURE_REST = frozenset({
    QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel,
    QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.KeyRelease, QEvent.Type.TabletMove, QEvent.Type.TabletRelease,
})
_GESTURE_END = frozenset({
    QEvent.Type.TouchEnd, QEvent.Type.TouchCancel, QEvent.Type.MouseButtonRelease,
    QEvent.Type.KeyRelease, QEvent.Type.TabletRelease,
})
_GESTURE_START = frozenset({
    QEvent.Type.TouchBegin, QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress,
    QEvent.Type.TabletPress,
})


class ActivityMonitor(QObject):
    """An application event filter: notes input of any kind, touch included.

    It is installed after every other input filter, so Qt asks it first. It
    lets events through, except while ``wake_only`` is set (the attract loop):
    then the first input only wakes the app (``woke``) and that whole gesture
    is swallowed, so a visitor's first touch triggers no action.
    """

    user_input = Signal()
    woke = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wake_only = False
        self._swallowing = False
        # The last input was the pointer moving with no button down: input
        # for the idle timer, but no touch, click or key (statistics).
        self.hover = False

    def note_user_input(self, *, hover: bool = False) -> None:
        self.hover = hover
        self.user_input.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _GESTURE_START:
            # Should a swallowed gesture's end never arrive, the next gesture
            # must not lose its own end.
            self._swallowing = False
        elif self._swallowing and kind in _GESTURE_REST:
            if kind in _GESTURE_END:
                self._swallowing = False
            return True
        if kind not in INPUT_EVENTS or not watched.isWidgetType():
            return False
        hover = (kind is QEvent.Type.MouseMove and isinstance(event, QMouseEvent)
                 and event.buttons() == Qt.MouseButton.NoButton)
        self.note_user_input(hover=hover)
        if not self.wake_only:
            return False
        self.wake_only = False
        # A press starts a gesture whose rest must go too; a bare mouse move
        # or wheel notch has no rest.
        self._swallowing = kind in _GESTURE_START
        self.woke.emit()
        return True
