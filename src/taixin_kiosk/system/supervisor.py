"""Keeps the kiosk running: restarts it after a crash or a hang.

Two sides. The app (the child) runs a ``Heartbeat`` on its GUI thread, which
rewrites a small file every second while the event loop turns. The
supervisor (the parent, ``taixin-kiosk --kiosk --supervise``) is plain Python
with no Qt and no window: it starts the child, watches its exit code and its
heartbeat, and restarts it within 5 s of a crash or a hang, with a short
backoff. A child that exits with code 0 was ended by staff on purpose, so the
supervisor ends too.

The heartbeat's age is measured on the supervisor's own monotonic clock (it
notes when the file's content last changed), never from file times: a wall
clock set by NTP at boot must not look like a hang.

A kiosk's heartbeat also says whether its window is shown full screen (the
app's window guard puts it back within 2 s when it is not). A window that
stays away longer than ``WINDOW_GRACE_S`` while the heartbeat goes on is a
failure too: the supervisor restarts the app, which shows a new window.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from taixin_kiosk.system.beats import Beats, sweep_heartbeats
from taixin_kiosk.system.beats import beat_line as beat_line
from taixin_kiosk.system.beats import beat_window as beat_window
from taixin_kiosk.system.restarts import RESTARTS_FILE as RESTARTS_FILE
from taixin_kiosk.system.restarts import RestartRecord as RestartRecord
from taixin_kiosk.system.restarts import count_restart
from taixin_kiosk.system.restarts import read_restarts as read_restarts

if TYPE_CHECKING:
    from types import FrameType


log = logging.getLogger("taixin_kiosk.supervisor")

HEARTBEAT_ENV = "TAIXIN_KIOSK_HEARTBEAT"
SUPERVISED_ENV = "TAIXIN_KIOSK_SUPERVISED"
# The supervisor's pid: a child whose supervisor was killed starts a new one.
SUPERVISOR_PID_ENV = "TAIXIN_KIOSK_SUPERVISOR_PID"
# How often the child has been restarted by this supervisor, and why the last
# time: the app records restarts in its usage statistics from these.
RESTARTS_ENV = "TAIXIN_KIOSK_RESTARTS"
RESTART_REASON_ENV = "TAIXIN_KIOSK_RESTART_REASON"
SUPERVISE_FLAG = "--supervise"

# The promise: a new child within this long of a crash or hang being
# seen. Starting a process takes a moment, hence the margin.
RESTART_WITHIN_S = 5.0
SPAWN_MARGIN_S = 0.5
BACKOFF_S = (0.5, 1.0, 2.0, 4.0)
# A kiosk that refused its command line or settings (exit code 2) waits
# longer each time: nothing will change within seconds, but a config file
# corrected or a pack installed within these two minutes or so is taken up.
USAGE_BACKOFF_S = (5.0, 15.0, 30.0, 60.0)
# A child that ran this long was healthy: its next failure starts the
# backoff from the beginning again.
HEALTHY_AFTER_S = 60.0
# Loading content and building the window come before the first heartbeat.
STARTUP_GRACE_S = 15.0
# A window not shown for this long (the app's own guard repairs it within
# 2 s) means the guard cannot: a new app makes a new window.
WINDOW_GRACE_S = 10.0
TERMINATE_WAIT_S = 1.5
KILL_WAIT_S = 1.0
# Failures to even start the child (the program is gone): give up after this
# many in a row instead of trying forever.
MAX_START_FAILURES = 5
# After an unexpected error in the supervisor's own loop (a bug, or a clock
# that throws under libfaketime): a pause, then it goes on supervising.
ERROR_BACKOFF_S = 1.0

CRASH, HANG, START_FAILED, WINDOW = "crash", "hang", "start_failed", "window"


# -- child side --------------------------------------------------------------

# Exit codes the app uses for the supervisor: 2 is argparse's usage error;
# 3 means another kiosk already runs (it was brought to the front).
EXIT_USAGE = 2
EXIT_OTHER_INSTANCE = 3
# The daily restart staff planned (``daily_restart``): start again at once,
# not a crash (no restart counted, no backoff). sysexits' EX_TEMPFAIL.
EXIT_PLANNED_RESTART = 75
OTHER_INSTANCE_WAIT_S = 5.0


def is_supervised(environ: Mapping[str, str] | None = None) -> bool:
    """True in a child started by the supervisor."""
    return (os.environ if environ is None else environ).get(SUPERVISED_ENV) == "1"


def restart_reason(environ: Mapping[str, str] | None = None) -> str | None:
    """Why the supervisor restarted this child (``crash`` or ``hang``), or
    None on its first start and when not supervised."""
    env = os.environ if environ is None else environ
    return env.get(RESTART_REASON_ENV) or None


# -- the child's command line ------------------------------------------------

def app_command(args: Sequence[str]) -> list[str]:
    """The command that runs this app with ``args``: the frozen executable
    itself, or this Python with ``-m taixin_kiosk``."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, "-m", "taixin_kiosk", *args]


