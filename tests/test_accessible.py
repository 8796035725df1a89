"""Screen readers and keyboard-only use: accessible names and descriptions in
the shown language, announcements, Tab order, focus rings, and Enter / Space
on a focused control, with real key and mouse events through the window."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible, QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from conftest import poll_until
from taixin_kiosk.core.modes import Mode
from taixin_kiosk.ui.announce import announcer

Key = Qt.Key
CJK = re.compile(r"[\u4e00-\u9fff]")
MAP_SLIDE, CHART_SLIDE = 12, 7  # zones-map, transport (four figures)


def accessible(widget: QWidget) -> tuple[str, str]:
    """What a screen reader is given: the name and the description."""
    iface = QAccessible.queryAccessibleInterface(widget)
    assert iface is not None and iface.isValid(), widget.objectName()
    return iface.text(QAccessible.Text.Name), iface.text(QAccessible.Text.Description)


def focused() -> str:
    widget = QApplication.focusWidget()
    return widget.objectName() if widget is not None else ""


def press(built, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """A key as the user types it: to the focused widget of the window."""
    target = QApplication.focusWidget()
    if target is None or target.window() is not built.window:
        target = built.window
    QTest.keyClick(target, key, modifier)


def tab_names(built, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    names = []
    for _ in range(count):
        press(built, Key.Key_Tab)
        names.append(focused())
    return names


def go(built, qtbot, index: int) -> None:  # type: ignore[no-untyped-def]
    """To a slide, then one turn of the event loop: its stand-ins are placed."""
    built.navigator.go(index)
    qtbot.wait(30)


@pytest.fixture
def active(built):  # type: ignore[no-untyped-def]
    built.window.activateWindow()
    QApplication.processEvents()
    return built


def controls_of(built) -> list[QWidget]:  # type: ignore[no-untyped-def]
    window = built.window
    return [*window.controls.buttons.values(), window.controls.counter,
            *window.access_bar.buttons.values()]


# -- names and descriptions -----------------------------------------------------


def test_every_control_is_named_and_described_in_the_shown_language(active):
    built = active
    QTest.keyClick(built.window, Key.Key_A)  # the access strip too
    before = {w.objectName() or "counter": accessible(w) for w in controls_of(built)}
    assert built.localizer.locale == "zh-CN"
    for name, (label, description) in before.items():
        assert label.strip() and description.strip(), name
        assert CJK.search(description), (name, description)
    QTest.keyClick(built.window, Key.Key_L)
    assert built.localizer.locale == "en"
    after = {w.objectName() or "counter": accessible(w) for w in controls_of(built)}
    for name, (label, description) in after.items():
        assert label.strip() and description.strip(), name
        # (The language button names Chinese in Chinese, the rest is English.)
        english = description.replace("中文", "")
        assert not CJK.search(english) and re.search("[A-Za-z]", english), name
        assert description != before[name][1], name
        # The language button names the other language; the rest say their job.
        if name != "control-language":
            assert label != before[name][0], name
    assert after["counter"][0] == "Slide 1 of 19"
    assert after["control-language"][1] == "Switches the presentation to 中文."


def test_toggles_expose_their_checked_state(active):
    built = active
    window = built.window
    QTest.mouseClick(window.controls.buttons["access"], Qt.MouseButton.LeftButton)
    contrast = window.access_bar.buttons["contrast"]
    iface = QAccessible.queryAccessibleInterface(contrast)
    assert iface.state().checkable and not iface.state().checked
    QTest.mouseClick(contrast, Qt.MouseButton.LeftButton)
    assert built.access.current.high_contrast
    assert QAccessible.queryAccessibleInterface(contrast).state().checked
    large = QAccessible.queryAccessibleInterface(window.controls.buttons["large_text"])
    assert large.state().checkable and not large.state().checked


def test_the_slide_is_named_and_described_as_it_reads(active, qtbot):
    built = active
    view = built.window.stage.current_view
    name, description = accessible(view)
    texts = built.localizer.text
    assert name == texts(view.slide.title)
    assert texts(view.slide.subtitle) in description
    # A chart slide: its title and every value, as the chart shows them.
    go(built, qtbot, CHART_SLIDE)
    view = built.window.stage.current_view
    view.ensure_chart()
    name, description = accessible(view)
    assert name == texts(view.slide.title) and name in description
    assert texts(view.slide.chart.title) in description
    chart = view.chart
    assert chart is not None and chart.mark_count() == 4
    for i in range(chart.mark_count()):
        assert chart.mark_text(i) in description
    # The map: every area with its focus; then the same in English.
    go(built, qtbot, MAP_SLIDE)
    view = built.window.stage.current_view
    zh_name, zh_description = accessible(view)
    for area in view.slide.map.areas:
        assert texts(area.name) in zh_description and texts(area.focus) in zh_description
    QTest.keyClick(built.window, Key.Key_L)
    en_name, en_description = accessible(view)
    assert en_name != zh_name and not CJK.search(en_name + en_description)
    for area in view.slide.map.areas:
        assert texts(area.focus) in en_description
    assert accessible(built.window.stage)[0] == "Slides"


def test_notice_is_named_described_and_closed_from_the_keyboard(make_app, builtin_choice):
    from taixin_kiosk.content.choice import ContentChoice
    from taixin_kiosk.content.problems import Problem

    problem = Problem("deck.json", "slides[0].title", "wrong_type", {"expected": "string"})
    choice = ContentChoice(builtin_choice.pack, problems=(problem,), requested=Path("/x"))
    built = make_app(choice=choice)
    built.window.activateWindow()
    notice = built.window.notice
    name, description = accessible(notice)
    assert name == "提示" and "/x" in description and "回车" in description
    # First in reading order: it is at the top.
    assert tab_names(built, 1) == ["notice"]
    press(built, Key.Key_Return)
    assert not notice.isVisible() and built.navigator.index == 0
    # Focus went back to the stage: Space is "next" again.
    press(built, Key.Key_Space)
    assert built.navigator.index == 1


def test_staff_screens_are_described(make_app):
    from taixin_kiosk.config.pin import hash_pin

    built = make_app(kiosk=True, keep_awake=False, idle_seconds=600.0,
                       attract_seconds=600.0, pin=hash_pin("2468"))
    staff = built.kiosk_mode
    assert staff is not None
    staff.open_pin_pad()
    pad = staff.pin_pad
    for button in [*pad.keys.values(), pad.cancel, *staff.panel.buttons.values()]:
        name, description = accessible(button)
        assert name and CJK.search(description), button.objectName()
    QTest.keyClick(pad, Key.Key_4)
    QTest.keyClick(pad, Key.Key_2)
    # How many digits, never which.
    assert accessible(pad.dots)[0] == "已输入 2 位数字"


# -- announcements ---------------------------------------------------------------


def test_slide_change_is_announced(active):
    built = active
    said = []
    announcer().announced.connect(said.append)
    QTest.keyClick(built.window, Key.Key_Right)
    title = built.localizer.text(built.window.stage.current_view.slide.title)
    assert said == [f"第 2 页，共 19 页：{title}"]
    QTest.keyClick(built.window, Key.Key_L)
    assert said[-1].startswith("The presentation is now in English.")
    title = built.localizer.text(built.window.stage.current_view.slide.title)
    assert said[-1].endswith(f"Slide 2 of 19: {title}")
    QTest.keyClick(built.window, Key.Key_End)
    assert said[-1].startswith("Slide 19 of 19: ")
    announcer().announced.disconnect(said.append)


def test_the_attract_loop_is_not_announced_but_a_visitor_is(make_app, qtbot):
    built = make_app(kiosk=True, keep_awake=False, idle_seconds=0.2, attract_seconds=0.1,
                       attract_advance_seconds=3)
    said: list[str] = []
    announcer().announced.connect(said.append)
    try:
        idle = built.kiosk_mode.idle
        qtbot.waitUntil(lambda: idle.attracting, timeout=3000)
        built.navigator.next()  # what the loop's advance does
        assert built.navigator.index == 1 and said == []
        QTest.keyClick(built.window, Key.Key_Right)  # wakes the kiosk only
        QTest.keyClick(built.window, Key.Key_Right)
        assert said and said[-1].startswith("第 3 页")
    finally:
        announcer().announced.disconnect(said.append)


def test_turning_the_screen_announces_low_reach_once(make_app):
    built = make_app(size=(1920, 1080))
    said: list[str] = []
    announcer().announced.connect(said.append)
    try:
        built.window.resize(1080, 1920)  # a totem turned upright: low reach comes on
        assert built.window.low_reach and len(said) == 1
        QTest.keyClick(built.window, Key.Key_T)
        assert len(said) == 2 and "低位" not in said[-1]  # large text only
    finally:
        announcer().announced.disconnect(said.append)


def test_the_attract_loop_changes_language_silently(make_app, qtbot):
    built = make_app(kiosk=True, keep_awake=False, idle_seconds=0.2, attract_seconds=0.1,
                       attract_advance_seconds=5)
    said: list[str] = []
    announcer().announced.connect(said.append)
    try:
        qtbot.waitUntil(lambda: built.kiosk_mode.idle.attracting, timeout=3000)
        built.localizer.cycle()  # what the loop does at the end of a round
        assert built.localizer.locale == "en" and said == []
    finally:
        announcer().announced.disconnect(said.append)


def test_toggles_are_announced(active):
    built = active
    said = []
    announcer().announced.connect(said.append)
    for key in (Key.Key_T, Key.Key_C, Key.Key_M, Key.Key_R, Key.Key_T):
        QTest.keyClick(built.window, key)
    announcer().announced.disconnect(said.append)
    # (The tests start with motion off: M turns "less motion" off.)
    assert said == ["大字已开启。", "高对比度已开启。", "减少动画已关闭。",
                    "低位操作已开启：可触控的内容位于屏幕下部。", "大字已关闭。"]


def test_announcements_reach_qt_accessibility_when_a_reader_listens(active):
    """With accessibility active (as when a screen reader runs), the event
    goes to Qt's platform bridge; the slide's interface has the new name."""
    built = active
    rec = announcer()
    QAccessible.setActive(True)
    try:
        before = rec.delivered
        QTest.keyClick(built.window, Key.Key_Right)
        assert rec.delivered == before + 1
        view = built.window.stage.current_view
        name, _ = accessible(view)
        assert name and name in (rec.last or "")
    finally:
        QAccessible.setActive(False)
    before = rec.delivered
    QTest.keyClick(built.window, Key.Key_Right)
    assert rec.delivered == before  # no reader: nothing is built or sent


# -- Tab, focus ring, Enter and Space --------------------------------------------


def test_tab_walks_the_controls_in_reading_order_and_wraps(active):
    built = active
    assert focused() == "stage"  # activating the window focuses no button
    bar = ["control-home", "control-overview", "control-access", "control-next",
           "control-large_text", "control-language"]  # Previous is off on slide 1
    assert tab_names(built, 7) == [*bar, "control-home"]
    press(built, Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() == "control-language"
    press(built, Key.Key_Backtab)
    assert focused() == "control-large_text"
    # The access strip, when open, comes before the bar below it.
    press(built, Key.Key_Escape)
    assert focused() == "stage"
    QTest.keyClick(built.window, Key.Key_A)
    assert tab_names(built, 4) == ["access-contrast", "access-motion", "access-reach",
                                   "control-home"]


def test_tab_reaches_map_areas_and_chart_marks(active, qtbot):
    built = active
    go(built, qtbot, MAP_SLIDE)
    view = built.window.stage.current_view
    areas = [f"area-{a.id}" for a in view.slide.map.areas]
    assert tab_names(built, len(areas) + 1) == [*areas, "control-home"]
    press(built, Key.Key_Escape)
    press(built, Key.Key_Tab)
    proxy = QApplication.focusWidget()
    first = view.slide.map.areas[0]
    name, description = accessible(proxy)
    assert name == built.localizer.text(first.name)
    assert built.localizer.text(first.focus) in description
    said = []
    announcer().announced.connect(said.append)
    press(built, Key.Key_Return)
    announcer().announced.disconnect(said.append)
    assert view.selected_area == first.id and built.navigator.index == MAP_SLIDE
    assert QAccessible.queryAccessibleInterface(proxy).state().checked
    assert built.localizer.text(first.focus) in said[-1]
    # The chart: each bar, named with its value; Enter shows it.
    go(built, qtbot, CHART_SLIDE)
    assert focused() == "stage"  # the area left with its slide
    view = built.window.stage.current_view
    chart = view.chart
    assert chart is not None
    assert tab_names(built, 2) == ["mark-1", "mark-2"]
    assert accessible(QApplication.focusWidget())[0] == chart.mark_text(1)
    press(built, Key.Key_Space)
    assert chart.selected == 1 and chart.callout_text() == chart.mark_text(1)
    assert built.navigator.index == CHART_SLIDE


def ring_pixels(image: QImage, inset: int) -> list[QColor]:
    """Colours along the widget's edges, ``inset`` px in."""
    w, h = image.width(), image.height()
    return [image.pixelColor(inset, h // 2), image.pixelColor(w - 1 - inset, h // 2),
            image.pixelColor(w // 2, inset), image.pixelColor(w // 2, h - 1 - inset)]


def test_a_focused_button_shows_a_ring_both_themes(active):
    from taixin_kiosk.ui.focus import HALO_PX, ring_width

    built = active
    button = built.window.controls.buttons["overview"]
    plain = button.grab().toImage()
    tab_names(built, 2)
    assert button.hasFocus()
    ringed = button.grab().toImage()
    assert ringed != plain
    width = ring_width(button)
    assert width >= 3
    # The white band, at least 3 px wide, with a dark halo outside it.
    middle = round(HALO_PX + width / 2)
    for colour in ring_pixels(ringed, middle):
        assert colour.name() == built.window.look.palette.text.name()
    for colour in ring_pixels(ringed, 0):
        assert colour.lightness() < 80
    QTest.keyClick(built.window, Key.Key_C)  # high contrast: still white on black
    assert button.hasFocus()
    for colour in ring_pixels(button.grab().toImage(), middle):
        assert colour.name() == built.window.look.palette.text.name()
    press(built, Key.Key_Escape)
    assert button.grab().toImage() != ringed


def test_a_focused_toggle_still_shows_it_is_on(active):
    from taixin_kiosk.ui.focus import HALO_PX, ring_width

    built = active
    QTest.keyClick(built.window, Key.Key_A)
    QTest.keyClick(built.window, Key.Key_C)
    contrast = built.window.access_bar.buttons["contrast"]
    assert contrast.isChecked()
    assert tab_names(built, 1) == ["access-contrast"]
    image = contrast.grab().toImage()
    band = ring_width(contrast) + 2 * HALO_PX
    # Inside the white ring: the checked frame, in the accent colour.
    frame = image.pixelColor(round(band + 4), image.height() // 2)
    palette = built.window.look.palette
    assert frame.name() == palette.accent.name()
    assert image.pixelColor(round(HALO_PX + ring_width(contrast) / 2),
                            image.height() // 2).name() == palette.text.name()


def test_enter_and_space_press_the_focused_button_only(active):
    built = active
    nav = built.navigator
    # Nothing focused: Space and Enter are a clicker's next and jump.
    press(built, Key.Key_Space)
    assert nav.index == 1
    press(built, Key.Key_Return)
    assert nav.index == 1 and not built.window.stage.overview.isVisible()
    while focused() != "control-next":
        press(built, Key.Key_Tab)
    press(built, Key.Key_Return)
    assert nav.index == 2  # once
    press(built, Key.Key_Space)
    assert nav.index == 3
    # A clicker's Page Down and the arrows still move the slides.
    press(built, Key.Key_PageDown)
    assert nav.index == 4 and focused() == "control-next"
    press(built, Key.Key_Left)
    assert nav.index == 3
    # Typed digits and Enter still jump.
    QTest.keyClicks(QApplication.focusWidget(), "12")
    press(built, Key.Key_Enter)
    assert nav.index == 11 and focused() == "control-next"
    # Esc: back to the stage, and Space is "next" again.
    press(built, Key.Key_Escape)
    assert focused() == "stage"
    press(built, Key.Key_Space)
    assert nav.index == 12


def test_pointer_never_gives_focus(active):
    built = active
    window = built.window
    next_button = window.controls.buttons["next"]
    # Clicks through the window, as the platform delivers them.
    at = next_button.mapTo(window, next_button.rect().center())
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, pos=at)
    assert built.navigator.index == 1
    assert focused() == "stage"
    press(built, Key.Key_Space)
    assert built.navigator.index == 2
    # A keyboard user's focus goes when the slide is clicked: Space is "next".
    tab_names(built, 1)
    assert focused() == "control-home"
    stage = window.stage
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton,
                     pos=stage.mapTo(window, stage.rect().center()))
    assert focused() == "stage"
    press(built, Key.Key_Space)
    assert built.navigator.index == 3


def test_focus_moves_to_previous_when_next_runs_out(active):
    built = active
    built.navigator.go(built.navigator.count - 2)
    while focused() != "control-next":
        press(built, Key.Key_Tab)
    press(built, Key.Key_Return)
    assert built.navigator.index == built.navigator.count - 1
    assert focused() == "control-previous"


def test_overview_from_the_keyboard(active):
    built = active
    said = []
    announcer().announced.connect(said.append)
    while focused() != "control-overview":
        press(built, Key.Key_Tab)
    press(built, Key.Key_Return)
    assert built.modes.mode is Mode.OVERVIEW
    assert said[-1].startswith("全部 19 页的总览")
    # On the current slide's thumbnail, named with its number and title.
    assert focused() == "thumbnail-1"
    name, description = accessible(QApplication.focusWidget())
    assert name.startswith("第 1 页：") and description
    press(built, Key.Key_Right)
    assert focused() == "thumbnail-2" and built.window.stage.overview.selection == 1
    press(built, Key.Key_Tab)
    assert focused() == "thumbnail-3" and built.window.stage.overview.selection == 2
    press(built, Key.Key_Return)
    announcer().announced.disconnect(said.append)
    assert built.modes.mode is Mode.INTERACTIVE and built.navigator.index == 2
    assert said[-1].startswith("第 3 页，共 19 页：")
    # Back where the keyboard user came from.
    assert focused() == "control-overview"


def test_thumbnail_stand_ins_follow_low_reach(make_app):
    """Low reach turned on with the overview open moves the thumbnails to the
    lower strip: their stand-ins (the focus ring, a screen reader's boxes,
    Enter's target) move with them."""
    from taixin_kiosk.ui.focus import HALO_PX, ring_width

    built = make_app(size=(1920, 1080))
    window = built.window
    window.activateWindow()
    overview = window.stage.overview
    press(built, Key.Key_O)
    assert overview.isVisible()
    before = [p.geometry() for p in overview.proxies.proxies]
    press(built, Key.Key_R)
    assert window.low_reach
    rects = overview.cell_rects()
    strip = overview.grid_area()
    assert strip.top() > overview.height() / 2  # the thumbnails did move down
    proxies = overview.proxies.proxies
    assert len(proxies) == len(rects) == built.navigator.count
    for i, (proxy, rect) in enumerate(zip(proxies, rects, strict=True)):
        pad = ring_width(proxy) + 2 * HALO_PX + 2
        assert proxy.geometry() == rect.adjusted(-pad, -pad, pad, pad).toAlignedRect(), i
        assert proxy.geometry() != before[i], i
        assert overview.index_at(proxy.geometry().center().toPointF()) == i
    # Tab: the ring is drawn around the first thumbnail where it now is.
    press(built, Key.Key_Tab)
    assert focused() == "thumbnail-1"
    proxy = proxies[0]
    image = window.grab().toImage()
    band = round(HALO_PX + ring_width(proxy) / 2)
    left = proxy.mapTo(window, QPoint(band, proxy.height() // 2))
    assert image.pixelColor(left).name() == window.look.palette.text.name()
    # Enter on a Tab-focused thumbnail opens that slide.
    while focused() != "thumbnail-5":
        press(built, Key.Key_Tab)
    press(built, Key.Key_Return)
    assert built.modes.mode is Mode.INTERACTIVE and built.navigator.index == 4


def test_low_reach_keeps_reading_order(make_app, builtin_choice):
    from taixin_kiosk.content.choice import ContentChoice
    from taixin_kiosk.content.problems import Problem

    problem = Problem("deck.json", "slides[0].title", "wrong_type", {"expected": "string"})
    choice = ContentChoice(builtin_choice.pack, problems=(problem,), requested=Path("/x"))
    built = make_app(size=(1080, 1920), choice=choice)
    built.window.activateWindow()
    assert built.window.low_reach
    # The notice sits just above the controls now: it comes after the slide.
    assert tab_names(built, 2) == ["notice", "control-home"]
    press(built, Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    press(built, Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() == "control-language"


def test_kiosk_keys_with_focus_and_staff_screens(make_app, qtbot):
    from taixin_kiosk.config.pin import hash_pin

    built = make_app(kiosk=True, keep_awake=False, idle_seconds=600.0,
                       attract_seconds=600.0, pin=hash_pin("2468"))
    built.window.activateWindow()
    assert tab_names(built, 1) == ["control-home"]
    press(built, Key.Key_Escape)  # focus back to the stage; the kiosk stays
    assert focused() == "stage" and built.window.isVisible()
    press(built, Key.Key_Space)
    assert built.navigator.index == 1
    staff = built.kiosk_mode
    staff.open_pin_pad()
    assert built.modes.mode is Mode.STAFF
    # Tab cannot reach the controls under the PIN pad; digits still go to it.
    press(built, Key.Key_Tab)
    assert not focused().startswith("control-")
    QTest.keyClicks(staff.pin_pad, "12")
    assert staff.pin_pad.entry == "12"
    QTest.keyClick(staff.pin_pad, Key.Key_Escape)
    assert built.modes.mode is not Mode.STAFF
    # Leaving the staff screen never leaves a button focused by accident.
    assert not focused().startswith("control-")
    press(built, Key.Key_Space)
    assert built.navigator.index == 2


def staff_kiosk(make_app, **settings):  # type: ignore[no-untyped-def]
    from taixin_kiosk.config.pin import hash_pin

    built = make_app(kiosk=True, keep_awake=False, idle_seconds=600.0,
                       attract_seconds=600.0, pin=hash_pin("2468"), **settings)
    built.window.activateWindow()
    QApplication.processEvents()
    return built


def tab_to(built, name: str, limit: int = 20) -> None:  # type: ignore[no-untyped-def]
    for _ in range(limit):
        if focused() == name:
            return
        press(built, Key.Key_Tab)
    assert focused() == name


def assert_ringed(button) -> None:  # type: ignore[no-untyped-def]
    """The focus ring: a white band of at least 3 px with a dark edge outside."""
    from taixin_kiosk.ui.focus import HALO_PX, ring_width

    assert button.hasFocus()
    width = ring_width(button)
    assert width >= 3
    image = button.grab().toImage()
    for colour in ring_pixels(image, round(HALO_PX + width / 2)):
        assert colour.name() == button.window().look.palette.text.name(), button.objectName()
    for colour in ring_pixels(image, 0):
        assert colour.lightness() < 80, button.objectName()


def test_staff_screens_from_the_keyboard_only(make_app):
    """PIN pad to staff panel to the slides again, with Tab, Space and Enter."""
    built = staff_kiosk(make_app)
    staff = built.kiosk_mode
    pad, panel = staff.pin_pad, staff.panel
    staff.open_pin_pad()
    assert built.modes.mode is Mode.STAFF and focused() == "pin-pad"
    plain = pad.keys["1"].grab().toImage()
    press(built, Key.Key_Tab)
    assert focused() == "pin-key-1"
    assert pad.keys["1"].grab().toImage() != plain
    assert_ringed(pad.keys["1"])
    # Shift+Tab wraps to the last button, Tab back to the first.
    press(built, Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() == "pin-cancel"
    press(built, Key.Key_Tab)
    assert focused() == "pin-key-1"
    assert tab_names(built, 11) == [f"pin-key-{k}" for k in
                                    ("2", "3", "4", "5", "6", "7", "8", "9", "back", "0", "ok")]
    # The PIN by its keys: Tab to each, Space presses it.
    for digit in "2468":
        tab_to(built, f"pin-key-{digit}")
        press(built, Key.Key_Space)
    assert pad.entry == "2468"
    tab_to(built, "pin-key-ok")
    press(built, Key.Key_Return)
    assert panel.isVisible() and not pad.isVisible() and built.modes.mode is Mode.STAFF
    # Every action, Exit too, in the column's order; then round again.
    actions = [f"staff-{name}" for name in panel.ACTIONS]
    assert tab_names(built, len(actions) + 1) == [*actions, actions[0]]
    press(built, Key.Key_Backtab)
    assert focused() == "staff-exit"
    assert_ringed(panel.buttons["exit"])
    tab_to(built, "staff-close")
    assert_ringed(panel.buttons["close"])
    press(built, Key.Key_Return)
    assert built.modes.mode is Mode.INTERACTIVE and not panel.isVisible()
    # No button left focused: Space is "next" again.
    assert focused() == "stage"
    press(built, Key.Key_Space)
    assert built.navigator.index == 1


def test_staff_screens_type_escape_and_never_take_focus_from_a_tap(make_app):
    built = staff_kiosk(make_app)
    window = built.window
    staff = built.kiosk_mode
    pad, panel = staff.pin_pad, staff.panel
    staff.open_pin_pad()
    # A tap (a click) presses a key without giving it focus.
    key = pad.keys["7"]
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton,
                     pos=key.mapTo(window, key.rect().center()))
    assert pad.entry == "7" and focused() == "pin-pad"
    # Digits typed with a key focused still go to the pad; Esc cancels it.
    press(built, Key.Key_Tab)
    assert focused() == "pin-key-1"
    QTest.keyClicks(QApplication.focusWidget(), "24")
    press(built, Key.Key_Backspace)
    assert pad.entry == "72" and focused() == "pin-key-1"
    press(built, Key.Key_Escape)
    assert built.modes.mode is Mode.INTERACTIVE and not pad.isVisible()
    assert focused() == "stage"
    # Typed PIN and Enter; the touch test and back with Esc; Esc closes the panel.
    staff.open_pin_pad()
    QTest.keyClicks(QApplication.focusWidget(), "2468")
    press(built, Key.Key_Enter)
    assert panel.isVisible() and focused() == "staff-panel"
    tab_to(built, "staff-touch_test")
    press(built, Key.Key_Space)
    assert staff.touch_test.isVisible() and not panel.isVisible()
    assert tab_names(built, 2) == ["touch-done", "touch-done"]
    assert_ringed(staff.touch_test.close_button)
    press(built, Key.Key_Escape)
    assert panel.isVisible() and not staff.touch_test.isVisible()
    assert built.modes.mode is Mode.STAFF
    tab_to(built, "staff-reload")
    press(built, Key.Key_Escape)
    assert built.modes.mode is Mode.INTERACTIVE and not panel.isVisible()
    assert focused() == "stage"


def test_staff_exit_and_the_ring_in_high_contrast_from_the_keyboard(make_app, monkeypatch):
    built = staff_kiosk(make_app)
    built.access.set(built.access.current._replace(high_contrast=True))
    codes: list[int] = []
    monkeypatch.setattr(built.app, "exit", lambda code=0: codes.append(code))
    staff = built.kiosk_mode
    staff.open_pin_pad()
    tab_to(built, "pin-key-ok")
    assert_ringed(staff.pin_pad.keys["ok"])  # on the accent key too
    press(built, Key.Key_Escape)
    staff.open_pin_pad()
    QTest.keyClicks(QApplication.focusWidget(), "2468")
    press(built, Key.Key_Return)
    tab_to(built, "staff-exit")
    assert_ringed(staff.panel.buttons["exit"])
    press(built, Key.Key_Return)
    assert codes == [0]
    assert built.window.close()


def test_idle_reset_takes_the_focus_back(make_app, qtbot):
    built = make_app(kiosk=True, keep_awake=False, idle_seconds=0.3,
                       attract_seconds=600.0)
    built.window.activateWindow()
    tab_names(built, 2)
    assert focused() == "control-overview"
    qtbot.waitUntil(lambda: focused() == "stage", timeout=3000)
    press(built, Key.Key_Space)
    assert built.navigator.index == 1


def test_screen_readers_list_the_window_in_reading_order(active):
    window = active.window
    iface = QAccessible.queryAccessibleInterface(window)
    objects = [iface.child(i).object() for i in range(iface.childCount())]
    parts = [o for o in objects if o in (window.stage, window.access_bar, window.controls)]
    assert parts == [window.stage, window.access_bar, window.controls]


def test_window_shots_can_show_a_focus_ring(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    out = tmp_path / "shots"
    subprocess.run([sys.executable, str(ROOT / "tools" / "window_shots.py"), str(out),
                    "--slides", "0", "--lang", "en", "--size", "960x540"],
                   check=True, capture_output=True, timeout=120)
    subprocess.run([sys.executable, str(ROOT / "tools" / "window_shots.py"), str(out / "f"),
                    "--slides", "0", "--lang", "en", "--size", "960x540",
                    "--focus", "control-next"], check=True, capture_output=True, timeout=120)
    plain = QImage(str(out / "en-960x540-01.png"))
    ringed = QImage(str(out / "f" / "en-960x540-01.png"))
    assert not plain.isNull() and plain.size() == ringed.size()
    assert plain != ringed


def test_focus_point_is_inside_its_item(active, qtbot):
    """A stand-in sits over what it stands for: a tap at its centre does what
    Enter on it does."""
    built = active
    go(built, qtbot, MAP_SLIDE)
    view = built.window.stage.current_view
    area = view.slide.map.areas[1]
    proxy = view.access.areas[area.id]
    centre = proxy.mapTo(built.window, proxy.rect().center())
    # Through the window, as the platform delivers it: Qt finds the widget
    # under the pointer, and the stand-in lets the click through.
    QTest.mouseClick(built.window.windowHandle(), Qt.MouseButton.LeftButton,
                     pos=QPoint(centre))
    assert view.selected_area == area.id
    assert not proxy.hasFocus()


# -- end to end: what a Linux screen reader receives --------------------------------

LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")


_wait = poll_until


@pytest.mark.slow
def test_a_screen_reader_hears_it_over_atspi(tmp_path):
    """The real app on X11 with Qt's AT-SPI bridge, a registry, and a listener
    registered as Orca registers: keys typed with xdotool; the announcements
    and focus changes (with names and descriptions) arrive on the a11y bus."""
    import json
    import os
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    tools = {name: shutil.which(name) for name in ("Xvfb", "dbus-daemon", "xdotool", "gdbus")}
    if not sys.platform.startswith("linux") or not all(tools.values())\
            or not LAUNCHER.exists():
        pytest.skip("needs Xvfb, dbus-daemon, xdotool, gdbus and at-spi2-core")
    display = next(f":{n}" for n in range(91, 140)
                   if not Path(f"/tmp/.X11-unix/X{n}").exists()
                   and not Path(f"/tmp/.X{n}-lock").exists())
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    env = {**os.environ, "DISPLAY": display, "XDG_RUNTIME_DIR": str(run),
           "HOME": str(tmp_path)}
    env.pop("QT_QPA_PLATFORM", None)
    started: list[subprocess.Popen] = []

    def start(args, **kw):  # type: ignore[no-untyped-def]
        process = subprocess.Popen(args, env=env, **kw)
        started.append(process)
        return process

    def gdbus(*args: str) -> str:
        done = subprocess.run([tools["gdbus"], "call", "--session", *args], env=env,
                              capture_output=True, text=True, timeout=10)
        return done.stdout if done.returncode == 0 else ""

    try:
        start([tools["Xvfb"], display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert _wait(lambda: Path(f"/tmp/.X11-unix/X{display[1:]}").exists(), 10)
        session = start([tools["dbus-daemon"], "--session", "--nofork", "--print-address=1"],
                        stdout=subprocess.PIPE, text=True)
        assert session.stdout is not None
        env["DBUS_SESSION_BUS_ADDRESS"] = session.stdout.readline().strip()
        start([str(LAUNCHER), "--launch-immediately"], stdout=subprocess.DEVNULL,
              stderr=subprocess.DEVNULL)
        bus = "--dest", "org.a11y.Bus", "--object-path", "/org/a11y/bus"
        reply = _wait(lambda: gdbus(*bus, "--method", "org.a11y.Bus.GetAddress"), 10)
        assert reply, "the a11y bus did not start"
        address = reply.strip()[2:-3]  # ('unix:path=...',)
        for flag in ("IsEnabled", "ScreenReaderEnabled"):
            gdbus(*bus, "--method", "org.freedesktop.DBus.Properties.Set", "org.a11y.Status",
                  flag, "<true>")
        heard = tmp_path / "heard.jsonl"
        with heard.open("w") as out:
            start([sys.executable, str(ROOT / "tests" / "atspi_listener.py"), address],
                  stdout=out, stderr=subprocess.DEVNULL)

        def events() -> list[dict]:
            return [json.loads(line) for line in heard.read_text(encoding="utf-8").splitlines()
                    if line.strip()]

        assert _wait(lambda: any(e["event"] == "ready" for e in events()), 15)
        app_env = {"QT_QPA_PLATFORM": "xcb", "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}
        env.update(app_env)
        start([sys.executable, "-m", "taixin_kiosk", "--windowed", "--no-motion",
               "--lang", "en"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def window() -> str:
            found = subprocess.run([tools["xdotool"], "search", "--name", "Taixin"], env=env,
                                   capture_output=True, text=True)
            return found.stdout.split()[-1] if found.stdout.split() else ""

        wid = _wait(window, 40, 0.5)
        assert wid, "the window did not appear"
        # The stage has focus first: wait until the reader was told so.
        assert _wait(lambda: any(e["event"] == "focus" for e in events()), 20)

        def key(name: str) -> None:
            subprocess.run([tools["xdotool"], "key", name], env=env, check=True)

        subprocess.run([tools["xdotool"], "windowfocus", wid], env=env, check=False)
        for name in ("Right", "Tab", "Tab", "t"):
            key(name)

        def said(text: str) -> bool:
            return any(e["event"] == "announcement" and e["text"] == text and e["polite"]
                       for e in events())

        assert _wait(lambda: said("Large text on."), 20), events()
        got = events()
        from taixin_kiosk.content.builtin import app_strings

        title = app_strings("en").text("deck.mission.title")
        assert said(f"Slide 2 of 19: {title}"), got
        focus = [(e["name"], e["description"]) for e in got if e["event"] == "focus"]
        assert ("Home", "Goes back to the first slide.") in focus, focus
        assert ("Overview", "Shows every slide as a small picture, so you can choose one.")\
            in focus, focus
    finally:
        for process in reversed(started):
            process.terminate()
        for process in reversed(started):
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
