"""A map's labels: placed by their places and areas, on plates, clear of the
dots slide_view draws and of each other; and the areas' tappable regions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF

from taixin_kiosk.content.deck import MapSpec
from taixin_kiosk.ui.layout.builder import Builder
from taixin_kiosk.ui.layout.items import CENTER, RIGHT, TextItem
from taixin_kiosk.ui.theme import large_factor

# A map label's backing plate reaches this many ems past its text sideways
# (and 0.4 of that up and down).
PLATE_PAD = 0.25


def place_labels(b: Builder, spec: MapSpec, drawing: QRectF, size: float = 1.0
                 ) -> tuple[list[tuple[TextItem, float]], dict[str, QRectF]]:
    """The map's labels, each with the y (0-1) of its place, and the areas'
    tappable regions, for places drawn in ``drawing``; under large text,
    labels are set at ``size`` of their large size, but no smaller than
    their usual one."""
    g = b.grid

    def scaled(role: str, scale: float) -> float:
        return scale * max(size, 1.0 / large_factor(role, b.text_scale))

    label_w = drawing.width() * 0.3
    dot = 30 * g.unit
    hotspots: dict[str, QRectF] = {}

    def at(x: float, y: float) -> QPointF:
        return QPointF(drawing.left() + x * drawing.width(),
                       drawing.top() + y * drawing.height())

    labels: list[tuple[TextItem, float]] = []
    # Each label's place, and how far from it a label must stay (its dot).
    anchors: list[tuple[QPointF, float]] = []
    dots = map_dots(spec, drawing, g.width, g.height)
    for place in spec.places:
        p = at(place.x, place.y)
        role = "heading" if place.kind == "city" else "body"
        item = b.block(place.name, role, p.x() - label_w / 2, 0, label_w,
                       scale=scaled(role, 0.72),
                       color=b.palette.text if place.kind == "city" else b.palette.text_muted,
                       align=CENTER, tight=True)
        # Cities sit above or below their dot depending on the half they are in.
        if place.y > 0.5 or place.kind == "county":
            item.rect.moveTop(p.y() + dot * 0.7)
        else:
            item.rect.moveBottom(p.y() - dot * 0.7)
            # A large label above a place near the top would leave the
            # map's panel: it goes under the dot instead.
            if b.large and item.rect.top() < drawing.top() - 12 * g.unit:
                item.rect.moveTop(p.y() + dot * 0.7)
        labels.append((item, place.y))
        anchors.append((p, dots[-1][1] if place.kind == "city" else 0.0))
    for area in spec.areas:
        p = at(area.x, area.y)
        item = b.block(area.name, "body", p.x() - label_w / 2, p.y() + dot * 0.8, label_w,
                       scale=scaled("body", 0.8), align=CENTER, tight=True)
        labels.append((item, area.y))
        anchors.append((p, dots[0][1]))
        hotspots[area.id] = QRectF(p.x() - label_w / 2, p.y() - dot * 1.4, label_w,
                                   item.rect.bottom() - p.y() + dot * 1.4)
    if spec.corridor:
        p = at(spec.corridor.x, spec.corridor.y)
        # Up and to the left of the arrow's tip: the dashed line comes in
        # from below-left and the head points up-right, both clear of it.
        item = b.block(spec.corridor.label, "small", p.x() - 34 * g.unit - label_w, 0,
                       label_w, scale=scaled("small", 1.0), align=RIGHT,
                       color=b.palette.accent, tight=True)
        item.rect.moveBottom(p.y() - 14 * g.unit)
        item.rect.moveTop(max(item.rect.top(), drawing.top()))
        labels.append((item, spec.corridor.y))
        anchors.append((p, 0.0))
    for item, _ in labels:
        # Keep labels inside the drawing even when a place sits at its edge.
        item.rect.moveLeft(min(max(item.rect.left(), drawing.left()),
                               drawing.right() - item.rect.width()))
        item.backing = b.palette.map_label
    # A label's plate never hides a dot (a place, an area, the chosen one
    # at its larger size): one that would moves beside or over its own
    # place, wherever it is clear of the dots and of the other labels.
    room = drawing.adjusted(-12 * g.unit, -12 * g.unit, 12 * g.unit, 12 * g.unit)
    for k, ((item, _), (p, r)) in enumerate(zip(labels, anchors, strict=True)):
        if not _hits_dot(plate_rect(item), dots):
            continue
        others = [plate_rect(other) for j, (other, _) in enumerate(labels) if j != k]
        w, h = item.rect.width(), item.rect.height()
        pad = item.font.pixelSize() * PLATE_PAD
        c = r + pad + 4 * g.unit
        for dx, dy in ((-w / 2, c), (-w / 2, -c - h), (c, -h / 2), (-c - w, -h / 2),
                       (-w / 2, c + h), (-w / 2, -c - 2 * h), (-c - w, c), (c, c),
                       (-c - w, -c - h), (c, -c - h)):
            trial = QRectF(item.rect)
            trial.moveTo(p.x() + dx, p.y() + dy)
            plate = _plate_of(trial, item)
            if room.contains(plate) and not _hits_dot(plate, dots) \
                    and not any(_overlaps(plate, o) for o in others):
                item.rect = trial
                break
    return labels, hotspots


def plate_bottom(item: TextItem) -> float:
    """The bottom of a map label's backing plate, which reaches past its rect
    (as slide_view paints it)."""
    return item.rect.bottom() + item.font.pixelSize() * PLATE_PAD * 0.4


def labels_crowded(items: Sequence[TextItem],
                   dots: Sequence[tuple[QPointF, float]] = ()) -> bool:
    """One of the items does not fit its width, or one's plate (map labels
    are drawn on one, each over the ones before) reaches another's text or
    covers a dot."""
    for a in items:
        if not a.fits:
            return True
        plate = plate_rect(a)
        if _hits_dot(plate, dots):
            return True
        for b in items:
            if b is not a:
                inter = plate.intersected(b.rect)
                if inter.width() > 1.0 and inter.height() > 1.0:
                    return True
    return False


def plate_rect(item: TextItem) -> QRectF:
    """The item's rect with its backing plate, as slide_view paints it."""
    if item.backing is None:
        return item.rect
    return _plate_of(item.rect, item)


