"""Black screen, white screen and freeze: what the audience sees, by key."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from conftest import settle

Key = Qt.Key


def centre_colour(built) -> QColor:  # type: ignore[no-untyped-def]
    image = built.window.grab().toImage()
    return image.pixelColor(image.width() // 2, image.height() // 2)


def test_b_and_period_blacken_the_whole_window_and_bring_it_back(built, qtbot):
    window = built.window
    settle(built, qtbot)
    slide = centre_colour(built)
    QTest.keyClick(window, Key.Key_B)
    cover = window.screen_cover()
    assert cover.isVisible() and cover.geometry() == window.rect()
    assert centre_colour(built) == QColor(0, 0, 0)
    image = window.grab().toImage()
    bottom = image.pixelColor(10, image.height() - 10)  # the control bar too
    assert bottom == QColor(0, 0, 0)
    QTest.keyClick(window, Key.Key_B)
    assert not cover.isVisible() and centre_colour(built) == slide
    QTest.keyClick(window, Key.Key_Period)  # a clicker's blank button
    assert centre_colour(built) == QColor(0, 0, 0)


def test_w_whitens_and_b_then_switches_to_black(built):
    window = built.window
    QTest.keyClick(window, Key.Key_W)
    assert centre_colour(built) == QColor(255, 255, 255)
    QTest.keyClick(window, Key.Key_B)
    assert centre_colour(built) == QColor(0, 0, 0)


def test_the_slides_move_on_behind_a_black_screen(built):
    QTest.keyClick(built.window, Key.Key_B)
    QTest.keyClick(built.window, Key.Key_Right)
    QTest.keyClick(built.window, Key.Key_Right)
    assert built.navigator.index == 2
    assert centre_colour(built) == QColor(0, 0, 0)


def test_freeze_keeps_the_picture_while_the_presenter_moves_on(built, qtbot):
    window = built.window
    settle(built, qtbot)
    before = window.grab().toImage()
    QTest.keyClick(window, Key.Key_F)
    QTest.keyClick(window, Key.Key_Right)
    assert built.navigator.index == 1
    assert window.grab().toImage() == before
    QTest.keyClick(window, Key.Key_F)
    assert window.grab().toImage() != before


def test_a_kiosk_cannot_be_blanked_by_visitors(make_app):
    built = make_app(kiosk=True, keep_awake=False)
    QTest.keyClick(built.window, Key.Key_B)
    QTest.keyClick(built.window, Key.Key_F)
    assert built.window.screen_cover().cover.value == "none"
    assert not built.window.screen_cover().isVisible()
