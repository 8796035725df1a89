"""Opening hours in a running kiosk, with a clock the test sets: closed, the
screen is black and takes no visitor's input, the display may sleep; staff
still get in; at opening the cover in the default language; the daily restart."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from taixin_kiosk.config.hours import parse_hours
from taixin_kiosk.core.modes import Mode
from taixin_kiosk.system.supervisor import EXIT_PLANNED_RESTART
from test_kiosk import PIN, enter, hold_corner, stage_centre, swipe, tap, touch_device  # noqa: F401

Key = Qt.Key
# 2026-12-07 is a Monday.
MON_BEFORE_CLOSING = datetime(2026, 12, 7, 16, 59)
MON_CLOSING = datetime(2026, 12, 7, 17, 0)
TUE_OPENING = datetime(2026, 12, 8, 9, 0)
WEEKDAYS = {day: "09:00-17:00" for day in ("mon", "tue", "wed", "thu", "fri")}


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class FakeBackend:
    name = "fake"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def inhibit(self, reason: str) -> bool:
        self.calls.append("inhibit")
        return True

    def uninhibit(self) -> None:
        self.calls.append("uninhibit")


class FakeDisplay:
    made: ClassVar[list[FakeDisplay]] = []

    def __init__(self) -> None:
        self.calls: list[str] = []
        FakeDisplay.made.append(self)

    def sleep(self) -> bool:
        self.calls.append("sleep")
        return True

    def wake(self) -> bool:
        self.calls.append("wake")
        return True


@pytest.fixture
def world(monkeypatch):  # type: ignore[no-untyped-def]
    """The clock, the keep-awake backend and the display the kiosk will use."""
    from taixin_kiosk.kiosk import opening
    from taixin_kiosk.system import awake

    clock = Clock(MON_BEFORE_CLOSING)
    backend = FakeBackend()
    FakeDisplay.made.clear()
    monkeypatch.setattr(opening, "local_now", clock)
    monkeypatch.setattr(awake, "default_backend", lambda: backend)
    monkeypatch.setattr(awake, "DisplayPower", FakeDisplay)
    return clock, backend


@pytest.fixture
def open_kiosk(make_app, world, pin_hash):  # type: ignore[no-untyped-def]
    hours, _fault = parse_hours(WEEKDAYS)
    return make_app(kiosk=True, keep_awake=True, idle_seconds=600.0, attract_seconds=600.0,
                    staff_hold_seconds=0.3, pin=pin_hash, opening_hours=hours)


@pytest.fixture
def pin_hash() -> str:
    from taixin_kiosk.config.pin import hash_pin

    return hash_pin(PIN)


def black(image: QImage) -> bool:
    small = image.scaled(64, 36)  # every pixel of a scaled black picture is black too
    return all(small.pixelColor(x, y).value() == 0
               for x in range(small.width()) for y in range(small.height()))


def close_for_the_night(built, world) -> None:  # type: ignore[no-untyped-def]
    clock, _backend = world
    clock.now = MON_CLOSING
    built.kiosk_mode.opening.check()
    built.app.processEvents()


def test_closing_blanks_the_screen_and_lets_the_display_sleep(open_kiosk, world, qtbot):
    built = open_kiosk
    _clock, backend = world
    QTest.keyClick(built.window, Key.Key_Right)
    QTest.keyClick(built.window, Key.Key_L)
    assert not black(built.window.grab().toImage())
    assert backend.calls == ["inhibit"]
    close_for_the_night(built, world)
    assert built.kiosk_mode.opening.closed
    assert black(built.window.grab().toImage())
    assert built.window.isVisible()  # only its content is black
    assert backend.calls == ["inhibit", "uninhibit"]
    assert FakeDisplay.made[-1].calls == ["sleep"]
    # Behind the cover the show is back on its cover, no attract loop coming.
    assert built.navigator.index == 0
    assert built.localizer.locale == built.content.pack.deck.default_locale
    assert built.kiosk_mode.idle.suspended


def test_a_touch_while_closed_opens_no_slide_and_says_when_it_opens(
        open_kiosk, world, touch_device, qtbot):  # noqa: F811
    built = open_kiosk
    close_for_the_night(built, world)
    window = built.window
    tap(window, touch_device, stage_centre(built) + QPoint(300, 150))
    swipe(window, touch_device, stage_centre(built) + QPoint(300, 0),
          stage_centre(built) - QPoint(300, 0))
    QTest.keyClick(window, Key.Key_Right)
    built.app.processEvents()
    assert built.navigator.index == 0 and built.modes.mode is Mode.INTERACTIVE
    assert not built.kiosk_mode.usage.visited  # nothing counted
    lines = built.kiosk_mode.closed_cover.lines
    own = built.localizer.own_text
    assert lines == [own("access.closed.later", locale, time="09:00",
                         day=own("access.closed.day.tue", locale))
                     for locale in built.localizer.locales]
    assert "Closed. Opens on Tuesday at 09:00." in lines
    assert not black(window.grab().toImage())  # the words show
    built.kiosk_mode.opening.hide_message()
    assert black(window.grab().toImage())
    assert FakeDisplay.made[-1].calls == ["sleep", "sleep"]


def test_staff_still_get_in_while_closed(open_kiosk, world, qtbot):
    built = open_kiosk
    close_for_the_night(built, world)
    hold_corner(built, qtbot)
    pad = built.kiosk_mode.pin_pad
    assert pad.isVisible()
    enter(pad, PIN)
    assert built.kiosk_mode.panel.isVisible()
    built.kiosk_mode.close_staff()
    assert built.kiosk_mode.closed_cover.isVisible() and black(built.window.grab().toImage())
    # Done: the display may go dark again at once.
    assert FakeDisplay.made[-1].calls[-1] == "sleep"


def test_opening_wakes_on_the_cover_in_the_default_language(open_kiosk, world, qtbot):
    built = open_kiosk
    clock, backend = world
    close_for_the_night(built, world)
    built.localizer.set_locale("en" if built.localizer.locale != "en" else "zh-CN")
    clock.now = TUE_OPENING
    built.kiosk_mode.opening.check()
    assert not built.kiosk_mode.opening.closed
    assert not built.kiosk_mode.closed_cover.isVisible()
    assert not black(built.window.grab().toImage())
    assert built.navigator.index == 0
    assert built.localizer.locale == built.content.pack.deck.default_locale
    assert backend.calls == ["inhibit", "uninhibit", "inhibit"]
    assert FakeDisplay.made[-1].calls == ["sleep", "wake"]
    QTest.keyClick(built.window, Key.Key_Right)
    assert built.navigator.index == 1  # visitors' input works again


def test_a_clock_set_back_across_closing_opens_at_the_next_check(open_kiosk, world):
    built = open_kiosk
    clock, _backend = world
    close_for_the_night(built, world)
    clock.now = datetime(2026, 12, 7, 12, 0)  # NTP, or staff setting the clock by hand
    built.kiosk_mode.opening.check()
    assert not built.kiosk_mode.opening.closed


def test_staff_at_work_are_not_thrown_out_at_closing(open_kiosk, world, qtbot):
    built = open_kiosk
    hold_corner(built, qtbot)
    close_for_the_night(built, world)
    assert built.kiosk_mode.pin_pad.isVisible() and not built.kiosk_mode.opening.closed
    built.kiosk_mode.close_staff()
    built.kiosk_mode.opening.check()
    assert built.kiosk_mode.opening.closed


def test_the_window_guard_sees_a_closed_kiosk_as_shown(open_kiosk, world, qtbot):
    built = open_kiosk
    built.window.showFullScreen()
    guard = built.kiosk_mode.keep_window_up()
    try:
        qtbot.waitUntil(lambda: guard.fault() is None)
        close_for_the_night(built, world)
        guard.check()
        assert guard.fault() is None and built.kiosk_mode.window_lost_for() is None
        assert built.window.isFullScreen()
    finally:
        guard.stop()


# -- the daily restart -------------------------------------------------------------------


@pytest.fixture
def restarting(make_app, world):  # type: ignore[no-untyped-def]
    clock, _backend = world
    clock.now = datetime(2026, 12, 7, 3, 59)
    return make_app(kiosk=True, keep_awake=False, idle_seconds=600.0, attract_seconds=600.0,
                    daily_restart="04:00")


def test_the_daily_restart_waits_for_the_visitor_then_exits_for_the_supervisor(
        restarting, world, qtbot):
    built = restarting
    clock, _backend = world
    opening = built.kiosk_mode.opening
    exits: list[int] = []
    opening.supervised, opening.exit = True, exits.append
    QTest.keyClick(built.window, Key.Key_Right)  # someone is at the kiosk
    clock.now = datetime(2026, 12, 7, 4, 0)
    opening.check()
    assert exits == [] and opening.restart_due
    built.kiosk_mode.idle.reset_now()  # the visitor left
    qtbot.waitUntil(lambda: exits == [EXIT_PLANNED_RESTART])
    clock.now = datetime(2026, 12, 7, 4, 1)
    opening.check()
    assert exits == [EXIT_PLANNED_RESTART]  # once a day


def test_without_a_supervisor_the_daily_restart_reloads_the_content(restarting, world, qtbot):
    built = restarting
    clock, _backend = world
    opening = built.kiosk_mode.opening
    reloaded: list[object] = []
    built.session.content_changed.connect(reloaded.append)
    built.kiosk_mode.idle.reset_now()
    built.kiosk_mode.idle._on_attract()  # nobody there: the attract loop plays
    clock.now = datetime(2026, 12, 7, 4, 0, 30)
    opening.check()
    assert len(reloaded) == 1
    assert built.navigator.index == 0 and built.modes.mode is Mode.INTERACTIVE
