"""The presenter console at any projector shape: thumbnails in one readable
row that scrolls by drag, wheel and touch and follows the current slide; its
words, and the audience's subtitles, on the slides' type scale."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScroller

from taixin_kiosk.core.actions import Action
from taixin_kiosk.presenter.console import CONSOLE_ROLES
from taixin_kiosk.presenter.previews import MIN_THUMB_PX, THUMB_GAP
from taixin_kiosk.ui.theme import TYPE_SCALE, Grid
from test_presenter import LAPTOP, PROJECTOR, present, wheel  # noqa: F401  (the fixture)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")

AUDIENCES = {"16:9": (1920, 1080), "16:10": (1280, 800), "4:3": (1024, 768)}
CONSOLES = [(1920, 1080), (1280, 800), (1366, 768), (1024, 768)]
# The floor: the smallest label 24 px at 1080 lines, proportionally less on fewer.
SMALLEST_AT_1080 = 24.0


def open_console(factory, audience=(1920, 1080), console_size=(1280, 800)):  # type: ignore[no-untyped-def]
    """The console on the laptop, the slides on a projector of ``audience``'s size."""
    mode = factory([LAPTOP, PROJECTOR])
    mode.built.window.resize(*audience)
    mode.console.resize(*console_size)
    QApplication.processEvents()
    return mode


def shown(strip, index: int) -> bool:  # type: ignore[no-untyped-def]
    """Thumbnail ``index`` is wholly in view."""
    return strip.visible_rect().adjusted(-0.5, -0.5, 0.5, 0.5).contains(
        strip.cell_rects()[index])


def test_the_minimum_thumbnail_is_readable():
    assert MIN_THUMB_PX >= 160


@pytest.mark.parametrize("shape", AUDIENCES)
def test_thumbnails_in_one_readable_row_at_every_shape_and_size(present, shape):  # noqa: F811
    audience = AUDIENCES[shape]
    mode = open_console(present, audience)
    strip = mode.console.strip
    assert strip.ratio == pytest.approx(audience[0] / audience[1], rel=0.02)
    for size in CONSOLES:
        mode.console.resize(*size)
        QApplication.processEvents()
        rects = strip.cell_rects()
        assert len(rects) == strip.count == len(mode.built.content.pack.deck.slides)
        view = strip.visible_rect()
        for rect in rects:
            # One row: every thumbnail at the same height, wholly inside the strip's height.
            assert rect.top() == rects[0].top() and rect.height() == rects[0].height(), size
            assert view.top() - 0.5 <= rect.top() and rect.bottom() <= view.bottom() + 0.5, size
            assert rect.width() >= MIN_THUMB_PX - 0.01, size
            assert rect.width() / rect.height() == pytest.approx(strip.ratio, rel=0.01)
        # In order, left to right, and the row fills the strip: no half-empty strip.
        assert all(b.left() > a.right() for a, b in itertools.pairwise(rects))
        assert rects[-1].right() - rects[0].left() > view.width()
        in_view = [r for r in rects if view.intersects(r)]
        assert max(r.right() for r in in_view) >= view.right() - THUMB_GAP - 1, size
        # The slide number is set at the smallest label's size, at least.
        assert strip.label_px >= SMALLEST_AT_1080 * size[1] / 1080 - 0.5, size
        assert strip.label_px < rects[0].height() / 2.5, "the number leaves the slide visible"
        # The previews and the strip do not overlap, nor the strip and the buttons.
        console = mode.console
        assert console.current.geometry().bottom() < strip.geometry().top(), size
        assert strip.geometry().bottom() < console.buttons["previous"].geometry().top(), size


def test_the_row_scrolls_by_wheel_and_a_mouse_drag_is_no_tap(present, qtbot):  # noqa: F811
    mode = open_console(present)
    strip, navigator = mode.console.strip, mode.built.navigator
    bar = strip.horizontalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    first = strip.cell_rects()[0]
    wheel(strip, -1)
    assert bar.value() > 0
    # One notch moves by one thumbnail.
    assert strip.cell_rects()[1].left() == pytest.approx(first.left(), abs=1)
    wheel(strip, 1)
    assert bar.value() == 0

    start = strip.cell_rects()[2].center().toPoint()
    QTest.mousePress(strip.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 16):
        QTest.mouseMove(strip.viewport(), start - QPoint(step * 20, 0))
        # The scroller moves the row at its frame rate, as the pointer moves.
        qtbot.wait(16)
    # Dragged left, the row shows later slides.
    qtbot.waitUntil(lambda: bar.value() > 100)
    QTest.mouseRelease(strip.viewport(), Qt.MouseButton.LeftButton,
                       pos=start - QPoint(300, 0))
    assert navigator.index == 0, "a drag never jumps to the slide it started on"
    # Once the flick has come to rest (a tap during one stops it), a tap
    # jumps, at once.
    scroller = QScroller.scroller(strip.viewport())
    qtbot.waitUntil(lambda: scroller.state() == QScroller.State.Inactive)
    target = next(i for i in range(strip.count) if shown(strip, i) and i > 3)
    QTest.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton,
                     pos=strip.viewport().mapFrom(strip, strip.cell_rects()[target]
                                                  .center().toPoint()))
    assert navigator.index == target


