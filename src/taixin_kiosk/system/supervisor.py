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
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from taixin_kiosk.system.files import write_atomic

if TYPE_CHECKING:
    from types import FrameType


log = logging.getLogger("taixin_kiosk.supervisor")

HEARTBEAT_ENV = "TAIXIN_KIOSK_HEARTBEAT"
SUPERVISED_ENV = "TAIXIN_KIOSK_SUPERVISED"
# How often the child has been restarted by this supervisor, and why the last
# time: the app records restarts in its usage statistics from these.
RESTARTS_ENV = "TAIXIN_KIOSK_RESTARTS"
RESTART_REASON_ENV = "TAIXIN_KIOSK_RESTART_REASON"
SUPERVISE_FLAG = "--supervise"
RESTARTS_FILE = "restarts.json"

# The promise: a new child within this long of a crash or hang being
# seen. Starting a process takes a moment, hence the margin.
RESTART_WITHIN_S = 5.0
SPAWN_MARGIN_S = 0.5
BACKOFF_S = (0.5, 1.0, 2.0, 4.0)
# A child that ran this long was healthy: its next failure starts the
# backoff from the beginning again.
HEALTHY_AFTER_S = 60.0
# Loading content and building the window come before the first heartbeat.
STARTUP_GRACE_S = 15.0
TERMINATE_WAIT_S = 1.5
KILL_WAIT_S = 1.0
# Failures to even start the child (the program is gone): give up after this
# many in a row instead of trying forever.
MAX_START_FAILURES = 5

CRASH, HANG, START_FAILED = "crash", "hang", "start_failed"


# -- child side --------------------------------------------------------------

# Exit codes the app uses for the supervisor: 2 is argparse's usage error;
# 3 means another kiosk already runs (it was brought to the front).
EXIT_USAGE = 2
EXIT_OTHER_INSTANCE = 3
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


# -- restart counts ----------------------------------------------------------

class RestartRecord(NamedTuple):
    """What ``restarts.json`` says: every restart so far, and the last one."""

    total: int = 0
    last_time: datetime | None = None
    last_reason: str | None = None
    last_exit_code: int | None = None


