"""Staying up: single instance, keep awake, the supervisor, start at logon."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import types
import uuid
from pathlib import Path

import pytest

from taixin_kiosk.content.builtin import app_catalogue, app_icon, translations
from taixin_kiosk.system import autostart, supervisor
from taixin_kiosk.system import commands as system_commands
from taixin_kiosk.system.awake import (
    ES_CONTINUOUS,
    ES_DISPLAY_REQUIRED,
    ES_SYSTEM_REQUIRED,
    DBusBackend,
    KeepAwake,
    WindowsBackend,
)
from taixin_kiosk.system.heartbeat import Heartbeat
from taixin_kiosk.system.supervisor import (
    CRASH,
    EXIT_PLANNED_RESTART,
    HANG,
    HEARTBEAT_ENV,
    RESTART_REASON_ENV,
    RESTARTS_ENV,
    SUPERVISED_ENV,
    child_command,
    read_restarts,
    supervise,
)

# What the command line gives install-autostart: the entry's name and comment
# in every built-in language, and the app's icon.
ENTRY = system_commands.EntryTexts(translations("cli.autostart.entry_name"),
                                   translations("cli.autostart.entry_comment"), app_icon())


def install(cat, command, **options):  # type: ignore[no-untyped-def]
    return system_commands.cmd_install_autostart(cat, command, entry=ENTRY, **options)


def uninstall(cat, **options):  # type: ignore[no-untyped-def]
    return system_commands.cmd_uninstall_autostart(cat, **options)

# -- single instance -----------------------------------------------------------


@pytest.fixture
def instances(qtbot):
    from taixin_kiosk.system.instance import SingleInstance

    made = []

    def make(lock_dir):
        instance = SingleInstance(lock_dir=lock_dir)
        made.append(instance)
        return instance

    yield make
    for instance in made:
        instance.release()


def unique_key():
    return f"test-{uuid.uuid4().hex}"


def test_second_launch_activates_the_first_and_exits(instances, qtbot, tmp_path):
    key = unique_key()
    first = instances(tmp_path)
    assert first.claim(key)
    assert first.listening
    second = instances(tmp_path)
    with qtbot.waitSignal(first.activation_requested, timeout=3000):
        assert not second.claim(key)
    assert not second.listening
    # Once the first ends, the next launch is the instance.
    first.release()
    third = instances(tmp_path)
    assert third.claim(key)


def test_different_keys_do_not_meet(instances, tmp_path):
    assert instances(tmp_path).claim(unique_key())
    assert instances(tmp_path).claim(unique_key())


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no file behind")
def test_socket_left_by_a_crash_is_recovered(instances, qtbot, tmp_path):
    key = unique_key()
    stale = Path(instances(tmp_path).socket_name(key))
    assert stale.parent == tmp_path  # beside the lock, not in /tmp
    # A bound and closed socket, never unlinked: what a killed app leaves.
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(stale))
    dead.close()
    try:
        assert stale.exists()
        first = instances(tmp_path)
        assert first.claim(key)
        assert first.listening
        with qtbot.waitSignal(first.activation_requested, timeout=3000):
            assert not instances(tmp_path).claim(key)
    finally:
        stale.unlink(missing_ok=True)


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no file behind")
def test_the_socket_lives_in_the_kiosks_folder_and_goes_with_it(instances, qtbot, tmp_path):
    key = unique_key()
    first = instances(tmp_path)
    assert first.claim(key) and first.listening
    path = Path(first.socket_name(key))
    assert path.parent == tmp_path and path.is_socket()
    assert first.name == str(path)
    first.release()
    assert not path.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no file behind")
def test_a_folder_too_deep_for_a_socket_uses_the_runtime_folder(instances, qtbot, tmp_path,
                                                                 monkeypatch):
    import tempfile

    # A short runtime folder, as /run/user/UID is (tmp_path is long itself).
    with tempfile.TemporaryDirectory(prefix="r", dir="/tmp") as short:
        runtime = Path(short)
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
        deep = tmp_path / ("d" * 60) / ("e" * 60)
        key = unique_key()
        first = instances(deep)
        names = first.socket_names(key)
        assert not any(name.startswith(str(deep)) for name in names)
        assert Path(names[0]).parent == runtime
        assert first.claim(key) and Path(names[0]).is_socket()
        with qtbot.waitSignal(first.activation_requested, timeout=3000):
            assert not instances(deep).claim(key)
        first.release()


def test_a_starting_instance_holding_the_lock_is_not_doubled(instances, tmp_path):
    from taixin_kiosk.system.locks import take

    key = unique_key()
    # Another process has the lock but does not listen yet (still starting).
    path = instances(tmp_path)._lock_path(key)
    assert path is not None
    held = take(path)
    assert held is not None
    try:
        assert not instances(tmp_path).claim(key, wait_ms=200)
    finally:
        held.close()
    assert instances(tmp_path).claim(key)


def test_server_name_is_per_user_short_and_plain():
    from taixin_kiosk.system.instance import server_name

    name = server_name("taixin-kiosk", user="alice")
    assert name == server_name("taixin-kiosk", user="alice")
    assert name != server_name("taixin-kiosk", user="bob")
    assert len(name) <= 40 and all(c.isalnum() or c == "-" for c in name)


# -- keep awake ------------------------------------------------------------------


class FakeBackend:
    name = "fake"

    def __init__(self, works=True, raises=False):
        self.calls = []
        self.works = works
        self.raises = raises

    def inhibit(self, reason):
        self.calls.append(("inhibit", reason))
        if self.raises:
            raise RuntimeError("boom")
        return self.works

    def uninhibit(self):
        self.calls.append(("uninhibit",))


def test_keep_awake_acquires_and_releases_once():
    backend = FakeBackend()
    awake = KeepAwake(backend, reason="why")
    assert awake.acquire() and awake.acquire()
    assert awake.held
    awake.release()
    awake.release()
    assert not awake.held
    assert backend.calls == [("inhibit", "why"), ("uninhibit",)]
    assert awake.acquire()
    assert backend.calls[-1] == ("inhibit", "why")


def test_keep_awake_never_raises(caplog):
    backend = FakeBackend(raises=True)
    awake = KeepAwake(backend)
    with caplog.at_level(logging.WARNING):
        assert not awake.acquire()
    assert not awake.held
    awake.release()  # nothing held, nothing to undo
    assert backend.calls == [("inhibit", "kiosk-mode")]
    assert "display awake" in caplog.text


def test_keep_awake_unavailable_holds_nothing():
    backend = FakeBackend(works=False)
    awake = KeepAwake(backend)
    assert not awake.acquire()
    awake.release()
    assert backend.calls == [("inhibit", "kiosk-mode")]


def test_windows_backend_flags():
    calls = []

    def set_state(flags):
        calls.append(flags)
        return ES_CONTINUOUS  # the previous state: success

    awake = KeepAwake(WindowsBackend(set_state))
    assert awake.acquire()
    awake.release()
    assert calls == [ES_CONTINUOUS | ES_DISPLAY_REQUIRED | ES_SYSTEM_REQUIRED, ES_CONTINUOUS]
    failing = KeepAwake(WindowsBackend(lambda flags: 0))
    assert not failing.acquire()


def test_linux_backend_without_a_bus_does_nothing(qapp, caplog):
    from PySide6.QtDBus import QDBusConnection

    def no_bus():
        return QDBusConnection.connectToBus(f"unix:path={Path('/nonexistent') / 'bus'}",
                                            "taixin-test-no-bus")

    awake = KeepAwake(DBusBackend(no_bus))
    with caplog.at_level(logging.INFO, logger="taixin_kiosk.kiosk"):
        assert not awake.acquire()
    awake.release()
    assert not awake.held
    assert "no D-Bus session bus" in caplog.text
    # Said as a warning (issue 15), with a code for the staff panel.
    assert any(r.levelno == logging.WARNING and "no D-Bus session bus" in r.getMessage()
               for r in caplog.records)
    assert awake.problem == "no_session_bus"


class FakeXset:
    """Runs nothing: answers ``xset q`` as an X server with a 600 s saver and DPMS on."""

    def __init__(self, fails: bool = False) -> None:
        self.commands: list[list[str]] = []
        self.fails = fails

    def __call__(self, command, **_kwargs):  # type: ignore[no-untyped-def]
        import subprocess

        self.commands.append(command)
        out = ("Screen Saver:\n  prefer blanking:  yes    allow exposures:  yes\n"
               "  timeout:  600    cycle:  600\nDPMS (Energy Star):\n  DPMS is Enabled\n")
        code = 1 if self.fails and command[1:] != ["q"] else 0
        return subprocess.CompletedProcess(command, code, out if command[1:] == ["q"] else "", "")


def test_without_d_bus_xset_keeps_the_display_awake_and_puts_it_back(qapp, monkeypatch):
    from PySide6.QtDBus import QDBusConnection

    from taixin_kiosk.system.awake import FirstThatHolds, XsetBackend

    def no_bus():
        return QDBusConnection.connectToBus(f"unix:path={Path('/nonexistent') / 'bus'}",
                                            "taixin-test-no-bus")

    monkeypatch.setenv("DISPLAY", ":99")
    run = FakeXset()
    awake = KeepAwake(FirstThatHolds((DBusBackend(no_bus),
                                      XsetBackend(run, which=lambda _n: "/usr/bin/xset"))))
    assert awake.acquire() and awake.problem is None
    assert run.commands == [["/usr/bin/xset", "q"], ["/usr/bin/xset", "s", "off", "-dpms"]]
    awake.release()
    assert run.commands[2:] == [["/usr/bin/xset", "s", "600", "600"], ["/usr/bin/xset", "+dpms"]]
    # No xset (or it fails): nothing holds, and the D-Bus problem is the one reported.
    for xset in (XsetBackend(run, which=lambda _n: None),
                 XsetBackend(FakeXset(fails=True), which=lambda _n: "/usr/bin/xset")):
        failing = KeepAwake(FirstThatHolds((DBusBackend(no_bus), xset)))
        assert not failing.acquire() and failing.problem == "no_session_bus"


class NightXset(FakeXset):
    """An X server whose own DPMS is off, until ``dpms force off`` turns it on
    (as the real xset does)."""

    def __call__(self, command, **kwargs):  # type: ignore[no-untyped-def]
        import subprocess

        done = super().__call__(command, **kwargs)
        if command[1:] == ["q"]:
            dpms = any(c[1:3] == ["dpms", "force"] for c in self.commands)
            out = done.stdout.replace("Enabled", "Enabled" if dpms else "Disabled")
            return subprocess.CompletedProcess(command, 0, out, "")
        return done


def test_closed_hours_turn_the_display_off_and_on_and_leave_the_machine_its_settings(
        monkeypatch):
    from taixin_kiosk.system.awake import DisplayPower, XsetBackend

    monkeypatch.setenv("DISPLAY", ":99")
    run = NightXset()
    xset = "/usr/bin/xset"
    awake = KeepAwake(XsetBackend(run, which=lambda _n: xset))
    display = DisplayPower(run, which=lambda _n: xset)
    assert awake.acquire()
    awake.release()   # closing time
    assert display.sleep()
    assert run.commands[-1] == [xset, "dpms", "force", "off"]
    assert display.wake()  # opening time
    assert run.commands[-2:] == [[xset, "dpms", "force", "on"], [xset, "s", "reset"]]
    assert awake.acquire()
    awake.release()
    # The machine's own settings, as first found: DPMS stays off as it was,
    # though forcing the display off and on turned it on meanwhile.
    assert run.commands[-1] == [xset, "s", "600", "600"]
    # No X display (Windows, Wayland without xset, a test): nothing is run.
    monkeypatch.delenv("DISPLAY")
    before = len(run.commands)
    assert not display.sleep() and not display.wake()
    assert len(run.commands) == before


FAKE_SCREENSAVER = textwrap.dedent("""
    import sys
    from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Slot
    from PySide6.QtDBus import QDBusConnection

    @ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
    class ScreenSaver(QObject):
        @Slot(str, str, result="uint")
        def Inhibit(self, application, reason):
            print("inhibit", application, reason, flush=True)
            return 42

        @Slot("uint")
        def UnInhibit(self, cookie):
            print("uninhibit", cookie, flush=True)

    app = QCoreApplication([])
    bus = QDBusConnection.connectToBus(sys.argv[1], "service")
    saver = ScreenSaver()
    bus.registerObject("/org/freedesktop/ScreenSaver", saver,
                       QDBusConnection.RegisterOption.ExportAllSlots)
    bus.registerService("org.freedesktop.ScreenSaver")
    print("ready", flush=True)
    app.exec()
