"""The map's labels never hide one of its dots (a place, an area, the chosen
area at its larger size), with or without large text, at every size, in both
languages, on every deck (tests/decks.py), with low reach as each size chooses it and forced on."""

from __future__ import annotations

import math

import pytest

from conftest import SIZES
from decks import DECKS, deck_choice
from taixin_kiosk.ui.layout.map_labels import PLATE_PAD, map_dots


def _covered(view) -> list[str]:  # type: ignore[no-untyped-def]
    layout = view.layout_items
    spec = view.slide.map
    assert spec is not None and layout.map_rect is not None
    dots = map_dots(spec, layout.map_rect, view.width(), view.height())
    assert len(dots) == len(spec.areas) + sum(p.kind == "city" for p in spec.places)
    out = []
    for item in layout.texts:
        if item.backing is None:
            continue
        pad = item.font.pixelSize() * PLATE_PAD
        plate = item.rect.adjusted(-pad, -pad * 0.4, pad, pad * 0.4)
        for centre, r in dots:
            nx = min(max(centre.x(), plate.left()), plate.right())
            ny = min(max(centre.y(), plate.top()), plate.bottom())
            depth = r - math.hypot(centre.x() - nx, centre.y() - ny)
            if depth > 0.5:
                out.append(f"{item.text!r} covers the dot at ({centre.x():.0f},"
                           f" {centre.y():.0f}) by {depth:.1f} px")
    return out


@pytest.mark.parametrize("reach", ["auto", "on"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("deck", DECKS)
def test_no_map_label_covers_a_dot(make_app, deck, size, large, reach):
    built = make_app(size, choice=deck_choice(deck), large_text=large, low_reach=reach)
    built.window.setFixedSize(*size)
    maps = [i for i, s in enumerate(built.content.pack.deck.slides) if s.map is not None]
    assert maps
    problems = []
    for locale in built.localizer.locales:
        built.localizer.set_locale(locale)
        for index in maps:
            built.navigator.go(index)
            built.app.processEvents()
            view = built.window.stage.current_view
            for area in [None, *(a.id for a in view.slide.map.areas)]:
                view.select_area(area)
                problems.extend(f"{locale} [{area}] {p}" for p in _covered(view))
            view.select_area(None)
    assert not problems, "\n".join(problems)
