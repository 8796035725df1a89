"""Timelines: points on one line, each with a label (and a detail, if it has
one: a milestone is named once), alternating
above and below it; where that does not fit (a tall, narrow box, a long
detail), one row per point down a line, its date beside it."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from taixin_kiosk.ui.charts.canvas import ChartCanvas
from taixin_kiosk.ui.charts.parts import Mark, ink, text_size, wrapped
from taixin_kiosk.ui.theme import CHART_TEXT

# How much larger than the chart's text a timeline's rows may be set where
# a tall box leaves the room, tried in turn.
ROW_BOOST = (1.6, 1.35, 1.15)

if TYPE_CHECKING:
    import pyqtgraph as pg


def build_timeline(chart: ChartCanvas) -> bool:
    """Builds the line, its points and their texts; False if the text does not fit.

    ``chart.horizontal`` (set when the chart is turned, see ChartView.rebuild)
    asks for the rows down a line instead.
    """
    if chart.horizontal:
        return _build_rows(chart)
    spec, loc = chart.spec, chart.loc
    palette = chart.look.palette
    item = chart.item
    xs = sorted(p.x for p in spec.points)
    lo, hi = (xs[0], xs[-1]) if xs else (0.0, 1.0)
    gaps = [b - a for a, b in itertools.pairwise(xs) if b > a]
    step = min(gaps, default=max(hi - lo, 1.0))
    item.axis("left").hide()
    bottom = item.axis("bottom")
    bottom.setTicks([[(x, loc.x_text(spec, x)) for x in xs]])
    view = chart.plot_area(bottom=chart.bottom_height)
    # Labels alternate above and below the line, so each may span two gaps;
    # a gap of padding at both ends keeps the outer labels inside the plot.
    x0, x1 = lo - step, hi + step
    slot = 1.9 * step * view[0] / (x1 - x0)
    symbol_px = max(10, round(30 * chart.unit))
    item.add(chart.pg.PlotDataItem([lo - step * 0.5, hi + step * 0.5], [0, 0],
                             pen=chart.pg.mkPen(palette.text_muted, width=3)))
    item.add(chart.pg.PlotDataItem(xs, [0] * len(xs), pen=None, symbol="o",
                             symbolSize=symbol_px, symbolBrush=chart.pg.mkBrush(palette.accent),
                             symbolPen=chart.pg.mkPen(palette.text, width=3)))
    gap = chart.gap()
    sx = view[0] / (x1 - x0)
    em = chart.label_font(CHART_TEXT + 4, bold=True).pixelSize()
    ordered = sorted(spec.points, key=lambda p: p.x)
    pairs = [(chart.add_label(loc.text(p.label), p.x, 0, (0.5, 1.0 if i % 2 == 0 else 0.0),
                              px=CHART_TEXT + 4, bold=True, color=palette.accent),
              None if p.detail is None or chart.brief else
              chart.add_label(loc.text(p.detail), p.x, 0, (0.5, 1.0 if i % 2 == 0 else 0.0),
                              px=CHART_TEXT, color=palette.text_muted))
             for i, p in enumerate(ordered)]
    # Each point's text on one line, and the room it may have: up to the
    # plot's edge, and to an em short of its neighbours on its own side
    # of the line (two points away; far apart where the years are).
    natural = [max(text_size(label).width(), text_size(detail).width())
               for label, detail in pairs]
    stacks = []
    for i, (p, (label, detail)) in enumerate(zip(ordered, pairs, strict=True)):
        width = slot
        if chart.text_scale > 1.0:
            around = [j for j in (i - 2, i + 2) if 0 <= j < len(ordered)]
            edge = min(2 * (p.x - x0) * sx, 2 * (x1 - p.x) * sx)
            room = min([edge, *(abs(ordered[j].x - p.x) * sx - em for j in around)])
            # Large text: a label wider than its share stays on one line
            # where its neighbours leave room for it.
            whole = natural[i] <= edge and all(
                (natural[i] + natural[j]) / 2 + em <= abs(ordered[j].x - p.x) * sx
                for j in around)
            width = natural[i] if whole else max(slot, room)
        for text in (t for t in (label, detail) if t is not None):
            text.setTextWidth(max(1.0, width))
            text.textItem.document().setDefaultTextOption(
                wrapped(Qt.AlignmentFlag.AlignHCenter))
        stacks.append((i % 2 == 0, label, detail, width))
    # The y axis is in pixels: labels above the line (and the "approximate"
    # tag) and below it each get the room they need, the rest split evenly.
    near = symbol_px / 2 + 2 * gap
    above = max((near + text_size(label).height() + _below(detail, gap)
                 for up, label, detail, _ in stacks if up), default=near) + chart.top_reserve()
    below = max((near + text_size(label).height() + _below(detail, gap)
                 for up, label, detail, _ in stacks if not up), default=near)
    spare = view[1] - above - below
    fits = spare >= 0 and all(
        max(text_size(label).width(), text_size(detail).width()) <= room + 1
        for _, label, detail, room in stacks)
    # Neighbours on one side keep at least an em between them, or two
    # labels read as one line.
    for side in (True, False):
        row = [(label.pos().x(), label, detail)
               for up, label, detail, _ in stacks if up == side]
        for (xa, la, da), (xb, lb, db) in itertools.pairwise(row):
            em = la.textItem.font().pixelSize()
            widths = (max(ink(la), _ink(da)) + max(ink(lb), _ink(db))) / 2
            fits = fits and widths + em <= (xb - xa) * sx
    y0, y1 = -(below + max(spare, 0.0) / 2), above + max(spare, 0.0) / 2
    for up, label, detail, _ in stacks:
        sign = 1 if up else -1
        label.setPos(label.pos().x(), sign * near)
        if detail is not None:
            detail.setPos(detail.pos().x(), sign * (near + text_size(label).height() + gap))
    reach = max(symbol_px, view[1] * 0.09)
    for p in sorted(spec.points, key=lambda p: p.x):
        chart.add_mark(Mark(p.x, 0, loc.x_text(spec, p.x), _read(chart, p.label, p.detail),
                            step * 0.45, reach))
    chart.lock_range((x0, x1), (y0, y1))
    return fits


def _build_rows(chart: ChartCanvas) -> bool:
    """One row per point, in time order down a vertical line: the date right-
    aligned left of the line, the point on it, the label and its detail
    wrapped to the right. Rows are spaced evenly, not by time, so that
    points close in time never crowd: the dates say how far apart they are.
    On a wide, short box the rows run on in a second (or third) column.
    The y range is in pixels from the top."""
    for name in ("left", "bottom"):
        chart.item.axis(name).hide()
    view = chart.plot_area()
    chart.lock_range((0.0, view[0]), (0.0, view[1]))
    n = len(chart.spec.points)
    columns = [c for c in (1, 2, 3) if c <= max(1, n)]
    # A tall box (a portrait slide) has room for larger rows than the
    # chart's text size: they are set as large as fits in one column, up
    # to ROW_BOOST (large text grows the chart's text its own way).
    if chart.text_scale <= 1.0:
        for boost in ROW_BOOST:
            if _rows_in_columns(chart, view, 1, last=False, boost=boost):
                return True
    # (any() stops at the first count of columns that fits.)
    return any(_rows_in_columns(chart, view, c, last=c == columns[-1]) for c in columns)


def _rows_in_columns(chart: ChartCanvas, view: tuple[float, float], count: int, *,
                     last: bool, boost: float = 1.0) -> bool:
    """The rows in ``count`` columns, read down the first, then the next,
    their text ``boost`` times the chart's; False (and nothing left drawn,
    unless ``last``) if they do not fit (with a boost: with room to spare
    between the rows, a row's height at least)."""
    spec, loc = chart.spec, chart.loc
    palette = chart.look.palette
    gap = chart.gap()
    ordered = sorted(spec.points, key=lambda p: p.x)
    per = -(-len(ordered) // count)
    gutter = 6 * gap
    col_w = (view[0] - gutter * (count - 1)) / count
    symbol_px = max(10, round(30 * chart.unit * boost))
    dates = [chart.add_label(loc.x_text(spec, p.x), 0, 0, (1, 0), px=CHART_TEXT * boost,
                             bold=True, color=palette.text) for p in ordered]
    date_w = max((ink(d) for d in dates), default=0.0)
    line_dx = date_w + 2 * gap + symbol_px / 2
    text_dx = line_dx + symbol_px / 2 + 2 * gap
    width = max(1.0, col_w - text_dx)
    made = list(dates)
    rows = []
    for p in ordered:
        label = chart.add_label(loc.text(p.label), 0, 0, (0, 0), px=(CHART_TEXT + 4) * boost,
                                bold=True, color=palette.accent, width=width,
                                align=Qt.AlignmentFlag.AlignLeft)
        detail = None if p.detail is None or chart.brief else \
            chart.add_label(loc.text(p.detail), 0, 0, (0, 0), px=CHART_TEXT * boost,
                            color=palette.text_muted, width=width,
                            align=Qt.AlignmentFlag.AlignLeft)
        made += [t for t in (label, detail) if t is not None]
        rows.append((label, detail, text_size(label).height() + text_size(detail).height()))
    top = chart.top_reserve()
    groups = [list(range(i, min(i + per, len(ordered)))) for i in range(0, len(ordered), per)]
    spares = [view[1] - top - sum(rows[i][2] for i in g) for g in groups]
    room = 2 * gap if boost == 1.0 else max(height for _, _, height in rows)
    fits = all(spare >= room * len(g) for spare, g in zip(spares, groups, strict=True)) \
        and all(max(ink(label), _ink(detail)) <= width + 1 for label, detail, _ in rows)
    if not fits and not last:
        for text in made:
            chart.drop_label(text)
        return False
    between = max(0.0, min(spares)) / max(1, per)
    # One column sits in the middle of the box, not against its left edge
    # (its texts' boxes as wide as their words, no wider).
    widest = max((max(ink(label), _ink(detail)) for label, detail, _ in rows), default=0.0)
    indent = 0.0 if count > 1 or not fits else max(0.0, (view[0] - text_dx - widest) / 2)
    if indent > 0:
        for label, detail, _ in rows:
            for text in (t for t in (label, detail) if t is not None):
                text.setTextWidth(widest + 1)
    for column, group in enumerate(groups):
        left = indent + column * (col_w + gutter)
        line_x, text_x = left + line_dx, left + text_dx
        y_px = top + between / 2
        centres = []
        for i in group:
            label, detail, height = rows[i]
            label.setPos(text_x, view[1] - y_px)
            if detail is not None:
                detail.setPos(text_x, view[1] - y_px - text_size(label).height())
            # The date and the point on the label's first line.
            centre = y_px + text_size(dates[i]).height() / 2
            dates[i].setPos(line_x - symbol_px / 2 - gap, view[1] - y_px)
            centres.append(view[1] - centre)
            chart.add_mark(Mark(line_x, view[1] - centre, loc.x_text(spec, ordered[i].x),
                                _read(chart, ordered[i].label, ordered[i].detail),
                                max(symbol_px, width / 2), height / 2))
            y_px += height + between
        if centres:
            chart.item.add(chart.pg.PlotDataItem([line_x, line_x], [centres[0], centres[-1]],
                                           pen=chart.pg.mkPen(palette.text_muted, width=3)))
            chart.item.add(chart.pg.PlotDataItem([line_x] * len(centres), centres, pen=None,
                                           symbol="o", symbolSize=symbol_px,
                                           symbolBrush=chart.pg.mkBrush(palette.accent),
                                           symbolPen=chart.pg.mkPen(palette.text, width=3)))
    return fits


def _read(chart: ChartCanvas, label: str, detail: str | None) -> str:
    """What a tap on a point reads: its label, or on a brief timeline (its
    details not drawn) its label and its detail, in the sentence a tapped
    value is read in."""
    loc = chart.loc
    if chart.brief and detail:
        return loc.text("ui.chart.tap_value", label=loc.text(label), value=loc.text(detail))
    return loc.text(label)


def _ink(text: pg.TextItem | None) -> float:
    return 0.0 if text is None else ink(text)


def _below(detail: pg.TextItem | None, gap: float) -> float:
    """The room a point's detail takes under its label (none without one)."""
    return 0.0 if detail is None else gap + text_size(detail).height()