def test_a_finger_drags_the_row(present, qtbot):  # noqa: F811
    mode = open_console(present)
    console, strip = mode.console, mode.console.strip
    bar = strip.horizontalScrollBar()
    device = QTest.createTouchDevice()
    start = strip.mapTo(console, strip.cell_rects()[3].center().toPoint())
    QTest.touchEvent(console, device).press(0, start, console).commit()
    for step in range(1, 16):
        QTest.touchEvent(console, device).move(0, start - QPoint(step * 20, 0), console).commit()
    QTest.touchEvent(console, device).release(0, start - QPoint(300, 0), console).commit()
    assert bar.value() > 100
    assert mode.built.navigator.index == 0


def test_the_current_slides_thumbnail_stays_in_view(present):  # noqa: F811
    mode = open_console(present, AUDIENCES["4:3"], (1024, 768))
    console, strip, navigator = mode.console, mode.console.strip, mode.built.navigator
    assert shown(strip, 0)
    for index in range(1, strip.count):
        QTest.keyClick(console, Qt.Key.Key_Right)
        assert navigator.index == index and strip.current == index
        assert shown(strip, index), index
        if index + 1 < strip.count:
            assert shown(strip, index + 1), "the next slide to tap is in view too"
    assert strip.horizontalScrollBar().value() == strip.horizontalScrollBar().maximum()
    # Scrolled away by hand, the row comes back to the slide the presenter moves to.
    wheel(strip, 30)
    assert not shown(strip, navigator.index)
    QTest.keyClick(console, Qt.Key.Key_Left)
    assert shown(strip, navigator.index)
    QTest.keyClick(console, Qt.Key.Key_Home)
    assert shown(strip, 0)
    mode.built.actions.trigger(Action.GOTO, 12)
    assert shown(strip, 12)


@pytest.mark.parametrize("notes", ["en", "zh-CN"])
@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080), (1024, 768)])
def test_console_words_are_on_the_type_scale(present, size, notes):  # noqa: F811
    mode = open_console(lambda screens: present(screens, notes_locale=notes),
                        AUDIENCES["16:10"], size)
    console = mode.console
    unit = console.unit()
    floor = SMALLEST_AT_1080 * size[1] / 1080 - 0.5
    fonts = {"elapsed": console.elapsed.font(), "clock": console.clock.font(),
             "stop_time": console.stop_time.font(), "target": console.target.font(),
             "tour": console.tour_name.font(), "notes heading": console.notes_heading.font(),
             "notes": console.notes.font(), "current caption": console.current.caption_font,
             "next caption": console.next.caption_font}
    for name, font in fonts.items():
        assert font.pixelSize() >= floor, (name, font.pixelSize())
    assert console.strip.label_px >= floor
    # Each as large as its role on the slides' scale, at this screen's unit.
    roles = {"elapsed": "clock", "stop_time": "info", "notes": "notes",
             "current caption": "caption"}
    for name, part in roles.items():
        expected = TYPE_SCALE[CONSOLE_ROLES[part]][0] * unit
        assert fonts[name].pixelSize() == pytest.approx(expected, abs=0.51), name
    # No button's label shrinks below the floor to fit; a long one breaks
    # after its colon, never inside a word.
    for name, button in console.buttons.items():
        if button.isVisible():
            assert button.label_font_size() >= floor, (name, button.text())
            assert "\n" not in button.text() or button.text().split("\n")[0][-1] in ":："
            if "\n" in button.text():  # read out as the one line it is worded as
                assert button.accessibleName().replace(" ", "") == \
                    button.text().replace("\n", "").replace(" ", "")
    # The captions fit above their previews, the timer in its pill.
    caption = console.current.caption_font
    assert console.current.caption_height() >= caption.pixelSize() * 1.2
    assert console.elapsed.height() >= console.elapsed.fontMetrics().height()
    for label in (console.stop_time, console.target, console.tour_name):
        need = label.heightForWidth(label.width()) if label.wordWrap() \
            else label.sizeHint().height()
        assert need <= label.height() + 1, label.objectName()


@pytest.mark.parametrize("audience", [(1280, 800), (1920, 1080)])
def test_subtitles_on_the_projector_meet_the_type_scale(present, audience):  # noqa: F811
    mode = open_console(present, audience)
    built = mode.built
    QTest.keyClick(mode.console, Qt.Key.Key_S)
    assert built.localizer.subtitles
    stage = built.window.stage
    seen = 0
    for index in range(len(built.content.pack.deck.slides)):
        built.navigator.go(index)
        view = stage.current_view
        unit = Grid(view.width(), view.height()).unit
        floor = max(TYPE_SCALE["small"][0], SMALLEST_AT_1080) * unit
        for item in view.layout_items.texts:
            if item.second_text:
                seen += 1
                assert item.second_font.pixelSize() >= round(floor), (index, item.key)
    assert seen > 10
    # On an 800-line projector that is no longer a 14-16 px line.
    if audience[1] == 800:
        assert stage.height() == 800
