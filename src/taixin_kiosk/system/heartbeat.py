"""The app's heartbeat, which the supervisor (``system.supervisor``) watches.

Apart from the supervisor so that the supervisor's process never imports Qt.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from taixin_kiosk.system.beats import beat_line
from taixin_kiosk.system.orphan import SupervisorWatch
from taixin_kiosk.system.supervisor import HEARTBEAT_ENV

log = logging.getLogger("taixin_kiosk.supervisor")


class Heartbeat:
    """Rewrites the file TAIXIN_KIOSK_HEARTBEAT names, once a second, from a
    timer on the GUI thread: a hung event loop stops the beat, which is the
    point. Without that variable (not supervised) it does nothing.

    ``window`` (set by kiosk mode's window guard) says for how many seconds
    the window has not been shown full screen, None while it is; each beat
    carries it, so the supervisor can restart an app whose window is gone
    for good even though its event loop turns.

    ``orphaned`` (set by the app) is called once, from a beat, when the
    supervisor that started this app is gone (``system.orphan``).

    Its timer is a child of ``parent``.
    """

    def __init__(self, parent: QObject | None = None, *, path: Path | None = None,
                 interval_ms: int = 1000, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        if path is None and env.get(HEARTBEAT_ENV):
            path = Path(env[HEARTBEAT_ENV])
        self.path = path
        self.beats = 0
        self._failed = False
        self._timer: QTimer | None = None
        self.window: Callable[[], float | None] | None = None
        self.orphaned: Callable[[], None] | None = None
        self._supervisor = SupervisorWatch(env)
        if path is None:
            return
        self._timer = QTimer(parent)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.beat)

    @property
    def active(self) -> bool:
        return self._timer is not None and self._timer.isActive()

    def start(self) -> None:
        """Beats now and then every interval; call once the app object exists."""
        if self._timer is None:
            return
        self.beat()
        self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def beat(self) -> None:
        if self.path is None:
            return
        self.beats += 1
        try:
            # The content changes every beat: the supervisor watches for that.
            lost = None if self.window is None else self.window()
            line = beat_line(os.getpid(), self.beats, window=self.window is not None, lost=lost)
            self.path.write_text(line, encoding="ascii")
        except OSError as error:
            if not self._failed:  # once, not every second
                log.warning("cannot write the heartbeat %s: %s", self.path, error)
                self._failed = True
        else:
            self._failed = False
        if self.orphaned is not None and self._supervisor.gone():
            orphaned, self.orphaned = self.orphaned, None
            orphaned()
