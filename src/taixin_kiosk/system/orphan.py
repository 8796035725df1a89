"""A supervised app whose supervisor is gone (killed with SIGKILL, ended in
the task manager) would run on unsupervised: locked, but nothing restarts it
after a crash or a hang. The app notices on its heartbeat timer
(``system.handover``) and starts a new supervisor with its own arguments,
which starts a new app; the old one ends once the new one beats.

This module is the plain-Python part: whether the supervisor is gone, and
how to start a new one. Qt-free, like the supervisor.

How the supervisor is known to be gone: it passes its pid in
``TAIXIN_KIOSK_SUPERVISOR_PID``. On Linux and macOS the child's parent pid
changes when its parent dies (it is given to init or a subreaper), which
no reused pid can fake. On Windows the child opens the supervisor's process
handle at start (a handle keeps its process's identity, so a reused pid
cannot fool it either) and looks whether it has ended; when the handle
cannot be opened, the child never decides the supervisor is gone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from taixin_kiosk.system.supervisor import (
    HEARTBEAT_ENV,
    RESTART_REASON_ENV,
    RESTARTS_ENV,
    SUPERVISE_FLAG,
    SUPERVISED_ENV,
    SUPERVISOR_PID_ENV,
    app_command,
)

log = logging.getLogger("taixin_kiosk.supervisor")

# What the supervisor gives its child only: a new supervisor must not look
# supervised itself, nor inherit the old one's heartbeat file.
CHILD_MARKERS = (HEARTBEAT_ENV, SUPERVISED_ENV, RESTARTS_ENV, RESTART_REASON_ENV,
                 SUPERVISOR_PID_ENV)


class SupervisorWatch:
    """Whether the supervisor that started this process is gone."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.pid: int | None = None
        with contextlib.suppress(ValueError):
            pid = int(env.get(SUPERVISOR_PID_ENV, ""))
            self.pid = pid if pid > 0 else None
        self._handle: int | None = None
        if self.pid is not None and sys.platform == "win32":
            import ctypes

            synchronize = 0x00100000
            handle = ctypes.windll.kernel32.OpenProcess(synchronize, False, self.pid)
            self._handle = int(handle) if handle else None
            if self._handle is None:
                log.warning("cannot watch the supervisor (pid %d); not healing its loss",
                            self.pid)

    def gone(self) -> bool:
        """True once the supervisor has ended; False while it runs, and when
        not supervised or it cannot be told."""
        if self.pid is None:
            return False
        if sys.platform == "win32":
            if self._handle is None:
                return False
            import ctypes

            wait_object_0 = 0
            return bool(ctypes.windll.kernel32.WaitForSingleObject(self._handle, 0)
                        == wait_object_0)
        return os.getppid() != self.pid


def supervisor_command(argv: Sequence[str] | None = None) -> list[str]:
    """This app's own arguments (``sys.argv[1:]``) run under a new supervisor."""
    args = list(sys.argv[1:] if argv is None else argv)
    return app_command([*(arg for arg in args if arg != SUPERVISE_FLAG), SUPERVISE_FLAG])


def supervisor_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment without what the old supervisor set for it."""
    env = dict(os.environ if environ is None else environ)
    for name in CHILD_MARKERS:
        env.pop(name, None)
    return env


def start_supervisor(command: Sequence[str], env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    """Starts ``command`` detached: its own session (process group on Windows),
    so that it outlives this process and a hang-up of its terminal; no
    terminal output (whoever read the old supervisor's may be gone too; the
    supervisor writes its log file)."""
    options: dict[str, Any] = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL,
                               "stderr": subprocess.DEVNULL, "close_fds": True}
    if sys.platform == "win32":
        options["creationflags"] = (subprocess.DETACHED_PROCESS
                                    | subprocess.CREATE_NEW_PROCESS_GROUP)
    else:
        options["start_new_session"] = True
    return subprocess.Popen(list(command), env=dict(env), **options)
