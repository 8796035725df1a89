"""One slide on screen: paints its layout and hosts its chart widget."""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QHideEvent,
    QImage,
    QLinearGradient,
    QPaintEngine,
    QPainter,
    QPaintEvent,
    QPen,
    QRegion,
    QResizeEvent,
)
from PySide6.QtWidgets import QWidget

from taixin_kiosk.content.deck import MapSpec, Slide
from taixin_kiosk.core.language import Localizer
from taixin_kiosk.ui.focus import SlideItems
from taixin_kiosk.ui.images import ImageCache
from taixin_kiosk.ui.layout.build import build_layout
from taixin_kiosk.ui.layout.items import BarItem, IconItem, ImageItem, PanelItem, SlideLayout
from taixin_kiosk.ui.layout.text import unglued
from taixin_kiosk.ui.look import Look
from taixin_kiosk.ui.theme import Palette

if TYPE_CHECKING:
    from taixin_kiosk.ui.charts.view import ChartView

log = logging.getLogger("taixin_kiosk.ui")

# (width, height, language, subtitle language, text scale, chosen area, theme,
# low reach)
LayoutKey = tuple[int, int, str, str | None, float, str | None, str, bool, bool]
# Layouts a slide keeps: both text sizes in both languages, with and without
# subtitles, at one size (and one chosen area), without holding every size a
# resized window passed through.
LAYOUTS_KEPT = 8


def _mask(palette: Palette, opacity: float) -> QColor:
    """A colour for CompositionMode_DestinationIn: only its alpha counts."""
    colour = palette.background_top.toRgb()
    colour.setAlphaF(opacity)
    return colour


def paint_background(painter: QPainter, rect: QRectF, palette: Palette,
                     area: QRectF | None = None) -> None:
    """The slide's gradient in ``palette`` over ``rect``; only its ``area``
    part when given."""
    gradient = QLinearGradient(rect.topLeft(), rect.bottomRight())
    gradient.setColorAt(0.0, palette.background_top)
    gradient.setColorAt(1.0, palette.background_bottom)
    painter.fillRect(rect if area is None else area, gradient)


# The picture veil's resolution against the screen's (see SlideView._veil_layer).
VEIL_SCALE = 0.25


