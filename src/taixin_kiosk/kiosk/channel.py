"""A running kiosk following its content channel: poll, install, switch when nobody is there.

Every ``channel_poll_minutes`` (and once soon after start) the channel is
pulled on a worker thread (``content.channel.sync``: the network, the
checks and the install never block the GUI). A new pack, once installed,
is shown at the next idle reset, or at once while the attract loop plays
(no visitor is using the screen then); never under a visitor's finger.
Each outcome goes to the log and to the staff panel's information.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from taixin_kiosk.content.channel.sync import SyncResult
    from taixin_kiosk.core.language import Text
    from taixin_kiosk.core.session import Session
    from taixin_kiosk.kiosk.idle import IdleController

log = logging.getLogger("taixin_kiosk.channel")

# The first look after start: soon, but after the first slide is on screen.
FIRST_POLL_MS = 5000
# How often the GUI thread looks whether a pull has finished.
DONE_POLL_MS = 200
# Seconds between looks, for drills and tests only (benchmarks/fleet.py):
# the config's channel_poll_minutes stays at least a minute for users.
POLL_SECONDS_ENV = "TAIXIN_KIOSK_CHANNEL_POLL_SECONDS"


def poll_interval_ms(minutes: float) -> int:
    """The time between looks: the setting's, or the drill's from the environment."""
    seconds = minutes * 60
    given = os.environ.get(POLL_SECONDS_ENV, "")
    if given:
        try:
            drill = float(given)
        except ValueError:
            drill = math.nan
        if math.isfinite(drill) and drill > 0:
            seconds = drill
        else:
            log.warning("%s=%r is not a number of seconds; ignored", POLL_SECONDS_ENV, given)
    return max(1000, round(seconds * 1000))


class ChannelFollower(QObject):
    """Pulls the session's channel in the background and switches at idle."""

    def __init__(self, session: Session, text: Text, *, config_file: Path, state_dir: Path,
                 packs_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.text = text
        self.config_file = config_file
        self.state_dir = state_dir
        self.packs_dir = packs_dir
        self.last: SyncResult | None = None
        self.last_time: datetime | None = None
        # When (UTC seconds) a pull last succeeded and last failed, for the
        # monitoring metrics; None: not since start.
        self.last_ok: float | None = None
        self.last_failed: float | None = None
        # A pack installed, waiting for nobody to be at the screen.
        self.pending = False
        self._idle: IdleController | None = None
        self._thread: threading.Thread | None = None
        self._outcome: list[SyncResult] = []
        self._timer = QTimer(self, interval=poll_interval_ms(
            float(session.settings.channel_poll_minutes)))
        self._timer.timeout.connect(self.poll)
        self._first = QTimer(self, singleShot=True, interval=min(FIRST_POLL_MS,
                                                                 self._timer.interval()))
        self._first.timeout.connect(self.poll)
        self._done = QTimer(self, interval=DONE_POLL_MS)
        self._done.timeout.connect(self._check)

    def start(self, idle: IdleController) -> None:
        self._idle = idle
        idle.idle_reset.connect(self.switch_if_pending)
        idle.attract_started.connect(self.switch_if_pending)
        self._first.start()
        self._timer.start()

    def stop(self) -> None:
        for timer in (self._first, self._timer, self._done):
            timer.stop()

    def poll(self) -> None:
        """Pulls the channel once on a worker thread (one pull at a time)."""
        if self._thread is not None and self._thread.is_alive():
            return
        from taixin_kiosk.content.channel.sync import kiosk_root, sync_once

        settings = self.session.settings
        root = kiosk_root(self.config_file)
        self._outcome = outcome = []

        def work() -> None:
            outcome.append(sync_once(settings.channel_url, settings.channel, root,
                                     self.state_dir, self.packs_dir))

        self._thread = threading.Thread(target=work, name="channel-sync", daemon=True)
        self._thread.start()
        self._done.start()

    def _check(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._done.stop()
        self._thread = None
        if not self._outcome:  # the worker died: sync_once raises for nothing else
            return
        result = self._outcome[0]
        self.last, self.last_time = result, datetime.now()
        if result.ok:
            self.last_ok = self.last_time.timestamp()
            log.info("channel %s: %s", self.session.settings.channel, result.code)
        else:
            self.last_failed = self.last_time.timestamp()
            log.warning("channel %s refused: %s", self.session.settings.channel,
                        self.describe(result))
        if result.code == "installed" or (result.ok and self._behind()):
            self.pending = True
            if self._idle is not None and self._idle.attracting:
                self.switch_if_pending()

    def _behind(self) -> bool:
        """The current installed pack is not the one shown (``sync`` from a
        terminal installed it while this kiosk ran)."""
        if self.session.settings.content is not None:
            return False  # a configured folder is shown, never the installed packs
        from taixin_kiosk.content.packs.state import STORE_DIR, read_state

        current = read_state(self.packs_dir).current
        if current is None:
            return False
        shown = self.session.content.pack.root.resolve()
        return shown != (self.packs_dir / STORE_DIR / current).resolve()

    def switch_if_pending(self) -> None:
        """Shows the pack the channel installed, from its cover."""
        if not self.pending:
            return
        self.pending = False
        log.info("channel: showing the new content at idle")
        self.session.reload_content()
        # What is on screen now, for staff reading the log and for the fleet drill.
        deck = self.session.content.pack.deck
        log.info("channel: now showing %s %s", deck.id, deck.version)

    def describe(self, result: SyncResult) -> str:
        return self.text(f"cli.channel.outcome.{result.code}", **result.params)

    def lines(self) -> list[str]:
        """The staff panel's line about the channel."""
        channel = self.session.settings.channel
        if self.pending:
            return [self.text("staff.info.channel_pending", channel=channel)]
        if self.last is None or self.last_time is None:
            return [self.text("staff.info.channel_waiting", channel=channel)]
        return [self.text("staff.info.channel", channel=channel,
                          time=self.last_time.strftime("%H:%M"),
                          outcome=self.describe(self.last))]
