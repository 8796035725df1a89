"""The session: one show, as the modes, export and the self-test see it.

A ``Session`` holds what is shown and how, without the widgets that show it:
the settings, the content, the slide (navigator), the language (localizer),
the modes, the accessibility settings and the actions with their policy. It
does the steps that need no widget (next, language, overview, large text ...)
and says what changed through its parts' signals.

The audience window is reached through ``Audience``, a short list of what
the modes may ask of it. Kiosk mode, presenter mode, export and the
self-test get a session (and the few input objects they need) from the
composition root, never the window's widgets.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

from taixin_kiosk.config.settings import Settings
from taixin_kiosk.content.choice import ContentChoice, choose_for
from taixin_kiosk.content.deck import Tour
from taixin_kiosk.core.access import Access, AccessState
from taixin_kiosk.core.actions import Action, ActionRegistry, Handler
from taixin_kiosk.core.language import Localizer
from taixin_kiosk.core.modes import Mode, ModeManager
from taixin_kiosk.core.navigator import Navigator
from taixin_kiosk.core.policy import ON_CLOSE_REQUEST, POLICY, TAKES_ARGUMENT, ShowKind, Step

if TYPE_CHECKING:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QWidget

log = logging.getLogger("taixin_kiosk.app")


class Audience(Protocol):
    """What the modes, export and the self-test may ask of the audience
    window (``ui.window.MainWindow``); nothing else of it is theirs."""

    def widget(self) -> QWidget:
        """The window itself: to place it on a screen, to hold staff screens."""
        ...

    def font_family(self) -> str: ...

    def cover(self) -> str:
        """What covers the slides: "none", "black", "white" or "frozen"."""
        ...

    def overview_choice(self) -> int:
        """The slide chosen in the overview."""
        ...

    def low_reach_in_effect(self) -> bool: ...

    def slide_picture(self, index: int, size: QSize) -> QImage:
        """Slide ``index`` as the audience sees it, at ``size`` (previews)."""
        ...

    def show_access_strip(self, on: bool) -> None: ...

    def keys_to_slides(self) -> None:
        """No control keeps the keyboard focus: keys mean slides again."""
        ...

    def set_viewing(self, seated: bool, theme: str | None = None) -> None:
        """Whether the slides are for a seated audience (presenter mode,
        export): no touch hints, nothing moved within reach; and ``theme``
        (a ``ui.theme.THEMES`` name), if given, over the accessibility settings'."""
        ...

    def lay_out_offscreen(self, width: int, height: int, *, chrome: bool = True) -> None:
        """Lays the window out at a fixed size without showing it (export);
        without ``chrome`` the slides fill it, with no controls."""
        ...

    def finish_slide(self) -> None:
        """The current slide complete (its chart built) and painted."""
        ...

    def slide_size(self) -> QSize:
        """The slides' own size, without the controls."""
        ...

    def paint_into(self, painter: QPainter, *, slides_only: bool = False) -> None:
        """Paints the window (or only the slide) at the painter's origin."""
        ...

    def slide_problems(self) -> list[str]:
        """What is wrong on the slide shown: text that does not fit, a picture
        that did not load, a chart not built, a blank screen."""
        ...

    def chart_count(self) -> int:
        """How many charts have been built."""
        ...


