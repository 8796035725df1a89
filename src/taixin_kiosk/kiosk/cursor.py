"""The kiosk's pointer: hidden while visitors touch, back for a real mouse."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QInputDevice, QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QApplication


class CursorHider(QObject):
    """Hides the pointer while input is touch; a real mouse brings it back."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hidden = False

    def hide_cursor(self) -> None:
        if not self.hidden:
            QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
            self.hidden = True

    def show_cursor(self) -> None:
        if self.hidden:
            QApplication.restoreOverrideCursor()
            self.hidden = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QTouchEvent):
            self.hide_cursor()
        elif isinstance(event, QMouseEvent) and event.type() == QEvent.Type.MouseMove:
            # Mouse events Qt makes from a touch carry the touchscreen as their
            # device; only a real mouse (or touchpad) brings the pointer back.
            device = event.pointingDevice()
            if device is not None and device.type() in (QInputDevice.DeviceType.Mouse,
                                                         QInputDevice.DeviceType.TouchPad):
                self.show_cursor()
        return False