""")


@pytest.fixture
def private_bus():
    """A session bus of our own: the test never touches the desktop's."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("needs dbus-daemon")
    from PySide6.QtDBus import QDBusConnection

    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    name = f"taixin-test-{uuid.uuid4().hex}"
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        yield types.SimpleNamespace(
            address=address, connect=lambda: QDBusConnection.connectToBus(address, name))
    finally:
        QDBusConnection.disconnectFromBus(name)
        daemon.kill()
        daemon.wait(timeout=5)


def test_linux_backend_without_an_inhibit_service_does_nothing(qapp, private_bus, caplog):
    awake = KeepAwake(DBusBackend(private_bus.connect))
    with caplog.at_level(logging.INFO, logger="taixin_kiosk.kiosk"):
        assert not awake.acquire()
    awake.release()
    assert "offers no idle inhibit" in caplog.text


def test_linux_backend_inhibits_through_a_screensaver_service(qapp, private_bus, tmp_path):
    script = tmp_path / "screensaver.py"
    script.write_text(FAKE_SCREENSAVER, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    service = subprocess.Popen([sys.executable, str(script), private_bus.address], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert service.stdout is not None
        assert service.stdout.readline().strip() == "ready"
        awake = KeepAwake(DBusBackend(private_bus.connect, application="taixin-test"),
                          reason="kiosk-mode")
        assert awake.acquire()
        assert service.stdout.readline().split() == ["inhibit", "taixin-test", "kiosk-mode"]
        awake.release()
        # The cookie goes back as D-Bus "u", the type the method takes.
        assert service.stdout.readline().split() == ["uninhibit", "42"]
    finally:
        service.kill()
        service.wait(timeout=5)


# -- supervisor: the logic, with a fake world ----------------------------------------


class FakeProcess:
    def __init__(self, world, argv, env, *, exit_at=None, code=1, beat_every=1.0,
                 first_beat_at=0.0, beats_until=None, ignores_terminate=False):
        self.world = world
        self.argv = argv
        self.env = env
        self.pid = 1000 + len(world.processes)
        self.started = world.now
        self.exit_at = exit_at
        self.code = code
        self.beat_every = beat_every
        self.beats_until = beats_until
        self.first_beat_at = first_beat_at
        self.ignores_terminate = ignores_terminate
        self.returncode = None
        self.ended_at = None
        self.beats = 0
        self.last_beat = None
        self.signals = []
        self.heartbeat = Path(env[HEARTBEAT_ENV])

    def tick(self):
        if self.returncode is not None:
            return
        age = self.world.now - self.started
        if self.exit_at is not None and age >= self.exit_at:
            self.end(self.code)
            return
        beating = (self.beat_every is not None and age >= self.first_beat_at
                   and (self.beats_until is None or age < self.beats_until))
        if beating and (self.last_beat is None
                        or self.world.now - self.last_beat >= self.beat_every):
            self.beats += 1
            self.last_beat = self.world.now
            self.heartbeat.write_text(f"{self.pid} {self.beats}\n")

    def end(self, code):
        self.returncode = code
        self.ended_at = self.world.now

    def poll(self):
        self.tick()
        return self.returncode

    def wait(self, timeout=None):
        if self.returncode is None:
            self.world.now += timeout
            raise subprocess.TimeoutExpired(self.argv, timeout)
        return self.returncode

    def terminate(self):
        self.signals.append("terminate")
        if not self.ignores_terminate:
            self.end(-15)

    def kill(self):
        self.signals.append("kill")
        self.end(-9)


class World:
    """A clock, a sleep and a popen that play scripted children."""

    def __init__(self, *scripts, on_sleep=None):
        self.now = 0.0
        self.scripts = list(scripts)
        self.processes = []
        self.on_sleep = on_sleep
        self.events = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.now += seconds
        if self.on_sleep is not None:
            self.on_sleep(self)
        for process in self.processes:
            process.tick()

    def popen(self, argv, env):
        assert self.scripts, "more starts than scripted"
        process = FakeProcess(self, argv, env, **self.scripts.pop(0))
        self.processes.append(process)
        process.tick()
        return process

    def run(self, state_dir, **kwargs):
        kwargs.setdefault("on_restart", self.events.append)
        return supervise(["app", "--kiosk"], state_dir, clock=self.clock, sleep=self.sleep,
                         popen=self.popen, **kwargs)


def test_crash_restarts_with_growing_backoff(tmp_path):
    world = World(*[{"exit_at": 2.0, "code": 1}] * 3, {"exit_at": 2.0, "code": 0})
    assert world.run(tmp_path) == 0
    assert [e.delay for e in world.events] == [0.5, 1.0, 2.0]
    assert [e.reason for e in world.events] == [CRASH] * 3
    assert [e.number for e in world.events] == [1, 2, 3]
    first, *rest = world.processes
    assert first.env[SUPERVISED_ENV] == "1" and first.env[RESTARTS_ENV] == "0"
    assert RESTART_REASON_ENV not in first.env
    assert [p.env[RESTARTS_ENV] for p in rest] == ["1", "2", "3"]
    assert all(p.env[RESTART_REASON_ENV] == CRASH for p in rest)
    for crashed, restarted in zip(world.processes, rest, strict=False):
        assert restarted.started - crashed.ended_at < 5.0
    record = read_restarts(tmp_path)
    assert (record.total, record.last_reason, record.last_exit_code) == (3, CRASH, 1)
    assert record.last_time is not None


def test_restarts_accumulate_across_runs(tmp_path):
    World({"exit_at": 1.0, "code": 1}, {"exit_at": 1.0, "code": 0}).run(tmp_path)
    World({"exit_at": 1.0, "code": 70}, {"exit_at": 1.0, "code": 0}).run(tmp_path)
    assert read_restarts(tmp_path)[:1] == (2,)
    assert read_restarts(tmp_path).last_exit_code == 70


def test_restarts_are_counted_when_the_state_folder_was_deleted(tmp_path):
    import shutil

    # Someone deletes the state folder while the kiosk runs: the count goes on
    # from what it was, in a new folder, instead of being lost at each restart.
    state = tmp_path / "state"
    state.mkdir()

    deleted = []

    def delete_state(world):
        if world.now >= 1.0 and not deleted:
            shutil.rmtree(state)
            deleted.append(world.now)

    # Children that never beat: the heartbeat file is in the deleted folder.
    world = World({"exit_at": 2.0, "code": 1, "beat_every": None},
                  {"exit_at": 2.0, "code": 1, "beat_every": None},
                  {"exit_at": 1.0, "code": 0, "beat_every": None}, on_sleep=delete_state)
    assert world.run(state) == 0
    assert [e.total for e in world.events] == [1, 2]
    assert read_restarts(state).total == 2


def test_a_command_line_the_app_refuses_is_not_restarted(tmp_path):
    from taixin_kiosk.system.supervisor import EXIT_USAGE

    world = World({"exit_at": 0.5, "code": EXIT_USAGE})
    assert world.run(tmp_path) == EXIT_USAGE
    assert len(world.processes) == 1 and world.events == []
    assert read_restarts(tmp_path).total == 0


def test_a_kiosk_that_refuses_its_settings_is_restarted_then_given_up(tmp_path, caplog):
    from taixin_kiosk.system.supervisor import EXIT_USAGE, MAX_START_FAILURES, USAGE_BACKOFF_S

    # A kiosk: the cause may be mended meanwhile (a config file, a pack), and
    # giving up leaves the desktop on the screen. Twice refused, then fixed.
    world = World({"exit_at": 0.5, "code": EXIT_USAGE}, {"exit_at": 0.5, "code": EXIT_USAGE},
                  {"exit_at": 3.0, "code": 0})
    assert world.run(tmp_path, kiosk=True) == 0
    assert len(world.processes) == 3
    assert [(e.reason, e.exit_code) for e in world.events] == [(CRASH, EXIT_USAGE)] * 2
    assert [e.delay for e in world.events] == list(USAGE_BACKOFF_S[:2])  # growing
    first, second, _ = world.processes
    assert second.started - first.ended_at >= USAGE_BACKOFF_S[0]
    # Refused every time: given up after as many as a program that cannot
    # start, and the log says why.
    refusing = [{"exit_at": 0.5, "code": EXIT_USAGE}] * MAX_START_FAILURES
    world = World(*refusing)
    with caplog.at_level(logging.ERROR, logger="taixin_kiosk.supervisor"):
        assert world.run(tmp_path / "again", kiosk=True) == EXIT_USAGE
    assert len(world.processes) == MAX_START_FAILURES
    assert len(world.events) == MAX_START_FAILURES - 1
    assert "giving up" in caplog.text
    # A crash between two refusals starts the count again.
    mixed = [{"exit_at": 0.5, "code": EXIT_USAGE}] * (MAX_START_FAILURES - 1)
    world = World(*mixed, {"exit_at": 0.5, "code": 1}, *mixed, {"exit_at": 1.0, "code": 0})
    assert world.run(tmp_path / "mixed", kiosk=True) == 0
    assert len(world.processes) == 2 * MAX_START_FAILURES


def test_an_error_in_the_supervisor_itself_does_not_end_it(tmp_path, caplog):
    # time.sleep raising OSError once (seen under libfaketime) while a child runs.
    raised = []

    def broken_sleep_once(w):
        if w.now >= 2.0 and not raised:
            raised.append(w.now)
            raise OSError(22, "Invalid argument")

    world = World({"exit_at": 6.0, "code": 1}, {"exit_at": 3.0, "code": 0},
                  on_sleep=broken_sleep_once)
    with caplog.at_level(logging.WARNING, logger="taixin_kiosk.supervisor"):
        assert world.run(tmp_path) == 0
    assert raised
    # The same child watched on (never a second beside it), its crash still
    # seen and restarted, and the error in the log.
    assert len(world.processes) == 2
    assert [e.reason for e in world.events] == [CRASH]
    assert world.processes[1].started >= world.processes[0].ended_at
    assert "Invalid argument" in caplog.text


def test_an_unexpected_error_in_the_loop_is_logged_and_the_child_watched_on(tmp_path, caplog):
    world = World({"exit_at": 8.0, "code": 0})
    child_poll = []

    def flaky_popen(argv, env):
        process = World.popen(world, argv, env)
        real_poll = process.poll

        def poll():
            child_poll.append(world.now)
            if len(child_poll) == 5:
                raise RuntimeError("a bug in the supervisor")
            return real_poll()
        process.poll = poll
        return process

    with caplog.at_level(logging.ERROR, logger="taixin_kiosk.supervisor"):
        code = supervise(["app", "--kiosk"], tmp_path, clock=world.clock, sleep=world.sleep,
                         popen=flaky_popen, on_restart=world.events.append)
    assert code == 0
    assert len(world.processes) == 1 and world.events == []
    assert world.processes[0].ended_at == 8.0  # it ran to its own end
    assert "a bug in the supervisor" in caplog.text


def test_the_child_knows_its_supervisor(tmp_path):
    from taixin_kiosk.system.supervisor import SUPERVISOR_PID_ENV

    world = World({"exit_at": 1.0, "code": 0})
    world.run(tmp_path)
    assert world.processes[0].env[SUPERVISOR_PID_ENV] == str(os.getpid())


def test_a_kiosk_left_without_its_supervisor_is_waited_for(tmp_path):
    from taixin_kiosk.system.supervisor import EXIT_OTHER_INSTANCE, OTHER_INSTANCE_WAIT_S

    # The orphan still runs twice; then it is gone and the child takes over.
    world = World({"exit_at": 0.2, "code": EXIT_OTHER_INSTANCE},
                  {"exit_at": 0.2, "code": EXIT_OTHER_INSTANCE},
                  {"exit_at": 3.0, "code": 0})
    assert world.run(tmp_path) == 0
    assert len(world.processes) == 3 and world.events == []
    assert read_restarts(tmp_path).total == 0  # waiting is not a restart
    gap = world.processes[1].started - world.processes[0].ended_at
    assert gap >= OTHER_INSTANCE_WAIT_S - 0.5


def test_hang_is_killed_and_restarted(tmp_path):
    world = World({"beats_until": 10.0, "ignores_terminate": True}, {"exit_at": 5.0, "code": 0})
    assert world.run(tmp_path) == 0
    hung, fresh = world.processes
    assert hung.signals == ["terminate", "kill"]
    # The last beat was at 9 s: a hang is seen after 3 s of silence, not before.
    assert 12.0 < hung.ended_at - supervisor.TERMINATE_WAIT_S <= 12.5
    assert fresh.started - (hung.ended_at - supervisor.TERMINATE_WAIT_S) <= 5.0
    assert fresh.env[RESTART_REASON_ENV] == HANG
    assert [e.reason for e in world.events] == [HANG]
    assert world.events[0].exit_code is None
    assert read_restarts(tmp_path).last_reason == HANG


def test_no_first_heartbeat_within_the_grace_period_is_a_hang(tmp_path):
    world = World({"beat_every": None}, {"exit_at": 1.0, "code": 0})
    assert world.run(tmp_path, startup_grace=15.0) == 0
    silent = world.processes[0]
    assert silent.signals == ["terminate"]
    assert 15.0 < silent.ended_at <= 15.5


def test_a_slow_start_within_the_grace_period_is_fine(tmp_path):
    # Silent for 10 s (loading content), then beating: never a hang.
    world = World({"first_beat_at": 10.0, "exit_at": 30.0, "code": 0})
    assert world.run(tmp_path) == 0
    assert world.processes[0].beats == 20
    assert world.events == []


def test_exit_code_zero_stops_without_restart(tmp_path):
    world = World({"exit_at": 3.0, "code": 0})
    assert world.run(tmp_path) == 0
    assert len(world.processes) == 1 and world.events == []
    assert read_restarts(tmp_path).total == 0
    assert not list(tmp_path.glob("heartbeat-*"))


def test_a_planned_daily_restart_is_no_crash(tmp_path):
    """The app exits for its daily restart (``daily_restart``): started again at
    once, no restart counted, no backoff, nothing that looks like a crash loop."""
    planned = [{"exit_at": 2.0, "code": EXIT_PLANNED_RESTART}] * 6
    world = World({"exit_at": 1.0}, *planned, {"exit_at": 1.0}, {"exit_at": 1.0, "code": 0})
    assert world.run(tmp_path) == 0
    assert len(world.processes) == 9
    # Only the two crashes count, with the backoff of two crashes in a row:
    # the six planned restarts between them added no step.
    assert [(e.reason, e.delay) for e in world.events] == [(CRASH, 0.5), (CRASH, 1.0)]
    assert read_restarts(tmp_path).total == 2
    after_planned = world.processes[2]
    assert after_planned.started == world.processes[1].ended_at  # at once
    assert RESTART_REASON_ENV not in after_planned.env
    assert after_planned.env[RESTARTS_ENV] == "1"  # the crash before, not the plan


def test_backoff_resets_after_a_healthy_run(tmp_path):
    world = World({"exit_at": 1.0}, {"exit_at": 1.0}, {"exit_at": 70.0}, {"exit_at": 1.0},
                  {"exit_at": 1.0, "code": 0})
    assert world.run(tmp_path) == 0
    assert [e.delay for e in world.events] == [0.5, 1.0, 0.5, 1.0]


def test_backoff_is_capped_within_five_seconds(tmp_path):
    crashes = [{"exit_at": 1.0}] * 6
    world = World(*crashes, {"exit_at": 1.0, "code": 0})
    world.run(tmp_path)
    assert [e.delay for e in world.events] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    # A hang that must be killed uses up part of the 5 s: the wait shrinks.
    world = World(*crashes[:4], {"beats_until": 5.0, "ignores_terminate": True},
                  {"exit_at": 1.0, "code": 0})
    world.run(tmp_path)
    hang = world.events[-1]
    assert hang.reason == HANG
    killing = supervisor.TERMINATE_WAIT_S
    assert hang.delay == pytest.approx(supervisor.RESTART_WITHIN_S - supervisor.SPAWN_MARGIN_S
                                       - killing)


def test_max_restarts_gives_up_with_the_exit_code(tmp_path):
    world = World(*[{"exit_at": 1.0, "code": 5}] * 3)
    assert world.run(tmp_path, max_restarts=2) == 5
    assert len(world.processes) == 3
    assert read_restarts(tmp_path).total == 2


def test_a_program_that_cannot_start_is_given_up(tmp_path):
    attempts = []

    def popen(argv, env):
        attempts.append(argv)
        raise FileNotFoundError(2, "No such file", argv[0])

    world = World()
    code = supervise(["missing"], tmp_path, clock=world.clock, sleep=world.sleep, popen=popen)
    assert code == 1
    assert len(attempts) == supervisor.MAX_START_FAILURES


def test_a_paused_supervisor_does_not_take_its_own_gap_for_a_hang(tmp_path):
    def suspend(w):
        if 5.0 <= w.now < 5.3:
            w.now += 3600.0  # the machine slept
            for process in w.processes:
                process.last_beat = w.now  # its next beat comes a second later
    world = World({"exit_at": 3620.0, "code": 0}, on_sleep=suspend)
    assert world.run(tmp_path) == 0
    assert world.events == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_stops_the_child_and_the_supervisor(tmp_path):
    def terminate_at_ten(w):
        if w.now >= 10.0 and not w.processes[0].signals:
            os.kill(os.getpid(), signal.SIGTERM)
    before = signal.getsignal(signal.SIGTERM)
    world = World({"exit_at": None}, on_sleep=terminate_at_ten)
    assert world.run(tmp_path) == 0
    assert world.processes[0].signals == ["terminate"]
    assert world.events == []
    assert signal.getsignal(signal.SIGTERM) == before


def test_read_restarts_of_a_missing_or_broken_file(tmp_path):
    assert read_restarts(tmp_path).total == 0
    (tmp_path / "restarts.json").write_text("{not json")
    assert read_restarts(tmp_path) == supervisor.RestartRecord()
    (tmp_path / "restarts.json").write_text(json.dumps({"total": "many"}))
    assert read_restarts(tmp_path).total == 0


def test_child_command_drops_supervise(monkeypatch):
    assert child_command(["--kiosk", "--supervise", "--lang", "en"]) == [
        sys.executable, "-m", "taixin_kiosk", "--kiosk", "--lang", "en"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert child_command(["--supervise", "--kiosk"]) == [sys.executable, "--kiosk"]


def test_heartbeat_beats_on_the_event_loop(qtbot, tmp_path):
    path = tmp_path / "beat"
    beat = Heartbeat(environ={HEARTBEAT_ENV: str(path)}, interval_ms=10)
    beat.start()
    assert beat.active
    first = path.read_text()
    assert first.split() == [str(os.getpid()), "1"]
    qtbot.waitUntil(lambda: path.read_text() != first, timeout=2000)
    beat.stop()
    assert not beat.active


def test_heartbeat_without_a_supervisor_does_nothing(qtbot, tmp_path):
    beat = Heartbeat(environ={})
    beat.start()
    assert beat.path is None and not beat.active and beat.beats == 0


CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    marker = Path(sys.argv[1])
    with open(marker.with_name("pids"), "a") as pids:
        pids.write(f"{os.getpid()}\\n")
    if marker.exists():
        sys.exit(5)  # the second start crashes
    marker.write_text("started")
    Path(os.environ["TAIXIN_KIOSK_HEARTBEAT"]).write_text("1")
    time.sleep(60)  # the first start hangs after one beat
""")


def test_real_child_that_hangs_then_crashes(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    marker = tmp_path / "marker"
    state = tmp_path / "state"
    events = []
    started = time.monotonic()
    code = supervise([sys.executable, str(script), str(marker)], state, hang_seconds=0.5,
                     poll=0.05, startup_grace=10.0, max_restarts=1, on_restart=events.append)
    assert time.monotonic() - started < 15
    assert code == 5
    assert [e.reason for e in events] == [HANG]
    assert read_restarts(state).total == 1
    pids = [int(line) for line in (tmp_path / "pids").read_text().split()]
    assert len(pids) == 2
    if sys.platform != "win32":
        for pid in pids:  # the hung child was killed, not left behind
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)


def test_cmd_supervise_reports_in_the_catalogue_language(monkeypatch, capsys, tmp_path):
    seen = {}

    def fake(command, state_dir, *, hang_seconds, on_restart, kiosk):
        seen["command"] = command
        seen["kiosk"] = kiosk
        on_restart(supervisor.RestartEvent(CRASH, 1, 1, 1, 0.5))
        on_restart(supervisor.RestartEvent(HANG, None, 2, 2, 1.0))
        return 0

    monkeypatch.setattr(system_commands, "supervise", fake)
    cat = app_catalogue("en")
    assert system_commands.cmd_supervise(cat, ["--kiosk", "--supervise"], tmp_path) == 0
    assert seen["command"][-1] == "--kiosk" and "--supervise" not in seen["command"]
    assert seen["kiosk"] is False  # told by the caller, from the settings
    assert system_commands.cmd_supervise(cat, ["--kiosk"], tmp_path, kiosk=True) == 0
    assert seen["kiosk"] is True
    err = capsys.readouterr().err
    assert "cli." not in err
    assert "exit code 1" in err and "stopped responding" in err
    zh = app_catalogue("zh-CN")
    system_commands.cmd_supervise(zh, ["--kiosk"], tmp_path)
    assert "cli." not in capsys.readouterr().err


# -- start at logon ----------------------------------------------------------------


@pytest.fixture
def config_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    return home / "config"


class FakeSystemctl:
    def __init__(self, available=True, fail=()):
        self.calls = []
        self.available = available
        self.fail = fail

    def __call__(self, args):
        self.calls.append(list(args))
        if not self.available:
            return None
        if args[0] in self.fail:
            return 1, "Failed to connect to bus"
        return 0, ""


SPACED = ["/opt/Taixin Kiosk/bin/python", "-m", "taixin_kiosk", "--kiosk", "--supervise"]


def parse_exec(value):
    """Reads an Exec value back: string escapes, %%, then the quoting rules
    (which for these characters are those of a POSIX shell's double quotes)."""
    unescaped = value.replace("\\\\", "\0").replace("\\s", " ").replace("\0", "\\")
    return shlex.split(unescaped.replace("%%", "%"))


def test_desktop_exec_quotes_a_path_with_spaces():
    value = autostart.desktop_exec(SPACED)
    assert value == '"/opt/Taixin Kiosk/bin/python" -m taixin_kiosk --kiosk --supervise'
    tricky = ["/a b/py", 'say "hi"', "back\\slash", "100%", "plain"]
    exec_value = autostart.desktop_exec(tricky)
    assert "\\\\\\\\" in exec_value  # a quoted backslash is written as four
    assert "100%%" in exec_value
    assert parse_exec(exec_value) == tricky


def test_desktop_entry_contents():
    text = autostart.desktop_entry(SPACED, names={"en": "Kiosk", "zh-CN": "Zhan"},
                                   comments={"en": "Shows it"})
    lines = text.splitlines()
    assert lines[0] == "[Desktop Entry]"
    assert "Type=Application" in lines and "Name=Kiosk" in lines and "Name[zh_CN]=Zhan" in lines
    assert "Comment=Shows it" in lines and "Terminal=false" in lines
    exec_line = next(line for line in lines if line.startswith("Exec="))
    assert parse_exec(exec_line.removeprefix("Exec=")) == SPACED


def test_systemd_unit_contents():
    text = autostart.systemd_unit([*SPACED, "50%", "$HOME"], description="Kiosk")
    lines = text.splitlines()
    assert "Description=Kiosk" in lines
    assert ('ExecStart="/opt/Taixin Kiosk/bin/python" -m taixin_kiosk --kiosk --supervise '
            "50%% $$HOME") in lines
    for line in ("Restart=always", "RestartSec=2", "WantedBy=graphical-session.target",
                 "[Service]", "[Install]"):
        assert line in lines


def test_xdg_install_is_idempotent_and_uninstalls(config_home):
    systemctl = FakeSystemctl()
    first = autostart.install_autostart(SPACED, platform="linux", systemctl=systemctl)
    path = config_home / "autostart" / "taixin-kiosk.desktop"
    assert first.installed == autostart.Entry(autostart.XDG, str(path)) and first.changed
    assert path.is_file()
    again = autostart.install_autostart(SPACED, platform="linux", systemctl=systemctl)
    assert not again.changed and again.removed == ()
    assert autostart.autostart_status(platform="linux") == (first.installed,)
    assert systemctl.calls == []  # no unit: systemd is not involved
    gone = autostart.uninstall_autostart(platform="linux", systemctl=systemctl)
    assert gone.removed == (first.installed,) and not path.exists()
    assert autostart.uninstall_autostart(platform="linux", systemctl=systemctl).removed == ()
    assert autostart.autostart_status(platform="linux") == ()


def test_systemd_unit_replaces_the_xdg_entry_and_back(config_home):
    systemctl = FakeSystemctl()
    autostart.install_autostart(SPACED, platform="linux", systemctl=systemctl)
    result = autostart.install_autostart(SPACED, systemd=True, platform="linux",
                                         systemctl=systemctl)
    unit = config_home / "systemd" / "user" / "taixin-kiosk.service"
    desktop = config_home / "autostart" / "taixin-kiosk.desktop"
    assert result.installed == autostart.Entry(autostart.SYSTEMD, str(unit)) and result.changed
    assert result.removed == (autostart.Entry(autostart.XDG, str(desktop)),)
    assert unit.is_file() and not desktop.exists()
    assert systemctl.calls == [["daemon-reload"], ["enable", "taixin-kiosk.service"]]
    assert result.systemctl == autostart.SystemctlResult(True, True)
    again = autostart.install_autostart(SPACED, systemd=True, platform="linux",
                                        systemctl=systemctl)
    assert not again.changed
    # What `enable` makes, to see that going back removes it too.
    wants = unit.parent / "graphical-session.target.wants"
    wants.mkdir()
    (wants / unit.name).symlink_to(unit)
    systemctl.calls.clear()
    back = autostart.install_autostart(SPACED, platform="linux", systemctl=systemctl)
    assert back.removed == (autostart.Entry(autostart.SYSTEMD, str(unit)),)
    assert not unit.exists() and not (wants / unit.name).is_symlink() and desktop.is_file()
    assert systemctl.calls == [["disable", "taixin-kiosk.service"], ["daemon-reload"]]


def test_missing_systemctl_is_reported_not_fatal(config_home, capsys):
    systemctl = FakeSystemctl(available=False)
    cat = app_catalogue("en")
    code = install(cat, SPACED, systemd=True, platform="linux",
                   systemctl=systemctl)
    assert code == 0
    unit = config_home / "systemd" / "user" / "taixin-kiosk.service"
    assert unit.is_file()
    out = capsys.readouterr()
    assert str(unit) in out.out and "systemd user service" in out.out
    assert "systemctl was not found" in out.err and "systemctl --user enable" in out.err
    failing = FakeSystemctl(fail=("daemon-reload",))
    assert install(cat, SPACED, systemd=True, platform="linux",
                   systemctl=failing) == 0
    assert "Failed to connect to bus" in capsys.readouterr().err
    assert uninstall(cat, platform="linux", systemctl=systemctl) == 0
    assert not unit.exists()
    assert str(unit) in capsys.readouterr().out


def test_cmd_messages_in_both_languages(config_home, capsys):
    systemctl = FakeSystemctl()
    for locale in ("en", "zh-CN"):
        cat = app_catalogue(locale)
        assert install(cat, SPACED, systemd=False, platform="linux",
                       systemctl=systemctl) == 0
        assert install(cat, SPACED, systemd=False, platform="linux",
                       systemctl=systemctl) == 0
        assert uninstall(cat, platform="linux",
                         systemctl=systemctl) == 0
        assert uninstall(cat, platform="linux",
                         systemctl=systemctl) == 0
        out = capsys.readouterr()
        assert "cli." not in out.out + out.err
        assert out.out.count(str(config_home / "autostart" / "taixin-kiosk.desktop")) == 3
    assert install(app_catalogue("en"), SPACED, systemd=False,
                   platform="darwin") == 1
    assert "cannot be set up" in capsys.readouterr().err


def test_desktop_entry_names_come_from_the_catalogues(config_home):
    cat = app_catalogue("en")
    install(cat, SPACED, systemd=False, platform="linux",
            systemctl=FakeSystemctl())
    text = (config_home / "autostart" / "taixin-kiosk.desktop").read_text(encoding="utf-8")
    assert f"Name={cat.text('cli.autostart.entry_name')}" in text
    assert f"Name[zh_CN]={app_catalogue('zh-CN').text('cli.autostart.entry_name')}" in text


class FakeKey:
    def __init__(self, values):
        self.values = values

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def fake_winreg():
    values = {}
    reg = types.ModuleType("winreg")
    reg.HKEY_CURRENT_USER, reg.KEY_READ, reg.KEY_SET_VALUE, reg.REG_SZ = "HKCU", 1, 2, 1
    keys = {}

    def open_key(root, sub, reserved=0, access=1):
        if (root, sub) not in keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return FakeKey(keys[(root, sub)])

    def create_key(root, sub, reserved=0, access=2):
        return FakeKey(keys.setdefault((root, sub), values))

    def query(key, name):
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return key.values[name]

    def set_value(key, name, reserved, kind, data):
        key.values[name] = (data, kind)

    def delete(key, name):
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del key.values[name]

    reg.OpenKey, reg.CreateKeyEx, reg.QueryValueEx = open_key, create_key, query
    reg.SetValueEx, reg.DeleteValue = set_value, delete
    return reg, values


def test_windows_run_key(capsys):
    reg, values = fake_winreg()
    command = [r"C:\Program Files\Taixin Kiosk\taixin-kiosk.exe", "--kiosk", "--supervise"]
    result = autostart.install_autostart(command, platform="win32", registry=reg)
    assert result.changed and result.installed.kind == autostart.RUN
    assert values["taixin-kiosk"] == (
        r'"C:\Program Files\Taixin Kiosk\taixin-kiosk.exe" --kiosk --supervise', reg.REG_SZ)
    assert not autostart.install_autostart(command, platform="win32", registry=reg).changed
    assert autostart.autostart_status(platform="win32", registry=reg) == (result.installed,)
    cat = app_catalogue("en")
    assert install(cat, command, systemd=True, platform="win32",
                   registry=reg) == 0
    out = capsys.readouterr()
    assert "Linux only" in out.err and "already set up" in out.out
    gone = autostart.uninstall_autostart(platform="win32", registry=reg)
    assert gone.removed == (result.installed,) and "taixin-kiosk" not in values
    assert autostart.uninstall_autostart(platform="win32", registry=reg).removed == ()
    assert autostart.autostart_status(platform="win32", registry=reg) == ()


def test_autostart_command_runs_this_installation(monkeypatch):
    assert autostart.autostart_command() == [sys.executable, "-m", "taixin_kiosk", "--kiosk",
                                             "--supervise"]
    # An AppImage is mounted somewhere new each run: register the file itself.
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv("APPIMAGE", "/home/kiosk/Taixin Kiosk.AppImage")
    assert autostart.autostart_command(["--kiosk"]) == ["/home/kiosk/Taixin Kiosk.AppImage",
                                                        "--kiosk"]


def test_the_supervisor_side_does_not_load_qt():
    code = ("import sys, taixin_kiosk.system.supervisor, taixin_kiosk.system.autostart; "
            "sys.exit(any(m.startswith('PySide6') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_fast_start_takes_the_lock_and_serves_later(instances, tmp_path, qtbot):
    from taixin_kiosk.system.locks import lock_path, take

    key = unique_key()
    path = lock_path(key, tmp_path)
    assert path is not None
    held = take(path)  # what a start does before anything else
    assert held is not None
    # A second launch meanwhile cannot take the lock, and does not start.
    assert take(path) is None
    first = instances(tmp_path)
    first.adopt(held)
    assert not first.listening  # no socket yet: the window comes first
    second = instances(tmp_path)
    assert first.serve(key) and first.listening
    with qtbot.waitSignal(first.activation_requested, timeout=3000):
        assert not second.claim(key, wait_ms=200)


def test_kiosks_with_their_own_folders_do_not_meet(instances, tmp_path):
    key = unique_key()
    one, other = instances(tmp_path / "one"), instances(tmp_path / "other")
    assert one.socket_name(key) != other.socket_name(key)
    assert one.claim(key) and other.claim(key)


# -- a supervisor killed: the app starts a new one ----------------------------------


def test_supervisor_watch_tells_a_gone_supervisor(monkeypatch):
    from taixin_kiosk.system.orphan import SupervisorWatch
    from taixin_kiosk.system.supervisor import SUPERVISOR_PID_ENV

    assert not SupervisorWatch({}).gone()  # not supervised: never gone
    assert not SupervisorWatch({SUPERVISOR_PID_ENV: "nonsense"}).gone()
    if sys.platform != "win32":
        assert not SupervisorWatch({SUPERVISOR_PID_ENV: str(os.getppid())}).gone()
        # The parent changed: the supervisor died and this process was adopted.
        assert SupervisorWatch({SUPERVISOR_PID_ENV: str(os.getppid() + 1)}).gone()


def test_a_new_supervisor_runs_the_same_arguments_without_the_old_markers(monkeypatch):
    from taixin_kiosk.system.orphan import supervisor_command, supervisor_environment
    from taixin_kiosk.system.supervisor import SUPERVISOR_PID_ENV

    assert supervisor_command(["--kiosk", "--home", "/x"]) == [
        sys.executable, "-m", "taixin_kiosk", "--kiosk", "--home", "/x", "--supervise"]
    old = {HEARTBEAT_ENV: "/h", SUPERVISED_ENV: "1", RESTARTS_ENV: "2",
           RESTART_REASON_ENV: CRASH, SUPERVISOR_PID_ENV: "7", "LANG": "zh_CN.UTF-8"}
    assert supervisor_environment(old) == {"LANG": "zh_CN.UTF-8"}


def _processes(home):
    """Live (not zombie) processes of the app for ``home``: (pid, supervises)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        words = [a.decode(errors="replace") for a in args if a]
        if state != "Z" and "taixin_kiosk" in words and str(home) in words:
            found.append((int(entry.name), "--supervise" in words))
    return found


def _wait_for(condition, what, timeout=60.0):
    # A bound for a failure, not a timed assertion: the handover takes a few
    # seconds; a slow CI machine gets plenty.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout:.0f} s: {what}")


def _beating(path):
    """The child pid in ``path`` once its content changes (it beats)."""
    try:
        first = path.read_text()
    except OSError:
        return None
    time.sleep(1.3)
    try:
        second = path.read_text()
    except OSError:
        return None
    return int(second.split()[0]) if second != first and second.split() else None


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
def test_a_killed_supervisor_is_replaced_and_its_app_handed_over(tmp_path):
    home = tmp_path / "home"
    state = home / "data" / "state"
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(Path(__file__).parents[1] / "src"), env.get("PYTHONPATH")]))
    first = subprocess.Popen([sys.executable, "-m", "taixin_kiosk", "--home", str(home),
                              "--kiosk", "--supervise"], env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        old_beat = state / f"heartbeat-{first.pid}"
        old_child = _wait_for(lambda: _beating(old_beat), "the first app beats")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed = time.monotonic()

        def new_supervisor():
            running = [pid for pid, supervises in _processes(home) if supervises]
            return running if running and first.pid not in running else None

        (second,) = _wait_for(new_supervisor, "a new supervisor")
        new_child = _wait_for(lambda: _beating(state / f"heartbeat-{second}"),
                              "the new supervisor's app beats")
        assert new_child != old_child
        # The old app ended once the new one was up: one kiosk, one supervisor.
        _wait_for(lambda: old_child not in [pid for pid, _ in _processes(home)],
                  "the old app ends")
        print(f"handed over in {time.monotonic() - killed:.1f} s")
        assert sorted(_processes(home)) == sorted([(second, True), (new_child, False)])
        assert not old_beat.exists()
        log = (home / "logs" / "taixin-kiosk.log").read_text(encoding="utf-8")
        assert "the supervisor is gone" in log
    finally:
        for pid, supervises in sorted(_processes(home), key=lambda p: not p[1]):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM if supervises else signal.SIGKILL)
        with contextlib.suppress(Exception):
            _wait_for(lambda: not _processes(home), "everything ended", timeout=20)


def test_an_app_that_cannot_start_a_new_supervisor_runs_on(qtbot, tmp_path, caplog):
    from taixin_kiosk.system.handover import Handover

    beat = tmp_path / "heartbeat-1"
    beat.write_text("1 1\n")
    done = []

    def cannot_start(command, env):
        raise FileNotFoundError(2, "No such file", command[0])

    handover = Handover(beat, lambda: done.append("stopped"), lambda: done.append("released"),
                        start=cannot_start, exit_app=lambda: done.append("exit"))
    with caplog.at_level(logging.ERROR, logger="taixin_kiosk.supervisor"):
        handover()
    assert done == ["stopped", "released"] and not beat.exists()
    assert "running on unsupervised" in caplog.text
