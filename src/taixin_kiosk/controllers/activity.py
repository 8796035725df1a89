"""One point that sees every user input, for idle timers and statistics."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Signal

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress,
})


class ActivityMonitor(QObject):
    """An application event filter: notes input of any kind, touch included,
    and lets every event through untouched."""

    user_input = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last_input = time.monotonic()

    def note_user_input(self) -> None:
        self.last_input = time.monotonic()
        self.user_input.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and watched.isWidgetType():
            self.note_user_input()
        return False
