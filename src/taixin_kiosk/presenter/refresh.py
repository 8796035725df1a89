"""Keeps the console's pictures of the slides looking like the audience's.

The previews and the strip are drawn from the audience window's slides
(``Audience.slide_picture``); they must be drawn again when those change
without the slide changing: pictures that finish decoding, a chart or map
tapped, large text or high contrast, the stage's shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from taixin_kiosk.core.session import Audience, Session
    from taixin_kiosk.presenter.console import PresenterConsole

# Pictures decode in a burst at start: the thumbnails are redrawn once after
# a pause this long rather than for each picture.
PICTURES_SETTLE_MS = 250
# A tapped chart or map redraws itself first; the preview follows after this.
TOUCH_REDRAW_MS = 60


class PreviewRefresh(QObject):
    """Redraws the console's previews when the audience's slides change look."""

    def __init__(self, session: Session, audience: Audience, console: PresenterConsole,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.console = console
        self.closed = False
        # Previews keep the audience stage's shape, and show pictures that
        # finish decoding after they were first drawn.
        session.audience_resized.connect(console.set_ratio)
        self._pictures_settle = QTimer(self)
        self._pictures_settle.setSingleShot(True)
        self._pictures_settle.setInterval(PICTURES_SETTLE_MS)
        self._pictures_settle.timeout.connect(self._redraw_all)
        session.pictures_loaded.connect(self._pictures_loaded)
        # A tap on a chart or the map changes the slide in place.
        session.slide_touched.connect(self._slide_touched)
        # Large text or high contrast changes how every slide looks.
        session.access.changed.connect(self._look_changed)
        size = audience.slide_size()
        if size.width() > 0 and size.height() > 0:
            console.set_ratio(size.width() / size.height())

    def _pictures_loaded(self, _path: str = "") -> None:
        if not self.closed:
            self._pictures_settle.start()

    def _slide_touched(self) -> None:
        # After the chart or map has redrawn itself.
        QTimer.singleShot(TOUCH_REDRAW_MS, self, self._redraw_current)

    def _redraw_current(self) -> None:
        if not self.closed:
            self.console.current.invalidate()

    def _look_changed(self, _access: object) -> None:
        # The previews and the strip show the audience's slides as they now look.
        self._redraw_all()

    def _redraw_all(self) -> None:
        if self.closed:
            return
        self.console.refresh_previews()
        self.console.strip.invalidate()

    def close(self) -> None:
        self.closed = True
        self._pictures_settle.stop()
        session = self.session
        session.audience_resized.disconnect(self.console.set_ratio)
        session.pictures_loaded.disconnect(self._pictures_loaded)
        session.slide_touched.disconnect(self._slide_touched)
        session.access.changed.disconnect(self._look_changed)
