"""Kiosk mode as a visitor and as staff meet it: real events, shrunk timers."""

from __future__ import annotations

import os
import sys

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication, QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from taixin_kiosk.core.modes import Mode

Key = Qt.Key
PIN = "2468"


@pytest.fixture(scope="module")
def touch_device() -> QPointingDevice:
    return QTest.createTouchDevice()


@pytest.fixture
def pin_hash() -> str:
    from taixin_kiosk.config.pin import hash_pin

    return hash_pin(PIN)


@pytest.fixture
def make_locked(make_app):  # type: ignore[no-untyped-def]
    def factory(**settings):  # type: ignore[no-untyped-def]
        settings.setdefault("kiosk", True)
        settings.setdefault("keep_awake", False)
        settings.setdefault("idle_seconds", 600.0)
        settings.setdefault("attract_seconds", 600.0)
        settings.setdefault("staff_hold_seconds", 0.3)
        return make_app(**settings)

    return factory


def tap(window, device, point: QPoint) -> None:  # type: ignore[no-untyped-def]
    QTest.touchEvent(window, device).press(0, point, window).commit()
    QTest.touchEvent(window, device).release(0, point, window).commit()


def swipe(window, device, start: QPoint, end: QPoint) -> None:  # type: ignore[no-untyped-def]
    QTest.touchEvent(window, device).press(0, start, window).commit()
    steps = 6
    for i in range(1, steps + 1):
        p = start + (end - start) * i / steps
        QTest.touchEvent(window, device).move(0, p, window).commit()
    QTest.touchEvent(window, device).release(0, end, window).commit()


def stage_centre(built) -> QPoint:  # type: ignore[no-untyped-def]
    stage = built.window.stage
    return stage.mapTo(built.window, stage.rect().center())


# -- lock-down -----------------------------------------------------------------


