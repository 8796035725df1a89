"""The cards slide: a grid of cards (icon, figure, heading, text) under the
header, reflowed to fewer, wider columns under large text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QRectF

from taixin_kiosk.content.deck import Card
from taixin_kiosk.ui.layout.builder import Builder, bottom_of
from taixin_kiosk.ui.layout.items import EPS, IconItem, TextItem
from taixin_kiosk.ui.layout.text import measure

# Large text gives a card at least this many ems of body text a line.
LARGE_MIN_MEASURE = 6.0


def build_cards(b: Builder) -> None:
    """A cards slide: the header, the grid of cards, and the footer at the foot."""
    s, g = b.slide, b.grid
    area = b.content()
    footer: TextItem | None = None
    if s.footer:
        footer = b.block(s.footer, "lead", area.left(), 0, area.width(),
                         color=b.palette.accent)
        footer.rect.moveBottom(area.bottom())
        area = QRectF(area.left(), area.top(), area.width(),
                      footer.rect.top() - area.top() - 30 * g.unit)
    body = b.header(area, s.title, s.lead)
    _card_grid(b, body, s.cards)
    if footer:
        b.add([footer])


def _card_grid(b: Builder, body: QRectF, cards: Sequence[Card]) -> None:
    """The cards in ``body``, their text shrunk together until every card fits."""
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
        for i, card in enumerate(cards):
            items, _ = card_items(card, rects[i], b.grow, beside, icons)
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
                items, _ = card_items(card, rects[i], 1.0, beside, icons)
                tall[i % cols] += bottom_of(items, rects[i].top()) - rects[i].top()
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
                             b.palette.accent) if icons else None
        if not icons:
            x, y = inner.left(), inner.top()
        elif beside:
            x, y = inner.left() + icon + 26 * g.unit, inner.top()
        else:
            x, y = inner.left(), inner.top() + icon + 20 * g.unit
        width = inner.right() - x
        items: list[TextItem] = []
        for key, role, color, gap_after in ((card.stat, "stat", b.palette.accent, 6),
                                            (card.heading, "heading", b.palette.text, 12),
                                            (card.body, "body", b.palette.text_muted, 0)):
            if key:
                size = min(scale, b.display_cap(role)) if role == "stat" else scale
                items.append(b.block(key, role, x, y, width, scale=size, color=color))
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
            need = max(bottom_of(card_items(cards[i], rects[i], scale, beside, icons)[0],
                                 rects[i].top()) - rects[i].top() + pad for i in row)
            heights.append(max(need, pad * 2 + 64 * g.unit * scale if icons else 0.0))
        return heights

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
            for card, rect in zip(cards, rects, strict=True):
                items, _ = card_items(card, rect, scale, beside, icons)
                if not all(i.fits for i in items) \
                        or (items and rect.right() - pad - items[0].rect.left()
                            < measure_min):
                    return False
            need = sum(row_heights(cols, icons, scale)) + gap * (rows - 1)
            return need <= body.height() + EPS
        for card, rect in zip(cards, rects, strict=True):
            items, _ = card_items(card, rect, scale, beside, icons)
            if not all(i.fits for i in items) or bottom_of(items, 0) > rect.bottom() - pad + EPS:
                return False
        return True

    (cols, icons), scale, ok = b.arranged(options, fits, b.grow)
    rows, cw, ch, rects = arranged_grid(cols, icons, scale)
    beside = cw > ch * 1.6
    # Rows shrink to their content (cards of a row share a height), and the
    # grid sits a little above the middle of the space, so a slide with
    # short cards does not show large empty panels.
    heights = [need if b.large else min(ch, max(need, ch * 0.45))
               for need in row_heights(cols, icons, scale)]
    total = sum(heights) + gap * (rows - 1)
    y = body.top() + max(0.0, (body.height() - total) * 0.35)
    for r in range(rows):
        for i in range(r * cols, min(n, (r + 1) * cols)):
            rects[i] = QRectF(rects[i].left(), y, rects[i].width(), heights[r])
        y += heights[r] + gap
    for card, rect in zip(cards, rects, strict=True):
        b.panel(rect)
        items, icon_item = card_items(card, rect, scale, beside, icons)
        if icon_item is not None:
            b.out.decor.append(icon_item)
        b.add(items, ok)


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
