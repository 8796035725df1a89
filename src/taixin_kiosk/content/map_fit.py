"""Where a map's labels go: each beside its own dot, clear of every dot, of
the corridor's arrow and of each other, inside the map's box.

Plain geometry, shared by the layout (measured text, in pixels) and by
``validate`` (text sizes estimated at a reference screen, map_check), so
the two never disagree about what a map can hold. Lengths are in one unit
throughout: whatever the caller's coordinates are.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Literal, NamedTuple

from taixin_kiosk.content.deck import Ellipse, MapSpec

Point = tuple[float, float]
# left, top, right, bottom
Rect = tuple[float, float, float, float]
Segment = tuple[Point, Point]

# The map's marks in stage units (a thousandth of the screen's shorter
# side), as the slide paints them: a dot's radius, the outline pens add to
# a city's and to an area's (its chosen, larger size), the corridor's pen
# and its head's strokes (at HEAD_ANGLE radians either side of the shaft).
DOT = 15.0
CITY_RADIUS = DOT + 2.0
AREA_RADIUS = DOT * 1.35 + 2.5
SHAFT_PEN = 5.0
HEAD = 26.0
HEAD_ANGLE = 2.6
# A label wraps at this share of the map's width (the corridor's too).
LABEL_WIDTH = 0.3
# The corridor's label wraps at these shares of the map's width in turn,
# until it has a clear place: its words are the longest on a map, and at
# 28 px a squat or a tall block may fit beside the arrow where the usual
# one does not.
CORRIDOR_WIDTHS = (LABEL_WIDTH, 0.22, 0.45)
# A label's plate keeps this far (stage units) from every dot and line.
GAP = 4.0
# A search over the labels' places that has looked at this many partial
# arrangements gives up: the map is then labelled as well as it can be.
SEARCH_BUDGET = 800

Side = Literal["above", "below", "corridor"]


class MapShapes(NamedTuple):
    """What the slide draws on a map, in the caller's coordinates."""

    # (centre, radius) of every dot: areas first, then cities.
    dots: tuple[tuple[Point, float], ...]
    # The corridor's shaft, then its head's two strokes; empty without one.
    arrow: tuple[Segment, ...]
    # The dotted lines from the county's outline to each city.
    links: tuple[Segment, ...]
    county: tuple[Point, float, float]
    # Half the arrow pen's width.
    pen: float


class LabelBox(NamedTuple):
    """One label to place: its plate's size, where it belongs (its place's
    point, its own dot's index in MapShapes.dots or None) and the side it
    prefers; a ``corridor`` label goes beside the arrow's shaft."""

    width: float
    height: float
    anchor: Point
    own: int | None
    side: Side


class Fit(NamedTuple):
    """Where each label's plate goes; ``clean`` when every label is clear of
    every dot, the arrow and the other labels and nearest its own place;
    otherwise ``blocked`` is a label that could not be placed so."""

    rects: tuple[Rect, ...]
    clean: bool
    blocked: int | None


def county_edge(county: Ellipse, at: Point, left: float, top: float, width: float,
                height: float) -> Point:
    """Where the line from the county's centre towards ``at`` leaves its
    outline (links and the corridor start there, clear of the county's name)."""
    cx, cy = left + county.x * width, top + county.y * height
    rx, ry = county.rx * width, county.ry * height
    dx, dy = at[0] - cx, at[1] - cy
    norm = math.hypot(dx / max(rx, 1e-6), dy / max(ry, 1e-6)) or 1.0
    return cx + dx / norm, cy + dy / norm


def arrow_head(start: Point, end: Point, unit: float) -> tuple[Point, Point]:
    """The ends of the corridor head's two strokes, drawn from ``end``."""
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    size = HEAD * unit
    return tuple((end[0] + size * math.cos(angle + d), end[1] + size * math.sin(angle + d))
                 for d in (HEAD_ANGLE, -HEAD_ANGLE))  # type: ignore[return-value]


