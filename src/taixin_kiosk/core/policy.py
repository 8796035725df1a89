"""What every action does in each kind of show: the one place that answers
"what does Esc do in a talk, in a kiosk, in a presentation?".

An action (``core.actions.Action``) is what someone asked for: a key, a tap, a
button, a clicker. A step is what the app can do; whoever owns a step
registers a handler for it by name (the session its navigation and settings,
the audience window its screen and covers, the presenter its console). The
policy below lists, per kind of show, the steps an action tries in order: the
first one whose handler applies does it (a handler returns False when it did
not apply, such as "close the overview" with no overview open). An action
with no steps does nothing in that kind of show.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

from taixin_kiosk.core.actions import Action


class ShowKind(enum.Enum):
    # A window someone sits at: every key works, Esc leaves full screen.
    PRESENTATION = "presentation"
    # Unattended and locked: no way out but the staff panel.
    KIOSK = "kiosk"
    # Presenter mode: the slides on the projector, the console with the presenter.
    TALK = "talk"

    @classmethod
    def of(cls, *, kiosk: bool, present: bool) -> ShowKind:
        if kiosk:
            return cls.KIOSK
        return cls.TALK if present else cls.PRESENTATION


class Step(enum.StrEnum):
    # The session's (core.session).
    NEXT = "next"
    PREVIOUS = "previous"
    FIRST = "first"
    LAST = "last"
    GOTO = "goto"  # argument: a slide index, or None for the overview's choice
    LANGUAGE = "language"
    SUBTITLES = "subtitles"
    TOUR = "tour"  # argument: a tour id, or None for every slide
    OVERVIEW = "overview"  # open or close it
    CLOSE_OVERVIEW = "close_overview"  # applies only while it is open
    LARGE_TEXT = "large_text"
    CONTRAST = "contrast"
    MOTION = "motion"
    REACH = "reach"
    # The audience window's (ui.window).
    OVERVIEW_MOVE = "overview_move"  # argument: (dx, dy) in grid cells
    FULL_SCREEN = "full_screen"  # in or out of it
    LEAVE_FULL_SCREEN = "leave_full_screen"  # applies only in full screen
    CLOSE_WINDOW = "close_window"
    BLACK = "black"
    WHITE = "white"
    FREEZE = "freeze"
    ACCESS_STRIP = "access_strip"
    # The presenter's (presenter.mode).
    CONSOLE = "console"
    SWAP = "swap"
    TIMER_RESET = "timer_reset"
    TIMER_PAUSE = "timer_pause"
    NOTES_LANGUAGE = "notes_language"  # argument: a locale, or None for the next
    CLOSE_CHOOSER = "close_chooser"  # applies only while the tour chooser is open
    ASK_TO_END = "ask_to_end"
    END = "end"


Steps = tuple[Step, ...]

# The steps whose handler gets the action's argument; every other handler is
# called with none (so a handler is simply a named method: Navigator.next).
TAKES_ARGUMENT: frozenset[Step] = frozenset({Step.GOTO, Step.TOUR, Step.OVERVIEW_MOVE,
                                             Step.NOTES_LANGUAGE})

# The same in every kind of show: moving through the slides, the language,
# the overview and the accessibility settings.
_EVERY_SHOW: dict[Action, Steps] = {
    Action.NEXT: (Step.NEXT,),
    Action.PREVIOUS: (Step.PREVIOUS,),
    Action.FIRST: (Step.FIRST,),
    Action.LAST: (Step.LAST,),
    Action.GOTO: (Step.GOTO,),
    Action.LANGUAGE: (Step.LANGUAGE,),
    Action.SUBTITLES: (Step.SUBTITLES,),
    Action.TOUR: (Step.TOUR,),
    Action.OVERVIEW: (Step.OVERVIEW,),
    Action.OVERVIEW_MOVE: (Step.OVERVIEW_MOVE,),
    Action.LARGE_TEXT: (Step.LARGE_TEXT,),
    Action.CONTRAST: (Step.CONTRAST,),
    Action.MOTION: (Step.MOTION,),
    Action.REACH: (Step.REACH,),
}

# What the audience sees over the slides; a presenter's keys, never a visitor's.
_COVERS: dict[Action, Steps] = {
    Action.BLACK: (Step.BLACK,),
    Action.WHITE: (Step.WHITE,),
    Action.FREEZE: (Step.FREEZE,),
}

POLICY: Mapping[ShowKind, Mapping[Action, Steps]] = MappingProxyType({
    ShowKind.PRESENTATION: MappingProxyType({
        **_EVERY_SHOW, **_COVERS,
        Action.ESCAPE: (Step.CLOSE_OVERVIEW, Step.LEAVE_FULL_SCREEN),
        Action.QUIT: (Step.CLOSE_WINDOW,),
        Action.FULLSCREEN: (Step.FULL_SCREEN,),
        Action.ACCESS: (Step.ACCESS_STRIP,),
    }),
    # A kiosk's visitors must not blank the screen, leave full screen or end
    # the app: Esc only closes the overview.
    ShowKind.KIOSK: MappingProxyType({
        **_EVERY_SHOW,
        Action.ESCAPE: (Step.CLOSE_OVERVIEW,),
        Action.ACCESS: (Step.ACCESS_STRIP,),
    }),
    # A talk never ends by accident: Esc and Ctrl+Q ask on the console (with
    # no console, as when it has closed, Ctrl+Q closes as in a presentation).
    # The windows' places are the presenter's to keep, and the audience sees
    # only the slides: no access strip on the projector (T, C, M and R still
    # change what it sees).
    ShowKind.TALK: MappingProxyType({
        **_EVERY_SHOW, **_COVERS,
        Action.ESCAPE: (Step.CLOSE_CHOOSER, Step.CLOSE_OVERVIEW, Step.ASK_TO_END),
        Action.QUIT: (Step.ASK_TO_END, Step.CLOSE_WINDOW),
        Action.CONSOLE: (Step.CONSOLE,),
        Action.SWAP: (Step.SWAP,),
        Action.TIMER_RESET: (Step.TIMER_RESET,),
        Action.TIMER_PAUSE: (Step.TIMER_PAUSE,),
        Action.NOTES_LANGUAGE: (Step.NOTES_LANGUAGE,),
        Action.END: (Step.END,),
    }),
})

# The window system's close (its button, Alt+F4): a presentation closes, a
# kiosk refuses, a talk asks first (Action.QUIT).
CloseRequest = Literal["close", "refuse", "ask"]
ON_CLOSE_REQUEST: Mapping[ShowKind, CloseRequest] = MappingProxyType({
    ShowKind.PRESENTATION: "close",
    ShowKind.KIOSK: "refuse",
    ShowKind.TALK: "ask",
})
