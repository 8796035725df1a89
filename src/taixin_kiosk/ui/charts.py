"""Charts drawn with pyqtgraph from deck.json data: one factory for every kind.

This module is imported only when a chart is first needed, so pyqtgraph and
numpy stay off the start-up path. Every chart is locked for touch use (no
menu, no pan or zoom, no auto-range button); a tap shows a value. All labels
are rebuilt on ``retranslate`` from the catalogue, with the language's number
format.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRect, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QResizeEvent,
    QTextOption,
)
from PySide6.QtWidgets import QGraphicsView, QVBoxLayout, QWidget

from taixin_kiosk.content.deck import Chart
from taixin_kiosk.core.language import Localizer
from taixin_kiosk.ui.theme import PALETTE, base_font

log = logging.getLogger("taixin_kiosk.charts")

_configured = False


def configure_pyqtgraph() -> None:
    """Global pyqtgraph options, set once before the first plot exists."""
    global _configured
    if _configured:
        return
    pg.setConfigOptions(antialias=True, background=None, foreground=PALETTE.text_muted,
                        useNumba=False)
    _configured = True


@dataclass
class _Mark:
    """A tappable data mark: where it is (data coords) and what it reads."""

    x: float
    y: float
    label: str
    value: str
    # Half-extent of the hit box in data units along x and y.
    hx: float
    hy: float


class _AxisItem(pg.AxisItem):  # type: ignore[misc]
    """An axis whose numeric tick labels follow the language's number format."""

    def __init__(self, orientation: str, localizer: Localizer, decimals: int = 0) -> None:
        super().__init__(orientation)
        self._loc = localizer
        self._decimals = decimals

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        # Enough decimals to tell neighbouring ticks apart (0.5 steps need one).
        step = abs(spacing * scale)
        needed = 0 if step >= 1 or step <= 0 else min(4, math.ceil(-math.log10(step) + 1e-9))
        decimals = max(needed, self._decimals if step < 1 else 0)
        return [self._loc.number(v * scale, decimals) for v in values]


class _Plot(pg.GraphicsLayout):  # type: ignore[misc]
    """A view box with a left and a bottom axis.

    pyqtgraph's PlotItem builds option menus and a form of controls for every
    plot, which a locked kiosk chart never shows and which cost a few MB each;
    these are the only parts a chart here uses.
    """

    def __init__(self, left: pg.AxisItem, bottom: pg.AxisItem) -> None:
        super().__init__()
        self.view_box = pg.ViewBox(enableMenu=False)
        self.view_box.setMouseEnabled(x=False, y=False)
        self.axes = {"left": left, "bottom": bottom}
        for axis in self.axes.values():
            axis.linkToView(self.view_box)
        self.addItem(left, row=0, col=0)
        self.addItem(self.view_box, row=0, col=1)
        self.addItem(bottom, row=1, col=1)

    def add(self, item: pg.GraphicsObject) -> None:
        self.view_box.addItem(item)

    def remove(self, item: pg.GraphicsObject) -> None:
        self.view_box.removeItem(item)

    def clear_items(self) -> None:
        self.view_box.clear()

    def axis(self, name: str) -> pg.AxisItem:
        return self.axes[name]