def map_shapes(spec: MapSpec, left: float, top: float, width: float, height: float,
               unit: float) -> MapShapes:
    """The marks of ``spec`` drawn in the box at (left, top), ``width`` x
    ``height``, on a stage whose unit is ``unit``."""

    def at(x: float, y: float) -> Point:
        return left + x * width, top + y * height

    dots = [(at(a.x, a.y), AREA_RADIUS * unit) for a in spec.areas]
    cities = [at(p.x, p.y) for p in spec.places if p.kind == "city"]
    dots += [(c, CITY_RADIUS * unit) for c in cities]
    links = tuple((c, county_edge(spec.county, c, left, top, width, height)) for c in cities)
    arrow: tuple[Segment, ...] = ()
    if spec.corridor is not None:
        end = at(spec.corridor.x, spec.corridor.y)
        start = county_edge(spec.county, end, left, top, width, height)
        end = _short_of_city(start, end, cities, unit)
        tips = arrow_head(start, end, unit)
        arrow = ((start, end), (end, tips[0]), (end, tips[1]))
    county = (at(spec.county.x, spec.county.y), spec.county.rx * width,
              spec.county.ry * height)
    return MapShapes(tuple(dots), arrow, links, county, SHAFT_PEN * unit / 2)


def _short_of_city(start: Point, end: Point, cities: Sequence[Point], unit: float) -> Point:
    """A corridor pointing at a city ends at its dot's rim, so the head
    points at the city instead of covering it."""
    rim = (CITY_RADIUS + GAP) * unit
    for c in cities:
        length = math.hypot(end[0] - start[0], end[1] - start[1])
        if math.hypot(end[0] - c[0], end[1] - c[1]) < rim and length > 0:
            # Back along the shaft to where it meets the rim.
            dx, dy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
            fx, fy = start[0] - c[0], start[1] - c[1]
            b = fx * dx + fy * dy
            disc = b * b - (fx * fx + fy * fy - rim * rim)
            t = -b - math.sqrt(max(disc, 0.0))
            if t > 0:
                return start[0] + dx * t, start[1] + dy * t
    return end


# -- geometry -----------------------------------------------------------------


def rect_point_distance(r: Rect, p: Point) -> float:
    dx = max(r[0] - p[0], 0.0, p[0] - r[2])
    dy = max(r[1] - p[1], 0.0, p[1] - r[3])
    return math.hypot(dx, dy)


def _segments_distance(a: Segment, b: Segment) -> float:
    if _segments_cross(a, b):
        return 0.0
    return min(_point_segment(a[0], b), _point_segment(a[1], b),
               _point_segment(b[0], a), _point_segment(b[1], a))


def _point_segment(p: Point, s: Segment) -> float:
    (ax, ay), (bx, by) = s
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / length))
    return math.hypot(p[0] - ax - t * dx, p[1] - ay - t * dy)


