"""The slide layout engine: a slide and a stage size in, positioned items out.

Layout is computed, not left to widget layouts, so the same numbers drive the
screen, the PNG/PDF export and the text-fit tests. Every text box is sized to
its measured text; where a group of boxes does not fit its region at the type
scale, the whole group shrinks together (down to ``MIN_SHRINK``) so sizes stay
consistent across cards and points. A box that still does not fit is marked
``fits=False``; tests fail on it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial
from typing import NamedTuple, TypeVar

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QTextLayout, QTextOption

from taixin_kiosk.content.deck import Card, Deck, MapSpec, Point, Slide
from taixin_kiosk.ui.fonts import LATIN_FAMILY
from taixin_kiosk.ui.theme import (
    CJK_LANGUAGES,
    LARGE_MIN_SHRINK,
    MIN_SHRINK,
    PALETTE,
    TYPE_SCALE,
    Grid,
    font_for,
    large_factor,
)

WRAP = int(Qt.TextFlag.TextWordWrap)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
CENTER = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
_EPS = 0.75
# How far body text may grow beyond the type scale to use spare room.
MAX_GROW = 1.2
# Large text gives a card at least this many ems of body text a line.
LARGE_MIN_MEASURE = 6.0
# A quotation is the slide's one statement: it may grow further to fill its panel.
QUOTE_GROW = 1.45
# Text whose wrapped lines are evened out: no "2" or single CJK character
# alone on a last line. Small print (footnotes, captions) flows as it is.
BALANCED_ROLES = frozenset({"title", "display", "subtitle", "stat", "quote", "heading", "lead",
                            "body"})
# A portrait totem has height to spare: body text may grow further there.
MAX_GROW_PORTRAIT = 1.45
# Subtitle mode: the second language's line, as a fraction of the primary
# size. A CJK character fills its em square while Latin lowercase uses about
# half of it, so at one ratio a Chinese line looks larger than an English one:
# each gets its own, and both read as clearly secondary.
SECOND_SCALE_LATIN = 0.64
SECOND_SCALE_CJK = 0.58
# ...but never below this (design pixels, like TYPE_SCALE): under a lead
# sentence the ratio alone gives type too small to read from a few metres.
SECOND_MIN = 22.0
# Space between the primary text and its second line, in second-line ems; the
# next block keeps SECOND_AFTER more, so each pair reads as one unit.
SECOND_GAP = 0.25
SECOND_AFTER = 0.6
# A map label's backing plate reaches this many ems past its text sideways
# (and 0.4 of that up and down).
PLATE_PAD = 0.25
# A chart squeezed under less than this fraction of the stage's height can no
# longer be read: large text gives its text room in other ways first. Its own
# labels are larger then too, so it keeps more: this much of the short side.
CHART_MIN_SHARE = 0.2
CHART_MIN_SHARE_LARGE = 0.28
# Low reach: what a visitor touches on a slide (chart marks, map areas and
# their list) starts this far down the stage. The stage sits above the control
# bar and takes about nine tenths of the window (0.93 on a portrait screen),
# so half the window's height is 0.54 to 0.56 of the stage's.
REACH_LINE = 0.57

T = TypeVar("T")


class _Overflow(Exception):
    """A large-text attempt that does not fit at full size (see build_layout)."""


class TextItem:
    """One text box of a slide, as measured; ``fits`` is False if it overflowed.

    A plain class, not a dataclass: these layout records are all defined on
    the way to the first slide, and a dataclass costs ~0.3 ms to define.
    """

    __slots__ = ("align", "backing", "color", "first_width", "fits", "font", "key", "rect",
                 "role", "second_color", "second_font", "second_text", "second_top",
                 "second_width", "text")

    def __init__(self, rect: QRectF, text: str, role: str, font: QFont, color: QColor,
                 align: int = LEFT, key: str = "", fits: bool = True,
                 backing: QColor | None = None) -> None:
        self.rect = rect
        self.text = text
        self.role = role
        self.font = font
        self.color = color
        self.align = align
        self.key = key
        self.fits = fits
        # A plate behind the text, so map lines running under a label never cut it.
        self.backing = backing
        # Subtitle mode: the other language under the text, inside ``rect``.
        # Each language wraps at its own width (both evened out), placed in
        # ``rect`` by the alignment; ``second_top`` is relative to the top.
        self.second_text = ""
        self.second_font = font
        self.second_color = color
        self.first_width = 0.0
        self.second_width = 0.0
        self.second_top = 0.0

    def __repr__(self) -> str:
        second = f", second={self.second_text!r}" if self.second_text else ""
        return (f"TextItem({self.role!r}, {self.text!r}{second}, {self.rect!r},"
                f" fits={self.fits})")

    @property
    def flags(self) -> int:
        return self.align | WRAP

    def first_rect(self) -> QRectF:
        """Where the primary text is drawn: all of ``rect`` unless a second line follows."""
        if not self.second_text:
            return self.rect
        x, width = _narrowed(self.rect.left(), self.rect.width(), self.first_width, self.align)
        return QRectF(x, self.rect.top(), width, self.second_top)

    def second_rect(self) -> QRectF:
        """Where the second language is drawn, under the primary text."""
        x, width = _narrowed(self.rect.left(), self.rect.width(), self.second_width, self.align)
        top = self.rect.top() + self.second_top
        return QRectF(x, top, width, self.rect.bottom() - top)


class IconItem(NamedTuple):
    rect: QRectF
    name: str
    color: QColor


class PanelItem(NamedTuple):
    rect: QRectF
    fill: QColor
    edge: QColor | None = None
    radius: float = 0.0


class ImageItem(NamedTuple):
    rect: QRectF
    path: str
    # "fill-right": cover the box, anchored right; "contain": fit inside.
    mode: str = "contain"
    opacity: float = 1.0


class BarItem(NamedTuple):
    """A decorative accent bar (no text)."""

    rect: QRectF
    color: QColor


class SlideLayout:
    """Everything a slide draws at one size and in one language."""

    __slots__ = (
        "chart_rect",
        "decor",
        "height",
        "hotspots",
        "map_rect",
        "panel_rows",
        "texts",
        "width",
    )

    def __init__(self, width: float, height: float) -> None:
        self.width = width
        self.height = height
        self.texts: list[TextItem] = []
        self.decor: list[PanelItem | IconItem | ImageItem | BarItem] = []
        self.chart_rect: QRectF | None = None
        self.map_rect: QRectF | None = None
        # Tappable regions by area id (map slides): on the map and in the side list.
        self.hotspots: dict[str, QRectF] = {}
        self.panel_rows: dict[str, QRectF] = {}


def measure(text: str, font: QFont, width: float, align: int = LEFT) -> QRectF:
    """The box wrapped ``text`` needs at ``width`` (may be wider if a word is)."""
    metrics = QFontMetricsF(font)
    return metrics.boundingRect(QRectF(0, 0, max(1.0, width), 1e6), align | WRAP, text)


def text_fits(item: TextItem) -> bool:
    """The text (and its second line, if any) fits the item's rect as measured now."""
    boxes = [(item.text, item.font, item.first_rect())]
    if item.second_text:
        boxes.append((item.second_text, item.second_font, item.second_rect()))
    for text, font, box in boxes:
        if not item.rect.adjusted(-_EPS, -_EPS, _EPS, _EPS).contains(box):
            return False
        need = measure(text, font, box.width(), item.align)
        if need.height() > box.height() + _EPS or need.width() > box.width() + _EPS:
            return False
    return True


