"""Accessibility preferences: large text, high contrast, reduced motion, low
reach; their defaults (config and system), the on-screen buttons and keys,
and the kiosk's idle reset back to what staff configured."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from conftest import ROOT
from taixin_kiosk.core.access import Access, AccessState, defaults_for
from taixin_kiosk.core.actions import Action
from taixin_kiosk.system import preferences as access_module
from taixin_kiosk.system.preferences import SystemPreferences
from taixin_kiosk.ui.theme import PALETTES, THEMES

Key = Qt.Key


def click(widget) -> None:  # type: ignore[no-untyped-def]
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def stage_pixel(built) -> QColor:  # type: ignore[no-untyped-def]
    """A background pixel of the visible slide (its top-left corner)."""
    image = built.window.stage.grab().toImage()
    return image.pixelColor(3, 3)


# -- defaults -------------------------------------------------------------------


@pytest.mark.parametrize(("contrast", "system_high", "expected"), [
    ("auto", False, False), ("auto", True, True),
    ("standard", True, False), ("high", False, True),
])
def test_contrast_default_follows_config_then_system(contrast, system_high, expected):
    system = SystemPreferences(high_contrast=system_high)
    assert defaults_for(False, contrast, True, "auto", system).high_contrast is expected


@pytest.mark.parametrize(("motion", "system_reduced", "expected"), [
    (True, False, False), (True, True, True), (False, False, True), (False, True, True),
])
def test_reduced_motion_from_config_or_system(motion, system_reduced, expected):
    system = SystemPreferences(reduced_motion=system_reduced)
    assert defaults_for(False, "auto", motion, "auto", system).reduced_motion is expected


def test_low_reach_setting_and_its_automatic_choice():
    assert defaults_for(False, "auto", True, "on").low_reach is True
    assert defaults_for(False, "auto", True, "off").low_reach is False
    auto = defaults_for(False, "auto", True, "auto")
    assert auto.low_reach is None
    assert auto.reach_for(1080, 1920) and not auto.reach_for(1920, 1080)
    assert not auto.reach_for(1000, 1000)  # square: not taller than wide


def test_a_visitors_choice_survives_a_system_change_until_reset(qtbot):
    state = AccessState(Access())
    seen: list[Access] = []
    state.changed.connect(seen.append)
    state.set_defaults(Access(high_contrast=True))  # the system turned it on
    assert state.current.high_contrast and len(seen) == 1
    state.toggle_large_text()  # a visitor
    state.set_defaults(Access(high_contrast=False))  # the system turned it off again
    # The visitor's large text stays; contrast, which they left alone, follows.
    assert state.current == Access(large_text=True, high_contrast=False)
    state.toggle_contrast()  # the visitor wants it after all
    state.set_defaults(Access(high_contrast=True))
    state.set_defaults(Access(high_contrast=False))
    assert state.current == Access(large_text=True, high_contrast=True)
    state.reset()
    assert state.current == Access(high_contrast=False)


# -- the app: buttons, keys, what changes on screen ------------------------------


def test_access_button_opens_the_strip_below_the_slide(make_app):
    built = make_app(size=(1920, 1080), motion=True)
    window = built.window
    assert not window.access_bar.isVisible()
    click(window.controls.buttons["access"])
    assert window.access_bar.isVisible()
    assert window.controls.buttons["access"].isChecked()
    # Between the slide and the controls: it covers no slide content.
    stage_bottom = window.stage.mapTo(window, QPoint(0, window.stage.height())).y()
    strip_top = window.access_bar.mapTo(window, QPoint(0, 0)).y()
    controls_top = window.controls.mapTo(window, QPoint(0, 0)).y()
    assert stage_bottom <= strip_top < controls_top
    click(window.controls.buttons["access"])
    assert not window.access_bar.isVisible()


def test_high_contrast_button_recolours_the_slides(make_app, qtbot):
    built = make_app(size=(1280, 720), contrast="standard")
    before = stage_pixel(built)
    click(built.window.controls.buttons["access"])
    button = built.window.access_bar.buttons["contrast"]
    click(button)
    look = built.window.look
    assert look.theme == "high-contrast" and button.isChecked()
    assert look.palette.background_top == THEMES["high-contrast"]["background_top"]
    qtbot.waitUntil(lambda: stage_pixel(built) != before)
    assert stage_pixel(built).lightness() < before.lightness()
    click(button)
    look = built.window.look
    assert look.theme == "standard" and not button.isChecked()
    assert look.palette.background_top == PALETTES["standard"].background_top
    qtbot.waitUntil(lambda: stage_pixel(built) == before)


def test_less_motion_button_stops_transitions(make_app):
    built = make_app(size=(1280, 720), motion=True)
    stage = built.window.stage
    QTest.keyClick(built.window, Key.Key_Right)
    assert stage.overlay.running  # motion on: the old slide fades out
    stage.overlay.finish()
    click(built.window.controls.buttons["access"])
    click(built.window.access_bar.buttons["motion"])
    assert built.access.current.reduced_motion
    QTest.keyClick(built.window, Key.Key_Right)
    assert built.navigator.index == 2 and not stage.overlay.running
    assert not stage.overlay.isVisible()


def test_system_reduced_motion_is_honoured_at_start(make_app, monkeypatch):
    monkeypatch.setattr(access_module, "_system_reduced_motion", lambda: True)
    built = make_app(motion=True)
    assert built.access.current.reduced_motion
    QTest.keyClick(built.window, Key.Key_Right)
    assert not built.window.stage.overlay.running


def test_system_high_contrast_is_honoured_only_when_contrast_is_auto(make_app, monkeypatch):
    monkeypatch.setattr(access_module, "_system_high_contrast", lambda: True)
    built = make_app(contrast="auto")
    assert built.access.current.high_contrast
    assert built.window.look.theme == "high-contrast"
    built = make_app(contrast="standard")
    assert not built.access.current.high_contrast
    assert built.window.look.theme == "standard"


@pytest.mark.parametrize(("key", "field"), [
    (Key.Key_T, "large_text"), (Key.Key_C, "high_contrast"), (Key.Key_M, "reduced_motion"),
])
def test_keys_toggle_each_preference(make_app, key, field):
    built = make_app(motion=True)
    before = getattr(built.access.current, field)
    QTest.keyClick(built.window, key)
    assert getattr(built.access.current, field) is not before
    QTest.keyClick(built.window, key)
    assert getattr(built.access.current, field) is before


def test_key_a_opens_the_strip_and_r_toggles_low_reach(make_app):
    built = make_app(size=(1920, 1080))
    QTest.keyClick(built.window, Key.Key_A)
    assert built.window.access_bar.isVisible()
    assert not built.window.low_reach
    QTest.keyClick(built.window, Key.Key_R)
    assert built.window.low_reach and built.window.access_bar.buttons["reach"].isChecked()
    QTest.keyClick(built.window, Key.Key_R)
    assert not built.window.low_reach


# -- low reach ----------------------------------------------------------------------


def top_of(widget, window) -> int:  # type: ignore[no-untyped-def]
    return widget.mapTo(window, QPoint(0, 0)).y()


def test_low_reach_is_automatic_on_a_portrait_screen(make_app):
    built = make_app(size=(1080, 1920))
    window = built.window
    assert window.low_reach and built.window.stage.look.low_reach
    window.resize(1920, 1080)
    assert not window.low_reach
    window.resize(1080, 1920)
    assert window.low_reach


def test_low_reach_off_in_config_stays_off_on_portrait(make_app):
    built = make_app(size=(1080, 1920), low_reach="off")
    assert not built.window.low_reach


def test_low_reach_puts_every_control_in_the_lower_part(make_app, builtin_choice, qtbot):
    """The notice (tap to close), the access strip, the controls and the
    overview's thumbnails: all in the lower part of a tall screen."""
    from taixin_kiosk.content.choice import ContentChoice
    from taixin_kiosk.content.problems import Problem

    problem = Problem("deck.json", "slides[0].title", "wrong_type", {"expected": "string"})
    choice = ContentChoice(builtin_choice.pack, problems=(problem,), requested=Path("/x"))
    built = make_app(size=(1080, 1920), choice=choice)
    window = built.window
    assert window.notice.isVisible()
    QTest.keyClick(window, Key.Key_A)
    lower = window.height() * 0.5  # the lower half: in reach from a wheelchair
    for widget in (window.notice, window.access_bar, window.controls):
        assert top_of(widget, window) >= lower, widget.objectName()
    QTest.keyClick(window, Key.Key_O)
    overview = window.stage.overview
    assert overview.isVisible()
    stage_top = top_of(window.stage, window)
    for rect in overview.cell_rects():
        assert stage_top + rect.top() >= lower
    # Above the thumbnails: the selected slide, large enough to read.
    preview = overview.preview_rect()
    assert preview is not None and preview.width() >= window.width() * 0.5
    # The same window without low reach: the notice is back on top.
    QTest.keyClick(window, Key.Key_R)
    assert top_of(window.notice, window) == 0
    assert overview.preview_rect() is None


