"""The console's pictures of the slides: the current and next slide's
previews, and the strip of every slide as a thumbnail."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QObject,
    QPoint,
    QPointF,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QScrollArea, QScroller, QScrollerProperties, QWidget

from taixin_kiosk.core.language import Localizer
from taixin_kiosk.ui.look import look_of
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
        # Set by the console, so both captions share one size and font (on
        # its type scale), as does the band.
        self.caption_px = 30.0
        self.caption_font = QFont()
        self.band_px = 30.0

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
        p.setFont(self.caption_font)
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
            font = base_font(self.family, self.band_px, bold=True, locale=self.text_locale)
            band_h = min(r.height(), max(r.height() * 0.16, QFontMetricsF(font).height() * 1.6))
            band = QRectF(r.left(), r.bottom() - band_h, r.width(), band_h)
            p.fillRect(band, QColor(0, 0, 0, 200))
            p.setFont(font)
            p.setPen(palette.accent)
            p.drawText(band, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                       self.band)
        p.end()


# Thumbnails in the console's strip: never narrower than this (px). At 160 px
# a slide's shape (title bar, cards, chart, map) is still told apart at arm's
# length, the number badge at the smallest label size covers under a fifth of
# it, and the cell is over three finger widths (MIN_BUTTON_MM at 96 dpi), so a
# drag that starts on one never lands on its neighbour by accident.
MIN_THUMB_PX = 160.0
# Space between thumbnails, and around them for the current slide's outline.
THUMB_GAP, THUMB_INSET = 8.0, 4.0
# The strip's scroll bar: thin, a position indicator more than a control.
STRIP_BAR_PX = 8


class ThumbRow(QWidget):
    """The strip's content: every slide side by side, drawn by ``ThumbStrip``."""

    def __init__(self, strip: ThumbStrip) -> None:
        super().__init__()
        self.setObjectName("thumb-row")
        self._strip = strip

    def paintEvent(self, event: QPaintEvent) -> None:
        self._strip.paint_row(self, event)


