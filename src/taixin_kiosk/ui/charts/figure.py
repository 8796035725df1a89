"""Hero figures: a chart that says one number says it large.

A share chart of one part (``"nearly one third"``) is drawn as its words,
large, beside a ring with that part of it filled; a ``figures`` chart
(counts of unlike things, the two ends of a span) as a row of big numbers,
each with its own unit and name. An approximate chart's "approximate" tag
sits inside each figure, under its value, so that it is read with the
number it qualifies.

The plot's range is in pixels, y up, so that text and glyph are laid out
in the units they are drawn in.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject

from taixin_kiosk.ui.charts.canvas import ChartCanvas
from taixin_kiosk.ui.charts.parts import Mark, ink, text_size, wrapped
from taixin_kiosk.ui.theme import CHART_LABEL, CHART_TEXT, LARGE_TEXT_SCALE

if TYPE_CHECKING:
    import pyqtgraph as pg

# A hero value, and a figure among several, at a 1080-pixel short side: the
# largest text of the panel. Tried from the first down, until it fits.
HERO_SIZES = (2.25 * CHART_TEXT, 56.0, 48.0, 40.0, 34.0)
FIGURE_SIZES = (2 * CHART_TEXT, 48.0, 40.0, 34.0)
# The share of large text's growth a big value takes: that of a slide's stat
# figures, which are as large already.
FIGURE_GROWTH = LARGE_TEXT_SCALE["stat"]
# Rows of figures apart, in gaps (a column's figures are 6 gaps apart).
ROW_GAP = 3
# The ring's hole, as a share of its diameter.
RING_HOLE = 0.56


class RingGlyph(QGraphicsObject):
    """A ring ``diameter`` pixels wide with ``fraction`` of it filled,
    clockwise from twelve o'clock; the rest of the whole is hatched, so the
    part differs from it in more than colour."""

    def __init__(self, diameter: float, fraction: float, part: QColor, rest: QColor,
                 x: float, y: float) -> None:
        super().__init__()
        self.diameter: float = diameter
        self.fraction: float = min(1.0, max(0.0, fraction))
        self.part: QColor = part
        self.rest: QColor = rest
        self.setPos(x, y)
        # Pixels whatever the plot's scale (and y down, as a painter draws).
        self.setFlag(self.GraphicsItemFlag.ItemIgnoresTransformations)

    def getViewBox(self) -> QGraphicsItem | None:
        """The view box it is drawn in (its data coordinates' owner)."""
        parent = self.parentItem()
        while parent is not None and not hasattr(parent, "mapViewToScene"):
            parent = parent.parentItem()
        return parent

    def boundingRect(self) -> QRectF:
        r = self.diameter / 2
        return QRectF(-r, -r, 2 * r, 2 * r)

    def segment(self, start: float, span: float) -> QPainterPath:
        """The ring between ``start`` and ``start + span`` degrees (Qt's
        angles: counter-clockwise from three o'clock)."""
        outer = self.boundingRect()
        inset = self.diameter * (1 - RING_HOLE) / 2
        inner = outer.adjusted(inset, inset, -inset, -inset)
        path = QPainterPath()
        path.arcMoveTo(outer, start)
        path.arcTo(outer, start, span)
        path.arcTo(inner, start + span, -span)
        path.closeSubpath()
        return path

    def paint(self, painter: QPainter, *args: object) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        span = -360.0 * self.fraction  # clockwise
        if self.fraction < 1.0:
            painter.setPen(QPen(self.rest, 2))
            painter.setBrush(QBrush(self.rest, Qt.BrushStyle.BDiagPattern))
            painter.drawPath(self.segment(90.0 + span, -360.0 - span))
        if self.fraction > 0.0:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(self.part))
            painter.drawPath(self.segment(90.0, span))


def one_line_of(text: pg.TextItem) -> bool:
    """Whether a label is laid out on a single line."""
    document = text.textItem.document()
    line = QFontMetricsF(text.textItem.font()).lineSpacing()
    return bool(document.size().height() - 2 * document.documentMargin() < 1.5 * line)


