"""A kiosk's usage figures as a visitor and staff make them: real events, a clock moved by hand.

Visits begin at a visitor's input (never at start-up or at the cover an idle
reset brings back), end at the idle reset, and leave out the time staff have
the PIN pad or the panel open; one hold in the staff corner opens the PIN pad
from the attract loop too.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest

from taixin_kiosk.core.modes import Mode

Key = Qt.Key
PIN = "2468"
CORNER = QPoint(5, 5)
LEFT = Qt.MouseButton.LeftButton
NO_MOD = Qt.KeyboardModifier.NoModifier


@pytest.fixture(scope="module")
def touch_device() -> QPointingDevice:
    return QTest.createTouchDevice()


@pytest.fixture
def now(monkeypatch):  # type: ignore[no-untyped-def]
    """The recorder's clock, moved on by the test instead of waiting."""
    from taixin_kiosk.stats import recorder as stats

    clock = [1000.0]

    class HandClockRecorder(stats.ViewRecorder):
        def __init__(self, sink, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(sink, clock=lambda: clock[0], **kwargs)

    monkeypatch.setattr(stats, "ViewRecorder", HandClockRecorder)
    return clock


@pytest.fixture
def make_locked(make_app):  # type: ignore[no-untyped-def]
    from taixin_kiosk.config.pin import hash_pin

    pin = hash_pin(PIN)

    def factory(**settings):  # type: ignore[no-untyped-def]
        settings.setdefault("kiosk", True)
        settings.setdefault("keep_awake", False)
        settings.setdefault("pin", pin)
        settings.setdefault("idle_seconds", 600.0)
        settings.setdefault("attract_seconds", 600.0)
        settings.setdefault("staff_hold_seconds", 0.3)
        return make_app(**settings)

    return factory


def tap(built, device: QPointingDevice) -> None:  # type: ignore[no-untyped-def]
    """A touch on the slide, clear of the controls."""
    window = built.window
    stage = window.stage
    point = stage.mapTo(window, stage.rect().center()) + QPoint(0, 150)
    QTest.touchEvent(window, device).press(0, point, window).commit()
    QTest.touchEvent(window, device).release(0, point, window).commit()


def hold_corner(built, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A real long press in the staff corner, released once the pad shows."""
    window = built.window
    QTest.mousePress(window, LEFT, NO_MOD, CORNER)
    qtbot.waitUntil(lambda: built.kiosk_mode.pin_pad.isVisible(), timeout=3000)
    QTest.mouseRelease(window, LEFT, NO_MOD, CORNER)


def enter(pad, digits: str) -> None:  # type: ignore[no-untyped-def]
    for digit in digits:
        QTest.mouseClick(pad.keys[digit], LEFT)
    QTest.mouseClick(pad.keys["ok"], LEFT)


def wait_for_idle_reset(built, qtbot) -> None:  # type: ignore[no-untyped-def]
    resets: list[int] = []
    built.kiosk_mode.idle.idle_reset.connect(lambda: resets.append(1))
    qtbot.waitUntil(lambda: bool(resets), timeout=10000)


def test_a_visit_begins_at_a_visitors_touch_and_ends_at_the_idle_reset(
        make_locked, now, touch_device, qtbot):
    built = make_locked(idle_seconds=2.0)
    stats = built.kiosk_mode.stats
    now[0] += 30  # the cover, shown to nobody since start-up
    assert not built.kiosk_mode.usage.visited
    assert stats.today().visits == 0 and stats.today().total_views == 0
    tap(built, touch_device)  # a visitor
    assert built.kiosk_mode.usage.visited
    now[0] += 4
    QTest.keyClick(built.window, Key.Key_Right)
    now[0] += 10  # reads the second slide, then walks away
    wait_for_idle_reset(built, qtbot)
    assert not built.kiosk_mode.usage.visited
    today = stats.today()
    assert today.visits == 1 and today.idle_resets == 1
    assert today.visit_seconds == pytest.approx(4)  # first touch to last key
    deck = built.content.pack.deck
    seconds = {s.slide: s.total_seconds for s in today.slides}
    # The cover from the touch on, not from start-up; the idle time is no one's.
    assert seconds == pytest.approx({deck.slides[0].id: 4, deck.slides[1].id: 10 - 2.0})
    # Back on the cover, nobody there: no new visit, no view.
    now[0] += 100
    assert built.navigator.index == 0
    after = stats.today()
    assert after.visits == 1 and after.total_views == today.total_views


def test_a_key_is_a_visitor_too_and_a_restart_is_no_visit(make_locked, now, qtbot):
    built = make_locked()
    now[0] += 50
    assert built.kiosk_mode.stats.today().starts == 1
    assert not built.kiosk_mode.usage.visited
    QTest.keyClick(built.window, Key.Key_L)  # a visitor chooses a language
    assert built.kiosk_mode.usage.visited
    assert built.kiosk_mode.stats.today().language_changes == 1


def test_staff_time_is_not_visitor_time(make_locked, now, qtbot):
    built = make_locked(idle_seconds=3.0)
    stats = built.kiosk_mode.stats
    QTest.keyClick(built.window, Key.Key_Right)  # a visitor, on the second slide
    now[0] += 5
    hold_corner(built, qtbot)  # staff come
    assert built.modes.mode is Mode.STAFF
    now[0] += 60  # at the PIN pad
    enter(built.kiosk_mode.pin_pad, PIN)
    panel = built.kiosk_mode.panel
    assert panel.isVisible()
    now[0] += 60  # reading the panel
    QTest.mouseClick(panel.buttons["close"], LEFT)
    assert built.modes.mode is Mode.INTERACTIVE
    now[0] += 5
    QTest.keyClick(built.window, Key.Key_Right)  # the visitor again
    now[0] += 7
    wait_for_idle_reset(built, qtbot)
    today = stats.today()
    assert today.visits == 1
    # 5 s before staff came and 5 s after: the staff's 120 s are left out.
    assert today.visit_seconds == pytest.approx(10)
    deck = built.content.pack.deck
    seconds = {s.slide: s.total_seconds for s in today.slides}
    assert seconds == pytest.approx({deck.slides[1].id: 10, deck.slides[2].id: 7 - 3.0})


def test_opening_staff_access_is_not_a_visit(make_locked, now, qtbot):
    built = make_locked(idle_seconds=3.0)
    stats = built.kiosk_mode.stats
    hold_corner(built, qtbot)  # on the cover, nobody else there
    now[0] += 20
    QTest.mouseClick(built.kiosk_mode.pin_pad.cancel, LEFT)
    assert built.modes.mode is Mode.INTERACTIVE
    now[0] += 20
    wait_for_idle_reset(built, qtbot)
    today = stats.today()
    assert (today.visits, today.total_views, today.idle_resets) == (0, 0, 0)


def test_one_hold_opens_the_pin_pad_from_the_attract_loop(make_locked, now, qtbot):
    built = make_locked(idle_seconds=1.0, attract_seconds=0.1, attract_advance_seconds=0.2)
    qtbot.waitUntil(lambda: built.modes.mode is Mode.ATTRACT, timeout=5000)
    qtbot.waitUntil(lambda: built.navigator.index >= 1, timeout=3000)
    window = built.window
    pad = built.kiosk_mode.pin_pad
    QTest.mousePress(window, LEFT, NO_MOD, CORNER)
    qtbot.waitUntil(pad.isVisible, timeout=3000)  # the same hold, not a second one
    QTest.mouseRelease(window, LEFT, NO_MOD, CORNER)
    assert pad.isVisible() and built.modes.mode is Mode.STAFF
    enter(pad, PIN)
    assert built.kiosk_mode.panel.isVisible()
    today = built.kiosk_mode.stats.today()
    # Staff, not a visitor: no wake-up, no visit.
    assert (today.attract_wakes, today.visits, today.total_views) == (0, 0, 0)


def test_a_short_tap_in_the_corner_of_the_attract_loop_only_wakes(make_locked, now, qtbot):
    # Idle time well over the wait below: the kiosk must not go idle meanwhile.
    built = make_locked(idle_seconds=2.0, attract_seconds=0.1, attract_advance_seconds=0.2)
    qtbot.waitUntil(lambda: built.modes.mode is Mode.ATTRACT, timeout=10000)
    qtbot.waitUntil(lambda: built.navigator.index >= 1, timeout=3000)
    at = built.navigator.index
    QTest.mouseClick(built.window, LEFT, NO_MOD, CORNER)
    assert built.modes.mode is Mode.INTERACTIVE and built.navigator.index == at
    qtbot.wait(600)  # twice the hold: the released press opens nothing
    assert not built.kiosk_mode.pin_pad.isVisible()
    QTest.keyClick(built.window, Key.Key_Right)  # the visitor goes on
    assert built.navigator.index == at + 1
    today = built.kiosk_mode.stats.today()
    assert today.attract_wakes == 1


def test_one_touch_hold_opens_the_pin_pad_from_the_attract_loop(make_locked, touch_device, qtbot):
    built = make_locked(idle_seconds=2.0, attract_seconds=0.1, attract_advance_seconds=0.2)
    qtbot.waitUntil(lambda: built.modes.mode is Mode.ATTRACT, timeout=10000)
    window = built.window
    pad = built.kiosk_mode.pin_pad
    QTest.touchEvent(window, touch_device).press(0, CORNER, window).commit()
    qtbot.waitUntil(pad.isVisible, timeout=3000)
    QTest.touchEvent(window, touch_device).release(0, CORNER, window).commit()
    assert pad.isVisible() and built.modes.mode is Mode.STAFF
