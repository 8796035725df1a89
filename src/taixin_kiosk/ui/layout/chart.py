"""The chart slide: the chart's panel (the chart widget is placed in
``chart_rect``) and the points beside or above it, with low reach's variant.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF

from taixin_kiosk.content.chart_check import same_words
from taixin_kiosk.ui.layout.balance import Mark
from taixin_kiosk.ui.layout.builder import (
    CHART_MIN_SHARE,
    CHART_MIN_SHARE_LARGE,
    Builder,
    Overflow,
)
from taixin_kiosk.ui.layout.items import PanelItem, TextItem


def own_title(b: Builder) -> str | None:
    """The chart's title key, if it has one that does not repeat the
    slide's title or lead in this language (``validate`` warns of those)."""
    chart = b.slide.chart
    if chart is None or chart.title is None:
        return None
    shown = b.text(chart.title)
    if any(key is not None and same_words(shown, b.text(key))
           for key in (b.slide.title, b.slide.lead)):
        return None
    return chart.title


def chart_head(b: Builder, x: float, y: float, width: float) -> list[TextItem]:
    """The chart's own title (unless it repeats the slide's) and, for an
    approximate chart not drawn as figures (those tag each figure), the
    "approximate" tag: on the title's line right after it where it fits,
    else under it, so that it reads as the chart's."""
    chart = b.slide.chart
    if chart is None:
        return []
    head: list[TextItem] = []
    if (key := own_title(b)) is not None:
        head.append(b.block(key, "heading", x, y, width, scale=0.8, tight=True))
    if not chart.approximate or chart.drawn_as_figures:
        return head
    tag = b.block("ui.chart.approximate", "small", x, y, width, color=b.palette.accent,
                  tight=True)
    if head:
        title = head[0].rect
        gap = 16 * b.grid.unit
        one_line = title.height() < 1.5 * QFontMetricsF(head[0].font).lineSpacing()
        if one_line and title.right() + gap + tag.rect.width() <= x + width:
            tag.rect.moveLeft(title.right() + gap)
            tag.rect.moveBottom(title.bottom() - (title.height() - tag.rect.height()) / 2)
        else:
            tag.rect.moveTop(title.bottom() + 4 * b.grid.unit)
    head.append(tag)
    return head


def build_chart(b: Builder) -> None:
    """A chart slide: the header, then the chart's panel and the points."""
    s, g = b.slide, b.grid
    texts, decor = len(b.out.texts), len(b.out.decor)
    body = b.header(b.content(), s.title, s.lead)
    header = [*b.out.texts[texts:]], [*b.out.decor[decor:]]
    if not s.points:
        _chart_and_points(b, body, 1.0 if g.portrait else 0.0)
        if b.low_reach and g.portrait:
            _balance_header(b, *header)
        return
    # Large text: the points take a larger share of the slide, the chart
    # keeping a readable height (see CHART_MIN_SHARE_LARGE).
    options = [0.58, 0.53, 0.48, 0.43, 0.38] if g.portrait \
        else [0.38, 0.43, 0.48, 0.53, 0.58]
    b.first_fitting(options, partial(_chart_and_points, b, body))


def _balance_header(b: Builder, texts: Sequence[TextItem], decor: Sequence[object]) -> None:
    """Low reach on a portrait screen puts a chart without points below the
    reach line: the header comes down half the way to it, so the slide is not
    a title over an empty band over a chart."""
    panels = [item.rect for item in b.out.decor if isinstance(item, PanelItem)]
    if not texts or not panels:
        return
    bottom = max(item.rect.bottom() for item in texts)
    gap = min(r.top() for r in panels) - b.grid.gutter - bottom
    if gap <= 0:
        return
    for item in texts:
        item.rect.translate(0, gap / 2)
    for extra in decor:
        rect = getattr(extra, "rect", None)
        if isinstance(rect, QRectF):
            rect.translate(0, gap / 2)