class ThumbStrip(QScrollArea):
    """Every slide as a thumbnail, in one row that scrolls (a finger or the
    mouse dragging it, the wheel) and follows the current slide; a tap jumps
    there. Slides off the chosen tour are dimmed, the current one is
    outlined. Its numbers are set for the slides' language (``localizer``'s),
    in the console's look.

    The console sets ``thumb_width`` (and the strip's height from
    ``height_for``) and ``label_px``, the numbers' size on its type scale.
    """

    chosen = Signal(int)

    def __init__(self, parent: QWidget, localizer: Localizer) -> None:
        super().__init__(parent)
        self._loc = localizer
        self.setObjectName("thumb-strip")
        self.count = 0
        self._current = 0
        self.route: tuple[int, ...] = ()
        self.family = ""
        self.ratio = 16 / 9
        self.thumb_width = MIN_THUMB_PX
        self.label_px = 24.0
        self.render_slide: Renderer | None = None
        self._images: dict[int, QImage] = {}
        self._pressed: int | None = None
        # Where the row was when a press began: a press that scrolled it is
        # a drag, never a tap on the slide that ended under the finger.
        self._pressed_at = 0
        self.row = ThumbRow(self)
        self.setWidget(self.row)
        self.setWidgetResizable(False)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # Qt's default scroll bar is a light box on this dark screen.
        self.setStyleSheet(
            "QScrollArea { background: transparent; }"
            f" QScrollBar:horizontal {{ background: transparent; height: {STRIP_BAR_PX}px;"
            " margin: 0; }"
            " QScrollBar::handle:horizontal { background: rgba(255, 255, 255, 90);"
            f" border-radius: {STRIP_BAR_PX // 2}px; min-width: 40px; }}"
            " QScrollBar::add-line, QScrollBar::sub-line { width: 0; }"
            " QScrollBar::add-page, QScrollBar::sub-page { background: transparent; }")
        self.viewport().setStyleSheet("background: transparent;")
        self.viewport().setAutoFillBackground(False)
        self.row.setAutoFillBackground(False)
        self.row.installEventFilter(self)
        # Dragged by a finger or the mouse, with the platform's flick.
        QScroller.grabGesture(self.viewport(),
                              QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        scroller = QScroller.scroller(self.viewport())
        properties = scroller.scrollerProperties()
        # A row has no vertical give.
        properties.setScrollMetric(
            QScrollerProperties.ScrollMetric.VerticalOvershootPolicy,
            QScrollerProperties.OvershootPolicy.OvershootAlwaysOff)
        scroller.setScrollerProperties(properties)
        self._scroller_state = scroller.state()
        self._stopping = False
        scroller.stateChanged.connect(self._scroller_moved)
        # Thumbnails are drawn one per turn of the event loop, so opening the
        # console never holds the audience's slide up.
        self._fill = QTimer(self)
        self._fill.setInterval(0)
        self._fill.timeout.connect(self._render_one)

    @staticmethod
    def height_for(thumb_width: float, ratio: float) -> int:
        """The strip's height that shows thumbnails ``thumb_width`` wide."""
        return math.ceil(thumb_width / ratio + 2 * THUMB_INSET) + STRIP_BAR_PX

    # -- geometry -------------------------------------------------------------

    def _thumb_size(self) -> QSizeF:
        return QSizeF(self.thumb_width, self.thumb_width / self.ratio)

    def row_rects(self) -> list[QRectF]:
        """Each thumbnail, in the row's coordinates."""
        size = self._thumb_size()
        step = size.width() + THUMB_GAP
        return [QRectF(QPointF(THUMB_INSET + i * step, THUMB_INSET), size)
                for i in range(self.count)]

    def layout_row(self) -> None:
        """The row as long as its thumbnails, as tall as they are."""
        size = self._thumb_size()
        width = 2 * THUMB_INSET + self.count * size.width() + max(0, self.count - 1) * THUMB_GAP
        self.row.resize(math.ceil(width), math.ceil(size.height() + 2 * THUMB_INSET))
        self.keep_in_view(self._current)

    def cell_rects(self) -> list[QRectF]:
        """Each thumbnail where it is now, in the strip's coordinates (those
        scrolled out of view lie outside its rectangle)."""
        offset = QPointF(self.row.mapTo(self, QPoint(0, 0)))
        return [rect.translated(offset) for rect in self.row_rects()]

    def visible_rect(self) -> QRectF:
        """The part of the strip that shows thumbnails, in its coordinates."""
        return QRectF(self.viewport().geometry())

    def index_at(self, pos: QPointF) -> int | None:
        """The thumbnail at ``pos``, in the row's coordinates."""
        for i, rect in enumerate(self.row_rects()):
            if rect.contains(pos):
                return i
        return None

    @property
    def current(self) -> int:
        return self._current

    @current.setter
    def current(self, index: int) -> None:
        # The presenter moved: the new slide comes into view (a scroll of the
        # presenter's own stays until then).
        if index != self._current:
            self._current = index
            self.keep_in_view(index)

    def keep_in_view(self, index: int) -> None:
        """Scrolls so thumbnail ``index`` shows, with a neighbour either side
        where there is room: the next slide to tap is in view too."""
        rects = self.row_rects()
        if not 0 <= index < len(rects):
            return
        rect = rects[index]
        margin = min(rect.width() + THUMB_GAP,
                     max(0.0, (self.viewport().width() - rect.width()) / 2))
        self.ensureVisible(round(rect.center().x()), round(rect.center().y()),
                           round(rect.width() / 2 + margin), 0)

    # -- pictures -------------------------------------------------------------

    def invalidate(self) -> None:
        self._images.clear()
        self.layout_row()
        if self.isVisible():
            self._fill.start()
        self.row.update()

    def _render_one(self) -> None:
        rects = self.row_rects()
        missing = [i for i in range(self.count) if i not in self._images]
        if not missing or self.render_slide is None or not rects:
            self._fill.stop()
            return
        # The current slide first, then outwards from it.
        index = min(missing, key=lambda i: abs(i - self._current))
        self._images[index] = self.render_slide(
            index, (rects[index].size() * self.devicePixelRatioF()).toSize())
        self.row.update(rects[index].toAlignedRect().adjusted(-4, -4, 4, 4))

    def showEvent(self, event: QShowEvent) -> None:
        self._fill.start()
        super().showEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.invalidate()

    # -- input ----------------------------------------------------------------

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Either wheel direction moves the row: most mice only turn up and down."""
        pixels = event.pixelDelta()
        if not pixels.isNull():
            delta = pixels.x() if abs(pixels.x()) > abs(pixels.y()) else pixels.y()
        else:
            angle = event.angleDelta()
            notches = (angle.x() if abs(angle.x()) > abs(angle.y()) else angle.y()) / 120
            # A notch moves one thumbnail.
            delta = round(notches * (self.thumb_width + THUMB_GAP))
        bar = self.horizontalScrollBar()
        bar.setValue(bar.value() - delta)
        event.accept()

    def _scroller_moved(self, state: QScroller.State) -> None:
        # The scroller holds a finger's press back until it knows a tap from
        # a drag, so a tap may reach the row as a release alone: a press is
        # known by the scroller's state, and where the row was then.
        if state == QScroller.State.Pressed:
            self._pressed_at = self.horizontalScrollBar().value()
            # A tap that stops a flick only stops it.
            self._stopping = self._scroller_state == QScroller.State.Scrolling
        self._scroller_state = state

    def _press(self, at: QPointF) -> None:
        self._pressed = self.index_at(at)
        if self._scroller_state != QScroller.State.Pressed:
            self._pressed_at = self.horizontalScrollBar().value()
            self._stopping = False

    def _release(self, at: QPointF) -> None:
        index = self.index_at(at)
        dragged = self._stopping or abs(self.horizontalScrollBar().value()
                                        - self._pressed_at) > 2
        if index is not None and self._pressed in (None, index) and not dragged:
            self.chosen.emit(index)
        self._pressed = None
        self._stopping = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A tap on the row: handled here, and not again as the scroll area's.
        if watched is self.row and isinstance(event, QMouseEvent):
            if event.type() == QEvent.Type.MouseButtonPress:
                self._press(event.position())
                return True
            if event.type() == QEvent.Type.MouseButtonRelease:
                self._release(event.position())
                return True
        return super().eventFilter(watched, event)

    def event(self, event: QEvent) -> bool:
        # A press on the strip itself, as on its row (a scroll area leaves
        # its own mouse events unhandled). The viewport sits at the strip's
        # origin: its events and the strip's share coordinates.
        if isinstance(event, QMouseEvent) and event.type() in (
                QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            at = QPointF(self.row.mapFrom(self, event.position().toPoint()))
            if event.type() == QEvent.Type.MouseButtonPress:
                self._press(at)
            else:
                self._release(at)
            return True
        return super().event(event)

    # -- drawing --------------------------------------------------------------

    def paint_row(self, row: QWidget, event: QPaintEvent) -> None:
        p = QPainter(row)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        palette = look_of(self.parentWidget()).palette
        font = base_font(self.family, self.label_px, bold=True, locale=self._loc.locale)
        metrics = QFontMetricsF(font)
        p.setFont(font)
        dirty = QRectF(event.rect())
        for i, rect in enumerate(self.row_rects()):
            if not rect.adjusted(-4, -4, 4, 4).intersects(dirty):
                continue
            image = self._images.get(i)
            if image is None:
                p.fillRect(rect, palette.background_bottom)
            else:
                p.drawImage(rect, image)
            if self.route and i not in self.route:
                p.fillRect(rect, QColor(0, 0, 0, 150))
            number = str(i + 1)
            badge_h = metrics.height() * 1.1
            badge_w = max(badge_h * 1.3, metrics.horizontalAdvance(number) + badge_h * 0.6)
            badge = QRectF(rect.right() - badge_w, rect.bottom() - badge_h, badge_w, badge_h)
            p.fillRect(badge, palette.control_bar)
            p.setPen(palette.text)
            p.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), number)
            if i == self._current:
                p.setPen(QPen(palette.accent, 3.0))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5))
        p.end()
