"""Named actions: the only way input reaches the navigator and the views.

Keys, touch, mouse, on-screen buttons, the presenter's console (and, later, a
remote) all request an action by name; one registry runs it through the
show's policy (``core.policy``: which steps an action takes in a kiosk, a
talk or a presentation). Key bindings live in ``input.keyboard.keymap()``.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from taixin_kiosk.core.policy import Step

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


# A step's handler: a named function, called with the action's argument for the
# steps that take one (core.policy.TAKES_ARGUMENT), else with none. It returns
# False when the step did not apply (the action's next step is then tried),
# anything else when it did.
Handler = Callable[..., object]


class ActionRegistry(QObject):
    """Runs actions through the show's policy and announces every action that
    did something (``triggered``: the action's name and argument)."""

    triggered = Signal(str, object)

    def __init__(self, policy: Mapping[Action, tuple[Step, ...]],
                 takes_argument: frozenset[Step], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._policy = policy
        self._takes_argument = takes_argument
        self._handlers: dict[Step, Handler] = {}

    def register(self, step: Step, handler: Handler) -> None:
        """Makes ``handler`` do ``step``; a step has one owner at a time."""
        if step in self._handlers:
            raise ValueError(f"step {step} already has a handler")
        self._handlers[step] = handler

    def register_all(self, handlers: Mapping[Step, Handler]) -> None:
        for step, handler in handlers.items():
            self.register(step, handler)

    def unregister(self, step: Step) -> None:
        self._handlers.pop(step, None)

    def has(self, step: Step) -> bool:
        """Whether someone does ``step`` now."""
        return step in self._handlers

    def steps(self, action: Action) -> tuple[Step, ...]:
        """What ``action`` tries, in order, in this show."""
        return self._policy.get(action, ())

    def trigger(self, action: Action, argument: object = None) -> bool:
        """Runs the first step of ``action`` that applies; True if any step
        had a handler (the action meant something in this show)."""
        ran = False
        for step in self.steps(action):
            handler = self._handlers.get(step)
            if handler is None:
                continue
            ran = True
            log.debug("action %s %r: %s", action.value, argument, step.value)
            done = handler(argument) if step in self._takes_argument else handler()
            if done is not False:
                break
        if ran:
            self.triggered.emit(action.value, argument)
        else:
            log.debug("action %s does nothing in this show", action.value)
        return ran
