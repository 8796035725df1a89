"""A map's labels: measured, then placed on plates by content.map_fit beside
their places, clear of the dots and the corridor's arrow slide_view draws
and of each other; and the areas' tappable regions.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF

from taixin_kiosk.content.deck import MapSpec
from taixin_kiosk.content.map_fit import (
    CORRIDOR_WIDTHS,
    DOT,
    GAP,
    LABEL_WIDTH,
    Fit,
    LabelBox,
    Side,
    fit_labels,
    map_shapes,
)
from taixin_kiosk.ui.layout.builder import Builder
from taixin_kiosk.ui.layout.items import CENTER, TextItem
from taixin_kiosk.ui.theme import large_factor

# A map whose names have no clean place at their size even with its key
# (one validate warns of: map_check) sets them at these fractions of it in
# turn, rather than name the wrong dot.
CROWDED_STEPS = (0.9, 0.8, 0.7)
# A map label's backing plate reaches this many ems past its text sideways
# (and 0.4 of that up and down).
PLATE_PAD = 0.25


def place_labels(b: Builder, spec: MapSpec, drawing: QRectF, size: float = 1.0,
                 left_out: frozenset[str] = frozenset(), step: float = 1.0,
                 fallback: bool = True, numbered: bool = False
                 ) -> tuple[list[tuple[TextItem, float]], dict[str, QRectF], bool]:
    """The map's labels, each with the y (0-1) of its place, the areas'
    tappable regions, and whether every label is clear of every dot, the
    corridor's arrow and the other labels (content.map_fit places them);
    for places drawn in ``drawing``. Under large text, labels are set at
    ``size`` of their large size, but no smaller than their usual one.
    What ``left_out`` names ("corridor", "county") is named in a key under
    the map instead (ui.layout.map); the corridor's arrow is still kept
    clear of. ``step`` sets every name smaller (CROWDED_STEPS). Without
    ``fallback``, labels with no clean place are left where they were made
    (not clean: for a caller that will not show them). A ``numbered`` map
    names its areas in a list beside it, by the number on each dot: their
    names are not placed here."""
    g = b.grid

    def scaled(role: str, scale: float) -> float:
        return scale * max(size, 1.0 / large_factor(role, b.text_scale)) * b.shrink * step

    label_w = drawing.width() * LABEL_WIDTH
    unit = min(g.width, g.height) / 1000.0  # as SlideView passes it to paint_map
    shapes = map_shapes(spec, drawing.left(), drawing.top(), drawing.width(),
                        drawing.height(), unit)

    def at(x: float, y: float) -> tuple[float, float]:
        return drawing.left() + x * drawing.width(), drawing.top() + y * drawing.height()

    labels: list[tuple[TextItem, float]] = []
    boxes: list[LabelBox] = []

    def add(item: TextItem, y: float, anchor: tuple[float, float], own: int | None,
            side: Side) -> None:
        item.backing = b.palette.map_label
        pad = item.font.pixelSize() * PLATE_PAD
        labels.append((item, y))
        boxes.append(LabelBox(item.rect.width() + 2 * pad, item.rect.height() + 0.8 * pad,
                              anchor, own, side))

    room = drawing.adjusted(-12 * g.unit, -12 * g.unit, 12 * g.unit, 12 * g.unit)

    def fitted() -> Fit:
        """Every label at its size, placed."""
        cities = len(spec.areas)
        for place in spec.places:
            if place.kind == "county" and "county" in left_out:
                continue
            role = "heading" if place.kind == "city" else "body"
            # (Map names at 28 px and more at 1080 lines, TYPE_MIN["small"].)
            item = b.block(place.name, role, 0, 0, label_w,
                           scale=scaled(role, 0.76 if role == "heading" else 0.8),
                           color=b.palette.text if place.kind == "city"
                           else b.palette.text_muted,
                           align=CENTER, tight=True, label=True)
            # A city in the upper half is named above its dot, so its name
            # reads away from the county; the rest below.
            side: Side = "above" if place.kind == "city" and place.y <= 0.5 else "below"
            add(item, place.y, at(place.x, place.y),
                cities if place.kind == "city" else None, side)
            if place.kind == "city":
                cities += 1
        for k, area in enumerate(spec.areas if not numbered else ()):
            item = b.block(area.name, "body", 0, 0, label_w, scale=scaled("body", 0.82),
                           align=CENTER, tight=True, label=True)
            add(item, area.y, at(area.x, area.y), k, "below")
        places = len(labels)
        # The corridor's words kept whole first, then free to break; where
        # nothing gives a clean place, the last (the widest) is kept.
        tries = [(share, True) for share in CORRIDOR_WIDTHS] \
            + [(share, False) for share in CORRIDOR_WIDTHS]
        named = spec.corridor is not None and "corridor" not in left_out
        room_rect = (room.left(), room.top(), room.right(), room.bottom())
        for share, whole in tries if named else [(LABEL_WIDTH, True)]:
            del labels[places:], boxes[places:]
            if spec.corridor is not None and named:
                item = b.block(spec.corridor.label, "small", 0, 0, drawing.width() * share,
                               scale=scaled("small", 1.0), align=CENTER,
                               color=b.palette.accent, tight=True, label=True, whole=whole)
                add(item, spec.corridor.y, at(spec.corridor.x, spec.corridor.y), None,
                    "corridor")
            fit = fit_labels(boxes, shapes, room_rect, GAP * unit, fallback=False)
            if fit.clean:
                return fit
        # No try has a clean place: the last one's, as well as it can be.
        return fit_labels(boxes, shapes, room_rect, GAP * unit, fallback=fallback)

    fit = fitted()
    # (No rects: no clean place and no fallback asked for; left where made.)
    for (item, _), (left, top, _, _) in zip(labels, fit.rects, strict=bool(fit.rects)):
        pad = item.font.pixelSize() * PLATE_PAD
        # Moved, not rebuilt from the plate: the plate's arithmetic loses a
        # hair of the width, and a tight box a hair too narrow wraps its text.
        item.rect.moveTo(left + pad, top + 0.4 * pad)
    hotspots: dict[str, QRectF] = {}
    named_places = sum(not (p.kind == "county" and "county" in left_out) for p in spec.places)
    reach = DOT * unit * 2.8
    for k, area in enumerate(spec.areas):
        (x, y), _ = shapes.dots[k]
        spot = QRectF(x - reach / 2, y - reach / 2, reach, reach)
        # The area's dot and its name are both tapped to choose it.
        hotspots[area.id] = spot if numbered else spot.united(labels[named_places + k][0].rect)
    return labels, hotspots, fit.clean


def plate_bottom(item: TextItem) -> float:
    """The bottom of a map label's backing plate, which reaches past its rect
    (as slide_view paints it)."""
    return item.rect.bottom() + item.font.pixelSize() * PLATE_PAD * 0.4


def plate_rect(item: TextItem) -> QRectF:
    """The item's rect with its backing plate, as slide_view paints it."""
    if item.backing is None:
        return item.rect
    return _plate_of(item.rect, item)


def _plate_of(rect: QRectF, item: TextItem) -> QRectF:
    pad = item.font.pixelSize() * PLATE_PAD
    return rect.adjusted(-pad, -pad * 0.4, pad, pad * 0.4)


def map_dots(spec: MapSpec, drawing: QRectF, width: float, height: float
             ) -> list[tuple[QPointF, float]]:
    """Every dot slide_view.paint_map draws in ``drawing`` on a ``width`` x
    ``height`` stage: (centre, radius with its outline), areas first at their
    chosen size (the largest they are drawn at), then the cities."""
    shapes = map_shapes(spec, drawing.left(), drawing.top(), drawing.width(),
                        drawing.height(), min(width, height) / 1000.0)
    return [(QPointF(*centre), r) for centre, r in shapes.dots]
