"""The deck's icons, drawn with QPainter as line art in one style.

Each icon is drawn in a 100x100 design box and scaled to its rect, with one
stroke weight, so icons stay crisp at any screen size and need no image files.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF

Draw = Callable[[QPainter], None]


def _poly(p: QPainter, *pts: tuple[float, float], closed: bool = False) -> None:
    poly = QPolygonF([QPointF(x, y) for x, y in pts])
    if closed:
        p.drawPolygon(poly)
    else:
        p.drawPolyline(poly)


def _location(p: QPainter) -> None:
    path = QPainterPath()
    path.moveTo(50, 92)
    path.cubicTo(20, 58, 18, 44, 18, 38)
    path.arcTo(QRectF(18, 6, 64, 64), 180, -180)
    path.cubicTo(82, 44, 80, 58, 50, 92)
    p.drawPath(path)
    p.drawEllipse(QPointF(50, 38), 12, 12)


def _link(p: QPainter) -> None:
    p.drawRoundedRect(QRectF(8, 36, 46, 28), 14, 14)
    p.drawRoundedRect(QRectF(46, 36, 46, 28), 14, 14)


def _corridor(p: QPainter) -> None:
    _poly(p, (10, 88), (38, 12))
    _poly(p, (90, 88), (62, 12))
    for y in (70, 46, 24):
        _poly(p, (50, y + 10), (50, y))
    _poly(p, (40, 22), (50, 8), (60, 22))


def _agriculture(p: QPainter) -> None:
    _poly(p, (50, 92), (50, 30))
    for y in (40, 58, 76):
        path = QPainterPath(QPointF(50, y))
        path.quadTo(30, y - 6, 24, y - 22)
        path.quadTo(44, y - 18, 50, y)
        p.drawPath(path)
        path = QPainterPath(QPointF(50, y))
        path.quadTo(70, y - 6, 76, y - 22)
        path.quadTo(56, y - 18, 50, y)
        p.drawPath(path)
    p.drawEllipse(QPointF(50, 20), 7, 11)


def _factory(p: QPainter) -> None:
    _poly(p, (8, 90), (8, 46), (32, 60), (32, 46), (56, 60), (56, 46), (80, 60), (80, 14),
          (92, 14), (92, 90), closed=True)
    for x in (20, 44, 68):
        p.drawRect(QRectF(x - 4, 72, 8, 8))


def _services(p: QPainter) -> None:
    p.drawEllipse(QPointF(50, 30), 16, 16)
    path = QPainterPath(QPointF(18, 90))
    path.cubicTo(18, 60, 82, 60, 82, 90)
    p.drawPath(path)
    _poly(p, (40, 66), (50, 78), (60, 66))


def _road(p: QPainter) -> None:
    _poly(p, (18, 92), (42, 8))
    _poly(p, (82, 92), (58, 8))
    for y0, y1 in ((80, 66), (52, 40), (28, 18)):
        _poly(p, (50, y0), (50, y1))


def _rail(p: QPainter) -> None:
    _poly(p, (30, 92), (40, 8))
    _poly(p, (70, 92), (60, 8))
    for y in (80, 62, 44, 28, 14):
        t = (92 - y) / 84
        _poly(p, (26 + 12 * t, y), (74 - 12 * t, y))


def _power(p: QPainter) -> None:
    _poly(p, (56, 6), (24, 54), (48, 54), (40, 94), (76, 42), (52, 42), (60, 6), closed=True)


def _flag(p: QPainter) -> None:
    _poly(p, (20, 94), (20, 8))
    path = QPainterPath(QPointF(20, 12))
    path.cubicTo(40, 2, 60, 24, 84, 12)
    path.lineTo(84, 50)
    path.cubicTo(60, 62, 40, 40, 20, 50)
    p.drawPath(path)


def _target(p: QPainter) -> None:
    for r in (40, 26, 12):
        p.drawEllipse(QPointF(50, 50), r, r)
    _poly(p, (50, 50), (88, 12))
    _poly(p, (74, 12), (88, 12), (88, 26))


def _people(p: QPainter) -> None:
    for cx, r in ((30, 11), (70, 11), (50, 14)):
        p.drawEllipse(QPointF(cx, 30 if cx != 50 else 26), r, r)
    for x0, x1 in ((10, 50), (50, 90)):
        path = QPainterPath(QPointF(x0, 82))
        path.cubicTo(x0, 52, x1, 52, x1, 82)
        p.drawPath(path)
    path = QPainterPath(QPointF(26, 92))
    path.cubicTo(26, 52, 74, 52, 74, 92)
    p.drawPath(path)


def _plan(p: QPainter) -> None:
    p.drawRoundedRect(QRectF(16, 10, 68, 82), 6, 6)
    for y in (32, 50, 68):
        _poly(p, (30, y), (36, y + 6), (46, y - 6))
        _poly(p, (54, y), (72, y))


def _shield(p: QPainter) -> None:
    path = QPainterPath(QPointF(50, 6))
    path.lineTo(86, 20)
    path.cubicTo(86, 60, 70, 82, 50, 94)
    path.cubicTo(30, 82, 14, 60, 14, 20)
    path.closeSubpath()
    p.drawPath(path)
    _poly(p, (34, 50), (46, 62), (68, 38))


def _star(p: QPainter) -> None:
    import math

    pts = []
    for i in range(10):
        r = 44 if i % 2 == 0 else 19
        a = math.radians(-90 + i * 36)
        pts.append((50 + r * math.cos(a), 54 + r * math.sin(a)))
    _poly(p, *pts, closed=True)


def _leaf(p: QPainter) -> None:
    path = QPainterPath(QPointF(16, 86))
    path.cubicTo(10, 30, 50, 10, 88, 12)
    path.cubicTo(90, 52, 64, 90, 16, 86)
    p.drawPath(path)
    _poly(p, (16, 86), (62, 40))


def _city(p: QPainter) -> None:
    _poly(p, (6, 92), (94, 92))
    p.drawRect(QRectF(12, 44, 22, 48))
    p.drawRect(QRectF(40, 14, 22, 78))
    p.drawRect(QRectF(68, 34, 22, 58))
    for y in (26, 42, 58):
        _poly(p, (46, y), (56, y))


def _handshake(p: QPainter) -> None:
    _poly(p, (4, 40), (22, 30), (44, 36), (58, 30), (96, 40))
    _poly(p, (22, 30), (22, 62), (46, 80), (56, 74), (70, 66), (78, 58), (78, 36))
    _poly(p, (44, 36), (36, 50), (48, 54), (60, 44))


def _chart(p: QPainter) -> None:
    _poly(p, (10, 10), (10, 90), (92, 90))
    for x, h in ((24, 30), (44, 50), (64, 40), (84, 66)):
        p.drawRect(QRectF(x - 6, 90 - h, 12, h))


def _clock(p: QPainter) -> None:
    p.drawEllipse(QPointF(50, 50), 42, 42)
    _poly(p, (50, 22), (50, 50), (70, 62))


def _book(p: QPainter) -> None:
    path = QPainterPath(QPointF(50, 24))
    path.cubicTo(36, 14, 20, 14, 8, 18)
    path.lineTo(8, 84)
    path.cubicTo(20, 80, 36, 80, 50, 90)
    path.cubicTo(64, 80, 80, 80, 92, 84)
    path.lineTo(92, 18)
    path.cubicTo(80, 14, 64, 14, 50, 24)
    path.lineTo(50, 90)
    p.drawPath(path)


def _mountain(p: QPainter) -> None:
    _poly(p, (4, 88), (36, 30), (54, 60), (68, 40), (96, 88), closed=True)
    _poly(p, (28, 44), (36, 52), (44, 44))


def _map(p: QPainter) -> None:
    _poly(p, (8, 22), (36, 10), (64, 22), (92, 10), (92, 78), (64, 90), (36, 78), (8, 90),
          closed=True)
    _poly(p, (36, 10), (36, 78))
    _poly(p, (64, 22), (64, 90))


def _speed(p: QPainter) -> None:
    path = QPainterPath()
    path.arcMoveTo(QRectF(8, 14, 84, 84), 200)
    path.arcTo(QRectF(8, 14, 84, 84), 200, -220)
    p.drawPath(path)
    _poly(p, (50, 56), (74, 32))
    p.drawEllipse(QPointF(50, 56), 5, 5)
    _poly(p, (22, 90), (78, 90))


def _towards(p: QPainter) -> None:
    # The map's corridor arrow in small: a dashed shaft and its head, for the
    # key that names the corridor under a map too crowded to name it on.
    for x in (6, 30):
        _poly(p, (x, 50), (x + 14, 50))
    _poly(p, (54, 50), (90, 50))
    _poly(p, (72, 32), (92, 50), (72, 68))


def _county(p: QPainter) -> None:
    # The map's county outline in small: a dashed ellipse.
    pen = p.pen()
    pen.setStyle(Qt.PenStyle.DashLine)
    p.setPen(pen)
    p.drawEllipse(QPointF(50, 50), 44, 30)


def _quote_mark(p: QPainter) -> None:
    # Filled, not stroked: the typographic opening mark of a quotation.
    p.setBrush(QBrush(p.pen().color()))
    for x in (14, 56):
        path = QPainterPath(QPointF(x + 30, 18))
        path.cubicTo(x + 8, 24, x, 44, x, 64)
        path.arcTo(QRectF(x, 50, 30, 30), 180, 180)
        path.arcTo(QRectF(x, 50, 30, 30), 0, 110)
        path.cubicTo(x + 8, 48, x + 14, 32, x + 30, 26)
        path.closeSubpath()
        p.drawPath(path)


ICON_PAINTERS: dict[str, Draw] = {
    "location": _location, "link": _link, "corridor": _corridor,
    "agriculture": _agriculture, "factory": _factory, "services": _services,
    "road": _road, "rail": _rail, "power": _power, "flag": _flag, "target": _target,
    "people": _people, "plan": _plan, "shield": _shield, "star": _star, "leaf": _leaf,
    "city": _city, "handshake": _handshake, "chart": _chart, "clock": _clock,
    "book": _book, "mountain": _mountain, "map": _map, "speed": _speed,
    "quote-mark": _quote_mark, "towards": _towards, "county": _county,
}  # fmt: skip


def paint_icon(painter: QPainter, name: str, rect: QRectF, color: QColor) -> None:
    """Draws icon ``name`` into ``rect``; an unknown name draws nothing."""
    draw = ICON_PAINTERS.get(name)
    if draw is None or rect.width() <= 0:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    side = min(rect.width(), rect.height())
    painter.translate(rect.center().x() - side / 2, rect.center().y() - side / 2)
    painter.scale(side / 100.0, side / 100.0)
    pen = QPen(color, 6.5)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    draw(painter)
    painter.restore()
