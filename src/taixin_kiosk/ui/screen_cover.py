"""What the audience sees instead of the slide: black, white, or a frozen picture."""

from __future__ import annotations

import enum

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QWidget


class Cover(enum.Enum):
    NONE = "none"
    BLACK = "black"
    WHITE = "white"
    FROZEN = "frozen"


class ScreenCover(QWidget):
    """Covers the whole audience window, control bar included; the slides
    keep working underneath, so the presenter can move on while the audience
    sees black, white or the picture frozen when ``freeze`` was asked."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("screen-cover")
        self.cover = Cover.NONE
        self._picture = QPixmap()
        # Input goes to the window as ever: a tap still changes the slide.
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        parent.installEventFilter(self)
        self.hide()

    def toggle(self, cover: Cover) -> None:
        """``cover`` on, or off again when it is already on."""
        self.set_cover(Cover.NONE if self.cover is cover else cover)

    def set_cover(self, cover: Cover) -> None:
        parent = self.parentWidget()
        if cover is Cover.FROZEN and parent is not None:
            self.hide()
            self._picture = parent.grab()
        self.cover = cover
        if cover is Cover.NONE:
            self._picture = QPixmap()
            self.hide()
            return
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize \
                and self.cover is not Cover.NONE:
            parent = self.parentWidget()
            if parent is not None:
                self.setGeometry(parent.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        if self.cover is Cover.FROZEN and not self._picture.isNull():
            p.drawPixmap(self.rect(), self._picture)
        else:
            p.fillRect(self.rect(), QColor(255, 255, 255) if self.cover is Cover.WHITE
                       else QColor(0, 0, 0))
        p.end()
