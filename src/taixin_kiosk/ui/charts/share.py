"""Share charts: each share a row, its name and its value on one line above a
bar of the whole with the part filled in."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from taixin_kiosk.ui.charts.canvas import ChartCanvas
from taixin_kiosk.ui.charts.figure import build_hero_share
from taixin_kiosk.ui.charts.parts import Mark, ink, text_size, wrapped
from taixin_kiosk.ui.theme import CHART_TEXT

# A share's bar, in data units (its row's layout is worked out in pixels).
SHARE_BAR = 0.34


def build_share(chart: ChartCanvas) -> bool:
    """Builds the rows of shares; False if the text does not fit.

    A row's name (left) and value (right) sit on one line right above its
    own bar, and rows are further apart than a row's parts, so a value is
    never read as the next row's: the value used to sit under its bar, as
    near to the next row's name as to its own.
    """
    if chart.figure_form:  # one part: a hero figure, not a lone bar
        return build_hero_share(chart)
    spec, loc = chart.spec, chart.loc
    palette = chart.look.palette
    item = chart.item
    n = len(spec.items)
    for name in ("left", "bottom"):
        item.axis(name).hide()
    view = chart.plot_area()
    gap = chart.gap()
    # The bar's track, from 0 to 1 of the locked range (-0.02 to 1.02).
    width = view[0] / 1.04
    values = [chart.add_label(loc.text(s.value_label), 0, 0, (1, 0), color=palette.accent,
                              px=CHART_TEXT + 2, bold=True) for s in spec.items]
    names = [chart.add_label(loc.text(s.label), 0, 0, (0, 0), px=CHART_TEXT) for s in spec.items]
    # A name shares its value's line when both fit side by side; otherwise the
    # value takes a line of its own under the name. Either wraps at words
    # only when longer than the whole track.
    beside = []
    for name_item, value in zip(names, values, strict=True):
        for label, align in ((name_item, Qt.AlignmentFlag.AlignLeft),
                             (value, Qt.AlignmentFlag.AlignRight)):
            if ink(label) > width:
                _wrap(label, width, align)
        beside.append(ink(name_item) + 3 * gap + ink(value) <= width)
    heads = [max(text_size(a).height(), text_size(b).height()) if side
             else text_size(a).height() + text_size(b).height()
             for a, b, side in zip(names, values, beside, strict=True)]
    reserve = chart.top_reserve()
    row = (view[1] - reserve) / max(1, n)
    head = max(heads, default=0.0)
    # Two gaps between a row's text and its bar, three between rows.
    room = row - head - 5 * gap
    bar = min(room, max(0.19 * row, 28 * chart.unit))
    fits = bar >= max(10.0, 0.1 * row) and \
        all(ink(t) <= width + 1 for t in (*names, *values))
    bar = max(bar, 6.0)
    # Bars are SHARE_BAR data units tall, so a share's row keeps its shape in
    # data coordinates whatever the text around it.
    per_px = SHARE_BAR / bar
    height = view[1] * per_px
    for i, share in enumerate(spec.items):
        top_px = reserve + i * row + (row - (heads[i] + gap + bar)) / 2
        centre_px = top_px + heads[i] + gap + bar / 2
        y = height - centre_px * per_px
        # The whole, hatched and outlined: it differs from the part in more
        # than colour, and the part carries its name and value.
        item.add(pg.BarGraphItem(x0=0, y=y, height=SHARE_BAR, width=1.0,
                                 brush=QBrush(palette.chart_rest,
                                              Qt.BrushStyle.BDiagPattern),
                                 pen=pg.mkPen(palette.chart_rest, width=2)))
        item.add(pg.BarGraphItem(x0=0, y=y, height=SHARE_BAR, width=share.value,
                                 brush=pg.mkBrush(palette.accent_2), pen=pg.mkPen(None)))
        top = height - top_px * per_px
        names[i].setPos(0, top)
        value_top = top_px + (0.0 if beside[i] else text_size(names[i]).height())
        values[i].setPos(1.0, height - value_top * per_px)
        chart.add_mark(Mark(0.5, y, loc.text(share.label), loc.text(share.value_label),
                            0.5, 0.25))
    chart.lock_range((-0.02, 1.02), (0, height))
    return fits


def _wrap(label: pg.TextItem, width: float, align: Qt.AlignmentFlag) -> None:
    label.setTextWidth(max(1.0, width))
    label.textItem.document().setDefaultTextOption(wrapped(align))
