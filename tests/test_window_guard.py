"""The kiosk's window stays up: the window guard, the heartbeat's window
report, the supervisor's "window shown" health check, and the real thing
under Xvfb with a window manager."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage

from taixin_kiosk.content.builtin import app_catalogue
from taixin_kiosk.kiosk.window_guard import Fault
from taixin_kiosk.system import commands as system_commands
from taixin_kiosk.system import supervisor
from taixin_kiosk.system.heartbeat import Heartbeat
from taixin_kiosk.system.supervisor import (
    HEARTBEAT_ENV,
    RESTART_REASON_ENV,
    WINDOW,
    beat_line,
    beat_window,
    read_restarts,
)
from test_system import FakeProcess, World


@pytest.fixture
def guarded(make_app, qtbot):  # type: ignore[no-untyped-def]
    """A kiosk full screen on its screen, its window guard running."""
    built = make_app(kiosk=True, keep_awake=False, idle_seconds=600.0,
                     attract_seconds=600.0)
    built.window.showFullScreen()
    qtbot.waitUntil(lambda: shown_full_screen(built))
    guard = built.kiosk_mode.keep_window_up()
    yield built
    guard.stop()


def shown_full_screen(built) -> bool:  # type: ignore[no-untyped-def]
    """What a visitor sees: the window up, full screen, covering its screen."""
    window = built.window
    screen = window.screen()
    return (window.isVisible() and not window.isMinimized() and window.isFullScreen()
            and window.windowHandle() is not None and window.windowHandle().isExposed()
            and screen is not None and window.geometry() == screen.geometry())


def test_a_minimised_kiosk_comes_back_full_screen(guarded, qtbot):
    qtbot.waitUntil(lambda: shown_full_screen(guarded))
    guard = guarded.kiosk_mode.window_guard
    with qtbot.waitSignal(guard.shown_changed) as lost:
        guarded.window.showMinimized()
    assert lost.args == [False]
    assert guarded.kiosk_mode.window_lost_for() is not None
    qtbot.waitUntil(lambda: shown_full_screen(guarded) and guard.shown)
    assert guarded.kiosk_mode.window_lost_for() is None


def test_a_hidden_kiosk_window_is_shown_again(guarded, qtbot):
    qtbot.waitUntil(lambda: shown_full_screen(guarded))
    guard = guarded.kiosk_mode.window_guard
    with qtbot.waitSignal(guard.restored) as repaired:
        guarded.window.hide()
    assert repaired.args == [Fault.HIDDEN.value]
    qtbot.waitUntil(lambda: shown_full_screen(guarded))


def test_full_screen_dropped_is_put_back(guarded, qtbot):
    qtbot.waitUntil(lambda: shown_full_screen(guarded))
    guard = guarded.kiosk_mode.window_guard
    with qtbot.waitSignal(guard.restored) as repaired:
        guarded.window.showNormal()
    assert repaired.args == [Fault.NOT_FULL_SCREEN.value]
    qtbot.waitUntil(lambda: shown_full_screen(guarded))


def test_a_window_moved_off_its_screen_comes_back(guarded, qtbot):
    qtbot.waitUntil(lambda: shown_full_screen(guarded))
    window = guarded.window
    screen = window.screen().geometry()
    guard = guarded.kiosk_mode.window_guard
    # Qt leaves full screen on a move; a window manager may keep the state.
    with qtbot.waitSignal(guard.restored) as repaired:
        window.setGeometry(QRect(screen.right() + 200, screen.top(), screen.width(),
                                 screen.height()))
    assert repaired.args[0] in (Fault.OFF_SCREEN.value, Fault.NOT_FULL_SCREEN.value)
    qtbot.waitUntil(lambda: shown_full_screen(guarded))
    assert window.geometry() == screen


def test_a_destroyed_native_window_is_made_again(guarded, qtbot):
    qtbot.waitUntil(lambda: shown_full_screen(guarded))
    window = guarded.window
    guard = guarded.kiosk_mode.window_guard
    # Inside Qt a destroyed native window also hides the widget; from another
    # X client it does not (the slow test below does that one).
    with qtbot.waitSignal(guard.restored) as repaired:
        window.windowHandle().destroy()  # the native window goes; the widget stays
    assert repaired.args[0] in (Fault.HIDDEN.value, Fault.DESTROYED.value)
    qtbot.waitUntil(lambda: shown_full_screen(guarded) and window.internalWinId() != 0)
    # Still the kiosk: the slides are there and the input still reaches them.
    assert guarded.window.stage.isVisible()


def test_a_window_that_keeps_taking_the_focus_is_fought_ever_more_slowly(
        guarded, monkeypatch):  # type: ignore[no-untyped-def]
    # Two kiosks on one screen (two --home folders) took the top from each
    # other twice a second for ever. The platform's focus is played here: the
    # offscreen platform has no other program to lose it to (the slow test
    # below covers a real X window manager).
    from PySide6.QtWidgets import QApplication

    from taixin_kiosk.kiosk import window_guard as module

    guard = guarded.kiosk_mode.window_guard
    window = guarded.window
    focus = {"ours": False}  # the other one has just come up over the kiosk
    raised: list[float] = []
    now = [1000.0]
    monkeypatch.setattr(module, "RAISING_PLATFORMS", (QApplication.platformName(),))
    monkeypatch.setattr(guard, "_clock", lambda: now[0])
    monkeypatch.setattr(window, "isActiveWindow", lambda: focus["ours"])
    monkeypatch.setattr(QApplication, "activeWindow",
                        staticmethod(lambda: window if focus["ours"] else None))

    def activate() -> None:
        focus["ours"] = True
        raised.append(now[0])

    monkeypatch.setattr(window, "activateWindow", activate)
    monkeypatch.setattr(window, "raise_", lambda: None)
    for _ in range(4000):  # 2000 s of checks, twice a second
        now[0] += 0.5
        if focus["ours"] and raised and now[0] - raised[-1] >= 1.0:
            focus["ours"] = False  # the other one takes it back a second later
        guard.check()
    waits = [b - a for a, b in pairwise(raised)]
    assert waits[0] < 2.0  # the first time, at once
    assert all(b >= a for a, b in pairwise(waits))
    assert max(waits) <= module.RAISE_WAIT_MAX_S + 1.0 and len(raised) < 20
    # Left alone for a while, it takes the top back at once again.
    focus["ours"] = True
    for _ in range(int(module.CALM_S / 0.5) + 2):
        now[0] += 0.5
        guard.check()
    focus["ours"] = False
    before = len(raised)
    for _ in range(3):
        now[0] += 0.5
        guard.check()
    assert len(raised) == before + 1


def test_the_guard_lets_the_window_go_when_staff_end_the_kiosk(guarded, qtbot):
    qtbot.waitUntil(lambda: shown_full_screen(guarded))
    guard = guarded.kiosk_mode.window_guard
    guarded.session.end(0)
    qtbot.waitUntil(lambda: not guarded.window.isVisible())
    assert not guard.active
    guard.check()  # a check still queued does nothing
    assert not guarded.window.isVisible()


def test_a_presentation_has_no_guard(make_app, qtbot):
    built = make_app()
    assert built.kiosk_mode is None
    built.window.showMinimized()
    qtbot.waitUntil(built.window.isMinimized)


# -- the heartbeat says whether the window is shown ---------------------------------


def test_the_heartbeat_carries_the_window_state(qtbot, tmp_path):
    path = tmp_path / "beat"
    beat = Heartbeat(environ={HEARTBEAT_ENV: str(path)}, interval_ms=10_000)
    lost: list[float | None] = [None]
    beat.window = lambda: lost[0]
    beat.start()
    assert path.read_text().split()[2:] == ["window=shown"]
    assert beat_window(path.read_bytes()) is None
    lost[0] = 3.5
    beat.beat()
    assert path.read_text().split()[2:] == ["window=lost", "lost_s=3.5"]
    assert beat_window(path.read_bytes()) == 3.5
    beat.stop()


def test_a_beat_without_a_window_says_nothing_of_it():
    assert beat_line(12, 3) == "12 3\n"
    assert beat_window(b"12 3\n") is None
    assert beat_window(b"12 3 window=lost lost_s=abc\n") == 0.0
    assert beat_window(b"12 3 window=lost lost_s=nan\n") == 0.0


# -- the supervisor restarts an app whose window stays away -------------------------


class WindowProcess(FakeProcess):
    """A child that beats on, and says its window is lost from ``lost_at`` to
    ``back_at`` seconds after its start."""

    def __init__(self, world, argv, env, *, lost_at=None, back_at=None,  # type: ignore[no-untyped-def]
                 **script):
        super().__init__(world, argv, env, **script)
        self.lost_at = lost_at
        self.back_at = back_at

    def tick(self):  # type: ignore[no-untyped-def]
        before = self.beats
        super().tick()
        if self.beats == before or self.returncode is not None:
            return
        age = self.world.now - self.started
        lost = None
        if self.lost_at is not None and age >= self.lost_at and (
                self.back_at is None or age < self.back_at):
            lost = age - self.lost_at
        self.heartbeat.write_text(beat_line(self.pid, self.beats, window=True, lost=lost))


class WindowWorld(World):
    def popen(self, argv, env):  # type: ignore[no-untyped-def]
        assert self.scripts, "more starts than scripted"
        process = WindowProcess(self, argv, env, **self.scripts.pop(0))
        self.processes.append(process)
        process.tick()
        return process


def test_a_window_lost_for_good_restarts_the_app(tmp_path):
    world = WindowWorld({"lost_at": 20.0}, {"exit_at": 5.0, "code": 0})
    assert world.run(tmp_path, window_grace=10.0) == 0
    lost, fresh = world.processes
    # Beating all along, but no window from 20 s on: ended after the grace.
    assert lost.signals == ["terminate"]
    assert 30.0 < lost.ended_at - lost.started <= 31.5
    assert [e.reason for e in world.events] == [WINDOW]
    assert world.events[0].exit_code is None
    assert fresh.env[RESTART_REASON_ENV] == WINDOW
    assert read_restarts(tmp_path).last_reason == WINDOW


def test_a_window_the_app_puts_back_is_no_failure(tmp_path):
    world = WindowWorld({"lost_at": 5.0, "back_at": 7.0, "exit_at": 60.0, "code": 0})
    assert world.run(tmp_path, window_grace=10.0) == 0
    assert len(world.processes) == 1 and world.events == []


def test_the_supervisor_says_why_it_restarted(monkeypatch, capsys, tmp_path):
    def fake(command, state_dir, *, hang_seconds, on_restart, kiosk=False):  # type: ignore[no-untyped-def]
        on_restart(supervisor.RestartEvent(WINDOW, None, 1, 4, 0.5))
        return 0

    monkeypatch.setattr(system_commands, "supervise", fake)
    for locale, words in (("en", "window"), ("zh-CN", "窗口")):
        system_commands.cmd_supervise(app_catalogue(locale), ["--kiosk"], tmp_path)
        err = capsys.readouterr().err
        assert "cli." not in err and words in err and "4" in err


# -- the real kiosk under Xvfb and matchbox -----------------------------------------


def _wait(predicate, seconds, step=0.1):  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


@pytest.mark.slow
def test_the_real_kiosk_window_comes_back_after_each_fault(tmp_path, qapp):
    """``--kiosk --supervise --home`` under Xvfb and matchbox: minimised,
    unmapped, full screen dropped (F11), destroyed (``windowclose``), moved
    off the screen, and its X client killed (``windowkill``, which ends the
    app: the supervisor starts a new one); each time the window is back full
    screen. A socket left by a killed kiosk in the home folder does not stop
    the start."""
    tools = {name: shutil.which(name) for name in
             ("Xvfb", "matchbox-window-manager", "xdotool", "xprop", "xwininfo")}
    if not sys.platform.startswith("linux") or not all(tools.values()):
        pytest.skip("needs Xvfb, matchbox-window-manager, xdotool, xprop and xwininfo")
    from taixin_kiosk.system.instance import SingleInstance

    display = next(f":{n}" for n in range(141, 190)
                   if not Path(f"/tmp/.X11-unix/X{n}").exists()
                   and not Path(f"/tmp/.X{n}-lock").exists())
    # A short home: a socket's path must fit in 100 bytes.
    home = Path(tempfile.mkdtemp(prefix="k", dir="/tmp"))
    state = home / "data" / "state"
    state.mkdir(parents=True)
    stale = Path(SingleInstance(lock_dir=state).socket_name())
    assert stale.parent == state
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(stale))  # bound and never unlinked: what kill -9 leaves
    dead.close()
    env = {**os.environ, "DISPLAY": display, "HOME": str(tmp_path),
           "QT_QPA_PLATFORM": "xcb", "XDG_RUNTIME_DIR": str(home)}
    started: list[subprocess.Popen[bytes]] = []
    log = home / "logs" / "taixin-kiosk.log"

    def start(args: list[str]) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        started.append(process)
        return process

    def x(*args: str) -> str:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=10)
        return done.stdout

    def shown() -> str:
        """The kiosk's window when a visitor sees it: viewable, full screen,
        covering the 1280x800 screen."""
        for wid in x(tools["xdotool"], "search", "--name", "Taixin").split():
            if "IsViewable" not in x(tools["xwininfo"], "-id", wid):
                continue
            if "_NET_WM_STATE_FULLSCREEN" not in x(tools["xprop"], "-id", wid, "_NET_WM_STATE"):
                continue
            geometry = x(tools["xdotool"], "getwindowgeometry", wid)
            if "Position: 0,0" in geometry and "Geometry: 1280x800" in geometry:
                return wid
        return ""

    def logged(pattern: str) -> int:
        text = log.read_text(encoding="utf-8") if log.exists() else ""
        return len(re.findall(pattern, text))

    def faults_logged() -> int:
        return logged(r"the kiosk window is not shown")

    def settled() -> bool:
        """The guard itself calls the window shown (after its last repair)."""
        return faults_logged() == logged(r"the window is shown full screen again")

    def frame(wid: str) -> str:
        """The window manager's frame around ``wid`` (or ``wid`` itself)."""
        tree = x(tools["xwininfo"], "-id", wid, "-tree")
        found = re.search(r"Parent window id: (0x[0-9a-f]+)(?! \(the root)", tree)
        return found.group(1) if found else wid

    recovered: dict[str, float] = {}
    try:
        start([tools["Xvfb"], display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        assert _wait(lambda: Path(f"/tmp/.X11-unix/X{display[1:]}").exists(), 10)
        start([tools["matchbox-window-manager"], "-use_titlebar", "no", "-use_cursor", "no"])
        time.sleep(0.5)
        supervised = start([sys.executable, "-m", "taixin_kiosk", "--kiosk", "--supervise",
                            "--home", str(home), "--lang", "en", "--no-motion"])
        assert _wait(shown, 60, 0.5), "the kiosk window did not appear"
        # The stale socket was replaced by the running kiosk's: it answers.
        knock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        assert _wait(lambda: knock.connect_ex(str(stale)) == 0, 10)
        knock.close()
        # The guard starts just after the first frame: wait for its first beat.
        assert _wait(lambda: any(b"window=shown" in p.read_bytes()
                                 for p in state.glob("heartbeat-*")), 20)

        faults = {
            "minimise": lambda wid: x(tools["xdotool"], "windowminimize", wid),
            "unmap": lambda wid: x(tools["xdotool"], "windowunmap", wid),
            "full screen dropped (F11)": lambda wid: x(tools["xdotool"], "key", "F11"),
            "native window destroyed": lambda wid: x(tools["xdotool"], "windowclose", wid),
            # The frame moved behind the window manager's back: Qt is not told.
            "moved off screen": lambda wid: x(tools["xdotool"], "windowmove", frame(wid),
                                              "900", "300"),
        }
        for name, fault in faults.items():
            wid = _wait(lambda: settled() and shown(), 10)
            assert wid, f"no window before {name}"
            seen = faults_logged()
            began = time.monotonic()
            fault(wid)
            assert _wait(lambda seen=seen: faults_logged() > seen, 10), \
                f"{name}: the fault went unseen"
            assert _wait(shown, 10), f"{name}: the window did not come back"
            recovered[name] = time.monotonic() - began
            assert _wait(settled, 10), f"{name}: the guard did not see the window back"
        # Another program's window over the kiosk (matchbox ignores "stay on
        # top"): the kiosk takes the focus and the top back.
        xmessage = shutil.which("xmessage")  # x11-utils, with xprop and xwininfo
        if xmessage is not None:
            wid = _wait(lambda: settled() and shown(), 10)
            assert wid
            began = time.monotonic()
            start([xmessage, "-center", "an update is ready"])

            def on_top() -> bool:
                stacking = x(tools["xprop"], "-root", "_NET_CLIENT_LIST_STACKING")
                active = x(tools["xprop"], "-root", "_NET_ACTIVE_WINDOW")
                ids = [int(found, 16) for found in re.findall(r"0x[0-9a-f]+", stacking)]
                return (len(ids) >= 2 and ids[-1] == int(wid)
                        and active.strip().endswith(hex(int(wid))))

            assert _wait(lambda: logged(r"another program's window has the focus") >= 1, 10), \
                "the window over the kiosk went unseen"
            assert _wait(on_top, 10), "the kiosk did not come back over the other window"
            recovered["another window over it"] = time.monotonic() - began
        # The X client killed: the app ends, the supervisor starts another.
        wid = _wait(shown, 10)
        began = time.monotonic()
        x(tools["xdotool"], "windowkill", wid)
        assert _wait(lambda: read_restarts(state).total >= 1, 20), "no restart"
        assert _wait(shown, 60, 0.5), "no window after the restart"
        recovered["X client killed (restart)"] = time.monotonic() - began
        assert supervised.poll() is None
        # What is on the screen: the slides, not a black desktop.
        shot = tmp_path / "screen.png"
        subprocess.run(["import", "-window", "root", str(shot)], env=env, check=False,
                       timeout=20, capture_output=True)
        if shot.exists():
            image = QImage(str(shot))
            dark = sum(1 for px in range(0, 1280, 40) for py in range(0, 800, 40)
                       if QImage.pixelColor(image, px, py).lightness() < 8)
            assert dark < (1280 // 40) * (800 // 40) / 2, "the screen is mostly black"
        print("seconds from fault to the window shown again:", recovered)
    finally:
        for process in reversed(started):
            process.terminate()
        for process in reversed(started):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        shutil.rmtree(home, ignore_errors=True)