def test_every_swipe_action_has_a_button(make_app):
    """Nothing needs a swipe alone: each action the pointer controller can
    trigger is also a button on the control bar."""
    source = (ROOT / "src/taixin_kiosk/input/pointer.py").read_text(encoding="utf-8")
    swipe_actions = set(re.findall(r"Action\.([A-Z_]+)", source))
    assert {"NEXT", "PREVIOUS"} <= swipe_actions
    built = make_app(size=(1080, 1920))
    from_buttons: set[str] = set()
    built.actions.triggered.connect(lambda name, _arg: from_buttons.add(name))
    for button in built.window.controls.buttons.values():
        built.navigator.go(3)  # mid-deck: previous and next both enabled
        if button.isVisible() and button.isEnabled():
            click(button)
    by_value = {a.value: a.name for a in Action}
    assert swipe_actions <= {by_value[name] for name in from_buttons}


# -- kiosk: back to the defaults after every visitor --------------------------------


def test_idle_reset_returns_to_the_configured_defaults(make_app, qtbot):
    built = make_app(size=(1920, 1080), kiosk=True, keep_awake=False, idle_seconds=0.4,
                       attract_seconds=600.0, motion=True, contrast="standard")
    window = built.window
    click(window.controls.buttons["large_text"])
    click(window.controls.buttons["access"])
    click(window.access_bar.buttons["contrast"])
    click(window.access_bar.buttons["motion"])
    click(window.access_bar.buttons["reach"])
    assert built.access.current == Access(True, True, True, True)
    qtbot.waitUntil(lambda: built.access.current == built.access.defaults, timeout=3000)
    assert built.access.current == Access(False, False, False, None)
    assert window.look.theme == "standard" and window.stage.look.text_scale == 1.0
    assert not window.access_bar.isVisible() and not window.low_reach
    assert not window.controls.buttons["large_text"].isChecked()