class ChartView(QWidget):
    """A locked pyqtgraph plot for one chart spec, rebuilt on language change."""

    def __init__(self, spec: Chart, localizer: Localizer, family: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        configure_pyqtgraph()
        self.spec = spec
        self._loc = localizer
        self._family = family
        self._unit = 1.0
        self._marks: list[_Mark] = []
        self._callout: pg.TextItem | None = None
        self._texts: list[pg.TextItem] = []
        self.selected: int | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.plot = pg.GraphicsView(parent=self, background=None)
        # The default background cache is a viewport-sized pixmap per chart.
        self.plot.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        self.plot.setStyleSheet("background: transparent; border: none;")
        self.plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.item = _Plot(_AxisItem("left", localizer, spec.decimals),
                          _AxisItem("bottom", localizer, spec.decimals))
        self.plot.setCentralItem(self.item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        # Large text: the slide's body text multiple (set by the slide view).
        self.text_scale = 1.0
        # How much larger than normal the chart's text is drawn (see rebuild).
        self._grow = 1.0
        self._approx: pg.TextItem | None = None
        self._legend: list[tuple[pg.TextItem, Callable[[float, float, float],
                                                       pg.GraphicsObject]]] = []
        self._bottom_h = 0
        # Whether bars run across (see rebuild: large text may turn them).
        self._horizontal = spec.orientation == "horizontal"
        # What the labels were last built for (see _build_key); None until placed.
        self._built_for: tuple[int, int, float, float] | None = None

    # -- public -------------------------------------------------------------

    def place(self, rect: QRect, unit: float) -> None:
        """Puts the chart in ``rect`` with type ``unit``; builds its items once.

        Labels are sized from the width and the unit, so they are built here
        when either changed, and not again when a hidden chart is first shown.
        """
        self._unit = unit
        self.setGeometry(rect)
        self._rebuild_if_stale()

    def _build_key(self) -> tuple[int, int, float, float]:
        # Labels are laid out in pixels: a new size, unit or text scale redoes them.
        return self.width(), self.height(), round(self._unit, 3), self.text_scale

    def _rebuild_if_stale(self) -> None:
        if self._built_for != self._build_key():
            self.rebuild()

    def retranslate(self) -> None:
        self.rebuild()

    def handle_tap(self, pos: QPointF) -> bool:
        """Shows the value of the bar or point under ``pos`` (widget coords)."""
        vb = self.item.view_box
        # QGraphicsView's own mapping: PlotWidget forwards mapToScene and
        # mapFromScene to its PlotItem, which maps into item coordinates.
        scene_pos = QGraphicsView.mapToScene(self.plot, self.plot.mapFrom(self, pos.toPoint()))
        if not vb.sceneBoundingRect().contains(scene_pos):
            return False
        data = vb.mapSceneToView(scene_pos)
        for i, mark in enumerate(self._marks):
            if abs(data.x() - mark.x) <= mark.hx and abs(data.y() - mark.y) <= mark.hy:
                self.select(i)
                return True
        if self.selected is not None:  # a tap beside the marks puts the value away
            self.select(None)
            return True
        return False

    def select(self, index: int | None) -> None:
        self.selected = index
        self._show_callout()

    def callout_text(self) -> str | None:
        return None if self._callout is None else self._callout.toPlainText()

    def mark_position(self, index: int) -> QPointF:
        """Where mark ``index`` is drawn, in this widget's coordinates."""
        mark = self._marks[index]
        scene = self.item.view_box.mapViewToScene(QPointF(mark.x, mark.y))
        return QPointF(self.plot.mapTo(self, QGraphicsView.mapFromScene(self.plot, scene)))

    def mark_count(self) -> int:
        """How many tappable marks the chart has (bars, points, share rows)."""
        return len(self._marks)

    def mark_text(self, index: int) -> str:
        """What a tap on mark ``index`` shows, as a screen reader says it."""
        mark = self._marks[index]
        return self._loc.text("ui.chart.tap_value", label=mark.label, value=mark.value)

    def mark_rect(self, index: int) -> QRectF:
        """Where mark ``index`` is drawn (the bar, the share's bar, the point),
        in this widget's coordinates: keyboard focus rings it."""
        mark = self._marks[index]
        vb = self.item.view_box
        kind, horizontal = self.spec.kind, self._horizontal
        if kind in ("line", "timeline"):
            centre = self.mark_position(index)
            half = max(8.0, (22 if kind == "line" else 30) * self._unit) / 2
            return QRectF(centre.x() - half, centre.y() - half, 2 * half, 2 * half)
        if kind == "bar" and horizontal:  # the bar runs from 0 to twice the mark's x
            x0, x1, y0, y1 = 0.0, 2 * mark.x, mark.y - mark.hy * 0.9, mark.y + mark.hy * 0.9
        elif kind == "bar":
            x0, x1, y0, y1 = mark.x - mark.hx * 0.9, mark.x + mark.hx * 0.9, 0.0, 2 * mark.y
        else:  # share: the whole row's bar
            x0, x1, y0, y1 = 0.0, 1.0, mark.y - 0.17, mark.y + 0.17
        corners = [self._to_widget_point(vb.mapViewToScene(QPointF(x, y)))
                   for x, y in ((x0, y0), (x1, y1))]
        return QRectF(corners[0], corners[1]).normalized()

    def axis_label_boxes(self) -> list[tuple[str, QRectF, QRectF]]:
        """Each explicit bottom-axis tick label, the box it needs and the axis's
        box, in this widget's coordinates (for fit tests: pyqtgraph silently
        drops or clips labels that do not fit)."""
        axis = self.item.axis("bottom")
        if not axis.isVisible() or not axis._tickLevels:
            return []
        metrics = QFontMetricsF(self._font(22))
        offset = max(4, round(10 * self._unit * self._grow))
        area = self._to_widget(axis.mapRectToScene(axis.boundingRect()))
        boxes = []
        for x, text in axis._tickLevels[0]:
            centre = self._to_widget_point(self.item.view_box.mapViewToScene(QPointF(x, 0)))
            width, height = metrics.horizontalAdvance(text), metrics.height()
            boxes.append((text, QRectF(centre.x() - width / 2, area.top() + offset, width, height),
                          area))
        return boxes

    def _to_widget(self, scene_rect: QRectF) -> QRectF:
        view_rect = QGraphicsView.mapFromScene(self.plot, scene_rect).boundingRect()
        top_left = self.plot.mapTo(self, view_rect.topLeft())
        return QRectF(top_left.x(), top_left.y(), view_rect.width(), view_rect.height())

    def _to_widget_point(self, scene_point: QPointF) -> QPointF:
        return QPointF(self.plot.mapTo(self, QGraphicsView.mapFromScene(self.plot, scene_point)))

    def text_boxes(self) -> list[tuple[str, QRectF]]:
        """Every label's text and its box in this widget's coordinates (for fit tests)."""
        boxes = []
        for item in [*self._texts, *([self._callout] if self._callout else [])]:
            scene_rect = item.mapRectToScene(item.boundingRect())
            view_rect = QGraphicsView.mapFromScene(self.plot, scene_rect).boundingRect()
            top_left = self.plot.mapTo(self, view_rect.topLeft())
            boxes.append((item.toPlainText(), QRectF(top_left.x(), top_left.y(),
                                                      view_rect.width(), view_rect.height())))
        return boxes

    # -- building -----------------------------------------------------------

    def _font(self, px: float, bold: bool = False) -> QFont:
        return base_font(self._family, max(9.0, px * self._unit * self._grow), bold)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._built_for is not None:  # before place() there is nothing to redo
            self._rebuild_if_stale()

    def _text(self, text: str, x: float, y: float, anchor: tuple[float, float], *,
              color: QColor | None = None, px: float = 24, bold: bool = False,
              width: float | None = None,
              align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignHCenter) -> pg.TextItem:
        item = pg.TextItem(text, color=color or PALETTE.text, anchor=anchor)
        item.setFont(self._font(px, bold))
        if width is not None:
            item.setTextWidth(max(1.0, width))
            item.textItem.document().setDefaultTextOption(_wrapped(align))
        item.setPos(x, y)
        self.item.add(item)
        self._texts.append(item)
        return item

    def _gap(self) -> float:
        return 6 * self._unit * self._grow

    def _plot_area(self, left: float = 0.0, bottom: float = 0.0) -> tuple[float, float]:
        """The view box's size in pixels with a left axis ``left`` wide and a
        bottom axis ``bottom`` tall (0: hidden), as the plot's layout makes it:
        labels are laid out in pixels before the layout has run."""
        grid = self.item.layout
        ml, mt, mr, mb = grid.getContentsMargins()
        w = self.width() - ml - mr - (left + grid.horizontalSpacing() if left else 0.0)
        h = self.height() - mt - mb - (bottom + grid.verticalSpacing() if bottom else 0.0)
        return max(1.0, w), max(1.0, h)

    def _top_reserve(self) -> float:
        """Pixels kept free at the top of the plot for the "approximate" tag
        and a legend, which share one row (the tag right, the legend left)."""
        heights = [_size(t).height() for t in (self._approx, *self._legend_texts()) if t]
        return max(heights, default=-self._gap()) + self._gap()

    def _legend_texts(self) -> list[pg.TextItem]:
        return [text for text, _ in self._legend]

    def _style_axes(self) -> None:
        font = self._font(22)
        offset = max(4, round(10 * self._unit * self._grow))
        line = QFontMetricsF(font).height()
        for name in ("left", "bottom"):
            axis = self.item.axis(name)
            axis.setTickFont(font)
            axis.setTextPen(pg.mkPen(PALETTE.text_muted))
            axis.setPen(pg.mkPen(PALETTE.axis, width=1))
            axis.setStyle(tickTextOffset=offset)
            axis.show()
        # pyqtgraph sizes the bottom axis for its default font: with a larger
        # tick font the descenders ("day", "year") would be cut off.
        self._bottom_h = math.ceil(line + offset + 8 * self._unit)
        self.item.axis("bottom").setHeight(self._bottom_h)

    def rebuild(self) -> None:
        """Builds every item again, in the current language and colours.

        With large text, the chart's text grows as far as its box allows:
        the whole growth first, then less in quarters, down to none.
        """
        self._built_for = self._build_key()
        # Axes and anything else left to pyqtgraph's defaults follow the theme.
        pg.setConfigOption("foreground", PALETTE.text_muted)
        shares = _GROWTH_SHARES if self.text_scale > 1.0 else (0.0,)
        spec_horizontal = self.spec.orientation == "horizontal"
        # Large text: category names under upright bars get a slot each, too
        # narrow for a long word at twice its size; across, a name has its
        # own row. So a bar chart may turn before its text gives up growth.
        turns = (spec_horizontal, True) if (
            self.spec.kind == "bar" and not spec_horizontal and self.text_scale > 1.0
        ) else (spec_horizontal,)
        done = False
        for share in shares:
            self._grow = 1.0 + (self.text_scale - 1.0) * share
            for horizontal in turns:
                self._horizontal = horizontal
                if self._build():
                    done = True
                    break
            if done:
                break
        else:  # nothing fits: the usual size and orientation, as well as it can be
            if self._horizontal != spec_horizontal:
                self._horizontal = spec_horizontal
                self._build()
        self._show_callout()

    def _build(self) -> bool:
        """One build at the current text size; False if its text did not fit."""
        self.item.clear_items()
        self._texts = []
        self._marks = []
        self._callout = None
        self._approx = None
        self._legend = []
        self._style_axes()
        if self.spec.approximate:
            self._approx = self._text(self._loc.text("ui.chart.approximate"), 0, 0, (1, 0),
                                      color=PALETTE.accent, px=22)
        try:
            fits = bool(getattr(self, f"_build_{self.spec.kind}")())
        except Exception:  # a chart must never take the slide down with it
            log.exception("chart %s could not be drawn", self.spec.title)
            return True
        if self._approx is not None:
            (_, x1), (_, y1) = self.item.view_box.viewRange()
            self._approx.setPos(x1, y1)
        return fits

    def _lock_range(self, x: tuple[float, float], y: tuple[float, float]) -> None:
        vb = self.item.view_box
        # Limits first: the last build's limits would clamp the new range.
        vb.setLimits(xMin=x[0], xMax=x[1], yMin=y[0], yMax=y[1])
        vb.setRange(xRange=x, yRange=y, padding=0)

    def _value(self, v: float) -> str:
        return self._loc.value(v, self.spec.decimals, self.spec.unit)

    def _series_legend(self, samples: Sequence[Callable[[float, float, float],
                                                        pg.GraphicsObject]]) -> None:
        """Names the series (more than one) in a row at the top left, each after
        a sample of its mark: ``samples`` draw one at (x, y) in a box ``side``
        pixels wide once the range is known."""
        if len(self.spec.series) < 2:
            return
        for s, sample in zip(self.spec.series, samples, strict=True):
            text = self._text(self._loc.text(s.name), 0, 0, (0, 0), px=22,
                              color=PALETTE.text_muted)
            self._legend.append((text, sample))

    def _place_legend(self, view: tuple[float, float]) -> bool:
        """Puts the legend where ``_top_reserve`` kept room; False if it is
        wider than the plot."""
        if not self._legend:
            return True
        (x0, x1), (_, y1) = self.item.view_box.viewRange()
        sx = view[0] / ((x1 - x0) or 1)
        sy = view[1] / ((y1 - self.item.view_box.viewRange()[1][0]) or 1)
        x, gap = 0.0, self._gap()
        for text, sample in self._legend:
            side = _size(text).height() * 0.6
            centre_y = y1 - (_size(text).height() / 2) / sy
            self.item.add(sample(x0 + (x + side / 2) / sx, centre_y, side))
            x += side + gap
            text.setPos(x0 + x / sx, y1)
            x += _size(text).width() + 3 * gap
        approx = _size(self._approx).width() if self._approx is not None else 0.0
        return x - 3 * gap + approx + gap <= view[0]

    def _build_bar(self) -> bool:
        spec, loc = self.spec, self._loc
        item = self.item
        n = len(spec.categories)
        series = spec.series
        width = 0.7 / max(1, len(series))
        top = max((max(s.values, default=0) for s in series), default=1) or 1
        horizontal = self._horizontal
        brushes = [_series_brush(k) for k in range(len(series))]
        self._series_legend([partial(_bar_sample, brush) for brush in brushes])
        gap = self._gap()
        # Turned by large text, the first category stays on top, where it
        # is read first (it was on the left).
        turned = horizontal and spec.orientation != "horizontal"
        slots = [n - 1 - i if turned else i for i in range(n)]
        values: list[tuple[pg.TextItem, float, float]] = []
        for k, s in enumerate(series):
            offset = (k - (len(series) - 1) / 2) * width
            xs = [slot + offset for slot in slots]
            brush, pen = brushes[k]
            if horizontal:
                bars = pg.BarGraphItem(x0=0, y=xs, height=width * 0.9, width=list(s.values),
                                       brush=brush, pen=pen)
            else:
                bars = pg.BarGraphItem(x=xs, height=list(s.values), width=width * 0.9,
                                       brush=brush, pen=pen)
            item.add(bars)
            for i, v in enumerate(s.values):
                label = loc.text(spec.categories[i])
                anchor = (0.0, 0.5) if horizontal else (0.5, 1.0)
                values.append((self._text(self._value(v), v, xs[i], anchor, px=26, bold=True),
                               xs[i], v))
                if horizontal:
                    self._marks.append(_Mark(v / 2, xs[i], label, self._value(v),
                                             max(v / 2, top * 0.08), width / 2))
                else:
                    self._marks.append(_Mark(xs[i], v / 2, label, self._value(v), width / 2,
                                             max(v / 2, top * 0.08) + top * 0.06))
        reserve = self._top_reserve()
        cat_axis = item.axis("left" if horizontal else "bottom")
        val_axis = item.axis("bottom" if horizontal else "left")
        val_axis.setTicks(None)
        if horizontal:
            ticks = [loc.text(c) for c in spec.categories]
            cat_axis.setTicks([list(zip(slots, ticks, strict=True))])
            # Turned by large text (see rebuild), the names keep the size they
            # have under upright bars.
            font = self._font(24 if turned else 22)
            cat_axis.setTickFont(font)
            metrics = QFontMetricsF(font)
            left = math.ceil(max((metrics.horizontalAdvance(t) for t in ticks), default=0.0)
                             + 20 * self._unit * self._grow)
            cat_axis.setWidth(left)
            val_axis.hide()
            view = self._plot_area(left=left)
            label_w = max((_size(t).width() for t, _, _ in values), default=0.0)
            label_h = max((_size(t).height() for t, _, _ in values), default=0.0)
            row = (view[1] - reserve) / max(1, n)
            bars_px = view[0] - label_w - 2 * gap
            # A value sits beside the end of its own bar: it may be taller
            # than the bar, as long as it stays clear of the next row's.
            fits = bars_px >= 0.35 * view[0] and label_h <= row
            sx = max(bars_px, view[0] * 0.1) / top
            for text, y, v in values:
                text.setPos(v + gap / sx, y)
            self._lock_range((0, top + (label_w + 2 * gap) / sx),
                             (-0.6, n - 0.4 + reserve / max(row, 1.0)))
            return self._place_legend(view) and fits
        # Category names wrap under their bars; axis tick text cannot wrap.
        cat_axis.hide()
        val_axis.hide()
        view = self._plot_area()
        slot = view[0] / (n + 0.2)  # the range below: 0.6 on the left, 0.4 on the right
        names = [self._text(loc.text(c), i, 0, (0.5, 0), px=24, width=slot * 0.92,
                            color=PALETTE.text_muted) for i, c in enumerate(spec.categories)]
        names_h = max((_size(t).height() for t in names), default=0.0)
        values_h = max((_size(t).height() for t, _, _ in values), default=0.0)
        bars_px = view[1] - reserve - names_h - values_h - 2 * gap
        fits = (bars_px >= 0.3 * view[1]
                and all(_size(t).width() <= slot * 0.92 + 1 for t in names)
                and all(_size(t).width() <= slot * width * 1.25 for t, _, _ in values))
        sy = max(bars_px, view[1] * 0.1) / top
        for text in names:
            text.setPos(text.pos().x(), -gap / sy)
        for text, x, v in values:
            text.setPos(x, v + gap / 2 / sy)
        self._lock_range((-0.6, n - 0.4),
                         (-(names_h + gap) / sy, top + (values_h + gap + reserve) / sy))
        return self._place_legend(view) and fits

    def _build_share(self) -> bool:
        spec, loc = self.spec, self._loc
        item = self.item
        n = len(spec.items)
        for name in ("left", "bottom"):
            item.axis(name).hide()
        view = self._plot_area()
        gap = self._gap()
        names = [self._text(loc.text(s.label), 0, 0, (0, 1), px=26, width=view[0] * 0.98,
                            align=Qt.AlignmentFlag.AlignLeft) for s in spec.items]
        values = [self._text(loc.text(s.value_label), s.value, 0, (0.5, 0),
                             color=PALETTE.accent, px=28, bold=True) for s in spec.items]
        names_h = max(_size(t).height() for t in names)
        values_h = max(_size(t).height() for t in values)
        reserve = self._top_reserve()
        row = (view[1] - reserve) / max(1, n)
        room = row - names_h - values_h - 4 * gap
        bar = min(room, max(0.19 * row, 28 * self._unit))
        fits = bar >= max(10.0, 0.1 * row) and \
            all(_size(t).width() <= view[0] * 0.98 + 1 for t in (*names, *values))
        bar = max(bar, 6.0)
        # Bars are BAR data units tall, so a share's row keeps its shape in data
        # coordinates whatever the text around it.
        per_px = _SHARE_BAR / bar
        sx = view[0] / 1.04
        height = view[1] * per_px
        for i, share in enumerate(spec.items):
            block = names_h + gap + bar + gap + values_h
            centre_px = reserve + i * row + (row - block) / 2 + names_h + gap + bar / 2
            y = height - centre_px * per_px
            # The whole, hatched and outlined: it differs from the part in more
            # than colour, and the part carries its name and value.
            item.add(pg.BarGraphItem(x0=0, y=y, height=_SHARE_BAR, width=1.0,
                                     brush=QBrush(PALETTE.chart_rest,
                                                  Qt.BrushStyle.BDiagPattern),
                                     pen=pg.mkPen(PALETTE.chart_rest, width=2)))
            item.add(pg.BarGraphItem(x0=0, y=y, height=_SHARE_BAR, width=share.value,
                                     brush=pg.mkBrush(PALETTE.accent_2), pen=pg.mkPen(None)))
            names[i].setPos(0, y + _SHARE_BAR / 2 + gap * per_px)
            half = _size(values[i]).width() / 2 / sx
            values[i].setPos(min(max(share.value, -0.02 + half), 1.02 - half),
                             y - _SHARE_BAR / 2 - gap * per_px)
            self._marks.append(_Mark(0.5, y, loc.text(share.label), loc.text(share.value_label),
                                     0.5, 0.25))
        self._lock_range((-0.02, 1.02), (0, height))
        return fits

    def _build_line(self) -> bool:
        spec, loc = self.spec, self._loc
        item = self.item
        xs = list(spec.x)
        top = max((max(s.values, default=0) for s in spec.series), default=1) or 1
        span = (max(xs) - min(xs)) or 1
        gap = self._gap()
        symbol_px = max(8, round(22 * self._unit))
        values: list[pg.TextItem] = []
        samples = []
        for k, s in enumerate(spec.series):
            # More than one series: each its own point shape and line style.
            symbol = _SYMBOLS[k % len(_SYMBOLS)]
            colour = (PALETTE.accent_2, PALETTE.accent_3, PALETTE.accent)[k % 3]
            fill = (PALETTE.accent, PALETTE.accent_3, PALETTE.accent_2)[k % 3]
            pen = pg.mkPen(colour, width=max(2, round(4 * self._unit)),
                           style=_LINE_STYLES[k % len(_LINE_STYLES)])
            item.add(pg.PlotDataItem(xs, list(s.values), pen=pen, symbol=symbol,
                                     symbolSize=symbol_px, symbolBrush=pg.mkBrush(fill),
                                     symbolPen=pg.mkPen(PALETTE.text, width=2)))
            samples.append(partial(_point_sample, symbol, fill))
            for x, v in zip(xs, s.values, strict=True):
                anchor = (1.05, 1.2) if x == max(xs) else (-0.1, 1.2)
                if v:  # the zero at the start reads from the axis already
                    values.append(self._text(self._value(v), x, v, anchor, px=26, bold=True))
                self._marks.append(_Mark(x, v, loc.text(spec.x_unit or "", value=loc.number(x)),
                                         self._value(v), span * 0.08, top * 0.12))
        self._series_legend(samples)
        labels = [(x, loc.text(spec.x_unit or "", value=loc.number(x))) for x in xs]
        bottom = item.axis("bottom")
        bottom.setTicks([labels])
        left = item.axis("left")
        ticks = [(0, loc.number(0)), (top, loc.number(top, spec.decimals))]
        left.setTicks([ticks])
        metrics = QFontMetricsF(self._font(22))
        left_w = math.ceil(max(metrics.horizontalAdvance(t) for _, t in ticks)
                           + 24 * self._unit * self._grow)
        left.setWidth(left_w)
        view = self._plot_area(left=left_w, bottom=self._bottom_h)
        # pyqtgraph drops a tick label that would stick out of the axis, so the
        # range leaves half the widest label's width at both ends.
        half = max(metrics.horizontalAdvance(text) for _, text in labels) / 2 + 12 * self._unit
        pad = span * max(0.06, half / max(1.0, view[0] - 2 * half))
        reserve = self._top_reserve()
        values_h = max((_size(t).height() for t in values), default=0.0)
        head = values_h * 1.25 + symbol_px / 2 + reserve
        foot = symbol_px / 2 + gap
        plot_px = view[1] - head - foot
        sx = view[0] / (span + 2 * pad)
        fits = plot_px >= 0.35 * view[1] and \
            all(_size(t).width() * 1.1 <= (span + pad) * sx for t in values)
        sy = max(plot_px, view[1] * 0.1) / top
        self._lock_range((min(xs) - pad, max(xs) + pad), (-foot / sy, top + head / sy))
        return self._place_legend(view) and fits

    def _build_timeline(self) -> bool:
        spec, loc = self.spec, self._loc
        item = self.item
        xs = sorted(p.x for p in spec.points)
        lo, hi = (xs[0], xs[-1]) if xs else (0.0, 1.0)
        gaps = [b - a for a, b in itertools.pairwise(xs) if b > a]
        step = min(gaps, default=max(hi - lo, 1.0))
        item.axis("left").hide()
        bottom = item.axis("bottom")
        bottom.setTicks([[(x, loc.text(spec.x_unit or "", value=loc.number(x))) for x in xs]])
        view = self._plot_area(bottom=self._bottom_h)
        # Labels alternate above and below the line, so each may span two gaps;
        # a gap of padding at both ends keeps the outer labels inside the plot.
        x0, x1 = lo - step, hi + step
        slot = 1.9 * step * view[0] / (x1 - x0)
        symbol_px = max(10, round(30 * self._unit))
        item.add(pg.PlotDataItem([lo - step * 0.5, hi + step * 0.5], [0, 0],
                                 pen=pg.mkPen(PALETTE.text_muted, width=3)))
        item.add(pg.PlotDataItem(xs, [0] * len(xs), pen=None, symbol="o",
                                 symbolSize=symbol_px, symbolBrush=pg.mkBrush(PALETTE.accent),
                                 symbolPen=pg.mkPen(PALETTE.text, width=3)))
        gap = self._gap()
        sx = view[0] / (x1 - x0)
        em = self._font(30, bold=True).pixelSize()
        ordered = sorted(spec.points, key=lambda p: p.x)
        pairs = [(self._text(loc.text(p.label), p.x, 0, (0.5, 1.0 if i % 2 == 0 else 0.0),
                             px=30, bold=True, color=PALETTE.accent),
                  self._text(loc.text(p.detail), p.x, 0, (0.5, 1.0 if i % 2 == 0 else 0.0),
                             px=24, color=PALETTE.text_muted))
                 for i, p in enumerate(ordered)]
        # Each point's text on one line, and the room it may have: up to the
        # plot's edge, and to an em short of its neighbours on its own side
        # of the line (two points away; far apart where the years are).
        natural = [max(_size(label).width(), _size(detail).width()) for label, detail in pairs]
        stacks = []
        for i, (p, (label, detail)) in enumerate(zip(ordered, pairs, strict=True)):
            width = slot
            if self.text_scale > 1.0:
                around = [j for j in (i - 2, i + 2) if 0 <= j < len(ordered)]
                edge = min(2 * (p.x - x0) * sx, 2 * (x1 - p.x) * sx)
                room = min([edge, *(abs(ordered[j].x - p.x) * sx - em for j in around)])
                # Large text: a label wider than its share stays on one line
                # where its neighbours leave room for it.
                whole = natural[i] <= edge and all(
                    (natural[i] + natural[j]) / 2 + em <= abs(ordered[j].x - p.x) * sx
                    for j in around)
                width = natural[i] if whole else max(slot, room)
            for text in (label, detail):
                text.setTextWidth(max(1.0, width))
                text.textItem.document().setDefaultTextOption(
                    _wrapped(Qt.AlignmentFlag.AlignHCenter))
            stacks.append((i % 2 == 0, label, detail, width))
        # The y axis is in pixels: labels above the line (and the "approximate"
        # tag) and below it each get the room they need, the rest split evenly.
        near = symbol_px / 2 + 2 * gap
        above = max((near + _size(label).height() + gap + _size(detail).height()
                     for up, label, detail, _ in stacks if up), default=near) + self._top_reserve()
        below = max((near + _size(label).height() + gap + _size(detail).height()
                     for up, label, detail, _ in stacks if not up), default=near)
        spare = view[1] - above - below
        fits = spare >= 0 and all(max(_size(label).width(), _size(detail).width()) <= room + 1
                                  for _, label, detail, room in stacks)
        # Neighbours on one side keep at least an em between them, or two
        # labels read as one line.
        for side in (True, False):
            row = [(label.pos().x(), label, detail)
                   for up, label, detail, _ in stacks if up == side]
            for (xa, la, da), (xb, lb, db) in itertools.pairwise(row):
                em = la.textItem.font().pixelSize()
                widths = (max(_ink(la), _ink(da)) + max(_ink(lb), _ink(db))) / 2
                fits = fits and widths + em <= (xb - xa) * sx
        y0, y1 = -(below + max(spare, 0.0) / 2), above + max(spare, 0.0) / 2
        for up, label, detail, _ in stacks:
            sign = 1 if up else -1
            label.setPos(label.pos().x(), sign * near)
            detail.setPos(detail.pos().x(), sign * (near + _size(label).height() + gap))
        reach = max(symbol_px, view[1] * 0.09)
        for p in sorted(spec.points, key=lambda p: p.x):
            self._marks.append(_Mark(p.x, 0, loc.text(spec.x_unit or "", value=loc.number(p.x)),
                                     loc.text(p.label), step * 0.45, reach))
        self._lock_range((x0, x1), (y0, y1))
        return fits

    def _show_callout(self) -> None:
        if self._callout is not None:
            self.item.remove(self._callout)
            self._callout = None
        if self.selected is None or self.selected >= len(self._marks):
            return
        mark = self._marks[self.selected]
        text = self._loc.text("ui.chart.tap_value", label=mark.label, value=mark.value)
        # Open towards the middle of the plot, so a mark at an edge does not
        # push its value out of sight: right-aligned on the right, below near
        # the top.
        (x0, x1), (y0, y1) = self.item.view_box.viewRange()
        fx = (mark.x - x0) / ((x1 - x0) or 1)
        fy = (mark.y - y0) / ((y1 - y0) or 1)
        anchor = (1.0 if fx > 0.62 else 0.0 if fx < 0.38 else 0.5, 0.0 if fy > 0.6 else 1.0)
        callout = pg.TextItem(text, color=PALETTE.background_top, anchor=anchor,
                              fill=pg.mkBrush(PALETTE.accent), border=pg.mkPen(PALETTE.text))
        callout.setFont(self._font(24, bold=True))
        # Large text: a value too long for the plot's width wraps.
        room = self.item.view_box.width() * 0.9 or self.width() * 0.9
        if _size(callout).width() > room:
            callout.setTextWidth(room)
            callout.textItem.document().setDefaultTextOption(
                _wrapped(Qt.AlignmentFlag.AlignHCenter))
        callout.setPos(mark.x, mark.y)
        callout.setZValue(10)
        self.item.add(callout)
        self._callout = callout


# Large text: the shares of the slide's text growth a chart tries in turn,
# keeping the first its box can hold.
_GROWTH_SHARES = (1.0, 0.75, 0.5, 0.25, 0.0)
# A share's bar, in data units (its row's layout is worked out in pixels).
_SHARE_BAR = 0.34
# Series after the first differ in more than colour: point shape, line style,
# and a bar's fill pattern.
_SYMBOLS = ("o", "s", "t", "d")
_LINE_STYLES = (Qt.PenStyle.DashLine, Qt.PenStyle.SolidLine, Qt.PenStyle.DotLine)
_PATTERNS = (Qt.BrushStyle.SolidPattern, Qt.BrushStyle.BDiagPattern,
             Qt.BrushStyle.CrossPattern)


def _series_brush(k: int) -> tuple[QBrush, QPen]:
    """Series ``k``'s bar fill and outline: its colour, and its own pattern."""
    colour = (PALETTE.accent_2, PALETTE.accent, PALETTE.accent_3)[k % 3]
    pattern = _PATTERNS[k % len(_PATTERNS)]
    pen = pg.mkPen(None) if pattern == Qt.BrushStyle.SolidPattern \
        else pg.mkPen(colour, width=2)
    return QBrush(colour, pattern), pen


def _bar_sample(style: tuple[QBrush, QPen], x: float, y: float,
                side: float) -> pg.GraphicsObject:
    brush, pen = style
    return _PixelSample(side, brush, pen, x, y)


def _point_sample(symbol: str, fill: QColor, x: float, y: float,
                  side: float) -> pg.GraphicsObject:
    return pg.ScatterPlotItem([x], [y], symbol=symbol, size=side, brush=pg.mkBrush(fill),
                              pen=pg.mkPen(PALETTE.text, width=2))


class _PixelSample(pg.GraphicsObject):  # type: ignore[misc]
    """A legend's sample of a bar series: a square ``side`` pixels wide at a
    data point, whatever the plot's scale."""

    def __init__(self, side: float, brush: QBrush, pen: QPen, x: float, y: float) -> None:
        super().__init__()
        self.side = side
        self.brush = brush
        self.pen = pen
        self.setPos(x, y)
        self.setFlag(self.GraphicsItemFlag.ItemIgnoresTransformations)

    def boundingRect(self) -> QRectF:
        return QRectF(-self.side / 2, -self.side / 2, self.side, self.side)

    def paint(self, painter: QPainter, *args: object) -> None:
        painter.setPen(self.pen)
        painter.setBrush(self.brush)
        painter.drawRect(self.boundingRect())


def _size(item: pg.TextItem | None) -> QSizeF:
    """A label's size in pixels (labels ignore the plot's scaling)."""
    if item is None:
        return QSizeF()
    return QSizeF(item.textItem.boundingRect().size())


def _ink(item: pg.TextItem) -> float:
    """How wide a label's longest line is, in pixels."""
    return float(item.textItem.document().idealWidth())


def _wrapped(align: Qt.AlignmentFlag) -> QTextOption:
    option = QTextOption()
    option.setAlignment(align)
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    return option
