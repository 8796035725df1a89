"""Named actions: the only way input reaches the navigator and the views.

Keys, touch, mouse, on-screen buttons (and, later, a presenter console or a
remote) all request an action by name; one registry runs it. Bindings live in
``controllers.keyboard.keymap()``, apart from the actions themselves.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("taixin_kiosk.actions")


class Action(enum.StrEnum):
    NEXT = "nav.next"
    PREVIOUS = "nav.previous"
    FIRST = "nav.first"
    LAST = "nav.last"
    GOTO = "nav.goto"  # argument: zero-based slide index, or None for the overview's choice
    LANGUAGE = "lang.toggle"
    OVERVIEW = "view.overview"
    OVERVIEW_MOVE = "overview.move"  # argument: (dx, dy) in grid cells
    FULLSCREEN = "view.fullscreen"
    BLACK = "view.black"  # the audience sees black (toggles)
    WHITE = "view.white"  # the audience sees white (toggles)
    FREEZE = "view.freeze"  # the audience keeps the picture it has (toggles)
    SUBTITLES = "view.subtitles"  # the other language under titles and key sentences (toggles)
    TOUR = "show.tour"  # argument: a tour id, or None for every slide
    CONSOLE = "presenter.console"  # the presenter console: shown or hidden (toggles)
    SWAP = "presenter.swap"  # audience and console trade screens
    TIMER_RESET = "presenter.timer.reset"
    TIMER_PAUSE = "presenter.timer.pause"  # (toggles)
    NOTES_LANGUAGE = "presenter.notes_language"  # argument: a locale, or None for the next
    ACCESS = "access.panel"  # the accessibility buttons: shown or hidden (toggles)
    LARGE_TEXT = "access.large_text"  # (toggles)
    CONTRAST = "access.contrast"  # the high-contrast theme (toggles)
    MOTION = "access.motion"  # reduced motion (toggles)
    REACH = "access.reach"  # low reach: every control in the lower part (toggles)
    ESCAPE = "view.escape"
    QUIT = "app.quit"  # a presentation asks first; a kiosk ignores it
    END = "app.end"  # ends a presentation without asking (the console's confirmed end)


Handler = Callable[[object], object]


class ActionRegistry(QObject):
    """Maps action names to handlers and announces every action it runs."""

    triggered = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._handlers: dict[Action, Handler] = {}

    def register(self, action: Action, handler: Handler) -> Handler | None:
        """Sets the handler; returns the one it replaces, so a mode that
        takes an action over can give it back."""
        previous = self._handlers.get(action)
        self._handlers[action] = handler
        return previous

    def unregister(self, action: Action) -> None:
        self._handlers.pop(action, None)

    def trigger(self, action: Action, argument: object = None) -> bool:
        handler = self._handlers.get(action)
        if handler is None:
            log.warning("no handler for action %s", action)
            return False
        log.debug("action %s %r", action.value, argument)
        handler(argument)
        self.triggered.emit(action.value, argument)
        return True
