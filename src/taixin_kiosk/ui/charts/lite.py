"""The few plot pieces figures and timelines need, in plain Qt.

Hero figures, ``figures`` charts and timelines draw text, a ring, a line
and round points: nothing that needs pyqtgraph, which with numpy is about
49 MB of a kiosk's memory. These stand-ins have the names, arguments and
behaviour of the pyqtgraph items ``canvas.ChartCanvas`` and the builders of
those kinds use (a text item anchored at a data point that ignores the
plot's scale, a locked view box with y up, an axis with explicit ticks, a
line with points), so a pack whose charts are all of these kinds never
loads pyqtgraph (see ``kit``). Bars, lines and shares of several parts use
pyqtgraph itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF, QTransform
from PySide6.QtWidgets import (
    QGraphicsGridLayout,
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsScene,
    QGraphicsTextItem,
    QGraphicsView,
    QGraphicsWidget,
    QSizePolicy,
    QWidget,
)

GraphicsObject = QGraphicsObject

# Every colour comes from the caller, the chart's palette: nothing here
# has a colour of its own (tests/test_contrast.py counts them).


def mkPen(colour: Any = None, width: float = 1, style: Qt.PenStyle | None = None) -> QPen:
    """A cosmetic pen (as wide in pixels at any scale), as pyqtgraph makes one;
    None makes no pen."""
    if isinstance(colour, QPen):
        return QPen(colour)
    if colour is None:
        return QPen(Qt.PenStyle.NoPen)
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    if style is not None:
        pen.setStyle(style)
    return pen


def mkBrush(colour: Any = None) -> QBrush:
    if isinstance(colour, QBrush):
        return QBrush(colour)
    if colour is None:
        return QBrush(Qt.BrushStyle.NoBrush)
    return QBrush(colour)


def configure(palette: object) -> None:
    """Nothing global to set (pyqtgraph's kit sets its options here)."""


def set_foreground(colour: QColor) -> None:
    """Nothing is left to defaults: every item is given its colour."""


def view_box_of(item: QGraphicsItem) -> ViewBox | None:
    parent = item.parentItem()
    while parent is not None and not isinstance(parent, ViewBox):
        parent = parent.parentItem()
    return parent


class TextItem(QGraphicsObject):
    """Text at a data point, unscaled, placed by ``anchor`` (0,0: its top
    left at the point; 1,1: its bottom right), with an optional box."""

    def __init__(self, text: str, color: QColor,
                 anchor: tuple[float, float] = (0.0, 0.0), border: Any = None,
                 fill: Any = None) -> None:
        super().__init__()
        self.anchor: QPointF = QPointF(*anchor)
        self.textItem: QGraphicsTextItem = QGraphicsTextItem(self)
        self.color: QColor = color
        self.textItem.setDefaultTextColor(self.color)
        self.textItem.setPlainText(text)
        self.fill: QBrush = mkBrush(fill)
        self.border: QPen = mkPen(border)
        self.update_text_pos()

    def toPlainText(self) -> str:
        return str(self.textItem.toPlainText())

    def setTextWidth(self, width: float) -> None:
        self.textItem.setTextWidth(width)
        self.update_text_pos()

    def setFont(self, font: Any) -> None:
        self.textItem.setFont(font)
        self.update_text_pos()

    def setAnchor(self, anchor: tuple[float, float]) -> None:
        self.anchor = QPointF(*anchor)
        self.update_text_pos()

    def update_text_pos(self) -> None:
        rect = self.textItem.boundingRect()
        self.prepareGeometryChange()
        self.textItem.setPos(-rect.width() * self.anchor.x(), -rect.height() * self.anchor.y())

    def update_transform(self) -> None:
        """Undoes the plot's scale (and keeps its position): text in pixels."""
        parent = self.parentItem()
        if parent is None:
            return
        inverse, _ = parent.sceneTransform().inverted()
        self.setTransform(QTransform(inverse.m11(), inverse.m12(), inverse.m21(),
                                     inverse.m22(), 0.0, 0.0))

    def boundingRect(self) -> QRectF:
        return self.textItem.mapRectToParent(self.textItem.boundingRect())

    def paint(self, painter: QPainter, *args: object) -> None:
        if self.border.style() != Qt.PenStyle.NoPen or \
                self.fill.style() != Qt.BrushStyle.NoBrush:
            painter.setPen(self.border)
            painter.setBrush(self.fill)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.drawPolygon(self.textItem.mapToParent(self.textItem.boundingRect()))


class PlotDataItem(QGraphicsObject):
    """A line through points (``pen``) and/or round points (``symbol="o"``,
    ``symbolSize`` pixels across), in data coordinates."""

    def __init__(self, xs: Sequence[float], ys: Sequence[float], pen: Any = None,
                 symbol: str | None = None, symbolSize: float = 10,
                 symbolBrush: Any = None, symbolPen: Any = None) -> None:
        super().__init__()
        self.xs: list[float] = [float(x) for x in xs]
        self.ys: list[float] = [float(y) for y in ys]
        self.opts: dict[str, Any] = {
            "pen": None if pen is None else mkPen(pen), "symbol": symbol,
            "symbolSize": symbolSize, "symbolBrush": mkBrush(symbolBrush),
            "symbolPen": mkPen(symbolPen)}

    def getData(self) -> tuple[list[float], list[float]]:
        return self.xs, self.ys

    def getViewBox(self) -> ViewBox | None:
        return view_box_of(self)

    def boundingRect(self) -> QRectF:
        if not self.xs:
            return QRectF()
        rect = QRectF(QPointF(min(self.xs), min(self.ys)),
                      QPointF(max(self.xs), max(self.ys))).normalized()
        # The points' and the pen's reach in pixels, in data units.
        parent = self.parentItem()
        scale = parent.transform() if parent is not None else QTransform()
        reach = float(self.opts["symbolSize"]) + 8
        dx = reach / max(abs(scale.m11()), 1e-9)
        dy = reach / max(abs(scale.m22()), 1e-9)
        return rect.adjusted(-dx, -dy, dx, dy)

    def paint(self, painter: QPainter, *args: object) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        points = [QPointF(x, y) for x, y in zip(self.xs, self.ys, strict=True)]
        if self.opts["pen"] is not None and len(points) > 1:
            painter.setPen(self.opts["pen"])
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline(QPolygonF(points))
        if self.opts["symbol"] is None:
            return
        # Points in pixels, whatever the plot's scale.
        to_device = painter.transform()
        painter.resetTransform()
        painter.setPen(self.opts["symbolPen"])
        painter.setBrush(self.opts["symbolBrush"])
        r = float(self.opts["symbolSize"]) / 2
        for point in points:
            painter.drawEllipse(to_device.map(point), r, r)
        painter.setTransform(to_device)


class ViewBox(QGraphicsWidget):
    """A locked view of data coordinates, y up; its items are clipped to it."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.child_group: QGraphicsObject = _Group(self)
        self.addedItems: list[QGraphicsItem] = []
        self._range: tuple[tuple[float, float], tuple[float, float]] = ((0.0, 1.0), (0.0, 1.0))
        # As pyqtgraph reports it: this view never pans or zooms (it takes
        # no mouse events at all).
        self.state: dict[str, Any] = {"mouseEnabled": [False, False]}
        self.menu: None = None
        # The axes showing this view's ticks: redrawn when its range changes.
        self.axes: list[QGraphicsWidget] = []

    def width(self) -> float:
        return float(self.size().width())

    def height(self) -> float:
        return float(self.size().height())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._update_matrix()

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.boundingRect())
        return path

    def addItem(self, item: QGraphicsItem) -> None:
        item.setParentItem(self.child_group)
        self.addedItems.append(item)
        if isinstance(item, TextItem):
            item.update_transform()

    def removeItem(self, item: QGraphicsItem) -> None:
        if item in self.addedItems:
            self.addedItems.remove(item)
        scene = item.scene()
        if scene is not None:
            scene.removeItem(item)
        item.setParentItem(None)  # type: ignore[arg-type]

    def clear(self) -> None:
        for item in list(self.addedItems):
            self.removeItem(item)

    def setLimits(self, **limits: float) -> None:
        """The range is set whole by ``setRange``: nothing to clamp."""

    def setRange(self, xRange: tuple[float, float], yRange: tuple[float, float],
                 padding: float = 0.0) -> None:
        self._range = ((float(xRange[0]), float(xRange[1])), (float(yRange[0]), float(yRange[1])))
        self._update_matrix()

    def viewRange(self) -> list[list[float]]:
        (x0, x1), (y0, y1) = self._range
        return [[x0, x1], [y0, y1]]

    def _update_matrix(self) -> None:
        (x0, x1), (y0, y1) = self._range
        bounds = self.rect()
        sx = bounds.width() / ((x1 - x0) or 1.0)
        sy = bounds.height() / ((y1 - y0) or 1.0)
        self.child_group.setTransform(QTransform(sx, 0.0, 0.0, -sy, -x0 * sx, y1 * sy))
        for item in self.addedItems:
            item.prepareGeometryChange()
            if isinstance(item, TextItem):
                item.update_transform()
        for axis in self.axes:
            axis.update()
        self.update()

    def mapViewToScene(self, point: QPointF) -> QPointF:
        return QPointF(self.child_group.mapToScene(point))

    def mapSceneToView(self, point: QPointF) -> QPointF:
        return QPointF(self.child_group.mapFromScene(point))


class _Group(QGraphicsObject):
    """The view box's data coordinates: draws nothing itself."""

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(self, painter: QPainter, *args: object) -> None:
        pass


class AxisItem(QGraphicsWidget):
    """A bottom or left axis that shows the ticks it is given (``setTicks``)
    under (or beside) the view box, drawn as pyqtgraph draws them: the axis
    line, ticks 5 pixels into the plot, each label centred on its tick."""

    TICK = 5

    def __init__(self, orientation: str, localizer: object = None, decimals: int = 0) -> None:
        super().__init__()
        # (The localizer and decimals format numeric ticks: a lite axis only
        # ever shows the ticks it is given.)
        self.orientation: str = orientation
        self._view: ViewBox | None = None
        self._tickLevels: list[list[tuple[float, str]]] = []
        # (Both set by ChartCanvas.style_axes before it is shown.)
        self._pen: QPen = QPen()
        self._text_pen: QPen = QPen()
        # pyqtgraph's name for its settings (it hides QGraphicsWidget.style()).
        self.style: dict[str, Any] = {  # type: ignore[assignment,method-assign]
            "tickFont": self.font(), "tickTextOffset": [5, 5]}
        self._fixed = 0.0

    def linkToView(self, view: ViewBox) -> None:
        self._view = view
        view.axes.append(self)

    def setTicks(self, ticks: list[list[tuple[float, str]]] | None) -> None:
        self._tickLevels = [list(level) for level in ticks or []]
        self.update()

    def setTickFont(self, font: Any) -> None:
        self.style["tickFont"] = font
        self.update()

    def setTextPen(self, pen: QPen) -> None:
        self._text_pen = QPen(pen)

    def textPen(self) -> QPen:
        return self._text_pen

    def setPen(self, pen: QPen) -> None:
        self._pen = QPen(pen)

    def pen(self) -> QPen:
        return self._pen

    def setStyle(self, tickTextOffset: int = 5) -> None:  # type: ignore[override]
        self.style["tickTextOffset"] = [tickTextOffset, tickTextOffset]

    def setHeight(self, height: float) -> None:
        self._fixed = height
        self._update_size()

    def setVisible(self, visible: bool) -> None:
        super().setVisible(visible)
        self._update_size()

    def _update_size(self) -> None:
        size = self._fixed if self.isVisible() else 0.0
        if self.orientation == "bottom":
            self.setMaximumHeight(size)
            self.setMinimumHeight(size)
        else:
            self.setMaximumWidth(size)
            self.setMinimumWidth(size)

    def paint(self, painter: QPainter, *args: object) -> None:
        if self._view is None or self.orientation != "bottom":
            return  # only a timeline's dates (a bottom axis) are ever shown
        bounds = self.boundingRect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(self._pen)
        painter.drawLine(bounds.topLeft(), bounds.topRight())
        painter.setFont(self.style["tickFont"])
        offset = self.style["tickTextOffset"][1]
        metrics = painter.fontMetrics()
        for x, text in self._tickLevels[0] if self._tickLevels else []:
            at = self.mapFromScene(self._view.mapViewToScene(QPointF(x, 0))).x()
            if not bounds.left() <= at <= bounds.right():
                continue
            painter.setPen(self._pen)
            painter.drawLine(QPointF(at, bounds.top()), QPointF(at, bounds.top() - self.TICK))
            width, height = metrics.horizontalAdvance(text), metrics.height()
            rect = QRectF(at - width / 2, bounds.top() + offset, width, height)
            if bounds.intersected(rect) != rect:
                continue  # pyqtgraph leaves out a label its axis cannot hold
            painter.setPen(self._text_pen)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                                       | Qt.TextFlag.TextDontClip), text)


