"""The one owner of the current slide."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("taixin_kiosk.nav")


class Navigator(QObject):
    """Holds the current slide index; everything else listens to it.

    ``slide_changed(old, new)`` is emitted only when the index really changes;
    requests past either end are ignored, so a clicker held down at the last
    slide does nothing rather than wrapping.
    """

    slide_changed = Signal(int, int)

    def __init__(self, count: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if count < 1:
            raise ValueError("a deck has at least one slide")
        self._count = count
        self._index = 0

    @property
    def index(self) -> int:
        return self._index

    @property
    def count(self) -> int:
        return self._count

    def go(self, index: int) -> bool:
        if not 0 <= index < self._count or index == self._index:
            return False
        old, self._index = self._index, index
        log.debug("slide %d -> %d", old, index)
        self.slide_changed.emit(old, index)
        return True

    def next(self) -> bool:
        return self.go(self._index + 1)

    def previous(self) -> bool:
        return self.go(self._index - 1)

    def first(self) -> bool:
        return self.go(0)

    def last(self) -> bool:
        return self.go(self._count - 1)

    def reset(self, count: int) -> None:
        """New content: a new slide count, back at the first slide."""
        old = self._index
        self._count, self._index = max(1, count), 0
        self.slide_changed.emit(old, 0)