class Session(QObject):
    """One show: settings, content, slide, language, modes, accessibility,
    actions; and what the audience window reports to whoever mirrors it."""

    # The audience window reports these (the composition root connects them).
    slide_touched = Signal()  # a tap changed what the slide shows (a value, an area)
    pictures_loaded = Signal()  # pictures finished decoding: previews may be redrawn
    audience_resized = Signal(float)  # the slides' width over their height
    # New content, shown from its cover (before the navigator starts again).
    content_changed = Signal(object)  # ContentChoice
    digits_changed = Signal(str)  # a slide number being typed
    # Another window whose keys drive the show (the presenter's console).
    key_window_added = Signal(object)  # QWidget
    ending = Signal(int)  # the show ends with this exit code: its windows close

    def __init__(self, settings: Settings, content: ContentChoice, access: Access,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.kind = ShowKind.of(kiosk=settings.kiosk, present=settings.present)
        self.content = content
        pack = content.pack
        self.navigator = Navigator(len(pack.deck.slides), self)
        self.modes = ModeManager(self)
        self.localizer = Localizer(pack, settings.locale, self)
        self.actions = ActionRegistry(POLICY[self.kind], TAKES_ARGUMENT, self)
        self.access = AccessState(access, self)
        # Set by the composition root once the window exists.
        self.audience: Audience | None = None
        self.key_windows: list[QObject] = []
        self._ending = False
        self.actions.register_all(self._steps())
        tour = pack.deck.tour(settings.tour) if settings.tour else None
        if tour is not None:
            # Before the first slide is shown: the tour may start elsewhere.
            self.navigator.set_route(tuple(stop.slide for stop in tour.stops))

    def _steps(self) -> dict[Step, Handler]:
        return {
            Step.NEXT: self.navigator.next,
            Step.PREVIOUS: self.navigator.previous,
            Step.FIRST: self.navigator.first,
            Step.LAST: self.navigator.last,
            Step.GOTO: self.go_to,
            Step.LANGUAGE: self.localizer.cycle,
            Step.SUBTITLES: self.localizer.toggle_subtitles,
            Step.TOUR: self.set_tour,
            Step.OVERVIEW: self.toggle_overview,
            Step.CLOSE_OVERVIEW: self.close_overview,
            Step.LARGE_TEXT: self.access.toggle_large_text,
            Step.CONTRAST: self.access.toggle_contrast,
            Step.MOTION: self.access.toggle_motion,
            Step.REACH: self.toggle_reach,
        }

    # -- steps ------------------------------------------------------------------

    def go_to(self, argument: object) -> None:
        """To slide ``argument`` (or the overview's choice when None), out of the overview."""
        if argument is None and self.audience is not None:
            argument = self.audience.overview_choice()
        if isinstance(argument, int):
            self.navigator.go(argument)
        self.modes.leave(Mode.OVERVIEW)

    def toggle_overview(self) -> None:
        if self.modes.mode is Mode.OVERVIEW:
            self.modes.leave(Mode.OVERVIEW)
        else:
            self.modes.enter(Mode.OVERVIEW)

    def close_overview(self) -> bool:
        if self.modes.mode is not Mode.OVERVIEW:
            return False
        self.modes.leave(Mode.OVERVIEW)
        return True

    def toggle_reach(self) -> None:
        """Low reach the other way from what is in effect (it may be automatic)."""
        in_effect = self.audience.low_reach_in_effect() if self.audience is not None \
            else bool(self.access.current.low_reach)
        self.access.toggle_reach(in_effect)

    # -- tours --------------------------------------------------------------------

    def current_tour(self) -> Tour | None:
        """The tour being followed, or None when every slide is."""
        if not self.settings.tour or not self.navigator.route:
            return None
        return self.content.pack.deck.tour(self.settings.tour)

    def set_tour(self, tour_id: object) -> None:
        """Follows a tour of the deck from its first stop, or every slide (None)."""
        tour = self.content.pack.deck.tour(tour_id) if isinstance(tour_id, str) else None
        if tour_id is not None and tour is None:
            log.warning("no tour %r in this content", tour_id)
            return
        following = self.current_tour()
        if (tour.id if tour is not None else None) == (following.id if following else None):
            return  # the route already followed: carry on where the talk is
        self.settings = self.settings._replace(tour=tour.id if tour is not None else None)
        self.navigator.set_route(tuple(stop.slide for stop in tour.stops) if tour else ())

    # -- content ------------------------------------------------------------------

    def apply_content(self, choice: ContentChoice) -> None:
        """Shows another pack, from its first slide (the tour followed, if
        the new content has it too)."""
        pack = choice.pack
        self.content = choice
        # The window drops the old slides first: nothing may draw the old
        # pack in the new language or at the new slide count.
        self.content_changed.emit(choice)
        self.localizer.set_pack(pack)
        self.navigator.reset(len(pack.deck.slides))
        tour = pack.deck.tour(self.settings.tour) if self.settings.tour else None
        if tour is not None:  # the new content's version of the same tour
            self.navigator.set_route(tuple(stop.slide for stop in tour.stops))
        log.info("content: %s %s from %s", pack.deck.id, pack.deck.version, pack.root)

    def reload_content(self) -> bool:
        """Finds the content again as at start-up (an installed pack may have
        changed) and shows it from its cover. True if the wanted pack is
        shown, False if the built-in one stands in for it."""
        try:
            choice = choose_for(self.settings.content)
        except Exception:  # the built-in pack broke under us: keep what is shown
            log.exception("content reload failed; the current content stays")
            return False
        self.apply_content(choice)
        return not choice.problems

    # -- keys from other windows ----------------------------------------------------

    def add_key_window(self, window: QObject) -> None:
        """Keys pressed in ``window`` drive the show too (the presenter's console)."""
        if window not in self.key_windows:
            self.key_windows.append(window)
            self.key_window_added.emit(window)

    # -- ending -------------------------------------------------------------------------

    def may_close(self) -> bool:
        """The window system asks to close the audience window (its close
        button, Alt+F4): a presentation closes, a kiosk refuses, a talk asks
        on the console first (``core.policy.ON_CLOSE_REQUEST``)."""
        if self._ending:
            return True
        rule = ON_CLOSE_REQUEST[self.kind]
        if rule == "ask" and self.actions.has(Step.ASK_TO_END):
            self.actions.trigger(Action.QUIT)
            return False
        return rule != "refuse"

    def end(self, code: int = 0) -> None:
        """Ends the show: its windows close, and the app with them."""
        self._ending = True
        self.ending.emit(code)

    def allow_close(self) -> None:
        """The app is shutting down: windows may close without a question."""
        self._ending = True
