"""The cards slide: a grid of cards (icon, figure, heading, text) under the
header, reflowed to fewer, wider columns under large text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QRectF

from taixin_kiosk.content.deck import Card
from taixin_kiosk.ui.layout.balance import GAP_SHARE, Rows, gaps, stretches
from taixin_kiosk.ui.layout.builder import Builder, Overflow, bottom_of
from taixin_kiosk.ui.layout.hero import hero_rows
from taixin_kiosk.ui.layout.items import EPS, LEFT, IconItem, TextItem
from taixin_kiosk.ui.layout.text import measure
from taixin_kiosk.ui.theme import TYPE_SCALE

# Large text gives a card at least this many ems of body text a line.
LARGE_MIN_MEASURE = 6.0
# Space under a card's figure, in design pixels (as its other gaps).
STAT_GAP = 6
# Where a slide has height to spare, a row of cards grows by at most this
# factor of what its content needs (the rest goes to the gaps), so a card is
# never mostly empty.
CARD_STRETCH = 1.6
# A slide of few words may set its cards larger, up to this factor of the type
# scale, and while a card's heading stays under this share of the title's size.
CARDS_GROW = 1.5
HEADING_UNDER_TITLE = 0.8


def build_cards(b: Builder) -> None:
    """A cards slide: the header, the grid of cards, and the footer (the
    slide's key sentence) under them, spread over the slide's height.

    The key sentence is among the slide's largest texts: never smaller than
    the cards' headings and text it sums up. Where the cards grow into
    spare room, it grows with them (and the cards are laid out again in
    what it leaves); where that does not fit, the cards grow no larger
    than it is."""
    if not b.slide.footer:
        _cards_and_footer(b, 1.0, math.inf)
        return
    mark = b._mark()
    grown = _cards_and_footer(b, 1.0, math.inf)
    if _px(b, grown) <= b.font("lead").pixelSize():
        return
    b._restore(mark)
    scale = 1.0
    while b.font("lead", scale).pixelSize() < _px(b, grown):
        scale *= 1.02
    try:
        if _cards_and_footer(b, scale, grown) <= grown + EPS:
            return
    except Overflow:
        pass
    b._restore(mark)
    lead = b.font("lead").pixelSize()
    cap = min(lead / b.font(role).pixelSize() for role in KEY_OVER)
    while _px(b, cap) > lead:
        cap *= 0.99
    _cards_and_footer(b, 1.0, cap)


# The roles of a card that the key sentence is never smaller than.
KEY_OVER = ("heading", "body")


def _px(b: Builder, scale: float) -> int:
    """The largest of the cards' KEY_OVER sizes at ``scale``."""
    return max(b.font(role, scale).pixelSize() for role in KEY_OVER)


def _cards_and_footer(b: Builder, footer_scale: float, cap: float) -> float:
    """The slide with its footer at ``footer_scale`` and its cards' text
    grown no further than ``cap``; returns the cards' scale."""
    s, g = b.slide, b.grid
    area = b.content()
    footer: TextItem | None = None
    footer_gap = 0.0
    if s.footer:
        footer = b.block(s.footer, "lead", area.left(), 0, area.width(),
                         scale=footer_scale, color=b.palette.accent)
        footer_gap = 30 * g.unit
        area = QRectF(area.left(), area.top(), area.width(),
                      area.height() - footer.rect.height() - footer_gap)
    body = b.header(area, s.title, s.lead)
    # One card is the slide's hero (layout.hero), not a grid of one.
    grid = hero_rows(b, body, s.cards[0], min(_growth(b), cap)) if len(s.cards) == 1 \
        else _card_grid(b, body, s.cards, cap)
    # The free height: between the header and the grid, between the grid
    # and the footer, and under the last; the cards' rows take what the
    # gaps should not (see balance.GAP_SHARE).
    count = 3 if footer else 2
    each, spare = gaps(body.height() - grid.natural, count, g.height * GAP_SHARE)
    grow = stretches(spare, grid.needs, CARD_STRETCH)
    each += (spare - sum(grow)) / count
    bottom = grid.place(body.top() + each, grow)
    if footer:
        footer.rect.moveTop(bottom + footer_gap + each)
        b.add([footer])
    return grid.scale


def _card_grid(b: Builder, body: QRectF, cards: Sequence[Card], cap: float) -> Rows:
    """The cards in ``body``, their text shrunk together until every card
    fits (and grown into spare room, no further than ``cap``)."""
    g = b.grid
    n = len(cards)
    portrait_cols = 1 if n <= 3 else 2
    cols = portrait_cols if g.portrait else (n if n <= 4 else math.ceil(n / 2))
    options = [(cols, True)]
    if b.large:
        # Large text reflows the grid to fewer, wider columns, and then
        # leaves out the cards' icons: they illustrate the heading beside
        # them and say nothing it does not.
        fewer = sorted({c for c in (math.ceil(n / 2), 1) if c < cols}, reverse=True)
        options = [(c, True) for c in (cols, *fewer)] + [(c, False) for c in (cols, *fewer)]
    gap = g.gutter * (0.75 if b.large else 1.0)
    # Large text: narrower padding inside the cards leaves the text more room.
    pad = (22 if b.large else 30) * g.unit

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
        if not b.large or cols == 1:
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
        after = stat_after(cols)
        for i, card in enumerate(cards):
            items, _ = card_items(card, rects[i], b.grow, beside, icons, after=after[i])
            if not items:
                continue
            offset = items[0].rect.left() - rects[i].left() + pad
            for item in items:
                line = measure(item.shown, item.font, 1e5, item.align).width()
                if line + offset <= cw:
                    floors[i % cols] = max(floors[i % cols], math.ceil(line + offset) + 1)
        widths = [cw] * cols
        for _ in range(3):
            tall = [0.0] * cols
            for i, card in enumerate(cards):
                items, _ = card_items(card, rects[i], 1.0, beside, icons, after=after[i])
                tall[i % cols] += bottom_of(items, rects[i].top()) - rects[i].top()
            mean = sum(tall) / cols
            if mean <= 0 or max(tall) - min(tall) < 0.05 * mean:
                break
            widths = _shares([min(w * (t / mean) ** 0.6, cw * 1.6)
                              for w, t in zip(widths, tall, strict=True)], floors, total)
            rects = grid(cols, widths)[3]
        return widths

    def card_items(card: Card, rect: QRectF, scale: float, beside: bool,
                   icons: bool, slot: float = 0.0, after: bool = False
                   ) -> tuple[list[TextItem], IconItem | None]:
        """A card's icon and texts in ``rect``; the heading starts ``slot``
        under the top of the text (the row's tallest figure and its gap), so
        the headings of a row line up; ``after``: the figure comes after the
        heading instead (stat_after)."""
        inner = rect.adjusted(pad, pad, -pad, -pad)
        icon = 64 * g.unit * scale
        icon_item = IconItem(QRectF(inner.left(), inner.top(), icon, icon), card.icon,
                             b.palette.accent) if icons else None
        if not icons:
            x, y = inner.left(), inner.top()
        elif beside:
            x, y = inner.left() + icon + 26 * g.unit, inner.top()
        else:
            x, y = inner.left(), inner.top() + icon + 20 * g.unit
        width = inner.right() - x
        # The heading starts under the row's tallest figure, whether this
        # card's figure is shorter or missing.
        heading_y = y + slot
        items: list[TextItem] = []
        parts = [(card.stat, "stat", b.palette.accent, STAT_GAP),
                 (card.heading, "heading", b.palette.text, 12),
                 (card.body, "body", b.palette.text_muted, 0)]
        if after:
            parts[:2] = parts[1::-1]
        for key, role, color, gap_after in parts:
            if role == "heading":
                y = max(y, heading_y)
            if key:
                size = max(scale, b.floor(role))
                size = min(size, b.display_cap(role), stat_cap(width)) \
                    if role == "stat" else size
                items.append(b.block(key, role, x, y, width, scale=size, color=color))
                y = items[-1].rect.bottom() + gap_after * g.unit
        return items, icon_item

    caps: dict[int, float] = {}

    def stat_cap(width: float) -> float:
        """The figures' largest scale: one for all of them, so that no figure
        is grown onto two lines and they stay one size."""
        key = round(width)
        if key not in caps:
            caps[key] = min((_one_line(b, c.stat, width) for c in cards if c.stat),
                            default=math.inf)
        return caps[key]

    def stat_after(cols: int) -> list[bool]:
        """Which cards put their figure after their heading: under large
        text (and a slide reflowed as it is), in a row where some cards
        have a figure and some do not, so that every heading of the row is
        the first line of its card (a slot the size of the figure above
        the others' headings is room large text does not have)."""
        out = [False] * n
        if not b.large:
            return out
        for start in range(0, n, cols):
            row = range(start, min(n, start + cols))
            figures = [bool(cards[i].stat) for i in row]
            if any(figures) and not all(figures):
                for i in row:
                    out[i] = True
        return out

    def slots(cols: int, rects: Sequence[QRectF], scale: float, beside: bool,
              icons: bool) -> list[float]:
        """Each card's stat slot: the height of the tallest figure in its row
        and the space under it (0 in a row without figures). Under large text
        only in a row where every card has a figure (one figure on two lines
        sets the row's height already); a row where some have none puts its
        figures after the headings instead (stat_after): large text's size
        comes first, and a row there does not grow taller for an empty slot."""
        out = [0.0] * n
        for start in range(0, n, cols):
            row = range(start, min(n, start + cols))
            if b.large and not all(cards[i].stat for i in row):
                continue
            tall = 0.0
            for i in row:
                if cards[i].stat:
                    items, _ = card_items(cards[i], rects[i], scale, beside, icons)
                    tall = max(tall, items[0].rect.height() + STAT_GAP * g.unit)
            for i in row:
                out[i] = tall
        return out

    def row_heights(cols: int, icons: bool, scale: float) -> list[float]:
        """What each row of cards needs (the tallest card of the row)."""
        rows, cw, ch, rects = arranged_grid(cols, icons, scale)
        # Wide, short cards put the icon beside the text; tall ones above it.
        beside = cw > ch * 1.6
        slot = slots(cols, rects, scale, beside, icons)
        after = stat_after(cols)
        heights = []
        for r in range(rows):
            row = range(r * cols, min(n, (r + 1) * cols))
            need = max(own_height(i, rects[i], scale, beside, icons, slot[i], after[i])
                       for i in row)
            heights.append(max(need, pad * 2 + 64 * g.unit * scale if icons else 0.0))
        return heights

    def own_height(i: int, rect: QRectF, scale: float, beside: bool, icons: bool,
                   slot: float, after: bool) -> float:
        """The height card ``i`` needs for its own content."""
        items, icon_item = card_items(cards[i], rect, scale, beside, icons, slot, after)
        bottom = bottom_of(items, rect.top())
        if icon_item is not None:
            bottom = max(bottom, icon_item.rect.bottom())
        return bottom - rect.top() + pad

    def fits(option: tuple[int, bool], scale: float) -> bool:
        cols, icons = option
        rows, cw, ch, rects = arranged_grid(cols, icons, scale)
        beside = cw > ch * 1.6
        if b.large:
            # Rows as tall as their cards, not an even share each: one
            # card's long text does not make every row tall. A column too
            # narrow for a few words a line is no use however large the
            # words: the grid then takes fewer columns.
            measure_min = LARGE_MIN_MEASURE * b.font("body", scale).pixelSize()
            after = stat_after(cols)
            for i, (card, rect) in enumerate(zip(cards, rects, strict=True)):
                items, _ = card_items(card, rect, scale, beside, icons, after=after[i])
                if not all(i.fits for i in items) \
                        or (items and rect.right() - pad - items[0].rect.left()
                            < measure_min):
                    return False
            need = sum(row_heights(cols, icons, scale)) + gap * (rows - 1)
            return need <= body.height() + EPS
        slot = slots(cols, rects, scale, beside, icons)
        for i, (card, rect) in enumerate(zip(cards, rects, strict=True)):
            items, _ = card_items(card, rect, scale, beside, icons, slot[i])
            if not all(i.fits for i in items) or bottom_of(items, 0) > rect.bottom() - pad + EPS:
                return False
        return True

    (cols, icons), scale, ok = b.arranged(options, fits, max(1.0, min(_growth(b), cap)),
                                          least=b.least("stat", "heading", "body"))
    rows, cw, ch, rects = arranged_grid(cols, icons, scale)
    beside = cw > ch * 1.6
    slot = slots(cols, rects, scale, beside, icons)
    after = stat_after(cols)
    needs = row_heights(cols, icons, scale)

    def place(top: float, grow: Sequence[float]) -> float:
        """Lays the cards out from ``top``, each row ``grow`` taller than it
        needs; returns where the grid ends. A card is as tall as its own
        content plus its row's growth (not stretched to the row's tallest),
        and the content of a grown row sits in the middle of the extra
        height, one offset for the whole row, so its headings stay level."""
        y = top
        for r in range(rows):
            for i in range(r * cols, min(n, (r + 1) * cols)):
                cell = QRectF(rects[i].left(), y + grow[r] / 2, rects[i].width(), needs[r])
                items, icon_item = card_items(cards[i], cell, scale, beside, icons, slot[i],
                                              after[i])
                own = own_height(i, cell, scale, beside, icons, slot[i], after[i])
                b.panel(QRectF(cell.left(), y, cell.width(), own + grow[r]))
                if icon_item is not None:
                    b.out.decor.append(icon_item)
                b.add(items, ok)
            y += needs[r] + grow[r] + gap
        return y - gap

    return Rows(sum(needs) + gap * (rows - 1), needs, place, scale)


def _one_line(b: Builder, key: str, width: float) -> float:
    """The largest scale at which a card's figure stays on one line in
    ``width``, where it is on one at its size (a figure grown onto two lines,
    "12" over "(sample)", reads worse than a smaller one); no limit for one
    that is not."""
    font = b.font("stat")
    line = measure(b.text(key), font, 1e5, LEFT).width()
    if line <= 0 or line > width:
        return math.inf
    return max(1.0, width / line * 0.98)


def _growth(b: Builder) -> float:
    """How far the cards' text may grow where the slide has room: as body
    text elsewhere, and further on a slide of few words, as long as a card's
    heading stays clearly under the slide's title (the roles' sizes, not
    pixels, so this holds whatever the type scale)."""
    if b.large:
        return b.grow
    cap = HEADING_UNDER_TITLE * TYPE_SCALE["title"][0] / TYPE_SCALE["heading"][0]
    return max(b.grow, min(CARDS_GROW, cap))


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