class Builder:
    """Builds one slide's layout; ``text`` resolves keys in the current language.

    ``second`` (subtitle mode) resolves keys in ``second_locale``: titles and
    key sentences then carry that language as a smaller line under them.
    """

    def __init__(self, slide: Slide, width: float, height: float, family: str,
                 text: Callable[..., str], second: Callable[..., str] | None = None,
                 second_locale: str = "", text_scale: float = 1.0,
                 low_reach: bool = False) -> None:
        self.slide = slide
        self.text_scale = text_scale
        # Low reach: touchable content (chart, map and its list) in the lower
        # part of the stage, what is only read above it.
        self.low_reach = low_reach
        self.grid = Grid(width, height)
        self.family = family
        self.text = text
        self.second = second
        self.second_cjk = second_locale.split("-")[0].lower() in CJK_LANGUAGES
        self.out = SlideLayout(width, height)
        self.grow = MAX_GROW_PORTRAIT if self.grid.portrait else MAX_GROW
        # Large text may rearrange a slide (fewer card columns, a wider text
        # column, no decorative icons) to keep its text large.
        self.large = text_scale > 1.0
        # Under large text, how much of their own growth the display roles
        # (titles, the cover's display line, stat figures) keep, and whether the
        # cover keeps its emblem (see build).
        self.display_growth = 1.0
        self.emblem = True
        # A strict build never shrinks a group below its size at this
        # text_scale: it raises _Overflow instead, and build_layout tries a
        # slightly smaller text_scale for the whole slide. So the slide's
        # groups keep one scale, rather than a header taking all the room at
        # full size and leaving the cards under it shrunk to MIN_SHRINK.
        self.strict = False
        # Whether wrapped lines are evened out. Evening out never changes a
        # box's height, only narrows it, so large text's trial builds skip it
        # and only the build that is kept has it.
        self.balance = True

    # -- text helpers -------------------------------------------------------

    def font(self, role: str, scale: float = 1.0) -> QFont:
        return font_for(self.family, role, self.grid.unit,
                        scale * large_factor(role, self.text_scale))

    def second_font(self, role: str, scale: float) -> QFont:
        """The second language's font: smaller, regular weight, and set in
        the Latin companion first unless that language is CJK (whatever the
        primary language chose for the shared font settings)."""
        ratio = SECOND_SCALE_CJK if self.second_cjk else SECOND_SCALE_LATIN
        size = TYPE_SCALE[role][0]
        font = font_for(self.family, role, self.grid.unit,
                        max(scale * ratio, SECOND_MIN / size)
                        * large_factor(role, self.text_scale))
        font.setWeight(QFont.Weight.Normal)
        base = self.family or QFont().family()
        font.setFamilies([base] if self.second_cjk else [LATIN_FAMILY, base])
        return font

    def second_of(self, key: str, primary: str) -> str:
        """``key`` in the second language; empty where it would add nothing
        (subtitles off, the same words, or a missing translation)."""
        if self.second is None or not key:
            return ""
        found = self.second(key)
        return "" if found in (primary, key) or not found.strip() else found

    def below(self, item: TextItem, gap: float) -> float:
        """Where the next block starts: ``gap`` design pixels under ``item``,
        more if it ends with a second line."""
        extra = item.second_font.pixelSize() * SECOND_AFTER if item.second_text else 0.0
        return item.rect.bottom() + gap * self.grid.unit + extra

    def block(self, key: str, role: str, x: float, y: float, width: float, *,
              scale: float = 1.0, color: QColor | None = None, align: int = LEFT,
              text: str | None = None, tight: bool = False, subtitled: bool = False,
              second_text: str | None = None) -> TextItem:
        """A text box at (x, y), exactly as tall as its wrapped text.

        Wrapped text of the BALANCED_ROLES has its lines evened out (no word or
        character alone on a last line). ``tight`` also narrows the box to the
        text's own width, for labels that sit close to each other on a map.
        Narrowing keeps the text where its alignment puts it.

        A ``subtitled`` box (a title or key sentence) in subtitle mode also
        holds the second language (``second_text``, or ``key`` resolved in it)
        under its text, in a smaller, muted type; the box's height covers both.
        """
        content = self.text(key) if text is None else text
        font = self.font(role, scale)
        full_x, full_width = x, width
        x, width, need, fits = _wrapped(content, font, role, x, width, align, self.balance)
        second = ""
        if subtitled:
            second = self.second_of(key, content) if second_text is None else second_text
        if not second:
            if tight and fits:
                x, width = _narrowed(x, width, math.ceil(need.width()), align)
            item = TextItem(QRectF(x, y, width, math.ceil(need.height())), content, role, font,
                            color or PALETTE.text, align, key)
            item.fits = fits
            return item
        small = self.second_font(role, scale)
        _, second_width, second_need, second_fits = _wrapped(second, small, role, full_x,
                                                             full_width, align, self.balance)
        # One box around both, narrowed as far as the wider of the two.
        x, box_width = _narrowed(full_x, full_width, max(width, second_width), align)
        top = need.height() + small.pixelSize() * SECOND_GAP
        item = TextItem(QRectF(x, y, box_width, math.ceil(top + second_need.height())), content,
                        role, font, color or PALETTE.text, align, key)
        item.fits = fits and second_fits
        item.second_text = second
        item.second_font = small
        # Quieter than any primary text, muted ones included, so the second
        # language never reads as the next heading or sentence.
        item.second_color = PALETTE.text_second
        item.first_width = width
        item.second_width = second_width
        item.second_top = top
        return item

    def fit_scale(self, fits: Callable[[float], bool], grow: float = 1.0,
                  floor: float | None = None) -> tuple[float, bool]:
        """The largest scale in [MIN_SHRINK, grow] for which ``fits`` holds.

        Body text may ``grow`` a little where a slide has room to spare (a
        portrait totem, a slide with few words), so the space is used rather
        than left empty; headings never grow, which keeps the scale consistent.
        A strict build raises _Overflow where nothing from ``floor`` (1.0 by
        default) up fits.
        """
        found = self.search(fits, grow, floor)
        if found is not None:
            return found, True
        if self.strict:
            raise _Overflow
        return MIN_SHRINK, False

    def search(self, fits: Callable[[float], bool], grow: float = 1.0,
               floor: float | None = None) -> float | None:
        """The largest scale from ``grow`` down that ``fits``, in steps of 0.04,
        stopping at MIN_SHRINK (``floor``, or 1.0, in a strict build)."""
        if floor is None or not self.strict:
            floor = 1.0 if self.strict else MIN_SHRINK
        if self.large:
            return _bisected(fits, grow, floor)
        scale = grow
        while scale >= floor - 1e-9:
            if fits(scale):
                return scale
            scale -= 0.04
        return None

    def arranged(self, options: Sequence[T], fits: Callable[[T, float], bool],
                 grow: float = 1.0) -> tuple[T, float, bool]:
        """The first of ``options`` (arrangements of a group, the usual one
        first) whose text fits, with its scale. Only large text looks past the
        first; a strict build takes the first that fits at full size, the
        fallback the one that keeps the text largest."""
        if not self.large or len(options) == 1:
            first = options[0]
            scale, ok = self.fit_scale(lambda sc: fits(first, sc), grow)
            return first, scale, ok
        best: tuple[T, float] | None = None
        for option in options:
            found = self.search(partial(fits, option), grow)
            if found is not None and (self.strict or found >= 1.0 - 1e-9):
                return option, found, True
            if found is not None and (best is None or found > best[1] + 1e-9):
                best = (option, found)
        if self.strict:
            raise _Overflow
        if best is not None:
            return best[0], best[1], True
        return options[0], MIN_SHRINK, False

    def first_fitting(self, options: Sequence[T], build: Callable[[T], None]) -> None:
        """Builds the first of ``options`` (arrangements of several groups, the
        usual one first) whose every group fits at full size. Only large text
        looks past the first; where none fits, the last (the one that leaves
        the text the most room) is built as well as it can be."""
        if not self.large or len(options) == 1:
            build(options[0])
            return
        strict = self.strict
        self.strict = True
        try:
            for option in options[:-1]:
                mark = self._mark()
                try:
                    build(option)
                    return
                except _Overflow:
                    self._restore(mark)
        finally:
            self.strict = strict
        build(options[-1])

    def _mark(self) -> tuple[int, int, QRectF | None, QRectF | None, dict[str, QRectF],
                             dict[str, QRectF]]:
        out = self.out
        return (len(out.texts), len(out.decor), out.chart_rect, out.map_rect,
                dict(out.hotspots), dict(out.panel_rows))

    def _restore(self, mark: tuple[int, int, QRectF | None, QRectF | None, dict[str, QRectF],
                                   dict[str, QRectF]]) -> None:
        out = self.out
        texts, decor, out.chart_rect, out.map_rect, out.hotspots, out.panel_rows = mark
        del out.texts[texts:]
        del out.decor[decor:]

    def add(self, items: Sequence[TextItem], ok: bool = True) -> None:
        for item in items:
            item.fits = item.fits and ok
            self.out.texts.append(item)

    # -- shared pieces ------------------------------------------------------

    def header(self, area: QRectF, title: str | None, lead: str | None) -> QRectF:
        """Title (and lead) at the top of ``area``; returns the space below."""
        g = self.grid
        bar_w = 10 * g.unit
        x = area.left() + bar_w + 22 * g.unit
        width = area.right() - x
        # Large text's lead takes two or three lines where it took one: the
        # header may take more of the slide, as the text under it is larger too.
        # With subtitles it carries both languages, and may take more again.
        if self.large:
            max_h = area.height() * ((0.44 if g.portrait else 0.4)
                                     + (0.1 if self.second is not None else 0.0))
        else:
            max_h = area.height() * (0.34 if g.portrait else 0.3)

        def stack(scale: float) -> list[TextItem]:
            items: list[TextItem] = []
            y = area.top()
            if title:
                # Large text may keep the title smaller than its lead's scale
                # (see build): it is already set larger than any reading text.
                items.append(self.block(title, "title", x, y, width,
                                        scale=min(scale, self.display_cap("title")),
                                        subtitled=True))
                y = self.below(items[-1], 10)
            if lead:
                items.append(self.block(lead, "lead", x, y, width, scale=scale,
                                        color=PALETTE.text_muted, subtitled=True))
            return items

        scale, ok = self.fit_scale(
            lambda s: _within(stack(s), area.top() + max_h))
        items = stack(scale)
        self.add(items, ok)
        bottom = _bottom(items, area.top())
        if items:
            self.out.decor.append(BarItem(
                QRectF(area.left(), area.top() + 6 * g.unit, bar_w, items[0].rect.height()
                       - 12 * g.unit), PALETTE.accent))
        # (Large text spends less of the slide on space between blocks.)
        gap = (34 if g.portrait else 40) * g.unit * (0.7 if self.large else 1.0)
        return QRectF(area.left(), bottom + gap, area.width(), area.bottom() - bottom - gap)

    def point_list(self, area: QRectF, points: Sequence[Point], role: str = "body",
                   icon_default: str | None = None) -> None:
        """Icon + text rows, shrunk together to fit ``area``."""
        if not points:
            return
        g = self.grid

        def rows(scale: float) -> tuple[list[TextItem], list[IconItem]]:
            texts: list[TextItem] = []
            icons: list[IconItem] = []
            icon = 54 * g.unit * scale
            gap = 26 * g.unit * scale
            y = area.top()
            for point in points:
                name = point.icon or icon_default
                x = area.left() + (icon + 20 * g.unit if name else 0)
                item = self.block(point.text, role, x, y, area.right() - x, scale=scale)
                if name:
                    icons.append(IconItem(QRectF(area.left(), y, icon, icon), name,
                                          PALETTE.accent_2))
                texts.append(item)
                y = max(item.rect.bottom(), y + icon) + gap
            return texts, icons

        def fits(scale: float) -> bool:
            texts, icons = rows(scale)
            last = max([t.rect.bottom() for t in texts] + [i.rect.bottom() for i in icons])
            return all(t.fits for t in texts) and last <= area.bottom() + _EPS

        scale, ok = self.fit_scale(fits, self.grow)
        texts, icons = rows(scale)
        self.add(texts, ok)
        self.out.decor.extend(icons)

    def panel(self, rect: QRectF) -> None:
        self.out.decor.append(PanelItem(rect, PALETTE.panel, PALETTE.panel_edge,
                                        18 * self.grid.unit))

    # -- slide types --------------------------------------------------------

    def build(self) -> SlideLayout:
        method = getattr(self, f"_{self.slide.type}")
        if not self.large:
            method()
            return self.out
        # Large text: titles, the cover's display line and stat figures are already
        # larger than the doubled body text, so where the slide is short of
        # room they give up their own growth first, down to their usual size,
        # before the reading text gets any smaller.
        options = [(1.0, True), (0.5, True), (0.0, True)]
        if self.slide.type == "cover" and self.slide.emblem is not None:
            # Then the cover leaves out its emblem, a logo above the kicker
            # that says nothing the text does not.
            options.append((0.0, False))
        self.first_fitting(options, partial(self._titled, method))
        return self.out

    def display_cap(self, role: str) -> float:
        """The largest scale of a display ``role`` under large text: the share
        of its growth it keeps (``display_growth``), as a fraction of its large
        size. Without large text, no limit: a card's figure grows with its text."""
        if not self.large:
            return math.inf
        factor = large_factor(role, self.text_scale)
        return (1.0 + self.display_growth * (factor - 1.0)) / factor

    def _titled(self, method: Callable[[], None], option: tuple[float, bool]) -> None:
        self.display_growth, self.emblem = option
        method()

    def content(self) -> QRectF:
        """The grid's content area; under large text its margins are narrower,
        which leaves the doubled text a little more room."""
        area = self.grid.content()
        if not self.large:
            return area
        g = self.grid
        dx = g.margin_x - max(g.width * 0.035, 24 * g.unit)
        dy = g.margin_y - max(g.height * (0.03 if g.portrait else 0.04), 20 * g.unit)
        return area.adjusted(-max(0.0, dx), -max(0.0, dy), max(0.0, dx), max(0.0, dy))

    def _cover(self) -> None:
        s, g = self.slide, self.grid
        area = self.content()
        if s.image is not None:
            self.out.decor.append(ImageItem(_cover_image_box(g, self.large), str(s.image),
                                            "fill-right", 0.95))
        # Large text: a wider column, over the illustration's faded left edge,
        # or on a portrait screen a taller one over a lower illustration.
        col_w = area.width() * (1.0 if g.portrait else 0.62 if self.large else 0.56)
        col = QRectF(area.left(), area.top(), col_w,
                     area.height() * ((0.6 if self.large else 0.5) if g.portrait else 1.0))
        emblem = _emblem_side(g)
        has_emblem = s.emblem is not None and self.emblem

        def stack(scale: float) -> list[TextItem]:
            items: list[TextItem] = []
            y = col.top() + (emblem + 30 * g.unit if has_emblem else 0)
            for key, role, color, gap in ((s.kicker, "kicker", PALETTE.accent, 18),
                                          (s.title, "display", PALETTE.text, 26),
                                          (s.subtitle, "subtitle", PALETTE.text_muted, 0)):
                if key:
                    items.append(self.block(key, role, col.left(), y, col.width(),
                                            scale=min(scale, self.display_cap(role))
                                            if role == "display" else scale,
                                            color=color, subtitled=role != "kicker"))
                    y = self.below(items[-1], gap)
            return items

        source = (self.block(s.source, "small", col.left(), 0, col.width(),
                             color=PALETTE.text_muted) if s.source else None)
        limit = col.bottom() - (source.rect.height() + 30 * g.unit if source else 0)
        scale, ok = self.fit_scale(
            lambda sc: _within(stack(sc), limit))
        items = stack(scale)
        # Centre the block vertically in landscape; the emblem sits above it.
        used = _bottom(items, col.top()) - col.top()
        shift = max(0.0, (limit - col.top() - used) / 2) if not g.portrait else 0.0
        for item in items:
            item.rect.translate(0, shift)
        if s.emblem is not None and has_emblem:
            self.out.decor.append(ImageItem(QRectF(col.left(), col.top() + shift, emblem, emblem),
                                            str(s.emblem)))
        self.add(items, ok)
        if source:
            source.rect.moveTop(col.bottom() - source.rect.height())
            self.add([source])

    def _quote(self) -> None:
        s, g = self.slide, self.grid
        body = self.header(self.content(), s.title, s.lead)
        points = list(s.points)
        if not points:
            self._quote_panel(body)
            return
        # Large text: the points beside the quote get a wider column, or go
        # under it as on a portrait screen.
        options = [("beside", 0.58), ("beside", 0.5), ("under", 0.56)] if not g.portrait \
            else [("under", 0.56), ("under", 0.48)]
        self.first_fitting(options, partial(self._quote_and_points, body, points))

    def _quote_and_points(self, body: QRectF, points: Sequence[Point],
                          option: tuple[str, float]) -> None:
        g = self.grid
        where, share = option
        if where == "beside":
            quote_box = QRectF(body.left(), body.top(), body.width() * share, body.height())
            side = QRectF(quote_box.right() + g.gutter * 1.5, body.top(),
                          body.right() - quote_box.right() - g.gutter * 1.5, body.height())
        else:
            quote_box = QRectF(body.left(), body.top(), body.width(), body.height() * share)
            side = QRectF(body.left(), quote_box.bottom() + g.gutter, body.width(),
                          body.bottom() - quote_box.bottom() - g.gutter)
        self._quote_panel(quote_box)
        self.point_list(side.adjusted(0, 8 * g.unit, 0, 0), points, icon_default="star")

    def _quote_panel(self, quote_box: QRectF) -> None:
        s, g = self.slide, self.grid
        self.panel(quote_box)
        pad = 40 * g.unit
        mark = 70 * g.unit
        inner = quote_box.adjusted(pad, pad + mark * 0.6, -pad, -pad)
        self.out.decor.append(IconItem(QRectF(quote_box.left() + pad * 0.6,
                                              quote_box.top() + pad * 0.4, mark, mark),
                                       "quote-mark", PALETTE.accent))
        quote = self.text("ui.quote.wrapped", quote=self.text(s.quote or ""))
        # The other language's own quotation marks around its own words.
        inner_second = self.second_of(s.quote or "", self.text(s.quote or ""))
        second = (self.second("ui.quote.wrapped", quote=inner_second)
                  if self.second is not None and inner_second else "")

        # Large text: the quote is set larger than body text and fills its
        # panel; where the doubled attribution and points leave it less room
        # it may grow less, but never below its usual size nor below the
        # (doubled) body text around it, which would turn the hierarchy over.
        floor = None
        if self.large:
            quote_size = TYPE_SCALE["quote"][0] * large_factor("quote", self.text_scale)
            body_size = TYPE_SCALE["body"][0] * large_factor("body", self.text_scale)
            floor = max(1.0 / large_factor("quote", self.text_scale), body_size / quote_size)

        def stack(scale: float) -> list[TextItem]:
            q = self.block("", "quote", inner.left(), inner.top(), inner.width(), scale=scale,
                           text=quote, subtitled=True, second_text=second)
            q.key = s.quote or ""
            a = self.block(s.attribution or "", "body", inner.left(),
                           self.below(q, 26), inner.width(),
                           scale=max(scale, 1.0) if self.large else scale,
                           color=PALETTE.accent, align=RIGHT)
            return [q, a]

        scale, ok = self.fit_scale(
            lambda sc: _within(stack(sc), inner.bottom()), QUOTE_GROW, floor)
        self.add(stack(scale), ok)

    def _cards(self) -> None:
        s, g = self.slide, self.grid
        area = self.content()
        footer: TextItem | None = None
        if s.footer:
            footer = self.block(s.footer, "lead", area.left(), 0, area.width(),
                                color=PALETTE.accent)
            footer.rect.moveBottom(area.bottom())
            area = QRectF(area.left(), area.top(), area.width(),
                          footer.rect.top() - area.top() - 30 * g.unit)
        body = self.header(area, s.title, s.lead)
        self._card_grid(body, s.cards)
        if footer:
            self.add([footer])

    def _card_grid(self, body: QRectF, cards: Sequence[Card]) -> None:
        g = self.grid
        n = len(cards)
        portrait_cols = 1 if n <= 3 else 2
        cols = portrait_cols if g.portrait else (n if n <= 4 else math.ceil(n / 2))
        options = [(cols, True)]
        if self.large:
            # Large text reflows the grid to fewer, wider columns, and then
            # leaves out the cards' icons: they illustrate the heading beside
            # them and say nothing it does not.
            fewer = sorted({c for c in (math.ceil(n / 2), 1) if c < cols}, reverse=True)
            options = [(c, True) for c in (cols, *fewer)] + [(c, False) for c in (cols, *fewer)]
        gap = g.gutter * (0.75 if self.large else 1.0)
        # Large text: narrower padding inside the cards leaves the text more room.
        pad = (22 if self.large else 30) * g.unit

        def grid(cols: int, widths: Sequence[float] | None = None
                 ) -> tuple[int, float, float, list[QRectF]]:
            rows = math.ceil(n / cols)
            cw = (body.width() - gap * (cols - 1)) / cols
            ch = (body.height() - gap * (rows - 1)) / rows
            widths = widths or [cw] * cols
            lefts = [body.left() + sum(widths[:c]) + gap * c for c in range(cols)]
            rects = [QRectF(lefts[i % cols], body.top() + (i // cols) * (ch + gap),
                            widths[i % cols], ch) for i in range(n)]
            return rows, cw, ch, rects

        balanced: dict[tuple[int, bool], list[float]] = {}

        def arranged_grid(cols: int, icons: bool, scale: float
                          ) -> tuple[int, float, float, list[QRectF]]:
            """The grid; under large text a column with more to say gets more
            of the width (the cards of a row share a height, so the card with
            the most text would otherwise set it for all), found by moving
            width towards the columns whose text stands tallest. Found once
            per arrangement, at full size: the balance hardly changes with
            the scale."""
            found = grid(cols)
            if not self.large or cols == 1:
                return found
            widths = balanced.get((cols, icons))
            if widths is None:
                widths = balanced[(cols, icons)] = balance(cols, icons, found)
            return grid(cols, widths)

        def balance(cols: int, icons: bool, even: tuple[int, float, float, list[QRectF]]
                    ) -> list[float]:
            _, cw, ch, rects = even
            beside = cw > ch * 1.6
            total = body.width() - gap * (cols - 1)
            # A line that fits at an even share is never wrapped by the
            # balancing (a short heading or "Work has started" broken in two,
            # a Chinese word split, reads worse than a taller card).
            # (At the largest scale the cards may grow to.)
            floors = [cw * 0.55] * cols
            for i, card in enumerate(cards):
                items, _ = card_items(card, rects[i], self.grow, beside, icons)
                if not items:
                    continue
                offset = items[0].rect.left() - rects[i].left() + pad
                for item in items:
                    line = measure(item.text, item.font, 1e5, item.align).width()
                    if line + offset <= cw:
                        floors[i % cols] = max(floors[i % cols], math.ceil(line + offset) + 1)
            widths = [cw] * cols
            for _ in range(3):
                tall = [0.0] * cols
                for i, card in enumerate(cards):
                    items, _ = card_items(card, rects[i], 1.0, beside, icons)
                    tall[i % cols] += _bottom(items, rects[i].top()) - rects[i].top()
                mean = sum(tall) / cols
                if mean <= 0 or max(tall) - min(tall) < 0.05 * mean:
                    break
                widths = _shares([min(w * (t / mean) ** 0.6, cw * 1.6)
                                  for w, t in zip(widths, tall, strict=True)], floors, total)
                rects = grid(cols, widths)[3]
            return widths

        def card_items(card: Card, rect: QRectF, scale: float, beside: bool,
                       icons: bool) -> tuple[list[TextItem], IconItem | None]:
            inner = rect.adjusted(pad, pad, -pad, -pad)
            icon = 64 * g.unit * scale
            icon_item = IconItem(QRectF(inner.left(), inner.top(), icon, icon), card.icon,
                                 PALETTE.accent) if icons else None
            if not icons:
                x, y = inner.left(), inner.top()
            elif beside:
                x, y = inner.left() + icon + 26 * g.unit, inner.top()
            else:
                x, y = inner.left(), inner.top() + icon + 20 * g.unit
            width = inner.right() - x
            items: list[TextItem] = []
            for key, role, color, gap_after in ((card.stat, "stat", PALETTE.accent, 6),
                                                (card.heading, "heading", PALETTE.text, 12),
                                                (card.body, "body", PALETTE.text_muted, 0)):
                if key:
                    size = min(scale, self.display_cap(role)) if role == "stat" else scale
                    items.append(self.block(key, role, x, y, width, scale=size, color=color))
                    y = items[-1].rect.bottom() + gap_after * g.unit
            return items, icon_item

        def row_heights(cols: int, icons: bool, scale: float) -> list[float]:
            """What each row of cards needs (the tallest card of the row)."""
            rows, cw, ch, rects = arranged_grid(cols, icons, scale)
            # Wide, short cards put the icon beside the text; tall ones above it.
            beside = cw > ch * 1.6
            heights = []
            for r in range(rows):
                row = range(r * cols, min(n, (r + 1) * cols))
                need = max(_bottom(card_items(cards[i], rects[i], scale, beside, icons)[0],
                                   rects[i].top()) - rects[i].top() + pad for i in row)
                heights.append(max(need, pad * 2 + 64 * g.unit * scale if icons else 0.0))
            return heights

        def fits(option: tuple[int, bool], scale: float) -> bool:
            cols, icons = option
            rows, cw, ch, rects = arranged_grid(cols, icons, scale)
            beside = cw > ch * 1.6
            if self.large:
                # Rows as tall as their cards, not an even share each: one
                # card's long text does not make every row tall. A column too
                # narrow for a few words a line is no use however large the
                # words: the grid then takes fewer columns.
                measure_min = LARGE_MIN_MEASURE * self.font("body", scale).pixelSize()
                for card, rect in zip(cards, rects, strict=True):
                    items, _ = card_items(card, rect, scale, beside, icons)
                    if not all(i.fits for i in items) \
                            or (items and rect.right() - pad - items[0].rect.left()
                                < measure_min):
                        return False
                need = sum(row_heights(cols, icons, scale)) + gap * (rows - 1)
                return need <= body.height() + _EPS
            for card, rect in zip(cards, rects, strict=True):
                items, _ = card_items(card, rect, scale, beside, icons)
                if not all(i.fits for i in items) or _bottom(items, 0) > rect.bottom() - pad + _EPS:
                    return False
            return True

        (cols, icons), scale, ok = self.arranged(options, fits, self.grow)
        rows, cw, ch, rects = arranged_grid(cols, icons, scale)
        beside = cw > ch * 1.6
        # Rows shrink to their content (cards of a row share a height), and the
        # grid sits a little above the middle of the space, so a slide with
        # short cards does not show large empty panels.
        heights = [need if self.large else min(ch, max(need, ch * 0.45))
                   for need in row_heights(cols, icons, scale)]
        total = sum(heights) + gap * (rows - 1)
        y = body.top() + max(0.0, (body.height() - total) * 0.35)
        for r in range(rows):
            for i in range(r * cols, min(n, (r + 1) * cols)):
                rects[i] = QRectF(rects[i].left(), y, rects[i].width(), heights[r])
            y += heights[r] + gap
        for card, rect in zip(cards, rects, strict=True):
            self.panel(rect)
            items, icon_item = card_items(card, rect, scale, beside, icons)
            if icon_item is not None:
                self.out.decor.append(icon_item)
            self.add(items, ok)

    def _chart(self) -> None:
        s, g = self.slide, self.grid
        body = self.header(self.content(), s.title, s.lead)
        if not s.points:
            self._chart_and_points(body, 1.0 if g.portrait else 0.0)
            return
        # Large text: the points take a larger share of the slide, the chart
        # keeping a readable height (see CHART_MIN_SHARE_LARGE).
        options = [0.58, 0.53, 0.48, 0.43, 0.38] if g.portrait \
            else [0.38, 0.43, 0.48, 0.53, 0.58]
        self.first_fitting(options, partial(self._chart_and_points, body))

    def _chart_and_points(self, body: QRectF, share: float) -> None:
        """The chart's panel and the points: the panel's share of the height
        on a portrait screen, the points' share of the width on a landscape one."""
        s, g = self.slide, self.grid
        chart_spec = s.chart
        if self.low_reach:
            self._chart_low(body, share)
            return
        if g.portrait:
            panel = QRectF(body.left(), body.top(), body.width(), body.height() * share)
            side = QRectF(body.left(), panel.bottom() + g.gutter * 1.5, body.width(),
                          body.bottom() - panel.bottom() - g.gutter * 1.5)
        else:
            side_w = body.width() * share
            side = QRectF(body.left(), body.top(), side_w, body.height())
            left = side.right() + (g.gutter * 1.5 if s.points else 0.0)
            panel = QRectF(left, body.top(), body.right() - left, body.height())
        self.panel(panel)
        pad = 28 * g.unit
        inner = panel.adjusted(pad, pad, -pad, -pad)
        top = inner.top()
        bottom = inner.bottom()
        if chart_spec is not None:
            title = self.block(chart_spec.title, "heading", inner.left(), top, inner.width(),
                               scale=0.8)
            self.add([title])
            top = title.rect.bottom() + 12 * g.unit
            if chart_spec.note:
                note = self.block(chart_spec.note, "small", inner.left(), 0, inner.width(),
                                  color=PALETTE.text_muted)
                note.rect.moveBottom(bottom)
                self.add([note])
                bottom = note.rect.top() - 12 * g.unit
        self.out.chart_rect = QRectF(inner.left(), top, inner.width(), max(0.0, bottom - top))
        least = max(g.height * CHART_MIN_SHARE,
                    min(g.width, g.height) * CHART_MIN_SHARE_LARGE)
        if self.strict and (bottom - top < least
                            or not all(t.fits for t in self.out.texts)):
            raise _Overflow
        self.point_list(side, s.points, icon_default="star")

    def reach_line(self) -> float:
        """Low reach: where touchable content may start (stage coordinates)."""
        return self.grid.height * REACH_LINE

    def _chart_low(self, body: QRectF, share: float) -> None:
        """Low reach: the chart's plot, whose marks are tapped, starts below
        the reach line; its title and note sit over it, and the points beside
        it (landscape, the whole height) or above it (portrait)."""
        s, g = self.slide, self.grid
        chart_spec = s.chart
        pad = 28 * g.unit
        if g.portrait:
            left, right = body.left(), body.right()
        else:
            side_w = body.width() * share
            left = body.left() + side_w + (g.gutter * 1.5 if s.points else 0.0)
            right = body.right()
        width = right - left - 2 * pad
        head: list[TextItem] = []
        y = 0.0
        if chart_spec is not None:
            head.append(self.block(chart_spec.title, "heading", left + pad, y, width,
                                   scale=0.8))
            y = head[-1].rect.bottom() + 12 * g.unit
            if chart_spec.note:
                head.append(self.block(chart_spec.note, "small", left + pad, y, width,
                                       color=PALETTE.text_muted))
                y = head[-1].rect.bottom() + 12 * g.unit
        extent = pad + y
        # The panel's usual share of a portrait body, unless the plot would
        # then start above the line.
        top = body.bottom() - body.height() * share if g.portrait else body.top()
        top = max(top, self.reach_line() - extent)
        panel = QRectF(left, top, right - left, body.bottom() - top)
        self.panel(panel)
        for item in head:
            item.rect.translate(0, panel.top() + pad)
        self.add(head)
        chart_top = panel.top() + extent
        bottom = panel.bottom() - pad
        self.out.chart_rect = QRectF(left + pad, chart_top, width, max(0.0, bottom - chart_top))
        least = max(g.height * CHART_MIN_SHARE,
                    min(g.width, g.height) * CHART_MIN_SHARE_LARGE)
        if self.strict and (bottom - chart_top < least or not all(t.fits for t in head)):
            raise _Overflow
        if g.portrait:
            side = QRectF(body.left(), body.top(), body.width(),
                          panel.top() - g.gutter * 1.5 - body.top())
        else:
            side = QRectF(body.left(), body.top(), body.width() * share, body.height())
        self.point_list(side, s.points, icon_default="star")

    def _map(self) -> None:
        s, g = self.slide, self.grid
        spec = s.map
        body = self.header(self.content(), s.title, s.lead)
        if spec is None:
            return
        # Large text: the side panel with the areas' names and focus takes a
        # larger share of the slide.
        options = [0.62, 0.54, 0.46] if g.portrait else [0.6, 0.52, 0.45]
        self.first_fitting(options, partial(self._map_and_side, body, spec))

    def _map_and_side(self, body: QRectF, spec: MapSpec, share: float) -> None:
        """The map, taking ``share`` of the body's height (portrait) or width,
        and the side panel's place."""
        g = self.grid
        self.info: QRectF | None = None
        if self.low_reach:
            # Low reach: the map's areas and the list of them, both tapped,
            # below the reach line; what is read (the hint, the chosen area's
            # focus) in a panel above. The map may start above the line as
            # long as its areas are below it (see placed).
            line = max(body.top(), self.reach_line())
            if g.portrait:
                rows_h = self._rows_need(spec, body.width(), 1.0)
                side = QRectF(body.left(), body.bottom() - rows_h, body.width(), rows_h)
                map_box = QRectF(body.left(), body.top(), body.width(),
                                 side.top() - g.gutter - body.top())
                self.info = QRectF(body.left(), body.top(), body.width(), 0.0)
            else:
                map_box = QRectF(body.left(), body.top(), body.width() * share, body.height())
                left = map_box.right() + g.gutter * 1.5
                side = QRectF(left, line, body.right() - left, body.bottom() - line)
                self.info = QRectF(left, body.top(), side.width(),
                                   line - g.gutter - body.top())
        elif g.portrait:
            map_box = QRectF(body.left(), body.top(), body.width(), body.height() * share)
            side = QRectF(body.left(), map_box.bottom() + g.gutter, body.width(),
                          body.bottom() - map_box.bottom() - g.gutter)
        else:
            map_box = QRectF(body.left(), body.top(), body.width() * share, body.height())
            side = QRectF(map_box.right() + g.gutter * 1.5, body.top(),
                          body.right() - map_box.right() - g.gutter * 1.5, body.height())
        panel_at = len(self.out.decor)
        self.panel(map_box)
        caption = self.block(spec.caption, "small", map_box.left() + 24 * g.unit, 0,
                             map_box.width() - 48 * g.unit, color=PALETTE.text_muted)
        caption.rect.moveBottom(map_box.bottom() - 16 * g.unit)
        self.add([caption])
        drawing = QRectF(map_box.left() + 20 * g.unit, map_box.top() + 20 * g.unit,
                         map_box.width() - 40 * g.unit,
                         caption.rect.top() - map_box.top() - 36 * g.unit)
        if self.strict and (drawing.height() < g.height * CHART_MIN_SHARE
                            or not caption.fits):
            raise _Overflow
        line = max(body.top(), self.reach_line())

        def placed(size: float) -> tuple[list[tuple[TextItem, float]], dict[str, QRectF],
                                         QRectF]:
            box = QRectF(drawing)
            labels, hotspots = self._map_labels(spec, box, size)
            # Low reach moves the drawing's top down (below), which moves the
            # places near its bottom down too: the two are repeated together.
            for _ in range(6 if self.low_reach else 1):
                # A label (with its plate) under a place near the bottom must
                # not run into the caption, as on a short map under a tall,
                # subtitled header: the drawing is then made just short
                # enough. A label moves with its place's y, so the one that
                # overflows most relative to its y decides.
                squeeze = max(((_plate_bottom(item) - caption.rect.top()) / y
                               for item, y in labels
                               if _plate_bottom(item) > caption.rect.top() + _EPS and y > 0),
                              default=0.0)
                if squeeze > 0:
                    box.setHeight(box.height() - squeeze)
                    labels, hotspots = self._map_labels(spec, box, size)
                if not self.low_reach:
                    break
                # Low reach: the drawing's top comes down until every area's
                # tappable region is below the line (an area at y moves
                # 1 - y as far).
                lowest = min(((rect.top(), a.y) for a in spec.areas
                              if (rect := hotspots.get(a.id)) is not None),
                             default=(line, 0.0))
                short = line - lowest[0]
                if short <= _EPS and squeeze <= 0:
                    break
                if short > _EPS:
                    box.setTop(box.top() + short / max(0.1, 1.0 - lowest[1]) + 1.0)
                    labels, hotspots = self._map_labels(spec, box, size)
            return labels, hotspots, box

        labels, hotspots, drawing = placed(1.0)
        if self.large:
            # Large text: map labels grow as far as they stay clear of each
            # other, and never below their usual size. The side panel names
            # every area (and its focus) in full-size large text, so the
            # drawing need not carry the whole of it.
            size = 1.0

            def crowded() -> bool:
                return _crowded([item for item, _ in labels],
                                map_dots(spec, drawing, g.width, g.height))

            while crowded() and size > 0.5:
                size -= 0.05
                labels, hotspots, drawing = placed(size)
            if self.strict and crowded():
                raise _Overflow
        if self.low_reach:
            if self.strict and drawing.height() < g.height * CHART_MIN_SHARE:
                raise _Overflow
            # The map's panel starts just above what is drawn in it; on a
            # portrait screen the reading panel takes the room above.
            top = min([drawing.top() - 20 * g.unit]
                      + [_plate(item).top() - 12 * g.unit for item, _ in labels])
            top = max(map_box.top(), top)
            self.out.decor[panel_at] = self.out.decor[panel_at]._replace(
                rect=QRectF(map_box.left(), top, map_box.width(), map_box.bottom() - top))
            if g.portrait:
                self.info = QRectF(body.left(), body.top(), body.width(),
                                   top - g.gutter - body.top())
            if self.info is not None and self.info.height() < g.gutter * 4:
                self.info = None
        self.out.map_rect = drawing
        self.out.hotspots.update(hotspots)
        self.add([item for item, _ in labels])
        self.side = side
        if self.strict:
            # One text size for the slide whichever area is open: a tap must
            # not make the title and the map's labels jump.
            for area in [None, *(a.id for a in spec.areas)]:
                self.map_panel(area, probe=True)

    def _map_labels(self, spec: MapSpec, drawing: QRectF, size: float = 1.0
                    ) -> tuple[list[tuple[TextItem, float]], dict[str, QRectF]]:
        """The map's labels, each with the y (0-1) of its place, and the areas'
        tappable regions, for places drawn in ``drawing``; under large text,
        labels are set at ``size`` of their large size, but no smaller than
        their usual one."""
        g = self.grid

        def scaled(role: str, scale: float) -> float:
            return scale * max(size, 1.0 / large_factor(role, self.text_scale))

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
            item = self.block(place.name, role, p.x() - label_w / 2, 0, label_w,
                              scale=scaled(role, 0.72),
                              color=PALETTE.text if place.kind == "city" else PALETTE.text_muted,
                              align=CENTER, tight=True)
            # Cities sit above or below their dot depending on the half they are in.
            if place.y > 0.5 or place.kind == "county":
                item.rect.moveTop(p.y() + dot * 0.7)
            else:
                item.rect.moveBottom(p.y() - dot * 0.7)
                # A large label above a place near the top would leave the
                # map's panel: it goes under the dot instead.
                if self.large and item.rect.top() < drawing.top() - 12 * g.unit:
                    item.rect.moveTop(p.y() + dot * 0.7)
            labels.append((item, place.y))
            anchors.append((p, dots[-1][1] if place.kind == "city" else 0.0))
        for area in spec.areas:
            p = at(area.x, area.y)
            item = self.block(area.name, "body", p.x() - label_w / 2, p.y() + dot * 0.8, label_w,
                              scale=scaled("body", 0.8), align=CENTER, tight=True)
            labels.append((item, area.y))
            anchors.append((p, dots[0][1]))
            hotspots[area.id] = QRectF(p.x() - label_w / 2, p.y() - dot * 1.4, label_w,
                                       item.rect.bottom() - p.y() + dot * 1.4)
        if spec.corridor:
            p = at(spec.corridor.x, spec.corridor.y)
            # Up and to the left of the arrow's tip: the dashed line comes in
            # from below-left and the head points up-right, both clear of it.
            item = self.block(spec.corridor.label, "small", p.x() - 34 * g.unit - label_w, 0,
                              label_w, scale=scaled("small", 1.0), align=RIGHT,
                              color=PALETTE.accent, tight=True)
            item.rect.moveBottom(p.y() - 14 * g.unit)
            item.rect.moveTop(max(item.rect.top(), drawing.top()))
            labels.append((item, spec.corridor.y))
            anchors.append((p, 0.0))
        for item, _ in labels:
            # Keep labels inside the drawing even when a place sits at its edge.
            item.rect.moveLeft(min(max(item.rect.left(), drawing.left()),
                                   drawing.right() - item.rect.width()))
            item.backing = PALETTE.map_label
        # A label's plate never hides a dot (a place, an area, the chosen one
        # at its larger size): one that would moves beside or over its own
        # place, wherever it is clear of the dots and of the other labels.
        room = drawing.adjusted(-12 * g.unit, -12 * g.unit, 12 * g.unit, 12 * g.unit)
        for k, ((item, _), (p, r)) in enumerate(zip(labels, anchors, strict=True)):
            if not _hits_dot(_plate(item), dots):
                continue
            others = [_plate(other) for j, (other, _) in enumerate(labels) if j != k]
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

    def map_panel(self, selected: str | None, probe: bool = False) -> None:
        """The side panel of a map slide: the chosen area's focus, or the hint.
        A ``probe`` only checks that it fits at full size (a strict build)."""
        s, g = self.slide, self.grid
        spec = s.map
        side = getattr(self, "side", None)
        if spec is None or side is None:
            return
        info = getattr(self, "info", None)
        if info is not None:
            self._reach_panels(spec, side, info, selected, probe)
            return
        if not probe:
            self.panel(side)
        pad = 32 * g.unit
        inner = side.adjusted(pad, pad, -pad, -pad)

        def stack(scale: float) -> tuple[list[TextItem], dict[str, QRectF]]:
            # The hint, then every area as a row; the chosen row opens to show
            # its focus. Rows are tappable like the areas on the map.
            items = [self.block(spec.hint, "body", inner.left(), inner.top(), inner.width(),
                                scale=scale, color=PALETTE.text_muted)]
            rows: dict[str, QRectF] = {}
            y = items[-1].rect.bottom() + 28 * g.unit * scale
            for area in spec.areas:
                chosen = area.id == selected
                top = y
                name = self.block(area.name, "heading", inner.left(), y, inner.width(),
                                  scale=scale * 0.85,
                                  color=PALETTE.accent if chosen else PALETTE.text)
                items.append(name)
                y = name.rect.bottom() + 10 * g.unit * scale
                if chosen:
                    focus = self.block(area.focus, "body", inner.left(), y, inner.width(),
                                       scale=scale)
                    items.append(focus)
                    y = focus.rect.bottom() + 10 * g.unit * scale
                rows[area.id] = QRectF(side.left(), top - 8 * g.unit, side.width(),
                                       y - top + 8 * g.unit)
                y += 14 * g.unit * scale
            return items, rows

        scale, ok = self.fit_scale(
            lambda sc: _within(stack(sc)[0], inner.bottom()))
        if probe:
            return
        items, rows = stack(scale)
        self.add(items, ok)
        for area_id, rect in rows.items():
            self.out.panel_rows[area_id] = rect
        if selected in rows:
            self.out.decor.append(PanelItem(rows[selected], PALETTE.panel, None,
                                            10 * g.unit))

    def _rows_need(self, spec: MapSpec, width: float, scale: float) -> float:
        """Low reach: the height of a panel listing the areas' names (see
        _reach_panels) ``width`` wide."""
        pad = 32 * self.grid.unit
        inner = QRectF(0, 0, width, 1e6).adjusted(pad, pad * 0.75, -pad, -pad * 0.75)
        items, _ = self._area_rows(spec, inner, inner, scale, None)
        return _bottom(items, 0.0) + pad * 0.75

    def _area_rows(self, spec: MapSpec, side: QRectF, inner: QRectF, scale: float,
                   chosen: str | None) -> tuple[list[TextItem], dict[str, QRectF]]:
        """Low reach: the areas' names as rows in ``inner``, two a row on a
        portrait screen (the map above them keeps its height), and each
        one's tappable rect."""
        g = self.grid
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
                names.append((area, x, self.block(
                    area.name, "heading", x, y, col_w, scale=scale * 0.85,
                    color=PALETTE.accent if area.id == chosen else PALETTE.text)))
            bottom = max(name.rect.bottom() for _, _, name in names) + 10 * g.unit * scale
            for k, (area, x, name) in enumerate(names):
                items.append(name)
                left = side.left() if k == 0 else x - gap / 2
                right = side.right() if k == cols - 1 else x + col_w + gap / 2
                found[area.id] = QRectF(left, y - 8 * g.unit, right - left,
                                        bottom - y + 8 * g.unit)
            y = bottom + 14 * g.unit * scale
        return items, found

    def _reach_panels(self, spec: MapSpec, side: QRectF, info: QRectF, selected: str | None,
                      probe: bool) -> None:
        """Low reach: the areas' names as tappable rows in ``side``, below the
        reach line, and what is read (the hint, or the chosen area's name
        and focus) in ``info`` above it."""
        g = self.grid
        pad = 32 * g.unit
        if not probe:
            self.panel(side)
        top_inner = info.adjusted(pad, pad, -pad, -pad)
        chosen = next((a for a in spec.areas if a.id == selected), None)

        def reading(scale: float) -> list[TextItem]:
            x, y, w = top_inner.left(), top_inner.top(), top_inner.width()
            if chosen is None:
                return [self.block(spec.hint, "body", x, y, w, scale=scale,
                                   color=PALETTE.text_muted)]
            name = self.block(chosen.name, "heading", x, y, w, scale=scale * 0.85,
                              color=PALETTE.accent)
            focus = self.block(chosen.focus, "body", x, name.rect.bottom() + 10 * g.unit * scale,
                               w, scale=scale)
            return [name, focus]

        inner = side.adjusted(pad, pad * 0.75, -pad, -pad * 0.75)

        def rows(scale: float) -> tuple[list[TextItem], dict[str, QRectF]]:
            return self._area_rows(spec, side, inner, scale, selected)

        read_scale, read_ok = self.fit_scale(
            lambda sc: _within(reading(sc), top_inner.bottom()))
        row_scale, row_ok = self.fit_scale(
            lambda sc: _within(rows(sc)[0], inner.bottom()))
        if probe:
            return
        reading_items = reading(read_scale)
        # Only the hint: its panel is as tall as the hint, not an empty box
        # the height of the room kept for a chosen area's focus.
        self.panel(info if chosen is not None else QRectF(
            info.left(), info.top(), info.width(),
            min(info.height(), _bottom(reading_items, info.top()) + pad - info.top())))
        self.add(reading_items, read_ok)
        items, found = rows(row_scale)
        self.add(items, row_ok)
        self.out.panel_rows.update(found)
        if chosen is not None:
            self.out.decor.append(PanelItem(found[chosen.id], PALETTE.panel, None, 10 * g.unit))


def _plate_bottom(item: TextItem) -> float:
    """The bottom of a map label's backing plate, which reaches past its rect
    (as slide_view paints it)."""
    return item.rect.bottom() + item.font.pixelSize() * PLATE_PAD * 0.4


# Wrapped text boxes by (text, font, balanced, width, alignment): large text
# tries a slide at several sizes and arrangements, which measure the same
# blocks again and again.
_WRAPPED: dict[tuple[str, str, tuple[str, ...], bool, float, int],
               tuple[float, float, QRectF, bool]] = {}
_WRAPPED_MAX = 20000


def _wrapped(text: str, font: QFont, role: str, x: float, width: float,
             align: int, balance: bool = True) -> tuple[float, float, QRectF, bool]:
    """(x, width, measured box, fits) of ``text`` wrapped at ``width``, its
    lines evened out if ``role`` is one of the BALANCED_ROLES (and ``balance``)."""
    balanced = balance and role in BALANCED_ROLES
    key = (text, font.key(), tuple(font.families()), balanced, width, align)
    found = _WRAPPED.get(key)
    if found is None:
        if len(_WRAPPED) >= _WRAPPED_MAX:
            _WRAPPED.clear()
        found = _WRAPPED[key] = _measure_wrapped(text, font, balanced, width, align)
    dx, narrow, need, fits = found
    return x + dx, narrow, QRectF(need), fits


def _measure_wrapped(text: str, font: QFont, balanced: bool, width: float,
                     align: int) -> tuple[float, float, QRectF, bool]:
    """_wrapped for a box at x = 0."""
    x = 0.0
    need = measure(text, font, width, align)
    fits = need.width() <= width + _EPS
    if balanced and fits and need.height() > QFontMetricsF(font).lineSpacing() * 1.5:
        narrower = _balanced_width(text, font, width, align, need.height())
        x, width = _narrowed(x, width, narrower, align)
        need = measure(text, font, width, align)
    return x, width, need, fits


def _narrowed(x: float, width: float, narrower: float, align: int) -> tuple[float, float]:
    """A box ``narrower`` wide whose text stays put for its alignment."""
    if align & int(Qt.AlignmentFlag.AlignHCenter):
        x += (width - narrower) / 2
    elif align & int(Qt.AlignmentFlag.AlignRight):
        x += width - narrower
    return x, narrower


def _balanced_width(text: str, font: QFont, width: float, align: int, height: float) -> float:
    """The narrowest width (down to half) that wraps ``text`` into no more lines.

    Chinese may break between any two characters, so an even split can cut a
    word in two; where a slightly wider box ends every line at a punctuation
    mark instead, that width wins.
    """
    lo, hi = width * 0.5, width
    half = measure(text, font, lo, align)
    # (A word wider than half the box would stick out of it.)
    if half.height() <= height + _EPS and half.width() <= lo + _EPS:
        hi = lo
    else:
        for _ in range(7):
            mid = (lo + hi) / 2
            need = measure(text, font, mid, align)
            if need.height() <= height + _EPS and need.width() <= mid + _EPS:
                hi = mid
            else:
                lo = mid
    narrow = math.ceil(hi)
    if not _has_cjk(text) or _breaks_well(wrapped_lines(text, font, narrow)):
        return narrow
    steps = 6
    for k in range(1, steps + 1):
        candidate = narrow + (width - narrow) * k / steps
        lines = wrapped_lines(text, font, candidate)
        if measure(text, font, candidate, align).height() <= height + _EPS \
                and _breaks_well(lines):
            return math.ceil(candidate)
    return narrow


def _has_cjk(text: str) -> bool:
    # Not a regex: compiling a class this wide costs over a millisecond at import.
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


# A line of Chinese text may end well after these (or at a space): the
# full-width comma, enumeration comma, full stop, semicolon, colon, marks,
# closing brackets and quotes, dash and ellipsis (escaped: no CJK in code).
_GOOD_ENDS = set("\uff0c\u3001\u3002\uff1b\uff1a\uff01\uff1f\uff09\u300d\u300f"
                 "\u201d\u2019\u2014\u2026,.;:!?) ")


def wrapped_lines(text: str, font: QFont, width: float) -> list[list[str]]:
    """The lines Qt wraps each paragraph of ``text`` into at ``width``."""
    paragraphs: list[list[str]] = []
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)  # as drawText's TextWordWrap
    for paragraph in text.split("\n"):
        layout = QTextLayout(paragraph, font)
        layout.setTextOption(option)
        layout.beginLayout()
        lines = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            lines.append(paragraph[line.textStart():line.textStart() + line.textLength()])
        layout.endLayout()
        paragraphs.append(lines)
    return paragraphs