def unbroken(text: pg.TextItem, width: float) -> bool:
    """Whether a label wraps in ``width`` at spaces only: Qt breaks a
    Chinese word (or an over-long Latin one) anywhere, so each run without
    a space must fit on a line of its own."""
    metrics = QFontMetricsF(text.textItem.font())
    return all(metrics.horizontalAdvance(word) <= width + 1
               for word in text.toPlainText().split())


def approximate_tag(chart: ChartCanvas, width: float) -> pg.TextItem | None:
    """The "approximate" tag of an approximate chart, for a figure's box."""
    if not chart.spec.approximate:
        return None
    tag = chart.add_label(chart.loc.text("ui.chart.approximate"), 0, 0, (0, 0),
                          px=CHART_LABEL, color=chart.look.palette.accent, width=width,
                          align=Qt.AlignmentFlag.AlignLeft)
    return tag


def _stack(chart: ChartCanvas, texts: list[pg.TextItem], x: float, top: float,
           height: float) -> None:
    """Puts ``texts`` one under the other from ``top`` (pixels from the
    plot's top), a gap apart, their left edges at ``x``."""
    gap = chart.gap()
    for text in texts:
        text.setAnchor((0, 0))
        text.setPos(x, height - top)
        top += text_size(text).height() + gap


def _stack_height(chart: ChartCanvas, texts: list[pg.TextItem]) -> float:
    return sum(text_size(t).height() for t in texts) + chart.gap() * max(0, len(texts) - 1)


def _sizes(chart: ChartCanvas, sizes: tuple[float, ...]) -> tuple[float, ...]:
    """The figure sizes to try: only the first under large text (whose
    growth ChartView.rebuild lowers until the chart fits, so that every text
    grows by one factor); without it, smaller ones until one fits."""
    return sizes[:1] if chart.grow > 1.0 else sizes


