"""Bar charts: one bar per category and series, upright or across.

Upright, category names wrap under their bars; across (asked for, or turned
by large text or by names too long to stand under their bars), each name
has its own row on the left axis, the first category at the top and the
series in the legend's order from the top. A bar's value goes just past its
end where there is room (see ``labels``); below zero, bars run the other way.
"""

from __future__ import annotations

from functools import partial

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt

from taixin_kiosk.ui.charts.canvas import ChartCanvas
from taixin_kiosk.ui.charts.labels import Frame, Placer, beyond_bar
from taixin_kiosk.ui.charts.parts import Mark, ink, text_size, wrapped
from taixin_kiosk.ui.charts.plotkit import bar_sample, series_brush
from taixin_kiosk.ui.theme import CHART_LABEL, CHART_TEXT

# One value label: its text, series, category, value and where its bar is
# centred across the bars (the slot plus the series' offset).
Value = tuple[pg.TextItem, int, int, float, float]


def build_bar(chart: ChartCanvas) -> bool:
    """Builds the bars, their values and names; False if the text does not fit."""
    spec, loc = chart.spec, chart.loc
    item = chart.item
    n = len(spec.categories)
    series = spec.series
    width = 0.7 / max(1, len(series))
    every = [v for s in series for v in s.values]
    top, bottom = max(0.0, *every), min(0.0, *every)
    if top == bottom:
        top = 1.0
    whole = top - bottom
    horizontal = chart.horizontal
    brushes = [series_brush(k, chart.look.palette) for k in range(len(series))]
    chart.series_legend([partial(bar_sample, brush) for brush in brushes])
    # Across, the first category is on top, where it is read first, and
    # the series run down in the legend's order (left to right).
    slots = [n - 1 - i if horizontal else i for i in range(n)]
    direction = -1 if horizontal else 1
    values: list[Value] = []
    for k, s in enumerate(series):
        offset = direction * (k - (len(series) - 1) / 2) * width
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
            values.append((chart.add_label(chart.value_text(v), v, xs[i], (0, 0), px=CHART_TEXT,
                                           bold=True), k, i, v, xs[i]))
            reach = max(abs(v) / 2, whole * 0.08)
            if horizontal:
                chart.add_mark(Mark(v / 2, xs[i], label, chart.value_text(v), reach,
                                    width / 2))
            else:
                chart.add_mark(Mark(xs[i], v / 2, label, chart.value_text(v), width / 2,
                                    reach + whole * 0.06))
    for axis in ("left", "bottom"):
        item.axis(axis).setTicks(None)
        item.axis(axis).hide()
    label_w = max((text_size(t).width() for t, *_ in values), default=0.0)
    label_h = max((text_size(t).height() for t, *_ in values), default=0.0)
    gap = chart.gap()
    if horizontal:
        view = chart.plot_area()
        # Each name on its row, left of the bars, right-aligned and wrapped
        # at two fifths of the plot. Turned (see ChartView.rebuild), the
        # names keep the size they have under upright bars.
        px = CHART_TEXT if spec.orientation != "horizontal" else CHART_LABEL
        names = [chart.add_label(loc.text(c), 0, slots[i], (1, 0.5), px=px,
                                 color=chart.look.palette.text_muted)
                 for i, c in enumerate(spec.categories)]
        room = label_w + 2 * gap
        # As wide as the bars' least share of the plot (35 %) allows.
        widest = view[0] * 0.65 - gap - room * (1 + (bottom < 0))
        name_w = min(max((ink(t) for t in names), default=0.0),
                     max(0.3 * view[0], widest))
        for text in names:
            text.setTextWidth(max(1.0, name_w + 1))
            text.textItem.document().setDefaultTextOption(wrapped(Qt.AlignmentFlag.AlignRight))
        reserve = chart.top_reserve()
        row = (view[1] - reserve) / max(1, n)
        bars_px = view[0] - name_w - gap - room * (1 + (bottom < 0))
        fits = bars_px >= 0.35 * view[0] and all(text_size(t).height() <= row for t in names)
        sx = max(bars_px, view[0] * 0.1) / whole
        x0 = bottom - room / sx if bottom < 0 else 0.0
        for text in names:
            text.setPos(x0 - gap / sx, text.pos().y())
        chart.lock_range((x0 - (name_w + 2 + gap) / sx, top + room / sx),
                         (-0.6, n - 0.4 + reserve / max(row, 1.0)))
        _thin_names(chart, view, reserve, names)
        _place_values(chart, view, values, width, gap)
        return chart.place_legend(view) and fits
    # Category names wrap under their bars; axis tick text cannot wrap.
    view = chart.plot_area()
    reserve = chart.top_reserve()
    slot = view[0] / (n + 0.2)  # the range below: 0.6 on the left, 0.4 on the right
    names, stride = _names(chart, slot, view[1])
    names_h = max((text_size(t).height() for t in names), default=0.0)
    under = label_h + gap if bottom < 0 else 0.0
    bars_px = view[1] - reserve - names_h - label_h - under - 2 * gap
    fits = bars_px >= 0.3 * view[1] and stride == 1
    sy = max(bars_px, view[1] * 0.1) / whole
    names_top = bottom - (under + gap) / sy
    for text in names:
        text.setPos(text.pos().x(), names_top)
    chart.lock_range((-0.6, n - 0.4),
                     (names_top - names_h / sy, top + (label_h + gap + reserve) / sy))
    _thin_names(chart, view, reserve, names)
    _place_values(chart, view, values, width, gap,
                           [chart.frame(view).rect(i - 0.5 * stride, names_top,
                                                   i + 0.5 * stride, names_top - names_h / sy)
                            for i in _named(n, stride)])
    return chart.place_legend(view) and fits