def _breaks_well(paragraphs: list[list[str]]) -> bool:
    """Every line that wraps (not a paragraph's last) ends at a good place."""
    return all(line and line[-1] in _GOOD_ENDS
               for lines in paragraphs for line in lines[:-1])


def _cover_image_box(g: Grid, large: bool = False) -> QRectF:
    if g.portrait:
        top = 0.6 if large else 0.5
        return QRectF(0, g.height * top, g.width, g.height * (1.0 - top))
    return QRectF(g.width * 0.38, 0, g.width * 0.62, g.height)


def _emblem_side(g: Grid) -> float:
    return 120 * g.unit


def media_boxes(slide: Slide, width: float, height: float) -> list[tuple[str, float, float, str]]:
    """Where a slide draws its pictures on a ``width`` x ``height`` stage, without
    laying out its text: (path, box width, box height, "fill" | "contain")."""
    g = Grid(width, height)
    boxes = []
    if slide.type == "cover" and slide.image is not None:
        box = _cover_image_box(g)
        boxes.append((str(slide.image), box.width(), box.height(), "fill"))
    if slide.type == "cover" and slide.emblem is not None:
        side = _emblem_side(g)
        boxes.append((str(slide.emblem), side, side, "contain"))
    return boxes


# (width, height, "fill" | "contain"): how large a picture is drawn, in pixels.
Box = tuple[float, float, str]


