"""Idle reset and the attract loop of an unattended kiosk.

With no input for ``idle_s`` the kiosk returns to the cover in the default
language (the next visitor starts at the beginning); after ``attract_s`` more
it plays the deck by itself, optionally alternating languages, until someone
touches. Every kind of input reaches this through the one ActivityMonitor,
touch included.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from taixin_kiosk.core.language import Localizer
from taixin_kiosk.core.modes import Mode, ModeManager
from taixin_kiosk.core.navigator import Navigator
from taixin_kiosk.input.activity import ActivityMonitor

log = logging.getLogger("taixin_kiosk.kiosk")


class IdleController(QObject):
    """Timers only: the navigator, localizer and modes do the visible work."""

    # The kiosk goes back to the cover after a visitor left (emitted just
    # before it moves there).
    idle_reset = Signal()
    # The attract loop started, and ended at a visitor's first touch.
    attract_started = Signal()
    woke = Signal()

    def __init__(self, activity: ActivityMonitor, navigator: Navigator, localizer: Localizer,
                 modes: ModeManager, default_locale: str, *, idle_s: float, attract_s: float,
                 advance_s: float, alternate_languages: bool,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._activity = activity
        self._navigator = navigator
        self._localizer = localizer
        self._modes = modes
        self._default_locale = default_locale
        self.alternate_languages = alternate_languages
        self._idle = self._timer(idle_s, self._on_idle)
        self._attract = self._timer(attract_s, self._on_attract)
        self._advance = self._timer(advance_s, self._on_advance, single=False)
        # Outside opening hours (kiosk.opening): no timer runs, and input
        # starts none, so no attract loop plays under the closed screen.
        self.suspended = False
        activity.user_input.connect(self._on_input)
        activity.woke.connect(self._on_woke)
        self._idle.start()

    def _timer(self, seconds: float, slot: object, *, single: bool = True) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setInterval(max(1, round(seconds * 1000)))
        timer.timeout.connect(slot)
        return timer

    @property
    def attracting(self) -> bool:
        return self._modes.mode is Mode.ATTRACT

    def stop(self) -> None:
        for timer in (self._idle, self._attract, self._advance):
            timer.stop()
        self._activity.wake_only = False

    def suspend(self) -> None:
        self.stop()
        self.suspended = True

    def reset_now(self) -> None:
        """What an idle reset does, now: the cover in the default language,
        the visit ended, the visitor's settings undone; timers running again."""
        self.suspended = False
        self.stop()
        self._on_idle()

    # -- transitions --------------------------------------------------------

    def _on_input(self) -> None:
        if self.suspended:
            return
        if not self.attracting:
            self._attract.stop()
            self._idle.start()

    def _on_idle(self) -> None:
        log.info("idle: back to the cover in %s", self._default_locale)
        # Said first: the visitor's last slide was left when the idle time
        # began, so its view ends before the cover shows (usage statistics).
        self.idle_reset.emit()
        # Whatever was open (overview, a staff PIN pad) closes: the next
        # visitor finds the deck as a first visitor would.
        self._modes.enter(Mode.INTERACTIVE)
        self._localizer.set_locale(self._default_locale)
        self._navigator.first()
        self._attract.start()

    def _on_attract(self) -> None:
        log.info("attract loop starts")
        self._modes.enter(Mode.ATTRACT)
        self._activity.wake_only = True
        self._advance.start()
        self.attract_started.emit()

    def _on_advance(self) -> None:
        # Whatever "next" means (every slide, or a tour's): at its end the
        # loop starts again, in the other language when asked.
        navigator = self._navigator
        if navigator.next():
            return
        if self.alternate_languages:
            self._localizer.cycle()
        navigator.first()

    def _on_woke(self) -> None:
        self._advance.stop()
        self._modes.leave(Mode.ATTRACT)
        log.info("attract loop woken by a visitor")
        self.woke.emit()
        self._idle.start()