def _chart_and_points(b: Builder, body: QRectF, share: float) -> None:
    """The chart's panel and the points: the panel's share of the height
    on a portrait screen, the points' share of the width on a landscape one."""
    s, g = b.slide, b.grid
    chart_spec = s.chart
    if b.low_reach:
        _chart_low(b, body, share)
        return
    if g.portrait:
        panel = QRectF(body.left(), body.top(), body.width(),
                       body.height() * _portrait_share(b, body, share))
        side = QRectF(body.left(), panel.bottom() + g.gutter * 1.5, body.width(),
                      body.bottom() - panel.bottom() - g.gutter * 1.5)
    else:
        side_w = body.width() * share
        side = QRectF(body.left(), body.top(), side_w, body.height())
        left = side.right() + (g.gutter * 1.5 if s.points else 0.0)
        panel = QRectF(left, body.top(), body.right() - left, body.height())
    b.panel(panel)
    pad = 28 * g.unit
    inner = panel.adjusted(pad, pad, -pad, -pad)
    top = inner.top()
    bottom = inner.bottom()
    if chart_spec is not None:
        head = chart_head(b, inner.left(), top, inner.width())
        b.add(head)
        if head:
            top = max(item.rect.bottom() for item in head) + 12 * g.unit
        if chart_spec.note:
            note = b.block(chart_spec.note, "small", inner.left(), 0, inner.width(),
                           color=b.palette.text_muted)
            note.rect.moveBottom(bottom)
            b.add([note])
            bottom = note.rect.top() - 12 * g.unit
    b.out.chart_rect = QRectF(inner.left(), top, inner.width(), max(0.0, bottom - top))
    least = _chart_least(b)
    if b.strict and (bottom - top < least
                     or not all(t.fits for t in b.out.texts)):
        raise Overflow
    _balanced_points(b, side, 0.5 if g.portrait else 0.0)


def _chart_least(b: Builder) -> float:
    """The least height of the chart's plot: more under large text, whose
    labels are larger too (a slide reflowed at the usual size keeps the
    usual least)."""
    g = b.grid
    large = min(g.width, g.height) * CHART_MIN_SHARE_LARGE if b.text_scale > 1.0 else 0.0
    return max(g.height * CHART_MIN_SHARE, large)


def _chart_low(b: Builder, body: QRectF, share: float) -> None:
    """Low reach: the chart's plot, whose marks are tapped, starts below
    the reach line; its title and note sit over it, and the points beside
    it (landscape, the whole height) or above it (portrait)."""
    s, g = b.slide, b.grid
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
        head.extend(chart_head(b, left + pad, y, width))
        if head:
            y = max(item.rect.bottom() for item in head) + 12 * g.unit
        if chart_spec.note:
            head.append(b.block(chart_spec.note, "small", left + pad, y, width,
                                color=b.palette.text_muted))
            y = head[-1].rect.bottom() + 12 * g.unit
    extent = pad + y
    # The panel's usual share of a portrait body, or more where the points
    # leave it the room, unless the plot would then start above the line.
    top = body.bottom() - body.height() * _portrait_share(b, body, share) \
        if g.portrait else body.top()
    top = max(top, b.reach_line() - extent)
    panel = QRectF(left, top, right - left, body.bottom() - top)
    b.panel(panel)
    for item in head:
        item.rect.translate(0, panel.top() + pad)
    b.add(head)
    chart_top = panel.top() + extent
    bottom = panel.bottom() - pad
    b.out.chart_rect = QRectF(left + pad, chart_top, width, max(0.0, bottom - chart_top))
    least = _chart_least(b)
    if b.strict and (bottom - chart_top < least or not all(t.fits for t in head)):
        raise Overflow
    if g.portrait:
        side = QRectF(body.left(), body.top(), body.width(),
                      panel.top() - g.gutter * 1.5 - body.top())
    else:
        side = QRectF(body.left(), body.top(), body.width() * share, body.height())
    _balanced_points(b, side, 0.5 if g.portrait else 0.0)


# A portrait chart's panel grows into the height its points leave, up to this
# share of the body: more would stretch a few bars over the slide, and what
# is left is shared by the gaps around the points (_balanced_points).
FILL_SHARE = 0.75


def _portrait_share(b: Builder, body: QRectF, share: float) -> float:
    """The panel's share of a portrait body: ``share``, or up to FILL_SHARE
    where the points need less than the rest. (Labelled figures keep their
    size whatever the panel's: a taller one would only be emptier.)"""
    chart = b.slide.chart
    if not b.slide.points or body.height() <= 0 or chart is None or chart.kind == "figures":
        return share
    need = b.point_list_height(body.width(), b.slide.points, icon_default="star")
    room = 1.0 - (need + b.grid.gutter * 1.5) / body.height()
    return max(share, min(FILL_SHARE, room))


def _balanced_points(b: Builder, side: QRectF, lower: float) -> None:
    """The points in ``side``, moved down by ``lower`` of the height they
    leave empty: on a portrait screen they sit halfway between the header
    (or the panel) and the panel (or the slide's foot), not over an empty
    band (issue 14: no empty band taller than a quarter of the slide)."""
    mark = Mark(b.out)
    b.point_list(side, b.slide.points, icon_default="star")
    mark.shift(max(0.0, side.bottom() - mark.bottom(side.bottom())) * lower)
