"""Slides use their canvas (issue 14): on a slide with content, no empty band
across the slide taller than a quarter of it, in any language, at any of the
four sizes, portrait included, on the touch screen and as a seated audience
sees the slides (an export, the presenter's audience window: no controls,
no low reach, the map listing every area with its focus). Measured from what
the layout drew: the ink of every text (not the box it was given), panels,
icons, images, the chart and the map."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF

from conftest import SIZES
from decks import DECKS, deck_choice
from taixin_kiosk.ui.layout.items import SlideLayout, TextItem

# The tallest empty band a slide may have, as a share of its height.
MAX_BAND = 0.25


def ink(item: TextItem) -> list[QRectF]:
    """Where a text item's glyphs are, by its alignment inside its box."""
    boxes = [(item.text, item.font, item.first_rect())]
    if item.second_text:
        boxes.append((item.second_text, item.second_font, item.second_rect()))
    return [QRectF(QFontMetricsF(font).boundingRect(box, item.flags, text))
            for text, font, box in boxes if text.strip()]


def occupied(layout: SlideLayout) -> list[QRectF]:
    rects = [r for item in layout.texts for r in ink(item)]
    rects += [item.rect for item in layout.decor]
    rects += [r for r in (layout.chart_rect, layout.map_rect) if r is not None]
    return [r for r in rects if r.height() > 0 and r.width() > 0]


def tallest_band(layout: SlideLayout) -> tuple[float, float]:
    """(top, height) of the tallest horizontal band with nothing in it,
    edges of the slide included."""
    spans = sorted((max(0.0, r.top()), min(layout.height, r.bottom())) for r in occupied(layout))
    best, edge = (0.0, spans[0][0] if spans else layout.height), 0.0
    for top, bottom in spans:
        if top - edge > best[1]:
            best = (edge, top - edge)
        edge = max(edge, bottom)
    if layout.height - edge > best[1]:
        best = (edge, layout.height - edge)
    return best


def band_problems(built, where: str) -> list[str]:  # type: ignore[no-untyped-def]
    problems = []
    for locale in built.localizer.locales:
        built.localizer.set_locale(locale)
        for index, slide in enumerate(built.content.pack.deck.slides):
            built.navigator.go(index)
            built.app.processEvents()
            layout = built.window.stage.current_view.layout_items
            top, height = tallest_band(layout)
            if height > MAX_BAND * layout.height:
                problems.append(f"{where} {locale} {slide.id}: an empty band"
                                f" {height / layout.height:.0%} of the slide tall at y={top:.0f}")
    return problems


def test_band_measure_sees_gaps_and_edges() -> None:
    from PySide6.QtGui import QColor

    from taixin_kiosk.ui.layout.items import BarItem

    layout = SlideLayout(1000, 1000)
    assert tallest_band(layout) == (0.0, 1000)
    layout.decor.append(BarItem(QRectF(0, 100, 10, 100), QColor("red")))
    layout.decor.append(BarItem(QRectF(500, 700, 10, 50), QColor("red")))
    assert tallest_band(layout) == (200.0, 500.0)
    layout.chart_rect = QRectF(0, 150, 900, 500)
    assert tallest_band(layout) == (750.0, 250.0)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("deck", DECKS)
def test_no_slide_has_an_empty_band_over_a_quarter(make_app, deck, size):
    built = make_app(size, choice=deck_choice(deck))
    built.window.setFixedSize(*size)
    problems = band_problems(built, f"{deck} {size[0]}x{size[1]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("deck", DECKS)
def test_no_seated_slide_has_an_empty_band_over_a_quarter(make_app, deck, size):
    """The layout export and the presenter's audience window draw: the
    slide fills the window, with no touch hints and no low reach."""
    built = make_app(size, choice=deck_choice(deck))
    audience = built.session.audience
    audience.set_viewing(seated=True)
    audience.lay_out_offscreen(*size, chrome=False)
    stage = built.window.stage
    assert stage.look.seated and not stage.look.low_reach
    assert (stage.width(), stage.height()) == size
    problems = band_problems(built, f"{deck} {size[0]}x{size[1]} seated")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("large", [False, True], ids=["usual", "large-text"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("deck", DECKS)
def test_the_headings_of_a_row_of_cards_line_up(make_app, deck, size, large):
    """In a row of cards every heading starts at one height, whether a card
    has a figure or not: over its figure's slot at the usual size, first in
    its card (the figure after it) where the slide reflows or text is large."""
    from taixin_kiosk.ui.layout.items import PanelItem

    built = make_app(size, choice=deck_choice(deck), large_text=large)
    built.window.setFixedSize(*size)
    problems = []
    checked = 0
    for locale in built.localizer.locales:
        built.localizer.set_locale(locale)
        for index, slide in enumerate(built.content.pack.deck.slides):
            if slide.type != "cards" or len(slide.cards) < 2:
                continue
            built.navigator.go(index)
            built.app.processEvents()
            layout = built.window.stage.current_view.layout_items
            panels = [d.rect for d in layout.decor if isinstance(d, PanelItem)]
            headings = {c.heading for c in slide.cards}
            rows: dict[int, list[float]] = {}
            for item in layout.texts:
                if item.key not in headings:
                    continue
                panel = next(p for p in panels if p.contains(item.rect.center()))
                rows.setdefault(round(panel.top()), []).append(item.rect.top())
            for tops in rows.values():
                checked += len(tops) > 1
                if max(tops) - min(tops) > 1.0:
                    problems.append(f"{locale} {slide.id}: headings at"
                                    f" {', '.join(f'{t:.0f}' for t in tops)}")
    assert checked, "no row of two cards or more"
    assert not problems, "\n".join(problems)
