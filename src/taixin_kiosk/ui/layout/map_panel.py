"""A map slide's side panel: every area's name as a row (the chosen one
opened to its focus, or for a seated audience every focus), each with
its number on a numbered map; under low reach, the rows below the reach
line and what is read above it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFontMetricsF

from taixin_kiosk.content.deck import MapSpec
from taixin_kiosk.ui.layout.builder import Builder, Overflow, bottom_of, within
from taixin_kiosk.ui.layout.items import CENTER, PanelItem, TextItem
from taixin_kiosk.ui.theme import MIN_SHRINK, TYPE_MIN, TYPE_SCALE

# The areas' names in the side panel, as a share of a heading's size.
NAME_SCALE = 0.85


def area_number(b: Builder, area_id: str, n: int, x: float, y: float) -> TextItem:
    """An area's number at a caption's size (a map label: large text does not
    outgrow its marker), centred on (x, y), as a map label's text on its
    plate."""
    item = b.block(f"{area_id}.number", "small", 0, 0, b.grid.width, text=str(n),
                   color=b.palette.text, align=CENTER, tight=True, label=True)
    item.rect.moveCenter(QPointF(x, y))
    return item


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
    numbered = b.out.map_numbered

    def stack(scale: float, every: bool, cols: int = 1, role: str = "body",
              level: bool = False
              ) -> tuple[list[TextItem], dict[str, QRectF], list[PanelItem]]:
        # The hint, then every area as a row; the chosen row opens to show
        # its focus (``every``: every row does, ``cols`` areas a row). Rows
        # are tappable like the areas on the map. On a numbered map each
        # row begins with its area's number on a dot like the map's, the
        # name beside it; the focus under the name in one column, under
        # both in two (narrow columns keep their width for the words).
        # ``level``: the focus texts of a row start level, under its
        # tallest name.
        items: list[TextItem] = []
        badges: list[PanelItem] = []
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
        mark = b.font("heading", scale * NAME_SCALE).pixelSize() * 1.25
        hang = mark * 1.4 if numbered else 0.0
        for start in range(0, len(areas), cols):
            top = y
            row = areas[start:start + cols]
            names = []
            for k, area in enumerate(row):
                chosen = area.id == selected
                left = inner.left() + k * (col_w + gap)
                names.append(b.block(area.name, "heading", left + hang, top, col_w - hang,
                                     scale=scale * NAME_SCALE,
                                     color=b.palette.accent if chosen or every
                                     else b.palette.text))
                items.append(names[-1])
                if numbered:
                    # On the name's first line.
                    y_mid = top + QFontMetricsF(names[-1].font).height() / 2
                    items.append(area_number(b, area.id, start + k + 1, left + mark / 2, y_mid))
                    # A marker like the map's: its plate colour ringed in
                    # the areas' colour (the chosen one's accent).
                    badges.append(PanelItem(
                        QRectF(left, y_mid - mark / 2, mark, mark), b.palette.map_label,
                        b.palette.accent if chosen else b.palette.accent_2, mark / 2,
                        mark * 0.1))
            gap_under = 6 * g.unit * scale
            lowest = max(name.rect.bottom() for name in names) + gap_under
            bottom = lowest
            for k, area in enumerate(row):
                below = lowest if level else names[k].rect.bottom() + gap_under
                if every or area.id == selected:
                    # Every area's focus at once is a list read at a glance:
                    # reading text where all of it fits, else captions (28 px).
                    left = inner.left() + k * (col_w + gap)
                    # (Under the name in one column, under both in two.)
                    x = left + hang if cols == 1 else left
                    focus = b.block(area.focus, role, x, below, left + col_w - x,
                                    scale=max(scale, b.floor(role)))
                    items.append(focus)
                    bottom = max(bottom, focus.rect.bottom() + 10 * g.unit * scale)
            for k, area in enumerate(row):
                left = side.left() if k == 0 else inner.left() + k * (col_w + gap) - gap / 2
                right = side.right() if k == cols - 1 or start + k == len(areas) - 1 \
                    else inner.left() + (k + 1) * col_w + k * gap + gap / 2
                rows[area.id] = QRectF(left, top - 8 * g.unit, right - left,
                                       bottom - top + 8 * g.unit)
            y = bottom + (28 if every else 10) * g.unit * scale
        return items, rows, badges

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
    # Focus texts level across a row where that fits at the same size.
    level = cols > 1 and within(stack(scale, every, cols, role, True)[0], inner.bottom())
    items, rows, badges = stack(scale, every, cols, role, level)
    if every and items:
        # The seated list is read as a whole, not tapped: centred in its
        # panel rather than over an empty foot.
        drop = max(0.0, (inner.bottom() - max(t.rect.bottom() for t in items)) / 2)
        for item in items:
            item.rect.translate(0, drop)
        for rect in rows.values():
            rect.translate(0, drop)
        badges = [badge._replace(rect=badge.rect.translated(0, drop)) for badge in badges]
    b.add(items, ok)
    for area_id, rect in rows.items():
        b.out.panel_rows[area_id] = rect
    if selected in rows:
        b.out.decor.append(PanelItem(rows[selected], b.palette.panel, None,
                                     10 * g.unit))
    # (Over the chosen row's panel.)
    b.out.decor.extend(badges)


def _names_least(b: Builder) -> float:
    """How far the areas' names in the side panel may shrink: to a caption's
    size (TYPE_MIN["small"]), as names on the map itself."""
    return min(MIN_SHRINK, TYPE_MIN["small"] / (TYPE_SCALE["heading"][0] * NAME_SCALE)) \
        * b.shrink


def _hint(b: Builder, spec: MapSpec) -> str | None:
    """The side panel's first line: how to use the map, or for a seated
    audience the pack's words for them (``seated_hint``), if any."""
    return spec.seated_hint if b.seated else spec.hint


def rows_need(b: Builder, spec: MapSpec, width: float, scale: float) -> float:
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
