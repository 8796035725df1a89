"""Share charts: each share a row, its name above a bar of the whole with the
part filled in, and its value below."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from taixin_kiosk.ui.charts.canvas import ChartCanvas
from taixin_kiosk.ui.charts.parts import Mark, text_size

# A share's bar, in data units (its row's layout is worked out in pixels).
SHARE_BAR = 0.34


def build_share(chart: ChartCanvas) -> bool:
    """Builds the rows of shares; False if the text does not fit."""
    spec, loc = chart.spec, chart.loc
    palette = chart.look.palette
    item = chart.item
    n = len(spec.items)
    for name in ("left", "bottom"):
        item.axis(name).hide()
    view = chart.plot_area()
    gap = chart.gap()
    names = [chart.add_label(loc.text(s.label), 0, 0, (0, 1), px=26, width=view[0] * 0.98,
                             align=Qt.AlignmentFlag.AlignLeft) for s in spec.items]
    values = [chart.add_label(loc.text(s.value_label), s.value, 0, (0.5, 0),
                              color=palette.accent, px=28, bold=True) for s in spec.items]
    names_h = max(text_size(t).height() for t in names)
    values_h = max(text_size(t).height() for t in values)
    reserve = chart.top_reserve()
    row = (view[1] - reserve) / max(1, n)
    room = row - names_h - values_h - 4 * gap
    bar = min(room, max(0.19 * row, 28 * chart.unit))
    fits = bar >= max(10.0, 0.1 * row) and \
        all(text_size(t).width() <= view[0] * 0.98 + 1 for t in (*names, *values))
    bar = max(bar, 6.0)
    # Bars are SHARE_BAR data units tall, so a share's row keeps its shape in
    # data coordinates whatever the text around it.
    per_px = SHARE_BAR / bar
    sx = view[0] / 1.04
    height = view[1] * per_px
    for i, share in enumerate(spec.items):
        block = names_h + gap + bar + gap + values_h
        centre_px = reserve + i * row + (row - block) / 2 + names_h + gap + bar / 2
        y = height - centre_px * per_px
        # The whole, hatched and outlined: it differs from the part in more
        # than colour, and the part carries its name and value.
        item.add(pg.BarGraphItem(x0=0, y=y, height=SHARE_BAR, width=1.0,
                                 brush=QBrush(palette.chart_rest,
                                              Qt.BrushStyle.BDiagPattern),
                                 pen=pg.mkPen(palette.chart_rest, width=2)))
        item.add(pg.BarGraphItem(x0=0, y=y, height=SHARE_BAR, width=share.value,
                                 brush=pg.mkBrush(palette.accent_2), pen=pg.mkPen(None)))
        names[i].setPos(0, y + SHARE_BAR / 2 + gap * per_px)
        half = text_size(values[i]).width() / 2 / sx
        values[i].setPos(min(max(share.value, -0.02 + half), 1.02 - half),
                         y - SHARE_BAR / 2 - gap * per_px)
        chart.add_mark(Mark(0.5, y, loc.text(share.label), loc.text(share.value_label),
                            0.5, 0.25))
    chart.lock_range((-0.02, 1.02), (0, height))
    return fits
