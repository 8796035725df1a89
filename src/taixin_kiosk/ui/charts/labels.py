"""Where a chart's value labels go: beside their own mark, clear of the rest.

A value label is put at the first of its candidate places (above, below,
right, left of a point, then its corners; beyond the end of a bar) that
stays inside the plot, touches no other label, no mark and nothing else
kept free, and is nearer to its own mark than to any other by a clear
margin (a point's label by its box and by its middle), so that it cannot be
read as a neighbour's value. A label with no such place is left out: a tap on its
mark still shows the value. Places that cross no line are preferred.

Everything here is in the plot's pixels (x right, y down); ``Frame`` turns
data coordinates into them once the range is locked.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QLineF, QPointF, QRectF, QSizeF


@dataclass(frozen=True)
class Frame:
    """The locked range of a plot ``size`` pixels large: data <-> pixels."""

    x0: float
    x1: float
    y0: float
    y1: float
    width: float
    height: float

    def px(self, x: float, y: float) -> QPointF:
        return QPointF((x - self.x0) / ((self.x1 - self.x0) or 1) * self.width,
                       (self.y1 - y) / ((self.y1 - self.y0) or 1) * self.height)

    def data(self, point: QPointF) -> tuple[float, float]:
        return (self.x0 + point.x() / self.width * (self.x1 - self.x0),
                self.y1 - point.y() / self.height * (self.y1 - self.y0))

    def rect(self, x0: float, y0: float, x1: float, y1: float) -> QRectF:
        return QRectF(self.px(x0, y0), self.px(x1, y1)).normalized()


def distance(a: QRectF, b: QRectF) -> float:
    """The gap between two boxes, 0 when they touch or overlap."""
    dx = max(0.0, max(a.left(), b.left()) - min(a.right(), b.right()))
    dy = max(0.0, max(a.top(), b.top()) - min(a.bottom(), b.bottom()))
    return math.hypot(dx, dy)


def _length(point: QPointF) -> float:
    return math.hypot(point.x(), point.y())


def crosses(rect: QRectF, line: QLineF) -> bool:
    """Whether a line segment runs through a box."""
    if rect.contains(line.p1()) or rect.contains(line.p2()):
        return True
    corners = (rect.topLeft(), rect.topRight(), rect.bottomRight(), rect.bottomLeft())
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        kind, _ = line.intersects(QLineF(a, b))
        if kind == QLineF.IntersectionType.BoundedIntersection:
            return True
    return False


def around_point(centre: QPointF, size: QSizeF, reach: float) -> list[QRectF]:
    """A label's places around a point ``reach`` pixels from its centre:
    above, below, right, left, then the four corners."""
    w, h, cx, cy = size.width(), size.height(), centre.x(), centre.y()
    return [QRectF(x, y, w, h) for x, y in (
        (cx - w / 2, cy - reach - h), (cx - w / 2, cy + reach),
        (cx + reach, cy - h / 2), (cx - reach - w, cy - h / 2),
        (cx + reach * 0.7, cy - reach * 0.7 - h), (cx - reach * 0.7 - w, cy - reach * 0.7 - h),
        (cx + reach * 0.7, cy + reach * 0.7), (cx - reach * 0.7 - w, cy + reach * 0.7))]


def beyond_bar(bar: QRectF, size: QSizeF, gap: float, *, horizontal: bool,
               negative: bool) -> list[QRectF]:
    """A bar's value's place: just past the bar's end, centred on the bar."""
    w, h = size.width(), size.height()
    if horizontal:
        x = bar.left() - gap - w if negative else bar.right() + gap
        return [QRectF(x, bar.center().y() - h / 2, w, h)]
    y = bar.bottom() + gap if negative else bar.top() - gap - h
    return [QRectF(bar.center().x() - w / 2, y, w, h)]


@dataclass
class Placer:
    """Places labels one by one in ``bounds``, keeping each clear of
    ``marks``, ``keep_clear`` and the labels placed before it."""

    bounds: QRectF
    marks: Sequence[QRectF]
    # The space a label keeps from other labels, and (half of it) the least
    # by which its own mark is nearer than any other.
    margin: float
    keep_clear: list[QRectF] = field(default_factory=list)
    lines: Sequence[QLineF] = ()
    # The marks are points (a label is also judged by its middle), not bars.
    points: bool = False
    placed: list[QRectF] = field(default_factory=list)

    def place(self, own: int, candidates: Iterable[QRectF]) -> QRectF | None:
        """The best candidate for a label of mark ``own``, now taken; None if
        none may be used (the label is then left to a tap)."""
        usable = [rect for rect in candidates if self.usable(own, rect)]
        if not usable:
            return None
        best = min(enumerate(usable),
                   key=lambda pair: (sum(crosses(pair[1], line) for line in self.lines),
                                     pair[0]))[1]
        self.placed.append(best)
        return best

    def usable(self, own: int, rect: QRectF) -> bool:
        # (Half a pixel's rounding: a label may end where the plot does.)
        if not self.bounds.adjusted(-0.5, -0.5, 0.5, 0.5).contains(rect):
            return False
        room = rect.adjusted(-self.margin / 2, -self.margin / 2,
                             self.margin / 2, self.margin / 2)
        if any(room.intersects(other) for other in (*self.placed, *self.keep_clear)):
            return False
        mine = distance(rect, self.marks[own])
        if mine <= 0:
            return False
        # Half the margin is enough to tell: a label's box has the text's
        # leading and the document's margin around the ink.
        if not all(distance(rect, mark) > mine + self.margin / 2
                   for j, mark in enumerate(self.marks) if j != own):
            return False
        if not self.points:
            return True
        # A wide label beside one point may hang over the next: the eye
        # goes by its middle too.
        middle = rect.center()
        mine = _length(middle - self.marks[own].center())
        return all(_length(middle - mark.center()) > mine + self.margin / 2
                   for j, mark in enumerate(self.marks) if j != own)


def reading_priority(count: int) -> list[int]:
    """Indexes of a series in the order its labels are placed: both ends,
    then the middles of ever smaller stretches, so what is left out for
    want of room is spread evenly rather than lost at one end."""
    if count <= 0:
        return []
    order, seen = [0, count - 1], {0, count - 1}
    stretches = [(0, count - 1)]
    while stretches:
        following = []
        for a, b in stretches:
            if b - a < 2:
                continue
            middle = (a + b) // 2
            if middle not in seen:
                order.append(middle)
                seen.add(middle)
            following += [(a, middle), (middle, b)]
        stretches = following
    return list(dict.fromkeys([*order, *range(count)]))
