"""The map slide: the map's drawing with its labels, and the side panel that
names every area (the chosen one opened to its focus); under low reach, the
areas and their list below the reach line and what is read above it.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QRectF

from taixin_kiosk.content.deck import MapSpec
from taixin_kiosk.ui.layout.builder import (
    CHART_MIN_SHARE,
    Builder,
    Overflow,
    bottom_of,
    within,
)
from taixin_kiosk.ui.layout.items import EPS, IconItem, PanelItem, TextItem
from taixin_kiosk.ui.layout.map_labels import (
    CROWDED_STEPS,
    place_labels,
    plate_bottom,
    plate_rect,
)
from taixin_kiosk.ui.theme import MIN_SHRINK, TYPE_MIN, TYPE_SCALE

# The areas' names in the side panel, as a share of a heading's size.
NAME_SCALE = 0.85
# A seated landscape slide's map column (title, lead and map), as shares of
# the content's width tried in turn; the list of areas takes the rest.
SIDEBAR_SHARES = (0.66, 0.62, 0.58)
# ...and the least height of its map's drawing there, as a share of its width.
SIDEBAR_ASPECT = 0.33


def build_map(b: Builder) -> None:
    """A map slide: the header, then the map and the side panel's place (the
    panel itself is filled in for the chosen area by map_panel)."""
    s, g = b.slide, b.grid
    spec = s.map
    if spec is not None and b.seated and not b.low_reach and not g.portrait:
        # A seated audience reads every area's focus beside the map: on a
        # landscape slide the list gets the full height, the title and lead
        # over the map only, where the map keeps the width its names need
        # at their size.
        content = b.content()
        if b.any_fitting(SIDEBAR_SHARES, partial(_beside_header, b, content, spec)):
            return
    body = b.header(b.content(), s.title, s.lead)
    if spec is None:
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
    build = partial(_map_and_side, b, body, spec)
    # A seated audience reads every area's focus in the side panel at once:
    # the map gives up width for it where its share leaves too little
    # (map_panel's probe asks for the whole list); where no share does,
    # the panel opens only the chosen area, as on the touch screen.
    if b.seated and not b.low_reach and b.any_fitting(options, build):
        return
    b.first_fitting(options, build)


def _beside_header(b: Builder, content: QRectF, spec: MapSpec, share: float) -> None:
    """The title and lead over the map, on ``share`` of the content's width;
    the side panel beside both, the content's full height. Only with every
    name on the map clean (a strict build: Overflow otherwise)."""
    g = b.grid
    column = QRectF(content.left(), content.top(), content.width() * share, content.height())
    # (A narrow column's title takes more lines.)
    body = b.header(column, b.slide.title, b.slide.lead, taller=0.1)
    left = column.right() + g.gutter * 1.5
    _map_and_side(b, body, spec, 1.0,
                  side=QRectF(left, content.top(), content.right() - left, content.height()))


def _map_and_side(b: Builder, body: QRectF, spec: MapSpec, share: float,
                  side: QRectF | None = None) -> None:
    """The map, taking ``share`` of the body's height (portrait) or width,
    and the side panel's place. Given a ``side`` (a full-height list beside
    the header and the map, which then takes the body; a crowded map is not
    wanted there), a strict build raises Overflow where a name is not placed
    clean at its size on the map or in its key, or the map comes out flat."""
    g = b.grid
    sidebar = side is not None
    b.map_info = None
    if side is not None:
        map_box = QRectF(body)
    elif b.low_reach:
        # Low reach: the map's areas and the list of them, both tapped,
        # below the reach line; what is read (the hint, the chosen area's
        # focus) in a panel above. The map may start above the line as
        # long as its areas are below it (see placed).
        line = max(body.top(), b.reach_line())
        if g.portrait:
            rows_h = _rows_need(b, spec, body.width(), 1.0)
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
    # (large text's search, a sidebar) never shows such a placement: the
    # "least wrong" one, costly to find, is then not looked for.
    shown_unclean = not (b.strict and (b.large or sidebar))
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
        # (A sidebar asks for the names at their size or not at all.)
        settled = b.text_scale > 1.0 or sidebar
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
        labels, hotspots, named = place_labels(b, spec, box, size, left_out, step, fallback)
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
                                                       fallback)
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
                                                       fallback)
        return labels, hotspots, box, named

    labels, hotspots, drawing, clean, key = placed(1.0)
    if b.strict and sidebar and not clean:
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
    for item, kind in key:
        b.add([item])
        b.out.decor.append(_key_mark(b, item, kind))
    b.map_side = side
    if b.strict:
        # One text size for the slide whichever area is open: a tap must
        # not make the title and the map's labels jump.
        for area in [None, *(a.id for a in spec.areas)]:
            map_panel(b, area, probe=True)


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


def map_panel(b: Builder, selected: str | None, probe: bool = False) -> None:
    """The side panel of a map slide: the chosen area's focus, or the hint;
    for a seated audience every area's focus, without the hint. A ``probe``
    only checks that it fits at full size (a strict build)."""
    s, g = b.slide, b.grid
    spec = s.map
    side = b.map_side
    if spec is None or side is None:
        return
    info = b.map_info
    if info is not None:
        _reach_panels(b, spec, side, info, selected, probe)
        return
    if not probe:
        b.panel(side)
    pad = 32 * g.unit
    # Low reach (with no room above the reach line for what is read): the
    # panel is short, and gets the list panel's closer margins (_reach_panels).
    pad_y = pad * 0.75 if b.low_reach else pad
    inner = side.adjusted(pad, pad_y, -pad, -pad_y)

    hint = _hint(b, spec)

    def stack(scale: float, every: bool, cols: int = 1, role: str = "body"
              ) -> tuple[list[TextItem], dict[str, QRectF]]:
        # The hint, then every area as a row; the chosen row opens to show
        # its focus (``every``: every row does, ``cols`` areas a row). Rows
        # are tappable like the areas on the map.
        items: list[TextItem] = []
        y = inner.top()
        reading = max(scale, b.floor("body"))
        # Once an area is chosen its focus says more than how to choose
        # one: the hint gives it the room (28 px names, 36 px reading text).
        if hint is not None and (selected is None or every):
            items.append(b.block(hint, "body", inner.left(), inner.top(), inner.width(),
                                 scale=reading, color=b.palette.text_muted))
            y = items[-1].rect.bottom() + 28 * g.unit * scale
        gap = g.gutter
        col_w = (inner.width() - gap * (cols - 1)) / cols
        rows: dict[str, QRectF] = {}
        areas = list(spec.areas)
        for start in range(0, len(areas), cols):
            top, bottom = y, y
            for k, area in enumerate(areas[start:start + cols]):
                chosen = area.id == selected
                x = inner.left() + k * (col_w + gap)
                name = b.block(area.name, "heading", x, top, col_w, scale=scale * NAME_SCALE,
                               color=b.palette.accent if chosen or every else b.palette.text)
                items.append(name)
                end = name.rect.bottom() + 6 * g.unit * scale
                if every:
                    # Every area's focus at once is a list read at a glance:
                    # reading text where all of it fits, else captions (28 px).
                    focus = b.block(area.focus, role, x, end, col_w,
                                    scale=max(scale, b.floor(role)))
                    items.append(focus)
                    end = focus.rect.bottom() + 10 * g.unit * scale
                elif chosen:
                    focus = b.block(area.focus, role, x, end, col_w,
                                    scale=max(scale, b.floor(role)))
                    items.append(focus)
                    end = focus.rect.bottom() + 10 * g.unit * scale
                bottom = max(bottom, end)
            for k, area in enumerate(areas[start:start + cols]):
                left = side.left() if k == 0 else inner.left() + k * (col_w + gap) - gap / 2
                right = side.right() if k == cols - 1 or start + k == len(areas) - 1 \
                    else inner.left() + (k + 1) * col_w + k * gap + gap / 2
                rows[area.id] = QRectF(left, top - 8 * g.unit, right - left,
                                       bottom - top + 8 * g.unit)
            y = bottom + (28 if every else 10) * g.unit * scale
        return items, rows

    # A seated audience reads every area's focus at once where that fits,
    # the names shrunk no further than map text may be, two areas a row
    # where one column is too short (always on a portrait screen, whose
    # panel is wide and short); else, as on the touch screen, only the
    # chosen one's.
    least = _names_least(b)
    every, cols, role = False, 1, "body"
    if b.seated:
        every, cols, role = next(
            ((True, n, focus) for focus in ("body", "small")
             for n in ((2,) if g.portrait else (1, 2))
             if within(stack(least, True, n, focus)[0], inner.bottom())),
            (False, 1, "body"))
    if probe and b.strict and b.seated and not every:
        raise Overflow
    # The areas' names are map text: they may come down to a caption's size
    # (the hint and the focus stay reading text).
    if not every and selected is not None and b.search(
            lambda sc: within(stack(sc, every, cols, role)[0], inner.bottom()),
            least=least) is None:
        # A short panel (low reach with no room above the reach line, a
        # header of several lines): the chosen area's focus at a caption's
        # size rather than out of its panel.
        role = "small"
    scale, ok = b.fit_scale(
        lambda sc: within(stack(sc, every, cols, role)[0], inner.bottom()), least=least)
    if probe:
        return
    items, rows = stack(scale, every, cols, role)
    if every and items:
        # The seated list is read as a whole, not tapped: centred in its
        # panel rather than over an empty foot.
        drop = max(0.0, (inner.bottom() - max(t.rect.bottom() for t in items)) / 2)
        for item in items:
            item.rect.translate(0, drop)
        for rect in rows.values():
            rect.translate(0, drop)
    b.add(items, ok)
    for area_id, rect in rows.items():
        b.out.panel_rows[area_id] = rect
    if selected in rows:
        b.out.decor.append(PanelItem(rows[selected], b.palette.panel, None,
                                     10 * g.unit))


def _names_least(b: Builder) -> float:
    """How far the areas' names in the side panel may shrink: to a caption's
    size (TYPE_MIN["small"]), as names on the map itself."""
    return min(MIN_SHRINK, TYPE_MIN["small"] / (TYPE_SCALE["heading"][0] * NAME_SCALE)) \
        * b.shrink


def _hint(b: Builder, spec: MapSpec) -> str | None:
    """The side panel's first line: how to use the map, or for a seated
    audience the pack's words for them (``seated_hint``), if any."""
    return spec.seated_hint if b.seated else spec.hint