def media_requests(deck: Deck, screen: tuple[float, float] | None) -> dict[str, Box | None]:
    """Every picture of the deck, with the largest box it is drawn in on a
    full-screen stage of ``screen`` size (None: keep the file's size)."""
    requests: dict[str, Box | None] = {}
    for slide in deck.slides:
        for path in (slide.image, slide.emblem):
            if path is not None:
                requests.setdefault(str(path), None)
        if screen is None:
            continue
        for name, w, h, mode in media_boxes(slide, screen[0], screen[1]):
            old = requests.get(name)
            requests[name] = (w, h, mode) if old is None else (max(w, old[0]),
                                                               max(h, old[1]), mode)
    return requests


def _bisected(fits: Callable[[float], bool], grow: float, floor: float) -> float | None:
    """Builder.search's answer by halving: the largest of grow, grow - 0.04, ...
    down to ``floor`` that fits, if text that fits at one scale fits at every
    smaller one. Near enough for large text, which tries many arrangements,
    and a tenth of the measuring where the answer is far down."""
    steps = int((grow - floor + 1e-9) / 0.04)
    if not fits(grow - steps * 0.04):
        return None
    good, bad = steps, -1
    if fits(grow):
        return grow
    bad = 0
    while good - bad > 1:
        middle = (good + bad) // 2
        if fits(grow - middle * 0.04):
            good = middle
        else:
            bad = middle
    return grow - good * 0.04


