"""Every input path, with real Qt events sent through the real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from taixin_kiosk.core.modes import Mode
from taixin_kiosk.core.navigator import Navigator

Key = Qt.Key


def slide_id(kiosk) -> str:
    return kiosk.content.pack.deck.slides[kiosk.navigator.index].id


def visible_slide(kiosk):
    """The slide view a user sees: the only visible one on the stage."""
    views = [v for v in kiosk.window.stage.built_views() if v.isVisible()]
    assert len(views) == 1
    return views[0]


# -- navigator ----------------------------------------------------------------


def test_navigator_boundaries(qtbot):
    nav = Navigator(3)
    seen = []
    nav.slide_changed.connect(lambda old, new: seen.append((old, new)))
    assert not nav.previous()
    assert nav.next() and nav.next()
    assert not nav.next()
    assert nav.index == 2
    assert nav.first() and nav.index == 0
    assert not nav.go(7) and not nav.go(-1)
    assert nav.last() and nav.index == 2
    assert seen == [(0, 1), (1, 2), (2, 0), (0, 2)]
    with pytest.raises(ValueError):
        Navigator(0)


# -- keys and clickers ----------------------------------------------------------


@pytest.mark.parametrize("key", [Key.Key_Right, Key.Key_Down, Key.Key_PageDown, Key.Key_Space])
def test_next_keys(kiosk, key):
    QTest.keyClick(kiosk.window, key)
    assert kiosk.navigator.index == 1
    assert visible_slide(kiosk).index == 1
    assert kiosk.window.controls.counter.text.startswith("2")


@pytest.mark.parametrize("key", [Key.Key_Left, Key.Key_Up, Key.Key_PageUp, Key.Key_Backspace])
def test_previous_keys(kiosk, key):
    kiosk.navigator.go(3)
    QTest.keyClick(kiosk.window, key)
    assert kiosk.navigator.index == 2
    assert visible_slide(kiosk).index == 2


def test_home_end_and_boundaries(kiosk):
    last = kiosk.navigator.count - 1
    QTest.keyClick(kiosk.window, Key.Key_End)
    assert visible_slide(kiosk).index == last
    QTest.keyClick(kiosk.window, Key.Key_Right)
    assert kiosk.navigator.index == last
    assert not kiosk.window.controls.buttons["next"].isEnabled()
    QTest.keyClick(kiosk.window, Key.Key_Home)
    assert visible_slide(kiosk).index == 0
    QTest.keyClick(kiosk.window, Key.Key_Left)
    assert kiosk.navigator.index == 0
    assert not kiosk.window.controls.buttons["previous"].isEnabled()


def test_digits_then_enter_jump(kiosk):
    QTest.keyClicks(kiosk.window, "12")
    assert "12" in kiosk.window.controls.counter.text
    assert kiosk.navigator.index == 0
    QTest.keyClick(kiosk.window, Key.Key_Return)
    assert kiosk.navigator.index == 11
    assert kiosk.window.controls.counter.text.startswith("12")
    # A number past the end is ignored, and the typed digits are cleared.
    QTest.keyClicks(kiosk.window, "99")
    QTest.keyClick(kiosk.window, Key.Key_Enter)
    assert kiosk.navigator.index == 11
    assert "99" not in kiosk.window.controls.counter.text


def test_escape_clears_typed_digits(kiosk):
    QTest.keyClicks(kiosk.window, "5")
    QTest.keyClick(kiosk.window, Key.Key_Escape)
    QTest.keyClick(kiosk.window, Key.Key_Return)
    assert kiosk.navigator.index == 0


def test_l_toggles_language_in_place(kiosk):
    kiosk.navigator.go(4)
    before = [t.text for t in visible_slide(kiosk).layout_items.texts]
    label = kiosk.window.controls.buttons["next"].text()
    QTest.keyClick(kiosk.window, Key.Key_L)
    assert kiosk.localizer.locale == "en"
    assert kiosk.navigator.index == 4
    after = [t.text for t in visible_slide(kiosk).layout_items.texts]
    assert after != before and len(after) == len(before)
    assert kiosk.window.controls.buttons["next"].text() != label
    QTest.keyClick(kiosk.window, Key.Key_L)
    assert kiosk.localizer.locale == "zh-CN"
    assert [t.text for t in visible_slide(kiosk).layout_items.texts] == before


def test_overview_open_choose_and_escape(kiosk):
    overview = kiosk.window.stage.overview
    QTest.keyClick(kiosk.window, Key.Key_O)
    assert kiosk.modes.mode is Mode.OVERVIEW and overview.isVisible()
    QTest.keyClick(kiosk.window, Key.Key_Escape)
    assert kiosk.modes.mode is Mode.INTERACTIVE and not overview.isVisible()
    QTest.keyClick(kiosk.window, Key.Key_O)
    QTest.keyClick(kiosk.window, Key.Key_Right)
    QTest.keyClick(kiosk.window, Key.Key_Down)
    assert kiosk.navigator.index == 0  # arrows move the selection, not the slide
    QTest.keyClick(kiosk.window, Key.Key_Return)
    cols, _ = overview.grid()
    assert kiosk.navigator.index == 1 + cols
    assert not overview.isVisible()


def test_overview_tap_jumps(kiosk, qtbot):
    QTest.keyClick(kiosk.window, Key.Key_O)
    overview = kiosk.window.stage.overview
    target = overview.cell_rects()[5].center().toPoint()
    QTest.mouseClick(overview, Qt.MouseButton.LeftButton, pos=target)
    assert kiosk.navigator.index == 5
    assert kiosk.modes.mode is Mode.INTERACTIVE


def test_f11_and_escape_full_screen(kiosk, qtbot):
    QTest.keyClick(kiosk.window, Key.Key_F11)
    qtbot.waitUntil(kiosk.window.isFullScreen)
    QTest.keyClick(kiosk.window, Key.Key_Escape)
    qtbot.waitUntil(lambda: not kiosk.window.isFullScreen())


# -- on-screen controls ------------------------------------------------------


def test_control_buttons(kiosk):
    buttons = kiosk.window.controls.buttons
    QTest.mouseClick(buttons["next"], Qt.MouseButton.LeftButton)
    QTest.mouseClick(buttons["next"], Qt.MouseButton.LeftButton)
    assert visible_slide(kiosk).index == 2
    QTest.mouseClick(buttons["previous"], Qt.MouseButton.LeftButton)
    assert visible_slide(kiosk).index == 1
    QTest.mouseClick(buttons["home"], Qt.MouseButton.LeftButton)
    assert visible_slide(kiosk).index == 0
    QTest.mouseClick(buttons["overview"], Qt.MouseButton.LeftButton)
    assert kiosk.window.stage.overview.isVisible()
    QTest.mouseClick(buttons["overview"], Qt.MouseButton.LeftButton)
    assert not kiosk.window.stage.overview.isVisible()
    english = kiosk.localizer.text_in("en", "meta.language_name")
    assert buttons["language"].text() == english
    QTest.mouseClick(buttons["language"], Qt.MouseButton.LeftButton)
    assert kiosk.localizer.locale == "en"
    assert buttons["language"].text() == kiosk.localizer.text_in("zh-CN", "meta.language_name")


def test_controls_are_large_and_outside_the_stage(make_kiosk):
    for size in [(1920, 1080), (1080, 1920), (1280, 800)]:
        kiosk = make_kiosk(size)
        stage = kiosk.window.stage.geometry()
        dpi = kiosk.window.screen().physicalDotsPerInch()
        for button in kiosk.window.controls.buttons.values():
            if not button.isVisible():
                continue
            assert min(button.width(), button.height()) >= 9 / 25.4 * dpi
            top_left = button.mapTo(kiosk.window, QPoint(0, 0))
            assert not stage.intersects(button.rect().translated(top_left))


# -- mouse ---------------------------------------------------------------------


def drag(widget, start: QPoint, end: QPoint, steps: int = 6) -> None:
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, steps + 1):
        QTest.mouseMove(widget, start + (end - start) * i / steps)
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)


def test_mouse_drag_swipes(kiosk):
    stage = kiosk.window.stage
    mid = stage.rect().center()
    drag(stage, mid + QPoint(250, 0), mid - QPoint(250, 0))
    assert visible_slide(kiosk).index == 1
    drag(stage, mid - QPoint(250, 0), mid + QPoint(250, 0))
    assert visible_slide(kiosk).index == 0


def test_mouse_short_or_vertical_drag_is_not_a_swipe(kiosk):
    stage = kiosk.window.stage
    mid = stage.rect().center()
    drag(stage, mid, mid - QPoint(8, 0))
    drag(stage, mid + QPoint(0, 200), mid - QPoint(60, 200))
    assert kiosk.navigator.index == 0


def wheel(widget, dy: int) -> None:
    pos = QPointF(widget.rect().center())
    event = QWheelEvent(pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(0, 0),
                        QPoint(0, dy), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_wheel_one_notch_one_slide(kiosk, qtbot):
    stage = kiosk.window.stage
    wheel(stage, -120)
    assert kiosk.navigator.index == 1
    wheel(stage, -60)
    assert kiosk.navigator.index == 1  # half a notch does nothing yet
    qtbot.wait(250)
    wheel(stage, 120)
    assert kiosk.navigator.index == 0


# -- touch ---------------------------------------------------------------------


@pytest.fixture
def touch_device():
    return QTest.createTouchDevice()


def swipe(window, device, start: QPoint, end: QPoint, steps: int = 5) -> None:
    QTest.touchEvent(window, device).press(0, start, window).commit()
    for i in range(1, steps + 1):
        QTest.touchEvent(window, device).move(0, start + (end - start) * i / steps,
                                              window).commit()
    QTest.touchEvent(window, device).release(0, end, window).commit()


def stage_point(kiosk, dx: int = 0, dy: int = 0) -> QPoint:
    stage = kiosk.window.stage
    return stage.mapTo(kiosk.window, stage.rect().center() + QPoint(dx, dy))


def test_touch_swipe_left_and_right(kiosk, touch_device):
    w = kiosk.window
    swipe(w, touch_device, stage_point(kiosk, 200), stage_point(kiosk, -200))
    assert visible_slide(kiosk).index == 1
    swipe(w, touch_device, stage_point(kiosk, 200), stage_point(kiosk, -200))
    assert visible_slide(kiosk).index == 2
    swipe(w, touch_device, stage_point(kiosk, -200), stage_point(kiosk, 200))
    assert visible_slide(kiosk).index == 1


def test_touch_one_action_per_gesture(kiosk, touch_device):
    # A very long swipe crosses the threshold many times over: still one slide.
    swipe(kiosk.window, touch_device, stage_point(kiosk, 500), stage_point(kiosk, -500), 20)
    assert kiosk.navigator.index == 1


def test_touch_threshold_in_millimetres(kiosk, touch_device):
    px = kiosk.pointer.swipe_px
    dpi = kiosk.window.screen().physicalDotsPerInch()
    assert px == pytest.approx(kiosk.settings.swipe_mm / 25.4 * max(dpi, 72.0))
    short = int(px * 0.6)
    swipe(kiosk.window, touch_device, stage_point(kiosk, short // 2), stage_point(kiosk,
                                                                                 -short // 2))
    assert kiosk.navigator.index == 0


def test_touch_vertical_drag_and_tap_are_not_swipes(kiosk, touch_device):
    swipe(kiosk.window, touch_device, stage_point(kiosk, 0, -250), stage_point(kiosk, 40, 250))
    p = stage_point(kiosk)
    QTest.touchEvent(kiosk.window, touch_device).press(0, p, kiosk.window).commit()
    QTest.touchEvent(kiosk.window, touch_device).release(0, p, kiosk.window).commit()
    assert kiosk.navigator.index == 0


def test_two_finger_drag_is_not_a_swipe(kiosk, touch_device):
    w = kiosk.window
    a, b = stage_point(kiosk, 200, -50), stage_point(kiosk, 200, 50)
    QTest.touchEvent(w, touch_device).press(0, a, w).press(1, b, w).commit()
    QTest.touchEvent(w, touch_device).move(0, a - QPoint(400, 0), w).move(
        1, b - QPoint(400, 0), w).commit()
    QTest.touchEvent(w, touch_device).release(0, a - QPoint(400, 0), w).release(
        1, b - QPoint(400, 0), w).commit()
    assert kiosk.navigator.index == 0


def test_swipe_opt_out_property(kiosk, touch_device):
    from taixin_kiosk.input.pointer import SWIPE_OPT_OUT

    kiosk.window.stage.setProperty(SWIPE_OPT_OUT, True)
    swipe(kiosk.window, touch_device, stage_point(kiosk, 200), stage_point(kiosk, -200))
    assert kiosk.navigator.index == 0


def test_input_during_transition_is_not_swallowed(make_kiosk, touch_device):
    kiosk = make_kiosk(motion=True)
    QTest.keyClick(kiosk.window, Key.Key_Right)
    assert kiosk.window.stage.overlay.running
    QTest.keyClick(kiosk.window, Key.Key_Right)
    swipe(kiosk.window, touch_device, stage_point(kiosk, 200), stage_point(kiosk, -200))
    assert kiosk.navigator.index == 3
    assert visible_slide(kiosk).index == 3


def test_transition_is_short(make_kiosk, qtbot):
    kiosk = make_kiosk(motion=True)
    overlay = kiosk.window.stage.overlay
    QTest.keyClick(kiosk.window, Key.Key_Right)
    assert overlay.running
    assert 0 < overlay.duration_ms <= 300
    qtbot.waitUntil(lambda: not overlay.running, timeout=1000)
    assert not overlay.isVisible()


def test_motion_off_means_no_transition(kiosk):
    QTest.keyClick(kiosk.window, Key.Key_Right)
    assert not kiosk.window.stage.overlay.isVisible()


# -- taps on slide content -------------------------------------------------------


def tap(kiosk, device, widget_point: QPoint) -> None:
    QTest.touchEvent(kiosk.window, device).press(0, widget_point, kiosk.window).commit()
    QTest.touchEvent(kiosk.window, device).release(0, widget_point, kiosk.window).commit()


def test_map_tap_shows_area_focus(kiosk, touch_device):
    deck = kiosk.content.pack.deck
    index = next(i for i, s in enumerate(deck.slides) if s.type == "map")
    kiosk.navigator.go(index)
    view = visible_slide(kiosk)
    spec = view.slide.map
    assert spec is not None
    hint = kiosk.localizer.text(spec.hint)
    assert hint in [t.text for t in view.layout_items.texts]
    for area in spec.areas:
        centre = view.layout_items.hotspots[area.id].center().toPoint()
        tap(kiosk, touch_device, view.mapTo(kiosk.window, centre))
        texts = [t.text for t in view.layout_items.texts]
        assert view.selected_area == area.id
        assert kiosk.localizer.text(area.focus) in texts
        own = kiosk.localizer.text(area.focus)
        others = {kiosk.localizer.text(a.focus) for a in spec.areas} - {own}
        assert not others & set(texts), "only the chosen area's focus is shown"
    assert kiosk.navigator.index == index


def test_chart_tap_shows_value(kiosk, touch_device, qtbot):
    deck = kiosk.content.pack.deck
    index = next(i for i, s in enumerate(deck.slides)
                 if s.chart is not None and s.chart.kind == "bar")
    kiosk.navigator.go(index)
    view = visible_slide(kiosk)
    chart = view.chart
    assert chart is not None and chart.callout_text() is None
    mark = chart._marks[0]
    point = chart.mapTo(kiosk.window, chart.mark_position(0).toPoint())
    tap(kiosk, touch_device, point)
    text = chart.callout_text()
    assert text is not None
    assert mark.value in text and mark.label in text
    assert kiosk.navigator.index == index


def test_keys_work_whichever_child_has_focus(kiosk):
    deck = kiosk.content.pack.deck
    index = next(i for i, s in enumerate(deck.slides) if s.chart is not None)
    kiosk.navigator.go(index)
    plot = visible_slide(kiosk).chart.plot
    plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    plot.setFocus()
    # A graphics view would scroll with the arrows; the deck must move instead.
    QTest.keyClick(plot, Key.Key_Right)
    assert kiosk.navigator.index == index + 1


def test_click_then_quick_drag_still_swipes(kiosk):
    """The second press of a quick click-and-swipe arrives as a double-click."""
    from PySide6.QtGui import QMouseEvent

    stage = kiosk.window.stage
    start = stage.rect().center() + QPoint(250, 0)
    end = stage.rect().center() - QPoint(250, 0)
    QTest.mouseClick(stage, Qt.MouseButton.LeftButton, pos=start)
    local = QPointF(start)
    press = QMouseEvent(QEvent.Type.MouseButtonDblClick, local, QPointF(stage.mapToGlobal(start)),
                        Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(stage, press)
    QTest.mouseMove(stage, end)
    QTest.mouseRelease(stage, Qt.MouseButton.LeftButton, pos=end)
    assert kiosk.navigator.index == 1


def test_leaving_a_slide_resets_its_map_choice(kiosk, touch_device):
    deck = kiosk.content.pack.deck
    index = next(i for i, s in enumerate(deck.slides) if s.type == "map")
    kiosk.navigator.go(index)
    view = visible_slide(kiosk)
    view.select_area(view.slide.map.areas[0].id)
    QTest.keyClick(kiosk.window, Key.Key_Right)
    QTest.keyClick(kiosk.window, Key.Key_Left)
    assert visible_slide(kiosk) is view and view.selected_area is None


def test_ctrl_q_ends_the_presentation(kiosk, qtbot):
    QTest.keyClick(kiosk.window, Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not kiosk.window.isVisible())


def test_plain_q_does_nothing(kiosk):
    QTest.keyClick(kiosk.window, Key.Key_Q)
    assert kiosk.window.isVisible() and kiosk.navigator.index == 0
