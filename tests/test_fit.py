"""Every text element fits its box, on every deck (tests/decks.py), at every
screen size, in every language,
with and without subtitles (the other language under titles and key sentences),
and with large text (issue 6)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF

from conftest import SIZES
from decks import DECKS, deck_choice
from taixin_kiosk.core.access import LARGE_TEXT
from taixin_kiosk.ui.layout.items import IconItem, ImageItem, PanelItem
from taixin_kiosk.ui.layout.text import text_fits


def _overlap(a: QRectF, b: QRectF) -> bool:
    inter = a.intersected(b)
    # Touching edges (sub-pixel rounding) is not an overlap.
    return inter.width() > 1.0 and inter.height() > 1.0


@pytest.mark.parametrize("subtitles", [False, True], ids=["plain", "subtitles"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("deck", DECKS)
def test_every_text_fits(make_app, deck, size, subtitles):
    built = make_app(size, choice=deck_choice(deck))
    built.window.setFixedSize(*size)
    built.localizer.set_subtitles(subtitles)
    problems = _problems(built, subtitles)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("subtitles", [False, True], ids=["plain", "subtitles"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("deck", DECKS)
def test_every_text_fits_with_large_text(make_app, deck, size, subtitles):
    """Large text reflows every slide rather than clip: the same checks hold
    (how much larger the text gets is tests/test_large_text.py's)."""
    built = make_app(size, choice=deck_choice(deck), large_text=True)
    built.window.setFixedSize(*size)
    built.localizer.set_subtitles(subtitles)
    assert built.window.stage.look.text_scale == LARGE_TEXT
    problems = _problems(built, subtitles)
    assert not problems, "\n".join(problems)


def _problems(built, subtitles: bool) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    for locale in built.localizer.locales:
        built.localizer.set_locale(locale)
        for button in built.window.controls.buttons.values():
            if button.isVisible() and not button.label_fits():
                problems.append(f"{locale} control {button.objectName()}: {button.text()!r}")
        if not built.window.controls.counter.fits():
            problems.append(f"{locale} counter")
        for index, slide in enumerate(built.content.pack.deck.slides):
            built.navigator.go(index)
            built.app.processEvents()  # let the chart lay itself out, as on screen
            view = built.window.stage.current_view
            views = [view]
            if slide.map is not None:
                views = []
                for area in [None, *(a.id for a in slide.map.areas)]:
                    view.select_area(area)
                    views.append(view)
                    problems.extend(_check(view, f"{locale} {slide.id} [{area}]"))
                view.select_area(None)
                continue
            problems.extend(_check(view, f"{locale} {slide.id}"))
            if subtitles and slide.title:
                title = next(t for t in view.layout_items.texts if t.key == slide.title)
                if not title.second_text:
                    problems.append(f"{locale} {slide.id}: no second line under the title")
            chart = view.chart
            if chart is not None:
                bounds = QRectF(chart.rect()).adjusted(-1, -1, 1, 1)
                for text, box in chart.text_boxes():
                    if not bounds.contains(box):
                        problems.append(f"{locale} {slide.id} chart label {text!r} {box}"
                                        f" outside {bounds}")
                for text, box, axis in chart.axis_label_boxes():
                    if not axis.adjusted(-1, -1, 1, 1).contains(box):
                        problems.append(f"{locale} {slide.id} axis label {text!r} {box}"
                                        f" outside its axis {axis}")
    return problems


def _check(view, where: str) -> list[str]:
    out = []
    layout = view.layout_items
    stage = QRectF(0, 0, view.width(), view.height())
    texts = layout.texts
    for item in texts:
        if not item.text.strip():
            out.append(f"{where}: empty text for {item.key}")
        if not item.fits or not text_fits(item):
            out.append(f"{where}: {item.key} does not fit {item.rect}: {item.text!r}")
        if not stage.contains(item.rect):
            out.append(f"{where}: {item.key} leaves the slide {item.rect}")
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if _overlap(a.rect, b.rect):
                out.append(f"{where}: {a.key} overlaps {b.key}")
    for item in layout.decor:
        for text in texts:
            # Nothing under an icon or the emblem (the quotation mark's box
            # reaches into the first line's leading by design; the cover's
            # illustration is the background), and no text across a panel's
            # edge: in a card or the map entirely, or outside it.
            under = (isinstance(item, IconItem) and item.name != "quote-mark")\
                or (isinstance(item, ImageItem) and item.mode == "contain")
            if under and _overlap(text.rect, item.rect):
                out.append(f"{where}: {text.key} under {item}")
            if isinstance(item, PanelItem) and _overlap(text.rect, item.rect)\
                    and not item.rect.adjusted(-1, -1, 1, 1).contains(text.rect):
                out.append(f"{where}: {text.key} across the edge of {item.rect}")
    if layout.chart_rect is not None:
        for item in texts:
            if _overlap(item.rect, layout.chart_rect):
                out.append(f"{where}: {item.key} overlaps the chart")
        if layout.chart_rect.height() < view.height() * 0.2:
            out.append(f"{where}: the chart is squeezed to {layout.chart_rect}")
    return out