def _rows_need(b: Builder, spec: MapSpec, width: float, scale: float) -> float:
    """Low reach: the height of a panel listing the areas' names (see
    _reach_panels) ``width`` wide."""
    pad = 32 * b.grid.unit
    inner = QRectF(0, 0, width, 1e6).adjusted(pad, pad * 0.75, -pad, -pad * 0.75)
    items, _ = _area_rows(b, spec, inner, inner, scale, None)
    return bottom_of(items, 0.0) + pad * 0.75


def _area_rows(b: Builder, spec: MapSpec, side: QRectF, inner: QRectF, scale: float,
               chosen: str | None) -> tuple[list[TextItem], dict[str, QRectF]]:
    """Low reach: the areas' names as rows in ``inner``, two a row on a
    portrait screen (the map above them keeps its height), and each
    one's tappable rect."""
    g = b.grid
    cols = 2 if g.portrait else 1
    gap = g.gutter
    col_w = (inner.width() - gap * (cols - 1)) / cols
    items: list[TextItem] = []
    found: dict[str, QRectF] = {}
    y = inner.top()
    areas = list(spec.areas)
    for start in range(0, len(areas), cols):
        names = []
        for k, area in enumerate(areas[start:start + cols]):
            x = inner.left() + k * (col_w + gap)
            names.append((area, x, b.block(
                area.name, "heading", x, y, col_w, scale=scale * NAME_SCALE,
                color=b.palette.accent if area.id == chosen else b.palette.text)))
        bottom = max(name.rect.bottom() for _, _, name in names) + 10 * g.unit * scale
        for k, (area, x, name) in enumerate(names):
            items.append(name)
            left = side.left() if k == 0 else x - gap / 2
            right = side.right() if k == cols - 1 else x + col_w + gap / 2
            found[area.id] = QRectF(left, y - 8 * g.unit, right - left,
                                    bottom - y + 8 * g.unit)
        y = bottom + 14 * g.unit * scale
    return items, found


