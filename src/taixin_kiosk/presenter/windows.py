"""Where the presenter's two windows go: the slides on one screen, the
console on the other, and whether the console shows at all.

Placed again whenever a screen comes or goes (``ui.screens.ScreenWatcher``),
each set of screens with its own remembered swap (``presenter.placement``).
On one screen the console is a layer over the slides that the speaker opens
and closes; on two it always shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from taixin_kiosk.presenter.placement import (
    WINDOWED_AUDIENCE,
    WINDOWED_CONSOLE,
    Placement,
    ScreenMemory,
    plan,
    screen_set_key,
)
from taixin_kiosk.ui.screens import ScreenWatcher, put

if TYPE_CHECKING:
    from taixin_kiosk.core.session import Audience, Session
    from taixin_kiosk.presenter.console import PresenterConsole

log = logging.getLogger("taixin_kiosk.presenter")


class PresenterWindows(QObject):
    """Places the audience window and the console on the screens there are."""

    def __init__(self, session: Session, audience: Audience, console: PresenterConsole,
                 screens: ScreenWatcher, memory: ScreenMemory, *,
                 asking: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.audience = audience
        self.console = console
        self.screens = screens
        self.memory = memory
        self.placement: Placement | None = None
        self.swapped = False
        # On one screen: the speaker opened the console over the slides.
        self.console_open = False
        self.closed = False
        # "End the presentation?" is asked on the console, open or not.
        self._asking = asking
        # --swap is for the first time two screens are there (perhaps only
        # once the projector is plugged in); one screen has nothing to swap.
        self._swap_asked = session.settings.swap
        screens.changed.connect(self.place)

    def start(self) -> None:
        """The first placement, swapped if these screens were last time."""
        displays = self.screens.displays()
        if displays:
            self.swapped = bool(self.memory.swapped(screen_set_key(displays)))
        self.place()

    @property
    def single_screen(self) -> bool:
        return self.placement is None or self.placement.console is None

    def place(self) -> None:
        """Both windows onto their screens, as the screens are now."""
        displays = self.screens.displays()
        if not displays:
            return
        if self.closed:
            return
        before = self.placement
        if before is not None:
            # Each set of screens has its own choice; one never seen, the default.
            self.swapped = bool(self.memory.swapped(screen_set_key(displays)))
        if self._swap_asked and len(displays) > 1:
            self._swap_asked = False
            self.swapped = True
            self.memory.remember(screen_set_key(displays), True)
        placement = plan(displays, swapped=self.swapped, audience=self.session.settings.screen)
        self.placement = placement
        window = self.audience.widget()
        if before is None or before.audience.geometry != placement.audience.geometry \
                or not window.isVisible():
            log.info("audience on %s; console on %s", placement.audience.name,
                     placement.console.name if placement.console else "P over the slides")
            put(window, placement.audience, windowed=self.session.settings.windowed,
                size=WINDOWED_AUDIENCE)
        if before is None or (before.console is None) != (placement.console is None):
            # A projector came or went: a second screen shows the console
            # at once; on one screen the slides come first.
            self.console_open = placement.console is not None
        self.console.set_single_screen(placement.console is None)
        self.show_console()

    def show_console(self) -> None:
        """The console where it belongs, or hidden when nothing wants it."""
        placement = self.placement
        if placement is None or self.closed:
            return
        if not (self.console_open or self._asking()):
            if self.console.isVisible():
                self.console.hide()
                self.audience.widget().activateWindow()
            return
        target = placement.console or placement.audience
        put(self.console, target, windowed=self.session.settings.windowed,
            size=WINDOWED_CONSOLE)
        self.console.raise_()
        self.console.activateWindow()

    def open_console(self) -> None:
        self.console_open = True
        self.show_console()

    def toggle_console(self) -> None:
        """One screen: the console over the slides, or the slides again. Two
        screens: the console to the front (hiding it would show the desktop,
        perhaps to the audience)."""
        if not self.single_screen:
            self.console_open = True
        else:
            self.console_open = not self.console_open
        self.show_console()

    def to_front(self) -> None:
        """Another launch asked for the app: the slides, then the console
        over them when it is open, each where it belongs."""
        window = self.audience.widget()
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()
        self.show_console()

    def swap(self) -> None:
        if self.single_screen:
            log.info("one screen: nothing to swap")
            return
        self.swapped = not self.swapped
        displays = self.screens.displays()
        self.memory.remember(screen_set_key(displays), self.swapped)
        self.placement = None  # both windows move
        self.place()

    def close(self) -> None:
        """Places nothing any more: the talk is over."""
        self.closed = True
        self.screens.changed.disconnect(self.place)