def _shares(widths: Sequence[float], floors: Sequence[float], total: float) -> list[float]:
    """``widths`` made to add up to ``total``, none below its floor (the
    floors add up to no more than ``total``)."""
    out = [max(w, f) for w, f in zip(widths, floors, strict=True)]
    for _ in range(len(out) + 1):
        excess = sum(out) - total
        room = sum(w - f for w, f in zip(out, floors, strict=True))
        if excess <= 0.5 or room <= 0:
            break
        out = [w - excess * (w - f) / room for w, f in zip(out, floors, strict=True)]
    return [w * total / sum(out) for w in out]


def _crowded(items: Sequence[TextItem],
             dots: Sequence[tuple[QPointF, float]] = ()) -> bool:
    """One of the items does not fit its width, or one's plate (map labels
    are drawn on one, each over the ones before) reaches another's text or
    covers a dot."""
    for a in items:
        if not a.fits:
            return True
        plate = _plate(a)
        if _hits_dot(plate, dots):
            return True
        for b in items:
            if b is not a:
                inter = plate.intersected(b.rect)
                if inter.width() > 1.0 and inter.height() > 1.0:
                    return True
    return False


def _plate(item: TextItem) -> QRectF:
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


def _within(items: Sequence[TextItem], bottom: float) -> bool:
    """Every item fits its width and the stack ends above ``bottom``."""
    return all(i.fits for i in items) and _bottom(items, -math.inf) <= bottom + _EPS


