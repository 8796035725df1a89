"""Line charts: one line of points per series over numeric x values, each
point's value beside it where there is room (see ``labels``)."""

from __future__ import annotations

import itertools
import math
from functools import partial

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QFontMetricsF

from taixin_kiosk.ui.charts.canvas import ChartCanvas
from taixin_kiosk.ui.charts.labels import Placer, around_point, reading_priority
from taixin_kiosk.ui.charts.parts import Mark, text_size
from taixin_kiosk.ui.charts.plotkit import LINE_STYLES, SYMBOLS, point_sample
from taixin_kiosk.ui.theme import CHART_LABEL, CHART_TEXT


def build_line(chart: ChartCanvas) -> bool:
    """Builds the lines, their values and both axes; False if the text does not fit."""
    spec, loc = chart.spec, chart.loc
    item = chart.item
    xs = list(spec.x)
    every = [v for s in spec.series for v in s.values]
    top, bottom = max(0.0, *every), min(0.0, *every)
    if top == bottom:
        top = 1.0
    span = (max(xs) - min(xs)) or 1
    # A tap reaches the nearest point (ChartView.handle_tap); its box stays
    # within half the way to the next.
    closest = min((b - a for a, b in itertools.pairwise(xs)), default=span)
    gap = chart.gap()
    palette = chart.look.palette
    symbol_px = max(8, round(22 * chart.unit))
    values: list[tuple[pg.TextItem, int, int]] = []
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
        for i, (x, v) in enumerate(zip(xs, s.values, strict=True)):
            if v:  # a zero reads from the axis's 0 already
                values.append((chart.add_label(chart.value_text(v), x, v, (0, 0), px=CHART_TEXT,
                                               bold=True), k, i))
            chart.add_mark(Mark(x, v, loc.x_text(spec, x), chart.value_text(v),
                                min(span * 0.08, closest / 2), (top - bottom) * 0.12))
    chart.series_legend(samples)
    labels = [(x, loc.x_text(spec, x)) for x in xs]
    metrics = QFontMetricsF(chart.label_font(CHART_LABEL))
    left = item.axis("left")
    # 0 once, with the highest and the lowest value when they differ from it
    # (a chart of values at or below zero has its top at 0).
    ticks = [(0.0, loc.number(0))]
    if top > 0:
        ticks.append((top, loc.number(top, spec.decimals)))
    if bottom < 0:
        ticks.insert(0, (bottom, loc.number(bottom, spec.decimals)))
    left.setTicks([ticks])
    left_w = math.ceil(max(metrics.horizontalAdvance(t) for _, t in ticks)
                       + 24 * chart.unit * chart.grow)
    left.setWidth(left_w)
    view = chart.plot_area(left=left_w, bottom=chart.bottom_height)
    # pyqtgraph drops a tick label that would stick out of the axis, so the
    # range leaves half the widest label's width at both ends.
    half = max(metrics.horizontalAdvance(text) for _, text in labels) / 2 + 12 * chart.unit
    # The first and the last value read best centred over their points:
    # room for half of one at both ends, up to an eighth of the width.
    value_w = max((text_size(t).width() for t, _, _ in values), default=0.0)
    half = max(half, min(value_w / 2 + gap, view[0] / 8))
    pad = span * max(0.06, half / max(1.0, view[0] - 2 * half))
    sx = view[0] / (span + 2 * pad)
    shown = _thinned(labels, metrics, sx, metrics.height())
    # Every x keeps its tick; only the labels are thinned.
    named = {x for x, _ in shown}
    item.axis("bottom").setTicks([shown, [(x, "") for x, _ in labels if x not in named]])
    reserve = chart.top_reserve()
    values_h = max((text_size(t).height() for t, _, _ in values), default=0.0)
    head = values_h + 2 * gap + symbol_px / 2 + reserve
    # Values under the lowest points need room when some are below zero.
    foot = symbol_px / 2 + gap + (values_h + gap if bottom < 0 else 0.0)
    plot_px = view[1] - head - foot
    sy = max(plot_px, view[1] * 0.1) / (top - bottom)
    chart.lock_range((min(xs) - pad, max(xs) + pad), (bottom - foot / sy, top + head / sy))
    # 0 always; the highest and lowest value where they are a line clear of it.
    left.setTicks([[(y, text) for y, text in ticks
                    if y == 0 or abs(y) * sy >= metrics.height()]])
    _place_values(chart, view, values, symbol_px, gap)
    return chart.place_legend(view) and plot_px >= 0.35 * view[1]


def _thinned(labels: list[tuple[float, str]], metrics: QFontMetricsF, sx: float,
             em: float) -> list[tuple[float, str]]:
    """The x labels the axis shows: from the left, each an em clear of the
    last one shown; the last x is always shown (in place of its neighbour)."""
    def span(x: float, text: str) -> tuple[float, float]:
        half = metrics.horizontalAdvance(text) / 2
        return x * sx - half, x * sx + half

    shown: list[tuple[float, str]] = []
    for x, text in labels:
        if not shown or span(x, text)[0] >= span(*shown[-1])[1] + em:
            shown.append((x, text))
    last = labels[-1]
    if shown[-1] != last:
        while len(shown) > 1 and span(*last)[0] < span(*shown[-1])[1] + em:
            shown.pop()
        shown.append(last)
    return shown


def _place_values(chart: ChartCanvas, view: tuple[float, float],
                  values: list[tuple[pg.TextItem, int, int]], symbol_px: int,
                  gap: float) -> bool:
    """Each value beside its own point, clear of every point and other value
    (see ``labels.Placer``); True if every value found a place."""
    spec = chart.spec
    frame = chart.frame(view)
    n = len(spec.x)
    centres = [[frame.px(x, v) for x, v in zip(spec.x, s.values, strict=True)]
               for s in spec.series]
    # A point's box: its symbol and outline.
    side = symbol_px + 4
    marks = [QRectF(c.x() - side / 2, c.y() - side / 2, side, side)
             for row in centres for c in row]
    lines = [QLineF(a, b) for row in centres for a, b in itertools.pairwise(row)]
    reserve = chart.top_reserve()
    bounds = QRectF(0, reserve, view[0], view[1] - reserve)
    placer = Placer(bounds, marks, margin=gap, lines=lines, points=True)
    by_point = {(k, i): text for text, k, i in values}
    # Both ends and the middles first, the series taking turns.
    order = [(k, i) for i in reading_priority(n) for k in range(len(spec.series))
             if (k, i) in by_point]
    reach = side / 2 + gap
    return chart.place_values(placer, frame, [
        (by_point[k, i], k * n + i, around_point(centres[k][i], text_size(by_point[k, i]), reach))
        for k, i in order])
