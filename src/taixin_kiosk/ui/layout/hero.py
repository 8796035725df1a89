"""A cards slide of one card (issue 14, a layout chosen by its content): the
card is the slide's hero. Its figure is set large, with its heading and text
beside it (under it on a portrait screen, or where large text needs the
width), in a panel as wide as the slide; a card without a figure shows its
icon large in the figure's place. The cards slide (layout.cards) spreads the
panel and its footer over the slide's height as it does a grid of cards.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QRectF

from taixin_kiosk.content.deck import Card
from taixin_kiosk.ui.layout.balance import Rows
from taixin_kiosk.ui.layout.builder import Builder, bottom_of
from taixin_kiosk.ui.layout.items import EPS, LEFT, IconItem, TextItem
from taixin_kiosk.ui.layout.text import measure
from taixin_kiosk.ui.theme import large_factor

# The hero figure's size over a card figure's (the type scale's "stat"):
# 52 px at 1080 lines makes 135 px, about twice the title's size. Smaller
# where the figure would not stay on one line in its column.
HERO_FIGURE = 2.6
# Above the text (a portrait screen), whose height the figure shares with
# little else, larger: 166 px at 1080 lines.
HERO_FIGURE_UNDER = 3.2
# Beside the text, the figure's column takes at most this share of the
# panel's width; the heading and text take the rest.
FIGURE_SHARE = 0.42
# The icon's size, in design pixels: beside the figure, and alone in the
# figure's place on a card without one.
ICON = 96
ICON_ALONE = 160
# Large text gives the text beside the figure at least this many ems of body
# text a line, or puts it under the figure.
LARGE_MIN_MEASURE = 8.0


def hero_rows(b: Builder, body: QRectF, card: Card, grow: float) -> Rows:
    """The one card in ``body``, its heading and text grown no further than
    ``grow`` (and shrunk to their least sizes where the words are many)."""
    g = b.grid
    pad = (36 if b.large else 56) * g.unit
    gap = g.gutter * 1.5
    inner_width = body.width() - 2 * pad
    options = ["under"] if g.portrait else ["beside", "under"]

    # Large text makes the reading text larger, not the figure, which is
    # large already: it keeps its size in pixels, still the card's largest.
    grown = large_factor("stat", b.text_scale)

    def figure_scale(width: float, beside: bool = True) -> float:
        """The figure's scale: HERO_FIGURE (beside the text) or
        HERO_FIGURE_UNDER, or as large as keeps it on one line in ``width``
        (never under a card figure's size)."""
        if not card.stat:
            return 1.0
        line = measure(b.text(card.stat), b.font("stat"), 1e5, LEFT).width()
        most = (HERO_FIGURE if beside else HERO_FIGURE_UNDER) / grown
        if line <= 0:
            return most
        return max(1.0, min(most, width / line * 0.98))

    def figure_width(scale: float) -> float:
        """The width of the figure's column beside the text."""
        icon = (ICON if card.stat else ICON_ALONE) * g.unit
        if not card.stat:
            return icon
        share = inner_width * FIGURE_SHARE
        line = measure(b.text(card.stat), b.font("stat", scale), 1e5, LEFT).width()
        return max(icon, min(share, math.ceil(line) + 2))

    def figure(x: float, y: float, width: float, beside: bool
               ) -> tuple[list[TextItem], IconItem, float]:
        """The icon and the figure from (x, y) in ``width``: the icon above
        the figure in a column beside the text, before it on a row above
        the text; returns where they end."""
        size = (ICON if card.stat else ICON_ALONE) * g.unit
        icon = IconItem(QRectF(x, y, size, size), card.icon, b.palette.accent)
        if not card.stat:
            return [], icon, y + size
        if beside:
            item = b.block(card.stat, "stat", x, y + size + 12 * g.unit, width,
                           scale=figure_scale(width), color=b.palette.accent)
            return [item], icon, item.rect.bottom()
        fx = x + size + 28 * g.unit
        item = b.block(card.stat, "stat", fx, y, x + width - fx,
                       scale=figure_scale(x + width - fx, False), color=b.palette.accent)
        # The icon in the middle of the figure's first line's height.
        icon.rect.moveTop(y + max(0.0, (min(item.rect.height(), size * 1.6) - size) / 2))
        return [item], icon, max(item.rect.bottom(), icon.rect.bottom())

    def words(x: float, y: float, width: float, scale: float) -> list[TextItem]:
        """The heading and the text under it."""
        items = []
        for key, role, color, after in ((card.heading, "heading", b.palette.text, 16),
                                        (card.body, "body", b.palette.text_muted, 0)):
            if key:
                items.append(b.block(key, role, x, y, width, scale=max(scale, b.floor(role)),
                                     color=color))
                y = items[-1].rect.bottom() + after * g.unit
        return items

    def card_items(option: str, top: float, scale: float
                   ) -> tuple[list[TextItem], IconItem, float]:
        """Every item of the card with its content's top at ``top``; returns
        them with the content's height."""
        x = body.left() + pad
        if option == "under":
            figs, icon, end = figure(x, top, inner_width, False)
            texts = words(x, end + 24 * g.unit, inner_width, scale)
            return figs + texts, icon, bottom_of(texts, end) - top
        column = figure_width(figure_scale(inner_width * FIGURE_SHARE))
        figs, icon, end = figure(x, top, column, True)
        wx = x + column + gap
        texts = words(wx, top, body.right() - pad - wx, scale)
        # The shorter of the two columns in the middle of the taller's height.
        tall = bottom_of(texts, top) - top
        short = end - top
        moved = [icon.rect, *(f.rect for f in figs)] if short < tall \
            else [t.rect for t in texts]
        for rect in moved:
            rect.translate(0, abs(tall - short) / 2)
        return figs + texts, icon, max(tall, short)

    def fits(option: str, scale: float) -> bool:
        items, _, height = card_items(option, body.top() + pad, scale)
        if not all(i.fits for i in items) or height + 2 * pad > body.height() + EPS:
            return False
        if b.large and option == "beside":
            texts = [i for i in items if i.role != "stat"]
            least = LARGE_MIN_MEASURE * b.font("body", scale).pixelSize()
            return not texts or texts[0].rect.width() >= least
        return True

    option, scale, ok = b.arranged(options, fits, max(1.0, grow),
                                   least=b.least("stat", "heading", "body"))
    need = card_items(option, body.top() + pad, scale)[2] + 2 * pad

    def place(top: float, grown: Sequence[float]) -> float:
        """The panel from ``top``, ``grown[0]`` taller than its content
        needs, the content in the middle of it; returns where it ends."""
        extra = grown[0] if grown else 0.0
        items, icon, _ = card_items(option, top + pad + extra / 2, scale)
        b.panel(QRectF(body.left(), top, body.width(), need + extra))
        b.out.decor.append(icon)
        b.add(items, ok)
        return top + need + extra

    return Rows(need, [need], place, scale)
