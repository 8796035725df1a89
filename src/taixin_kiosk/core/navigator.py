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
        # A tour: the slides next / previous / first / last step through.
        self._route: tuple[int, ...] = ()
        self._route_pos = 0

    @property
    def index(self) -> int:
        return self._index

    @property
    def count(self) -> int:
        return self._count

    @property
    def route(self) -> tuple[int, ...]:
        return self._route

    @property
    def route_position(self) -> int:
        """The tour stop last reached (0 without a tour): off the tour, the one
        before the slide shown."""
        return self._route_pos

    def set_route(self, route: tuple[int, ...]) -> None:
        """Follow a tour (slide indices in order), or every slide with ``()``;
        starts at the route's first slide."""
        self._route = tuple(i for i in route if 0 <= i < self._count)
        self._route_pos = 0
        self.go(self._route[0] if self._route else 0)

    def go(self, index: int) -> bool:
        if not 0 <= index < self._count or index == self._index:
            return False
        if index in self._route:
            # A jump onto the tour carries on from there; a jump off it
            # comes back to the stop after the last one shown.
            self._route_pos = self._route.index(index)
        old, self._index = self._index, index
        log.debug("slide %d -> %d", old, index)
        self.slide_changed.emit(old, index)
        return True

    def _target(self, delta: int) -> tuple[int, int] | None:
        """(slide, route position) one step away, or None past either end."""
        route = self._route
        if not route:
            index = self._index + delta
            return (index, 0) if 0 <= index < self._count else None
        on_route = self._index == route[self._route_pos]
        pos = self._route_pos + delta if on_route else (
            self._route_pos + 1 if delta > 0 else self._route_pos)
        return (route[pos], pos) if 0 <= pos < len(route) else None

    def peek_next(self) -> int | None:
        """The slide ``next`` would show, or None at the end."""
        target = self._target(1)
        return target[0] if target is not None else None

    def _step(self, delta: int) -> bool:
        target = self._target(delta)
        if target is None:
            return False
        if self._route:
            self._route_pos = target[1]
        return self.go(target[0])

    def next(self) -> bool:
        return self._step(1)

    def previous(self) -> bool:
        return self._step(-1)

    def first(self) -> bool:
        return self.go(self._route[0] if self._route else 0)

    def last(self) -> bool:
        return self.go(self._route[-1] if self._route else self._count - 1)

    def reset(self, count: int) -> None:
        """New content: a new slide count, back at the first slide."""
        old = self._index
        self._count, self._index = max(1, count), 0
        self._route, self._route_pos = (), 0
        self.slide_changed.emit(old, 0)
