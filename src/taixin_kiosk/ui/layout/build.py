"""Which function lays out each slide type, and ``build_layout``: one slide
at one size, with large text's search for the largest text size at which the
whole slide fits.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QRectF

from taixin_kiosk.content.deck import Slide
from taixin_kiosk.ui.layout.builder import CHART_MIN_SHARE, Builder, Overflow
from taixin_kiosk.ui.layout.cover import build_cover
from taixin_kiosk.ui.layout.items import EPS, SlideLayout
from taixin_kiosk.ui.theme import LARGE_MIN_SHRINK, Palette

# Where a slide's text does not fit at the type scale's least sizes even
# reflowed, they are let down to these fractions of themselves in turn.
LAST_RESORT = (0.92, 0.85, 0.78, 0.7, 0.62)

# The first slide is a cover: the other types' code loads when a slide of
# that type is first laid out (after the first slide is on screen), so it
# does not hold the first frame up.


def build_quote(builder: Builder) -> None:
    from taixin_kiosk.ui.layout.quote import build_quote

    build_quote(builder)


def build_cards(builder: Builder) -> None:
    from taixin_kiosk.ui.layout.cards import build_cards

    build_cards(builder)


def build_chart(builder: Builder) -> None:
    from taixin_kiosk.ui.layout.chart import build_chart

    build_chart(builder)


def build_map(builder: Builder) -> None:
    from taixin_kiosk.ui.layout.map import build_map

    build_map(builder)


def map_panel(builder: Builder, selected: str | None) -> None:
    from taixin_kiosk.ui.layout.map_panel import map_panel

    map_panel(builder, selected)


# The layout of each slide type (content.deck.SLIDE_TYPES): the one place a
# slide's type chooses the code that lays it out.
SLIDE_LAYOUTS: dict[str, Callable[[Builder], None]] = {
    "cover": build_cover,
    "quote": build_quote,
    "cards": build_cards,
    "chart": build_chart,
    "map": build_map,
}


def build_slide(builder: Builder) -> SlideLayout:
    """The builder's slide laid out by the function for its type (once, or
    under large text in the first arrangement of its display roles that fits)."""
    slide = builder.slide
    method = SLIDE_LAYOUTS.get(slide.type)
    if method is None:
        # An unknown type fails as it did when the builder looked its method
        # up by name: AttributeError, with the message getattr gave.
        raise AttributeError(f"'Builder' object has no attribute '_{slide.type}'")
    if not builder.large:
        method(builder)
        return builder.out
    # Large text: titles, the cover's display line and stat figures are already
    # larger than the doubled body text, so where the slide is short of
    # room they give up their own growth first, down to their usual size,
    # before the reading text gets any smaller.
    # (A slide reflowed at the usual size has no growth to give up: each
    # share of none is the same layout, built once.)
    options = [(1.0, True), (0.5, True), (0.0, True)] if builder.text_scale > 1.0 \
        else [(1.0, True)]
    if slide.type == "cover" and slide.emblem is not None:
        # Then the cover leaves out its emblem, a logo above the kicker
        # that says nothing the text does not.
        options.append((0.0, False))
    builder.first_fitting(options, partial(_titled, builder, method))
    return builder.out


def _titled(builder: Builder, method: Callable[[Builder], None],
            option: tuple[float, bool]) -> None:
    """``method`` with the display roles keeping ``option``'s share of their
    growth, and the cover its emblem or not."""
    builder.display_growth, builder.emblem = option
    method(builder)


def build_layout(slide: Slide, width: float, height: float, family: str,
                 text: Callable[..., str], selected_area: str | None = None,
                 second: Callable[..., str] | None = None,
                 second_locale: str = "", text_scale: float = 1.0,
                 low_reach: bool = False, *, palette: Palette, locale: str,
                 seated: bool = False) -> SlideLayout:
    """The layout of ``slide`` in ``locale`` (``text`` looks its words up), in
    the colours of ``palette``; with ``second`` (subtitle mode), titles and key
    sentences also show ``second_locale`` as a smaller line under them;
    ``text_scale`` is large text's multiplier of body text; ``low_reach``
    puts what is touched below REACH_LINE; ``seated`` leaves touch hints out
    (see Builder.seated)."""
    def built(scale: float, strict: bool, balance: bool = True,
              reflow: bool = True, shrink: float = 1.0,
              area: str | None = selected_area) -> SlideLayout:
        builder = Builder(slide, width, height, family, text, second, second_locale, scale,
                          low_reach, palette=palette, locale=locale)
        builder.seated = seated
        builder.shrink = shrink
        builder.large = reflow
        builder.strict = strict
        builder.balance = balance
        layout = build_slide(builder)
        if slide.type == "map":
            map_panel(builder, area)
        return layout

    if text_scale <= 1.0:
        # The usual arrangement first. The type scale's sizes are a floor
        # (TYPE_MIN): where it cannot hold the text at them, the slide
        # reflows as large text does (fewer, wider card columns, the points
        # under the quote, less margin) rather than shrink its text. The
        # last resort (measured: the English map slide with subtitles, its
        # long title and lead in two languages over the map and the list of
        # its areas): the least sizes give a little, rather than clip.
        # (Each way: strict, reflowed, the least sizes' share.)
        ways = [(False, False, 1.0), (True, True, 1.0), (False, True, 1.0),
                *((False, True, shrink) for shrink in LAST_RESORT)]

        # (Each way with each area built once, however often it is asked for.)
        made: dict[tuple[bool, bool, float, str | None], SlideLayout] = {}

        def way_built(strict: bool, reflow: bool, shrink: float,
                      area: str | None) -> SlideLayout:
            key = (strict, reflow, shrink, area)
            if key not in made:
                made[key] = built(1.0, strict, reflow=reflow, shrink=shrink, area=area)
            return made[key]

        def first_clean(*areas: str | None) -> SlideLayout | None:
            """The first way clean with each of ``areas`` chosen, built with
            the last of them."""
            for way in ways:
                try:
                    if all(_clean(way_built(*way, area)) for area in areas):
                        return way_built(*way, areas[-1])
                except Overflow:
                    continue
            return None

        # A map slide with an area chosen takes the first way that is clean
        # with none chosen too: a tap opens the area's focus in the panel
        # without moving the map or resizing its title, unless the focus
        # does not fit the panel there.
        chosen = (None, selected_area) if slide.type == "map" and selected_area else ()
        layout = first_clean(*chosen) if chosen else None
        layout = layout or first_clean(selected_area)
        return layout if layout is not None else way_built(*ways[0], selected_area)

    tried: dict[float, SlideLayout | None] = {}

    def attempt(scale: float) -> SlideLayout | None:
        try:
            layout = built(scale, strict=True, balance=False)
        except Overflow:
            layout = None
        tried[scale] = layout = layout if layout is not None and _clean(layout) else None
        return layout

    def kept(scale: float) -> SlideLayout:
        """The layout found at ``scale``, built again with its lines evened out."""
        try:
            layout = built(scale, strict=True)
        except Overflow:
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
                            second_locale, low_reach=low_reach, palette=palette, locale=locale,
                            seated=seated)
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
    stage = QRectF(0, 0, layout.width, layout.height).adjusted(-EPS, -EPS, EPS, EPS)
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
