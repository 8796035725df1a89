"""The chart widget a slide shows: built by kind, placed, tapped, read out.

Imported only when a chart is first needed (``ui.slide_view`` imports it
inside a function), so pyqtgraph and numpy stay off the start-up path. Every
chart is locked for touch use (no menu, no pan or zoom, no auto-range
button); a tap shows a value. All labels are rebuilt on ``retranslate`` from
the catalogue, with the language's number format.
"""

from __future__ import annotations

import importlib
import logging
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

from taixin_kiosk.content.deck import Chart
from taixin_kiosk.core.language import Localizer
from taixin_kiosk.ui.charts.canvas import ChartCanvas
from taixin_kiosk.ui.charts.parts import TALL_BOX, text_size, wrapped
from taixin_kiosk.ui.look import DEFAULT_LOOK, Look
from taixin_kiosk.ui.theme import CHART_LABEL, CHART_TEXT

if TYPE_CHECKING:
    import pyqtgraph as pg

log = logging.getLogger("taixin_kiosk.charts")


def _length(point: QPointF) -> float:
    return float(math.hypot(point.x(), point.y()))

# Each chart kind's builder (module, function): it puts the kind's items on
# the canvas, locks the range and says whether its text fitted. A kind not
# listed here is logged and leaves the chart empty (see ChartView._build).
# Imported when a chart of the kind is first built: bars, lines and shares
# import pyqtgraph, figures and timelines do not (see kit.py).
KINDS: dict[str, tuple[str, str]] = {
    "bar": ("bar", "build_bar"),
    "share": ("share", "build_share"),
    "line": ("line", "build_line"),
    "timeline": ("timeline", "build_timeline"),
    "figures": ("figure", "build_figures"),
}


def builder(spec: Chart) -> Callable[[ChartCanvas], bool]:
    """The function that builds ``spec``'s kind (KeyError for an unknown kind)."""
    module, name = KINDS[spec.kind]
    if spec.kind == "share" and spec.drawn_as_figures:  # one part: a hero figure
        module, name = "figure", "build_hero_share"
    found: Callable[[ChartCanvas], bool] = getattr(
        importlib.import_module(f"taixin_kiosk.ui.charts.{module}"), name)
    return found

# Large text: the shares of the slide's text growth a chart tries in turn,
# keeping the first its box can hold.
GROWTH_SHARES = (1.0, 0.75, 0.5, 0.25, 0.0)


