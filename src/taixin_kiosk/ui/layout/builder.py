"""The Builder: one slide's layout in progress, and what every slide type
shares: fonts, text blocks (with a second language under them in subtitle
mode), shrinking a group until it fits, trying arrangements under large
text, the header, point lists and panels.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF

from taixin_kiosk.content.deck import Point, Slide
from taixin_kiosk.ui.fonts import families_for
from taixin_kiosk.ui.layout.breaks import glued, words_in
from taixin_kiosk.ui.layout.items import (
    EPS,
    LEFT,
    WRAP,
    BarItem,
    IconItem,
    PanelItem,
    SlideLayout,
    TextItem,
    narrowed,
)
from taixin_kiosk.ui.layout.text import wrapped
from taixin_kiosk.ui.theme import (
    LARGE_TEXT_SCALE,
    MIN_SHRINK,
    TYPE_MIN,
    TYPE_SCALE,
    Grid,
    Palette,
    cjk,
    font_for,
    large_factor,
    large_least,
)

# How far body text may grow beyond the type scale to use spare room.
MAX_GROW = 1.2
# A portrait totem has height to spare: body text may grow further there.
MAX_GROW_PORTRAIT = 1.45
# Subtitle mode: the second language's line, as a fraction of the primary
# size. A CJK character fills its em square while Latin lowercase uses about
# half of it, so at one ratio a Chinese line looks larger than an English one:
# each gets its own, and both read as clearly secondary.
SECOND_SCALE_LATIN = 0.64
SECOND_SCALE_CJK = 0.58
# ...but never below this role's size, the smallest text on a slide: under
# a lead sentence the ratio alone gives type too small to read from a few
# metres (a 14 px line on an 800-line projector).
SECOND_MIN_ROLE = "small"
# Space between the primary text and its second line, in second-line ems; the
# next block keeps SECOND_AFTER more, so each pair reads as one unit.
SECOND_GAP = 0.25
SECOND_AFTER = 0.6
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


class Overflow(Exception):
    """A large-text attempt that does not fit at full size (see build.build_layout)."""


class Builder:
    """Builds one slide's layout; ``text`` resolves keys in ``locale``, the
    slides' language, in the colours of ``palette``.

    ``second`` (subtitle mode) resolves keys in ``second_locale``: titles and
    key sentences then carry that language as a smaller line under them.

    Slots, not a ``__dict__``: every attribute is one of these, set in
    ``__init__``; the slide types' functions (see build.SLIDE_LAYOUTS) add none.
    """

    __slots__ = ("balance", "display_growth", "emblem", "family", "grid", "grow", "large",
                 "locale", "low_reach", "map_info", "map_side", "out", "palette", "seated",
                 "second", "second_cjk", "second_locale", "second_words", "shrink", "slide",
                 "strict", "text", "text_scale", "words")

    def __init__(self, slide: Slide, width: float, height: float, family: str,
                 text: Callable[..., str], second: Callable[..., str] | None = None,
                 second_locale: str = "", text_scale: float = 1.0,
                 low_reach: bool = False, *, palette: Palette, locale: str) -> None:
        self.slide: Slide = slide
        self.palette: Palette = palette
        # The slides' language: punctuation widths of its fonts.
        self.locale: str = locale
        self.text_scale: float = text_scale
        # Low reach: touchable content (chart, map and its list) in the lower
        # part of the stage, what is only read above it.
        self.low_reach: bool = low_reach
        self.grid: Grid = Grid(width, height)
        self.family: str = family
        self.text: Callable[..., str] = text
        self.second: Callable[..., str] | None = second
        self.second_cjk: bool = cjk(second_locale)
        self.second_locale: str = second_locale
        # What a line never breaks inside, in each language (layout.breaks).
        self.words: str = _words(text)
        self.second_words: str = _words(second) if second is not None else ""
        self.out: SlideLayout = SlideLayout(width, height)
        self.grow: float = MAX_GROW_PORTRAIT if self.grid.portrait else MAX_GROW
        # Large text may rearrange a slide (fewer card columns, a wider text
        # column, no decorative icons) to keep its text large.
        self.large: bool = text_scale > 1.0
        # Under large text, how much of their own growth the display roles
        # (titles, the cover's display line, stat figures) keep, and whether the
        # cover keeps its emblem (see build.build_slide).
        self.display_growth: float = 1.0
        self.emblem: bool = True
        # A strict build never shrinks a group below its size at this
        # text_scale: it raises Overflow instead, and build_layout tries a
        # slightly smaller text_scale for the whole slide. So the slide's
        # groups keep one scale, rather than a header taking all the room at
        # full size and leaving the cards under it shrunk to MIN_SHRINK.
        self.strict: bool = False
        # The last resort of a slide whose text does not fit at the type
        # scale's least sizes even reflowed (build.build_layout): every
        # least size times this, rather than text left clipped.
        self.shrink: float = 1.0
        # Whether wrapped lines are evened out. Evening out never changes a
        # box's height, only narrows it, so large text's trial builds skip it
        # and only the build that is kept has it.
        self.balance: bool = True
        # A map slide: its side panel (the areas' list, the hint, the chosen
        # area's focus), set once the map is placed (map.build_map) and filled
        # in for the chosen area (map.map_panel); and under low reach, the
        # panel above the reach line for what is only read (None without low
        # reach, or where there is no room for one).
        self.map_side: QRectF | None = None
        self.map_info: QRectF | None = None
        # A seated audience (an export, the presenter's audience window)
        # cannot tap: touch hints are left out, and a map's side panel lists
        # every area with its focus (map.map_panel).
        self.seated: bool = False

    # -- text helpers -------------------------------------------------------

    def font(self, role: str, scale: float = 1.0, *, label: bool = False) -> QFont:
        """``role``'s font at ``scale`` of its size, grown by large text.
        Large text's reading text (LARGE_TEXT_SCALE's full share) is never
        under LARGE_MIN_PX at 1080 lines, captions included; a ``label`` on
        a map keeps its own size, which its room decides (map_labels)."""
        factor = scale * large_factor(role, self.text_scale)
        if self.text_scale > 1.0 and not label and LARGE_TEXT_SCALE[role] >= 1.0:
            factor = max(factor, large_least(role, self.text_scale))
        return font_for(self.family, role, self.grid.unit, factor, locale=self.locale)

    def floor(self, role: str) -> float:
        """The least scale of ``role``: its TYPE_MIN over its TYPE_SCALE size
        (under large text: its size, as no text is set smaller than
        without it). A group of several roles shrinks down to the least of
        theirs, each role held at its own (``max(scale, floor(role))``), so a
        long title can come down to 64 px while the body text beside it
        stays at 36."""
        if self.text_scale > 1.0:
            return 1.0
        return min(1.0, TYPE_MIN[role] / TYPE_SCALE[role][0]) * self.shrink

    def least(self, *roles: str) -> float:
        """How far a group of ``roles`` may shrink (see floor)."""
        return min(self.floor(role) for role in roles)

    @staticmethod
    def loosened(text: str, words: str, font: QFont, width: float) -> str:
        """``text`` glued as drawn, but for its listed words that are wider
        than ``width`` (each may then break); as written, if even that is too
        wide (the rules of layout.breaks still glue too much)."""
        metrics = QFontMetricsF(font)
        loose = frozenset(w for w in words_in(text, words)
                          if metrics.horizontalAdvance(w) > width)
        shown = glued(text, words, loose)
        if metrics.boundingRect(QRectF(0, 0, width, 1e6), WRAP, shown).width() > width + EPS:
            return text
        return shown

    def second_font(self, role: str, scale: float) -> QFont:
        """The second language's font: smaller, regular weight, and set in
        the Latin companion first unless that language is CJK (whatever the
        primary language chose for the shared font settings)."""
        ratio = SECOND_SCALE_CJK if self.second_cjk else SECOND_SCALE_LATIN
        size = TYPE_SCALE[role][0]
        font = font_for(self.family, role, self.grid.unit,
                        max(scale * ratio, TYPE_SCALE[SECOND_MIN_ROLE][0] / size)
                        * large_factor(role, self.text_scale), locale=self.locale)
        font.setWeight(QFont.Weight.Normal)
        base = self.family or QFont().family()
        font.setFamilies(families_for(self.second_locale, base, cjk=self.second_cjk))
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
              second_text: str | None = None, label: bool = False,
              whole: bool = True) -> TextItem:
        """A text box at (x, y), exactly as tall as its wrapped text.

        Wrapped text of the BALANCED_ROLES has its lines evened out (no word or
        character alone on a last line). ``tight`` also narrows the box to the
        text's own width, for labels that sit close to each other on a map.
        Narrowing keeps the text where its alignment puts it.

        A ``subtitled`` box (a title or key sentence) in subtitle mode also
        holds the second language (``second_text``, or ``key`` resolved in it)
        under its text, in a smaller, muted type; the box's height covers both.
        A ``label`` on a map keeps its size under large text (see font);
        without ``whole`` the words of ``lines.words`` may break.
        """
        content = self.text(key) if text is None else text
        shown = glued(content, self.words) if whole else content
        font = self.font(role, scale, label=label)
        full_x, full_width = x, width
        x, width, need, fits = wrapped(shown, font, role, x, width, align, self.balance)
        if not fits and shown != content:
            # A word kept whole that is wider than the box: breaking it
            # reads better than text sticking out of its box.
            shown = self.loosened(content, self.words, font, full_width)
            x, width, need, fits = wrapped(shown, font, role, full_x, full_width, align,
                                           self.balance)
        second = ""
        if subtitled:
            second = self.second_of(key, content) if second_text is None else second_text
        if not second:
            if tight and fits:
                x, width = narrowed(x, width, math.ceil(need.width()), align)
            item = TextItem(QRectF(x, y, width, math.ceil(need.height())), content, role, font,
                            color or self.palette.text, align, key)
            item.shown = shown
            item.fits = fits
            return item
        small = self.second_font(role, scale)
        second_shown = glued(second, self.second_words)
        _, second_width, second_need, second_fits = wrapped(second_shown, small, role, full_x,
                                                            full_width, align, self.balance)
        if not second_fits and second_shown != second:
            second_shown = self.loosened(second, self.second_words, small, full_width)
            _, second_width, second_need, second_fits = wrapped(
                second_shown, small, role, full_x, full_width, align, self.balance)
        # One box around both, narrowed as far as the wider of the two.
        x, box_width = narrowed(full_x, full_width, max(width, second_width), align)
        top = need.height() + small.pixelSize() * SECOND_GAP
        item = TextItem(QRectF(x, y, box_width, math.ceil(top + second_need.height())), content,
                        role, font, color or self.palette.text, align, key)
        item.shown = shown
        item.fits = fits and second_fits
        item.second_text = second
        item.second_shown = second_shown
        item.second_font = small
        # Quieter than any primary text, muted ones included, so the second
        # language never reads as the next heading or sentence.
        item.second_color = self.palette.text_second
        item.first_width = width
        item.second_width = second_width
        item.second_top = top
        return item

    def fit_scale(self, fits: Callable[[float], bool], grow: float = 1.0,
                  floor: float | None = None, least: float | None = None
                  ) -> tuple[float, bool]:
        """The largest scale in [least, grow] for which ``fits`` holds
        (``least``: MIN_SHRINK, or lower for a group whose roles' TYPE_MIN
        allows it, see floor).

        Body text may ``grow`` a little where a slide has room to spare (a
        portrait totem, a slide with few words), so the space is used rather
        than left empty; headings never grow, which keeps the scale consistent.
        A strict build raises Overflow where nothing from ``floor`` (1.0 by
        default) up fits.
        """
        least = MIN_SHRINK * self.shrink if least is None else least
        found = self.search(fits, grow, floor, least)
        if found is not None:
            return found, True
        if self.strict:
            raise Overflow
        return least, False

    def search(self, fits: Callable[[float], bool], grow: float = 1.0,
               floor: float | None = None, least: float | None = None) -> float | None:
        """The largest scale from ``grow`` down that ``fits``, in steps of 0.04,
        stopping at ``least`` (``floor``, or 1.0, in a strict build)."""
        if least is None:
            least = MIN_SHRINK * self.shrink
        if floor is None or not self.strict:
            floor = 1.0 if self.strict else least
        if self.large:
            return _bisected(fits, grow, floor)
        scale = grow
        while scale >= floor - 1e-9:
            if fits(scale):
                return scale
            scale -= 0.04
        return None

    def arranged(self, options: Sequence[T], fits: Callable[[T, float], bool],
                 grow: float = 1.0, least: float | None = None) -> tuple[T, float, bool]:
        """The first of ``options`` (arrangements of a group, the usual one
        first) whose text fits, with its scale. Only large text looks past the
        first; a strict build takes the first that fits at full size, the
        fallback the one that keeps the text largest."""
        if not self.large or len(options) == 1:
            first = options[0]
            scale, ok = self.fit_scale(lambda sc: fits(first, sc), grow, least=least)
            return first, scale, ok
        best: tuple[T, float] | None = None
        for option in options:
            found = self.search(partial(fits, option), grow, least=least)
            if found is not None and (self.strict or found >= 1.0 - 1e-9):
                return option, found, True
            if found is not None and (best is None or found > best[1] + 1e-9):
                best = (option, found)
        if self.strict:
            raise Overflow
        if best is not None:
            return best[0], best[1], True
        return options[0], MIN_SHRINK * self.shrink if least is None else least, False

    def first_fitting(self, options: Sequence[T], build: Callable[[T], None]) -> None:
        """Builds the first of ``options`` (arrangements of several groups, the
        usual one first) whose every group fits at full size. Only large text
        looks past the first; where none fits, the last (the one that leaves
        the text the most room) is built as well as it can be."""
        if not self.large or len(options) == 1:
            build(options[0])
            return
        if not self.any_fitting(options[:-1], build):
            build(options[-1])

    def any_fitting(self, options: Sequence[T], build: Callable[[T], None]) -> bool:
        """Builds the first of ``options`` whose every group fits at full size
        (a strict build) and says whether one did; where none does, nothing
        of them is left in the layout."""
        strict = self.strict
        self.strict = True
        try:
            for option in options:
                mark = self._mark()
                try:
                    build(option)
                    return True
                except Overflow:
                    self._restore(mark)
        finally:
            self.strict = strict
        return False

    def would_fit(self, build: Callable[[], object]) -> bool:
        """Whether ``build`` fits at full size (a strict build); nothing of it
        is left in the layout either way."""
        strict, self.strict = self.strict, True
        mark = self._mark()
        try:
            build()
            return True
        except Overflow:
            return False
        finally:
            self._restore(mark)
            self.strict = strict

    def _mark(self) -> tuple[int, int, QRectF | None, QRectF | None, dict[str, QRectF],
                             dict[str, QRectF], bool]:
        out = self.out
        return (len(out.texts), len(out.decor), out.chart_rect, out.map_rect,
                dict(out.hotspots), dict(out.panel_rows), out.map_numbered)

    def _restore(self, mark: tuple[int, int, QRectF | None, QRectF | None, dict[str, QRectF],
                                   dict[str, QRectF], bool]) -> None:
        out = self.out
        (texts, decor, out.chart_rect, out.map_rect, out.hotspots, out.panel_rows,
         out.map_numbered) = mark
        del out.texts[texts:]
        del out.decor[decor:]

    def add(self, items: Sequence[TextItem], ok: bool = True) -> None:
        for item in items:
            item.fits = item.fits and ok
            self.out.texts.append(item)

    # -- shared pieces ------------------------------------------------------

    def header(self, area: QRectF, title: str | None, lead: str | None,
               taller: float = 0.0) -> QRectF:
        """Title (and lead) at the top of ``area``; returns the space below.
        ``taller``: the header may take this much more of the area's height
        (a narrow column's title takes more lines)."""
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
            # (Titles of 64 px and more take two lines more often than not.)
            max_h = area.height() * (0.4 + (0.1 if self.second is not None else 0.0))
        max_h += area.height() * taller

        def stack(scale: float) -> list[TextItem]:
            items: list[TextItem] = []
            y = area.top()
            if title:
                # Large text may keep the title smaller than its lead's scale
                # (see build.build_slide): it is already set larger than any reading text.
                items.append(self.block(title, "title", x, y, width,
                                        scale=min(max(scale, self.floor("title")),
                                                  self.display_cap("title")),
                                        subtitled=True))
                y = self.below(items[-1], 10)
            if lead:
                items.append(self.block(lead, "lead", x, y, width,
                                        scale=max(scale, self.floor("lead")),
                                        color=self.palette.text_muted, subtitled=True))
            return items

        scale, ok = self.fit_scale(
            lambda s: within(stack(s), area.top() + max_h), least=self.least("title", "lead"))
        items = stack(scale)
        self.add(items, ok)
        bottom = bottom_of(items, area.top())
        if items:
            self.out.decor.append(BarItem(
                QRectF(area.left(), area.top() + 6 * g.unit, bar_w, items[0].rect.height()
                       - 12 * g.unit), self.palette.accent))
        # (Large text spends less of the slide on space between blocks.)
        gap = (34 if g.portrait else 40) * g.unit * (0.7 if self.large else 1.0)
        return QRectF(area.left(), bottom + gap, area.width(), area.bottom() - bottom - gap)

    def point_list(self, area: QRectF, points: Sequence[Point], role: str = "body",
                   icon_default: str | None = None) -> None:
        """Icon + text rows, shrunk together to fit ``area``."""
        if not points:
            return

        def rows(scale: float) -> tuple[list[TextItem], list[IconItem]]:
            return self._point_rows(area, points, role, icon_default, scale)

        def fits(scale: float) -> bool:
            texts, icons = rows(scale)
            last = max([t.rect.bottom() for t in texts] + [i.rect.bottom() for i in icons])
            return all(t.fits for t in texts) and last <= area.bottom() + EPS

        scale, ok = self.fit_scale(fits, self.grow)
        texts, icons = rows(scale)
        self.add(texts, ok)
        self.out.decor.extend(icons)

    def _point_rows(self, area: QRectF, points: Sequence[Point], role: str,
                    icon_default: str | None, scale: float
                    ) -> tuple[list[TextItem], list[IconItem]]:
        g = self.grid
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
                                      self.palette.accent_2))
            texts.append(item)
            y = max(item.rect.bottom(), y + icon) + gap
        return texts, icons

    def point_list_height(self, width: float, points: Sequence[Point], role: str = "body",
                          icon_default: str | None = None) -> float:
        """The height ``point_list`` takes ``width`` wide with room to spare:
        its rows grown as far as body text may grow (``grow``)."""
        if not points:
            return 0.0
        for scale in (self.grow, 1.0):
            texts, icons = self._point_rows(QRectF(0, 0, width, 1e6), points, role,
                                            icon_default, scale)
            if all(t.fits for t in texts) or scale == 1.0:
                break
        return max([t.rect.bottom() for t in texts] + [i.rect.bottom() for i in icons])

    def panel(self, rect: QRectF) -> None:
        self.out.decor.append(PanelItem(rect, self.palette.panel, self.palette.panel_edge,
                                        18 * self.grid.unit))

    def display_cap(self, role: str) -> float:
        """The largest scale of a display ``role`` under large text: the share
        of its growth it keeps (``display_growth``), as a fraction of its large
        size. Without large text, no limit: a card's figure grows with its text."""
        if not self.large:
            return math.inf
        factor = large_factor(role, self.text_scale)
        return (1.0 + self.display_growth * (factor - 1.0)) / factor

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

    def reach_line(self) -> float:
        """Low reach: where touchable content may start (stage coordinates)."""
        return self.grid.height * REACH_LINE


# The catalogue key that names what a line never breaks inside (layout.breaks).
WORDS_KEY = "lines.words"


def _words(text: Callable[..., str]) -> str:
    """The language's ``lines.words``, or none where its catalogue has none."""
    found = text(WORDS_KEY)
    return "" if found == WORDS_KEY else found


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


def within(items: Sequence[TextItem], bottom: float) -> bool:
    """Every item fits its width and the stack ends above ``bottom``."""
    return all(i.fits for i in items) and bottom_of(items, -math.inf) <= bottom + EPS


def bottom_of(items: Sequence[TextItem], default: float) -> float:
    """Where the lowest of ``items`` ends (``default`` if there are none)."""
    return max((i.rect.bottom() for i in items), default=default)