def test_no_way_out_for_visitors(make_locked, qtbot):
    built = make_locked()
    window = built.window
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    QTest.keyClick(window, Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window, Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(window, Key.Key_Escape)
    assert not window.close()  # what the window manager's close button asks
    qtbot.wait(50)
    assert window.isVisible()


def test_a_presentation_still_quits(make_app, qtbot):
    built = make_app()
    QTest.keyClick(built.window, Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not built.window.isVisible())


def test_cursor_hides_for_touch_and_returns_for_a_mouse(make_locked, touch_device, qtbot):
    built = make_locked()
    hider = built.kiosk_mode.cursor
    assert hider.hidden  # a kiosk starts as a touchscreen
    QTest.mouseMove(built.window, stage_centre(built) + QPoint(5, 5))
    qtbot.waitUntil(lambda: not hider.hidden)
    assert QApplication.overrideCursor() is None
    tap(built.window, touch_device, stage_centre(built))
    assert hider.hidden
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor


# -- idle and attract ------------------------------------------------------------


def test_idle_returns_to_the_cover_in_the_default_language(make_locked, qtbot):
    built = make_locked(idle_seconds=0.3)
    QTest.keyClick(built.window, Key.Key_Right)
    QTest.keyClick(built.window, Key.Key_Right)
    QTest.keyClick(built.window, Key.Key_L)
    assert built.navigator.index == 2 and built.localizer.locale == "en"
    qtbot.waitUntil(lambda: built.navigator.index == 0, timeout=3000)
    assert built.localizer.locale == built.content.pack.deck.default_locale
    assert built.window.stage.current_view.isVisible()


def test_touch_keeps_the_kiosk_awake(make_locked, touch_device, qtbot):
    built = make_locked(idle_seconds=0.6)
    QTest.keyClick(built.window, Key.Key_Right)
    idle = built.kiosk_mode.idle
    # Only touches for 1.2 s (twice the idle time): the visitor is still there.
    for _ in range(6):
        qtbot.wait(200)
        tap(built.window, touch_device, stage_centre(built) + QPoint(0, 150))
    assert built.navigator.index == 1
    assert idle is not None and not idle.attracting


def test_attract_loop_plays_and_the_first_touch_only_wakes(make_locked, touch_device, qtbot):
    built = make_locked(idle_seconds=1.0, attract_seconds=0.2,
                        attract_advance_seconds=0.15)
    qtbot.waitUntil(lambda: built.modes.mode is Mode.ATTRACT, timeout=5000)
    qtbot.waitUntil(lambda: built.navigator.index >= 2, timeout=3000)
    # A swipe that would go back a slide, but the kiosk is asleep: it only wakes.
    at = built.navigator.index
    window = built.window
    swipe(window, touch_device, stage_centre(built) - QPoint(300, 0),
          stage_centre(built) + QPoint(300, 0))
    assert built.modes.mode is Mode.INTERACTIVE
    assert built.navigator.index == at
    qtbot.wait(400)  # longer than the attract advance, shorter than idle: it has stopped
    assert built.navigator.index == at
    # Awake now: the same swipe goes back.
    swipe(window, touch_device, stage_centre(built) - QPoint(300, 0),
          stage_centre(built) + QPoint(300, 0))
    assert built.navigator.index == at - 1


def test_attract_alternates_languages_at_the_end_of_the_deck(make_locked, qtbot):
    built = make_locked(idle_seconds=0.1, attract_seconds=0.1,
                        attract_advance_seconds=0.02)
    start = built.localizer.locale
    qtbot.waitUntil(lambda: built.localizer.locale != start, timeout=5000)
    assert built.modes.mode is Mode.ATTRACT
    assert built.navigator.index <= 1


def test_a_key_wakes_without_acting(make_locked, qtbot):
    built = make_locked(idle_seconds=0.1, attract_seconds=0.1, attract_advance_seconds=5)
    qtbot.waitUntil(lambda: built.modes.mode is Mode.ATTRACT, timeout=3000)
    QTest.keyClick(built.window, Key.Key_Right)
    assert built.modes.mode is Mode.INTERACTIVE and built.navigator.index == 0
    QTest.keyClick(built.window, Key.Key_Right)
    assert built.navigator.index == 1


# -- staff access -----------------------------------------------------------------


def hold_corner(built, qtbot, corner: QPoint | None = None) -> None:  # type: ignore[no-untyped-def]
    window = built.window
    point = corner or QPoint(5, 5)
    QTest.mousePress(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    qtbot.waitUntil(lambda: built.kiosk_mode.pin_pad.isVisible(), timeout=3000)
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def test_a_short_tap_in_the_corner_opens_nothing(make_locked, qtbot):
    built = make_locked()
    window = built.window
    QTest.mouseClick(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(5, 5))
    qtbot.wait(500)
    assert not built.kiosk_mode.pin_pad.isVisible()


def test_holding_another_corner_opens_nothing(make_locked, qtbot):
    built = make_locked()
    window = built.window
    point = QPoint(window.width() - 5, 5)
    QTest.mousePress(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    qtbot.wait(600)
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert not built.kiosk_mode.pin_pad.isVisible()


def test_without_a_pin_the_pad_says_how_to_set_one_and_opens_nothing(make_locked, qtbot):
    built = make_locked(pin="")
    hold_corner(built, qtbot)
    pad = built.kiosk_mode.pin_pad
    assert "set-pin" in pad.message.text()
    for digit in "0000":
        QTest.mouseClick(pad.keys[digit], Qt.MouseButton.LeftButton)
    QTest.mouseClick(pad.keys["ok"], Qt.MouseButton.LeftButton)
    assert not built.kiosk_mode.panel.isVisible()
    assert built.modes.mode is Mode.STAFF


def enter(pad, digits: str) -> None:  # type: ignore[no-untyped-def]
    for digit in digits:
        QTest.mouseClick(pad.keys[digit], Qt.MouseButton.LeftButton)
    QTest.mouseClick(pad.keys["ok"], Qt.MouseButton.LeftButton)


def test_the_right_pin_opens_the_staff_panel(make_locked, pin_hash, qtbot):
    built = make_locked(pin=pin_hash)
    hold_corner(built, qtbot)
    pad = built.kiosk_mode.pin_pad
    assert pad.keys["5"].isEnabled()
    # Keys typed on the slide's keyboard go to the pad, not to the slides.
    QTest.keyClick(pad, Key.Key_1)
    assert pad.entry == "1" and built.window.controls.counter.text.startswith("1 /")
    QTest.keyClick(pad, Key.Key_Backspace)
    enter(pad, PIN)
    panel = built.kiosk_mode.panel
    assert panel.isVisible() and not pad.isVisible()
    info = panel.info.text()
    assert built.content.pack.deck.id in info and built.content.pack.checksum[:16] in info
    QTest.mouseClick(panel.buttons["close"], Qt.MouseButton.LeftButton)
    assert not panel.isVisible() and built.modes.mode is Mode.INTERACTIVE
    QTest.keyClick(built.window, Key.Key_Right)
    assert built.navigator.index == 1


def test_wrong_pins_lock_the_pad(make_locked, pin_hash, qtbot):
    built = make_locked(pin=pin_hash)
    hold_corner(built, qtbot)
    pad = built.kiosk_mode.pin_pad
    for _ in range(2):
        enter(pad, "1111")
        assert pad.keys["5"].isEnabled()
        assert pad.message.text() == built.kiosk_mode.text("staff.pin.wrong")
    enter(pad, "1111")  # the third wrong PIN in a row
    assert not pad.keys["5"].isEnabled()
    assert "30" in pad.message.text()
    enter(pad, PIN)  # ignored while locked
    assert not built.kiosk_mode.panel.isVisible()


def test_idle_closes_the_staff_screens(make_locked, pin_hash, qtbot):
    built = make_locked(pin=pin_hash, idle_seconds=0.5)
    hold_corner(built, qtbot)
    enter(built.kiosk_mode.pin_pad, PIN)
    assert built.kiosk_mode.panel.isVisible()
    qtbot.waitUntil(lambda: not built.kiosk_mode.panel.isVisible(), timeout=3000)
    assert built.modes.mode is not Mode.STAFF


def test_staff_exit_really_ends_the_kiosk(make_locked, pin_hash, qtbot, monkeypatch):
    built = make_locked(pin=pin_hash)
    codes: list[int] = []
    monkeypatch.setattr(built.app, "exit", lambda code=0: codes.append(code))
    hold_corner(built, qtbot)
    enter(built.kiosk_mode.pin_pad, PIN)
    QTest.mouseClick(built.kiosk_mode.panel.buttons["exit"], Qt.MouseButton.LeftButton)
    assert codes == [0]
    assert built.window.close()


def test_touch_test_draws_under_each_finger(make_locked, pin_hash, touch_device, qtbot):
    built = make_locked(pin=pin_hash)
    hold_corner(built, qtbot)
    enter(built.kiosk_mode.pin_pad, PIN)
    QTest.mouseClick(built.kiosk_mode.panel.buttons["touch_test"], Qt.MouseButton.LeftButton)
    test = built.kiosk_mode.touch_test
    assert test.isVisible()
    QTest.touchEvent(test, touch_device).press(0, QPoint(100, 200), test)\
        .press(1, QPoint(400, 300), test).commit()
    assert len(test.points) == 2
    QTest.touchEvent(test, touch_device).release(0, QPoint(100, 200), test)\
        .release(1, QPoint(400, 300), test).commit()
    assert not test.points
    QTest.mouseClick(test.close_button, Qt.MouseButton.LeftButton)
    assert built.kiosk_mode.panel.isVisible()


def test_staff_reload_shows_the_content_from_its_cover(make_locked, pin_hash, qtbot):
    built = make_locked(pin=pin_hash)
    QTest.keyClick(built.window, Key.Key_Right)
    hold_corner(built, qtbot)
    enter(built.kiosk_mode.pin_pad, PIN)
    panel = built.kiosk_mode.panel
    QTest.mouseClick(panel.buttons["reload"], Qt.MouseButton.LeftButton)
    assert built.content.pack.deck.id in panel.status.text()
    assert built.navigator.index == 0
    QTest.mouseClick(panel.buttons["close"], Qt.MouseButton.LeftButton)
    view = built.window.stage.current_view
    qtbot.waitUntil(view.isVisible)
    assert view.layout_items.texts


# -- staying up ------------------------------------------------------------------


def test_an_uncaught_error_is_logged_and_the_cover_returns(make_locked, qtbot, caplog):
    from taixin_kiosk.app.startup import install_excepthook

    built = make_locked()
    QTest.keyClick(built.window, Key.Key_Right)
    previous = sys.excepthook
    install_excepthook(built)
    try:
        try:
            raise RuntimeError("boom in a slot")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        qtbot.waitUntil(lambda: built.navigator.index == 0)
    finally:
        sys.excepthook = previous
    assert any("boom in a slot" in r.getMessage() or (r.exc_text and "boom" in r.exc_text)
               for r in caplog.records)


def test_a_screen_change_lays_the_kiosk_out_again(make_locked, qtbot):
    from taixin_kiosk.app.startup import follow_screens

    built = make_locked()
    follow_screens(built)
    screen = built.window.screen() or QGuiApplication.primaryScreen()
    geometry = screen.geometry()
    screen.geometryChanged.emit(QRect(geometry))
    qtbot.waitUntil(lambda: built.window.geometry() == geometry)
    assert built.window.isFullScreen()


# -- content updates from the staff panel -----------------------------------------


@pytest.fixture
def usb_pack(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A content pack at the top of a pretend USB drive."""
    import shutil

    from conftest import ROOT
    from taixin_kiosk.kiosk import removable

    drive = tmp_path / "usb"
    pack = drive / "new-content"
    shutil.copytree(ROOT / "assets", pack, ignore=shutil.ignore_patterns("fonts"))
    shutil.copytree(ROOT / "i18n", pack / "i18n")
    set_version(pack, "2.0.0")
    monkeypatch.setattr(removable, "find_removable_packs",
                        lambda roots=None: removable.find_removable_packs_in([drive]))
    return pack


def open_staff_panel(built, qtbot):  # type: ignore[no-untyped-def]
    hold_corner(built, qtbot)
    enter(built.kiosk_mode.pin_pad, PIN)
    assert built.kiosk_mode.panel.isVisible()
    return built.kiosk_mode.panel


def set_version(pack, version: str) -> None:  # type: ignore[no-untyped-def]
    import json

    deck = json.loads((pack / "deck.json").read_text(encoding="utf-8"))
    deck["version"] = version
    (pack / "deck.json").write_text(json.dumps(deck, ensure_ascii=False), encoding="utf-8")


def install_from_usb(built, panel, qtbot, version: str) -> None:  # type: ignore[no-untyped-def]
    QTest.mouseClick(panel.buttons["install"], Qt.MouseButton.LeftButton)
    assert len(panel.choice_buttons) == 1
    QTest.mouseClick(panel.choice_buttons[0], Qt.MouseButton.LeftButton)
    # Installing runs beside the GUI, which keeps painting meanwhile.
    qtbot.waitUntil(lambda: built.content.pack.deck.version == version, timeout=20000)


def test_install_from_usb_then_roll_back(make_locked, pin_hash, usb_pack, qtbot):
    built = make_locked(pin=pin_hash)
    panel = open_staff_panel(built, qtbot)
    QTest.mouseClick(panel.buttons["install"], Qt.MouseButton.LeftButton)
    assert [b.text() for b in panel.choice_buttons] == [str(usb_pack)]
    QTest.mouseClick(panel.buttons["install"], Qt.MouseButton.LeftButton)  # listed again
    install_from_usb(built, panel, qtbot, "2.0.0")
    assert "2.0.0" in panel.status.text()
    assert built.content.pack.root.parent.name == "store"  # the installed copy
    assert panel.buttons["close"].isEnabled()
    # The first pack installed replaced the built-in content: that is kept.
    QTest.mouseClick(panel.buttons["rollback"], Qt.MouseButton.LeftButton)
    assert built.content.pack.builtin
    builtin = built.content.pack.deck
    assert panel.status.text() == built.kiosk_mode.text(
        "staff.status.reloaded", pack=builtin.id, version=builtin.version)
    QTest.mouseClick(panel.buttons["rollback"], Qt.MouseButton.LeftButton)
    assert built.content.pack.deck.version == "2.0.0" and not built.content.pack.builtin
    set_version(usb_pack, "3.0.0")
    install_from_usb(built, panel, qtbot, "3.0.0")
    QTest.mouseClick(panel.buttons["rollback"], Qt.MouseButton.LeftButton)
    assert built.content.pack.deck.version == "2.0.0"
    assert "2.0.0" in panel.status.text()


def test_the_built_in_content_is_one_tap_away_with_two_packs_installed(
        make_locked, pin_hash, usb_pack, qtbot):
    built = make_locked(pin=pin_hash)
    panel = open_staff_panel(built, qtbot)
    install_from_usb(built, panel, qtbot, "2.0.0")
    set_version(usb_pack, "3.0.0")
    install_from_usb(built, panel, qtbot, "3.0.0")
    # Roll back toggles between the two packs; the built-in content has its
    # own button.
    button = panel.buttons["builtin"]
    assert button.isVisible() and button.text() == built.kiosk_mode.text("staff.panel.builtin")
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert built.content.pack.builtin
    builtin = built.content.pack.deck
    assert panel.status.text() == built.kiosk_mode.text(
        "staff.status.reloaded", pack=builtin.id, version=builtin.version)
    # Tapped again: it stays, and says so.
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert built.content.pack.builtin
    # Roll back returns to the pack shown before.
    QTest.mouseClick(panel.buttons["rollback"], Qt.MouseButton.LeftButton)
    assert built.content.pack.deck.version == "3.0.0" and not built.content.pack.builtin


def test_a_bad_pack_from_usb_changes_nothing(make_locked, pin_hash, usb_pack, qtbot):
    (usb_pack / "deck.json").write_text("{ broken", encoding="utf-8")
    built = make_locked(pin=pin_hash)
    shown = built.content.pack.root
    panel = open_staff_panel(built, qtbot)
    QTest.mouseClick(panel.buttons["install"], Qt.MouseButton.LeftButton)
    QTest.mouseClick(panel.choice_buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "deck.json" in panel.status.text(), timeout=20000)
    assert built.content.pack.root == shown


def test_no_usb_pack_says_where_to_put_one(make_locked, pin_hash, qtbot, monkeypatch):
    from taixin_kiosk.kiosk import removable

    monkeypatch.setattr(removable, "find_removable_packs", lambda roots=None: [])
    built = make_locked(pin=pin_hash)
    panel = open_staff_panel(built, qtbot)
    QTest.mouseClick(panel.buttons["install"], Qt.MouseButton.LeftButton)
    assert panel.status.text() == built.kiosk_mode.text("staff.status.no_usb")


def test_a_drive_crowded_with_files_is_listed_without_a_hang(make_locked, pin_hash, qtbot,
                                                             monkeypatch, tmp_path):
    # The drive is listed on the GUI thread when staff tap the button: one
    # with 300,000 files at its top took over 3 s, and the supervisor ended
    # the app as hung. Only its first entries are looked at now.
    from taixin_kiosk.kiosk import removable

    drive = tmp_path / "usb"
    drive.mkdir()
    for i in range(3 * removable.MAX_ENTRIES):
        (drive / f"photo-{i:05d}.jpg").touch()
    (drive / "content.zip").touch()
    looked_at: list[str] = []
    real_scandir = os.scandir

    class Counted:
        def __init__(self, path):  # type: ignore[no-untyped-def]
            self._listing = real_scandir(path)

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc):  # type: ignore[no-untyped-def]
            self._listing.close()

        def __iter__(self):  # type: ignore[no-untyped-def]
            for entry in self._listing:
                looked_at.append(entry.name)
                yield entry

    monkeypatch.setattr(removable.os, "scandir", Counted)
    monkeypatch.setattr(removable, "find_removable_packs",
                        lambda roots=None: removable.find_removable_packs_in([drive]))
    built = make_locked(pin=pin_hash)
    panel = open_staff_panel(built, qtbot)
    QTest.mouseClick(panel.buttons["install"], Qt.MouseButton.LeftButton)
    assert len(looked_at) == removable.MAX_ENTRIES
    listed = [b.text() for b in panel.choice_buttons]
    if "content.zip" in looked_at:
        assert listed == [str(drive / "content.zip")]
    else:
        assert listed == [] and panel.status.text() == built.kiosk_mode.text(
            "staff.status.no_usb")


def test_usage_is_counted_and_shown_to_staff(make_locked, pin_hash, qtbot, monkeypatch):
    from taixin_kiosk.stats import recorder as stats

    # Views shorter than a second are swipes past a slide, not views: the
    # recorder gets a clock the test moves on instead of waiting.
    now = [1000.0]

    class FastRecorder(stats.ViewRecorder):
        def __init__(self, sink, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(sink, clock=lambda: now[0], **kwargs)

    monkeypatch.setattr(stats, "ViewRecorder", FastRecorder)
    built = make_locked(pin=pin_hash)
    for _ in range(3):
        now[0] += 5
        QTest.keyClick(built.window, Key.Key_Right)
    now[0] += 5
    QTest.keyClick(built.window, Key.Key_L)
    now[0] += 5
    panel = open_staff_panel(built, qtbot)
    today = built.kiosk_mode.stats.today()
    assert today.total_views >= 3 and today.language_changes == 1
    assert built.kiosk_mode.text("staff.info.usage", views=today.total_views,
                                 languages=1, resets=0, wakes=0) in panel.info.text()


def test_when_its_screen_goes_away_the_kiosk_moves_to_another(make_locked, monkeypatch):
    from taixin_kiosk.app.startup import follow_screens
    from taixin_kiosk.ui import screens as screens_module

    built = make_locked()
    follower = follow_screens(built)
    own = built.window.screen()

    class OtherScreen:
        def name(self) -> str:
            return "projector"

    other = OtherScreen()
    moved: list[object] = []
    monkeypatch.setattr(screens_module, "refit", lambda window, screen=None: moved.append(screen))
    qt = screens_module.QGuiApplication
    monkeypatch.setattr(qt, "screens", staticmethod(lambda: [own, other]))
    follower.follow()  # another screen came or went: the kiosk stays where it is
    assert moved == [own]
    monkeypatch.setattr(qt, "screens", staticmethod(lambda: [other]))
    follower.follow()  # its own went away
    assert moved == [own, other]


def test_a_pin_set_while_the_kiosk_runs_works_at_once(make_locked, app_home, qtbot):
    from taixin_kiosk.config.pin import hash_pin
    from taixin_kiosk.config.write import set_value

    built = make_locked(pin="")
    config = app_home / "config" / "config.toml"
    set_value(config, "pin", hash_pin("1357"))  # what taixin-kiosk set-pin writes
    hold_corner(built, qtbot)
    enter(built.kiosk_mode.pin_pad, "1357")
    assert built.kiosk_mode.panel.isVisible()


def test_a_changed_pin_replaces_the_old_one(make_locked, app_home, pin_hash, qtbot):
    from taixin_kiosk.config.pin import hash_pin
    from taixin_kiosk.config.write import set_value

    config = app_home / "config" / "config.toml"
    set_value(config, "pin", pin_hash)
    built = make_locked(pin=pin_hash)
    set_value(config, "pin", hash_pin("9753"))
    hold_corner(built, qtbot)
    pad = built.kiosk_mode.pin_pad
    enter(pad, PIN)
    assert not built.kiosk_mode.panel.isVisible()
    enter(pad, "9753")
    assert built.kiosk_mode.panel.isVisible()


def test_too_few_digits_are_not_a_wrong_pin(make_locked, pin_hash, qtbot):
    built = make_locked(pin=pin_hash)
    hold_corner(built, qtbot)
    pad = built.kiosk_mode.pin_pad
    for _ in range(5):
        enter(pad, "12")
    assert pad.message.text() == built.kiosk_mode.text("staff.pin.too_short")
    assert built.kiosk_mode.guard.wrong_attempts == 0 and pad.keys["5"].isEnabled()


def test_a_mouse_moved_to_the_staff_corner_is_no_visit(make_locked, pin_hash, qtbot):
    # With a mouse, staff move the pointer to the corner before they hold it.
    # That move began a visit: the cover behind the hold became a view, and
    # at the next idle reset a visit was counted that was only staff's.
    built = make_locked(pin=pin_hash)
    window = built.window
    usage = built.kiosk_mode.usage
    for x in (600, 300, 60, 5):
        QTest.mouseMove(window, QPoint(x, x * 2 // 3 + 5))
    assert not usage.visited
    panel = open_staff_panel(built, qtbot)
    QTest.mouseClick(panel.buttons["close"], Qt.MouseButton.LeftButton)
    assert not panel.isVisible()
    QTest.mouseMove(window, QPoint(640, 400))
    assert not usage.visited
    assert built.kiosk_mode.stats.today().total_views == 0
    # A visitor's click begins a visit, and moves of the mouse go on with it.
    QTest.mouseClick(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(640, 300))
    assert usage.visited
    QTest.mouseMove(window, QPoint(700, 300))
    assert usage.visited


def test_an_idle_reset_counts_only_after_a_visit(make_locked, qtbot):
    built = make_locked(idle_seconds=0.2, attract_seconds=600)
    idle = built.kiosk_mode.idle
    resets: list[int] = []
    idle.idle_reset.connect(lambda: resets.append(1))
    qtbot.waitUntil(lambda: len(resets) == 1, timeout=3000)  # nobody came
    assert built.kiosk_mode.stats.today().idle_resets == 0
    QTest.keyClick(built.window, Key.Key_Right)  # a visitor
    qtbot.waitUntil(lambda: len(resets) == 2, timeout=3000)
    assert built.kiosk_mode.stats.today().idle_resets == 1


# -- a broken config file fails closed (issue 15) ------------------------------------


def locked_from_file(make_locked, config, **given):  # type: ignore[no-untyped-def]
    """The app as ``taixin-kiosk`` builds it from the config file (and ``given``
    on the command line), with the test's short timers."""
    from taixin_kiosk.config.load import load_config

    settings = load_config(config, given).settings._asdict()
    # The test's timers, and a window rather than the whole offscreen screen.
    for name in ("keep_awake", "idle_seconds", "attract_seconds", "staff_hold_seconds",
                 "windowed", "motion"):
        del settings[name]
    return make_locked(**settings)


@pytest.mark.parametrize("given", [{}, {"kiosk": True}])
def test_a_broken_config_keeps_the_kiosk_locked_and_the_pin_working(
        make_locked, app_home, pin_hash, qtbot, given):
    config = app_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    # The file: kiosk on, the PIN's hash, and one typo (a letter O).
    config.write_text(f'kiosk = true\npin = "{pin_hash}"\nidle_seconds = 9O\n', encoding="utf-8")
    built = locked_from_file(make_locked, config, **given)
    assert built.kiosk_mode is not None
    window = built.window
    QTest.keyClick(window, Key.Key_Escape)
    QTest.keyClick(window, Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window, Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert not window.close()
    qtbot.wait(50)
    assert window.isVisible() and window.stage.current_view.isVisible()
    hold_corner(built, qtbot)
    pad = built.kiosk_mode.pin_pad
    assert pad.keys["5"].isEnabled()  # not "no PIN set"
    enter(pad, PIN)
    panel = built.kiosk_mode.panel
    assert panel.isVisible()
    # Staff see the problem behind the PIN: the file, the line, what is wrong.
    from taixin_kiosk.config.load import load_config

    [problem] = load_config(config).problems
    assert (problem.code, problem.line) == ("syntax", 3)
    info = panel.info.text()
    assert problem.format(built.kiosk_mode.text) in info and str(config) in info


def test_a_broken_config_shows_visitors_only_the_slides(make_locked, app_home, pin_hash, qtbot):
    config = app_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'kiosk = "yes"\npin = "{pin_hash}"\n', encoding="utf-8")
    built = locked_from_file(make_locked, config)
    assert built.kiosk_mode is not None  # "yes" is no false
    QTest.keyClick(built.window, Key.Key_Escape)
    assert built.window.isVisible() and built.navigator.index == 0
    assert not built.kiosk_mode.panel.isVisible() and not built.kiosk_mode.pin_pad.isVisible()
    assert built.modes.mode is not Mode.STAFF


def test_the_pad_stays_locked_after_a_restart(make_locked, app_home, pin_hash, qtbot):
    built = make_locked(pin=pin_hash)
    hold_corner(built, qtbot)
    for _ in range(3):
        enter(built.kiosk_mode.pin_pad, "1111")
    assert not built.kiosk_mode.pin_pad.keys["5"].isEnabled()
    built.unbind_input()
    built.window.close()
    again = make_locked(pin=pin_hash)  # the next start, same home
    hold_corner(again, qtbot)
    pad = again.kiosk_mode.pin_pad
    assert not pad.keys["5"].isEnabled()
    assert pad.message.text() == again.kiosk_mode.text("staff.pin.locked", seconds=30)


def test_staff_see_when_the_display_is_not_kept_awake(make_locked, pin_hash, qtbot, monkeypatch):
    from PySide6.QtDBus import QDBusConnection

    from taixin_kiosk.system import awake

    def no_bus():  # the panel-less session: no D-Bus, and no xset either
        return QDBusConnection.connectToBus("unix:path=/nonexistent/bus", "taixin-kiosk-no-bus")

    monkeypatch.setattr(awake, "default_backend", lambda: awake.FirstThatHolds(
        (awake.DBusBackend(no_bus), awake.XsetBackend(which=lambda _n: None))))
    built = make_locked(pin=pin_hash, keep_awake=True)
    hold_corner(built, qtbot)
    enter(built.kiosk_mode.pin_pad, PIN)
    assert built.kiosk_mode.text("staff.info.awake.no_session_bus") \
        in built.kiosk_mode.panel.info.text()
