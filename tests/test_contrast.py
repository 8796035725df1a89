"""WCAG 2.2 AA contrast: every colour against every ground it is drawn on, in
every theme, from the one table in ui/theme.py; the table covers every
colour the views draw; text over the cover's pictures, measured in pixels."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from conftest import SIZES
from decks import DECKS, deck_choice
from taixin_kiosk.ui import theme
from taixin_kiosk.ui.layout.items import ImageItem
from taixin_kiosk.ui.theme import (
    CONTRAST_MINIMUM,
    CONTRAST_PAIRS,
    GROUNDS,
    HIGH_CONTRAST_DECOR,
    PALETTES,
    THEMES,
    Palette,
    large_roles,
)

# Every module that paints: the widgets, the staff screens and the console.
PACKAGE = Path(theme.__file__).parent.parent
VIEWS = [*sorted((PACKAGE / "ui").rglob("*.py")), PACKAGE / "kiosk" / "screens.py",
         *(PACKAGE / "presenter" / f"{name}.py"
           for name in ("console", "previews", "overlays", "common"))]


def _linear(channel: float) -> float:
    c = channel / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    """WCAG 2.2 relative luminance of an opaque sRGB colour."""
    return (0.2126 * _linear(colour.red()) + 0.7152 * _linear(colour.green())
            + 0.0722 * _linear(colour.blue()))


def ratio(a: QColor, b: QColor) -> float:
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def over(top: QColor, under: QColor) -> QColor:
    """``top`` composited over the opaque ``under`` (source-over)."""
    a = top.alphaF()
    return QColor(*(round(t * a + u * (1 - a)) for t, u in
                    ((top.red(), under.red()), (top.green(), under.green()),
                     (top.blue(), under.blue()))))


def ground(stack: tuple[str, ...], palette: Palette) -> QColor:
    bottom = getattr(palette, stack[0])
    assert bottom.alpha() == 255, f"{stack}: the bottom layer {stack[0]} must be opaque"
    colour = QColor(bottom)
    for layer in stack[1:]:
        colour = over(getattr(palette, layer), colour)
    return colour


def minimum(kind: str, theme_name: str) -> float:
    if kind == "decor" and theme_name == "high-contrast":
        return HIGH_CONTRAST_DECOR
    return CONTRAST_MINIMUM[kind]


def measured(theme_name: str) -> list[tuple[float, float, str]]:
    """(ratio, minimum, description) of every pair on every ground stack."""
    palette = PALETTES[theme_name]
    out = []
    for pair in CONTRAST_PAIRS:
        for name in pair.grounds:
            for stack in GROUNDS[name]:
                under = ground(stack, palette)
                colour = over(getattr(palette, pair.colour), under)
                out.append((ratio(colour, under), minimum(pair.kind, theme_name),
                            f"{pair.colour} ({pair.kind}: {pair.what}) on {name} "
                            f"{'+'.join(stack)}"))
    return out


def test_ratio_matches_wcag_reference_values():
    assert ratio(QColor("#000000"), QColor("#FFFFFF")) == pytest.approx(21.0)
    assert ratio(QColor("#777777"), QColor("#FFFFFF")) == pytest.approx(4.48, abs=0.01)
    assert ratio(QColor("#767676"), QColor("#FFFFFF")) == pytest.approx(4.54, abs=0.01)
    half = QColor(255, 255, 255, 128)
    assert over(half, QColor("#000000")).red() == 128


@pytest.mark.parametrize("theme_name", list(THEMES))
def test_every_colour_meets_its_minimum_on_every_ground(theme_name):
    failures = [f"{r:.2f} < {need}: {what}" for r, need, what in measured(theme_name)
                if r < need]
    assert not failures, f"theme {theme_name}:\n" + "\n".join(failures)


def test_high_contrast_is_at_least_as_strong_as_standard_for_text():
    standard = {what: r for r, _, what in measured("standard")}
    high = {what: r for r, _, what in measured("high-contrast")}
    weaker = [f"{what}: {high[what]:.2f} < {standard[what]:.2f}" for what in standard
              if what.split(" (")[1].startswith("text") and high[what] < standard[what]]
    assert not weaker, "\n".join(weaker)


def _palette_uses() -> dict[str, set[str]]:
    uses: dict[str, set[str]] = {}
    for path in VIEWS:
        if path.name == "theme.py":
            continue
        for attr in re.findall(r"\bpalette\.([a-z_0-9]+)", path.read_text(encoding="utf-8")):
            uses.setdefault(attr, set()).add(path.name)
    return uses


def test_the_table_declares_every_colour_the_views_draw():
    uses = _palette_uses()
    assert {"text", "accent", "axis", "chart_rest", "map_area"} <= set(uses),\
        "the scan found too little: has the palette been renamed?"
    declared = {p.colour for p in CONTRAST_PAIRS} |\
        {layer for stacks in GROUNDS.values() for stack in stacks for layer in stack}
    missing = {attr: files for attr, files in uses.items() if attr not in declared}
    assert not missing, ("colours drawn without a contrast pair in ui/theme.py "
                         f"CONTRAST_PAIRS or GROUNDS: {missing}")


def test_the_table_names_real_colours_grounds_and_kinds():
    palette = set(Palette._fields)
    for pair in CONTRAST_PAIRS:
        assert pair.colour in palette, pair
        assert pair.kind in CONTRAST_MINIMUM, pair
        assert pair.grounds and all(g in GROUNDS for g in pair.grounds), pair
    for name, stacks in GROUNDS.items():
        for stack in stacks:
            assert set(stack) <= palette, (name, stack)
    for name, colours in THEMES.items():
        assert set(colours) <= palette, f"theme {name} sets unknown colours"


# Colours in views that are deliberately not the theme's, and why.
UNTHEMED = {
    # The presenter's console, on the laptop, not the public screen: its pace
    # colours, dimming and scroll bar.
    "console.py": 7,
    "previews.py": 3,
    "overlays.py": 1,
    # The black and white screen keys are black and white in every theme.
    "screen_cover.py": 2,
    # The PIN pad's touch circles: the accent, translucent.
    "screens.py": 1,
}


def test_views_draw_no_colour_of_their_own():
    """Text and marks take their colours from the palette, so themes control them."""
    found = {}
    for path in VIEWS:
        if path.name == "theme.py":
            continue
        source = path.read_text(encoding="utf-8")
        count = sum(1 for line in source.splitlines()
                    if re.search(r"QColor\(|rgba?\(|#[0-9A-Fa-f]{6}\b|Qt\.GlobalColor", line))
        if count:
            found[path.name] = count
    assert found == UNTHEMED


def test_large_text_is_what_stays_large_after_shrinking():
    large = large_roles()
    # Reading text is body text: 4.5:1, whatever its nominal size.
    assert not large & {"body", "small", "lead", "kicker", "subtitle", "control"}
    assert {"display", "title"} <= large


def _lum(rgb: np.ndarray) -> np.ndarray:
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def _pixels(image: QImage, box: QRect) -> np.ndarray:
    rgb = image.copy(box).convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    raw = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=stride * height)
    return raw.reshape(height, stride)[:, :width * 3].reshape(height, width, 3) / 255.0


def worst_ratio(bare: QImage, drawn: QImage, rect: QRectF, colour: QColor) -> float | None:
    """The lowest contrast of ``colour`` against what lies under its glyphs:
    the pixels of ``bare`` (the slide without text) within two pixels of
    where ``drawn`` (with text) differs from it, inside ``rect``."""
    box = rect.toAlignedRect().intersected(bare.rect())
    if box.isEmpty():
        return None
    under, over_ = _pixels(bare, box), _pixels(drawn, box)
    ink = np.abs(over_ - under).max(axis=2) > 0.08
    padded = np.pad(ink, 2)
    height, width = ink.shape
    near = np.zeros_like(ink)
    for dy in range(5):
        for dx in range(5):
            near |= padded[dy:dy + height, dx:dx + width]
    if not near.any():
        return None
    behind = under[near]
    a = colour.alphaF()
    fg = np.array([colour.redF(), colour.greenF(), colour.blueF()]) * a + behind * (1 - a)
    lf, lb = _lum(fg), _lum(behind)
    return float(np.min((np.maximum(lf, lb) + 0.05) / (np.minimum(lf, lb) + 0.05)))


def _render(view) -> QImage:  # type: ignore[no-untyped-def]
    image = QImage(view.width(), view.height(), QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        view.paint(painter)
    finally:
        painter.end()
    return image


@pytest.mark.parametrize("variants", [
    ((False,), (False,)),
    pytest.param(((False, True), (False, True)), marks=pytest.mark.slow),
], ids=["plain", "large-text-and-subtitles"])
@pytest.mark.parametrize("theme_name", list(THEMES))
@pytest.mark.parametrize("deck", DECKS)
def test_text_over_pictures_keeps_its_contrast(make_app, qtbot, deck, theme_name, variants):
    """The cover's text sits beside, and partly over, its illustration: measured
    against the picture's pixels under each line's glyphs, at every size, in
    every language, with subtitles and large text too."""
    from conftest import settle

    built = make_app((1920, 1080), choice=deck_choice(deck))
    built.access.set(built.access.current._replace(high_contrast=theme_name == "high-contrast"))
    if theme_name == "print":
        # Only export asks for it (--print), for slides on paper.
        built.window.set_viewing(seated=True, theme="print")
    assert built.window.look.theme == theme_name
    large = large_roles()
    problems = []
    seen = 0
    slides = [i for i, s in enumerate(built.content.pack.deck.slides)
              if s.image is not None or s.emblem is not None]
    assert slides
    for big, subtitles, size, locale in itertools.product(*variants, SIZES,
                                                          built.localizer.locales):
        built.access.set(built.access.current._replace(large_text=big))
        built.localizer.set_subtitles(subtitles)
        built.localizer.set_locale(locale)
        for index in slides:
            view = built.window.stage.view(index)
            view.resize(*size)
            pictures = [d.path for d in view.layout_items.decor if isinstance(d, ImageItem)]
            view._picture_cache.preload(dict.fromkeys(pictures))
            settle(built, qtbot)
            qtbot.waitUntil(lambda v=view, p=pictures: all(
                v._picture_cache.get(path) is not None for path in p))
            # The slide as painted, and again with its text made invisible:
            # what the text is read against.
            drawn = _render(view)
            texts = view.layout_items.texts
            colours = [(t.color, t.second_color) for t in texts]
            for t in texts:
                t.color = t.second_color = QColor(0, 0, 0, 0)
            try:
                bare = _render(view)
            finally:
                for t, (first, second) in zip(texts, colours, strict=True):
                    t.color, t.second_color = first, second
            for t in texts:
                lines = [(t.first_rect(), t.color, t.role)]
                if t.second_text:
                    lines.append((t.second_rect(), t.second_color, "second"))
                for rect, colour, role in lines:
                    r = worst_ratio(bare, drawn, rect, colour)
                    if r is None:
                        continue
                    seen += 1
                    need = 3.0 if role in large else 4.5
                    if r < need:
                        problems.append(f"{size} {locale} large={big} subtitles={subtitles} "
                                        f"{view.slide.id} {t.key or t.text!r}: {r:.2f} < {need}")
    assert seen > 20, "too little text over a picture was measured"
    assert not problems, "\n".join(problems)


COVER_SIZES = [(1080, 1920), (1080, 1800), (1080, 1700), (900, 1600), (768, 1366),
               (1920, 1080)]


def _shown_share(window, view) -> float:  # type: ignore[no-untyped-def]
    """The share of the cover picture's box, as the window shows it, whose
    pixels are not the slide's plain ground (the picture drawn there)."""
    from taixin_kiosk.ui.slide_view import paint_background

    box = next(d.rect for d in view.layout_items.decor if isinstance(d, ImageItem))
    box = box.toAlignedRect().intersected(view.rect())
    ground_only = QImage(view.width(), view.height(), QImage.Format.Format_RGB32)
    painter = QPainter(ground_only)
    try:
        paint_background(painter, QRectF(view.rect()), view.look.palette)
    finally:
        painter.end()
    shown = window.grab().toImage().copy(QRect(view.mapTo(window, box.topLeft()), box.size()))
    differs = np.abs(_pixels(shown, shown.rect()) - _pixels(ground_only, box)).max(axis=2)
    return float(np.mean(differs > 6 / 255))


def test_the_cover_picture_stays_in_view(make_app, qtbot):
    """The veil that keeps text readable over the cover's picture hides only
    what is behind the text: on tall screens with large text and the access
    strip open, the picture below the text is still there to see."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from conftest import settle

    built = make_app((1080, 1920))
    window = built.window
    assert built.navigator.index == 0
    problems = []
    for size, big, strip, locale in itertools.product(
            COVER_SIZES, (False, True), (False, True), built.localizer.locales):
        built.access.set(built.access.current._replace(large_text=big))
        built.localizer.set_locale(locale)
        window.resize(*size)
        if window.access_bar.isVisible() != strip:
            QTest.keyClick(window, Qt.Key.Key_A)
        assert window.access_bar.isVisible() == strip
        settle(built, qtbot)
        view = window.stage.current_view
        qtbot.waitUntil(lambda v=view: v.width() == window.stage.width())
        share = _shown_share(window, view)
        # Most of it on a tall screen (the text ends above it: veiled, it
        # was 0.5%); in landscape the text column lies over its left part.
        if share < (0.5 if size[1] > size[0] else 0.4):
            problems.append(f"{size} {locale} large={big} strip={strip}: {share:.0%} shown")
    assert not problems, "\n".join(problems)
