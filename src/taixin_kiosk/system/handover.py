"""The Qt side of ``system.orphan``: a supervised app whose supervisor is
gone starts a new one and hands the screen over to the new app.

In order: the heartbeat stops (nobody reads it), the instance lock and the
socket are given up (the new app takes them: a launch that finds them held
only knocks and ends), the new supervisor starts, and this app keeps the
slides on screen until the new app's heartbeat appears (its first frame is
up), or HANDOVER_WAIT_S at most; then it exits. When the new supervisor
cannot be started or ends at once, this app runs on unsupervised and logs
why.
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from taixin_kiosk.system.orphan import start_supervisor, supervisor_command, supervisor_environment
from taixin_kiosk.system.supervisor import STARTUP_GRACE_S

log = logging.getLogger("taixin_kiosk.supervisor")

# The new app's start-up takes as long as the supervisor allows for it.
HANDOVER_WAIT_S = STARTUP_GRACE_S + 5.0
HANDOVER_POLL_MS = 250

Starter = Callable[[Sequence[str], dict[str, str]], "subprocess.Popen[bytes]"]


class Handover(QObject):
    """Called once (from the heartbeat) when the supervisor is gone."""

    def __init__(self, heartbeat: Path, stop_beating: Callable[[], None],
                 release: Callable[[], None], parent: QObject | None = None, *,
                 start: Starter = start_supervisor,
                 exit_app: Callable[[], None] = lambda: QCoreApplication.exit(0)) -> None:
        super().__init__(parent)
        self.heartbeat = heartbeat
        self._stop_beating = stop_beating
        self._release = release
        self._start = start
        self._exit = exit_app
        self.process: subprocess.Popen[bytes] | None = None
        self._deadline = 0.0
        self._timer: QTimer | None = None

    def __call__(self) -> None:
        log.error("the supervisor is gone; starting a new one to take over this kiosk")
        self._stop_beating()
        with contextlib.suppress(OSError):
            self.heartbeat.unlink()
        self._release()
        command = supervisor_command()
        try:
            self.process = self._start(command, supervisor_environment())
        except OSError as error:
            log.error("cannot start a new supervisor (%s): %s; running on unsupervised",
                      command[0], error)
            return
        log.info("started a new supervisor (pid %d)", self.process.pid)
        self._deadline = time.monotonic() + HANDOVER_WAIT_S
        timer = self._timer = QTimer(self)
        timer.setInterval(HANDOVER_POLL_MS)
        timer.timeout.connect(self._check)
        timer.start()

    def new_heartbeat(self) -> Path | None:
        """The file the new supervisor's app beats in (named after it)."""
        if self.process is None:
            return None
        return self.heartbeat.with_name(f"heartbeat-{self.process.pid}")

    def _check(self) -> None:
        assert self.process is not None and self._timer is not None
        beat = self.new_heartbeat()
        if beat is not None and beat.exists():
            log.info("the new supervisor's app is up; this one ends")
        elif self.process.poll() is not None:
            self._timer.stop()
            log.error("the new supervisor ended at once (exit code %s); running on "
                      "unsupervised", self.process.returncode)
            return
        elif time.monotonic() < self._deadline:
            return
        else:
            log.warning("the new supervisor's app has not beaten within %.0f s; this one "
                        "ends all the same", HANDOVER_WAIT_S)
        self._timer.stop()
        self._exit()
