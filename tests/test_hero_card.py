"""A cards slide of one card is the slide's hero (issue 14, layouts chosen by
content): its figure set large, larger than the title, with the heading and
text beside it on a landscape screen and under it on a portrait one, in a
panel as wide as the slide's content, the slide's height used (no empty band
over a quarter of it). The test pack's "purpose" slide is one card with a
figure; a copy of it without the figure shows its icon large instead."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF

from conftest import SIZES
from decks import deck_choice
from taixin_kiosk.ui.layout.items import IconItem, PanelItem, TextItem
from taixin_kiosk.ui.theme import Grid
from test_design import MAX_BAND, tallest_band

SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]


def _lone_card(built, locale: str):  # type: ignore[no-untyped-def]
    """The one-card slide as laid out in ``locale``: the layout, its texts
    by role, the card's panel and its icon."""
    built.localizer.set_locale(locale)
    ids = [s.id for s in built.content.pack.deck.slides]
    built.navigator.go(ids.index("purpose"))
    built.app.processEvents()
    view = built.window.stage.current_view
    layout = view.layout_items
    texts: dict[str, TextItem] = {}
    for item in layout.texts:
        if item.key != view.slide.footer:
            texts.setdefault(item.role, item)
    panel, = [d for d in layout.decor if isinstance(d, PanelItem)]
    icon, = [d for d in layout.decor if isinstance(d, IconItem)]
    return layout, texts, panel.rect, icon.rect


def _inside(inner: QRectF, outer: QRectF) -> bool:
    return outer.adjusted(-0.5, -0.5, 0.5, 0.5).contains(inner)


@pytest.mark.slow
@pytest.mark.parametrize("large", [False, True], ids=["usual", "large-text"])
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_a_lone_card_is_a_hero_figure_with_its_explanation(make_app, size, large):
    built = make_app(size, choice=deck_choice("grand-canal"), large_text=large)
    built.window.setFixedSize(*size)
    for locale in built.localizer.locales:
        layout, texts, panel, icon = _lone_card(built, locale)
        at = f"{locale} {size}"
        grid = Grid(layout.width, layout.height)
        figure, heading, body = texts["stat"], texts["heading"], texts["body"]
        # The figure is the slide's largest text, the title included.
        assert figure.font.pixelSize() > texts["title"].font.pixelSize(), at
        assert all(t.fits for t in texts.values()), at
        # The panel takes the content's width; the card's parts are in it.
        assert panel.width() >= grid.content().width() * 0.9, at
        for rect in (figure.rect, heading.rect, body.rect, icon):
            assert _inside(rect, panel), at
        # Heading and text beside the figure (landscape) or under it.
        if grid.portrait:
            assert heading.rect.top() >= figure.rect.bottom() - 0.5, at
        elif not large:
            assert heading.rect.left() >= figure.rect.right(), at
        assert body.rect.top() >= heading.rect.bottom() - 0.5, at
        top, height = tallest_band(layout)
        assert height <= MAX_BAND * layout.height, (at, top, height)


def _without_figure(pack: Path) -> None:
    deck_path = pack / "deck.json"
    deck = json.loads(deck_path.read_text(encoding="utf-8"))
    purpose, = [s for s in deck["slides"] if s["id"] == "purpose"]
    purpose["cards"][0].pop("stat")
    deck_path.write_text(json.dumps(deck, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_a_lone_card_without_a_figure_shows_its_icon_large(make_app, grand_canal_copy, size):
    from taixin_kiosk.content.choice import choose

    _without_figure(grand_canal_copy)
    choice = choose(grand_canal_copy)
    assert not choice.problems
    built = make_app(size, choice=choice)
    built.window.setFixedSize(*size)
    for locale in built.localizer.locales:
        layout, texts, panel, icon = _lone_card(built, locale)
        assert "stat" not in texts
        heading, body = texts["heading"], texts["body"]
        # The icon in the figure's place: taller than the heading's line
        # and text's first line together, and before the words.
        lines = heading.font.pixelSize() + body.font.pixelSize()
        assert icon.height() > lines, locale
        if layout.width > layout.height:
            assert heading.rect.left() > icon.right(), locale
        else:
            assert heading.rect.top() > icon.bottom(), locale
        assert _inside(icon, panel) and _inside(body.rect, panel), locale
        assert tallest_band(layout)[1] <= MAX_BAND * layout.height, locale