def test_idle_reset_turns_subtitles_off(make_app, qtbot):
    built = make_app(kiosk=True, keep_awake=False, idle_seconds=0.4, attract_seconds=600.0)
    QTest.keyClick(built.window, Key.Key_S)
    assert built.localizer.subtitles
    qtbot.waitUntil(lambda: not built.localizer.subtitles, timeout=3000)


def test_large_text_configured_by_staff_stays_after_idle(make_app, qtbot):
    built = make_app(kiosk=True, keep_awake=False, idle_seconds=0.4, attract_seconds=600.0,
                       large_text=True)
    assert built.window.stage.look.text_scale == 2.0
    assert built.window.controls.buttons["large_text"].isChecked()
    click(built.window.controls.buttons["large_text"])  # a visitor turns it off
    assert built.window.stage.look.text_scale == 1.0
    qtbot.waitUntil(lambda: built.window.stage.look.text_scale == 2.0, timeout=3000)


def test_staff_pin_pad_and_panel_sink_to_the_bottom_with_low_reach(make_app):
    from taixin_kiosk.config.pin import hash_pin

    for reach, low in (("on", True), ("off", False)):
        built = make_app(size=(1080, 1920), kiosk=True, keep_awake=False,
                           idle_seconds=600.0, attract_seconds=600.0, low_reach=reach,
                           pin=hash_pin("2468"))
        mode = built.kiosk_mode
        mode.open_pin_pad()
        pad = mode.pin_pad
        pad.layout().activate()
        key_tops = [k.mapTo(built.window, QPoint(0, 0)).y() for k in pad.keys.values()]
        assert (min(key_tops) >= built.window.height() * 0.5) is low
        mode.pin_pad.hide()
        mode.open_panel()
        panel = mode.panel
        panel.layout().activate()
        tops = [b.mapTo(built.window, QPoint(0, 0)).y() for b in panel.buttons.values()]
        assert (min(tops) >= built.window.height() * 0.5) is low
        mode.close_staff()