def read_restarts(state_dir: Path) -> RestartRecord:
    """The restart counts; a missing or unreadable file counts as none."""
    try:
        data = json.loads((state_dir / RESTARTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return RestartRecord()
    if not isinstance(data, dict):
        return RestartRecord()
    total = data.get("total")
    when: datetime | None = None
    if isinstance(data.get("last_time"), str):
        with contextlib.suppress(ValueError):
            when = datetime.fromisoformat(data["last_time"])
    reason = data.get("last_reason")
    code = data.get("last_exit_code")
    return RestartRecord(
        total if isinstance(total, int) and total >= 0 else 0, when,
        reason if isinstance(reason, str) else None,
        code if isinstance(code, int) and not isinstance(code, bool) else None)


def _count_restart(state_dir: Path, reason: str, exit_code: int | None) -> RestartRecord:
    record = RestartRecord(read_restarts(state_dir).total + 1, datetime.now(UTC), reason,
                           exit_code)
    assert record.last_time is not None
    data = {"total": record.total, "last_time": record.last_time.isoformat(timespec="seconds"),
            "last_reason": reason, "last_exit_code": exit_code}
    path = state_dir / RESTARTS_FILE
    try:
        write_atomic(path, json.dumps(data, indent=2) + "\n")
    except OSError as error:
        # Counting is diagnostics: restarting the app matters more.
        log.warning("cannot write %s: %s", path, error)
    return record


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

    reason: str           # CRASH, HANG or START_FAILED
    exit_code: int | None  # the crashed child's code; None after a hang
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


def _sweep_heartbeats(state_dir: Path) -> None:
    """Removes heartbeat files a killed supervisor left behind (a live one's
    file is rewritten every second, so an hour-old one is nobody's)."""
    cutoff = time.time() - 3600
    with contextlib.suppress(OSError):
        for path in state_dir.glob("heartbeat-*"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()


def _read_beat(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def supervise(child_argv: list[str], state_dir: Path, *, hang_seconds: float = 3.0,
              poll: float = 0.25, clock: Callable[[], float] = time.monotonic,
              sleep: Callable[[float], None] = time.sleep,
              popen: Callable[..., Process] = subprocess.Popen,
              max_restarts: int | None = None, startup_grace: float = STARTUP_GRACE_S,
              healthy_after: float = HEALTHY_AFTER_S,
              on_restart: Callable[[RestartEvent], None] | None = None) -> int:
    """Runs ``child_argv`` until it exits with code 0 or the supervisor is
    stopped, restarting it after every crash or hang. Returns 0 when the
    child chose to exit or SIGTERM stopped the supervisor, 130 after Ctrl+C,
    and otherwise (``max_restarts`` reached, the program cannot be started)
    the last failure's exit code, or 1.
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    heartbeat = state_dir / f"heartbeat-{os.getpid()}"
    stop = _Stop()
    restarts = 0
    step = 0  # position in BACKOFF_S
    start_failures = 0
    reason: str | None = None
    current: Process | None = None
    _sweep_heartbeats(state_dir)

    def wait(seconds: float) -> bool:
        """Sleeps in short steps; False when a stop was asked meanwhile."""
        end = clock() + seconds
        while stop.code is None:
            left = end - clock()
            if left <= 0:
                return True
            sleep(min(poll, left))
        return False

    with _signals(stop):
        try:
            while True:
                env = dict(os.environ)
                env[HEARTBEAT_ENV] = str(heartbeat)
                env[SUPERVISED_ENV] = "1"
                env[RESTARTS_ENV] = str(restarts)
                if reason is not None:
                    env[RESTART_REASON_ENV] = reason
                else:
                    env.pop(RESTART_REASON_ENV, None)
                with contextlib.suppress(OSError):
                    heartbeat.unlink()
                started = clock()
                exit_code: int | None = None
                current = None
                try:
                    proc = current = popen(child_argv, env=env)
                except OSError as error:
                    start_failures += 1
                    log.error("cannot start the app (%s): %s", child_argv[0], error)
                    if start_failures >= MAX_START_FAILURES:
                        log.error("giving up after %d failed starts", start_failures)
                        return 1
                    reason = START_FAILED
                else:
                    start_failures = 0
                    log.info("started the app (pid %d): %s", proc.pid,
                             subprocess.list2cmdline(child_argv))
                    outcome = _watch(proc, heartbeat, stop, started, hang_seconds=hang_seconds,
                                     poll=poll, clock=clock, sleep=sleep,
                                     startup_grace=startup_grace)
                    if outcome is None:  # stopped on request
                        _stop_child(proc)
                        return stop.code or 0
                    reason, exit_code = outcome
                    if reason is None:
                        log.info("the app exited normally; the supervisor stops too")
                        return 0
                    if exit_code == EXIT_USAGE:
                        # Bad arguments or settings: every restart would fail
                        # the same way, with nothing on screen.
                        log.error("the app refused its command line (exit code %d); "
                                  "not restarting", exit_code)
                        return exit_code
                    if exit_code == EXIT_OTHER_INSTANCE:
                        # A kiosk left running without its supervisor (it was
                        # killed): wait for it to end, then take over.
                        log.warning("another kiosk is running without this supervisor; "
                                    "waiting for it to end")
                        if not wait(OTHER_INSTANCE_WAIT_S):
                            return stop.code or 0
                        reason = None
                        continue
                detected = clock()
                if reason == HANG and current is not None:
                    _stop_child(current)
                if detected - started >= healthy_after:
                    step = 0
                if max_restarts is not None and restarts >= max_restarts:
                    log.error("the app stopped (%s) and %d restarts are used up; giving up",
                              reason, restarts)
                    return exit_code if exit_code is not None and exit_code > 0 else 1
                restarts += 1
                record = _count_restart(state_dir, reason, exit_code)
                budget = RESTART_WITHIN_S - SPAWN_MARGIN_S - (clock() - detected)
                delay = max(0.0, min(BACKOFF_S[min(step, len(BACKOFF_S) - 1)], budget))
                step += 1
                log.warning("the app stopped (%s, exit code %s); restart %d (%d in all) "
                            "in %.1f s", reason, exit_code, restarts, record.total, delay)
                if on_restart is not None:
                    on_restart(RestartEvent(reason, exit_code, restarts, record.total, delay))
                if not wait(delay):
                    return stop.code or 0
        except KeyboardInterrupt:
            # Ctrl+C arrives this way when the handlers could not be installed
            # (not the main thread); the child must not outlive its supervisor.
            if current is not None:
                _stop_child(current)
            return 130
        finally:
            with contextlib.suppress(OSError):
                heartbeat.unlink()


def _watch(proc: Process, heartbeat: Path, stop: _Stop, started: float, *,
           hang_seconds: float, poll: float, clock: Callable[[], float],
           sleep: Callable[[float], None],
           startup_grace: float) -> tuple[str | None, int | None] | None:
    """Waits for the child to end or hang. Returns (None, 0) for a normal exit,
    (CRASH, code), (HANG, None), or None when a stop was asked."""
    last_content: bytes | None = None
    last_beat: float | None = None
    last_poll = started
    # Longer than this between two polls and the supervisor itself was not
    # running (the machine slept, or was starved): the child gets a fresh
    # window rather than being killed for the supervisor's own gap.
    gap = max(hang_seconds, 10 * poll)
    while True:
        sleep(poll)
        if stop.code is not None:
            return None
        now = clock()
        if now - last_poll > gap:
            log.info("the supervisor was paused for %.0f s; restarting the hang timer",
                     now - last_poll)
            if last_beat is None:
                started = now
            else:
                last_beat = now
        last_poll = now
        code = proc.poll()
        if code is not None:
            if code == 0:
                return None, 0
            return CRASH, code
        content = _read_beat(heartbeat)
        if content and content != last_content:
            last_content, last_beat = content, now
        if last_beat is None:
            if now - started > startup_grace:
                log.warning("no heartbeat from the app (pid %d) within %.0f s of its start",
                            proc.pid, startup_grace)
                return HANG, None
        elif now - last_beat > hang_seconds:
            log.warning("the app (pid %d) has not answered for %.1f s", proc.pid,
                        now - last_beat)
            return HANG, None
