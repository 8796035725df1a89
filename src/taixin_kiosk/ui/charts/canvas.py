"""The chart's widget and plot, and what a chart kind builds with.

``ChartCanvas`` holds the locked pyqtgraph plot and one build's state: the
labels, the tappable marks, the "approximate" tag and the legend. Its
methods are the kind builders' (``bar``, ``share``, ``line``, ``timeline``)
whole toolbox: fonts at the current text size, labels, marks, the plot's
size in pixels, the room at the top, the legend and the locked range.
``view.ChartView`` adds building by kind, taps and the callout; it is a
subclass, not a holder, so that the builders (which the view's table of
kinds imports) need nothing from the view and no import runs in a circle.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsView, QVBoxLayout, QWidget

from taixin_kiosk.content.deck import Chart
from taixin_kiosk.core.language import Localizer
from taixin_kiosk.ui.charts.kit import kit_for
from taixin_kiosk.ui.charts.labels import Frame, Placer
from taixin_kiosk.ui.charts.parts import Mark, Sample, text_size, wrapped
from taixin_kiosk.ui.look import DEFAULT_LOOK, Look
from taixin_kiosk.ui.theme import CHART_LABEL, CHART_TEXT, base_font

if TYPE_CHECKING:
    import pyqtgraph as pg

# Chart text in design pixels at a 1080-pixel short side, on the slide's type
# scale (ui.theme: CHART_TEXT a caption's size, CHART_LABEL the smallest
# label's): the chart's text (values, names, dates) and its smallest labels
# (axes, legend, the "approximate" tag). Emphasis (a milestone's name, a hero
# figure) is larger.
# The chart's unit is its short side / 1000; the type scale's is / 1080.
DESIGN = 1000.0 / 1080.0


class ChartCanvas(QWidget):
    """A locked pyqtgraph plot for one chart spec and the items built on it."""

    def __init__(self, spec: Chart, localizer: Localizer, family: str,
                 parent: QWidget | None = None, *, look: Look = DEFAULT_LOOK) -> None:
        super().__init__(parent)
        # Its colours (the slide's look, set by the slide view): used when
        # it is next built.
        self.look: Look = look
        # What it is drawn with: pyqtgraph, or for kinds that need none of
        # it (figures, timelines) its plain-Qt stand-ins (see kit.py).
        self.pg = kit_for(spec)
        self.pg.configure(look.palette)
        self.spec: Chart = spec
        self.loc: Localizer = localizer
        self._family: str = family
        # The slide's type unit (its short side / 1000), set by ``place``.
        self.unit: float = 1.0
        self._marks: list[Mark] = []
        self._texts: list[pg.TextItem] = []
        # The value labels drawn (each beside its own mark; see labels.py).
        self.value_labels: list[pg.TextItem] = []
        # Whether the last build placed every value label (ChartView.rebuild
        # prefers a text size that does).
        self.every_value_placed: bool = True
        # A figure chart's glyphs, and each figure's box in pixels from the
        # plot's top left (see figure.py): what tests measure.
        self.glyphs: list[pg.GraphicsObject] = []
        self.figure_boxes: list[QRectF] = []
        # The figures' big values: already large, they grow less with large
        # text (as a slide's stat figures do; see figure.FIGURE_GROWTH).
        self.big_values: list[pg.TextItem] = []
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.plot: pg.GraphicsView = self.pg.GraphicsView(parent=self, background=None)
        # The default background cache is a viewport-sized pixmap per chart.
        self.plot.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        self.plot.setStyleSheet("background: transparent; border: none;")
        self.plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.item = self.pg.Plot(self.pg.AxisItem("left", localizer, spec.decimals),
                                 self.pg.AxisItem("bottom", localizer, spec.decimals))
        self.plot.setCentralItem(self.item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        # Large text: the slide's body text multiple (set by the slide view).
        self.text_scale: float = 1.0
        # How much larger than normal the chart's text is drawn (see
        # ChartView.rebuild).
        self.grow: float = 1.0
        self._legend: list[tuple[pg.TextItem, Sample]] = []
        # The plot's width in pixels at the last ``plot_area``: the legend's rows.
        self._plot_width: float = 1.0
        self.bottom_height: int = 0
        # Whether bars run across (see ChartView.rebuild: large text may turn them).
        self.horizontal: bool = spec.orientation == "horizontal"
        # A timeline too short for its details names its points only, each
        # detail read on a tap (see ChartView.rebuild).
        self.brief: bool = False

    # -- what builders call ---------------------------------------------------

    def label_font(self, px: float, bold: bool = False, growth: float = 1.0) -> QFont:
        """The chart's font, ``px`` design pixels at a 1080-pixel short side
        (see CHART_TEXT), grown with large text (by ``growth``, the share of
        it this text takes), for text in the current language."""
        grow = 1.0 + (self.grow - 1.0) * growth
        return base_font(self._family, max(9.0, px * self.unit * DESIGN * grow), bold,
                         locale=self.loc.locale)

    def add_label(self, text: str, x: float, y: float, anchor: tuple[float, float], *,
                  color: QColor | None = None, px: float = CHART_TEXT, bold: bool = False,
                  width: float | None = None,
                  align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignHCenter,
                  growth: float = 1.0) -> pg.TextItem:
        """A label at data point (x, y), wrapped to ``width`` pixels if given."""
        item = self.pg.TextItem(text, color=color or self.look.palette.text, anchor=anchor)
        item.setFont(self.label_font(px, bold, growth))
        if width is not None:
            item.setTextWidth(max(1.0, width))
            item.textItem.document().setDefaultTextOption(wrapped(align))
        item.setPos(x, y)
        self.item.add(item)
        self._texts.append(item)
        return item

    def drop_label(self, item: pg.TextItem) -> None:
        """Takes a label of this build off the plot."""
        self.item.remove(item)
        self._texts.remove(item)

    @property
    def figure_form(self) -> bool:
        """Whether the chart is drawn as figures (see figure.py): a
        ``figures`` chart, or a share chart of one part."""
        return self.spec.drawn_as_figures

    def add_mark(self, mark: Mark) -> None:
        """A mark a tap (or keyboard focus) can select, in reading order."""
        self._marks.append(mark)

    def gap(self) -> float:
        """The space between a label and what it labels, in pixels."""
        return 6 * self.unit * self.grow

    def plot_area(self, left: float = 0.0, bottom: float = 0.0) -> tuple[float, float]:
        """The view box's size in pixels with a left axis ``left`` wide and a
        bottom axis ``bottom`` tall (0: hidden), as the plot's layout makes it:
        labels are laid out in pixels before the layout has run."""
        grid = self.item.layout
        ml, mt, mr, mb = grid.getContentsMargins()
        w = self.width() - ml - mr - (left + grid.horizontalSpacing() if left else 0.0)
        h = self.height() - mt - mb - (bottom + grid.verticalSpacing() if bottom else 0.0)
        self._plot_width = max(1.0, w)
        return max(1.0, w), max(1.0, h)

    def top_reserve(self) -> float:
        """Pixels kept free at the top of the plot for a legend, in as many
        rows as the plot's width (from the last ``plot_area``) needs. (The
        "approximate" tag is the slide's, on the chart title's line.)"""
        heights = [text_size(t).height() for t in self._legend_texts()]
        rows = len(self._legend_rows())
        line = max(heights, default=-self.gap())
        return line + self.gap() + max(0, rows - 1) * (line + self.gap())

    def _legend_rows(self) -> list[list[tuple[pg.TextItem, Sample, float]]]:
        """The legend's entries in rows, each with its x in pixels."""
        gap = self.gap()
        rows: list[list[tuple[pg.TextItem, Sample, float]]] = [[]]
        x = 0.0
        for text, sample in self._legend:
            need = text_size(text).height() * 0.6 + gap + text_size(text).width()
            if rows[-1] and x + need > self._plot_width:
                rows.append([])
                x = 0.0
            rows[-1].append((text, sample, x))
            x += need + 3 * gap
        return rows if rows[0] else []

    def _legend_texts(self) -> list[pg.TextItem]:
        return [text for text, _ in self._legend]

    def lock_range(self, x: tuple[float, float], y: tuple[float, float]) -> None:
        vb = self.item.view_box
        # Limits first: the last build's limits would clamp the new range.
        vb.setLimits(xMin=x[0], xMax=x[1], yMin=y[0], yMax=y[1])
        vb.setRange(xRange=x, yRange=y, padding=0)

    def frame(self, view: tuple[float, float]) -> Frame:
        """The locked range of a plot ``view`` pixels large (see ``plot_area``)."""
        (x0, x1), (y0, y1) = self.item.view_box.viewRange()
        return Frame(x0, x1, y0, y1, view[0], view[1])

    def place_values(self, placer: Placer, frame: Frame,
                     labels: list[tuple[pg.TextItem, int, list[QRectF]]]) -> bool:
        """Puts each value label (its mark's index in ``placer.marks``, and
        its candidate boxes in pixels) at its first usable place, in the
        order given; a label with none is taken off and left to a tap.
        True if every label was placed."""
        every = True
        for text, own, candidates in labels:
            rect = placer.place(own, candidates)
            if rect is None:
                self.drop_label(text)
                every = False
                continue
            text.setAnchor((0, 0))
            text.setPos(*frame.data(rect.topLeft()))
            self.value_labels.append(text)
        self.every_value_placed = self.every_value_placed and every
        return every

    def value_text(self, v: float) -> str:
        """A value as the chart reads it: the language's number format and the unit."""
        return self.loc.value(v, self.spec.decimals, self.spec.unit)

    def series_legend(self, samples: Sequence[Sample]) -> None:
        """Names the series (more than one) in a row at the top left, each after
        a sample of its mark: ``samples`` draw one at (x, y) in a box ``side``
        pixels wide once the range is known."""
        if len(self.spec.series) < 2:
            return
        for s, sample in zip(self.spec.series, samples, strict=True):
            text = self.add_label(self.loc.text(s.name), 0, 0, (0, 0), px=CHART_LABEL,
                                  color=self.look.palette.text_muted)
            self._legend.append((text, sample))

    def place_legend(self, view: tuple[float, float]) -> bool:
        """Puts the legend where ``top_reserve`` kept room; False if it is
        wider than the plot."""
        if not self._legend:
            return True
        (x0, x1), (y0, y1) = self.item.view_box.viewRange()
        sx = view[0] / ((x1 - x0) or 1)
        sy = view[1] / ((y1 - y0) or 1)
        gap = self.gap()
        fits = True
        top = y1
        for row in self._legend_rows():
            line = max(text_size(text).height() for text, _, _ in row)
            for text, sample, x in row:
                side = text_size(text).height() * 0.6
                self.item.add(sample(x0 + (x + side / 2) / sx, top - line / 2 / sy, side))
                text.setPos(x0 + (x + side + gap) / sx, top)
                fits = fits and x + side + gap + text_size(text).width() <= view[0]
            top -= (line + gap) / sy
        return fits

    # -- before each build ----------------------------------------------------

    def clear_build(self) -> None:
        """Takes every item of the last build off the plot and forgets it."""
        self.item.clear_items()
        self._texts = []
        self.value_labels = []
        self.every_value_placed = True
        self.glyphs = []
        self.figure_boxes = []
        self.big_values = []
        self._marks = []
        self._legend = []

    def style_axes(self) -> None:
        """Both axes in the theme's colours and the current text size, shown
        (a kind hides the ones it does not use)."""
        font = self.label_font(CHART_LABEL)
        offset = max(4, round(10 * self.unit * self.grow))
        line = QFontMetricsF(font).height()
        for name in ("left", "bottom"):
            axis = self.item.axis(name)
            axis.setTickFont(font)
            axis.setTextPen(self.pg.mkPen(self.look.palette.text_muted))
            axis.setPen(self.pg.mkPen(self.look.palette.axis, width=1))
            axis.setStyle(tickTextOffset=offset)
            axis.show()
        # pyqtgraph sizes the bottom axis for its default font: with a larger
        # tick font the descenders ("day", "year") would be cut off.
        self.bottom_height = math.ceil(line + offset + 8 * self.unit)
        self.item.axis("bottom").setHeight(self.bottom_height)
