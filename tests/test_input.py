"""Every input path, with real Qt events sent through the real widgets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from taixin_kiosk.core.modes import Mode
from taixin_kiosk.core.navigator import Navigator

Key = Qt.Key


def slide_id(built) -> str:
    return built.content.pack.deck.slides[built.navigator.index].id


def visible_slide(built):
    """The slide view a user sees: the only visible one on the stage."""
    views = [v for v in built.window.stage.built_views() if v.isVisible()]
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
def test_next_keys(built, key):
    QTest.keyClick(built.window, key)
    assert built.navigator.index == 1
    assert visible_slide(built).index == 1
    assert built.window.controls.counter.text.startswith("2")


@pytest.mark.parametrize("key", [Key.Key_Left, Key.Key_Up, Key.Key_PageUp, Key.Key_Backspace])
def test_previous_keys(built, key):
    built.navigator.go(3)
    QTest.keyClick(built.window, key)
    assert built.navigator.index == 2
    assert visible_slide(built).index == 2


def test_home_end_and_boundaries(built):
    last = built.navigator.count - 1
    QTest.keyClick(built.window, Key.Key_End)
    assert visible_slide(built).index == last
    QTest.keyClick(built.window, Key.Key_Right)
    assert built.navigator.index == last
    assert not built.window.controls.buttons["next"].isEnabled()
    QTest.keyClick(built.window, Key.Key_Home)
    assert visible_slide(built).index == 0
    QTest.keyClick(built.window, Key.Key_Left)
    assert built.navigator.index == 0
    assert not built.window.controls.buttons["previous"].isEnabled()


def test_digits_then_enter_jump(built):
    QTest.keyClicks(built.window, "12")
    assert "12" in built.window.controls.counter.text
    assert built.navigator.index == 0
    QTest.keyClick(built.window, Key.Key_Return)
    assert built.navigator.index == 11
    assert built.window.controls.counter.text.startswith("12")
    # A number past the end is ignored, and the typed digits are cleared.
    QTest.keyClicks(built.window, "99")
    QTest.keyClick(built.window, Key.Key_Enter)
    assert built.navigator.index == 11
    assert "99" not in built.window.controls.counter.text


def test_escape_clears_typed_digits(built):
    QTest.keyClicks(built.window, "5")
    QTest.keyClick(built.window, Key.Key_Escape)
    QTest.keyClick(built.window, Key.Key_Return)
    assert built.navigator.index == 0


def test_l_toggles_language_in_place(built):
    built.navigator.go(4)
    before = [t.text for t in visible_slide(built).layout_items.texts]
    label = built.window.controls.buttons["next"].text()
    QTest.keyClick(built.window, Key.Key_L)
    assert built.localizer.locale == "en"
    assert built.navigator.index == 4
    after = [t.text for t in visible_slide(built).layout_items.texts]
    assert after != before and len(after) == len(before)
    assert built.window.controls.buttons["next"].text() != label
    QTest.keyClick(built.window, Key.Key_L)
    assert built.localizer.locale == "zh-CN"
    assert [t.text for t in visible_slide(built).layout_items.texts] == before


def test_overview_open_choose_and_escape(built):
    overview = built.window.stage.overview
    QTest.keyClick(built.window, Key.Key_O)
    assert built.modes.mode is Mode.OVERVIEW and overview.isVisible()
    QTest.keyClick(built.window, Key.Key_Escape)
    assert built.modes.mode is Mode.INTERACTIVE and not overview.isVisible()
    QTest.keyClick(built.window, Key.Key_O)
    QTest.keyClick(built.window, Key.Key_Right)
    QTest.keyClick(built.window, Key.Key_Down)
    assert built.navigator.index == 0  # arrows move the selection, not the slide
    QTest.keyClick(built.window, Key.Key_Return)
    cols, _ = overview.grid()
    assert built.navigator.index == 1 + cols
    assert not overview.isVisible()


def test_overview_tap_jumps(built, qtbot):
    QTest.keyClick(built.window, Key.Key_O)
    overview = built.window.stage.overview
    target = overview.cell_rects()[5].center().toPoint()
    QTest.mouseClick(overview, Qt.MouseButton.LeftButton, pos=target)
    assert built.navigator.index == 5
    assert built.modes.mode is Mode.INTERACTIVE


def test_f11_and_escape_full_screen(built, qtbot):
    QTest.keyClick(built.window, Key.Key_F11)
    qtbot.waitUntil(built.window.isFullScreen)
    QTest.keyClick(built.window, Key.Key_Escape)
    qtbot.waitUntil(lambda: not built.window.isFullScreen())


# -- on-screen controls ------------------------------------------------------


def test_control_buttons(built):
    buttons = built.window.controls.buttons
    QTest.mouseClick(buttons["next"], Qt.MouseButton.LeftButton)
    QTest.mouseClick(buttons["next"], Qt.MouseButton.LeftButton)
    assert visible_slide(built).index == 2
    QTest.mouseClick(buttons["previous"], Qt.MouseButton.LeftButton)
    assert visible_slide(built).index == 1
    QTest.mouseClick(buttons["home"], Qt.MouseButton.LeftButton)
    assert visible_slide(built).index == 0
    QTest.mouseClick(buttons["overview"], Qt.MouseButton.LeftButton)
    assert built.window.stage.overview.isVisible()
    QTest.mouseClick(buttons["overview"], Qt.MouseButton.LeftButton)
    assert not built.window.stage.overview.isVisible()
    english = built.localizer.text_in("en", "meta.language_name")
    assert buttons["language"].text() == english
    QTest.mouseClick(buttons["language"], Qt.MouseButton.LeftButton)
    assert built.localizer.locale == "en"
    assert buttons["language"].text() == built.localizer.text_in("zh-CN", "meta.language_name")


def test_controls_are_large_and_outside_the_stage(make_app):
    for size in [(1920, 1080), (1080, 1920), (1280, 800)]:
        built = make_app(size)
        stage = built.window.stage.geometry()
        dpi = built.window.screen().physicalDotsPerInch()
        for button in built.window.controls.buttons.values():
            if not button.isVisible():
                continue
            assert min(button.width(), button.height()) >= 9 / 25.4 * dpi
            top_left = button.mapTo(built.window, QPoint(0, 0))
            assert not stage.intersects(button.rect().translated(top_left))


# -- mouse ---------------------------------------------------------------------


def drag(widget, start: QPoint, end: QPoint, steps: int = 6) -> None:
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, steps + 1):
        QTest.mouseMove(widget, start + (end - start) * i / steps)
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)


def test_mouse_drag_swipes(built):
    stage = built.window.stage
    mid = stage.rect().center()
    drag(stage, mid + QPoint(250, 0), mid - QPoint(250, 0))
    assert visible_slide(built).index == 1
    drag(stage, mid - QPoint(250, 0), mid + QPoint(250, 0))
    assert visible_slide(built).index == 0


def test_mouse_short_or_vertical_drag_is_not_a_swipe(built):
    stage = built.window.stage
    mid = stage.rect().center()
    drag(stage, mid, mid - QPoint(8, 0))
    drag(stage, mid + QPoint(0, 200), mid - QPoint(60, 200))
    assert built.navigator.index == 0


def wheel(widget, dy: int) -> None:
    pos = QPointF(widget.rect().center())
    event = QWheelEvent(pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(0, 0),
                        QPoint(0, dy), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_wheel_one_notch_one_slide(built, qtbot):
    stage = built.window.stage
    wheel(stage, -120)
    assert built.navigator.index == 1
    wheel(stage, -60)
    assert built.navigator.index == 1  # half a notch does nothing yet
    qtbot.wait(250)
    wheel(stage, 120)
    assert built.navigator.index == 0


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


def stage_point(built, dx: int = 0, dy: int = 0) -> QPoint:
    stage = built.window.stage
    return stage.mapTo(built.window, stage.rect().center() + QPoint(dx, dy))


def test_touch_swipe_left_and_right(built, touch_device):
    w = built.window
    swipe(w, touch_device, stage_point(built, 200), stage_point(built, -200))
    assert visible_slide(built).index == 1
    swipe(w, touch_device, stage_point(built, 200), stage_point(built, -200))
    assert visible_slide(built).index == 2
    swipe(w, touch_device, stage_point(built, -200), stage_point(built, 200))
    assert visible_slide(built).index == 1


def test_touch_one_action_per_gesture(built, touch_device):
    # A very long swipe crosses the threshold many times over: still one slide.
    swipe(built.window, touch_device, stage_point(built, 500), stage_point(built, -500), 20)
    assert built.navigator.index == 1


def test_touch_threshold_in_millimetres(built, touch_device):
    px = built.pointer.swipe_px
    dpi = built.window.screen().physicalDotsPerInch()
    assert px == pytest.approx(built.settings.swipe_mm / 25.4 * max(dpi, 72.0))
    short = int(px * 0.6)
    swipe(built.window, touch_device, stage_point(built, short // 2), stage_point(built,
                                                                                 -short // 2))
    assert built.navigator.index == 0


def test_touch_vertical_drag_and_tap_are_not_swipes(built, touch_device):
    swipe(built.window, touch_device, stage_point(built, 0, -250), stage_point(built, 40, 250))
    p = stage_point(built)
    QTest.touchEvent(built.window, touch_device).press(0, p, built.window).commit()
    QTest.touchEvent(built.window, touch_device).release(0, p, built.window).commit()
    assert built.navigator.index == 0


def test_two_finger_drag_is_not_a_swipe(built, touch_device):
    w = built.window
    a, b = stage_point(built, 200, -50), stage_point(built, 200, 50)
    QTest.touchEvent(w, touch_device).press(0, a, w).press(1, b, w).commit()
    QTest.touchEvent(w, touch_device).move(0, a - QPoint(400, 0), w).move(
        1, b - QPoint(400, 0), w).commit()
    QTest.touchEvent(w, touch_device).release(0, a - QPoint(400, 0), w).release(
        1, b - QPoint(400, 0), w).commit()
    assert built.navigator.index == 0


def test_swipe_opt_out_property(built, touch_device):
    from taixin_kiosk.input.pointer import SWIPE_OPT_OUT

    built.window.stage.setProperty(SWIPE_OPT_OUT, True)
    swipe(built.window, touch_device, stage_point(built, 200), stage_point(built, -200))
    assert built.navigator.index == 0


def test_input_during_transition_is_not_swallowed(make_app, touch_device):
    built = make_app(motion=True)
    QTest.keyClick(built.window, Key.Key_Right)
    assert built.window.stage.overlay.running
    QTest.keyClick(built.window, Key.Key_Right)
    swipe(built.window, touch_device, stage_point(built, 200), stage_point(built, -200))
    assert built.navigator.index == 3
    assert visible_slide(built).index == 3


def test_transition_is_short(make_app, qtbot):
    built = make_app(motion=True)
    overlay = built.window.stage.overlay
    QTest.keyClick(built.window, Key.Key_Right)
    assert overlay.running
    assert 0 < overlay.duration_ms <= 300
    qtbot.waitUntil(lambda: not overlay.running, timeout=1000)
    assert not overlay.isVisible()


def test_motion_off_means_no_transition(built):
    QTest.keyClick(built.window, Key.Key_Right)
    assert not built.window.stage.overlay.isVisible()


# -- taps on slide content -------------------------------------------------------


def tap(built, device, widget_point: QPoint) -> None:
    QTest.touchEvent(built.window, device).press(0, widget_point, built.window).commit()
    QTest.touchEvent(built.window, device).release(0, widget_point, built.window).commit()


def test_map_tap_shows_area_focus(built, touch_device):
    deck = built.content.pack.deck
    index = next(i for i, s in enumerate(deck.slides) if s.type == "map")
    built.navigator.go(index)
    view = visible_slide(built)
    spec = view.slide.map
    assert spec is not None
    hint = built.localizer.text(spec.hint)
    assert hint in [t.text for t in view.layout_items.texts]
    for area in spec.areas:
        centre = view.layout_items.hotspots[area.id].center().toPoint()
        tap(built, touch_device, view.mapTo(built.window, centre))
        texts = [t.text for t in view.layout_items.texts]
        assert view.selected_area == area.id
        assert built.localizer.text(area.focus) in texts
        own = built.localizer.text(area.focus)
        others = {built.localizer.text(a.focus) for a in spec.areas} - {own}
        assert not others & set(texts), "only the chosen area's focus is shown"
    assert built.navigator.index == index


def test_chart_tap_shows_value(built, touch_device, qtbot):
    deck = built.content.pack.deck
    # The transport chart: its first figure (a bar until issue 14).
    index = next(i for i, s in enumerate(deck.slides) if s.id == "transport")
    built.navigator.go(index)
    view = visible_slide(built)
    chart = view.chart
    assert chart is not None and chart.callout_text() is None
    mark = chart._marks[0]
    point = chart.mapTo(built.window, chart.mark_position(0).toPoint())
    tap(built, touch_device, point)
    text = chart.callout_text()
    assert text is not None
    assert mark.value in text and mark.label in text
    assert built.navigator.index == index


def test_keys_work_whichever_child_has_focus(built):
    deck = built.content.pack.deck
    index = next(i for i, s in enumerate(deck.slides) if s.chart is not None)
    built.navigator.go(index)
    plot = visible_slide(built).chart.plot
    plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    plot.setFocus()
    # A graphics view would scroll with the arrows; the deck must move instead.
    QTest.keyClick(plot, Key.Key_Right)
    assert built.navigator.index == index + 1


def test_click_then_quick_drag_still_swipes(built):
    """The second press of a quick click-and-swipe arrives as a double-click."""
    from PySide6.QtGui import QMouseEvent

    stage = built.window.stage
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
    assert built.navigator.index == 1


def test_leaving_a_slide_resets_its_map_choice(built, touch_device):
    deck = built.content.pack.deck
    index = next(i for i, s in enumerate(deck.slides) if s.type == "map")
    built.navigator.go(index)
    view = visible_slide(built)
    view.select_area(view.slide.map.areas[0].id)
    QTest.keyClick(built.window, Key.Key_Right)
    QTest.keyClick(built.window, Key.Key_Left)
    assert visible_slide(built) is view and view.selected_area is None


def test_ctrl_q_ends_the_presentation(built, qtbot):
    QTest.keyClick(built.window, Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not built.window.isVisible())


def test_plain_q_does_nothing(built):
    QTest.keyClick(built.window, Key.Key_Q)
    assert built.window.isVisible() and built.navigator.index == 0


def _edited_pack_app(make_app, pack: Path, edit: Callable[[dict], None],  # type: ignore[no-untyped-def]
                     size: tuple[int, int], locale: str, **settings):
    """The app on ``pack`` (a copy of the test pack) after ``edit`` has
    changed each of its catalogues, at ``size`` with subtitles, in ``locale``."""
    import json

    from taixin_kiosk.content.choice import choose

    for name in ("en", "zh-CN", "zh-TW"):
        path = pack / "i18n" / f"{name}.json"
        words = json.loads(path.read_text(encoding="utf-8"))
        edit(words["deck"])
        path.write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
    choice = choose(pack)
    assert not choice.problems
    built = make_app(size, choice=choice, **settings)
    built.window.setFixedSize(*size)
    built.localizer.set_subtitles(True)
    built.localizer.set_locale(locale)
    return built


def test_a_timeline_too_short_for_its_details_reads_them_on_a_tap(make_app, touch_device,
                                                                   grand_canal_copy):
    """Large text with subtitles on an 800-line screen leaves the test pack's
    history timeline, its details made three times as long, too short a box
    for them: it names its points only, with no text out of its box, and a
    tap on a point reads that point's name and detail."""
    def longer(words: dict) -> None:
        for point in ("p605", "p1293", "p1855", "p2014"):
            words["history"][point]["detail"] = " ".join([words["history"][point]["detail"]] * 3)

    built = _edited_pack_app(make_app, grand_canal_copy, longer, (1280, 800), "en",
                             large_text=True)
    slides = built.content.pack.deck.slides
    index = next(i for i, s in enumerate(slides) if s.id == "history")
    built.navigator.go(index)
    built.app.processEvents()
    chart = visible_slide(built).chart
    spec = slides[index].chart
    details = [built.localizer.text(p.detail) for p in spec.points if p.detail]
    assert chart.brief and details
    shown = [text for text, _ in chart.text_boxes()]
    assert not set(details) & set(shown)
    assert {built.localizer.text(p.label) for p in spec.points} <= set(shown)
    bounds = chart._to_widget(chart.item.view_box.mapRectToScene(
        chart.item.view_box.boundingRect())).adjusted(-1, -1, 1, 1)
    assert all(bounds.contains(box) for _, box in chart.text_boxes())
    read = set()
    ordered = sorted(spec.points, key=lambda p: p.x)
    for i in range(chart.mark_count()):
        tap(built, touch_device, chart.mapTo(built.window, chart.mark_position(i).toPoint()))
        text = chart.callout_text()
        assert text is not None
        # The point's name with its detail, wrapped inside the chart.
        assert built.localizer.text(ordered[i].label) in text
        read |= {detail for detail in details if detail in text}
        assert bounds.contains(dict(chart.text_boxes())[text]), text
    assert read == set(details)
    assert built.navigator.index == index