def _names(chart: ChartCanvas, slot: float, height: float) -> tuple[list[pg.TextItem], int]:
    """The category names under upright bars, each wrapped to its slot, and
    how many slots each has: 1, or, where names do not fit their slots
    (many categories, long words), every second, third ... category is
    named across that many slots (the others are named by a tap)."""
    spec, n = chart.spec, len(chart.spec.categories)

    def named(stride: int) -> list[pg.TextItem]:
        return [chart.add_label(chart.loc.text(spec.categories[i]), i, 0, (0.5, 0), px=CHART_LABEL,
                                width=slot * stride * 0.92,
                                color=chart.look.palette.text_muted)
                for i in _named(n, stride)]

    for stride in (k for k in (1, 2, 3, 4, 6, 8, 12) if k < n or k == 1):
        names = named(stride)
        tall = max((text_size(t).height() for t in names), default=0.0)
        if tall <= 0.4 * height and all(text_size(t).width() <= slot * stride * 0.92 + 1
                                        for t in names):
            return names, stride
        for text in names:
            chart.drop_label(text)
    return named(n), n


def _thin_names(chart: ChartCanvas, view: tuple[float, float], reserve: float,
                names: list[pg.TextItem]) -> None:
    """A name that would run into the one before it or out of the plot is
    left to a tap (it happens only where nothing fits: the last try of
    ChartView.rebuild)."""
    frame = chart.frame(view)
    bounds = QRectF(0, reserve, view[0], view[1] - reserve).adjusted(-1, -1, 1, 1)
    kept: list[QRectF] = []
    for text in names:
        size = text_size(text)
        at = frame.px(text.pos().x(), text.pos().y())
        anchor = text.anchor
        box = QRectF(at.x() - anchor.x() * size.width(), at.y() - anchor.y() * size.height(),
                     size.width(), size.height())
        if bounds.contains(box) and not any(box.intersects(other) for other in kept):
            kept.append(box)
        else:
            chart.drop_label(text)


def _named(n: int, stride: int) -> list[int]:
    """The categories named when each name has ``stride`` slots: one in the
    middle of each run of ``stride``, whose name stays inside the plot."""
    if stride == 1:
        return list(range(n))
    return [i for i in range(stride // 2, n, stride) if i + 0.46 * stride <= n - 0.4]


def _place_values(chart: ChartCanvas, view: tuple[float, float], values: list[Value],
                  width: float, gap: float, names: list[QRectF] | None = None) -> bool:
    """Each value just past its own bar's end, clear of every bar, name and
    other value; True if every value found a place."""
    frame: Frame = chart.frame(view)
    horizontal = chart.horizontal
    half = width * 0.45

    def bar(v: float, centre: float) -> QRectF:
        if horizontal:
            return frame.rect(0, centre - half, v, centre + half)
        return frame.rect(centre - half, 0, centre + half, v)

    marks = [bar(v, c) for *_, v, c in values]
    reserve = chart.top_reserve()
    bounds = QRectF(0, reserve, view[0], view[1] - reserve)
    placer = Placer(bounds, marks, margin=gap, keep_clear=names or [])
    return chart.place_values(placer, frame, [
        (text, j, beyond_bar(marks[j], text_size(text), gap, horizontal=horizontal,
                             negative=v < 0))
        for j, (text, _, _, v, _) in enumerate(values)])