def _segments_cross(a: Segment, b: Segment) -> bool:
    def orient(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2 = orient(b[0], b[1], a[0]), orient(b[0], b[1], a[1])
    d3, d4 = orient(a[0], a[1], b[0]), orient(a[0], a[1], b[1])
    return d1 * d2 < 0 and d3 * d4 < 0


def rect_segment_distance(r: Rect, s: Segment) -> float:
    """0 when the segment enters the rect, else the shortest distance between them."""
    for p in s:
        if r[0] <= p[0] <= r[2] and r[1] <= p[1] <= r[3]:
            return 0.0
    corners = ((r[0], r[1]), (r[2], r[1]), (r[2], r[3]), (r[0], r[3]))
    return min(_segments_distance((corners[k], corners[(k + 1) % 4]), s) for k in range(4))


def near_segment(r: Rect, s: Segment, limit: float) -> bool:
    """The segment comes within ``limit`` of the rect (a quick test first:
    most segments are nowhere near most rects)."""
    (ax, ay), (bx, by) = s
    if (min(ax, bx) - limit > r[2] or max(ax, bx) + limit < r[0]
            or min(ay, by) - limit > r[3] or max(ay, by) + limit < r[1]):
        return False
    return rect_segment_distance(r, s) < limit


def overlap(a: Rect, b: Rect) -> float:
    """The area two rects share (a sliver under a pixel counts as none)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 1.0 and h > 1.0 else 0.0


def _crosses_outline(r: Rect, county: tuple[Point, float, float]) -> bool:
    (cx, cy), rx, ry = county
    inside = [((x - cx) / max(rx, 1e-6)) ** 2 + ((y - cy) / max(ry, 1e-6)) ** 2 < 1.0
              for x, y in ((r[0], r[1]), (r[2], r[1]), (r[2], r[3]), (r[0], r[3]))]
    if any(inside) and not all(inside):
        return True
    if r[0] > cx + rx or r[2] < cx - rx or r[1] > cy + ry or r[3] < cy - ry:
        return False
    # All four corners on one side: the outline may still pass through an edge.
    return any(r[0] <= x <= r[2] and r[1] <= y <= r[3] for x, y in _outline(county))


@functools.lru_cache(maxsize=64)
def _outline(county: tuple[Point, float, float]) -> tuple[Point, ...]:
    """72 points around the county's outline (one per map; asked of every
    place a label may go)."""
    (cx, cy), rx, ry = county
    return tuple((cx + rx * math.cos(t), cy + ry * math.sin(t))
                 for t in (k * math.pi / 36 for k in range(72)))


# -- placing ------------------------------------------------------------------


def _candidates(box: LabelBox, shapes: MapShapes, gap: float) -> list[tuple[Rect, float]]:
    """Where ``box`` may go, each with how much less it is liked (0 best)."""
    w, h = box.width, box.height
    if box.side == "corridor" and shapes.arrow:
        return _beside_shaft(box, shapes, gap)
    x, y = box.anchor
    r = shapes.dots[box.own][1] if box.own is not None else 0.0
    out: list[tuple[Rect, float]] = []
    for ring, c in enumerate((r + gap, r + gap + h * 0.9, r + gap + h * 2.0)):
        d = c / math.sqrt(2.0)
        below = [(x - w / 2, y + c), (x - w * 0.15, y + c), (x - w * 0.85, y + c)]
        above = [(x - w / 2, y - c - h), (x - w * 0.15, y - c - h), (x - w * 0.85, y - c - h)]
        first, second = (above, below) if box.side == "above" else (below, above)
        near_low = [(x + d, y + d), (x - d - w, y + d)]
        near_high = [(x + d, y - d - h), (x - d - w, y - d - h)]
        lean, other = (near_low, near_high) if box.side == "below" else (near_high, near_low)
        spots = [first[0], second[0], (x + c, y - h / 2), (x - c - w, y - h / 2),
                 first[1], first[2], *lean, second[1], second[2], *other]
        out += [((sx, sy, sx + w, sy + h), ring * 20.0 + k) for k, (sx, sy) in enumerate(spots)]
    return out


def _beside_shaft(box: LabelBox, shapes: MapShapes, gap: float) -> list[tuple[Rect, float]]:
    """A corridor label beside the arrow's shaft, nearer its middle the better,
    on either side; never on the head (the head is an obstacle like any)."""
    (sx, sy), (ex, ey) = shapes.arrow[0]
    length = math.hypot(ex - sx, ey - sy) or 1.0
    dx, dy = (ex - sx) / length, (ey - sy) / length
    # The side above the shaft first (or left of an upright one): text over a line reads first.
    normals = [(dy, -dx), (-dy, dx)]
    normals.sort(key=lambda n: (n[1], n[0]))
    w, h = box.width, box.height
    out: list[tuple[Rect, float]] = []
    for k, t in enumerate((0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1)):
        for side, (nx, ny) in enumerate(normals):
            for far, extra in enumerate((0.0, h, 2 * h, 3 * h)):
                reach = shapes.pen + gap + abs(nx) * w / 2 + abs(ny) * h / 2 + extra
                cx, cy = sx + dx * length * t + nx * reach, sy + dy * length * t + ny * reach
                out.append(((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2),
                            k * 2.0 + side * 3.0 + far * 10.0))
    # A shaft too short to have a label beside it: around its middle, as a
    # place's label goes around its point, after every place beside it.
    middle = LabelBox(w, h, ((sx + ex) / 2, (sy + ey) / 2), None, "above")
    return out + [(rect, cost + 60.0) for rect, cost in _candidates(middle, shapes, gap)]


def _own_distance(box: LabelBox, rect: Rect, shapes: MapShapes) -> float:
    if box.side == "corridor" and shapes.arrow:
        return rect_segment_distance(rect, shapes.arrow[0])
    return rect_point_distance(rect, box.anchor)


def _allowed(box: LabelBox, rect: Rect, shapes: MapShapes, room: Rect, gap: float,
             *, arrow: bool = True) -> bool:
    """``rect`` is in the room, clear of every dot (its own too) and of the
    arrow, and nearer its own place than any other dot."""
    if rect[0] < room[0] or rect[1] < room[1] or rect[2] > room[2] or rect[3] > room[3]:
        return False
    own = _own_distance(box, rect, shapes)
    left, top, right, bottom = rect
    half = gap * 0.5
    hypot = math.hypot
    # rect_point_distance, inlined: a layout asks this a million times.
    for k, ((x, y), r) in enumerate(shapes.dots):
        d = hypot(left - x if x < left else (x - right if x > right else 0.0),
                  top - y if y < top else (y - bottom if y > bottom else 0.0))
        if d < r + half or (k != box.own and d <= own):
            return False
    return not (arrow and any(near_segment(rect, s, shapes.pen + gap * 0.5)
                              for s in shapes.arrow))


def _soft(rect: Rect, shapes: MapShapes) -> float:
    """What a label on this rect crosses that it may but had better not: a
    city's dotted link and the county's outline."""
    cost = sum(4.0 for s in shapes.links if near_segment(rect, s, shapes.pen))
    return cost + (3.0 if _crosses_outline(rect, shapes.county) else 0.0)


def fit_labels(boxes: Sequence[LabelBox], shapes: MapShapes, room: Rect, gap: float,
               *, fallback: bool = True) -> Fit:
    """Places every label clear of the map's dots, its arrow and each other
    inside ``room``, each nearest its own place, if it can; else as near to
    that as it can: each still nearest its own place and on no dot.

    Without ``fallback`` a map with no clean arrangement gets no rects
    (``Fit((), False, None)``): for a caller that will try another
    arrangement, as the least wrong one costs as much again to find.

    Remembered by its inputs: a language switch lays a map out again in a
    language it has often been laid out in before (the slides off screen
    follow each switch), and placing is the costly part of a map's layout.
    """
    if not fallback:
        return _clean_fit(tuple(boxes), shapes, room, gap)[0]
    return _fit_labels(tuple(boxes), shapes, room, gap)


# (The sizes: one map's layout tries a few hundred arrangements across its
# text scales, shares and keys; a few layouts' worth are remembered.)
@functools.lru_cache(maxsize=1024)
def _fit_labels(boxes: tuple[LabelBox, ...], shapes: MapShapes, room: Rect, gap: float) -> Fit:
    fit, options = _clean_fit(boxes, shapes, room, gap)
    return fit if fit.clean else _fallback(boxes, shapes, room, gap, options)


@functools.lru_cache(maxsize=1024)
def _clean_fit(boxes: tuple[LabelBox, ...], shapes: MapShapes, room: Rect, gap: float
               ) -> tuple[Fit, list[list[tuple[Rect, float]]]]:
    """The clean arrangement; or ``Fit((), False, None)`` with every label's
    allowed places, best first, for the fallback (only then: remembered, the
    places are most of an entry's memory)."""
    options: list[list[tuple[Rect, float]]] = []
    for box in boxes:
        found = [(rect, cost + _soft(rect, shapes)) for rect, cost in _candidates(box, shapes, gap)
                 if _allowed(box, rect, shapes, room, gap)]
        found.sort(key=lambda item: item[1])
        options.append(found)
    if all(options):
        # Most maps: each label's best free place in turn is clear of the
        # ones before; the search below is for the rest.
        greedy: list[Rect] = []
        for found in options:
            free = next((rect for rect, _ in found
                         if all(not overlap(rect, other) for other in greedy)), None)
            if free is None:
                break
            greedy.append(free)
        else:
            return Fit(tuple(greedy), True, None), []
    order = sorted(range(len(boxes)), key=lambda i: len(options[i]))
    chosen: dict[int, Rect] = {}
    if all(options) and _search(order, options, chosen, [SEARCH_BUDGET], 0):
        return Fit(tuple(chosen[i] for i in range(len(boxes))), True, None), []
    return Fit((), False, None), options


def _search(order: list[int], options: list[list[tuple[Rect, float]]], chosen: dict[int, Rect],
            budget: list[int], depth: int) -> bool:
    """Places the labels from ``order[depth]`` on, each in the first of its
    places clear of those chosen, backtracking; False when none is or the
    budget is spent. (A module function: a closure that calls itself is a
    reference cycle, and its frame's lists would wait for the collector.)"""
    if depth == len(order):
        return True
    i = order[depth]
    for rect, _ in options[i]:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if all(not overlap(rect, other) for other in chosen.values()):
            chosen[i] = rect
            if _search(order, options, chosen, budget, depth + 1):
                return True
            del chosen[i]
    return False


def _fallback(boxes: Sequence[LabelBox], shapes: MapShapes, room: Rect, gap: float,
              options: list[list[tuple[Rect, float]]]) -> Fit:
    """No clean arrangement: each label in turn where it is least wrong:
    first on no dot, then nearest its own place, then clear of the arrow,
    then in the room, then overlapping the labels before it least."""
    blocked = next((i for i, found in enumerate(options) if not found), None)
    placed: list[Rect] = []
    for i, box in enumerate(boxes):
        found = options[i] or _candidates(box, shapes, gap)

        def wrongs(item: tuple[Rect, float], box: LabelBox = box) -> tuple[float, ...]:
            rect, cost = item
            near = [rect_point_distance(rect, c) for c, _ in shapes.dots]
            on_dot = sum(d < r + 0.5 for d, (_, r) in zip(near, shapes.dots, strict=True))
            # (A corridor's label here is beside its shaft by construction.)
            own = rect_point_distance(rect, box.anchor) if box.side != "corridor" else 0.0
            nearer = sum(d <= own for k, d in enumerate(near) if k != box.own)
            arrow = sum(near_segment(rect, s, shapes.pen) for s in shapes.arrow)
            out = not (room[0] <= rect[0] and room[1] <= rect[1] and rect[2] <= room[2]
                       and rect[3] <= room[3])
            return (on_dot, nearer, arrow, out, sum(overlap(rect, p) for p in placed), cost)

        if options[i]:
            # Each of these is on no dot, nearest its own place and clear of
            # the arrow already: only the overlaps choose.
            rect, _ = min(found, key=lambda item: (sum(overlap(item[0], p) for p in placed),
                                                   item[1]))
        else:
            # The cheap test first: only the places on fewest dots are weighed further.
            on = [sum(rect_point_distance(item[0], c) < r + 0.5 for c, r in shapes.dots)
                  for item in found]
            fewest = min(on)
            rect, _ = min((item for item, n in zip(found, on, strict=True) if n == fewest),
                          key=wrongs)
        if blocked is None and any(overlap(rect, p) for p in placed):
            blocked = i
        placed.append(rect)
    return Fit(tuple(placed), False, blocked if blocked is not None else 0)