def test_the_pin_pad_follows_the_screen_turning(make_app, qtbot):
    from taixin_kiosk.config.pin import hash_pin

    built = make_app(size=(1920, 1080), kiosk=True, keep_awake=False, idle_seconds=600.0,
                       attract_seconds=600.0, pin=hash_pin("2468"))
    mode = built.kiosk_mode
    mode.open_pin_pad()
    pad = mode.pin_pad
    built.window.resize(1080, 1920)
    qtbot.waitUntil(lambda: pad.geometry() == built.window.rect())
    pad.layout().activate()
    window = built.window
    for key in pad.keys.values():
        rect = key.geometry().translated(key.parentWidget().mapTo(window, QPoint(0, 0)))
        assert window.rect().contains(rect), key.objectName()
        assert rect.top() >= window.height() * 0.5  # low reach came on with the turn


def test_staff_text_follows_the_theme(make_app):
    from taixin_kiosk.config.pin import hash_pin

    built = make_app(kiosk=True, keep_awake=False, idle_seconds=600.0,
                       attract_seconds=600.0, pin=hash_pin("2468"), contrast="standard")
    QTest.keyClick(built.window, Key.Key_C)
    built.kiosk_mode.open_pin_pad()
    dots = built.kiosk_mode.pin_pad.dots
    assert built.window.look.palette.accent.name() in dots.styleSheet()
    assert THEMES["high-contrast"]["accent"].name() in dots.styleSheet()


def test_the_overview_fills_in_over_several_paints(make_app, qtbot, monkeypatch):
    """A toggle with the overview open never lays out every slide in one paint
    (with large text that froze the screen); the grid fills in paint by paint."""
    from taixin_kiosk.ui import stage as stage_module

    built = make_app(size=(1280, 720))
    overview = built.window.stage.overview
    QTest.keyClick(built.window, Key.Key_O)
    qtbot.waitUntil(lambda: len(overview._thumbs) == built.window.stage.count, timeout=10000)
    monkeypatch.setattr(stage_module, "THUMB_BUDGET_S", 0.0)  # one thumbnail a paint
    QTest.keyClick(built.window, Key.Key_T)
    assert len(overview._thumbs) == 0  # invalidated by large text
    overview.repaint()
    assert len(overview._thumbs) == 1
    qtbot.waitUntil(lambda: len(overview._thumbs) == built.window.stage.count, timeout=10000)
    first = overview._thumbs[0]
    assert first == built.window.stage.thumbnail(0, first.size())  # drawn with large text


def test_overview_thumbnails_follow_low_reach(make_app, qtbot):
    """Low reach moves a chart down on its slide: its thumbnail shows that too."""
    built = make_app(size=(1920, 1080))
    stage = built.window.stage
    chart = next(i for i, s in enumerate(built.content.pack.deck.slides) if s.chart is not None)
    QTest.keyClick(built.window, Key.Key_O)
    overview = stage.overview
    qtbot.waitUntil(lambda: chart in overview._thumbs, timeout=10000)
    before = overview._thumbs[chart]
    QTest.keyClick(built.window, Key.Key_R)
    qtbot.waitUntil(lambda: chart in overview._thumbs, timeout=10000)
    after = overview._thumbs[chart]
    assert after.size() != before.size() or after != before
    assert after == stage.thumbnail(chart, after.size())