class _Inactive(QObject):
    """Keeps a chart's scene from being activated and deactivated with its
    window (see SlideView.ensure_chart)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return event.type() in (QEvent.Type.WindowActivate, QEvent.Type.WindowDeactivate)


class Ready(NamedTuple):
    """A slide's own paint drawn ahead of time, and what it was drawn from.

    The paint depends on the layout (every text, panel and place, made for
    one size, language pair, text scale, chosen area, theme and reach), the
    palette, the pictures decoded so far and the device pixel ratio; the
    picture is shown only while all of them are the ones it was drawn from.
    A layout is never changed once built, and a slide keeps the same layout
    object for the same key, so comparing the object itself is exact.
    """

    image: QImage
    layout: SlideLayout
    palette: Palette
    ratio: float
    pictures: int


class SlideView(QWidget):
    """Paints one slide at its current size, in the current language and in
    the look it was given (``restyle``).

    ``painted`` is emitted after every paint; the benchmark and tests use it
    to know the slide is really on screen.
    """

    painted = Signal(int)

    def __init__(self, slide: Slide, index: int, localizer: Localizer, family: str,
                 images: ImageCache, parent: QWidget | None = None, *,
                 look: Look) -> None:
        super().__init__(parent)
        self.slide = slide
        self.index = index
        self._loc = localizer
        self._family = family
        self._picture_cache = images
        self._layout: SlideLayout | None = None
        # What the layout was built for (size, languages, chosen area, and the
        # look's theme, text scale and reach): a slide measured before a
        # toggle is never shown with the old lines. The last few are kept, so
        # toggling large text, subtitles or the language back shows the
        # earlier layout at once.
        self._layout_key: LayoutKey | None = None
        self._layouts: dict[LayoutKey, SlideLayout] = {}
        self._chart: ChartView | None = None
        self.selected_area: str | None = None
        # Set when the language or the look changed while this slide was off
        # screen: laid out again when next shown.
        self.stale = False
        self._chart_failed = False
        # The veil over the cover's picture, kept while its place and colours
        # hold: it is one picture, not worth redrawing on every paint.
        self._veil: tuple[tuple[object, ...], QImage] | None = None
        # Theme, large text and low reach (set by the stage, see restyle).
        self.look = look
        # Its paint drawn ahead of time (``prepare``), shown by the next paint
        # while it is still what the slide shows; pictures decoded so far.
        self._ready: Ready | None = None
        self._pictures = 0
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setObjectName(f"slide-{slide.id}")
        images.loaded.connect(self._on_images_loaded)
        # Its name and description for screen readers, and keyboard stand-ins
        # for its map areas and chart marks.
        self.access = SlideItems(self, localizer)

    # -- state --------------------------------------------------------------

    @property
    def layout_items(self) -> SlideLayout:
        """The layout at the current size and language, computed when needed.

        Laying out is deferred to here (the paint, a test, an export) so a
        slide is measured once at its final size, not at every intermediate
        size and language it passes through on the way.
        """
        loc, look = self._loc, self.look
        key = (self.width(), self.height(), loc.locale, loc.subtitle_locale, look.text_scale,
               self.selected_area, look.theme, look.low_reach, look.seated)
        if self._layout is None or key != self._layout_key:
            layout = self._layouts.get(key)
            if layout is None:
                second = loc.subtitle_locale
                layout = build_layout(
                    self.slide, self.width(), self.height(), self._family, loc.text,
                    self.selected_area,
                    second=partial(loc.text_in, second) if second is not None else None,
                    second_locale=second or "", text_scale=look.text_scale,
                    low_reach=look.low_reach, palette=look.palette, locale=loc.locale,
                    seated=look.seated)
                if len(self._layouts) >= LAYOUTS_KEPT:
                    del self._layouts[next(iter(self._layouts))]
                self._layouts[key] = layout
            self._layout = layout
            self._layout_key = key
            self._place_chart()
        return self._layout

    @property
    def chart(self) -> ChartView | None:
        return self._chart

    def relayout(self) -> None:
        """Drops the layout; it is rebuilt on next use (``layout_items``)."""
        self._layout = None
        self.update()
        if self._chart is not None:
            # The chart is a child widget: it must move now, not at next paint.
            _ = self.layout_items
        self.access.schedule()

    def retranslate(self) -> None:
        """The language or the subtitles changed: laid out again in them now."""
        self.refresh()

    def restyle(self, look: Look, *, now: bool = True) -> None:
        """Takes ``look``; when it lays slides out otherwise than the last one,
        laid out again with it now, or (not ``now``: off screen) when next
        shown."""
        old, self.look = self.look, look
        if self._chart is not None:
            # Kept for whenever the chart is built next (at a new size too).
            self._chart.look = look
        if look.lays_out_like(old):
            return
        if now:
            self.refresh()
        else:
            self.stale = True

    def refresh(self) -> None:
        """Laid out again now, in the current language and look: the layout,
        the chart's labels and colours, the names screen readers say."""
        self.stale = False
        self.relayout()
        if self._chart is not None:
            self._chart.retranslate()
        self.access.describe()

    def ensure_chart(self) -> None:
        """Builds the chart on first need (its modules, and pyqtgraph for the
        kinds drawn with it, load lazily: see ui/charts/kit.py).

        If the chart cannot be built (a broken install, say), the slide still
        shows its text and the empty chart panel: never a blank screen.
        """
        if self._chart is not None or self.slide.chart is None or self._chart_failed:
            return
        try:
            from taixin_kiosk.ui.charts.view import ChartView

            self._chart = ChartView(self.slide.chart, self._loc, self._family, self,
                                    look=self.look)
        except Exception:
            log.exception("chart of slide %s could not be built", self.slide.id)
            self._chart_failed = True
            return
        # Qt activates a scene's items when its view is shown and deactivates
        # them when it is hidden, and the chart's text repaints for that: a
        # second frame after every switch to a chart slide. The chart takes no
        # focus and no typing, so activation changes nothing it shows.
        scene = self._chart.plot.scene()
        scene.installEventFilter(_Inactive(scene))
        self._place_chart()
        if self._layout is None:
            _ = self.layout_items
        self._chart.show()

    def _place_chart(self) -> None:
        if self._chart is None or self._layout is None or self._layout.chart_rect is None:
            return
        self._chart.text_scale = self.look.text_scale
        self._chart.place(self._layout.chart_rect.toAlignedRect(),
                          min(self.width(), self.height()) / 1000.0)

    def reset_interaction(self) -> None:
        """Back to how the slide first looks: no area chosen, no value shown."""
        self.select_area(None)
        if self._chart is not None:
            self._chart.select(None)

    def select_area(self, area_id: str | None) -> None:
        if area_id == self.selected_area:
            return
        self.selected_area = area_id
        self.relayout()
        self.update()

    def _on_images_loaded(self, path: str) -> None:
        # Any picture decoded makes a picture drawn before it out of date.
        self._pictures += 1
        if path in (str(self.slide.image), str(self.slide.emblem)):
            self.update()

    # -- input --------------------------------------------------------------

    def handle_tap(self, pos: QPointF) -> bool:
        """A tap or click at ``pos`` (widget coordinates). True if it did something."""
        layout = self.layout_items
        for spots in (layout.hotspots, layout.panel_rows):
            for area_id, rect in spots.items():
                if rect.contains(pos):
                    self.select_area(area_id)
                    return True
        if self._chart is not None and self._chart.geometry().contains(pos.toPoint()):
            return self._chart.handle_tap(pos - QPointF(self._chart.pos()))
        return False

    # -- painting -----------------------------------------------------------

    def hideEvent(self, event: QHideEvent) -> None:
        # The picture veil is a screen-sized image: kept only while the slide
        # shows (memory stayed up by megabytes with the cover and the last slide).
        self._veil = None
        super().hideEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.relayout()
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(1280, 720)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            ready = self.ready_picture()
            if ready is None:
                self.paint(painter)
            else:
                # Same pixel ratio, no transform: a plain copy (the chart, a
                # child widget, paints itself over it as over a live paint).
                painter.drawImage(QPointF(0, 0), ready)
        finally:
            painter.end()
        self.painted.emit(self.index)

    # -- drawn ahead ----------------------------------------------------------

    def prepare(self, buffer: QImage | None = None) -> None:
        """Draws its own paint (not the chart's: a child widget) into
        ``buffer``, or a new image when that is missing or of another size,
        for the next paint to show at once."""
        ratio = self.devicePixelRatioF()
        size = self.size() * ratio
        if buffer is None or buffer.size() != size:
            # Opaque (the slide's ground covers it all): drawn on the window's
            # backing store as a plain copy, with no blending.
            buffer = QImage(size, QImage.Format.Format_RGB32)
        buffer.setDevicePixelRatio(ratio)
        layout = self.layout_items
        painter = QPainter(buffer)
        try:
            self.paint(painter)
        finally:
            painter.end()
        self._ready = Ready(buffer, layout, self.look.palette, ratio, self._pictures)
        self._settle_chart()

    def _settle_chart(self) -> None:
        """Has the hidden chart do now what its first paint on screen would:
        take its size (a hidden widget's resize events wait for its showing)
        and lay its items out (pyqtgraph does that just before it paints, and
        paints again when that moved anything): shown, it is done in one frame."""
        if self._chart is None:
            return
        # One pixel's paint: what matters is what comes before it.
        self._chart.render(QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied), QPoint(),
                           QRegion(0, 0, 1, 1))

    def ready_picture(self) -> QImage | None:
        """The picture drawn ahead, if it is what the slide shows now."""
        ready = self._ready
        if ready is None or self.stale:
            return None
        ratio = self.devicePixelRatioF()
        if (ready.ratio != ratio or ready.image.size() != self.size() * ratio
                or ready.palette != self.look.palette or ready.pictures != self._pictures
                or ready.layout is not self.layout_items):
            return None
        return ready.image

    def take_picture(self) -> QImage | None:
        """Gives up the picture drawn ahead (its memory, for another slide's)."""
        ready, self._ready = self._ready, None
        return ready.image if ready is not None else None

    def paint(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        layout = self.layout_items
        palette = self.look.palette
        paint_background(painter, QRectF(self.rect()), palette)
        for item in layout.decor:
            if isinstance(item, ImageItem):
                self._paint_image(painter, item)
            elif isinstance(item, PanelItem):
                painter.setPen(QPen(item.edge, item.edge_width) if item.edge
                               else Qt.PenStyle.NoPen)
                painter.setBrush(QBrush(item.fill))
                painter.drawRoundedRect(item.rect, item.radius, item.radius)
            elif isinstance(item, IconItem):
                # Loaded with the first icon (the cover, shown first, has none).
                from taixin_kiosk.ui.icons import paint_icon

                paint_icon(painter, item.name, item.rect, item.color)
            elif isinstance(item, BarItem):
                painter.fillRect(item.rect, item.color)
        if self.slide.map is not None and layout.map_rect is not None:
            paint_map(painter, self.slide.map, layout.map_rect, self.selected_area,
                      min(self.width(), self.height()) / 1000.0, palette,
                      numbered=layout.map_numbered)
        engine = painter.paintEngine()
        pdf = engine is not None and engine.type() == QPaintEngine.Type.Pdf
        for text in layout.texts:
            if text.backing is not None:
                # A map label's plate: the map's modules load with the first
                # map slide, not on the way to the first slide.
                from taixin_kiosk.ui.layout.map_labels import PLATE_PAD

                pad = text.font.pixelSize() * PLATE_PAD
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QBrush(text.backing))
                painter.drawRoundedRect(text.rect.adjusted(-pad, -pad * 0.4, pad, pad * 0.4),
                                        pad, pad)
            lines = [(text.first_rect(), text.font, text.color, text.shown)]
            if text.second_text:
                lines.append((text.second_rect(), text.second_font, text.second_color,
                              text.second_shown))
            for rect, font, color, shown in lines:
                painter.setFont(font)
                painter.setPen(color)
                painter.drawText(rect, text.flags,
                                 unglued(shown, font, rect.width()) if pdf else shown)

    def _paint_image(self, painter: QPainter, item: ImageItem) -> None:
        picture = self._picture_cache.get(item.path)
        if picture is None or picture.isNull():
            return
        size = picture.size().toSizeF()
        box = item.rect
        if item.mode == "fill-right":
            scale = max(box.width() / size.width(), box.height() / size.height())
        else:
            scale = min(box.width() / size.width(), box.height() / size.height())
        w, h = size.width() * scale, size.height() * scale
        x = box.right() - w if item.mode == "fill-right" else box.center().x() - w / 2
        target = QRectF(x, box.center().y() - h / 2, w, h)
        painter.save()
        # No clip: an illustration fades out at its own left edge, and a hard
        # clip there would draw a visible seam.
        painter.setOpacity(item.opacity)
        painter.drawImage(target, picture, QRectF(picture.rect()))
        painter.restore()
        if item.mode == "fill-right":
            self._veil_under_text(painter, target)

    def _veil_under_text(self, painter: QPainter, picture: QRectF) -> None:
        """Lays the slide's ground back over a picture where text is read on it.

        Where the screen's shape moves bright parts of an illustration (the
        cover's river, its glow) under the text, the text would lose its
        contrast (tests/test_contrast.py measures it in pixels). Only the
        part of the picture behind the text's lines is hidden, from the
        picture's left edge to the text's right end; around that it fades in,
        so the rest of the picture (all of it when the text ends above it, as
        on a tall screen) stays in view.
        """
        layout = self._layout
        if layout is None:
            return
        text_box: QRectF | None = None
        for text in layout.texts:
            lines = [(text.first_rect(), text.font, text.shown)]
            if text.second_text:
                lines.append((text.second_rect(), text.second_font, text.second_shown))
            for rect, font, content in lines:
                ink = QFontMetricsF(font).boundingRect(rect, text.flags, content)
                pad = font.pixelSize() * 0.5
                ink.adjust(-pad, -pad, pad, pad)
                # The line's box may reach over the picture where its glyphs do not.
                if ink.intersects(picture):
                    text_box = ink if text_box is None else text_box.united(ink)
        if text_box is None:
            return
        whole = QRectF(self.rect())
        across = max(1.0, round(whole.width() * 0.08))
        down = max(1.0, round(whole.height() * 0.06))
        reach = QRectF(picture.left(), text_box.top() - down,
                       text_box.right() + across - picture.left(),
                       text_box.height() + 2 * down)
        area = reach.intersected(picture).intersected(whole).toAlignedRect()
        if area.isEmpty():
            return
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        palette = self.look.palette
        key = (area.x(), area.y(), area.width(), area.height(), ratio, text_box.getRect(),
               across, down, whole.width(), whole.height(),
               palette.background_top.name(), palette.background_bottom.name())
        if self._veil is None or self._veil[0] != key:
            self._veil = (key, self._veil_layer(area, ratio, whole, text_box, across, down,
                                                palette))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRectF(area), self._veil[1])
        painter.restore()

    @staticmethod
    def _veil_layer(area: QRect, ratio: float, whole: QRectF, text_box: QRectF,
                    across: float, down: float, palette: Palette) -> QImage:
        """The slide's ground over ``area``, opaque behind ``text_box`` and
        fading to nothing ``across`` to its right and ``down`` above and
        below it (one picture, so the two fades meet without seams)."""
        # A quarter of the screen's resolution: the veil is only gradients, and
        # drawn scaled up it looks the same at a sixteenth of the memory.
        ratio *= VEIL_SCALE
        layer = QImage(max(1, round(area.width() * ratio)), max(1, round(area.height() * ratio)),
                       QImage.Format.Format_ARGB32_Premultiplied)
        layer.setDevicePixelRatio(ratio)
        layer.fill(0)  # transparent
        p = QPainter(layer)
        p.translate(-area.x(), -area.y())
        paint_background(p, whole, palette, QRectF(area))
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationIn)
        sideways = QLinearGradient(text_box.right(), 0, text_box.right() + across, 0)
        sideways.setColorAt(0.0, _mask(palette, 1.0))
        sideways.setColorAt(1.0, _mask(palette, 0.0))
        p.fillRect(QRectF(area), sideways)
        top, bottom = text_box.top() - down, text_box.bottom() + down
        upright = QLinearGradient(0, top, 0, bottom)
        span = bottom - top
        upright.setColorAt(0.0, _mask(palette, 0.0))
        upright.setColorAt(down / span, _mask(palette, 1.0))
        upright.setColorAt(1.0 - down / span, _mask(palette, 1.0))
        upright.setColorAt(1.0, _mask(palette, 0.0))
        p.fillRect(QRectF(area), upright)
        p.end()
        return layer


