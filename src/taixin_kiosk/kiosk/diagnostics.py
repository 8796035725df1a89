"""What the staff panel tells staff about the kiosk: version, pack, uptime,
restarts, the config file's problems, keep-awake, screens, logs, the content
channel, the monitoring metrics, today's usage and the latest errors.

Reading any of them may fail (a locked database, an unreadable file); the
panel must still open, so each part gives up on its own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication

import taixin_kiosk

if TYPE_CHECKING:
    from taixin_kiosk.core.language import Text
    from taixin_kiosk.core.session import Audience, Session
    from taixin_kiosk.stats.store import StatsStore

log = logging.getLogger("taixin_kiosk.kiosk")


class Diagnostics:
    """The staff panel's information lines, in the shown language."""

    def __init__(self, session: Session, audience: Audience, text: Text, *,
                 state_dir: Path, log_dir: Path | None, stats: StatsStore | None,
                 config_file: Path | None = None,
                 channel: Callable[[], list[str]] | None = None,
                 metrics: Callable[[], list[str]] | None = None) -> None:
        self.session = session
        self.audience = audience
        self.text = text
        self.state_dir = state_dir
        self.log_dir = log_dir
        self.stats = stats
        self.config_file = config_file
        # Set by kiosk mode when keeping the display awake does not work here
        # (a code of system.awake.PROBLEMS).
        self.awake_problem: str | None = None
        # The content channel's last outcome (kiosk.channel), when one is followed.
        self.channel = channel
        # Where the monitoring metrics are served, or why not (kiosk.metrics).
        self.metrics = metrics
        self.started = time.monotonic()

    def lines(self) -> list[str]:
        text = self.text
        pack = self.session.content.pack
        uptime = int(time.monotonic() - self.started)
        lines = [
            text("staff.info.version", version=taixin_kiosk.__version__),
            text("staff.info.pack", pack=pack.deck.id, version=pack.deck.version,
                 checksum=pack.checksum[:16]),
            text("staff.info.pack_folder", folder=str(pack.root)),
            *self._fallback_lines(),
            text("staff.info.uptime", hours=uptime // 3600, minutes=uptime % 3600 // 60),
            text("staff.info.restarts", count=self._restarts()),
        ]
        lines.extend(self._config_lines())
        if self.awake_problem is not None:
            lines.append(text(f"staff.info.awake.{self.awake_problem}"))
        lines.extend(self._screen_lines())
        if self.log_dir is not None:
            lines.append(text("staff.info.logs", folder=str(self.log_dir)))
        if self.channel is not None:
            lines.extend(self.channel())
        if self.metrics is not None:
            lines.extend(self.metrics())
        lines.extend(self._usage_lines())
        lines.extend(self._error_lines())
        return lines

    # More problems than this are counted, not listed: the panel must fit.
    CONFIG_LINES = 3

    def _config_lines(self) -> list[str]:
        """The config file's problems as it is now (staff may have fixed it)."""
        if self.config_file is None:
            return []
        try:
            from taixin_kiosk.config.load import load_config

            problems = load_config(self.config_file).problems
        except Exception:  # diagnostics must never take the panel down
            log.exception("could not check the configuration file")
            return []
        if not problems:
            return []
        lines = [self.text("staff.info.config_problems", count=len(problems))]
        lines.extend(self.text("staff.info.config_problem", problem=p.format(self.text))
                     for p in problems[:self.CONFIG_LINES])
        return lines

    def _fallback_lines(self) -> list[str]:
        """Why the content wanted is not the content shown (a broken pack, a
        pack over its limits, one that failed to start), as the log says too."""
        choice = self.session.content
        if choice.requested is None or not choice.problems:
            return []
        first = choice.problems[0]
        # A problem with the whole pack (over a limit, failed starts) names
        # no place in a file: "NAME: $: ..." would only repeat the pack.
        whole = first.line is None and not first.path
        problem = first.message(self.text) if whole else first.format(self.text)
        return [self.text("staff.info.fallback", pack=choice.requested.name, problem=problem)]

    def _screen_lines(self) -> list[str]:
        window_screen = self.audience.widget().screen()
        lines = []
        for i, screen in enumerate(QGuiApplication.screens()):
            g = screen.geometry()
            key = "staff.info.screen_here" if screen is window_screen else "staff.info.screen"
            lines.append(self.text(key, number=i, name=screen.name(), width=g.width(),
                                   height=g.height(), x=g.x(), y=g.y(),
                                   scale=f"{screen.devicePixelRatio():g}"))
        return lines

    def _restarts(self) -> int:
        try:
            from taixin_kiosk.system.supervisor import read_restarts

            return int(read_restarts(self.state_dir).total)
        except Exception:  # diagnostics must never take the panel down
            log.exception("could not read the restart count")
            return 0

    def _usage_lines(self) -> list[str]:
        if self.stats is None:
            return []
        try:
            today = self.stats.today()
        except Exception:
            log.exception("could not read today's statistics")
            return []
        return [self.text("staff.info.usage", views=today.total_views,
                          languages=today.language_changes, resets=today.idle_resets,
                          wakes=today.attract_wakes)]

    def _error_lines(self) -> list[str]:
        from taixin_kiosk.system.logs import recent_errors

        errors = recent_errors(3)
        if not errors:
            return [self.text("staff.info.no_errors")]
        return [self.text("staff.info.error", time=e.time.strftime("%H:%M"), area=e.area,
                          message=e.message) for e in errors]
