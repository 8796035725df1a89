"""Presenter mode: screens, the console, keys and clickers, the clock, ending a talk.

Screens are simulated (a projector plugged in and out) through the screen
source the presenter mode listens to; a subprocess test checks the real
two-screen start on Qt's offscreen platform with two configured screens.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, QPoint, QPointF, QRect, Qt, Signal
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from conftest import ROOT, settle
from taixin_kiosk.core.actions import Action
from taixin_kiosk.core.modes import Mode
from taixin_kiosk.presenter.mode import PresenterMode
from taixin_kiosk.presenter.pacing import (
    LATE_GRACE_S,
    Pace,
    TalkClock,
    clock_text,
    even_plan,
    pace,
)
from taixin_kiosk.presenter.placement import ScreenMemory, plan, screen_set_key
from taixin_kiosk.ui.screens import Display

# The console is raised over the slides; the offscreen platform cannot raise windows.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")

Key = Qt.Key
LAPTOP = Display("eDP-1", QRect(0, 0, 1366, 768), True, "eDP-1/Laptop")
PROJECTOR = Display("HDMI-1", QRect(1366, 0, 1920, 1080), False, "HDMI-1/Projector")
SIDE = Display("DP-2", QRect(3286, 0, 1280, 1024), False, "DP-2/Monitor")


class FakeScreens(QObject):
    """The screens as the presenter mode sees them; tests plug and unplug."""

    changed = Signal()

    def __init__(self, displays: list[Display]) -> None:
        super().__init__()
        self.list = list(displays)

    def displays(self) -> list[Display]:
        return list(self.list)

    def plug(self, display: Display) -> None:
        self.list.append(display)
        self.changed.emit()

    def unplug(self, display: Display) -> None:
        self.list.remove(display)
        self.changed.emit()


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def present(make_app, tmp_path) -> Iterator:  # type: ignore[no-untyped-def]
    """Builds a presentation and its presenter mode on simulated screens."""
    made: list[PresenterMode] = []

    def factory(displays=(LAPTOP,), memory=None, **settings):  # type: ignore[no-untyped-def]
        settings.setdefault("present", True)
        built = make_app(**settings)
        screens = FakeScreens(list(displays))
        clock = FakeTime()
        mode = PresenterMode(built.session, screens=screens,  # type: ignore[arg-type]
                             memory=memory or ScreenMemory(tmp_path / "screens.json"),
                             now=clock)
        built.presenter = mode
        # The app it runs in, for the tests to look at (the mode itself sees
        # only the session).
        mode.built = built  # type: ignore[attr-defined]
        mode.fake_screens = screens  # type: ignore[attr-defined]
        mode.fake_time = clock  # type: ignore[attr-defined]
        made.append(mode)
        return mode

    yield factory
    for mode in made:
        mode.close()


def on(display: Display, widget) -> bool:  # type: ignore[no-untyped-def]
    """The widget's window sits on that display (simulated screens: by position)."""
    return display.geometry.contains(widget.frameGeometry().center())


