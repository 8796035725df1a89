"""The console's pictures of the slides: the current and next slide's
previews, and the strip of every slide as a thumbnail."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QWidget

from taixin_kiosk.core.language import Localizer
from taixin_kiosk.presenter.common import MIN_BUTTON_MM
from taixin_kiosk.ui.look import look_of
from taixin_kiosk.ui.panels import px_per_mm
from taixin_kiosk.ui.theme import base_font

# Renders slide ``index`` as the audience would see it, at a size.
Renderer = Callable[[int, QSize], QImage]


class Preview(QWidget):
    """One slide's picture, aspect kept, with a caption above it and, on the
    current slide, a band saying what covers it for the audience.

    The picture is rendered when it is painted at a size (or asked for) it
    was not rendered at, so a resize never leaves a blurry preview behind.
    It paints in the console's look, its caption and band in the presenter's
    language (``text_locale``).
    """

    def __init__(self, name: str, parent: QWidget, render: Renderer) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._render = render
        self._image = QImage()
        self._rendered: tuple[object, ...] | None = None
        self.index: int | None = None
        # What the picture depends on besides the slide (language, subtitles).
        self.look: tuple[object, ...] = ()
        self.ratio = 16 / 9
        self.caption = ""
        self.band = ""
        self.family = ""
        self.text_locale = ""
        # Set by the console, so both captions share one size.
        self.caption_px = 30.0

    def show_slide(self, index: int | None, look: tuple[object, ...]) -> None:
        if (index, look) != (self.index, self.look):
            self.index, self.look = index, look
            self.update()

    def invalidate(self) -> None:
        self._rendered = None
        self.update()

    def picture(self) -> QImage:
        """The slide as the audience sees it, at this preview's size."""
        # In device pixels: a scaled laptop panel (125-200 %) stays sharp.
        dpr = self.devicePixelRatioF()
        size = (self.picture_rect().size() * dpr).toSize()
        key = (self.index, self.look, size.width(), size.height())
        if key != self._rendered:
            self._rendered = key
            self._image = self._render(self.index, size) \
                if self.index is not None and not size.isEmpty() else QImage()
        return self._image

    def caption_height(self) -> float:
        return self.caption_px

    def picture_rect(self) -> QRectF:
        """Below the caption, as large as the audience screen's shape allows."""
        box = QRectF(self.rect()).adjusted(0, self.caption_height(), 0, 0)
        w = min(box.width(), box.height() * self.ratio)
        return QRectF(box.left(), box.top(), w, w / self.ratio)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        ch = self.caption_height()
        palette = look_of(self.parentWidget()).palette
        p.setFont(base_font(self.family, ch * 0.62, bold=True, locale=self.text_locale))
        p.setPen(palette.text_muted)
        p.drawText(QRectF(0, 0, self.width(), ch),
                   int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self.caption)
        r = self.picture_rect()
        image = self.picture()
        if image.isNull():
            p.fillRect(r, palette.background_bottom)
        else:
            p.drawImage(r, image)
        p.setPen(QPen(palette.panel_edge, 1.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(r)
        if self.band:
            band = QRectF(r.left(), r.bottom() - r.height() * 0.16, r.width(), r.height() * 0.16)
            p.fillRect(band, QColor(0, 0, 0, 200))
            p.setFont(base_font(self.family, band.height() * 0.42, bold=True,
                                locale=self.text_locale))
            p.setPen(palette.accent)
            p.drawText(band, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                       self.band)
        p.end()


class ThumbStrip(QWidget):
    """Every slide, small, in one or two rows; a tap jumps there. Slides off
    the chosen tour are dimmed, the current one is outlined. Its numbers are
    set for the slides' language (``localizer``'s), in the console's look."""

    chosen = Signal(int)

    def __init__(self, parent: QWidget, localizer: Localizer) -> None:
        super().__init__(parent)
        self._loc = localizer
        self.setObjectName("thumb-strip")
        self.count = 0
        self.current = 0
        self.route: tuple[int, ...] = ()
        self.family = ""
        self.ratio = 16 / 9
        self.render_slide: Renderer | None = None
        self._images: dict[int, QImage] = {}
        self._pressed: int | None = None
        # Thumbnails are drawn one per turn of the event loop, so opening the
        # console never holds the audience's slide up.
        self._fill = QTimer(self)
        self._fill.setInterval(0)
        self._fill.timeout.connect(self._render_one)

    def rows(self) -> int:
        min_w = px_per_mm(self) * MIN_BUTTON_MM * 1.6
        return 1 if self.count == 0 or self.width() / self.count >= min_w else 2

    def cell_rects(self) -> list[QRectF]:
        if self.count == 0:
            return []
        rows = self.rows()
        cols = math.ceil(self.count / rows)
        gap = 6.0
        # Room around the cells for the current slide's outline.
        inset = 3.0
        cw = (self.width() - 2 * inset - gap * (cols - 1)) / cols
        ch = (self.height() - 2 * inset - gap * (rows - 1)) / rows
        tw = min(cw, ch * self.ratio)
        th = tw / self.ratio
        out = []
        for i in range(self.count):
            r, c = divmod(i, cols)
            out.append(QRectF(inset + c * (cw + gap) + (cw - tw) / 2,
                              inset + r * (ch + gap) + (ch - th) / 2, tw, th))
        return out

    def index_at(self, pos: QPointF) -> int | None:
        for i, rect in enumerate(self.cell_rects()):
            if rect.contains(pos):
                return i
        return None

    def invalidate(self) -> None:
        self._images.clear()
        if self.isVisible():
            self._fill.start()
        self.update()

    def _render_one(self) -> None:
        rects = self.cell_rects()
        missing = [i for i in range(self.count) if i not in self._images]
        if not missing or self.render_slide is None or not rects:
            self._fill.stop()
            return
        # The current slide first, then outwards from it.
        index = min(missing, key=lambda i: abs(i - self.current))
        self._images[index] = self.render_slide(
            index, (rects[index].size() * self.devicePixelRatioF()).toSize())
        self.update(rects[index].toAlignedRect().adjusted(-4, -4, 4, 4))

    def showEvent(self, event: QShowEvent) -> None:
        self._fill.start()
        super().showEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.invalidate()
        super().resizeEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed = self.index_at(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position())
        if index is not None and index == self._pressed:
            self.chosen.emit(index)
        self._pressed = None

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        palette = look_of(self.parentWidget()).palette
        for i, rect in enumerate(self.cell_rects()):
            image = self._images.get(i)
            if image is None:
                p.fillRect(rect, palette.background_bottom)
            else:
                p.drawImage(rect, image)
            if self.route and i not in self.route:
                p.fillRect(rect, QColor(0, 0, 0, 150))
            badge_h = max(14.0, rect.height() * 0.3)
            badge = QRectF(rect.right() - badge_h * 1.5, rect.bottom() - badge_h,
                           badge_h * 1.5, badge_h)
            p.fillRect(badge, palette.control_bar)
            p.setFont(base_font(self.family, badge_h * 0.7, bold=True, locale=self._loc.locale))
            p.setPen(palette.text)
            p.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), str(i + 1))
            if i == self.current:
                p.setPen(QPen(palette.accent, 3.0))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5))
        p.end()
