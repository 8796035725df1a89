"""The kiosk's window stays up: visible, full screen, on its screen.

A window manager can take the window away behind the app's back: a minimise
request (iconify), an unmap, a destroyed native window (another X client's
``XDestroyWindow``), full screen dropped (matchbox's F11, a ``_NET_WM_STATE``
change), a move off the screen or onto another. ``WindowGuard`` looks at the
window every half second and at once when Qt reports a change (window state,
hide, expose), and puts it back: shown full screen on the configured screen,
with a new native window when re-showing the old one does not bring it back.

A window of another program put over it (an update notice, a dialog) is
not a lost window (the heartbeat still says shown: a restart would not
help), but the kiosk takes the focus back and comes to the top again
within a check; on X11, whose window managers may ignore "stay on top"
(Windows keeps a topmost window on top by itself, and refuses the focus to
a program in the background: it would flash the taskbar instead).

It also says since when the window has not been shown, for the heartbeat
(``system.heartbeat``): a window the guard cannot bring back makes the
supervisor restart the app.

Kiosk mode only: a presentation's window is the presenter's to minimise.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QEvent, QObject, QRect, QTimer, Signal
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QWidget

from taixin_kiosk.kiosk.x11 import Mapped, mapped, position

log = logging.getLogger("taixin_kiosk.kiosk")

CHECK_MS = 500
# A fault seen in an event is looked at again this soon: the event comes
# in the middle of Qt's own handling, and several come together.
SOON_MS = 50
# After a repair the window manager needs a moment to map and place the
# window: the same fault seen sooner is not yet a failed repair.
SETTLE_S = 0.4
# Full screen whose size the window manager keeps different from the
# screen's (a panel it refuses to cover): after this many tries in a row the
# guard accepts it rather than resizing the window twice a second forever.
GEOMETRY_TRIES = 3
# Where the kiosk raises itself over another program's window: X11 (not
# the offscreen platform of tests and export, nor Wayland, nor Windows).
RAISING_PLATFORMS = ("xcb",)
# A window that takes the focus back as soon as the kiosk has it (a second
# kiosk on the same screen, another program doing the same): each time the
# kiosk loses it again within CALM_S, it waits twice as long before taking
# it back, up to RAISE_WAIT_MAX_S, instead of the two flickering for ever.
CALM_S = 60.0
RAISE_WAIT_MAX_S = 300.0


class Fault(Enum):
    """Why the window is not shown as it must be."""

    HIDDEN = "hidden"              # not visible (hidden by Qt)
    MINIMISED = "minimised"        # iconified by the window manager
    UNMAPPED = "unmapped"          # visible to Qt, not on screen (unmapped or iconified)
    DESTROYED = "destroyed"        # its native window is gone
    NOT_FULL_SCREEN = "not_full_screen"
    OFF_SCREEN = "off_screen"      # moved off its screen, or onto another


class WindowGuard(QObject):
    """Watches ``window`` (a top-level widget) and keeps it full screen on
    ``screen()`` from ``start`` to ``stop`` (stop it before the app closes
    the window on purpose).

    ``shown_changed`` says when the window stops or starts being shown;
    ``restored`` names each fault repaired.
    """

    shown_changed = Signal(bool)
    restored = Signal(str)

    def __init__(self, window: QWidget, screen: Callable[[], QScreen | None], *,
                 interval_ms: int = CHECK_MS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self._window = window
        self._screen = screen
        self._clock = clock
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SOON_MS)
        self._soon.timeout.connect(self.check)
        # Since when (on ``clock``) the window has not been shown; None: shown.
        self._lost_since: float | None = None
        self._last_repair: float | None = None
        self._last_fault: Fault | None = None
        self._tries = 0
        # Where the window manager keeps a full-screen window when it will
        # not have it exactly on the screen: (Qt's geometry, the X position).
        self._accepted: tuple[QRect, tuple[int, int] | None] | None = None
        self._handle: QObject | None = None
        self.repairs = 0
        # When another program's window last had the focus over the kiosk
        # (``_keep_on_top``); None: the kiosk has it.
        self._covered_since: float | None = None
        self._focus_since: float | None = None  # the focus taken back at
        self._last_raise: float | None = None
        self._raise_wait = SETTLE_S
        self.raises = 0

    # -- running ----------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        self._window.installEventFilter(self)
        self._watch_handle()
        self._timer.start()
        self.check()

    def stop(self) -> None:
        self._timer.stop()
        self._soon.stop()
        self._window.removeEventFilter(self)
        if self._handle is not None:
            self._handle.removeEventFilter(self)
            self._handle.destroyed.disconnect(self._handle_gone)
            self._handle = None

    def _watch_handle(self) -> None:
        # Expose events go to the native window's QWindow, not to the widget:
        # an unmap or a destroy shows only there.
        handle = self._window.windowHandle()
        if handle is self._handle:
            return
        if self._handle is not None:
            self._handle.removeEventFilter(self)
            self._handle.destroyed.disconnect(self._handle_gone)
        self._handle = handle
        if handle is not None:
            handle.installEventFilter(self)
            # Destroying the native window deletes its QWindow too.
            handle.destroyed.connect(self._handle_gone)

    def _handle_gone(self) -> None:
        self._handle = None
        if self.active:
            self._soon.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.WindowStateChange, QEvent.Type.Hide,
                            QEvent.Type.Expose, QEvent.Type.Move,
                            QEvent.Type.ScreenChangeInternal,
                            QEvent.Type.WindowDeactivate) and self.active:
            self._soon.start()
        return False

    # -- what is wrong ------------------------------------------------------------------

    def fault(self) -> Fault | None:
        """What keeps the window from being shown full screen on its screen."""
        window = self._window
        if not window.isVisible():
            return Fault.HIDDEN
        if window.isMinimized():
            return Fault.MINIMISED
        handle = window.windowHandle()
        if handle is None or not window.internalWinId():
            return Fault.DESTROYED
        on_x = mapped(int(window.internalWinId()))
        if on_x is Mapped.GONE:
            return Fault.DESTROYED
        if on_x is Mapped.NOT_VIEWABLE or not handle.isExposed():
            return Fault.UNMAPPED
        if not window.isFullScreen():
            return Fault.NOT_FULL_SCREEN
        screen = self._screen()
        if screen is None:
            return None
        geometry = window.geometry()
        if not screen.geometry().contains(geometry.center()):
            return Fault.OFF_SCREEN
        # A frame moved behind the window manager's back moves the window
        # without Qt hearing of it: the X server knows where it is.
        found = position(int(window.internalWinId())) if on_x is not None else None
        if (geometry, found) == self._accepted:
            return None
        if geometry != screen.geometry():
            return Fault.OFF_SCREEN
        if found is not None:
            ratio = screen.devicePixelRatio()
            corner = screen.geometry().topLeft()
            if abs(found[0] - corner.x() * ratio) > 1 or abs(found[1] - corner.y() * ratio) > 1:
                return Fault.OFF_SCREEN
        return None

    @property
    def shown(self) -> bool:
        return self._lost_since is None

    def lost_for(self) -> float | None:
        """Seconds since the window stopped being shown; None while it is."""
        if self._lost_since is None:
            return None
        return max(0.0, self._clock() - self._lost_since)

    # -- putting it back ------------------------------------------------------------------

    def check(self) -> None:
        """Looks at the window and repairs what is wrong."""
        if not self.active:
            return  # a check still queued when the guard stopped
        self._watch_handle()
        fault = self.fault()
        now = self._clock()
        if fault is None:
            self._tries = 0
            self._last_fault = None
            if self._lost_since is not None:
                log.info("the window is shown full screen again after %.1f s",
                         now - self._lost_since)
                self._lost_since = None
                self.shown_changed.emit(True)
            self._keep_on_top(now)
            return
        if self._lost_since is None:
            self._lost_since = now
            log.warning("the kiosk window is not shown (%s); putting it back", fault.value)
            self.shown_changed.emit(False)
        if (fault is self._last_fault and self._last_repair is not None
                and now - self._last_repair < SETTLE_S):
            return  # the last repair may still be arriving
        self._tries = self._tries + 1 if fault is self._last_fault else 1
        self._last_fault = fault
        self._last_repair = now
        self.repair(fault)

    def _keep_on_top(self, now: float) -> None:
        """Another program's window has the focus (and, with a window manager
        that ignores "stay on top", covers the kiosk): take both back."""
        from PySide6.QtWidgets import QApplication

        if QApplication.platformName() not in RAISING_PLATFORMS:
            return
        window = self._window
        if window.isActiveWindow() or QApplication.activeWindow() is not None:
            # The kiosk, or a window of its own, has the focus.
            if self._covered_since is not None:
                log.info("the kiosk window has the focus again after %.1f s",
                         now - self._covered_since)
                self._covered_since = None
                self._focus_since = now
            elif self._focus_since is not None and now - self._focus_since >= CALM_S:
                self._raise_wait = SETTLE_S
            return
        if self._covered_since is None:
            self._covered_since = now
            if self._focus_since is not None and now - self._focus_since < CALM_S:
                # Taken from it again at once: another window wants the top too.
                self._raise_wait = min(self._raise_wait * 2, RAISE_WAIT_MAX_S)
            log.warning("another program's window has the focus over the kiosk; "
                        "bringing the kiosk to the top in %.1f s", self._raise_wait)
        if self._last_raise is not None and now - self._last_raise < self._raise_wait:
            return  # the last raise may still be arriving, or backing off
        self._last_raise = now
        self.raises += 1
        window.raise_()
        window.activateWindow()

    def repair(self, fault: Fault) -> None:
        window = self._window
        self.repairs += 1
        screen = self._screen()
        if fault is Fault.OFF_SCREEN and self._tries > GEOMETRY_TRIES and window.isFullScreen():
            # Its centre is on the screen (or the fault would be another), and
            # the window manager keeps it here for full screen: take it.
            found = position(int(window.internalWinId()))
            log.info("the window manager keeps the full-screen window at %s (%s); accepted",
                     window.geometry(), found)
            self._accepted = (window.geometry(), found)
            return
        if fault is Fault.DESTROYED or (fault is Fault.UNMAPPED and self._tries > 2):
            # Gone (destroyed by another client), or shown again and still
            # not on screen: a new native window, with the old widget in it.
            log.warning("making a new native window for the kiosk (%s)", fault.value)
            self._recreate()
        elif fault in (Fault.HIDDEN, Fault.MINIMISED, Fault.UNMAPPED) or (
                fault is Fault.OFF_SCREEN and screen is not None
                and window.geometry() == screen.geometry()):
            # Mapped again by hiding and showing: a window manager that
            # iconified it maps it only on a fresh map request, and frames
            # it afresh where it belongs (a frame moved behind its back).
            window.hide()
        if screen is not None:
            if window.screen() is not screen:
                window.setScreen(screen)
            if window.isFullScreen() and window.geometry() != screen.geometry():
                # Window managers keep a full-screen window where it is.
                window.showNormal()
            window.setGeometry(screen.geometry())
        # Showing maps it on top; a raise is not needed (and offscreen warns).
        window.showFullScreen()
        window.activateWindow()
        self._watch_handle()
        self.restored.emit(fault.value)

    def _recreate(self) -> None:
        window = self._window
        if self._handle is not None:
            self._handle.removeEventFilter(self)
            self._handle.destroyed.disconnect(self._handle_gone)
            self._handle = None
        window.hide()
        # QWidget.destroy is protected in C++; the audience window is a
        # Python subclass, so it can be called here.
        window.destroy(True, True)
        window.create()