def centre(widget) -> QColor:  # type: ignore[no-untyped-def]
    image = widget.grab().toImage()
    return image.pixelColor(image.width() // 2, image.height() // 2)


def wheel(strip, notches: float) -> None:  # type: ignore[no-untyped-def]
    """A mouse wheel turned over the console's thumbnails (negative: towards the user)."""
    viewport = strip.viewport()
    at = QPointF(viewport.rect().center())
    event = QWheelEvent(at, QPointF(viewport.mapToGlobal(at.toPoint())), QPoint(0, 0),
                        QPoint(0, round(notches * 120)), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(viewport, event)


# -- placement --------------------------------------------------------------------------


def test_plan_puts_the_console_on_the_primary_screen_and_the_slides_on_the_biggest_other():
    assert plan([LAPTOP]) == (LAPTOP, None)
    assert plan([LAPTOP, PROJECTOR]) == (PROJECTOR, LAPTOP)
    assert plan([PROJECTOR, LAPTOP]) == (PROJECTOR, LAPTOP)  # order does not matter
    assert plan([LAPTOP, SIDE, PROJECTOR]) == (PROJECTOR, LAPTOP)
    assert plan([LAPTOP, PROJECTOR], swapped=True) == (LAPTOP, PROJECTOR)
    assert plan([LAPTOP, PROJECTOR, SIDE], audience=2) == (SIDE, LAPTOP)
    assert plan([LAPTOP, PROJECTOR], audience=0) == (LAPTOP, PROJECTOR)
    with pytest.raises(ValueError):
        plan([])


def test_screen_set_key_names_the_monitors_not_their_order_or_resolution():
    assert screen_set_key([LAPTOP, PROJECTOR]) == screen_set_key([PROJECTOR, LAPTOP])
    assert screen_set_key([LAPTOP, PROJECTOR]) != screen_set_key([LAPTOP, SIDE])
    smaller = PROJECTOR._replace(geometry=QRect(1366, 0, 1280, 720))
    assert screen_set_key([LAPTOP, smaller]) == screen_set_key([LAPTOP, PROJECTOR])


def test_memory_survives_a_damaged_file(tmp_path):
    memory = ScreenMemory(tmp_path / "s.json")
    assert memory.swapped("x") is None
    memory.remember("x", True)
    assert ScreenMemory(tmp_path / "s.json").swapped("x") is True
    (tmp_path / "s.json").write_text("{broken", encoding="utf-8")
    assert ScreenMemory(tmp_path / "s.json").swapped("x") is None
    assert memory.swapped("x") is True  # this session's choice holds
    memory.remember("y", False)  # writes a good file again
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == {"y": False}


def test_an_unwritable_memory_still_holds_for_the_session(tmp_path):
    (tmp_path / "ro").write_text("a file where a folder should be", encoding="utf-8")
    memory = ScreenMemory(tmp_path / "ro" / "s.json")
    memory.remember("x", True)
    assert memory.swapped("x") is True
    assert not list(tmp_path.glob("ro*.tmp"))


def test_two_screens_slides_on_the_projector_console_on_the_laptop(present):
    mode = present([LAPTOP, PROJECTOR])
    assert on(PROJECTOR, mode.built.window)
    assert mode.console.isVisible() and on(LAPTOP, mode.console)
    # The audience sees only the slides: the control bar is the console's job.
    assert not mode.built.window.controls.isVisible()
    assert not mode.console.buttons["console"].isVisible()


def test_one_screen_p_opens_the_console_over_the_slides_and_closes_it(present):
    mode = present([LAPTOP])
    window = mode.built.window
    assert on(LAPTOP, window) and not mode.console.isVisible()
    QTest.keyClick(window, Key.Key_P)
    assert mode.console.isVisible() and on(LAPTOP, mode.console)
    assert mode.console.buttons["console"].isVisible()
    QTest.keyClick(mode.console, Key.Key_Right)  # keys work on the console too
    assert mode.built.navigator.index == 1
    QTest.keyClick(mode.console, Key.Key_P)
    assert not mode.console.isVisible() and window.isVisible()
    QTest.keyClick(window, Key.Key_P)
    QTest.mouseClick(mode.console.buttons["console"], Qt.MouseButton.LeftButton)
    assert not mode.console.isVisible()


def test_projector_plugged_in_mid_talk_takes_the_slides(present, qtbot):
    mode = present([LAPTOP])
    built = mode.built
    for _ in range(4):
        QTest.keyClick(built.window, Key.Key_Right)
    mode.fake_screens.plug(PROJECTOR)
    assert on(PROJECTOR, built.window)
    assert mode.console.isVisible() and on(LAPTOP, mode.console)
    assert built.navigator.index == 4
    mode.fake_screens.unplug(PROJECTOR)
    # Back on the laptop, on the same slide; the talk goes on.
    assert on(LAPTOP, built.window) and built.window.isVisible()
    assert not mode.console.isVisible()
    assert built.navigator.index == 4
    QTest.keyClick(built.window, Key.Key_Right)
    assert built.navigator.index == 5


def test_swap_button_swaps_and_is_remembered_for_that_set_of_screens(present, tmp_path):
    memory = ScreenMemory(tmp_path / "remember.json")
    mode = present([LAPTOP, PROJECTOR], memory=memory)
    QTest.mouseClick(mode.console.buttons["swap"], Qt.MouseButton.LeftButton)
    assert on(LAPTOP, mode.built.window) and on(PROJECTOR, mode.console)
    assert memory.swapped(screen_set_key([LAPTOP, PROJECTOR])) is True
    mode.close()
    # The next talk with the same screens starts swapped; other screens do not.
    again = present([PROJECTOR, LAPTOP], memory=memory)
    assert on(LAPTOP, again.built.window) and on(PROJECTOR, again.console)
    again.close()
    other = present([LAPTOP, SIDE], memory=memory)
    assert on(SIDE, other.built.window)


def test_swap_option_starts_swapped_and_remembers(present, tmp_path):
    memory = ScreenMemory(tmp_path / "m.json")
    mode = present([LAPTOP, PROJECTOR], memory=memory, swap=True)
    assert on(LAPTOP, mode.built.window) and on(PROJECTOR, mode.console)
    assert memory.swapped(screen_set_key([LAPTOP, PROJECTOR])) is True


def test_a_remembered_swap_applies_when_its_projector_is_plugged_in(present, tmp_path):
    memory = ScreenMemory(tmp_path / "m.json")
    memory.remember(screen_set_key([LAPTOP, PROJECTOR]), True)
    mode = present([LAPTOP], memory=memory)
    mode.fake_screens.plug(PROJECTOR)
    assert on(LAPTOP, mode.built.window) and on(PROJECTOR, mode.console)


# -- keys and clickers -------------------------------------------------------------------

NAVIGATION = [
    (Key.Key_Right, 1), (Key.Key_Down, 1), (Key.Key_PageDown, 1), (Key.Key_Space, 1),
    (Key.Key_Left, -1), (Key.Key_Up, -1), (Key.Key_PageUp, -1), (Key.Key_Backspace, -1),
]


@pytest.mark.parametrize("target", ["audience", "console"])
def test_every_navigation_key_works_on_both_windows(present, target):
    mode = present([LAPTOP, PROJECTOR])
    built = mode.built
    widget = built.window if target == "audience" else mode.console
    built.navigator.go(5)
    for key, step in NAVIGATION:
        before = built.navigator.index
        QTest.keyClick(widget, key)
        assert built.navigator.index == before + step, key
    QTest.keyClick(widget, Key.Key_End)
    assert built.navigator.index == built.navigator.count - 1
    QTest.keyClick(widget, Key.Key_Home)
    assert built.navigator.index == 0
    QTest.keyClicks(widget, "12")
    assert mode.console.current.caption == mode._text("presenter.jump", number="12")
    QTest.keyClick(widget, Key.Key_Return)
    assert built.navigator.index == 11
    assert mode.console.current.index == 11


@pytest.mark.parametrize("target", ["audience", "console"])
def test_cover_language_subtitle_and_overview_keys(present, target):
    mode = present([LAPTOP, PROJECTOR])
    built = mode.built
    widget = built.window if target == "audience" else mode.console
    audience = built.window
    for key, colour in ((Key.Key_B, QColor(0, 0, 0)), (Key.Key_Period, QColor(0, 0, 0)),
                        (Key.Key_W, QColor(255, 255, 255))):
        QTest.keyClick(widget, key)
        assert centre(audience) == colour, key
        QTest.keyClick(widget, key)
        assert audience.cover() == "none"
    QTest.keyClick(widget, Key.Key_F)
    assert audience.cover() == "frozen"
    assert mode.console.current.band == mode._text("presenter.audience.frozen")
    QTest.keyClick(widget, Key.Key_F)
    assert mode.console.current.band == ""
    locale = built.localizer.locale
    QTest.keyClick(widget, Key.Key_L)
    assert built.localizer.locale != locale
    QTest.keyClick(widget, Key.Key_S)
    assert built.localizer.subtitles and mode.console.buttons["subtitles"].accent
    QTest.keyClick(widget, Key.Key_S)
    assert not built.localizer.subtitles
    QTest.keyClick(widget, Key.Key_O)
    assert built.modes.mode is Mode.OVERVIEW
    QTest.keyClick(widget, Key.Key_Escape)  # closes the overview, asks nothing
    assert built.modes.mode is Mode.INTERACTIVE and not mode.asking


def test_freeze_keeps_the_audience_picture_while_the_console_follows(present, qtbot):
    mode = present([LAPTOP, PROJECTOR])
    built = mode.built
    settle(built, qtbot)
    before = built.window.grab().toImage()
    QTest.keyClick(mode.console, Key.Key_F)
    QTest.keyClick(mode.console, Key.Key_Right)
    QTest.keyClick(mode.console, Key.Key_Right)
    assert built.window.grab().toImage() == before
    assert mode.console.current.index == 2 and mode.console.next.index == 3


# -- ending a talk -------------------------------------------------------------------------


def test_esc_asks_and_esc_again_keeps_presenting(present):
    mode = present([LAPTOP, PROJECTOR])
    built = mode.built
    QTest.keyClick(built.window, Key.Key_Escape)
    assert mode.asking and mode.console.question.isVisible()
    assert built.modes.mode is Mode.ASKING
    QTest.keyClick(built.window, Key.Key_Right)  # a clicker press does not slip through
    assert built.navigator.index == 0
    QTest.keyClick(built.window, Key.Key_Escape)
    assert not mode.asking and not mode.console.question.isVisible()
    assert built.window.isVisible() and built.modes.mode is Mode.INTERACTIVE
    QTest.keyClick(built.window, Key.Key_Right)
    assert built.navigator.index == 1


def test_one_screen_esc_asks_on_the_slides_without_the_notes(present):
    # A laptop mirrored to a projector: the audience sees this screen.
    mode = present([LAPTOP])
    window = mode.built.window
    QTest.keyClick(window, Key.Key_Escape)
    question = mode.question
    assert mode.asking and question.isVisible() and question.window() is window
    assert not mode.console.isVisible()  # no notes for the audience
    assert question.text.text() == mode._text("presenter.confirm.question")
    # A small box on the slides, not a cover over all of them.
    assert question.width() < window.width() and question.height() < window.height()
    assert window.rect().contains(question.geometry())
    QTest.keyClick(window, Key.Key_Right)  # a clicker press does not slip through
    assert mode.built.navigator.index == 0
    QTest.mouseClick(question.keep, Qt.MouseButton.LeftButton)
    assert not mode.asking and not question.isVisible()
    assert not mode.console.isVisible() and window.isVisible()
    QTest.keyClick(window, Key.Key_Escape)
    assert mode.question.isVisible() and not mode.console.isVisible()
    QTest.keyClick(window, Key.Key_Escape)  # Esc again goes on
    assert not mode.asking and window.isVisible()
    QTest.keyClick(window, Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert mode.asking and not mode.console.isVisible()
    QTest.keyClick(window, Key.Key_Return)  # Enter ends
    assert not window.isVisible()


def test_one_screen_with_the_console_open_asks_on_the_console(present):
    mode = present([LAPTOP])
    QTest.keyClick(mode.built.window, Key.Key_P)  # the presenter opened it: asked there
    assert mode.console.isVisible()
    QTest.keyClick(mode.console, Key.Key_Escape)
    assert mode.console.question.isVisible() and mode.question is mode.console.question


@pytest.mark.parametrize("how", ["enter", "button"])
def test_esc_then_enter_or_the_end_button_ends_the_talk(present, how):
    mode = present([LAPTOP, PROJECTOR])
    window, console = mode.built.window, mode.console
    QTest.keyClick(console, Key.Key_Escape)
    if how == "enter":
        QTest.keyClick(window, Key.Key_Return)
    else:
        QTest.mouseClick(console.question.end, Qt.MouseButton.LeftButton)
    assert not window.isVisible() and not console.isVisible()


def test_ctrl_q_end_button_and_window_close_only_ask(present):
    mode = present([LAPTOP, PROJECTOR])
    window, console = mode.built.window, mode.console
    QTest.keyClick(window, Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert mode.asking
    mode.console.question.answered.emit(False)
    QTest.mouseClick(console.buttons["end"], Qt.MouseButton.LeftButton)
    assert mode.asking
    mode.console.question.answered.emit(False)
    assert window.close() is False and window.isVisible() and mode.asking
    mode.console.question.answered.emit(False)
    assert console.close() is False and console.isVisible() and mode.asking
    mode.console.question.answered.emit(False)
    assert window.isVisible() and console.isVisible() and not mode.asking


# -- the console ----------------------------------------------------------------------------


def test_previews_follow_navigation_and_tours(present):
    mode = present([LAPTOP, PROJECTOR])
    built, console = mode.built, mode.console
    assert (console.current.index, console.next.index) == (0, 1)
    first = console.current.picture()
    QTest.mouseClick(console.buttons["next"], Qt.MouseButton.LeftButton)
    assert built.navigator.index == 1
    assert (console.current.index, console.next.index) == (1, 2)
    picture = console.current.picture()
    assert picture != first
    # The preview is the audience's slide as it is now, at the preview's size.
    assert picture.size() == console.current.picture_rect().size().toSize()
    assert picture == built.window.stage.thumbnail(1, picture.size())
    built.actions.trigger(Action.TOUR, "investors")
    route = built.navigator.route
    assert (console.current.index, console.next.index) == (route[0], route[1])
    QTest.keyClick(console, Key.Key_End)
    assert console.next.index is None
    assert console.next.caption == mode._text("presenter.next_end")
    assert not console.buttons["next"].isEnabled()


@pytest.mark.parametrize("key", [Key.Key_C, Key.Key_T])
def test_previews_follow_contrast_and_large_text(present, qtbot, key):
    """The console shows the audience's slides as they look after C or T,
    and A opens no access strip on the projector."""
    mode = present([LAPTOP, PROJECTOR])
    built, console = mode.built, mode.console
    settle(built, qtbot)  # the cover's picture must not arrive between two renders
    before = console.current.picture()
    QTest.keyClick(console, key)
    picture = console.current.picture()
    assert picture != before
    assert picture == built.window.stage.thumbnail(0, picture.size())
    nxt = console.next.picture()
    assert nxt == built.window.stage.thumbnail(1, nxt.size())
    QTest.keyClick(console, Key.Key_A)
    assert not built.window.access_bar.isVisible()


def test_thumbnail_strip_jumps_and_dims_slides_off_the_tour(present, qtbot):
    mode = present([LAPTOP, PROJECTOR], tour="briefing-10")
    strip = mode.console.strip
    qtbot.waitUntil(lambda: len(strip._images) == strip.count, timeout=10000)
    # The row scrolls: the wheel brings the eighth slide into view.
    for _ in range(strip.count):
        if strip.visible_rect().contains(strip.cell_rects()[7]):
            break
        wheel(strip, -1)
    rect = strip.cell_rects()[7]
    QTest.mouseClick(strip, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert mode.built.navigator.index == 7
    assert strip.current == 7 and mode.console.current.index == 7
    assert strip.route == mode.built.navigator.route and 6 not in strip.route
    # The whole row, as drawn (whatever part of it is scrolled into view).
    image = strip.row.grab().toImage()
    on_tour, off_tour = strip.row_rects()[0], strip.row_rects()[6]

    def brightness(r) -> float:  # type: ignore[no-untyped-def]
        c = image.pixelColor(QPoint(round(r.left() + r.width() * 0.3),
                                    round(r.top() + r.height() * 0.3)))
        return c.redF() + c.greenF() + c.blueF()

    assert brightness(off_tour) < brightness(on_tour)


def test_notes_are_in_the_presenters_language_whatever_the_audience_sees(present):
    mode = present([LAPTOP, PROJECTOR], locale="en", notes_locale="zh-CN")
    built, console = mode.built, mode.console
    slides = built.content.pack.deck.slides
    zh = built.content.pack.catalogue("zh-CN")
    en = built.content.pack.catalogue("en")
    assert built.localizer.locale == "en"
    assert console.notes.text() == zh.text(slides[0].notes)
    assert console.buttons["next"].text() == mode._text("presenter.button.next")
    assert mode._text("presenter.button.next") != "presenter.button.next"
    QTest.keyClick(built.window, Key.Key_L)  # the audience switches to Chinese
    assert built.localizer.locale == "zh-CN"
    assert console.notes.text() == zh.text(slides[0].notes)
    QTest.mouseClick(console.buttons["notes_language"], Qt.MouseButton.LeftButton)
    assert mode.notes_locale == "en" and built.localizer.locale == "zh-CN"
    assert console.notes.text() == en.text(slides[0].notes)
    QTest.keyClick(built.window, Key.Key_Right)
    assert console.notes.text() == en.text(slides[1].notes)


def test_console_buttons_drive_the_audience(present):
    mode = present([LAPTOP, PROJECTOR])
    built, buttons = mode.built, mode.console.buttons
    click = lambda name: QTest.mouseClick(buttons[name], Qt.MouseButton.LeftButton)  # noqa: E731
    click("black")
    assert centre(built.window) == QColor(0, 0, 0) and buttons["black"].accent
    assert mode.console.current.band == mode._text("presenter.audience.black")
    click("black")
    click("white")
    assert centre(built.window) == QColor(255, 255, 255)
    click("white")
    click("next")
    click("previous")
    assert built.navigator.index == 0
    locale = built.localizer.locale
    click("language")
    assert built.localizer.locale != locale
    assert built.localizer.text("meta.language_name") in buttons["language"].text()
    click("subtitles")
    assert built.localizer.subtitles


def test_choosing_a_tour_in_the_console(present):
    mode = present([LAPTOP, PROJECTOR])
    built, console = mode.built, mode.console
    QTest.mouseClick(console.buttons["tour"], Qt.MouseButton.LeftButton)
    chooser = console.chooser
    assert chooser.isVisible()
    assert chooser.values == [None, *(t.id for t in built.content.pack.deck.tours)]
    investors = chooser.values.index("investors")
    QTest.mouseClick(chooser.buttons[investors], Qt.MouseButton.LeftButton)
    assert not chooser.isVisible()
    tour = built.content.pack.deck.tour("investors")
    assert tour is not None
    assert built.navigator.route == tuple(s.slide for s in tour.stops)
    assert built.settings.tour == "investors"
    title = built.localizer.text_in(mode.notes_locale, tour.title)
    assert title in console.buttons["tour"].text()
    QTest.mouseClick(console.buttons["tour"], Qt.MouseButton.LeftButton)
    QTest.keyClick(console, Key.Key_Escape)  # closes the chooser, asks nothing
    assert not chooser.isVisible() and not mode.asking
    QTest.mouseClick(console.buttons["tour"], Qt.MouseButton.LeftButton)
    QTest.mouseClick(chooser.buttons[0], Qt.MouseButton.LeftButton)  # every slide again
    assert built.navigator.route == () and built.settings.tour is None


# -- the clock and the pace ------------------------------------------------------------------


def test_pace_against_a_plan():
    stops = (60.0, 60.0, 60.0)
    assert pace(stops, 0, 0, started=False).pace is Pace.IDLE
    assert pace(stops, 0, 30).pace is Pace.ON_TIME
    assert pace(stops, 1, 100).pace is Pace.ON_TIME
    assert pace(stops, 0, 61).pace is Pace.LATE
    assert pace(stops, 0, 60 + LATE_GRACE_S + 1).pace is Pace.FAR_BEHIND
    assert pace(stops, 2, 10).pace is Pace.AHEAD  # at the last stop after 10 s
    assert pace(stops, 2, 181).pace is Pace.OVER  # past the whole target
    report = pace(stops, 1, 100, stop_elapsed=40)
    assert (report.target, report.stop_target, report.stop_elapsed, report.margin) ==\
        (180.0, 60.0, 40, 20.0)
    assert pace((), 0, 10).pace is Pace.IDLE
    assert even_plan(600, 3) == (200.0, 200.0, 200.0)
    assert clock_text(0) == "0:00" and clock_text(599.9999999) == "10:00"
    assert clock_text(65.9) == "1:05" and clock_text(3725) == "1:02:05"


def test_talk_clock_starts_at_the_first_slide_change_and_pauses():
    now = FakeTime()
    clock = TalkClock(now)
    now.now += 50  # setting up before the talk does not count
    assert not clock.started and clock.elapsed() == 0
    clock.slide_changed()
    now.now += 30
    assert clock.elapsed() == 30 and clock.stop_elapsed() == 30
    clock.slide_changed()
    now.now += 10
    assert clock.elapsed() == 40 and clock.stop_elapsed() == 10
    clock.toggle_pause()
    now.now += 100
    assert clock.paused and clock.elapsed() == 40 and clock.stop_elapsed() == 10
    clock.toggle_pause()
    now.now += 5
    assert clock.elapsed() == 45 and clock.stop_elapsed() == 15
    clock.reset()  # timing starts again from here, running
    assert clock.started and clock.elapsed() == 0
    now.now += 7
    assert clock.elapsed() == 7
    waiting = TalkClock(now)
    waiting.reset()  # before the talk: still waiting for the first slide change
    assert not waiting.started


def test_a_slide_change_while_paused_counts_from_the_resume():
    now = FakeTime()
    clock = TalkClock(now)
    clock.slide_changed()
    now.now += 10
    clock.toggle_pause()
    now.now += 100
    clock.slide_changed()  # the presenter moves on during the pause
    now.now += 50
    clock.toggle_pause()
    now.now += 5
    assert clock.elapsed() == 15 and clock.stop_elapsed() == 5


def test_the_pacing_colour_follows_the_tour_stop_times(present):
    mode = present([LAPTOP, PROJECTOR], tour="briefing-10")
    built, console, time = mode.built, mode.console, mode.fake_time
    tour = built.content.pack.deck.tour("briefing-10")
    assert tour is not None and tour.stops[0].seconds == 30 and tour.stops[1].seconds == 60
    mode.update_clock()
    assert console.elapsed.text() == mode._text("presenter.timer.waiting")
    QTest.keyClick(built.window, Key.Key_Right)  # the talk starts: stop 2 of the tour
    time.now += 45
    mode.update_clock()
    assert console.elapsed.text() == "0:45"
    assert console.elapsed.toolTip() == mode._text("presenter.pace.on_time")
    assert mode._text("presenter.pace.on_time") in console.tour_name.text()
    assert console.stop_time.text() == mode._text("presenter.stop_time", spent="0:45",
                                                  planned="1:00")
    time.now += 60  # 105 s: stop 2 was planned to end at 90 s
    mode.update_clock()
    assert console.elapsed.toolTip() == mode._text("presenter.pace.late")
    time.now += 60
    mode.update_clock()
    assert console.elapsed.toolTip() == mode._text("presenter.pace.far_behind")
    QTest.mouseClick(console.buttons["pause"], Qt.MouseButton.LeftButton)
    time.now += 600
    mode.update_clock()
    assert console.elapsed.text() == mode._text("presenter.timer.paused", time="2:45")
    QTest.mouseClick(console.buttons["pause"], Qt.MouseButton.LeftButton)
    time.now += 500  # far past the 10-minute target
    mode.update_clock()
    assert console.elapsed.toolTip() == mode._text("presenter.pace.over")
    assert console.target.text() == mode._text("presenter.target_over", target="10:00",
                                               over="1:05")
    QTest.mouseClick(console.buttons["reset"], Qt.MouseButton.LeftButton)
    assert console.elapsed.text() == "0:00"


def test_without_a_tour_the_target_is_shared_over_the_slides(present):
    mode = present([LAPTOP, PROJECTOR], talk_minutes=19)
    stops, position = mode.pacing_plan()
    assert len(stops) == mode.built.navigator.count == 19
    assert stops[0] == 60 and position == 0
    mode.update_clock()
    assert mode.console.target.text() == mode._text("presenter.target_left", target="19:00",
                                                    left="19:00")


# -- the real thing -------------------------------------------------------------------------

SCRIPT = r"""
import json, sys
from PySide6.QtCore import QTimer
from taixin_kiosk.app.root import build, ensure_app
from taixin_kiosk.app.startup import put_on_screen
from taixin_kiosk.content.choice import choose
from taixin_kiosk.presenter.mode import start
from taixin_kiosk.config.settings import Settings

app = ensure_app()
kiosk = build(Settings(present=True, motion=False, swap=sys.argv[1] == "swap"), choose(None))
put_on_screen(kiosk)

def report():
    kiosk.after_first_frame()
    mode = start(kiosk.session)
    app.processEvents()
    print(json.dumps({"audience": kiosk.window.screen().name(),
                      "audience_full": kiosk.window.isFullScreen(),
                      "audience_rect": kiosk.window.geometry().getRect(),
                      "console": mode.console.screen().name(),
                      "console_full": mode.console.isFullScreen(),
                      "console_visible": mode.console.isVisible()}), flush=True)
    app.exit(0)

QTimer.singleShot(200, report)
app.exec()
"""


def test_two_real_screens_on_the_offscreen_platform(tmp_path):
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96,
         "logicalBase": 96, "dpr": 1},
        {"name": "projector", "x": 1366, "y": 0, "width": 1920, "height": 1080,
         "logicalDpi": 96, "logicalBase": 96, "dpr": 1}]}), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               TAIXIN_KIOSK_HOME=str(tmp_path / "home"))
    script = tmp_path / "run.py"
    script.write_text(SCRIPT, encoding="utf-8")

    def launch(how: str) -> dict[str, object]:
        done = subprocess.run([sys.executable, str(script), how], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    first = launch("plain")
    assert first == {"audience": "projector", "audience_full": True,
                     "audience_rect": [1366, 0, 1920, 1080], "console": "laptop",
                     "console_full": True, "console_visible": True}
    swapped = launch("swap")
    assert (swapped["audience"], swapped["console"]) == ("laptop", "projector")
    # Remembered for these two screens: the next plain start is swapped too.
    again = launch("plain")
    assert (again["audience"], again["console"]) == ("laptop", "projector")


def test_kiosk_and_present_together_is_a_usage_error(capsys):
    from taixin_kiosk.cli.main import main

    assert main(["--kiosk", "--present"]) == 2
    assert "--present" in capsys.readouterr().err


def test_an_unknown_notes_language_is_a_usage_error(capsys):
    from taixin_kiosk.cli.main import main

    assert main(["--present", "--notes-lang", "xx"]) == 2
    assert "xx" in capsys.readouterr().err




def test_console_buttons_and_thumbnails_work_by_touch(present, qtbot):
    mode = present([LAPTOP, PROJECTOR])
    console, navigator = mode.console, mode.built.navigator
    device = QTest.createTouchDevice()

    def tap(widget, pos: QPoint) -> None:  # type: ignore[no-untyped-def]
        at = widget.mapTo(console, pos)
        QTest.touchEvent(console, device).press(0, at, console).commit()
        QTest.touchEvent(console, device).release(0, at, console).commit()

    button = console.buttons["next"]
    tap(button, button.rect().center())
    qtbot.waitUntil(lambda: navigator.index == 1)
    strip = console.strip
    tap(strip, strip.cell_rects()[6].center().toPoint())
    qtbot.waitUntil(lambda: navigator.index == 6)
    black = console.buttons["black"]
    tap(black, black.rect().center())
    qtbot.waitUntil(lambda: mode.built.window.cover() == "black")


# -- found by review ----------------------------------------------------------------------


def test_a_swap_is_not_carried_to_screens_never_seen(present, tmp_path):
    memory = ScreenMemory(tmp_path / "m.json")
    mode = present([LAPTOP, PROJECTOR], memory=memory, swap=True)
    mode.fake_screens.unplug(PROJECTOR)
    mode.fake_screens.plug(SIDE)  # another room's projector
    assert on(SIDE, mode.built.window) and on(LAPTOP, mode.console)
    mode.fake_screens.unplug(SIDE)
    mode.fake_screens.plug(PROJECTOR)  # the remembered pair: swapped again
    assert on(LAPTOP, mode.built.window) and on(PROJECTOR, mode.console)


def test_the_laptop_panel_keeps_the_console_when_the_projector_is_primary():
    laptop = LAPTOP._replace(primary=False)
    projector = PROJECTOR._replace(primary=True)
    assert plan([projector, laptop]) == (projector, laptop)
    # Without a panel's name to go by, the primary screen keeps the console.
    a = Display("\\\\.\\DISPLAY1", LAPTOP.geometry, False, "a")
    b = Display("\\\\.\\DISPLAY2", PROJECTOR.geometry, True, "b")
    assert plan([a, b]) == (a, b)


def test_the_tour_chooser_closes_without_choosing_and_the_same_route_carries_on(present):
    mode = present([LAPTOP, PROJECTOR], tour="briefing-10")
    built, console = mode.built, mode.console
    for _ in range(3):
        QTest.keyClick(built.window, Key.Key_Right)
    mode.fake_time.now += 100
    QTest.mouseClick(console.buttons["tour"], Qt.MouseButton.LeftButton)
    QTest.mouseClick(console.chooser.cancel, Qt.MouseButton.LeftButton)
    assert not console.chooser.isVisible()
    QTest.mouseClick(console.buttons["tour"], Qt.MouseButton.LeftButton)
    same = console.chooser.values.index("briefing-10")
    QTest.mouseClick(console.chooser.buttons[same], Qt.MouseButton.LeftButton)
    route = built.navigator.route
    assert built.navigator.index == route[3] and mode.clock.elapsed() == 100


def test_notes_keep_their_scroll_until_the_slide_changes(present):
    mode = present([LAPTOP, PROJECTOR], locale="zh-CN", notes_locale="en")
    console, window = mode.console, mode.built.window
    console.resize(1366, 768)
    console.notes.setText("\n".join(["A line of notes."] * 80))  # surely scrolls
    bar = console.notes_area.verticalScrollBar()
    console.notes_area.widget().adjustSize()
    bar.setMaximum(max(bar.maximum(), 500))
    bar.setValue(120)
    for key in (Key.Key_B, Key.Key_B, Key.Key_S, Key.Key_L, Key.Key_F, Key.Key_F):
        QTest.keyClick(window, key)
    assert bar.value() == 120
    QTest.keyClick(window, Key.Key_Right)
    assert bar.value() == 0


def test_swipes_and_wheel_on_the_slides_wait_while_the_question_is_open(present):
    mode = present([LAPTOP, PROJECTOR])
    built = mode.built
    stage = built.window.stage
    QTest.keyClick(built.window, Key.Key_Escape)
    assert mode.asking
    y = stage.height() // 2
    QTest.mousePress(stage, Qt.MouseButton.LeftButton, pos=QPoint(stage.width() - 50, y))
    QTest.mouseMove(stage, QPoint(50, y))
    QTest.mouseRelease(stage, Qt.MouseButton.LeftButton, pos=QPoint(50, y))
    assert built.navigator.index == 0
    QTest.keyClick(built.window, Key.Key_Escape)
    QTest.mousePress(stage, Qt.MouseButton.LeftButton, pos=QPoint(stage.width() - 50, y))
    QTest.mouseMove(stage, QPoint(50, y))
    QTest.mouseRelease(stage, Qt.MouseButton.LeftButton, pos=QPoint(50, y))
    assert built.navigator.index == 1


def test_unplugging_during_the_question_then_going_on_shows_the_slides(present):
    mode = present([LAPTOP, PROJECTOR])
    QTest.keyClick(mode.built.window, Key.Key_Escape)
    mode.fake_screens.unplug(PROJECTOR)
    assert mode.console.question.isVisible()
    QTest.mouseClick(mode.console.question.keep, Qt.MouseButton.LeftButton)
    assert not mode.console.isVisible() and on(LAPTOP, mode.built.window)
    QTest.keyClick(mode.built.window, Key.Key_P)  # one press brings the console
    assert mode.console.isVisible()


def test_closing_the_presenter_mode_gives_the_actions_back(present):
    mode = present([LAPTOP, PROJECTOR])
    built = mode.built
    mode.close()
    QTest.keyClicks(built.window, "3")  # digits reach no deleted console
    QTest.keyClick(built.window, Key.Key_Return)
    assert built.navigator.index == 2
    assert built.actions.trigger(Action.SWAP) is False  # nobody handles it now
    QTest.keyClick(built.window, Key.Key_P)
    QTest.keyClick(built.window, Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not built.window.isVisible()  # Ctrl+Q ends as without a presenter


def test_the_console_says_when_the_audience_sees_the_overview(present):
    mode = present([LAPTOP, PROJECTOR])
    QTest.keyClick(mode.built.window, Key.Key_O)
    assert mode.console.current.band == mode._text("presenter.audience.overview")


def test_one_screen_swap_is_hidden_and_leaves_no_hole(present):
    mode = present([LAPTOP])
    buttons = mode.console.buttons
    assert buttons["swap"].isHidden() and not buttons["console"].isHidden()
    second_row = [b for b in buttons.values() if b.y() == buttons["end"].y()
                  and not b.isHidden()]
    edges = sorted((b.x(), b.x() + b.width()) for b in second_row)
    gaps = [b[0] - a[1] for a, b in itertools.pairwise(edges)]
    assert max(gaps) - min(gaps) <= 2


def test_holding_the_corner_of_the_slides_opens_the_console(present, qtbot):
    mode = present([LAPTOP], staff_hold_seconds=1.0)
    window = mode.built.window
    QTest.mousePress(window, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    qtbot.waitUntil(mode.console.isVisible, timeout=3000)
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))


def test_a_swap_survives_the_projector_changing_resolution(present, tmp_path):
    mode = present([LAPTOP, PROJECTOR], memory=ScreenMemory(tmp_path / "m.json"))
    QTest.mouseClick(mode.console.buttons["swap"], Qt.MouseButton.LeftButton)
    smaller = PROJECTOR._replace(geometry=QRect(1366, 0, 1280, 720))
    mode.fake_screens.list[1] = smaller
    mode.fake_screens.changed.emit()
    assert on(LAPTOP, mode.built.window) and on(smaller, mode.console)


def test_swap_option_waits_for_the_second_screen(present, tmp_path):
    memory = ScreenMemory(tmp_path / "m.json")
    mode = present([LAPTOP], memory=memory, swap=True)
    assert memory.swapped(screen_set_key([LAPTOP])) is None  # nothing to swap yet
    mode.fake_screens.plug(PROJECTOR)
    assert on(LAPTOP, mode.built.window) and on(PROJECTOR, mode.console)


def test_p_on_two_screens_keeps_the_console(present):
    mode = present([LAPTOP, PROJECTOR])
    QTest.keyClick(mode.console, Key.Key_P)
    assert mode.console.isVisible() and on(LAPTOP, mode.console)


def test_a_second_launch_keeps_the_console_over_the_slides(present):
    from taixin_kiosk.app.startup import to_front

    mode = present([LAPTOP])
    QTest.keyClick(mode.built.window, Key.Key_P)
    to_front(mode.built)
    assert mode.console.isVisible()
    QTest.keyClick(mode.console, Key.Key_P)  # one press back to the slides
    assert not mode.console.isVisible()


def test_the_preview_follows_a_tap_on_the_map(present, qtbot):
    mode = present([LAPTOP, PROJECTOR])
    built = mode.built
    deck = built.content.pack.deck
    index = next(i for i, s in enumerate(deck.slides) if s.map is not None)
    built.navigator.go(index)
    before = mode.console.current.picture()
    view = built.window.stage.current_view
    area = deck.slides[index].map.areas[0].id
    spot = view.layout_items.hotspots[area].center()
    QTest.mouseClick(built.window.stage, Qt.MouseButton.LeftButton, pos=spot.toPoint())
    assert view.selected_area == area
    qtbot.waitUntil(lambda: mode.console.current.picture() != before, timeout=2000)


@pytest.mark.parametrize("size", [(1366, 768), (1280, 800), (800, 1280)])
def test_the_top_bar_never_covers_the_previews(present, size):
    mode = present([LAPTOP, PROJECTOR], notes_locale="zh-CN", tour="briefing-10")
    console = mode.console
    console.resize(*size)
    for notes in range(2):
        QTest.mouseClick(console.buttons["notes_language"], Qt.MouseButton.LeftButton)
        for advance in (0, 400, 4000):  # waiting, running late, far over
            if advance:
                QTest.keyClick(console, Key.Key_Right)
            mode.fake_time.now += advance
            mode.update_clock()
            bar_bottom = max(w.geometry().bottom() for w in (
                console.elapsed, console.stop_time, console.target, console.tour_name))
            assert console.current.y() > bar_bottom, (notes, advance)
            assert console.next.y() > bar_bottom, (notes, advance)
            for label in (console.stop_time, console.target, console.tour_name):
                need = label.heightForWidth(label.width()) if label.wordWrap()\
                    else label.sizeHint().height()
                assert need <= label.height() + 1, (label.objectName(), label.text())


def test_route_choices_give_the_exact_time(present):
    mode = present([LAPTOP, PROJECTOR])
    QTest.mouseClick(mode.console.buttons["tour"], Qt.MouseButton.LeftButton)
    labels = [b.text() for b in mode.console.chooser.buttons]
    investors = mode.built.content.pack.deck.tour("investors")
    assert investors is not None
    assert any(clock_text(investors.seconds) in label for label in labels)


def press(widget, key) -> None:  # type: ignore[no-untyped-def]
    """A key press and release as the window system delivers them (QTest has
    no text for a remote's media keys and warns)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier))


@pytest.mark.parametrize("target", ["audience", "console"])
def test_timer_pause_and_reset_have_keys(present, target):
    mode = present([LAPTOP, PROJECTOR])
    built, console, time = mode.built, mode.console, mode.fake_time
    widget = built.window if target == "audience" else console
    QTest.keyClick(widget, Key.Key_Right)  # the talk starts
    time.now += 45
    mode.update_clock()
    assert console.elapsed.text() == "0:45"
    for key in (Key.Key_K, Key.Key_Pause, Key.Key_MediaTogglePlayPause):
        press(widget, key)  # pauses
        time.now += 100
        mode.update_clock()
        assert console.elapsed.text() == mode._text("presenter.timer.paused", time="0:45"), key
        press(widget, key)  # goes on
        mode.update_clock()
        assert console.elapsed.text() == "0:45", key
    time.now += 15
    QTest.keyClick(widget, Key.Key_Z)
    mode.update_clock()
    assert console.elapsed.text() == "0:00"
    assert built.navigator.index == 1  # the keys did nothing else


def test_timer_keys_do_nothing_in_a_presentation(make_app):
    built = make_app()
    for key in (Key.Key_K, Key.Key_Z, Key.Key_Pause):
        QTest.keyClick(built.window, key)
    assert built.navigator.index == 0 and built.window.isVisible()