class ChartView(ChartCanvas):
    """A locked pyqtgraph plot for one chart spec, rebuilt on language change."""

    def __init__(self, spec: Chart, localizer: Localizer, family: str,
                 parent: QWidget | None = None, *, look: Look = DEFAULT_LOOK) -> None:
        super().__init__(spec, localizer, family, parent, look=look)
        self._callout: pg.TextItem | None = None
        self.selected: int | None = None
        # What the labels were last built for (see _build_key); None until placed.
        self._built_for: tuple[int, int, float, float] | None = None

    # -- public -------------------------------------------------------------

    def place(self, rect: QRect, unit: float) -> None:
        """Puts the chart in ``rect`` with type ``unit``; builds its items once.

        Labels are sized from the width and the unit, so they are built here
        when either changed, and not again when a hidden chart is first shown.
        """
        self.unit = unit
        self.setGeometry(rect)
        self._rebuild_if_stale()

    def _build_key(self) -> tuple[int, int, float, float]:
        # Labels are laid out in pixels: a new size, unit or text scale redoes them.
        return self.width(), self.height(), round(self.unit, 3), self.text_scale

    def _rebuild_if_stale(self) -> None:
        if self._built_for != self._build_key():
            self.rebuild()

    def retranslate(self) -> None:
        """Built again: every label in the current language, in the colours
        of its look."""
        self.rebuild()

    def handle_tap(self, pos: QPointF) -> bool:
        """Shows the value of the bar or point under ``pos`` (widget coords)."""
        vb = self.item.view_box
        # QGraphicsView's own mapping: PlotWidget forwards mapToScene and
        # mapFromScene to its PlotItem, which maps into item coordinates.
        scene_pos = QGraphicsView.mapToScene(self.plot, self.plot.mapFrom(self, pos.toPoint()))
        if not vb.sceneBoundingRect().contains(scene_pos):
            return False
        data = vb.mapSceneToView(scene_pos)
        hits = [i for i, mark in enumerate(self._marks)
                if abs(data.x() - mark.x) <= mark.hx and abs(data.y() - mark.y) <= mark.hy]
        if hits:
            # Where hit boxes overlap (close points), the nearest mark on screen.
            self.select(min(hits, key=lambda i: _length(self.mark_position(i) - pos)))
            return True
        if self.selected is not None:  # a tap beside the marks puts the value away
            self.select(None)
            return True
        return False

    def select(self, index: int | None) -> None:
        self.selected = index
        self._show_callout()

    def callout_text(self) -> str | None:
        return None if self._callout is None else self._callout.toPlainText()

    def mark_position(self, index: int) -> QPointF:
        """Where mark ``index`` is drawn, in this widget's coordinates."""
        mark = self._marks[index]
        scene = self.item.view_box.mapViewToScene(QPointF(mark.x, mark.y))
        return QPointF(self.plot.mapTo(self, QGraphicsView.mapFromScene(self.plot, scene)))

    def mark_count(self) -> int:
        """How many tappable marks the chart has (bars, points, share rows)."""
        return len(self._marks)

    def mark_text(self, index: int) -> str:
        """What a tap on mark ``index`` shows, as a screen reader says it."""
        mark = self._marks[index]
        return self.loc.text("ui.chart.tap_value", label=mark.label, value=mark.value)

    def mark_rect(self, index: int) -> QRectF:
        """Where mark ``index`` is drawn (the bar, the share's bar, the point),
        in this widget's coordinates: keyboard focus rings it."""
        mark = self._marks[index]
        vb = self.item.view_box
        kind, horizontal = self.spec.kind, self.horizontal
        if kind in ("line", "timeline"):
            centre = self.mark_position(index)
            half = max(8.0, (22 if kind == "line" else 30) * self.unit) / 2
            return QRectF(centre.x() - half, centre.y() - half, 2 * half, 2 * half)
        if self.figure_form:  # the figure's whole box
            x0, x1 = mark.x - mark.hx, mark.x + mark.hx
            y0, y1 = mark.y - mark.hy, mark.y + mark.hy
        elif kind == "bar" and horizontal:  # the bar runs from 0 to twice the mark's x
            x0, x1, y0, y1 = 0.0, 2 * mark.x, mark.y - mark.hy * 0.9, mark.y + mark.hy * 0.9
        elif kind == "bar":
            x0, x1, y0, y1 = mark.x - mark.hx * 0.9, mark.x + mark.hx * 0.9, 0.0, 2 * mark.y
        else:  # share: the whole row's bar
            x0, x1, y0, y1 = 0.0, 1.0, mark.y - 0.17, mark.y + 0.17
        corners = [self._to_widget_point(vb.mapViewToScene(QPointF(x, y)))
                   for x, y in ((x0, y0), (x1, y1))]
        return QRectF(corners[0], corners[1]).normalized()

    def axis_label_boxes(self) -> list[tuple[str, QRectF, QRectF]]:
        """Each explicit bottom-axis tick label, the box it needs and the axis's
        box, in this widget's coordinates (for fit tests: pyqtgraph silently
        drops or clips labels that do not fit)."""
        axis = self.item.axis("bottom")
        if not axis.isVisible() or not axis._tickLevels:
            return []
        metrics = QFontMetricsF(self.label_font(CHART_LABEL))
        offset = max(4, round(10 * self.unit * self.grow))
        area = self._to_widget(axis.mapRectToScene(axis.boundingRect()))
        boxes = []
        for x, text in axis._tickLevels[0]:
            centre = self._to_widget_point(self.item.view_box.mapViewToScene(QPointF(x, 0)))
            width, height = metrics.horizontalAdvance(text), metrics.height()
            boxes.append((text, QRectF(centre.x() - width / 2, area.top() + offset, width, height),
                          area))
        return boxes

    def figure_rect(self, index: int) -> QRectF:
        """Figure ``index``'s box (its value, name and tag, see figure.py) in
        this widget's coordinates."""
        box = self.figure_boxes[index]
        origin = self._to_widget(self.item.view_box.sceneBoundingRect()).topLeft()
        return box.translated(origin)

    def _to_widget(self, scene_rect: QRectF) -> QRectF:
        view_rect = QGraphicsView.mapFromScene(self.plot, scene_rect).boundingRect()
        top_left = self.plot.mapTo(self, view_rect.topLeft())
        return QRectF(top_left.x(), top_left.y(), view_rect.width(), view_rect.height())

    def _to_widget_point(self, scene_point: QPointF) -> QPointF:
        return QPointF(self.plot.mapTo(self, QGraphicsView.mapFromScene(self.plot, scene_point)))

    def text_boxes(self) -> list[tuple[str, QRectF]]:
        """Every label's text and its box in this widget's coordinates (for fit tests)."""
        boxes = []
        for item in [*self._texts, *([self._callout] if self._callout else [])]:
            scene_rect = item.mapRectToScene(item.boundingRect())
            view_rect = QGraphicsView.mapFromScene(self.plot, scene_rect).boundingRect()
            top_left = self.plot.mapTo(self, view_rect.topLeft())
            boxes.append((item.toPlainText(), QRectF(top_left.x(), top_left.y(),
                                                      view_rect.width(), view_rect.height())))
        return boxes

    # -- building -----------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._built_for is not None:  # before place() there is nothing to redo
            self._rebuild_if_stale()

    def rebuild(self) -> None:
        """Builds every item again, in the current language and colours.

        With large text, the chart's text grows as far as its box allows:
        the whole growth first, then less in quarters, down to none; a size
        at which every value label has a place is preferred to a larger one.
        """
        self._built_for = self._build_key()
        # Axes and anything else left to pyqtgraph's defaults follow the theme.
        self.pg.set_foreground(self.look.palette.text_muted)
        shares = GROWTH_SHARES if self.text_scale > 1.0 else (0.0,)
        spec_horizontal = self.spec.orientation == "horizontal"
        # Category names under upright bars get a slot each, too narrow for
        # a long word (at twice its size with large text, or among many
        # categories); across, a name has its own row. So a bar chart may
        # turn before its text gives up growth.
        # A timeline turns too: its points in rows down a line ("horizontal"
        # is the turned build for every kind that has one).
        turns: tuple[bool, ...] = (spec_horizontal, True) if (
            self.spec.kind in ("bar", "timeline") and not spec_horizontal
        ) else (spec_horizontal,)
        if self.spec.kind == "timeline" and self.height() > self.width() * TALL_BOX:
            # A timeline in a tall box (a portrait slide) runs down it: one
            # line across a tall panel leaves most of it empty.
            turns = (True, *(t for t in turns if not t))
        # First the largest text at which every value label finds a place;
        # failing that (a dense chart), the largest at which the rest of the
        # text fits, values that do not fit left to a tap. One pass finds
        # both: the second is the first try whose text fitted.
        tries = [(1.0 + (self.text_scale - 1.0) * share, horizontal)
                 for share in shares for horizontal in turns]
        first_fit: tuple[float, bool] | None = None
        self.brief = False
        for self.grow, self.horizontal in tries:
            if self._build():
                if self.every_value_placed:
                    break
                first_fit = first_fit or (self.grow, self.horizontal)
        else:
            built = False
            if first_fit is None and self.spec.kind == "timeline" and not self.look.seated \
                    and any(p.detail for p in self.spec.points):
                # A timeline whose details fit no try (a short box under a
                # tall header, large text) names its points only, each
                # detail read on a tap, rather than draw text out of its box.
                # (Not for a seated audience, who cannot tap.)
                self.brief = True
                first_fit = next((each for each in tries if self._build_at(*each)), None)
                self.brief = built = first_fit is not None
            # No try placed every value: the first whose text fitted; if none
            # did, the usual size and orientation, as well as it can be.
            if not built:
                self.grow, self.horizontal = first_fit or (1.0, spec_horizontal)
                self._build()
        self._show_callout()

    def _build_at(self, grow: float, horizontal: bool) -> bool:
        """One build with the text ``grow`` times its size, turned or not."""
        self.grow, self.horizontal = grow, horizontal
        return self._build()

    def _build(self) -> bool:
        """One build at the current text size; False if its text did not fit."""
        self.clear_build()
        self._callout = None
        self.style_axes()
        try:
            # An unknown kind raises here too (KeyError): logged, and the
            # chart stays empty rather than failing the slide.
            fits = bool(builder(self.spec)(self))
        except Exception:  # a chart must never take the slide down with it
            log.exception("chart %s could not be drawn", self.spec.title or self.spec.kind)
            return True
        return fits

    def _show_callout(self) -> None:
        if self._callout is not None:
            self.item.remove(self._callout)
            self._callout = None
        if self.selected is None or self.selected >= len(self._marks):
            return
        mark = self._marks[self.selected]
        text = self.loc.text("ui.chart.tap_value", label=mark.label, value=mark.value)
        # Open towards the middle of the plot, so a mark at an edge does not
        # push its value out of sight: right-aligned on the right, below near
        # the top.
        (x0, x1), (y0, y1) = self.item.view_box.viewRange()
        fx = (mark.x - x0) / ((x1 - x0) or 1)
        fy = (mark.y - y0) / ((y1 - y0) or 1)
        anchor = (1.0 if fx > 0.62 else 0.0 if fx < 0.38 else 0.5, 0.0 if fy > 0.6 else 1.0)
        palette = self.look.palette
        callout = self.pg.TextItem(text, color=palette.background_top, anchor=anchor,
                                   fill=self.pg.mkBrush(palette.accent),
                                   border=self.pg.mkPen(palette.text))
        callout.setFont(self.label_font(CHART_TEXT, bold=True))
        # A value too long for the room on the side it opens towards (large
        # text, a brief timeline's detail) wraps there; where that makes it
        # taller than the plot, across most of the plot's width.
        width = self.item.view_box.width() or self.width()
        height = self.item.view_box.height() or self.height()
        side = fx if anchor[0] == 1.0 else 1.0 - fx if anchor[0] == 0.0 \
            else 2 * min(fx, 1.0 - fx)
        natural, wide = text_size(callout).width(), width * 0.9
        # (Last, where even that is taller than the plot: at the chart
        # text's size without large text's growth.)
        for room, grown in ((width * min(0.9, max(0.3, side * 0.95)), True), (wide, True),
                            (wide, False)):
            if not grown:
                callout.setFont(self.label_font(CHART_TEXT, bold=True, growth=0.0))
            if natural > room or not grown:
                callout.setTextWidth(room)
                callout.textItem.document().setDefaultTextOption(
                    wrapped(Qt.AlignmentFlag.AlignHCenter))
            tall = text_size(callout).height()
            # Room on its own side, or (across) in the whole plot's height.
            if tall <= height * max(fy, 1.0 - fy) or (room == wide and tall <= height):
                break
        # Then moved, as little as it takes, to lie inside the plot (pixels,
        # y up: the anchor's y of 0 hangs it under the point, 1 stands it on it).
        box = text_size(callout)
        px, py = fx * width, fy * height
        if anchor[1] == 0.0 and box.height() > py and height - py > py:
            anchor = (anchor[0], 1.0)
        elif anchor[1] == 1.0 and box.height() > height - py and py > height - py:
            anchor = (anchor[0], 0.0)
        left = px - anchor[0] * box.width()
        low = py - (1.0 - anchor[1]) * box.height()
        dx = -left if left < 0 else min(0.0, width - (left + box.width()))
        dy = -low if low < 0 else min(0.0, height - (low + box.height()))
        callout.setAnchor(anchor)
        callout.setPos(mark.x + dx * (x1 - x0) / width, mark.y + dy * (y1 - y0) / height)
        callout.setZValue(10)
        self.item.add(callout)
        self._callout = callout