def build_hero_share(chart: ChartCanvas) -> bool:
    """One share, large: its words, its name and the "approximate" tag
    beside (or, in a tall box, under) a ring filled to the share; the ring
    gives up size before the words do."""
    spec, loc = chart.spec, chart.loc
    palette = chart.look.palette
    share = spec.items[0]
    for name in ("left", "bottom"):
        chart.item.axis(name).hide()
    w, h = chart.plot_area()
    chart.lock_range((0.0, w), (0.0, h))
    gap = chart.gap()
    # Beside the ring in a wide box (the ring gives up size before the
    # words do), under it in a tall one or where the words need the width.
    forms = [(True, [min(h * k, w * 0.38) for k in (0.8, 0.65, 0.5)])] \
        if w >= 1.25 * h else []
    forms.append((False, [min(w * 0.7, h * k) for k in (0.45, 0.35, 0.25)]))
    fits = False
    made: list[pg.TextItem] = []
    stacked: list[pg.TextItem] = []
    inline, across, diameter = False, forms[0][0], forms[0][1][0]
    # The words on one line at a large size first (Qt would break a Chinese
    # phrase anywhere), then wrapped at any size.
    sizes = _sizes(chart, HERO_SIZES)
    tries = [(one_line, px, across, d) for one_line, pxs in ((True, sizes[:3]), (False, sizes))
             for across, rings in forms for px in pxs for d in rings]
    for one_line, px, across, diameter in tries:
        align = Qt.AlignmentFlag.AlignLeft if across else Qt.AlignmentFlag.AlignHCenter
        for text in made:
            chart.drop_label(text)
        text_w = (w - diameter - 6 * gap) if across else w
        value = chart.add_label(loc.text(share.value_label), 0, 0, (0, 0), px=px, bold=True,
                                color=palette.accent, width=text_w, align=align,
                                growth=FIGURE_GROWTH)
        label = chart.add_label(loc.text(share.label), 0, 0, (0, 0), px=CHART_TEXT,
                                width=text_w, align=align)
        tag = approximate_tag(chart, text_w)
        if tag is not None:
            tag.textItem.document().setDefaultTextOption(wrapped(align))
        made = [t for t in (value, label, tag) if t is not None]
        # The tag on its name's line where both fit: one line less to find room for.
        inline = tag is not None and ink(label) + 3 * gap + ink(tag) <= text_w
        stacked = made[:2] if inline else made
        room = h if across else h - diameter - 4 * gap
        fits = _stack_height(chart, stacked) <= room and \
            all(ink(t) <= text_w + 1 and unbroken(t, text_w) for t in made[1:]) and \
            ink(value) <= text_w + 1
        if fits and (not one_line or one_line_of(value)):
            break
    # Each text's box as wide as the block's widest line, so that none
    # reaches past the chart.
    widths = [ink(t) for t in stacked]
    if inline and tag is not None:
        widths[1] += 3 * gap + ink(tag)
    block_w = max(widths)
    for text in stacked:
        text.setTextWidth(max(1.0, (ink(text) if inline and text is label else block_w) + 1))
    block = _stack_height(chart, stacked)
    if across:
        left = max(0.0, (w - (diameter + 6 * gap + block_w)) / 2)
        cx, cy = left + diameter / 2, h / 2
        x, top = left + diameter + 6 * gap, max(0.0, (h - block) / 2)
    else:
        total = diameter + 4 * gap + block
        ring_top = max(0.0, (h - total) / 2)
        cx, cy = w / 2, h - (ring_top + diameter / 2)
        x, top = max(0.0, (w - block_w) / 2), ring_top + diameter + 4 * gap
    if inline and tag is not None:
        # The name and its tag as one line, centred on the block in a tall box.
        line_x = x if across else x + (block_w - widths[1]) / 2
        _stack(chart, [value], x, top, h)
        label_top = top + text_size(value).height() + gap
        _stack(chart, [label], line_x, label_top, h)
        tag.setTextWidth(max(1.0, ink(tag) + 1))
        tag_top = label_top + (text_size(label).height() - text_size(tag).height()) / 2
        _stack(chart, [tag], line_x + ink(label) + 3 * gap, tag_top, h)
    else:
        _stack(chart, made, x, top, h)
    chart.big_values.append(made[0])
    glyph = RingGlyph(diameter, share.value, palette.accent_2, palette.chart_rest, cx, cy)
    chart.item.add(glyph)
    chart.glyphs.append(glyph)
    chart.figure_boxes.append(QRectF(x, top, block_w + 1, block))
    chart.add_mark(Mark(w / 2, h / 2, loc.text(share.label), loc.text(share.value_label),
                        w / 2, h / 2))
    return fits


def build_figures(chart: ChartCanvas) -> bool:
    """A row of big numbers, each over its name (and the "approximate"
    tag); where the box is too small for that, two to a row, then each name
    beside its number, then one under the other."""
    spec = chart.spec
    for name in ("left", "bottom"):
        chart.item.axis(name).hide()
    w, h = chart.plot_area()
    chart.lock_range((0.0, w), (0.0, h))
    n = len(spec.figures)
    half = math.ceil(n / 2)
    layouts = list(dict.fromkeys([(n, False), (half, False), (half, True), (1, False),
                                  (1, True)]))
    made: list[list[pg.TextItem]] = []
    fits, columns, beside = False, n, False
    for (columns, beside), px in itertools.product(layouts, _sizes(chart, FIGURE_SIZES)):
        for block in made:
            for text in block:
                chart.drop_label(text)
        made, fits = _figure_texts(chart, (w, h), columns, beside, px)
        if fits:
            break
    _place_figures(chart, (w, h), made, columns, beside)
    return fits