def _reach_panels(b: Builder, spec: MapSpec, side: QRectF, info: QRectF,
                  selected: str | None, probe: bool) -> None:
    """Low reach: the areas' names as tappable rows in ``side``, below the
    reach line, and what is read (the hint, or the chosen area's name
    and focus) in ``info`` above it."""
    g = b.grid
    pad = 32 * g.unit
    if not probe:
        b.panel(side)
    top_inner = info.adjusted(pad, pad, -pad, -pad)
    chosen = next((a for a in spec.areas if a.id == selected), None)

    def reading(scale: float) -> list[TextItem]:
        x, y, w = top_inner.left(), top_inner.top(), top_inner.width()
        if chosen is None:
            hint = _hint(b, spec)
            return [] if hint is None else [b.block(hint, "body", x, y, w,
                                                    scale=max(scale, b.floor("body")),
                                                    color=b.palette.text_muted)]
        name = b.block(chosen.name, "heading", x, y, w, scale=scale * NAME_SCALE,
                       color=b.palette.accent)
        focus = b.block(chosen.focus, "body", x, name.rect.bottom() + 10 * g.unit * scale,
                        w, scale=max(scale, b.floor("body")))
        return [name, focus]

    inner = side.adjusted(pad, pad * 0.75, -pad, -pad * 0.75)

    def rows(scale: float) -> tuple[list[TextItem], dict[str, QRectF]]:
        return _area_rows(b, spec, side, inner, scale, selected)

    read_scale, read_ok = b.fit_scale(
        lambda sc: within(reading(sc), top_inner.bottom()), least=_names_least(b))
    row_scale, row_ok = b.fit_scale(
        lambda sc: within(rows(sc)[0], inner.bottom()), least=_names_least(b))
    if probe:
        return
    reading_items = reading(read_scale)
    # Only the hint: its panel is as tall as the hint, not an empty box
    # the height of the room kept for a chosen area's focus; on a portrait
    # screen halfway down that room, not over an empty band (issue 14).
    panel = info
    if chosen is None:
        panel = QRectF(info.left(), info.top(), info.width(),
                       min(info.height(), bottom_of(reading_items, info.top()) + pad - info.top()))
        if g.portrait:
            lower = (info.height() - panel.height()) / 2
            panel.translate(0, lower)
            for item in reading_items:
                item.rect.translate(0, lower)
    b.panel(panel)
    b.add(reading_items, read_ok)
    items, found = rows(row_scale)
    b.add(items, row_ok)
    b.out.panel_rows.update(found)
    if chosen is not None:
        b.out.decor.append(PanelItem(found[chosen.id], b.palette.panel, None, 10 * g.unit))
