"""The next slide drawn ahead: a switch shows a ready picture, and what is on
screen is always what a fresh paint of the slide would show, whatever changed
since the picture was drawn (language, large text, theme, subtitles, window
size, a chosen map area, a reloaded pack).

"On screen" is the window's backing store (``QScreen.grabWindow``: what was
last painted and flushed), not ``QWidget.grab``, which paints again; "a fresh
paint" is the slide rendered with its picture put away. They may differ by one
level of a colour channel where part of a slide was painted again on its own
(a stand-in for a map area moved over a translucent panel: the panel's edge is
rounded differently under a clip); a stale picture differs by whole words,
colours and places.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest


def _on_screen(built) -> QImage:  # type: ignore[no-untyped-def]
    """The current slide's part of what the window last put on screen."""
    window = built.window
    view = window.stage.current_view
    shot = window.screen().grabWindow(window.winId()).toImage()
    ratio = shot.devicePixelRatio()
    top_left = view.mapTo(window, QPoint(0, 0))
    part = shot.copy(round(top_left.x() * ratio), round(top_left.y() * ratio),
                     round(view.width() * ratio), round(view.height() * ratio))
    return part.convertToFormat(QImage.Format.Format_RGB32)


def _same(shown: QImage, fresh: QImage) -> bool:
    """Equal, but for a channel's rounding (one level) anywhere."""
    if shown.size() != fresh.size():
        return False
    if shown == fresh:
        return True
    import numpy as np

    def pixels(image: QImage) -> np.ndarray:
        image = image.convertToFormat(QImage.Format.Format_RGB32)
        return np.frombuffer(image.constBits(), np.uint8).reshape(
            image.height(), image.bytesPerLine()).astype(np.int16)

    return int(np.abs(pixels(shown) - pixels(fresh)).max()) <= 1


def _fresh(built) -> QImage:  # type: ignore[no-untyped-def]
    """The current slide (and its chart) painted now, from its layout, with
    no picture drawn ahead."""
    view = built.window.stage.current_view
    kept = view.take_picture()
    image = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert view.ready_picture() is None
    del kept
    return image


