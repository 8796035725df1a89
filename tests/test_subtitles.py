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


def slide_index(kiosk, slide_id: str) -> int:  # type: ignore[no-untyped-def]
    ids = [s.id for s in kiosk.content.pack.deck.slides]
    return ids.index(slide_id)


def show(kiosk, slide_id: str):  # type: ignore[no-untyped-def]
    kiosk.navigator.go(slide_index(kiosk, slide_id))
    kiosk.app.processEvents()
    return kiosk.window.stage.current_view


def item(view, key: str):  # type: ignore[no-untyped-def]
    return next(t for t in view.layout_items.texts if t.key == key)


def press_s(kiosk) -> None:  # type: ignore[no-untyped-def]
    QTest.keyClick(kiosk.window, Qt.Key.Key_S)
    kiosk.app.processEvents()


def test_s_puts_the_other_language_under_the_title_and_back(kiosk):
    en = kiosk.content.pack.catalogue("en")
    view = show(kiosk, "three-periods")
    slide = view.slide
    title = item(view, slide.title)
    assert not title.second_text
    plain_height = title.rect.height()
    plain_pixels = view.grab().toImage()

    press_s(kiosk)
    assert kiosk.localizer.subtitles
    assert kiosk.localizer.locale == "zh-CN", "subtitles do not change the primary language"
    title = item(view, slide.title)
    assert title.second_text == en.text(slide.title)
    assert title.rect.height() > plain_height
    assert title.second_font.pixelSize() < title.font.pixelSize() * 0.7
    assert title.second_rect().top() >= title.first_rect().bottom() - 1
    assert text_fits(title)
    lead = item(view, slide.lead)
    assert lead.second_text == en.text(slide.lead)
    assert view.grab().toImage() != plain_pixels

    press_s(kiosk)
    assert not kiosk.localizer.subtitles
    title = item(view, slide.title)
    assert not title.second_text
    assert title.rect.height() == plain_height
    assert view.grab().toImage() == plain_pixels


def test_language_toggle_swaps_primary_and_second_line(kiosk):
    zh = kiosk.content.pack.catalogue("zh-CN")
    en = kiosk.content.pack.catalogue("en")
    press_s(kiosk)
    view = show(kiosk, "conditions")
    key = view.slide.title
    assert (item(view, key).text, item(view, key).second_text) == (zh.text(key), en.text(key))
    QTest.keyClick(kiosk.window, Qt.Key.Key_L)
    assert kiosk.localizer.locale == "en" and kiosk.localizer.subtitles
    assert (item(view, key).text, item(view, key).second_text) == (en.text(key), zh.text(key))


def test_cover_quote_and_dense_text(kiosk):
    en = kiosk.content.pack.catalogue("en")
    press_s(kiosk)
    cover = show(kiosk, "cover")
    slide = cover.slide
    assert item(cover, slide.title).second_text == en.text(slide.title)
    assert item(cover, slide.subtitle).second_text == en.text(slide.subtitle)
    assert not item(cover, slide.kicker).second_text

    quote = show(kiosk, "mission")
    wrapped = item(quote, quote.slide.quote)
    assert wrapped.second_text == en.text("ui.quote.wrapped",
                                          quote=en.text(quote.slide.quote))

    # Cards, points, chart and map text stay in one language.
    for slide_id in ("conditions", "industry", "zones-map"):
        view = show(kiosk, slide_id)
        dense = [t for t in view.layout_items.texts if t.role in SINGLE_LANGUAGE_ROLES]
        assert dense, slide_id
        assert not any(t.second_text for t in dense), slide_id


def test_text_fits_counts_the_second_line(kiosk):
    press_s(kiosk)
    view = show(kiosk, "three-periods")
    title = item(view, view.slide.title)
    assert text_fits(title)
    # A box cut just above the second line's last pixels no longer fits.
    title.rect.setHeight(title.rect.height() - title.second_font.pixelSize() * 0.5)
    assert not text_fits(title)


def test_subtitles_survive_slide_changes_and_stale_slides(kiosk):
    en = kiosk.content.pack.catalogue("en")
    stage = kiosk.window.stage
    for slide_id in ("three-periods", "conditions", "cover"):
        show(kiosk, slide_id)
    built = stage.view(slide_index(kiosk, "conditions"))
    press_s(kiosk)
    # Built before the toggle and off screen: its layout is not reused as it was.
    assert built.stale
    assert item(built, built.slide.title).second_text == en.text(built.slide.title)

    for slide_id in ("conditions", "goals", "next-steps"):  # the last two: never shown
        view = show(kiosk, slide_id)
        assert kiosk.localizer.subtitles
        assert item(view, view.slide.title).second_text == en.text(view.slide.title), slide_id

    press_s(kiosk)
    view = show(kiosk, "conditions")
    assert not any(t.second_text for t in view.layout_items.texts)


def test_single_language_pack_shows_no_second_line(make_kiosk, tmp_path):
    from taixin_kiosk.content.choice import choose

    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "assets", pack, ignore=shutil.ignore_patterns("fonts"))
    shutil.copytree(ROOT / "i18n", pack / "i18n")
    (pack / "i18n" / "en.json").unlink()
    choice = choose(pack)
    assert not choice.problems and choice.pack.locales == ("zh-CN",)
    kiosk = make_kiosk(choice=choice)
    view = show(kiosk, "three-periods")
    before = view.grab().toImage()
    press_s(kiosk)
    assert kiosk.localizer.subtitles and kiosk.localizer.subtitle_locale is None
    assert not any(t.second_text for t in view.layout_items.texts)
    assert view.grab().toImage() == before
