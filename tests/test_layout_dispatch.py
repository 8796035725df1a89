"""The layout engine's dispatch: one layout function for every slide type,
and an unknown type fails as it always has."""

from __future__ import annotations

import pytest

from taixin_kiosk.content.deck import SLIDE_TYPES
from taixin_kiosk.ui.layout.build import SLIDE_LAYOUTS, build_layout
from taixin_kiosk.ui.theme import PALETTES


def test_every_slide_type_has_a_layout():
    assert set(SLIDE_LAYOUTS) == set(SLIDE_TYPES)


@pytest.mark.parametrize("text_scale", [1.0, 2.0], ids=["usual", "large"])
def test_an_unknown_slide_type_raises(builtin_choice, text_scale):
    slide = builtin_choice.pack.deck.slides[0]._replace(type="poster")
    with pytest.raises(AttributeError, match="_poster"):
        build_layout(slide, 1920, 1080, "", lambda key, **_: key, text_scale=text_scale,
                     palette=PALETTES["standard"], locale="en")
