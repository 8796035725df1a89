"""The map slide: the header, the map's drawing with its labels (or its
areas' numbers, keyed to the list) and its key, and the side panel's place
(ui.layout.map_panel fills it in); under low reach, the areas and their
list below the reach line and what is read above it.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QRectF

from taixin_kiosk.content.deck import MapSpec
from taixin_kiosk.ui.layout.builder import CHART_MIN_SHARE, Builder, Overflow
from taixin_kiosk.ui.layout.items import EPS, IconItem, TextItem
from taixin_kiosk.ui.layout.map_labels import (
    CROWDED_STEPS,
    map_dots,
    place_labels,
    plate_bottom,
    plate_rect,
)
from taixin_kiosk.ui.layout.map_panel import area_number, map_panel, rows_need

# A seated landscape slide's map column (title, lead and map), as shares of
# the content's width tried in turn; the list of areas takes the rest.
SIDEBAR_SHARES = (0.66, 0.62, 0.58)
# ...and the least height of its map's drawing there, as a share of its width.
SIDEBAR_ASPECT = 0.33
# How much more of the slide than usual a map slide's header may take at
# full size where the slide is short of room (build_map), tried in turn.
HEADER_TALLER = (0.0, 0.1, 0.2)
# The most areas a map numbers (build_map): one digit on each marker.
NUMBERED_MOST = 9
# A numbered landscape map under the header may also take these shares of
# the body's width, narrower than a map with every name on it.
NUMBERED_SHARES = (0.44, 0.38)


def build_map(b: Builder) -> None:
    """A map slide: the header, then the map and the side panel's place (the
    panel itself is filled in for the chosen area by map_panel)."""
    s, g = b.slide, b.grid
    spec = s.map
    content = b.content()
    if spec is None:
        b.header(content, s.title, s.lead)
        return
    # Large text: the side panel with the areas' names and focus takes a
    # larger share of the slide. (Landscape: the map takes most of the width,
    # as its names are set at 28 px and more, TYPE_MIN's, and need the room
    # clear of each other; the panel keeps enough for a focus in two lines.)
    options = [0.62, 0.54, 0.46] if g.portrait else [0.64, 0.58, 0.5]
    if b.large:
        # ...but its labels, never smaller than usual, need the map's room
        # too: a larger map is tried first.
        options = [0.7, *options] if g.portrait else [0.68, *options]
    # (A marker holds one digit.)
    numbering = (False, True) if len(spec.areas) <= NUMBERED_MOST else (False,)
    if b.seated and not b.low_reach:
        # A seated audience reads every area's focus at once, and every name
        # at its size (map_panel's probe asks for the whole list; a strict
        # _map_and_side for clean names). On a landscape slide the list
        # gets the full height beside the title, lead and map, where the
        # map keeps the width its names need; else it sits beside the map
        # under the header, the map giving up width for it. Where neither
        # gives the names a clean place, the map numbers its areas' dots
        # and the list names them by those numbers, as a printed map's key
        # does: the names keep their size, in the list.
        for numbered in numbering:
            if not g.portrait and b.any_fitting(
                    SIDEBAR_SHARES, partial(_beside_header, b, content, spec, numbered=numbered)):
                return
            # (A numbered map has few names on it, and may be narrower.)
            shares = [*options, *NUMBERED_SHARES] if numbered and not g.portrait else options
            if b.any_fitting(shares, partial(_under_header, b, content, spec,
                                             numbered=numbered)):
                return
    elif b.large and b.strict and b.text_scale <= 1.0 and not b.low_reach:
        # Reflowed at the usual size (build.build_layout: the usual
        # arrangement did not hold the text at its least sizes, as a long
        # title and lead with the other language under each): the header
        # may take more of the slide at full size, and the map, shorter,
        # names its areas at their size or numbers them, rather than the
        # whole slide's text giving a step (build.LAST_RESORT). (Tried in
        # the strict pass only: a later, lenient one would only find the
        # same.)
        # (The least room that holds the header: more would not change it.)
        taller = next((t for t in HEADER_TALLER if b.would_fit(
            partial(b.header, content, s.title, s.lead, taller=t))), None)
        for numbered in numbering if taller is not None else ():
            if b.any_fitting(options, partial(_under_header, b, content, spec,
                                              numbered=numbered, taller=taller)):
                return
    # Where nothing does, the panel opens only the chosen area, as on the
    # touch screen.
    body = b.header(content, s.title, s.lead)
    b.first_fitting(options, partial(_map_and_side, b, body, spec))


def _under_header(b: Builder, content: QRectF, spec: MapSpec, share: float, *,
                  numbered: bool, taller: float | None = None) -> None:
    """The header across the content, then the map on ``share`` of the rest
    and the side panel beside or under it. The header is set as it is for
    any map slide (not held to full size): only the map and its list ask;
    given how much ``taller`` it may be, it is held to full size too, and
    so are the names on the map (a clean place or a number)."""
    if taller is None:
        strict, b.strict = b.strict, False
        try:
            body = b.header(content, b.slide.title, b.slide.lead)
        finally:
            b.strict = strict
    else:
        body = b.header(content, b.slide.title, b.slide.lead, taller=taller)
    _map_and_side(b, body, spec, share, numbered=numbered, names_exact=taller is not None)


def _beside_header(b: Builder, content: QRectF, spec: MapSpec, share: float, *,
                   numbered: bool = False) -> None:
    """The title and lead over the map, on ``share`` of the content's width;
    the side panel beside both, the content's full height. Only with every
    name on the map clean (a strict build: Overflow otherwise); ``numbered``:
    the areas by their numbers on the map, their names in the panel only."""
    g = b.grid
    column = QRectF(content.left(), content.top(), content.width() * share, content.height())
    # (A narrow column's title takes more lines.)
    body = b.header(column, b.slide.title, b.slide.lead, taller=0.1)
    left = column.right() + g.gutter * 1.5
    _map_and_side(b, body, spec, 1.0,
                  side=QRectF(left, content.top(), content.right() - left, content.height()),
                  numbered=numbered)


def _map_and_side(b: Builder, body: QRectF, spec: MapSpec, share: float,
                  side: QRectF | None = None, numbered: bool = False,
                  names_exact: bool = False) -> None:
    """The map, taking ``share`` of the body's height (portrait) or width,
    and the side panel's place. Given a ``side`` (a full-height list beside
    the header and the map, which then takes the body; a crowded map is not
    wanted there), a strict build raises Overflow where a name is not placed
    clean at its size on the map or in its key, or the map comes out flat.
    A ``numbered`` map sets each area's number on its dot (see build_map);
    with ``names_exact`` a strict build, as a seated one, raises Overflow for
    names without a clean place at their size."""
    g = b.grid
    sidebar = side is not None
    # A seated audience is shown names at their size or a numbered map:
    # a strict build for it raises Overflow for names without a clean place.
    exact = b.strict and (sidebar or b.seated or names_exact)
    b.map_info = None
    b.out.map_numbered = numbered
    if side is not None:
        map_box = QRectF(body)
    elif b.low_reach:
        # Low reach: the map's areas and the list of them, both tapped,
        # below the reach line; what is read (the hint, the chosen area's
        # focus) in a panel above. The map may start above the line as
        # long as its areas are below it (see placed).
        line = max(body.top(), b.reach_line())
        if g.portrait:
            rows_h = rows_need(b, spec, body.width(), 1.0)
            side = QRectF(body.left(), body.bottom() - rows_h, body.width(), rows_h)
            map_box = QRectF(body.left(), body.top(), body.width(),
                             side.top() - g.gutter - body.top())
            b.map_info = QRectF(body.left(), body.top(), body.width(), 0.0)
        else:
            map_box = QRectF(body.left(), body.top(), body.width() * share, body.height())
            left = map_box.right() + g.gutter * 1.5
            side = QRectF(left, line, body.right() - left, body.bottom() - line)
            b.map_info = QRectF(left, body.top(), side.width(),
                                line - g.gutter - body.top())
    elif g.portrait:
        map_box = QRectF(body.left(), body.top(), body.width(), body.height() * share)
        side = QRectF(body.left(), map_box.bottom() + g.gutter, body.width(),
                      body.bottom() - map_box.bottom() - g.gutter)
    else:
        map_box = QRectF(body.left(), body.top(), body.width() * share, body.height())
        side = QRectF(map_box.right() + g.gutter * 1.5, body.top(),
                      body.right() - map_box.right() - g.gutter * 1.5, body.height())
    panel_at = len(b.out.decor)
    b.panel(map_box)
    caption = b.block(spec.caption, "small", map_box.left() + 24 * g.unit, 0,
                      map_box.width() - 48 * g.unit, color=b.palette.text_muted)
    caption.rect.moveBottom(map_box.bottom() - 16 * g.unit)
    b.add([caption])
    drawing = QRectF(map_box.left() + 20 * g.unit, map_box.top() + 20 * g.unit,
                     map_box.width() - 40 * g.unit,
                     caption.rect.top() - map_box.top() - (20 if b.large else 36) * g.unit)
    if b.strict and (drawing.height() < g.height * CHART_MIN_SHARE
                     or not caption.fits
                     # (The column beside a full-height list: a map squashed
                     # flat under a long title reads worse than names beside it.)
                     or (sidebar and drawing.height() < drawing.width() * SIDEBAR_ASPECT)):
        raise Overflow
    line = max(body.top(), b.reach_line())
    # A map too crowded to name every place beside its mark names its
    # corridor, then also its county, in a key under the drawing instead:
    # each line the mark as the map draws it, then the name.
    keys = _key_choices(spec)
    # A strict build that raises Overflow for names without a clean place
    # (large text's search, a seated audience's) never shows such a
    # placement: the "least wrong" one, costly to find, is then not looked for.
    shown_unclean = not (exact or (b.strict and b.large))
    key_cache: dict[tuple[str, ...], Key] = {}

    def placed(size: float) -> tuple[list[tuple[TextItem, float]], dict[str, QRectF],
                                     QRectF, bool, Key]:
        """The labels at ``size``: on the map if they all have a clean place
        there, else the first key that gives every other name one. Names are
        not set smaller for a clean place: at 28 px (TYPE_MIN["small"]) they
        are the smallest a hall reads. Only a map where no key gives one
        (validate warns of it) has its names set smaller, on the map, rather
        than name the wrong dot; under large text never below their usual
        size: there the fullest key, placed as well as it can be (not clean:
        the large-text search then tries a smaller size, as for any slide)."""
        # (A seated audience's strict build asks for the names at their
        # size or not at all.)
        settled = b.text_scale > 1.0 or exact
        found = _placed(size, (), final=settled and not keys)
        if found[3]:
            return (*found, ())
        key: Key = ()
        for n, kinds in enumerate(keys):
            if kinds not in key_cache:
                key_cache[kinds] = _key(b, spec, map_box, caption, kinds)
            key = key_cache[kinds]
            keyed = _placed(size, key, final=settled and n == len(keys) - 1)
            if keyed[3]:
                return (*keyed, key)
        if settled:
            return (*(keyed if key else found), key)
        for n, step in enumerate(CROWDED_STEPS):
            found = _placed(size, (), step, final=n == len(CROWDED_STEPS) - 1)
            if found[3]:
                break
        return (*found, ())

    def _placed(size: float, key: Key, step: float = 1.0, *, final: bool
                ) -> tuple[list[tuple[TextItem, float]], dict[str, QRectF], QRectF, bool]:
        """The labels placed in the drawing (made shorter for them, and under
        low reach lower). A placement that is not ``final`` (another is
        tried after it) and not clean ends at once, its labels unplaced:
        only a ``final`` one (and only where it can be shown) gets its least
        wrong placement, and the drawing fitted around it."""
        fallback = final and shown_unclean
        box = QRectF(drawing)
        floor = caption.rect.top()
        if key:
            floor = min(item.rect.top() for item, _ in key)
            box.setBottom(floor - (20 if b.large else 36) * g.unit)
        left_out = frozenset(kind for _, kind in key)
        labels, hotspots, named = place_labels(b, spec, box, size, left_out, step, fallback,
                                               numbered)
        # Low reach moves the drawing's top down (below), which moves the
        # places near its bottom down too: the two are repeated together.
        for _ in range(6 if b.low_reach else 1):
            if not named and not fallback:
                break
            # A label (with its plate) under a place near the bottom must
            # not run into the caption, as on a short map under a tall,
            # subtitled header: the drawing is then made just short
            # enough. A label moves with its place's y, so the one that
            # overflows most relative to its y decides.
            squeeze = max(((plate_bottom(item) - floor) / y
                           for item, y in labels
                           if plate_bottom(item) > floor + EPS and y > 0),
                          default=0.0)
            if squeeze > 0:
                box.setHeight(box.height() - squeeze)
                labels, hotspots, named = place_labels(b, spec, box, size, left_out, step,
                                                       fallback, numbered)
                if not named and not fallback:
                    break
            if not b.low_reach:
                break
            # Low reach: the drawing's top comes down until every area's
            # tappable region is below the line (an area at y moves
            # 1 - y as far).
            lowest = min(((rect.top(), a.y) for a in spec.areas
                          if (rect := hotspots.get(a.id)) is not None),
                         default=(line, 0.0))
            short = line - lowest[0]
            if short <= EPS and squeeze <= 0:
                break
            if short > EPS:
                box.setTop(box.top() + short / max(0.1, 1.0 - lowest[1]) + 1.0)
                labels, hotspots, named = place_labels(b, spec, box, size, left_out, step,
                                                       fallback, numbered)
        return labels, hotspots, box, named

    labels, hotspots, drawing, clean, key = placed(1.0)
    # (Large text under the header looks for a size that is clean below.)
    if exact and not clean and (sidebar or not b.large):
        raise Overflow
    if b.large:
        # Large text: map labels grow as far as they stay clear of the dots,
        # the arrow and each other, and never below their usual size. The
        # side panel names every area (and its focus) in full-size large
        # text, so the drawing need not carry the whole of it.
        def good() -> bool:
            return clean and all(item.fits for item, _ in labels)

        if not good():
            # The usual size (0.5 of large is at most it) first: if even that
            # is crowded, nothing between is worth trying; else halve the gap.
            low, high = 0.5, 1.0
            labels, hotspots, drawing, clean, key = placed(low)
            if good():
                found = (labels, hotspots, drawing, clean, key)
                for _ in range(3):
                    middle = (low + high) / 2
                    labels, hotspots, drawing, clean, key = placed(middle)
                    if good():
                        low, found = middle, (labels, hotspots, drawing, clean, key)
                    else:
                        high = middle
                labels, hotspots, drawing, clean, key = found
        # Still crowded at the usual size: a smaller text scale leaves the
        # map more room. (A map validate warns of ends as without large text,
        # each label still nearest its own place.)
        if b.strict and not good():
            raise Overflow
    if b.low_reach:
        if b.strict and drawing.height() < g.height * CHART_MIN_SHARE:
            raise Overflow
        # The map's panel starts just above what is drawn in it; on a
        # portrait screen the reading panel takes the room above.
        top = min([drawing.top() - 20 * g.unit]
                  + [plate_rect(item).top() - 12 * g.unit for item, _ in labels])
        top = max(map_box.top(), top)
        b.out.decor[panel_at] = b.out.decor[panel_at]._replace(
            rect=QRectF(map_box.left(), top, map_box.width(), map_box.bottom() - top))
        if g.portrait:
            b.map_info = QRectF(body.left(), body.top(), body.width(),
                                top - g.gutter - body.top())
        if b.map_info is not None and b.map_info.height() < g.gutter * 4:
            b.map_info = None
    b.out.map_rect = drawing
    b.out.hotspots.update(hotspots)
    b.add([item for item, _ in labels])
    if numbered:
        b.add(_dot_numbers(b, spec, drawing))
    for item, kind in key:
        b.add([item])
        b.out.decor.append(_key_mark(b, item, kind))
    b.map_side = side
    if b.strict:
        # One text size for the slide whichever area is open: a tap must
        # not make the title and the map's labels jump.
        for area in [None, *(a.id for a in spec.areas)]:
            map_panel(b, area, probe=True)


def _dot_numbers(b: Builder, spec: MapSpec, drawing: QRectF) -> list[TextItem]:
    """Each area's number, centred on its dot as paint_map draws it in
    ``drawing`` (a numbered map), in the list's order."""
    # (map_dots lists the areas' dots first, then the cities'.)
    dots = map_dots(spec, drawing, b.grid.width, b.grid.height)
    return [area_number(b, area.id, n, centre.x(), centre.y())
            for n, (area, (centre, _)) in enumerate(zip(spec.areas, dots, strict=False), 1)]