class Plot(QGraphicsWidget):
    """A view box with a left and a bottom axis, laid out as pyqtgraph's
    ``GraphicsLayout`` lays them out (a hidden axis takes no room)."""

    def __init__(self, left: AxisItem, bottom: AxisItem) -> None:
        super().__init__()
        grid = QGraphicsGridLayout()
        self.setLayout(grid)
        # pyqtgraph's name for the grid (it hides QGraphicsWidget.layout()).
        self.layout = grid  # type: ignore[assignment,method-assign]
        self.view_box: ViewBox = ViewBox()
        self.axes: dict[str, AxisItem] = {"left": left, "bottom": bottom}
        for axis in self.axes.values():
            axis.linkToView(self.view_box)
        grid.addItem(left, 0, 0)
        grid.addItem(self.view_box, 0, 1)
        grid.addItem(bottom, 1, 1)

    def add(self, item: QGraphicsItem) -> None:
        self.view_box.addItem(item)

    def remove(self, item: QGraphicsItem) -> None:
        self.view_box.removeItem(item)

    def clear_items(self) -> None:
        self.view_box.clear()

    def axis(self, name: str) -> AxisItem:
        return self.axes[name]


class GraphicsView(QGraphicsView):
    """A view whose scene is exactly its viewport, holding one central item
    that fills it; transparent, no frame, no scroll bars."""

    def __init__(self, parent: QWidget | None = None, background: Any = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setBackgroundBrush(Qt.BrushStyle.NoBrush)
        self._central: QGraphicsWidget | None = None

    def setCentralItem(self, item: QGraphicsWidget) -> None:
        self._central = item
        self.scene().addItem(item)
        self._fit()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        rect = QRectF(self.viewport().rect())
        self.setSceneRect(rect)
        if self._central is not None:
            self._central.setGeometry(rect)
