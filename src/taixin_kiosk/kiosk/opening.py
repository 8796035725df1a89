"""Opening hours: outside them the kiosk is closed.

Closed means a black screen over the slides (the window stays shown full
screen, so neither the window guard nor the supervisor's "window shown"
check sees anything wrong), no controls, no attract loop, nothing counted,
the keep-awake released and, on X11, the display asked to turn off. A touch
then shows, for a few seconds, when the kiosk opens, in each of the deck's
languages: a dark screen that ignores a touch looks broken to whoever walks
by (a guard, a cleaner, an early visitor); one that says "closed, opens at
09:00" does not. The staff corner and PIN work as ever. At opening the kiosk
wakes on the cover in the default language, as after an idle reset.

The clock is read once a minute, not one long timer: a clock set by hand,
NTP at boot or a daylight saving change takes effect at the next check,
always in local time. The optional daily restart is checked on the same
tick (``system.supervisor.EXIT_PLANNED_RESTART``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget

from taixin_kiosk.config.hours import DAYS, OpeningHours, clock_text, next_time, parse_clock
from taixin_kiosk.core.modes import Mode
from taixin_kiosk.system.supervisor import EXIT_PLANNED_RESTART

if TYPE_CHECKING:
    from taixin_kiosk.core.session import Session
    from taixin_kiosk.kiosk.idle import IdleController
    from taixin_kiosk.system.awake import DisplayPower, KeepAwake

log = logging.getLogger("taixin_kiosk.kiosk")

CHECK_MS = 60_000
# How long "closed, opens at ..." stays after a touch.
MESSAGE_MS = 10_000

_INPUT = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride,
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
    QEvent.Type.TouchCancel, QEvent.Type.TabletPress, QEvent.Type.TabletMove,
    QEvent.Type.TabletRelease, QEvent.Type.ContextMenu,
})
_PRESS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                    QEvent.Type.TouchBegin, QEvent.Type.TabletPress})


def local_now() -> datetime:
    """The local wall-clock time now, daylight saving included (tests replace it)."""
    return datetime.now()


class ClosedGate(QObject):
    """An application event filter: while closed, input reaches no slide, no
    control and not the idle timers or statistics (installed after the
    activity monitor, so asked before it; only the staff corner is asked
    first). Staff at the PIN pad or the panel get their input as ever."""

    touched = Signal()

    def __init__(self, modes: object, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._modes = modes
        self.closed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.closed or getattr(self._modes, "mode", None) is Mode.STAFF:
            return False
        kind = event.type()
        if kind not in _INPUT or not watched.isWidgetType():
            return False
        if kind in _PRESS:
            self.touched.emit()
        return True


class ClosedCover(QWidget):
    """Black over the whole window; a few lines of text when asked."""

    def __init__(self, window: QWidget, family: str) -> None:
        super().__init__(window)
        self.setObjectName("closed-cover")
        self._family = family
        self.lines: list[str] = []
        window.installEventFilter(self)
        self.hide()

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()

    def set_lines(self, lines: list[str]) -> None:
        self.lines = lines
        self.setAccessibleName("\n".join(lines))
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(watched.rect())  # type: ignore[attr-defined]
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(0, 0, 0))
        if self.lines:
            font = QFont(self._family)
            font.setPixelSize(max(14, round(min(self.width(), self.height()) / 22)))
            p.setFont(font)
            p.setPen(QColor(200, 200, 200))
            p.drawText(QRectF(self.rect()).adjusted(20, 20, -20, -20),
                       int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                       "\n\n".join(self.lines))
        p.end()


class OpeningHoursWatch(QObject):
    """Closes and opens the kiosk by its opening hours, and restarts it at
    ``daily_restart``. ``clock`` gives the local wall-clock time (tests set
    their own); ``check`` runs once a minute from ``start``."""

    closed_changed = Signal(bool)

    def __init__(self, session: Session, idle: IdleController, cover: ClosedCover,
                 gate: ClosedGate, display: DisplayPower,
                 awake: Callable[[], KeepAwake | None], *, supervised: bool,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        settings = session.settings
        self.hours: OpeningHours | None = settings.opening_hours
        self.restart_at = parse_clock(settings.daily_restart or "")
        self.session = session
        self.idle = idle
        self.cover = cover
        self.gate = gate
        self.display = display
        self._awake = awake
        self.supervised = supervised
        self.clock: Callable[[], datetime] = local_now
        self.exit: Callable[[int], None] = QApplication.exit
        self.closed = False
        self._next_restart: datetime | None = None
        self.restart_due = False
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)
        self._message = QTimer(self)
        self._message.setSingleShot(True)
        self._message.setInterval(MESSAGE_MS)
        self._message.timeout.connect(self.hide_message)
        gate.touched.connect(self.show_message)
        idle.idle_reset.connect(self._after_idle_reset)
        session.modes.left.connect(self._on_mode_left)

    @property
    def active(self) -> bool:
        return self.hours is not None or self.restart_at is not None

    def start(self) -> None:
        if self.active:
            self.check()
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._message.stop()

    # -- the minute's check ------------------------------------------------------

    def check(self) -> None:
        now = self.clock()
        self._check_restart(now)
        closing = self.hours is not None and not self.hours.is_open(now)
        if closing == self.closed:
            return
        if self.session.modes.mode is Mode.STAFF:
            return  # staff at work are not thrown out: the check after they leave
        if closing:
            self._close()
        else:
            self._open()

    def _close(self) -> None:
        log.info("closed: outside the opening hours; the display may sleep")
        self.closed = True
        # The visit ends now, and what the kiosk shows at opening is fresh.
        self.idle.reset_now()
        self.idle.suspend()
        self.gate.closed = True
        self.cover.set_lines([])
        self.cover.cover()
        awake = self._awake()
        if awake is not None:
            awake.release()
        self.display.sleep()
        self.closed_changed.emit(True)

    def _open(self) -> None:
        log.info("open: within the opening hours")
        self.closed = False
        self.gate.closed = False
        self._message.stop()
        self.cover.hide()
        self.display.wake()
        awake = self._awake()
        if awake is not None:
            awake.acquire()
        self.idle.reset_now()
        self.closed_changed.emit(False)

    # -- a touch while closed ---------------------------------------------------------

    def show_message(self) -> None:
        if not self.closed:
            return
        self.cover.set_lines(self.message_lines())
        self._message.start()

    def hide_message(self) -> None:
        self._message.stop()
        if self.closed and self.cover.lines:
            self.cover.set_lines([])
            self.display.sleep()

    def message_lines(self) -> list[str]:
        """When the kiosk opens, in each of the deck's languages."""
        now = self.clock()
        opens = self.hours.next_opening(now) if self.hours is not None else None
        localizer = self.session.localizer
        lines: list[str] = []
        for locale in localizer.locales:
            if opens is None:
                line = localizer.app_text("access.closed.closed", locale)
            elif opens.date() == now.date():
                line = localizer.app_text("access.closed.today", locale,
                                          time=clock_text(opens.hour * 60 + opens.minute))
            else:
                day = localizer.app_text(f"access.closed.day.{DAYS[opens.weekday()]}", locale)
                line = localizer.app_text("access.closed.later", locale, day=day,
                                          time=clock_text(opens.hour * 60 + opens.minute))
            if line not in lines:
                lines.append(line)
        return lines

    def _on_mode_left(self, mode: object) -> None:
        if mode is Mode.STAFF and self.closed:
            # Staff are done: black and dark again (their corner press may
            # have shown the message).
            self._message.stop()
            self.cover.set_lines([])
            self.display.sleep()

    # -- the daily restart ------------------------------------------------------------

    def _check_restart(self, now: datetime) -> None:
        if self.restart_at is None:
            return
        planned = self._next_restart
        # The first check, or a clock set back by more than a day: from now on.
        if planned is None or planned - now > timedelta(days=1, minutes=1):
            self._next_restart = next_time(self.restart_at, now)
            return
        if now >= planned:
            self._next_restart = next_time(self.restart_at, now)
            self.restart_due = True
        if self.restart_due and (self.closed or self.idle.attracting):
            self.restart()

    def _after_idle_reset(self) -> None:
        if self.restart_due and not self.closed:
            # After the reset's own work (the visit ended, the cover shown).
            QTimer.singleShot(0, self.restart)

    def restart(self) -> None:
        """Under the supervisor: exit for a fresh start (not a crash). Without
        it: the content loaded again and the show back on its cover."""
        if not self.restart_due:
            return
        self.restart_due = False
        if self.supervised:
            log.info("daily restart: exiting for the supervisor to start the app again")
            self.exit(EXIT_PLANNED_RESTART)
            return
        log.info("daily restart without a supervisor: content reloaded, state reset")
        self.session.reload_content()
        if not self.closed:
            self.idle.reset_now()
