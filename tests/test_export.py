"""Exports are the slide: PNG and PDF show the slide canvas alone, filling
the picture (the control bar and progress line only with --chrome), with no
touch hint for a seated audience (nor in the presenter's audience window);
--print draws them on white in colours that keep their contrast; a contact
sheet puts every slide of a pack on one picture per language and size."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from conftest import SIZES
from decks import DECKS, deck_choice
from taixin_kiosk.export.sheet import cell_rects, grid, sheet_file, thumb_size
from taixin_kiosk.export.slides import export, slide_file
from taixin_kiosk.ui.theme import PALETTES, THEMES
from test_cli import run
from test_contrast import ratio
from test_presenter import present  # noqa: F401 (the fixture)

SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
# Where a seated map lists only its areas' names, measured: none since the
# English zones map at 1280x800 (found in review 2026-12-08) numbers its
# areas and lists every focus (ui.layout.map). Listed, not skipped: a case
# that lists only names fails the test until it is fixed or listed here.
NAMES_ONLY: set[tuple[str, tuple[int, int], str]] = set()
STANDARD = PALETTES["standard"]
PRINT = PALETTES["print"]
WHITE = QColor("#FFFFFF")


def same(a: QColor, b: QColor, tolerance: int = 3) -> bool:
    return all(abs(x - y) <= tolerance for x, y in
               ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue())))


def band_rows(image: QImage, colour: QColor, share: float = 0.15) -> int:
    """How many rows of the picture's bottom ``share`` are all ``colour``
    (sampled every few pixels across): a strip such as the control bar."""
    rows = 0
    xs = range(2, image.width() - 2, 7)
    for y in range(int(image.height() * (1 - share)), image.height()):
        if all(same(image.pixelColor(x, y), colour) for x in xs):
            rows += 1
    return rows


def map_slide(built) -> int:  # type: ignore[no-untyped-def]
    return next(i for i, s in enumerate(built.session.content.pack.deck.slides)
                if s.type == "map")


def shown_keys(built) -> set[str]:  # type: ignore[no-untyped-def]
    """The catalogue keys of the texts painted on the current slide."""
    return {item.key for item in built.window.stage.current_view.layout_items.texts}


# -- the slide alone ------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("deck", DECKS)
def test_exported_pngs_are_the_slide_alone_with_no_touch_hint(make_app, tmp_path, deck, size):
    built = make_app(choice=deck_choice(deck))
    session = built.session
    session.audience.set_viewing(seated=True)
    locale = session.content.pack.locales[0]
    files = export(session, tmp_path, [locale], size)
    window = built.window
    # The stage is the whole picture: no control bar, no strip under it.
    assert not window.controls.isVisible() and not window.access_bar.isVisible()
    assert window.stage.geometry() == window.rect()
    slides = session.content.pack.deck.slides
    assert len(files) == len(slides)
    for index, slide in enumerate(slides):
        image = QImage(str(slide_file(tmp_path, locale, index, slide.id)))
        assert (image.width(), image.height()) == size
        # Nothing of the control bar's colour across the bottom band.
        assert band_rows(image, STANDARD.control_bar) == 0, slide.id
    # The map says nothing of tapping; it lists every area with its focus,
    # in every language.
    index = map_slide(built)
    spec = slides[index].map
    names_only = set()
    for each in session.content.pack.locales:
        session.localizer.set_locale(each)
        session.navigator.go(index)
        keys = shown_keys(built)
        assert spec.hint not in keys, each
        if spec.seated_hint is not None:
            assert spec.seated_hint in keys, each
        assert {a.name for a in spec.areas} <= keys, each
        if not {a.focus for a in spec.areas} <= keys:
            names_only.add((deck, size, each))
        assert not window.stage.current_problems(), each
    assert names_only == {case for case in NAMES_ONLY if case[:2] == (deck, size)}


def test_chrome_brings_the_control_bar_and_the_hint_back(make_app, tmp_path):
    built = make_app()
    session = built.session
    width, height = 1280, 800
    export(session, tmp_path / "plain", ["en"], (width, height))
    session.audience.set_viewing(seated=False)
    export(session, tmp_path / "chrome", ["en"], (width, height), chrome=True)
    window = built.window
    assert window.controls.isVisible()
    bar = window.controls.height()
    slides = session.content.pack.deck.slides
    for index in (0, map_slide(built)):
        name = slide_file(Path(), "en", index, slides[index].id)
        chrome = QImage(str(tmp_path / "chrome" / name))
        assert (chrome.width(), chrome.height()) == (width, height)
        # The bar below the slide: rows of its colour, its height less its
        # buttons' and the progress line's rows.
        assert band_rows(chrome, STANDARD.control_bar, 0.2) >= bar * 0.1
        assert window.stage.height() == height - bar
    # On the touch screen the map still says how to use it.
    session.navigator.go(map_slide(built))
    assert slides[map_slide(built)].map.hint in shown_keys(built)


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_a_kiosk_map_keeps_its_hint_and_the_presenters_audience_does_not(
        make_app, present):  # noqa: F811
    kiosk = make_app()
    kiosk.session.navigator.go(map_slide(kiosk))
    spec = kiosk.session.content.pack.deck.slides[map_slide(kiosk)].map
    assert spec.hint in shown_keys(kiosk)
    assert spec.areas[0].focus not in shown_keys(kiosk)  # opens on a tap
    mode = present()
    talk = mode.built
    talk.session.navigator.go(map_slide(talk))
    assert spec.hint not in shown_keys(talk)
    assert {a.focus for a in spec.areas} <= shown_keys(talk)
    # The console's preview is what the audience sees.
    assert talk.window.look.seated and not talk.window.look.low_reach


# -- print ----------------------------------------------------------------------------


def test_the_print_theme_is_checked_like_every_theme():
    # tests/test_contrast.py checks every theme of THEMES on every ground.
    assert "print" in THEMES
    assert PRINT.background_top == WHITE and PRINT.background_bottom == WHITE
    for colour in (PRINT.text, PRINT.text_muted, PRINT.accent):
        assert ratio(colour, WHITE) >= 4.5


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["1920x1080", "1080x1920"])
@pytest.mark.parametrize("deck", DECKS)
def test_print_exports_are_white_and_readable(make_app, tmp_path, deck, size):
    built = make_app(choice=deck_choice(deck))
    session = built.session
    session.audience.set_viewing(seated=True, theme="print")
    locale = session.content.pack.locales[-1]
    export(session, tmp_path, [locale], size)
    for index, slide in enumerate(session.content.pack.deck.slides):
        image = QImage(str(slide_file(tmp_path, locale, index, slide.id)))
        w, h = image.width(), image.height()
        # White paper wherever no picture is: a slide with one (the cover's
        # illustration runs to its edges) at least in its top left corner.
        corners = [image.pixelColor(x, y) for x in (1, w - 2) for y in (1, h - 2)]
        if slide.image is not None:
            corners = corners[:1]
        assert all(same(c, WHITE, 0) for c in corners), slide.id
        assert band_rows(image, PRINT.control_bar) == 0, slide.id
        session.navigator.go(index)
        assert not built.window.stage.current_problems(), slide.id


def _fills_before_text(content: str) -> list[QColor]:
    """The fill colour in force at each text block of a PDF page."""
    found, colour = [], None
    for match in re.finditer(r"([\d.]+) ([\d.]+) ([\d.]+) scn|\bBT\b", content):
        if match.group(0) == "BT":
            if colour is not None:
                found.append(colour)
        else:
            colour = QColor.fromRgbF(*(float(match.group(i)) for i in (1, 2, 3)))
    return found


def test_pdf_pages_are_the_slide_alone_and_print_on_white(tmp_path):
    from pypdf import PdfReader

    plain, chrome = tmp_path / "plain", tmp_path / "chrome"
    for out, extra in ((plain, ("--print",)), (chrome, ("--chrome",))):
        result = run("export", "--out", str(out), "--lang", "en", "--size", "640x360",
                     "--pdf", *extra)
        assert result.returncode == 0, result.stderr
    # The control bar's labels (words the built-in deck itself never uses).
    controls = ("Previous", "Overview", "Largetext")
    pages = PdfReader(plain / "en.pdf").pages
    assert len(pages) == len(list((plain / "en").glob("*.png")))
    for page in pages:
        assert [float(v) for v in page.mediabox] == [0, 0, 480, 270]
        text = "".join(page.extract_text().split())
        assert not any(word in text for word in controls), text
        # The ground: the page-wide gradient from white to white.
        patterns = [pattern.get_object() for pattern in page["/Resources"]["/Pattern"].values()]
        shadings = [p["/Shading"].get_object() for p in patterns if "/Shading" in p]
        full = [s for s in shadings if list(s["/Coords"]) == [0, 0, 640, 360]]
        assert full and all(list(s["/Function"].get_object()["/C0"]) == [1, 1, 1]
                            and list(s["/Function"].get_object()["/C1"]) == [1, 1, 1]
                            for s in full)
        content = page.get_contents().get_data().decode("latin-1")
        for colour in _fills_before_text(content):
            assert ratio(colour, WHITE) >= 4.5, colour.name()
    with_bar = "".join(PdfReader(chrome / "en.pdf").pages[0].extract_text().split())
    assert all(word in with_bar for word in controls), with_bar


# -- contact sheets ---------------------------------------------------------------------


def drawn(sheet: QImage, rect, ground: QColor) -> bool:  # type: ignore[no-untyped-def]
    """A slide is in ``rect``: its picture's own colours, not the sheet's ``ground``."""
    r = rect.toRect()
    return any(not same(sheet.pixelColor(x, y), ground)
               for x in range(r.left() + 4, r.right() - 4, 11)
               for y in range(r.top() + 4, r.bottom() - 4, 11))


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["1920x1080", "1080x1920"])
def test_contact_sheet_has_a_cell_per_slide(tmp_path, size):
    width, height = size
    result = run("export", "--out", str(tmp_path), "--size", f"{width}x{height}",
                 "--contact-sheet")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "en").exists()  # the sheets instead of one PNG a slide
    from taixin_kiosk.content.choice import choose

    count = len(choose(None).pack.deck.slides)
    thumb = thumb_size(size)
    cols, rows = grid(count, thumb)
    assert cols * rows >= count > cols * (rows - 1)
    if height > width:
        assert cols > rows  # a portrait deck's sheet is still wide
    cells = cell_rects(count, size, cols * rows)
    for locale in ("en", "zh-CN"):
        sheet = QImage(str(sheet_file(tmp_path, locale, size)))
        ground = sheet.pixelColor(2, 2)
        assert same(ground, STANDARD.control_bar)
        filled = [drawn(sheet, rect, ground) for rect in cells]
        assert filled == [True] * count + [False] * (len(cells) - count)
        # Every thumbnail has the slide's shape and the label line below it.
        assert cells[0].width() / cells[0].height() == pytest.approx(width / height, rel=0.01)
        assert sheet.height() >= cells[-1].bottom() + 40