def _bottom(items: Sequence[TextItem], default: float) -> float:
    return max((i.rect.bottom() for i in items), default=default)


def build_layout(slide: Slide, width: float, height: float, family: str,
                 text: Callable[..., str], selected_area: str | None = None,
                 second: Callable[..., str] | None = None,
                 second_locale: str = "", text_scale: float = 1.0,
                 low_reach: bool = False) -> SlideLayout:
    """The layout of ``slide``; with ``second`` (subtitle mode), titles and key
    sentences also show ``second_locale`` as a smaller line under them;
    ``text_scale`` is large text's multiplier of body text; ``low_reach``
    puts what is touched below REACH_LINE."""
    if text_scale <= 1.0:
        builder = Builder(slide, width, height, family, text, second, second_locale,
                          low_reach=low_reach)
        layout = builder.build()
        if slide.type == "map":
            builder.map_panel(selected_area)
        return layout

    def built(scale: float, strict: bool, balance: bool = True) -> SlideLayout:
        builder = Builder(slide, width, height, family, text, second, second_locale, scale,
                          low_reach)
        builder.large = True
        builder.strict = strict
        builder.balance = balance
        layout = builder.build()
        if slide.type == "map":
            builder.map_panel(selected_area)
        return layout

    tried: dict[float, SlideLayout | None] = {}

    def attempt(scale: float) -> SlideLayout | None:
        try:
            layout = built(scale, strict=True, balance=False)
        except _Overflow:
            layout = None
        tried[scale] = layout = layout if layout is not None and _clean(layout) else None
        return layout

    def kept(scale: float) -> SlideLayout:
        """The layout found at ``scale``, built again with its lines evened out."""
        try:
            layout = built(scale, strict=True)
        except _Overflow:
            layout = None
        if layout is not None and _clean(layout):
            return layout
        found = tried[scale]
        assert found is not None
        return found

    # The largest text_scale at which the whole slide fits without shrinking
    # any group below its size: the full one, else the floor (large text
    # stays large down to LARGE_MIN_SHRINK of it) or, where even that does
    # not fit, the usual size; then halving the gap to the next size up.
    best = attempt(text_scale)
    if best is not None:
        return kept(text_scale)
    low, high = text_scale * LARGE_MIN_SHRINK, text_scale
    best = attempt(low)
    if best is None:
        low, high = 1.0, low
        best = attempt(low)
    if best is None:
        # Not even the usual sizes fit without shrinking: each group then
        # shrinks as far as it must, as without large text, from the floor
        # down; and where that still overflows, the slide is shown as
        # without large text rather than clipped.
        floor = text_scale * LARGE_MIN_SHRINK
        for scale in (floor, (floor + 1.0) / 2, 1.0):
            found = built(scale, strict=False)
            if _clean(found):
                return found
        return build_layout(slide, width, height, family, text, selected_area, second,
                            second_locale, low_reach=low_reach)
    for _ in range(4):
        middle = (low + high) / 2
        if attempt(middle) is None:
            high = middle
        else:
            low = middle
    return kept(low)


def _clean(layout: SlideLayout) -> bool:
    """Every text fits its box inside the stage, clear of the other texts and
    of the chart, and the chart keeps a readable height: the checks of
    tests/test_fit.py, which a large-text attempt must pass to be kept."""
    stage = QRectF(0, 0, layout.width, layout.height).adjusted(-_EPS, -_EPS, _EPS, _EPS)
    texts = layout.texts
    boxes = [t.rect for t in texts]
    chart = layout.chart_rect
    if chart is not None:
        if chart.height() < layout.height * CHART_MIN_SHARE:
            return False
        boxes.append(chart)
    if not all(t.fits and stage.contains(t.rect) for t in texts):
        return False
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            inter = a.intersected(b)
            if inter.width() > 1.0 and inter.height() > 1.0:
                return False
    return True
