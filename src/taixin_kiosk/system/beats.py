"""The heartbeat file between the app and its supervisor: what a beat says
(``beat_line``, ``beat_window``), and the supervisor's reading of it
(``Beats``), on its own monotonic clock.
"""

from __future__ import annotations

import contextlib
import logging
import time
from pathlib import Path

log = logging.getLogger("taixin_kiosk.supervisor")


def beat_line(pid: int, beats: int, *, window: bool = False, lost: float | None = None) -> str:
    """One heartbeat: the pid and a count that changes every beat, then, when
    the app watches its window, ``window=shown`` or ``window=lost`` with
    ``lost_s=`` the seconds since it was last shown."""
    parts = [str(pid), str(beats)]
    if window:
        parts.append("window=shown" if lost is None else f"window=lost lost_s={lost:.1f}")
    return " ".join(parts) + "\n"


def beat_window(content: bytes) -> float | None:
    """Seconds the window has not been shown, from a beat's ``content``;
    None while it is shown or when the beat does not say (not a kiosk)."""
    fields = dict(part.split("=", 1) for part in content.decode("ascii", "replace").split()
                  if "=" in part)
    if fields.get("window") != "lost":
        return None
    try:
        lost = float(fields.get("lost_s", "0"))
    except ValueError:
        lost = 0.0
    return lost if lost >= 0 and lost == lost else 0.0  # NaN: no better guess than now


def sweep_heartbeats(state_dir: Path) -> None:
    """Removes heartbeat files a killed supervisor left behind (a live one's
    file is rewritten every second, so an hour-old one is nobody's)."""
    cutoff = time.time() - 3600
    with contextlib.suppress(OSError):
        for path in state_dir.glob("heartbeat-*"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()


def read_beat(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


class Beats:
    """When the child's heartbeat file last changed, on the supervisor's clock."""

    def __init__(self, path: Path, started: float) -> None:
        self.path = path
        self.started = started
        self.content: bytes | None = None
        self.last: float | None = None  # None: no beat yet
        # Since when the child's window has not been shown; None: shown, or
        # the child does not say.
        self.lost_since: float | None = None

    def fresh_window(self, now: float) -> None:
        """The supervisor was paused: silence counts from ``now``."""
        if self.last is None:
            self.started = now
        else:
            self.last = now
        if self.lost_since is not None:
            self.lost_since = now

    def look(self, now: float) -> None:
        content = read_beat(self.path)
        if content and content != self.content:
            self.content, self.last = content, now
            lost = beat_window(content)
            if lost is None:
                self.lost_since = None
            elif self.lost_since is None:
                # Both clocks are the system's monotonic one; a child that
                # says more than its age is not believed.
                self.lost_since = max(self.started, now - lost)

    def window_lost(self, now: float, pid: int, *, grace: float) -> bool:
        """The child beats, but its window has not been shown for ``grace``."""
        if self.lost_since is None or now - self.lost_since <= grace:
            return False
        log.warning("the app (pid %d) has shown no window for %.1f s", pid,
                    now - self.lost_since)
        return True

    def silent(self, now: float, pid: int, *, hang_seconds: float,
               startup_grace: float) -> bool:
        """Silent for too long: no first beat within the start's grace, or
        none since the last for ``hang_seconds``."""
        if self.last is None:
            if now - self.started > startup_grace:
                log.warning("no heartbeat from the app (pid %d) within %.0f s of its start",
                            pid, startup_grace)
                return True
            return False
        if now - self.last > hang_seconds:
            log.warning("the app (pid %d) has not answered for %.1f s", pid, now - self.last)
            return True
        return False
