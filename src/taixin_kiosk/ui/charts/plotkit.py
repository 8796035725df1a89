"""The pyqtgraph kit: bars, lines and shares of several parts are drawn with it.

pyqtgraph's global options, the axis that formats numbers in the
language's way, the slim plot layout, how a series looks (colour, pattern,
point shape, line style) and its legend sample; and the pyqtgraph items a
canvas builds with, under the names ``lite`` gives its stand-ins. Imported
only for a chart that needs it (see ``kit``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pyqtgraph as pg
from pyqtgraph import GraphicsView, PlotDataItem, TextItem, mkBrush, mkPen
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from taixin_kiosk.core.language import Localizer
from taixin_kiosk.ui.theme import Palette

__all__ = ["GraphicsView", "PlotDataItem", "TextItem", "mkBrush", "mkPen"]

# A legend's sample of a series: draws one at data point (x, y) in a box
# ``side`` pixels wide (see ChartCanvas.series_legend).
Sample = Callable[[float, float, float], pg.GraphicsObject]

_configured = False


def configure(palette: Palette) -> None:
    """Global pyqtgraph options, set once before the first plot exists (the
    foreground in ``palette``'s colour; each build sets its own again)."""
    global _configured
    if _configured:
        return
    pg.setConfigOptions(antialias=True, background=None, foreground=palette.text_muted,
                        useNumba=False)
    _configured = True




def set_foreground(colour: QColor) -> None:
    """Axes and anything else left to pyqtgraph's defaults in ``colour``."""
    pg.setConfigOption("foreground", colour)


class AxisItem(pg.AxisItem):  # type: ignore[misc]
    """An axis whose numeric tick labels follow the language's number format."""

    def __init__(self, orientation: str, localizer: Localizer, decimals: int = 0) -> None:
        super().__init__(orientation)
        self._loc: Localizer = localizer
        self._decimals: int = decimals

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        # Enough decimals to tell neighbouring ticks apart (0.5 steps need one).
        step = abs(spacing * scale)
        needed = 0 if step >= 1 or step <= 0 else min(4, math.ceil(-math.log10(step) + 1e-9))
        decimals = max(needed, self._decimals if step < 1 else 0)
        return [self._loc.number(v * scale, decimals) for v in values]


class Plot(pg.GraphicsLayout):  # type: ignore[misc]
    """A view box with a left and a bottom axis.

    pyqtgraph's PlotItem builds option menus and a form of controls for every
    plot, which a locked kiosk chart never shows and which cost a few MB each;
    these are the only parts a chart here uses.
    """

    def __init__(self, left: pg.AxisItem, bottom: pg.AxisItem) -> None:
        super().__init__()
        self.view_box: pg.ViewBox = pg.ViewBox(enableMenu=False)
        self.view_box.setMouseEnabled(x=False, y=False)
        self.axes: dict[str, pg.AxisItem] = {"left": left, "bottom": bottom}
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


# Series after the first differ in more than colour: point shape, line style,
# and a bar's fill pattern.
SYMBOLS = ("o", "s", "t", "d")
LINE_STYLES = (Qt.PenStyle.DashLine, Qt.PenStyle.SolidLine, Qt.PenStyle.DotLine)
PATTERNS = (Qt.BrushStyle.SolidPattern, Qt.BrushStyle.BDiagPattern,
            Qt.BrushStyle.CrossPattern)


def series_brush(k: int, palette: Palette) -> tuple[QBrush, QPen]:
    """Series ``k``'s bar fill and outline: its colour, and its own pattern."""
    colour = (palette.accent_2, palette.accent, palette.accent_3)[k % 3]
    pattern = PATTERNS[k % len(PATTERNS)]
    pen = pg.mkPen(None) if pattern == Qt.BrushStyle.SolidPattern \
        else pg.mkPen(colour, width=2)
    return QBrush(colour, pattern), pen


def bar_sample(style: tuple[QBrush, QPen], x: float, y: float,
               side: float) -> pg.GraphicsObject:
    brush, pen = style
    return PixelSample(side, brush, pen, x, y)


def point_sample(palette: Palette, symbol: str, fill: QColor, x: float, y: float,
                 side: float) -> pg.GraphicsObject:
    return pg.ScatterPlotItem([x], [y], symbol=symbol, size=side, brush=pg.mkBrush(fill),
                              pen=pg.mkPen(palette.text, width=2))


class PixelSample(pg.GraphicsObject):  # type: ignore[misc]
    """A legend's sample of a bar series: a square ``side`` pixels wide at a
    data point, whatever the plot's scale."""

    def __init__(self, side: float, brush: QBrush, pen: QPen, x: float, y: float) -> None:
        super().__init__()
        self.side: float = side
        self.brush: QBrush = brush
        self.pen: QPen = pen
        self.setPos(x, y)
        self.setFlag(self.GraphicsItemFlag.ItemIgnoresTransformations)

    def boundingRect(self) -> QRectF:
        return QRectF(-self.side / 2, -self.side / 2, self.side, self.side)

    def paint(self, painter: QPainter, *args: object) -> None:
        painter.setPen(self.pen)
        painter.setBrush(self.brush)
        painter.drawRect(self.boundingRect())