def display_command(command: Sequence[str], *, platform: str | None = None) -> str:
    """The command as the user would type it in this system's shell."""
    if (platform or sys.platform) == "win32":
        return subprocess.list2cmdline(command)
    return shlex.join(command)


def child_command(extra_args: Sequence[str]) -> list[str]:
    """The command for the supervised app: the same arguments without
    ``--supervise`` (the child must not start a supervisor of its own)."""
    return app_command([arg for arg in extra_args if arg != SUPERVISE_FLAG])


# -- parent side -------------------------------------------------------------

class Process(Protocol):
    """The part of ``subprocess.Popen`` the supervisor uses."""

    pid: int

    def poll(self) -> int | None: ...
    def wait(self, timeout: float | None = None) -> int: ...
    def terminate(self) -> None: ...
    def kill(self) -> None: ...


class RestartEvent(NamedTuple):
    """One restart, for whoever wants to tell the user (``on_restart``)."""

    reason: str           # CRASH, HANG, WINDOW or START_FAILED
    exit_code: int | None  # the crashed child's code; None after a hang or a lost window
    number: int           # restarts by this supervisor so far, this one included
    total: int            # restarts ever counted in restarts.json
    delay: float          # seconds until the new child starts


class _Stop:
    """Set by a signal handler; the loops look at it between short sleeps."""

    def __init__(self) -> None:
        self.code: int | None = None

    def handler(self, signum: int, _frame: FrameType | None) -> None:
        self.code = 130 if signum == signal.SIGINT else 0


@contextlib.contextmanager
def _signals(stop: _Stop) -> Iterator[None]:
    """SIGTERM (systemd, logout) and SIGINT stop the child, then the
    supervisor. Only the main thread may install handlers."""
    names = ["SIGTERM", "SIGINT", "SIGHUP", "SIGBREAK"]
    previous: list[tuple[int, object]] = []
    try:
        for name in names:
            number = getattr(signal, name, None)
            if number is None:
                continue
            try:
                old = signal.signal(number, stop.handler)
                # None: a handler installed outside Python; the default is
                # the closest thing to put back.
                previous.append((number, signal.SIG_DFL if old is None else old))
            except (ValueError, OSError):  # not the main thread, or not settable
                break
        yield
    finally:
        for number, handler in previous:
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(number, handler)  # type: ignore[arg-type]


def _stop_child(proc: Process) -> int | None:
    """Terminate, then kill: a hung GUI thread may ignore a polite request."""
    code = proc.poll()
    if code is not None:
        return code
    with contextlib.suppress(OSError):
        proc.terminate()
    try:
        return proc.wait(timeout=TERMINATE_WAIT_S)
    except subprocess.TimeoutExpired:
        pass
    log.warning("the app (pid %d) did not end when asked; killing it", proc.pid)
    with contextlib.suppress(OSError):
        proc.kill()
    try:
        return proc.wait(timeout=KILL_WAIT_S)
    except subprocess.TimeoutExpired:
        log.error("the app (pid %d) could not be killed", proc.pid)
        return None