def _figure_texts(chart: ChartCanvas, view: tuple[float, float], columns: int, beside: bool,
                  px: float) -> tuple[list[list[pg.TextItem]], bool]:
    """Each figure's texts (value, name, tag) at value size ``px``, wrapped
    for ``columns`` columns, the name under its value or ``beside`` it;
    and whether they all fit."""
    spec, loc = chart.spec, chart.loc
    palette = chart.look.palette
    w, h = view
    gap = chart.gap()
    col_w = (w - 6 * gap * (columns - 1)) / columns
    align = Qt.AlignmentFlag.AlignLeft if beside else Qt.AlignmentFlag.AlignHCenter
    made = []
    fits = True
    for f in spec.figures:
        shown = loc.value(f.value, spec.decimals if f.decimals is None else f.decimals,
                          f.unit or spec.unit)
        value = chart.add_label(shown, 0, 0, (0, 0), px=px, bold=True,
                                color=palette.accent, growth=FIGURE_GROWTH)
        # Measured on one line: a number is never broken from its unit.
        whole = ink(value)
        name_w = col_w - whole - 3 * gap if beside else col_w
        value.setTextWidth(max(1.0, whole + 1 if beside else col_w))
        value.textItem.document().setDefaultTextOption(wrapped(align))
        label = chart.add_label(loc.text(f.label), 0, 0, (0, 0), px=CHART_TEXT,
                                width=max(1.0, name_w), align=align)
        tag = approximate_tag(chart, max(1.0, name_w))
        if tag is not None:
            tag.textItem.document().setDefaultTextOption(wrapped(align))
        block = [t for t in (value, label, tag) if t is not None]
        made.append(block)
        fits = fits and whole <= col_w + 1 and name_w > 0 \
            and all(ink(t) <= name_w + 1 and unbroken(t, name_w) for t in block[1:])
    heights = [_figure_height(chart, block, beside) for block in made]
    rows = math.ceil(len(made) / columns)
    needed = sum(max(heights[r * columns:(r + 1) * columns]) for r in range(rows)) \
        + ROW_GAP * gap * (rows - 1)
    return made, fits and needed <= h


def _figure_height(chart: ChartCanvas, block: list[pg.TextItem], beside: bool) -> float:
    if beside:  # the name (and tag) beside the value, centred on it
        return max(text_size(block[0]).height(), _stack_height(chart, block[1:]))
    return _stack_height(chart, block)


def _place_figures(chart: ChartCanvas, view: tuple[float, float],
                   made: list[list[pg.TextItem]], columns: int, beside: bool) -> None:
    """Puts the figures in rows of ``columns``, the rows centred in the box;
    notes each figure's box, big value and tappable mark."""
    spec, loc = chart.spec, chart.loc
    w, h = view
    gap = chart.gap()
    n = len(made)
    rows = math.ceil(n / columns)
    col_w = (w - 6 * gap * (columns - 1)) / columns
    heights = [_figure_height(chart, block, beside) for block in made]
    row_h = [max(heights[r * columns:(r + 1) * columns]) for r in range(rows)]
    top = max(0.0, (h - sum(row_h) - ROW_GAP * gap * (rows - 1)) / 2)
    for r in range(rows):
        for c in range(columns):
            i = r * columns + c
            if i >= n:
                break
            left = c * (col_w + 6 * gap)
            block = made[i]
            if beside:
                value_h = text_size(block[0]).height()
                _stack(chart, block[:1], left, top + (row_h[r] - value_h) / 2, h)
                rest = _stack_height(chart, block[1:])
                _stack(chart, block[1:], left + ink(block[0]) + 3 * gap,
                       top + (row_h[r] - rest) / 2, h)
            else:
                _stack(chart, block, left, top, h)
            chart.figure_boxes.append(QRectF(left, top, col_w, row_h[r]))
            chart.big_values.append(block[0])
            chart.add_mark(Mark(left + col_w / 2, h - (top + row_h[r] / 2),
                                loc.text(spec.figures[i].label), block[0].toPlainText(),
                                col_w / 2, row_h[r] / 2))
        top += row_h[r] + ROW_GAP * gap
