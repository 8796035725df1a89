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
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QGraphicsView, QVBoxLayout, QWidget

from taixin_kiosk.language import Localizer
from taixin_kiosk.model.deck import Chart
from taixin_kiosk.views.theme import PALETTE, base_font

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
        # (width, unit) the labels were last built for; None until placed.
        self._built_for: tuple[int, float] | None = None

    # -- public -------------------------------------------------------------

    def place(self, rect: QRect, unit: float) -> None:
        """Puts the chart in ``rect`` with type ``unit``; builds its items once.

        Labels are sized from the width and the unit, so they are built here
        when either changed, and not again when a hidden chart is first shown.
        """
        self._unit = unit
        self.setGeometry(rect)
        self._rebuild_if_stale()

    def _rebuild_if_stale(self) -> None:
        if self._built_for is None or self._built_for[0] != self.width() \
                or abs(self._built_for[1] - self._unit) > 1e-3:
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
        kind, horizontal = self.spec.kind, self.spec.orientation == "horizontal"
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
        offset = max(4, round(10 * self._unit))
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
        return base_font(self._family, max(9.0, px * self._unit), bold)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._built_for is not None:  # before place() there is nothing to redo
            self._rebuild_if_stale()

    def _text(self, text: str, x: float, y: float, anchor: tuple[float, float], *,
              color: QColor | None = None, px: float = 24, bold: bool = False,
              width: float | None = None) -> pg.TextItem:
        item = pg.TextItem(text, color=color or PALETTE.text, anchor=anchor)
        item.setFont(self._font(px, bold))
        if width is not None:
            item.setTextWidth(width)
            item.textItem.document().setDefaultTextOption(_centered())
        item.setPos(x, y)
        self.item.add(item)
        self._texts.append(item)
        return item

    def _style_axes(self) -> None:
        font = self._font(22)
        offset = max(4, round(10 * self._unit))
        line = QFontMetricsF(font).height()
        for name in ("left", "bottom"):
            axis = self.item.axis(name)
            axis.setTickFont(font)
            axis.setTextPen(pg.mkPen(PALETTE.text_muted))
            axis.setPen(pg.mkPen(PALETTE.axis, width=1))
            axis.setStyle(tickTextOffset=offset)
        # pyqtgraph sizes the bottom axis for its default font: with a larger
        # tick font the descenders ("day", "year") would be cut off.
        self.item.axis("bottom").setHeight(math.ceil(line + offset + 8 * self._unit))

    def rebuild(self) -> None:
        self._built_for = (self.width(), self._unit)
        item = self.item
        item.clear_items()
        self._texts = []
        self._marks = []
        self._callout = None
        self._style_axes()
        try:
            getattr(self, f"_build_{self.spec.kind}")()
        except Exception:  # a chart must never take the slide down with it
            log.exception("chart %s could not be drawn", self.spec.title)
        if self.spec.approximate:
            (_, x1), (_, y1) = item.view_box.viewRange()
            self._text(self._loc.text("ui.chart.approximate"), x1, y1, (1, 0),
                       color=PALETTE.accent, px=22)
        self._show_callout()

    def _lock_range(self, x: tuple[float, float], y: tuple[float, float]) -> None:
        vb = self.item.view_box
        vb.setRange(xRange=x, yRange=y, padding=0)
        vb.setLimits(xMin=x[0], xMax=x[1], yMin=y[0], yMax=y[1])

    def _value(self, v: float) -> str:
        return self._loc.value(v, self.spec.decimals, self.spec.unit)

    def _build_bar(self) -> None:
        spec, loc = self.spec, self._loc
        item = self.item
        n = len(spec.categories)
        series = spec.series
        width = 0.7 / max(1, len(series))
        colours = [PALETTE.accent_2, PALETTE.accent, PALETTE.accent_3]
        top = max((max(s.values, default=0) for s in series), default=1) or 1
        horizontal = spec.orientation == "horizontal"
        for k, s in enumerate(series):
            offset = (k - (len(series) - 1) / 2) * width
            xs = [i + offset for i in range(n)]
            brush = pg.mkBrush(colours[k % len(colours)])
            if horizontal:
                bars = pg.BarGraphItem(x0=0, y=xs, height=width * 0.9, width=list(s.values),
                                       brush=brush, pen=pg.mkPen(None))
            else:
                bars = pg.BarGraphItem(x=xs, height=list(s.values), width=width * 0.9,
                                       brush=brush, pen=pg.mkPen(None))
            item.add(bars)
            for i, v in enumerate(s.values):
                label = loc.text(spec.categories[i])
                if horizontal:
                    self._text(self._value(v), v, xs[i], (-0.1, 0.5), px=26, bold=True)
                    self._marks.append(_Mark(v / 2, xs[i], label, self._value(v),
                                             max(v / 2, top * 0.08), width / 2))
                else:
                    self._text(self._value(v), xs[i], v, (0.5, 1.05), px=26, bold=True)
                    self._marks.append(_Mark(xs[i], v / 2, label, self._value(v), width / 2,
                                             max(v / 2, top * 0.08) + top * 0.06))
        cat_axis = item.axis("left" if horizontal else "bottom")
        val_axis = item.axis("bottom" if horizontal else "left")
        if horizontal:
            cat_axis.setTicks([[(i, loc.text(c)) for i, c in enumerate(spec.categories)]])
            self._lock_range((0, top * 1.25), (-0.6, n - 0.4))
        else:
            # Category names wrap under their bars; axis tick text cannot wrap.
            cat_axis.setTicks([[(i, "") for i in range(n)]])
            slot = max(40.0, self.width() / max(1, n) * 0.92)
            for i, c in enumerate(spec.categories):
                self._text(loc.text(c), i, 0, (0.5, 0), px=24, width=slot,
                           color=PALETTE.text_muted)
            self._lock_range((-0.6, n - 0.4), (-top * 0.42, top * 1.22))
        val_axis.setTicks(None)
        if not horizontal:
            val_axis.setStyle(showValues=True)
            val_axis.hide()
            cat_axis.hide()

    def _build_share(self) -> None:
        spec, loc = self.spec, self._loc
        item = self.item
        n = len(spec.items)
        for i, share in enumerate(spec.items):
            y = n - 1 - i
            # The whole, hatched and outlined: it differs from the part in more
            # than colour.
            item.add(pg.BarGraphItem(x0=0, y=y, height=0.34, width=1.0,
                                     brush=pg.mkBrush(PALETTE.chart_rest,
                                                      style=Qt.BrushStyle.BDiagPattern),
                                     pen=pg.mkPen(PALETTE.chart_rest, width=2)))
            item.add(pg.BarGraphItem(x0=0, y=y, height=0.34, width=share.value,
                                         brush=pg.mkBrush(PALETTE.accent_2), pen=pg.mkPen(None)))
            self._text(loc.text(share.label), 0, y + 0.22, (0, 1), px=26)
            self._text(loc.text(share.value_label), share.value, y - 0.22, (0.5, 0),
                       color=PALETTE.accent, px=28, bold=True)
            self._marks.append(_Mark(0.5, y, loc.text(share.label), loc.text(share.value_label),
                                     0.5, 0.25))
        for name in ("left", "bottom"):
            item.axis(name).hide()
        self._lock_range((-0.02, 1.02), (-0.9, n - 0.1))

    def _build_line(self) -> None:
        spec, loc = self.spec, self._loc
        item = self.item
        xs = list(spec.x)
        top = max((max(s.values, default=0) for s in spec.series), default=1) or 1
        span = (max(xs) - min(xs)) or 1
        for s in spec.series:
            pen = pg.mkPen(PALETTE.accent_2, width=max(2, round(4 * self._unit)),
                           style=Qt.PenStyle.DashLine)
            item.add(pg.PlotDataItem(xs, list(s.values), pen=pen, symbol="o",
                                         symbolSize=max(8, round(22 * self._unit)),
                                         symbolBrush=pg.mkBrush(PALETTE.accent),
                                         symbolPen=pg.mkPen(PALETTE.text, width=2)))
            for x, v in zip(xs, s.values, strict=True):
                anchor = (1.05, 1.2) if x == max(xs) else (-0.1, 1.2)
                if v:  # the zero at the start reads from the axis already
                    self._text(self._value(v), x, v, anchor, px=26, bold=True)
                self._marks.append(_Mark(x, v, loc.text(spec.x_unit or "", value=loc.number(x)),
                                         self._value(v), span * 0.08, top * 0.12))
        labels = [(x, loc.text(spec.x_unit or "", value=loc.number(x))) for x in xs]
        bottom = item.axis("bottom")
        bottom.setTicks([labels])
        left = item.axis("left")
        left.setTicks([[(0, loc.number(0)), (top, loc.number(top, spec.decimals))]])
        left.setWidth(round(150 * self._unit))
        # pyqtgraph drops a tick label that would stick out of the axis, so the
        # range leaves half the widest label's width at both ends.
        metrics = QFontMetricsF(self._font(22))
        half = max(metrics.horizontalAdvance(text) for _, text in labels) / 2 + 12 * self._unit
        plot_w = max(1.0, self.width() - 150 * self._unit)
        pad = span * max(0.06, half / max(1.0, plot_w - 2 * half))
        self._lock_range((min(xs) - pad, max(xs) + pad), (-top * 0.06, top * 1.3))

    def _build_timeline(self) -> None:
        spec, loc = self.spec, self._loc
        item = self.item
        xs = sorted(p.x for p in spec.points)
        lo, hi = (xs[0], xs[-1]) if xs else (0.0, 1.0)
        gaps = [b - a for a, b in itertools.pairwise(xs) if b > a]
        gap = min(gaps, default=max(hi - lo, 1.0))
        # Labels alternate above and below the line, so each may span two gaps;
        # a gap of padding at both ends keeps the outer labels inside the plot.
        x0, x1 = lo - gap, hi + gap
        slot = 1.9 * gap * max(1, self.width()) / (x1 - x0)
        item.add(pg.PlotDataItem([lo - gap * 0.5, hi + gap * 0.5], [0, 0],
                                     pen=pg.mkPen(PALETTE.text_muted, width=3)))
        item.add(pg.PlotDataItem(xs, [0] * len(xs), pen=None, symbol="o",
                                     symbolSize=max(10, round(30 * self._unit)),
                                     symbolBrush=pg.mkBrush(PALETTE.accent),
                                     symbolPen=pg.mkPen(PALETTE.text, width=3)))
        for i, p in enumerate(sorted(spec.points, key=lambda p: p.x)):
            up = i % 2 == 0
            self._text(loc.text(p.label), p.x, 0.16 if up else -0.16, (0.5, 1 if up else 0),
                       px=30, bold=True, color=PALETTE.accent, width=slot)
            self._text(loc.text(p.detail), p.x, 0.62 if up else -0.62, (0.5, 1 if up else 0),
                       px=24, color=PALETTE.text_muted, width=slot)
            self._marks.append(_Mark(p.x, 0, loc.text(spec.x_unit or "", value=loc.number(p.x)),
                                     loc.text(p.label), gap * 0.45, 0.3))
        bottom = item.axis("bottom")
        bottom.setTicks([[(x, loc.text(spec.x_unit or "", value=loc.number(x))) for x in xs]])
        item.axis("left").hide()
        self._lock_range((x0, x1), (-1.6, 1.6))

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
        callout.setPos(mark.x, mark.y)
        callout.setZValue(10)
        self.item.add(callout)
        self._callout = callout


def _centered() -> object:
    from PySide6.QtGui import QTextOption

    option = QTextOption()
    option.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    return option