def supervise(child_argv: list[str], state_dir: Path, *, hang_seconds: float = 3.0,
              poll: float = 0.25, clock: Callable[[], float] = time.monotonic,
              sleep: Callable[[float], None] = time.sleep,
              popen: Callable[..., Process] = subprocess.Popen,
              max_restarts: int | None = None, startup_grace: float = STARTUP_GRACE_S,
              healthy_after: float = HEALTHY_AFTER_S, window_grace: float = WINDOW_GRACE_S,
              on_restart: Callable[[RestartEvent], None] | None = None,
              kiosk: bool = False) -> int:
    """Runs ``child_argv`` until it exits with code 0 or the supervisor is
    stopped, restarting it after every crash or hang, and when its window has
    not been shown for ``window_grace`` seconds. Returns 0 when the
    child chose to exit or SIGTERM stopped the supervisor, 130 after Ctrl+C,
    and otherwise (``max_restarts`` reached, the program cannot be started)
    the last failure's exit code, or 1.

    A usage error (exit code 2) ends it at once, except for a ``kiosk``: the
    cause may go away (a config file corrected, a pack installed), and a
    stopped supervisor leaves the desktop on the hall's screen; so a kiosk is
    restarted with the backoff growing, and given up after
    MAX_START_FAILURES usage errors in a row, as a program that cannot start.

    An unexpected error in the supervisor's own loop is logged; it pauses
    for ERROR_BACKOFF_S and goes on watching the same child.
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    run = _Supervisor(child_argv, state_dir, hang_seconds=hang_seconds, poll=poll, clock=clock,
                      sleep=sleep, popen=popen, max_restarts=max_restarts,
                      startup_grace=startup_grace, healthy_after=healthy_after,
                      window_grace=window_grace, on_restart=on_restart, kiosk=kiosk)
    sweep_heartbeats(state_dir)
    with _signals(run.stop):
        try:
            return run.loop()
        except KeyboardInterrupt:
            # Ctrl+C arrives this way when the handlers could not be installed
            # (not the main thread); the child must not outlive its supervisor.
            if run.current is not None:
                _stop_child(run.current)
            return 130
        finally:
            with contextlib.suppress(OSError):
                run.heartbeat.unlink()


class _Failure(NamedTuple):
    """A child that must be restarted, and why."""

    reason: str            # CRASH, HANG, WINDOW or START_FAILED
    exit_code: int | None  # the crashed child's code; None after a hang, a lost window
    # or no start


# What one child's run comes to: the supervisor's own exit code when it ends
# here, a failure to restart after, or None to start a child again at once
# (no restart counted).
_Verdict = int | _Failure | None


@dataclass
class _Supervisor:
    """One ``supervise`` call: its children one after another, the restarts
    so far and the place in the backoff."""

    child_argv: list[str]
    state_dir: Path
    hang_seconds: float
    poll: float
    clock: Callable[[], float]
    sleep: Callable[[float], None]
    popen: Callable[..., Process]
    max_restarts: int | None
    startup_grace: float
    healthy_after: float
    window_grace: float
    on_restart: Callable[[RestartEvent], None] | None
    kiosk: bool = False
    stop: _Stop = field(default_factory=_Stop)
    restarts: int = 0
    step: int = 0  # position in BACKOFF_S
    start_failures: int = 0
    usage_errors: int = 0  # in a row
    # Why the last child was restarted, for the next one's environment.
    reason: str | None = None
    # The child started last (None while starting one failed), and when.
    current: Process | None = None
    started: float = 0.0

    def __post_init__(self) -> None:
        self.heartbeat = self.state_dir / f"heartbeat-{os.getpid()}"

    def loop(self) -> int:
        """Starts a child after each failure until one run ends it all;
        returns ``supervise``'s exit code."""
        # A child still running when the supervisor's own code failed: it is
        # watched on, never doubled by a new one.
        resume: Process | None = None
        while True:
            try:
                verdict = self._run_child(resume)
                resume = None
                if isinstance(verdict, int):
                    return verdict
                if verdict is None:
                    continue
                self.reason = verdict.reason
                code = self._restart(verdict)
                if code is not None:
                    return code
            except Exception:  # never KeyboardInterrupt or SystemExit
                log.exception("unexpected error in the supervisor; it goes on supervising")
                self._nap(ERROR_BACKOFF_S)
                resume = self._still_running()
                if self.stop.code is not None:
                    if resume is not None:
                        _stop_child(resume)
                    return self.stop.code

    def _still_running(self) -> Process | None:
        proc = self.current
        try:
            return proc if proc is not None and proc.poll() is None else None
        except Exception:
            log.exception("cannot tell whether the app (pid %s) runs", getattr(proc, "pid", "?"))
            return None

    def _nap(self, seconds: float) -> None:
        """Sleeps; a sleep that fails (seen under libfaketime) waits another way."""
        try:
            self.sleep(seconds)
        except Exception as error:
            log.warning("sleeping failed (%s); waiting on a lock instead", error)
            threading.Event().wait(seconds)

    def _run_child(self, resume: Process | None = None) -> _Verdict:
        """Starts one child (or goes on with ``resume``) and watches it until
        it ends or hangs."""
        proc = resume if resume is not None else self._start()
        if proc is None:
            if self.start_failures >= MAX_START_FAILURES:
                log.error("giving up after %d failed starts", self.start_failures)
                return 1
            return _Failure(START_FAILED, None)
        outcome = self._watch(proc, fresh=resume is not None)
        if outcome is None:  # stopped on request
            _stop_child(proc)
            return self.stop.code or 0
        return self._judge(*outcome)

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env[HEARTBEAT_ENV] = str(self.heartbeat)
        env[SUPERVISED_ENV] = "1"
        env[SUPERVISOR_PID_ENV] = str(os.getpid())
        env[RESTARTS_ENV] = str(self.restarts)
        if self.reason is not None:
            env[RESTART_REASON_ENV] = self.reason
        else:
            env.pop(RESTART_REASON_ENV, None)
        return env

    def _start(self) -> Process | None:
        """A new child, or None when the program could not be started."""
        env = self._environment()
        with contextlib.suppress(OSError):
            self.heartbeat.unlink()
        self.started = self.clock()
        self.current = None
        try:
            proc = self.current = self.popen(self.child_argv, env=env)
        except OSError as error:
            self.start_failures += 1
            log.error("cannot start the app (%s): %s", self.child_argv[0], error)
            return None
        self.start_failures = 0
        log.info("started the app (pid %d): %s", proc.pid,
                 subprocess.list2cmdline(self.child_argv))
        return proc

    def _judge(self, reason: str | None, exit_code: int | None) -> _Verdict:
        """What a child's end means: stop, wait for another kiosk, or restart."""
        if reason is None:
            log.info("the app exited normally; the supervisor stops too")
            return 0
        if exit_code == EXIT_USAGE:
            self.usage_errors += 1
            if not self.kiosk:
                # Bad arguments or settings: every restart would fail the same
                # way, and someone at a terminal reads why.
                log.error("the app refused its command line (exit code %d); not restarting",
                          exit_code)
                return exit_code
            if self.usage_errors >= MAX_START_FAILURES:
                log.error("the app refused its command line or settings %d times in a row "
                          "(exit code %d); giving up", self.usage_errors, exit_code)
                return exit_code
            # A kiosk: a corrected config file or a pack installed meanwhile
            # may cure it, and giving up leaves the desktop on the screen.
            log.error("the app refused its command line or settings (exit code %d); "
                      "restarting it all the same (%d of %d)", exit_code, self.usage_errors,
                      MAX_START_FAILURES)
            return _Failure(reason, exit_code)
        self.usage_errors = 0
        if exit_code == EXIT_PLANNED_RESTART:
            log.info("the app restarts as planned (daily_restart)")
            self.reason = None
            return None
        if exit_code == EXIT_OTHER_INSTANCE:
            # A kiosk left running without its supervisor (it was killed):
            # wait for it to end, then take over.
            log.warning("another kiosk is running without this supervisor; "
                        "waiting for it to end")
            if not self._wait(OTHER_INSTANCE_WAIT_S):
                return self.stop.code or 0
            self.reason = None
            return None
        return _Failure(reason, exit_code)

    def _restart(self, failure: _Failure) -> int | None:
        """Counts the restart and waits out the backoff; the supervisor's
        exit code instead when the restarts are used up or a stop was asked."""
        reason, exit_code = failure
        detected = self.clock()
        if reason in (HANG, WINDOW) and self.current is not None:
            _stop_child(self.current)
        if detected - self.started >= self.healthy_after:
            self.step = 0
        if self.max_restarts is not None and self.restarts >= self.max_restarts:
            log.error("the app stopped (%s) and %d restarts are used up; giving up",
                      reason, self.restarts)
            return exit_code if exit_code is not None and exit_code > 0 else 1
        self.restarts += 1
        record = count_restart(self.state_dir, reason, exit_code)
        if exit_code == EXIT_USAGE:
            delay = USAGE_BACKOFF_S[min(self.usage_errors - 1, len(USAGE_BACKOFF_S) - 1)]
        else:
            delay = self._backoff(detected)
        log.warning("the app stopped (%s, exit code %s); restart %d (%d in all) in %.1f s",
                    reason, exit_code, self.restarts, record.total, delay)
        if self.on_restart is not None:
            self.on_restart(RestartEvent(reason, exit_code, self.restarts, record.total, delay))
        if not self._wait(delay):
            return self.stop.code or 0
        return None

    def _backoff(self, detected: float) -> float:
        """The next wait of BACKOFF_S, cut so that the new child still starts
        within RESTART_WITHIN_S of the failure being seen (killing a hung
        child uses part of that)."""
        budget = RESTART_WITHIN_S - SPAWN_MARGIN_S - (self.clock() - detected)
        delay = max(0.0, min(BACKOFF_S[min(self.step, len(BACKOFF_S) - 1)], budget))
        self.step += 1
        return delay

    def _wait(self, seconds: float) -> bool:
        """Sleeps in short steps; False when a stop was asked meanwhile."""
        end = self.clock() + seconds
        while self.stop.code is None:
            left = end - self.clock()
            if left <= 0:
                return True
            self._nap(min(self.poll, left))
        return False

    def _watch(self, proc: Process, *, fresh: bool = False) -> tuple[str | None, int | None] | None:
        """Waits for the child to end, hang or lose its window. Returns (None, 0)
        for a normal exit, (CRASH, code), (HANG, None), (WINDOW, None), or
        None when a stop was asked. ``fresh``: watching a running child again
        after an error; its silence counts from now."""
        since = self.clock() if fresh else self.started
        beats = Beats(self.heartbeat, since)
        last_poll = since
        # Longer than this between two polls and the supervisor itself was not
        # running (the machine slept, or was starved): the child gets a fresh
        # window rather than being killed for the supervisor's own gap.
        gap = max(self.hang_seconds, 10 * self.poll)
        while True:
            self._nap(self.poll)
            if self.stop.code is not None:
                return None
            now = self.clock()
            if now - last_poll > gap:
                log.info("the supervisor was paused for %.0f s; restarting the hang timer",
                         now - last_poll)
                beats.fresh_window(now)
            last_poll = now
            code = proc.poll()
            if code is not None:
                if code == 0:
                    return None, 0
                return CRASH, code
            beats.look(now)
            if beats.silent(now, proc.pid, hang_seconds=self.hang_seconds,
                            startup_grace=self.startup_grace):
                return HANG, None
            if beats.window_lost(now, proc.pid, grace=self.window_grace):
                return WINDOW, None
