"""The language toggle changes every visible string in place, on every slide."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def visible_texts(built) -> list[str]:
    built.app.processEvents()
    view = built.window.stage.current_view
    texts = [t.text for t in view.layout_items.texts]
    if view.chart is not None:
        texts += [text for text, _ in view.chart.text_boxes()]
    controls = built.window.controls
    texts += [b.text() for b in controls.buttons.values()]
    return texts


def test_toggle_on_every_slide(built):
    deck = built.content.pack.deck
    zh = built.content.pack.catalogue("zh-CN")
    en = built.content.pack.catalogue("en")
    for index, slide in enumerate(deck.slides):
        built.navigator.go(index)
        view = built.window.stage.current_view
        before = visible_texts(built)
        keys = [t.key for t in view.layout_items.texts if t.key]
        QTest.keyClick(built.window, Qt.Key.Key_L)
        assert built.localizer.locale == "en"
        assert built.navigator.index == index, "the toggle must not move the slide"
        assert built.window.stage.current_view is view, "the same view is retranslated"
        after = visible_texts(built)
        assert len(after) == len(before)
        shown = [t.text for t in view.layout_items.texts]
        for key in keys:
            if key.startswith("deck."):
                assert any(en.text(key) in s for s in shown), (slide.id, key)
                assert not any(zh.text(key) == s for s in shown if zh.text(key) != en.text(key))
        changed = [a for a, b in zip(after, before, strict=True) if a != b]
        assert changed, slide.id
        QTest.keyClick(built.window, Qt.Key.Key_L)
        assert visible_texts(built) == before


def test_window_title_and_counter_follow_language(built):
    zh_title = built.window.windowTitle()
    built.localizer.set_locale("en")
    assert built.window.windowTitle() != zh_title
    assert built.window.windowTitle() == built.localizer.text("ui.window.title")
    assert built.window.controls.counter.text == built.localizer.text(
        "ui.control.counter", current=1, total=built.navigator.count)


def test_starts_in_chinese_or_requested_language(make_app):
    assert make_app().localizer.locale == "zh-CN"
    assert make_app(locale="en").localizer.locale == "en"


def test_slides_built_before_a_toggle_show_the_new_language(built):
    for index in range(6):
        built.navigator.go(index)
    built.localizer.set_locale("en")
    en = built.content.pack.catalogue("en")
    for index in (2, 4, 0):
        built.navigator.go(index)
        view = built.window.stage.current_view
        slide = view.slide
        assert not view.stale
        shown = [t.text for t in view.layout_items.texts]
        if slide.title:
            assert en.text(slide.title) in shown, slide.id


def test_overview_thumbnails_follow_language(built):
    from PySide6.QtCore import QSize

    stage = built.window.stage
    before = stage.thumbnail(1, QSize(320, 180))
    built.localizer.set_locale("en")
    after = stage.thumbnail(1, QSize(320, 180))
    assert before != after


def test_the_apps_own_words_come_through_the_localizer(builtin_choice):
    """``own_text``: the app's catalogue (never the pack's) in the current or a
    given language, in English for a language the app was not translated into."""
    from taixin_kiosk.content.builtin import app_strings
    from taixin_kiosk.core.language import Localizer

    loc = Localizer(builtin_choice.pack, "en")
    key = "staff.panel.title"
    assert loc.own_text(key) == app_strings("en").text(key)
    assert loc.own_text(key, "zh-CN") == app_strings("zh-CN").text(key) != loc.own_text(key)
    assert loc.own_text(key, "zh-TW") == app_strings("en").text(key)
    loc.set_locale("zh-CN")
    assert loc.own_text("staff.pin.locked", seconds=3) ==\
        app_strings("zh-CN").text("staff.pin.locked", seconds=3)
    assert loc.own_text(key, "en") == app_strings("en").text(key)
