"""Subtitle mode: the other language as a smaller second line under titles and
key sentences, toggled with S, kept across slides and language toggles."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from conftest import ROOT
from taixin_kiosk.ui.layout.text import text_fits

# Roles that never get a second line: too dense to carry two languages.
SINGLE_LANGUAGE_ROLES = {"kicker", "heading", "body", "stat", "small"}


def slide_index(built, slide_id: str) -> int:  # type: ignore[no-untyped-def]
    ids = [s.id for s in built.content.pack.deck.slides]
    return ids.index(slide_id)


def show(built, slide_id: str):  # type: ignore[no-untyped-def]
    built.navigator.go(slide_index(built, slide_id))
    built.app.processEvents()
    return built.window.stage.current_view


def item(view, key: str):  # type: ignore[no-untyped-def]
    return next(t for t in view.layout_items.texts if t.key == key)


def press_s(built) -> None:  # type: ignore[no-untyped-def]
    QTest.keyClick(built.window, Qt.Key.Key_S)
    built.app.processEvents()


def test_s_puts_the_other_language_under_the_title_and_back(built):
    en = built.content.pack.catalogue("en")
    view = show(built, "three-periods")
    slide = view.slide
    title = item(view, slide.title)
    assert not title.second_text
    plain_height = title.rect.height()
    plain_pixels = view.grab().toImage()

    press_s(built)
    assert built.localizer.subtitles
    assert built.localizer.locale == "zh-CN", "subtitles do not change the primary language"
    title = item(view, slide.title)
    assert title.second_text == en.text(slide.title)
    assert title.rect.height() > plain_height
    assert title.second_font.pixelSize() < title.font.pixelSize() * 0.7
    assert title.second_rect().top() >= title.first_rect().bottom() - 1
    assert text_fits(title)
    lead = item(view, slide.lead)
    assert lead.second_text == en.text(slide.lead)
    assert view.grab().toImage() != plain_pixels

    press_s(built)
    assert not built.localizer.subtitles
    title = item(view, slide.title)
    assert not title.second_text
    assert title.rect.height() == plain_height
    assert view.grab().toImage() == plain_pixels


def test_language_toggle_swaps_primary_and_second_line(built):
    zh = built.content.pack.catalogue("zh-CN")
    en = built.content.pack.catalogue("en")
    press_s(built)
    view = show(built, "conditions")
    key = view.slide.title
    assert (item(view, key).text, item(view, key).second_text) == (zh.text(key), en.text(key))
    QTest.keyClick(built.window, Qt.Key.Key_L)
    assert built.localizer.locale == "en" and built.localizer.subtitles
    assert (item(view, key).text, item(view, key).second_text) == (en.text(key), zh.text(key))


def test_cover_quote_and_dense_text(built):
    en = built.content.pack.catalogue("en")
    press_s(built)
    cover = show(built, "cover")
    slide = cover.slide
    assert item(cover, slide.title).second_text == en.text(slide.title)
    assert item(cover, slide.subtitle).second_text == en.text(slide.subtitle)
    assert not item(cover, slide.kicker).second_text

    quote = show(built, "mission")
    # The other language's words under the quotation, without marks: the
    # slide's decorative mark is the quotation's one (tests/test_quote_marks.py).
    words = item(quote, quote.slide.quote)
    assert words.second_text == en.text(quote.slide.quote)

    # Cards, points, chart and map text stay in one language.
    for slide_id in ("conditions", "industry", "zones-map"):
        view = show(built, slide_id)
        dense = [t for t in view.layout_items.texts if t.role in SINGLE_LANGUAGE_ROLES]
        assert dense, slide_id
        assert not any(t.second_text for t in dense), slide_id


def test_text_fits_counts_the_second_line(built):
    press_s(built)
    view = show(built, "three-periods")
    title = item(view, view.slide.title)
    assert text_fits(title)
    # A box cut just above the second line's last pixels no longer fits.
    title.rect.setHeight(title.rect.height() - title.second_font.pixelSize() * 0.5)
    assert not text_fits(title)


def test_subtitles_survive_slide_changes_and_stale_slides(built):
    en = built.content.pack.catalogue("en")
    stage = built.window.stage
    for slide_id in ("three-periods", "conditions", "cover"):
        show(built, slide_id)
    conditions = stage.view(slide_index(built, "conditions"))
    press_s(built)
    # Built before the toggle and off screen: its layout is not reused as it was.
    assert conditions.stale
    assert item(conditions, conditions.slide.title).second_text == en.text(
        conditions.slide.title)

    for slide_id in ("conditions", "goals", "next-steps"):  # the last two: never shown
        view = show(built, slide_id)
        assert built.localizer.subtitles
        assert item(view, view.slide.title).second_text == en.text(view.slide.title), slide_id

    press_s(built)
    view = show(built, "conditions")
    assert not any(t.second_text for t in view.layout_items.texts)


def test_single_language_pack_shows_no_second_line(make_app, tmp_path):
    from taixin_kiosk.content.choice import choose

    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "assets", pack, ignore=shutil.ignore_patterns("fonts"))
    shutil.copytree(ROOT / "i18n", pack / "i18n")
    (pack / "i18n" / "en.json").unlink()
    choice = choose(pack)
    assert not choice.problems and choice.pack.locales == ("zh-CN",)
    built = make_app(choice=choice)
    view = show(built, "three-periods")
    before = view.grab().toImage()
    press_s(built)
    assert built.localizer.subtitles and built.localizer.subtitle_locale is None
    assert not any(t.second_text for t in view.layout_items.texts)
    assert view.grab().toImage() == before