# A map's key: each line's text and what it names ("corridor", "county").
Key = tuple[tuple[TextItem, str], ...]
# The mark that begins a key's line, as the map draws it (ui.icons).
KEY_MARKS = {"corridor": "towards", "county": "county"}


def _key_choices(spec: MapSpec) -> list[tuple[str, ...]]:
    """What a crowded map may name in its key instead, in the order tried:
    the corridor (the longest label), then the county's name too."""
    corridor = ("corridor",) if spec.corridor is not None else ()
    county = ("county",) if any(p.kind == "county" for p in spec.places) else ()
    return [kinds for kinds in (corridor, (*corridor, *county)) if kinds]


def _key(b: Builder, spec: MapSpec, map_box: QRectF, caption: TextItem,
         kinds: tuple[str, ...]) -> Key:
    """The key's lines above the map's caption, at a caption's size, each in
    its mark's colour; ``kinds`` in order from the top."""
    g = b.grid
    mark = b.font("small").pixelSize() * 1.5
    x = map_box.left() + 24 * g.unit + mark + 12 * g.unit
    width = map_box.right() - 24 * g.unit - x
    lines: list[tuple[TextItem, str]] = []
    for kind in kinds:
        if kind == "corridor" and spec.corridor is not None:
            lines.append((b.block(spec.corridor.label, "small", x, 0, width,
                                  color=b.palette.accent), kind))
        county = next((p for p in spec.places if p.kind == "county"), None)
        if kind == "county" and county is not None:
            lines.append((b.block(county.name, "small", x, 0, width,
                                  color=b.palette.text_muted), kind))
    bottom = caption.rect.top() - 8 * g.unit
    for item, _ in reversed(lines):
        item.rect.moveBottom(bottom)
        bottom = item.rect.top() - 4 * g.unit
    return tuple(lines)


def _key_mark(b: Builder, item: TextItem, kind: str) -> IconItem:
    """The mark before a key's line, centred on its first line."""
    g = b.grid
    mark = item.font.pixelSize() * 1.5
    left = item.rect.left() - 12 * g.unit - mark
    top = item.rect.top() + (item.font.pixelSize() * 1.3 - mark) / 2
    color = b.palette.accent if kind == "corridor" else b.palette.accent_2
    return IconItem(QRectF(left, top, mark, mark), KEY_MARKS[kind], color)