def _settled(built, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Painted, and the neighbour drawn ahead (idle work done)."""
    stage = built.window.stage
    qtbot.waitUntil(lambda: not stage.ahead.timer.isActive())
    built.app.processEvents()
    neighbour = stage.ahead.neighbour()
    if neighbour is not None:
        qtbot.waitUntil(lambda: stage.view(neighbour).ready_picture() is not None)


def _press(built, qtbot, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    QTest.keyClick(built.window, key)
    # The switch's paint, flushed to the window.
    qtbot.waitUntil(lambda: built.window.stage.current_view.isVisible())
    built.app.processEvents()
    _settled(built, qtbot)


def _assert_shows_fresh(built) -> None:  # type: ignore[no-untyped-def]
    index = built.navigator.index
    assert _same(_on_screen(built), _fresh(built)), f"slide {index + 1} is not what it says now"


def _switch_shows_ready_picture(built, qtbot, key: Qt.Key) -> QImage:  # type: ignore[no-untyped-def]
    """Presses ``key`` where the slide it goes to was drawn ahead; returns the
    picture that was ready (a copy)."""
    stage = built.window.stage
    target = built.navigator.index + (1 if key == Qt.Key.Key_Right else -1)
    ready = stage.view(target).ready_picture()
    assert ready is not None, f"slide {target + 1} was not drawn ahead"
    kept = ready.copy()
    _press(built, qtbot, key)
    assert built.navigator.index == target
    return kept


def test_every_switch_through_the_deck_shows_the_fresh_slide(make_app, qtbot):
    built = make_app((1280, 720))
    _settled(built, qtbot)
    count = built.window.stage.count
    for key in [Qt.Key.Key_Right] * (count - 1) + [Qt.Key.Key_Left] * (count - 1):
        ready = _switch_shows_ready_picture(built, qtbot, key)
        on_screen = _on_screen(built)
        assert _same(on_screen, _fresh(built))
        # The picture drawn ahead was what the switch showed (the slide's own
        # paint: a chart paints itself over it).
        if built.window.stage.current_view.chart is None:
            assert _same(on_screen, ready)


@pytest.mark.parametrize("key", [Qt.Key.Key_L, Qt.Key.Key_T, Qt.Key.Key_C, Qt.Key.Key_S])
def test_a_picture_drawn_before_a_change_of_look_or_language_is_never_shown(
        make_app, qtbot, key):
    """Language (L), large text (T), high contrast (C), subtitles (S): the
    slide drawn ahead in the old look would be wrong; the switch shows the new."""
    built = make_app((1280, 720))
    _settled(built, qtbot)
    _press(built, qtbot, Qt.Key.Key_Right)
    stage = built.window.stage
    ahead = stage.ahead.neighbour()
    assert ahead is not None
    old = stage.view(ahead).ready_picture()
    assert old is not None
    old = old.copy()
    QTest.keyClick(built.window, key)
    built.app.processEvents()
    _assert_shows_fresh(built)
    _press(built, qtbot, Qt.Key.Key_Right)
    assert built.navigator.index == ahead
    on_screen = _on_screen(built)
    assert _same(on_screen, _fresh(built))
    if stage.current_view.chart is None:
        assert not _same(on_screen, old), "the change did not change the slide: nothing was tested"
    # And back again, through the rest of the deck.
    for step in [Qt.Key.Key_Right] * 4 + [Qt.Key.Key_Left] * 4:
        _press(built, qtbot, step)
        _assert_shows_fresh(built)


def test_a_resized_window_shows_slides_at_their_new_size(make_app, qtbot):
    built = make_app((1280, 720))
    _settled(built, qtbot)
    stage = built.window.stage
    ahead = stage.ahead.neighbour()
    assert ahead is not None and stage.view(ahead).ready_picture() is not None
    built.window.resize(1000, 900)
    qtbot.waitUntil(lambda: stage.current_view.size() == stage.size())
    built.app.processEvents()
    # The old size's picture is gone, not kept beside the new one.
    assert stage.view(ahead).ready_picture() is None
    _settled(built, qtbot)
    for key in [Qt.Key.Key_Right] * 3 + [Qt.Key.Key_Left] * 3:
        _press(built, qtbot, key)
        _assert_shows_fresh(built)


def test_a_chosen_map_area_and_a_tapped_chart_show_as_they_are(make_app, qtbot):
    """A visitor taps a map area (the slide lays out again around it) and a
    chart bar (its value shows); leaving and coming back shows the slide as
    it first looks, as a fresh paint does."""
    built = make_app((1280, 720))
    _settled(built, qtbot)
    slides = built.content.pack.deck.slides
    map_index = next(i for i, s in enumerate(slides) if s.map is not None)
    chart_index = next(i for i, s in enumerate(slides) if s.chart is not None)
    for index in sorted({map_index, chart_index}):
        while built.navigator.index < index:
            _press(built, qtbot, Qt.Key.Key_Right)
        view = built.window.stage.current_view
        layout = view.layout_items
        if layout.hotspots:
            area, rect = next(iter(layout.hotspots.items()))
            QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
            qtbot.waitUntil(lambda: view.selected_area == area)  # noqa: B023
        elif view.chart is not None:
            chart = view.chart
            QTest.mouseClick(view, Qt.MouseButton.LeftButton,
                             pos=(chart.mark_position(0) + chart.pos().toPointF()).toPoint())
            qtbot.waitUntil(lambda: chart.selected is not None)  # noqa: B023
        built.app.processEvents()
        _assert_shows_fresh(built)
        _press(built, qtbot, Qt.Key.Key_Right)
        _press(built, qtbot, Qt.Key.Key_Left)
        assert built.navigator.index == index
        _assert_shows_fresh(built)


def test_a_reloaded_pack_never_shows_a_picture_of_the_old_words(make_app, qtbot,
                                                                 grand_canal_copy):
    from taixin_kiosk.content.choice import choose

    pack = grand_canal_copy

    built = make_app((1280, 720), choice=choose(pack), content=pack, watch=True)
    _settled(built, qtbot)
    stage = built.window.stage
    ahead = stage.ahead.neighbour()
    assert ahead is not None and stage.view(ahead).ready_picture() is not None
    slide_id = built.content.pack.deck.slides[ahead].id
    locale = built.localizer.locale
    catalogue = pack / "i18n" / f"{locale}.json"
    words = json.loads(catalogue.read_text(encoding="utf-8"))
    title = words["deck"][slide_id]["title"]
    words["deck"][slide_id]["title"] = f"{title} (2)"
    catalogue.write_text(json.dumps(words, ensure_ascii=False, indent=2), encoding="utf-8")
    qtbot.waitUntil(lambda: stage.view(ahead).ready_picture() is None
                    or f"{title} (2)" in [t.text for t in stage.view(ahead).layout_items.texts],
                    timeout=3000)
    _settled(built, qtbot)
    _press(built, qtbot, Qt.Key.Key_Right)
    assert built.navigator.index == ahead
    assert f"{title} (2)" in [t.text for t in stage.current_view.layout_items.texts]
    _assert_shows_fresh(built)
