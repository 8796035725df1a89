"""Line charts: one line of points per series over numeric x values, each
point's value above it."""

from __future__ import annotations

import math
from functools import partial

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

from taixin_kiosk.ui.charts.canvas import ChartCanvas
from taixin_kiosk.ui.charts.parts import LINE_STYLES, SYMBOLS, Mark, point_sample, text_size


def build_line(chart: ChartCanvas) -> bool:
    """Builds the lines, their values and both axes; False if the text does not fit."""
    spec, loc = chart.spec, chart.loc
    item = chart.item
    xs = list(spec.x)
    top = max((max(s.values, default=0) for s in spec.series), default=1) or 1
    span = (max(xs) - min(xs)) or 1
    gap = chart.gap()
    palette = chart.look.palette
    symbol_px = max(8, round(22 * chart.unit))
    values: list[pg.TextItem] = []
    samples = []
    for k, s in enumerate(spec.series):
        # More than one series: each its own point shape and line style.
        symbol = SYMBOLS[k % len(SYMBOLS)]
        colour = (palette.accent_2, palette.accent_3, palette.accent)[k % 3]
        fill = (palette.accent, palette.accent_3, palette.accent_2)[k % 3]
        pen = pg.mkPen(colour, width=max(2, round(4 * chart.unit)),
                       style=LINE_STYLES[k % len(LINE_STYLES)])
        item.add(pg.PlotDataItem(xs, list(s.values), pen=pen, symbol=symbol,
                                 symbolSize=symbol_px, symbolBrush=pg.mkBrush(fill),
                                 symbolPen=pg.mkPen(palette.text, width=2)))
        samples.append(partial(point_sample, palette, symbol, fill))
        for x, v in zip(xs, s.values, strict=True):
            anchor = (1.05, 1.2) if x == max(xs) else (-0.1, 1.2)
            if v:  # the zero at the start reads from the axis already
                values.append(chart.add_label(chart.value_text(v), x, v, anchor, px=26,
                                              bold=True))
            chart.add_mark(Mark(x, v, loc.x_text(spec, x),
                                chart.value_text(v), span * 0.08, top * 0.12))
    chart.series_legend(samples)
    labels = [(x, loc.x_text(spec, x)) for x in xs]
    bottom = item.axis("bottom")
    bottom.setTicks([labels])
    left = item.axis("left")
    ticks = [(0, loc.number(0)), (top, loc.number(top, spec.decimals))]
    left.setTicks([ticks])
    metrics = QFontMetricsF(chart.label_font(22))
    left_w = math.ceil(max(metrics.horizontalAdvance(t) for _, t in ticks)
                       + 24 * chart.unit * chart.grow)
    left.setWidth(left_w)
    view = chart.plot_area(left=left_w, bottom=chart.bottom_height)
    # pyqtgraph drops a tick label that would stick out of the axis, so the
    # range leaves half the widest label's width at both ends.
    half = max(metrics.horizontalAdvance(text) for _, text in labels) / 2 + 12 * chart.unit
    pad = span * max(0.06, half / max(1.0, view[0] - 2 * half))
    reserve = chart.top_reserve()
    values_h = max((text_size(t).height() for t in values), default=0.0)
    head = values_h * 1.25 + symbol_px / 2 + reserve
    foot = symbol_px / 2 + gap
    plot_px = view[1] - head - foot
    sx = view[0] / (span + 2 * pad)
    fits = plot_px >= 0.35 * view[1] and \
        all(text_size(t).width() * 1.1 <= (span + pad) * sx for t in values)
    sy = max(plot_px, view[1] * 0.1) / top
    chart.lock_range((min(xs) - pad, max(xs) + pad), (-foot / sy, top + head / sy))
    return chart.place_legend(view) and fits