def test_a_numbered_map_is_tapped_by_its_markers(make_app, touch_device, grand_canal_copy):
    """A map slide short of room on the touch screen (here the test pack's map
    with six areas close together, its title and lead made long, shown with
    subtitles) numbers its areas (ui.layout.map HEADER_TALLER): a tap on an
    area's marker, or on its numbered row in the list, opens that area's
    focus, and its marker in the list turns to the chosen colour; the map
    and the title stay as they were (the slide keeps the arrangement it has
    with no area chosen)."""
    import json
    import math

    from taixin_kiosk.ui.layout.items import PanelItem

    deck_file = grand_canal_copy / "deck.json"
    deck = json.loads(deck_file.read_text(encoding="utf-8"))
    spec = next(s for s in deck["slides"] if s["type"] == "map")["map"]
    first = spec["areas"]
    spec["areas"] = [{**first[i % len(first)], "id": f"area{i}",
                      "x": 0.5 + 0.12 * math.cos(i * math.pi / 3),
                      "y": 0.5 + 0.12 * math.sin(i * math.pi / 3)} for i in range(6)]
    deck_file.write_text(json.dumps(deck, ensure_ascii=False), encoding="utf-8")

    def longer(words: dict) -> None:
        words["map"]["title"] *= 3
        words["map"]["lead"] *= 2

    built = _edited_pack_app(make_app, grand_canal_copy, longer, (1920, 1080), "zh-TW")
    slides = built.content.pack.deck.slides
    index = next(i for i, s in enumerate(slides) if s.type == "map")
    built.navigator.go(index)
    view = visible_slide(built)
    layout = view.layout_items
    assert layout.map_numbered
    before = (layout.map_rect, layout.texts[0].font.pixelSize())
    areas = view.slide.map.areas
    for n, area in enumerate(areas, 1):
        for where in ("marker", "row"):
            view.select_area(None)
            layout = view.layout_items
            if where == "marker":
                marker = next(t for t in layout.texts
                              if t.text == str(n) and layout.map_rect.contains(t.rect.center()))
                point = marker.rect.center().toPoint()
            else:
                point = layout.panel_rows[area.id].center().toPoint()
            tap(built, touch_device, view.mapTo(built.window, point))
            assert view.selected_area == area.id, (n, where)
            texts = [t.text for t in view.layout_items.texts]
            assert built.localizer.text(area.focus) in texts
            # The row's marker (a round panel behind the number) is the chosen one's.
            row = view.layout_items.panel_rows[area.id]
            rings = [d.edge for d in view.layout_items.decor
                     if isinstance(d, PanelItem) and row.contains(d.rect.center())
                     and abs(d.radius * 2 - d.rect.width()) < 0.5]
            assert rings == [view.look.palette.accent], (n, where)
            shown = view.layout_items
            assert (shown.map_rect, shown.texts[0].font.pixelSize()) == before, (n, where)
    assert built.navigator.index == index
