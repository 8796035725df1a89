"""Bar charts: one bar per category and series, upright or across.

Upright, category names wrap under their bars; across (asked for, or turned
by large text), each name has its own row on the left axis.
"""

from __future__ import annotations

import math
from functools import partial

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

from taixin_kiosk.ui.charts.canvas import ChartCanvas
from taixin_kiosk.ui.charts.parts import Mark, bar_sample, series_brush, text_size


def build_bar(chart: ChartCanvas) -> bool:
    """Builds the bars, their values and names; False if the text does not fit."""
    spec, loc = chart.spec, chart.loc
    palette = chart.look.palette
    item = chart.item
    n = len(spec.categories)
    series = spec.series
    width = 0.7 / max(1, len(series))
    top = max((max(s.values, default=0) for s in series), default=1) or 1
    horizontal = chart.horizontal
    brushes = [series_brush(k, palette) for k in range(len(series))]
    chart.series_legend([partial(bar_sample, brush) for brush in brushes])
    gap = chart.gap()
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
            values.append((chart.add_label(chart.value_text(v), v, xs[i], anchor, px=26,
                                           bold=True),
                           xs[i], v))
            if horizontal:
                chart.add_mark(Mark(v / 2, xs[i], label, chart.value_text(v),
                                    max(v / 2, top * 0.08), width / 2))
            else:
                chart.add_mark(Mark(xs[i], v / 2, label, chart.value_text(v), width / 2,
                                    max(v / 2, top * 0.08) + top * 0.06))
    reserve = chart.top_reserve()
    cat_axis = item.axis("left" if horizontal else "bottom")
    val_axis = item.axis("bottom" if horizontal else "left")
    val_axis.setTicks(None)
    if horizontal:
        ticks = [loc.text(c) for c in spec.categories]
        cat_axis.setTicks([list(zip(slots, ticks, strict=True))])
        # Turned by large text (see ChartView.rebuild), the names keep the
        # size they have under upright bars.
        font = chart.label_font(24 if turned else 22)
        cat_axis.setTickFont(font)
        metrics = QFontMetricsF(font)
        left = math.ceil(max((metrics.horizontalAdvance(t) for t in ticks), default=0.0)
                         + 20 * chart.unit * chart.grow)
        cat_axis.setWidth(left)
        val_axis.hide()
        view = chart.plot_area(left=left)
        label_w = max((text_size(t).width() for t, _, _ in values), default=0.0)
        label_h = max((text_size(t).height() for t, _, _ in values), default=0.0)
        row = (view[1] - reserve) / max(1, n)
        bars_px = view[0] - label_w - 2 * gap
        # A value sits beside the end of its own bar: it may be taller
        # than the bar, as long as it stays clear of the next row's.
        fits = bars_px >= 0.35 * view[0] and label_h <= row
        sx = max(bars_px, view[0] * 0.1) / top
        for text, y, v in values:
            text.setPos(v + gap / sx, y)
        chart.lock_range((0, top + (label_w + 2 * gap) / sx),
                         (-0.6, n - 0.4 + reserve / max(row, 1.0)))
        return chart.place_legend(view) and fits
    # Category names wrap under their bars; axis tick text cannot wrap.
    cat_axis.hide()
    val_axis.hide()
    view = chart.plot_area()
    slot = view[0] / (n + 0.2)  # the range below: 0.6 on the left, 0.4 on the right
    names = [chart.add_label(loc.text(c), i, 0, (0.5, 0), px=24, width=slot * 0.92,
                             color=palette.text_muted) for i, c in enumerate(spec.categories)]
    names_h = max((text_size(t).height() for t in names), default=0.0)
    values_h = max((text_size(t).height() for t, _, _ in values), default=0.0)
    bars_px = view[1] - reserve - names_h - values_h - 2 * gap
    fits = (bars_px >= 0.3 * view[1]
            and all(text_size(t).width() <= slot * 0.92 + 1 for t in names)
            and all(text_size(t).width() <= slot * width * 1.25 for t, _, _ in values))
    sy = max(bars_px, view[1] * 0.1) / top
    for text in names:
        text.setPos(text.pos().x(), -gap / sy)
    for text, x, v in values:
        text.setPos(x, v + gap / 2 / sy)
    chart.lock_range((-0.6, n - 0.4),
                     (-(names_h + gap) / sy, top + (values_h + gap + reserve) / sy))
    return chart.place_legend(view) and fits
