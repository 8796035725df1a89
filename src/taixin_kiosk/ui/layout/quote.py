"""The quote slide: a quotation in its panel, with its attribution, and the
points beside or under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QRectF

from taixin_kiosk.content.deck import Point
from taixin_kiosk.content.quotes import unquoted
from taixin_kiosk.ui.layout.balance import GAP_SHARE, Mark, gaps
from taixin_kiosk.ui.layout.builder import Builder, bottom_of, within
from taixin_kiosk.ui.layout.items import RIGHT, IconItem, TextItem
from taixin_kiosk.ui.theme import MIN_SHRINK, TYPE_MIN, TYPE_SCALE, large_factor

# A quotation is the slide's one statement: it may grow further to fill its panel.
QUOTE_GROW = 1.45
# On a portrait screen, whose height the quotation's panel shares with little
# else, further: up to this factor, while it stays within QUOTE_OVER_TITLE of
# the title's size (the roles' sizes, whatever the type scale).
QUOTE_GROW_PORTRAIT = 1.8
QUOTE_OVER_TITLE = 1.25


def build_quote(b: Builder) -> None:
    """A quote slide: the header, then the quotation and its points."""
    s, g = b.slide, b.grid
    body = b.header(b.content(), s.title, s.lead)
    points = list(s.points)
    if not points:
        _quote_panel(b, body)
        return
    # Large text: the points beside the quote get a wider column, or go
    # under it as on a portrait screen.
    options = [("beside", 0.58), ("beside", 0.5), ("under", 0.56)] if not g.portrait \
        else [("under", 0.56), ("under", 0.48)]
    b.first_fitting(options, partial(_quote_and_points, b, body, points))


def _quote_and_points(b: Builder, body: QRectF, points: Sequence[Point],
                      option: tuple[str, float]) -> None:
    """The quotation's panel and the points, ``option`` saying where they go
    (beside or under it) and the panel's share of the width or height."""
    g = b.grid
    where, share = option
    if where == "beside":
        quote_box = QRectF(body.left(), body.top(), body.width() * share, body.height())
        side = QRectF(quote_box.right() + g.gutter * 1.5, body.top(),
                      body.right() - quote_box.right() - g.gutter * 1.5, body.height())
        _quote_panel(b, quote_box)
        b.point_list(side.adjusted(0, 8 * g.unit, 0, 0), points, icon_default="star")
        return
    # Under it: the panel as tall as its words, the points under it, and the
    # height left spread between them (so neither floats at the top of an
    # empty lower half on a portrait screen).
    quote_box = QRectF(body.left(), body.top(), body.width(), body.height() * share)
    quote = Mark(b.out)
    end = _quote_panel(b, quote_box, to_words=True)
    listed = Mark(b.out)
    side = QRectF(body.left(), end + g.gutter, body.width(), body.bottom() - end - g.gutter)
    b.point_list(side.adjusted(0, 8 * g.unit, 0, 0), points, icon_default="star")
    each, left = gaps(body.bottom() - listed.bottom(end), 3, g.height * GAP_SHARE)
    quote.shift(each + left / 2)  # the panel and the points under it
    listed.shift(each)


def _quote_panel(b: Builder, quote_box: QRectF, to_words: bool = False) -> float:
    """The quotation under its decorative mark, and its attribution in
    ``quote_box`` (``to_words``: in a panel only as tall as they are);
    returns where the panel ends.

    The decorative mark is the quotation's one mark: the words are shown
    without the language's marks (``ui.quote.wrapped``, which the screen
    reader's description keeps, ui.describe) and without marks of their own
    that enclose them whole, in either language."""
    s, g = b.slide, b.grid
    pad = 40 * g.unit
    mark = 70 * g.unit
    inner = quote_box.adjusted(pad, pad + mark * 0.6, -pad, -pad)
    quote = unquoted(b.text(s.quote or ""))
    second = unquoted(b.second_of(s.quote or "", b.text(s.quote or "")))

    # Large text: the quote is set larger than body text and fills its
    # panel; where the doubled attribution and points leave it less room
    # it may grow less, but never below its usual size nor below the
    # (doubled) body text around it, which would turn the hierarchy over.
    floor = None
    if b.large:
        quote_size = TYPE_SCALE["quote"][0] * large_factor("quote", b.text_scale)
        body_size = TYPE_SCALE["body"][0] * large_factor("body", b.text_scale)
        floor = max(1.0 / large_factor("quote", b.text_scale), body_size / quote_size)

    def stack(scale: float) -> list[TextItem]:
        q = b.block("", "quote", inner.left(), inner.top(), inner.width(), scale=scale,
                    text=quote, subtitled=True, second_text=second)
        q.key = s.quote or ""
        a = b.block(s.attribution or "", "body", inner.left(),
                    b.below(q, 26), inner.width(),
                    scale=max(scale, 1.0 if b.large else MIN_SHRINK * b.shrink),
                    color=b.palette.accent, align=RIGHT)
        return [q, a]

    # (The quotation may shrink to its TYPE_MIN, reading text's size, where
    # it is long; its attribution no further than MIN_SHRINK.)
    scale, ok = b.fit_scale(
        lambda sc: within(stack(sc), inner.bottom()), _growth(b), floor,
        least=min(MIN_SHRINK, TYPE_MIN["quote"] / TYPE_SCALE["quote"][0]) * b.shrink)
    items = stack(scale)
    if to_words:
        quote_box = QRectF(quote_box.left(), quote_box.top(), quote_box.width(),
                           min(quote_box.height(), bottom_of(items, inner.top()) + pad
                               - quote_box.top()))
    b.panel(quote_box)
    b.out.decor.append(IconItem(QRectF(quote_box.left() + pad * 0.6,
                                       quote_box.top() + pad * 0.4, mark, mark),
                                "quote-mark", b.palette.accent))
    b.add(items, ok)
    return quote_box.bottom()


def _growth(b: Builder) -> float:
    """How far the quotation may grow beyond its size on the type scale."""
    if not b.grid.portrait or b.large:
        return QUOTE_GROW
    cap = QUOTE_OVER_TITLE * TYPE_SCALE["title"][0] / TYPE_SCALE["quote"][0]
    return max(QUOTE_GROW, min(QUOTE_GROW_PORTRAIT, cap))