def _plate_of(rect: QRectF, item: TextItem) -> QRectF:
    pad = item.font.pixelSize() * PLATE_PAD
    return rect.adjusted(-pad, -pad * 0.4, pad, pad * 0.4)


def _overlaps(a: QRectF, b: QRectF) -> bool:
    inter = a.intersected(b)
    return inter.width() > 1.0 and inter.height() > 1.0


def map_dots(spec: MapSpec, drawing: QRectF, width: float, height: float
             ) -> list[tuple[QPointF, float]]:
    """Every dot slide_view.paint_map draws in ``drawing`` on a ``width`` x
    ``height`` stage: (centre, radius with its outline), areas first at their
    chosen size (the largest they are drawn at), then the cities."""
    unit = min(width, height) / 1000.0  # as SlideView passes it to paint_map
    dot = 15 * unit

    def at(x: float, y: float) -> QPointF:
        return QPointF(drawing.left() + x * drawing.width(), drawing.top() + y * drawing.height())

    dots = [(at(a.x, a.y), dot * 1.35 + 2.5 * unit) for a in spec.areas]
    dots += [(at(p.x, p.y), dot + 2 * unit) for p in spec.places if p.kind == "city"]
    return dots


def _hits_dot(rect: QRectF, dots: Sequence[tuple[QPointF, float]]) -> bool:
    """``rect`` covers part of one of the ``dots``."""
    for centre, r in dots:
        nx = min(max(centre.x(), rect.left()), rect.right())
        ny = min(max(centre.y(), rect.top()), rect.bottom())
        if math.hypot(centre.x() - nx, centre.y() - ny) < r - 0.5:
            return True
    return False
