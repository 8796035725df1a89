"""Screens: which there are, a window full screen on one, and following them
when a projector is plugged in or out, or a screen turns or changes size.

One watcher (``ScreenWatcher``) says when the screens have settled after a
change; a single window follows it with ``ScreenFollower``, the presenter's
two windows with their own placement (``presenter.placement``).
"""

from __future__ import annotations

import logging
from typing import NamedTuple

from PySide6.QtCore import QObject, QRect, QSize, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

log = logging.getLogger("taixin_kiosk.app")

# Screens settle for a moment after a projector is plugged in or out (the
# desktop rearranges them): windows are placed once it is done.
SETTLE_MS = 400


class Display(NamedTuple):
    """One screen as placement sees it; ``screen`` is None for a simulated one."""

    name: str
    geometry: QRect
    primary: bool
    # Names the monitor itself (model and serial where the system gives them).
    ident: str
    screen: QScreen | None = None
    # Without the taskbar (for a window that is not full screen); None: all of it.
    available: QRect | None = None


def display_of(screen: QScreen, primary: QScreen | None) -> Display:
    # The same projector on another port is the same projector: where the
    # system names the monitor, the connector is left out.
    named = [part for part in (screen.manufacturer(), screen.model(), screen.serialNumber())
             if part]
    ident = "/".join(named) if screen.model() or screen.serialNumber() else screen.name()
    return Display(screen.name(), screen.geometry(), screen is primary, ident, screen,
                   screen.availableGeometry())


def qt_displays() -> list[Display]:
    primary = QGuiApplication.primaryScreen()
    return [display_of(s, primary) for s in QGuiApplication.screens()]


def put(widget: QWidget, display: Display, *, windowed: bool, size: QSize) -> None:
    """``widget`` full screen on ``display`` (or a window centred on it)."""
    screen = display.screen if display.screen in QGuiApplication.screens() else None
    if windowed:
        area = display.available or display.geometry
        if not widget.isVisible():
            # Room for the window frame and the taskbar on a small laptop.
            widget.resize(size.boundedTo(QSize(round(area.width() * 0.92),
                                               round(area.height() * 0.88))))
        if screen is not None:
            widget.setScreen(screen)
        frame = QRect(area.topLeft(), widget.size())
        frame.moveCenter(area.center())
        widget.move(frame.topLeft())
        widget.show()
        return
    if widget.isFullScreen() and widget.geometry() != display.geometry:
        # Window managers keep a full-screen window where it is: leave full
        # screen, move, and enter it again on the new screen.
        widget.showNormal()
    if screen is not None:
        widget.setScreen(screen)
    widget.setGeometry(display.geometry)
    widget.showFullScreen()


def target_screen(index: int | None) -> QScreen | None:
    """The screen ``--screen N`` names, or the primary one."""
    screens = QGuiApplication.screens()
    if index is not None:
        if 0 <= index < len(screens):
            return screens[index]
        log.warning("no screen %d (have %d); using the primary screen", index, len(screens))
    return QGuiApplication.primaryScreen()


def refit(window: QWidget, screen: QScreen | None = None) -> None:
    """Full screen again on ``screen`` (default: the window's, else the
    primary): after a screen went away, or changed resolution or rotation."""
    target = screen or window.screen() or QGuiApplication.primaryScreen()
    if target is None:
        return
    if window.screen() is not target:
        window.setScreen(target)
    window.setGeometry(target.geometry())
    window.showFullScreen()


class ScreenWatcher(QObject):
    """The real screens; ``changed`` once they have settled after a change."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.changed)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            for screen in QGuiApplication.screens():
                self._watch(screen)
            app.screenAdded.connect(self._on_added)
            app.screenRemoved.connect(lambda _screen: self._settle.start())
            app.primaryScreenChanged.connect(lambda _screen: self._settle.start())

    def _watch(self, screen: QScreen) -> None:
        screen.geometryChanged.connect(lambda _geometry: self._settle.start())

    def _on_added(self, screen: QScreen) -> None:
        self._watch(screen)
        self._settle.start()

    def displays(self) -> list[Display]:
        return qt_displays()


class ScreenFollower(QObject):
    """Keeps a full-screen window whole when the screens change under it: it
    moves to a remaining screen when its own went away, and is laid out again
    when its screen changed resolution or rotation."""

    def __init__(self, window: QWidget, watcher: ScreenWatcher) -> None:
        super().__init__(window)
        self._window = window
        watcher.changed.connect(self.follow)

    def follow(self) -> None:
        screens = QGuiApplication.screens()
        if not screens:
            return
        own = self._window.screen()
        if own in screens:
            assert own is not None
            log.info("screens changed; laying out again on %s (%s)", own.name(), own.geometry())
            refit(self._window, own)
            return
        primary = QGuiApplication.primaryScreen()
        target = primary if primary in screens else screens[0]
        log.warning("the window's screen went away; moving to %s", target.name())
        refit(self._window, target)
