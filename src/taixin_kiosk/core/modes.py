"""Application modes: one enum and one manager that announces changes."""

from __future__ import annotations

import enum
import logging

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("taixin_kiosk.modes")


class Mode(enum.Enum):
    INTERACTIVE = "interactive"
    OVERVIEW = "overview"
    # Kiosk mode, unattended: the deck advances by itself until someone touches.
    ATTRACT = "attract"
    # The PIN pad or the staff panel is open: slide input is off.
    STAFF = "staff"
    # A presenter is asked a question (end the talk?): slide input is off
    # until it is answered.
    ASKING = "asking"


class ModeManager(QObject):
    """Controllers ask this for the mode instead of keeping private flags."""

    entered = Signal(object)
    left = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mode = Mode.INTERACTIVE

    @property
    def mode(self) -> Mode:
        return self._mode

    def enter(self, mode: Mode) -> None:
        if mode is self._mode:
            return
        old, self._mode = self._mode, mode
        log.debug("mode %s -> %s", old.value, mode.value)
        self.left.emit(old)
        self.entered.emit(mode)

    def leave(self, mode: Mode) -> None:
        if self._mode is mode:
            self.enter(Mode.INTERACTIVE)
