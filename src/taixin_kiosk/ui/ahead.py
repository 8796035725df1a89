"""The next slide drawn ahead of time, so that a switch shows a ready picture.

After the slide shown has painted, and painting is over, the next slide in the
direction of travel (the other neighbour at either end of the deck) paints
itself into a picture (``SlideView.prepare``), in idle time. A switch to it
then copies that picture to the screen instead of painting the slide again;
the slide shows it only while it is exactly what a paint would draw
(``SlideView.ready_picture``). There is one picture for the whole stage, a
screen's worth of memory: the slide drawn last gives it to the next.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from taixin_kiosk.ui.slide_view import SlideView
    from taixin_kiosk.ui.stage import Stage

# Turns of the event loop with no paint of the slide shown before the next is
# drawn: a paint can ask for another (a chart lays itself out as it paints),
# which comes a turn or two later, and drawing ahead in between would hold it up.
QUIET_TURNS = 4


class DrawAhead(QObject):
    """Draws the stage's next slide ahead; ``timer`` is its idle work (a
    zero-interval timer, as all the app's idle work)."""

    def __init__(self, stage: Stage) -> None:
        super().__init__(stage)
        self._stage = stage
        self._direction = 1
        # The slide holding the picture (drawn last).
        self._holder: SlideView | None = None
        self._quiet = 0
        self.timer = QTimer(self)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._on_turn)

    def moved(self, old: int, new: int) -> None:
        """The stage went from slide ``old`` to ``new``."""
        if new != old:
            self._direction = 1 if new > old else -1

    def neighbour(self) -> int | None:
        """The slide to draw: the next in the direction of travel, or the
        other neighbour at either end of the deck."""
        stage = self._stage
        for step in (self._direction, -self._direction):
            index = stage.current_index + step
            if 0 <= index < stage.count:
                return index
        return None

    def drop(self) -> None:
        """Frees the picture (a new size or pack: it is of no use any more)."""
        if self._holder is not None:
            self._holder.take_picture()
            self._holder = None
        self.timer.stop()

    def on_painted(self, index: int) -> None:
        if index != self._stage.current_index:
            return
        self._quiet = 0
        if self.timer.isActive():
            return
        target = self.neighbour()
        if target is None:
            return
        view = self._stage.built(target)
        if view is None or view.ready_picture() is None:
            self.timer.start()

    def on_pictures_loaded(self, _path: str) -> None:
        # Drawn again with the picture, if it shows one (the slide learns of
        # it after the stage: checked in a later turn).
        self._quiet = 0
        self.timer.start()

    def _on_turn(self) -> None:
        self._quiet += 1
        if self._quiet < QUIET_TURNS:
            return
        self.timer.stop()
        self._draw()

    def _draw(self) -> None:
        stage = self._stage
        target = self.neighbour()
        if target is None or not stage.isVisible() or stage.overview.isVisible() \
                or stage.width() <= 0 or stage.height() <= 0:
            return
        view = stage.view(target)
        if view.stale:
            view.refresh()
        view.ensure_chart()
        if view.ready_picture() is not None:
            return
        buffer = self._holder.take_picture() if self._holder is not None else None
        view.prepare(buffer)
        self._holder = view