def paint_map(painter: QPainter, spec: MapSpec, box: QRectF, selected: str | None,
              unit: float, palette: Palette, *, numbered: bool = False) -> None:
    """The schematic map in ``palette``: county outline, cities, corridor and
    tappable areas (``numbered``: each area's dot at its chosen size, which
    the labels keep clear of, as a marker for the number the layout sets on
    it: a disc of the labels' plate colour ringed in the areas' colour)."""

    def at(x: float, y: float) -> QPointF:
        return QPointF(box.left() + x * box.width(), box.top() + y * box.height())

    painter.save()
    county = spec.county
    centre = at(county.x, county.y)
    rx, ry = county.rx * box.width(), county.ry * box.height()
    painter.setBrush(QBrush(palette.map_area))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(centre, rx, ry)
    outline = QPen(palette.accent_2, 3 * unit, Qt.PenStyle.DashLine)
    painter.setPen(outline)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(centre, rx, ry)

    from taixin_kiosk.content.map_fit import map_shapes

    # The shapes the labels were placed around (content.map_fit), so the
    # lines drawn are the lines they avoid.
    shapes = map_shapes(spec, box.left(), box.top(), box.width(), box.height(), unit)
    link = QPen(palette.text_muted, 2.5 * unit, Qt.PenStyle.DotLine)
    painter.setPen(link)
    for target, edge in shapes.links:
        painter.drawLine(QPointF(*target), QPointF(*edge))

    if shapes.arrow:
        pen = QPen(palette.accent, 5 * unit, Qt.PenStyle.DashLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        (start, end), *head = shapes.arrow
        painter.drawLine(QPointF(*start), QPointF(*end))
        pen.setStyle(Qt.PenStyle.SolidLine)
        painter.setPen(pen)
        for stroke in head:
            painter.drawLine(QPointF(*stroke[0]), QPointF(*stroke[1]))

    dot = 15 * unit
    for place in spec.places:
        p = at(place.x, place.y)
        if place.kind == "city":
            painter.setPen(QPen(palette.accent, 4 * unit))
            painter.setBrush(QBrush(palette.background_top))
            painter.drawEllipse(p, dot, dot)
            painter.setBrush(QBrush(palette.accent))
            painter.drawEllipse(p, dot * 0.45, dot * 0.45)

    for area in spec.areas:
        p = at(area.x, area.y)
        chosen = area.id == selected
        colour = palette.accent if chosen else palette.accent_2
        if numbered:
            painter.setPen(QPen(colour, (5 if chosen else 4) * unit))
            painter.setBrush(QBrush(palette.map_label))
            r = dot * 1.35
        else:
            painter.setPen(QPen(palette.text, (5 if chosen else 3) * unit))
            painter.setBrush(QBrush(colour))
            r = dot * (1.35 if chosen else 1.1)
        painter.drawEllipse(p, r, r)
    painter.restore()


