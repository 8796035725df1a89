"""The cover slide: kicker, display title and subtitle beside (or over) the
illustration, the emblem above them and the source at the foot; without an
illustration, a statement on a band across the slide.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF

from taixin_kiosk.ui.layout.builder import Builder, bottom_of, within
from taixin_kiosk.ui.layout.items import ImageItem, PanelItem, TextItem
from taixin_kiosk.ui.layout.media import cover_image_box, emblem_side

# How much larger the title of a cover without a picture may be set.
COVER_GROW = 1.5
# A cover without a picture sets its text on a band across the slide, at
# least this share of the stage's height tall, so the slide is not a line of
# text between two empty halves.
BAND_SHARE = 0.54


def _band(b: Builder, top: float, used: float) -> None:
    """The band across the slide behind a block of text from ``top``,
    ``used`` tall, centred on it (its rounded ends past the slide's edges)."""
    g = b.grid
    height = max(used + 2 * g.margin_y, g.height * BAND_SHARE)
    middle = top + used / 2
    radius = 18 * g.unit
    b.out.decor.append(PanelItem(QRectF(-2 * radius, middle - height / 2,
                                        g.width + 4 * radius, height),
                                 b.palette.panel, b.palette.panel_edge, radius))


def build_cover(b: Builder) -> None:
    """The cover: its text column, centred in landscape, with the emblem above
    it, the source at its foot, and the illustration beside or under it."""
    s, g = b.slide, b.grid
    area = b.content()
    if s.image is not None:
        b.out.decor.append(ImageItem(cover_image_box(g, b.large), str(s.image),
                                     "fill-right", 0.95))
    # Large text: a wider column, over the illustration's faded left edge,
    # or on a portrait screen a taller one over a lower illustration.
    pictured = s.image is not None
    col_w = area.width() * (1.0 if g.portrait or not pictured else 0.62 if b.large else 0.56)
    col = QRectF(area.left(), area.top(), col_w,
                 area.height() * ((0.6 if b.large else 0.5) if g.portrait and pictured else 1.0))
    emblem = emblem_side(g)
    has_emblem = s.emblem is not None and b.emblem

    def stack(scale: float) -> list[TextItem]:
        items: list[TextItem] = []
        y = col.top() + (emblem + 30 * g.unit if has_emblem else 0)
        for key, role, color, gap in ((s.kicker, "kicker", b.palette.accent, 18),
                                      (s.title, "display", b.palette.text, 26),
                                      (s.subtitle, "subtitle", b.palette.text_muted, 0)):
            if key:
                size = max(scale, b.floor(role))
                items.append(b.block(key, role, col.left(), y, col.width(),
                                     scale=min(size, b.display_cap(role))
                                     if role == "display" else min(size, 1.0 + (grow - 1.0) / 3),
                                     color=color, subtitled=role != "kicker"))
                y = b.below(items[-1], gap)
        return items

    source = (b.block(s.source, "small", col.left(), 0, col.width(),
                      color=b.palette.text_muted) if s.source else None)
    limit = col.bottom() - (source.rect.height() + 30 * g.unit if source else 0)
    # A cover without a picture is a statement: its title set larger, as a
    # display line (the other lines grow a third as much).
    grow = 1.0 if pictured or b.large else COVER_GROW
    scale, ok = b.fit_scale(
        lambda sc: within(stack(sc), limit), grow, least=b.least("kicker", "display", "subtitle"))
    items = stack(scale)
    # Centre the block vertically in its column; the emblem sits above it.
    used = bottom_of(items, col.top()) - col.top()
    shift = max(0.0, (limit - col.top() - used) / 2)
    if not pictured:
        _band(b, col.top() + shift, used)
    for item in items:
        item.rect.translate(0, shift)
    if s.emblem is not None and has_emblem:
        b.out.decor.append(ImageItem(QRectF(col.left(), col.top() + shift, emblem, emblem),
                                     str(s.emblem)))
    b.add(items, ok)
    if source:
        source.rect.moveTop(col.bottom() - source.rect.height())
        b.add([source])
