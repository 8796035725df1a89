"""Presenter mode: the audience window on the projector, the console on the laptop.

The console reads state snapshots (``core.show.Show``) and sends named
actions, like any other input; the mode reaches the app only through the
session (``core.session``). It places the two windows on the screens (and
again whenever a screen comes or goes, ``presenter.placement``), keeps the
talk's clock, and makes sure a talk never ends by accident: Esc, Ctrl+Q and
closing a window ask first (``core.policy``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTime, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from taixin_kiosk.core.actions import Action, Handler
from taixin_kiosk.core.modes import Mode
from taixin_kiosk.core.policy import Step
from taixin_kiosk.core.show import Show, ShowState
from taixin_kiosk.input.corner import CornerHold
from taixin_kiosk.presenter.console import PresenterConsole
from taixin_kiosk.presenter.pacing import TalkClock, clock_text, even_plan, pace
from taixin_kiosk.presenter.placement import (
    MEMORY_FILE,
    WINDOWED_AUDIENCE,
    WINDOWED_CONSOLE,
    Placement,
    ScreenMemory,
    plan,
    screen_set_key,
)
from taixin_kiosk.system.paths import app_paths
from taixin_kiosk.ui.screens import ScreenWatcher, put

if TYPE_CHECKING:
    from taixin_kiosk.core.session import Audience, Session

log = logging.getLogger("taixin_kiosk.presenter")


class PresenterMode(QObject):
    """Builds the console and keeps the two windows, the clock and the
    question "end the presentation?" in step with the show."""

    def __init__(self, session: Session, *, screens: ScreenWatcher | None = None,
                 memory: ScreenMemory | None = None,
                 now: Callable[[], float] = time.monotonic) -> None:
        audience = session.audience
        assert audience is not None, "the audience window comes first"
        super().__init__(audience.widget())
        self.session = session
        self.audience: Audience = audience
        settings = session.settings
        pack = session.content.pack
        locales = pack.locales
        self.notes_locale = settings.notes_locale if settings.notes_locale in locales \
            else pack.deck.default_locale
        self.clock = TalkClock(now)
        # Before the show's snapshots: a snapshot's clock must already count
        # the slide change it reports.
        session.navigator.slide_changed.connect(self._on_slide_changed)
        self.show = Show(session, self)
        self.console = PresenterConsole(audience.font_family(), audience.slide_picture,
                                        session.localizer, lambda: self.notes_locale,
                                        session.access)
        self.screens = screens or ScreenWatcher(self)
        self.memory = memory or ScreenMemory(app_paths().state_dir / MEMORY_FILE)
        self.placement: Placement | None = None
        self.swapped = False
        self.console_open = False
        self.asking = False
        self._mode_before: Mode = Mode.INTERACTIVE
        self._closed = False
        # Notes scroll back to the top only for another slide or language.
        self._notes_for: tuple[int, str] | None = None
        self._route = session.navigator.route

        console = self.console
        console.requested.connect(self._on_console_requested)
        console.tours_wanted.connect(self.offer_tours)
        console.close_requested.connect(self.ask_to_end)
        self.show.changed.connect(self._on_state)
        session.actions.triggered.connect(self._on_action)
        session.actions.register_all(self._steps())
        # The console's keys drive the show too; typed digits show on it.
        session.add_key_window(console)
        session.digits_changed.connect(self._on_digits)
        session.ending.connect(self._on_ending)
        # A touch-only laptop without a keyboard: holding the corner of the
        # slides (as staff do on a kiosk) opens the console, which can end the talk.
        self.corner = CornerHold(audience.widget(), settings.staff_corner,
                                 settings.staff_hold_seconds, self)
        self.corner.triggered.connect(self.toggle_console)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.corner.bind(app)
        self._tick = QTimer(self)
        self._tick.setInterval(500)
        self._tick.timeout.connect(self.update_clock)
        self._tick.start()
        self.screens.changed.connect(self.place)
        # Previews keep the audience stage's shape, and show pictures that
        # finish decoding after they were first drawn.
        session.audience_resized.connect(self.console.set_ratio)
        # Pictures decode in a burst at start: redraw the thumbnails once after it.
        self._repaint_pictures = QTimer(self)
        self._repaint_pictures.setSingleShot(True)
        self._repaint_pictures.setInterval(250)
        self._repaint_pictures.timeout.connect(self._pictures_settled)
        session.pictures_loaded.connect(self._pictures_loaded)
        # A tap on a chart or the map changes the slide in place.
        session.slide_touched.connect(self._slide_touched)
        # Large text or high contrast changes how every slide looks.
        session.access.changed.connect(self._look_changed)

        size = audience.slide_size()
        if size.width() > 0 and size.height() > 0:
            self.console.set_ratio(size.width() / size.height())
        self.retranslate()
        # --swap is for the first time two screens are there (perhaps only
        # once the projector is plugged in); one screen has nothing to swap.
        self._swap_asked = settings.swap
        displays = self.screens.displays()
        if displays:
            self.swapped = bool(self.memory.swapped(screen_set_key(displays)))
        self.place()
        self._on_state(self.show.state)

    def _steps(self) -> dict[Step, Handler]:
        """What the presenter does of the talk's actions (``core.policy``)."""
        return {
            Step.CONSOLE: lambda _: self.toggle_console(),
            Step.SWAP: lambda _: self.swap(),
            Step.TIMER_RESET: lambda _: self._reset_clock(),
            Step.TIMER_PAUSE: lambda _: self._pause_clock(),
            Step.NOTES_LANGUAGE: self.set_notes_locale,
            Step.CLOSE_CHOOSER: self._close_chooser,
            Step.ASK_TO_END: lambda _: self.ask_to_end(),
            Step.END: lambda _: self.end(),
        }

    # -- screens ------------------------------------------------------------

    @property
    def single_screen(self) -> bool:
        return self.placement is None or self.placement.console is None

    def place(self) -> None:
        """Both windows onto their screens, as the screens are now."""
        displays = self.screens.displays()
        if not displays:
            return
        if self._closed:
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
        windowed = self.session.settings.windowed
        window = self.audience.widget()
        if before is None or before.audience.geometry != placement.audience.geometry \
                or not window.isVisible():
            log.info("audience on %s; console on %s", placement.audience.name,
                     placement.console.name if placement.console else "P over the slides")
            put(window, placement.audience, windowed=windowed, size=WINDOWED_AUDIENCE)
        if before is None or (before.console is None) != (placement.console is None):
            # A projector came or went: a second screen shows the console
            # at once; on one screen the slides come first.
            self.console_open = placement.console is not None
        self.console.set_single_screen(placement.console is None)
        self._show_console()

    def _show_console(self) -> None:
        placement = self.placement
        if placement is None or self._closed:
            return
        if not (self.console_open or self.asking):
            if self.console.isVisible():
                self.console.hide()
                self.audience.widget().activateWindow()
            return
        target = placement.console or placement.audience
        put(self.console, target, windowed=self.session.settings.windowed,
            size=WINDOWED_CONSOLE)
        self.console.raise_()
        self.console.activateWindow()

    def toggle_console(self) -> None:
        """One screen: the console over the slides, or the slides again. Two
        screens: the console to the front (hiding it would show the desktop,
        perhaps to the audience)."""
        if not self.single_screen:
            self.console_open = True
        else:
            self.console_open = not self.console_open
        self._show_console()

    def to_front(self) -> None:
        """Another launch asked for the app: the slides, then the console
        over them when it is open, each where it belongs."""
        window = self.audience.widget()
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()
        self._show_console()

    def swap(self) -> None:
        if self.single_screen:
            log.info("one screen: nothing to swap")
            return
        self.swapped = not self.swapped
        displays = self.screens.displays()
        self.memory.remember(screen_set_key(displays), self.swapped)
        self.placement = None  # both windows move
        self.place()

    # -- the show -------------------------------------------------------------

    def _on_console_requested(self, action: object, argument: object) -> None:
        if isinstance(action, Action):
            self.session.actions.trigger(action, argument)

    def _on_action(self, name: str, _argument: object) -> None:
        route = self.session.navigator.route
        if name == Action.TOUR.value and route != self._route:
            # Another route is another talk: its clock starts again.
            self._route = route
            self.clock.reset()
            self.update_clock()

    def _on_state(self, state: ShowState) -> None:
        if self._closed:
            return
        self.console.apply(state)
        slides = self.session.content.pack.deck.slides
        if (state.slide, self.notes_locale) != self._notes_for and 0 <= state.slide < len(slides):
            self._notes_for = (state.slide, self.notes_locale)
            self.console.set_notes(self.session.localizer.text_in(
                self.notes_locale, slides[state.slide].notes))
        self.update_clock()

    def _on_slide_changed(self, _old: int, _new: int) -> None:
        self.clock.slide_changed()

    def _look_changed(self, _access: object) -> None:
        # The previews and the strip show the audience's slides as they now look.
        if not self._closed:
            self.console.refresh_previews()
            self.console.strip.invalidate()

    def _on_digits(self, digits: str) -> None:
        self.console.set_jump(self._text("presenter.jump", number=digits) if digits else "")

    def _text(self, key: str, /, **params: object) -> str:
        """The console's words, in the presenter's language."""
        return self.session.localizer.own_text(key, self.notes_locale, **params)

    def language_name(self, locale: str) -> str:
        return self.session.localizer.text_in(locale, "meta.language_name")

    def retranslate(self) -> None:
        self.console.retranslate()
        self._on_state(self.show.state)

    def set_notes_locale(self, argument: object = None) -> None:
        locales = self.session.localizer.locales
        if isinstance(argument, str) and argument in locales:
            self.notes_locale = argument
        else:
            self.notes_locale = locales[(locales.index(self.notes_locale) + 1) % len(locales)] \
                if self.notes_locale in locales else locales[0]
        self.retranslate()

    # -- time -------------------------------------------------------------------

    def pacing_plan(self) -> tuple[tuple[float, ...], int]:
        """The target seconds of each stop, and the stop reached."""
        session = self.session
        navigator = session.navigator
        tour = session.current_tour()
        if tour is not None:
            return tuple(float(stop.seconds) for stop in tour.stops), navigator.route_position
        return even_plan(session.settings.talk_minutes * 60.0, navigator.count), navigator.index

    def tour_title(self) -> str:
        tour = self.session.current_tour()
        if tour is None:
            return self._text("presenter.tour.all")
        return self.session.localizer.text_in(self.notes_locale, tour.title)

    def update_clock(self) -> None:
        if self._closed:
            return
        stops, position = self.pacing_plan()
        clock = self.clock
        report = pace(stops, position, clock.elapsed(), stop_elapsed=clock.stop_elapsed(),
                      started=clock.started)
        self.console.set_clock(report, started=clock.started, paused=clock.paused,
                               wall=QTime.currentTime().toString("HH:mm"),
                               tour=self.tour_title(),
                               notes_language=self.language_name(self.notes_locale))

    def _reset_clock(self) -> None:
        self.clock.reset()
        self.update_clock()

    def _pause_clock(self) -> None:
        self.clock.toggle_pause()
        self.update_clock()

    def offer_tours(self) -> None:
        session = self.session
        deck = session.content.pack.deck
        minutes = session.settings.talk_minutes
        choices: list[tuple[str, object]] = [(self._text(
            "presenter.tour.all_item", stops=len(deck.slides),
            time=clock_text(minutes * 60.0)), None)]
        for tour in deck.tours:
            choices.append((self._text(
                "presenter.tour.item", tour=session.localizer.text_in(self.notes_locale,
                                                                    tour.title),
                stops=len(tour.stops), time=clock_text(tour.seconds)), tour.id))
        following = session.current_tour()
        current = following.id if following is not None else None
        self.console_open = True
        self._show_console()
        self.console.choose_tour(choices, current)

    # -- ending -------------------------------------------------------------

    def _close_chooser(self, _argument: object) -> bool:
        """Esc with the tour chooser open closes it (and nothing else)."""
        if not self.console.chooser.isVisible():
            return False
        self.console.chooser.hide()
        return True

    def ask_to_end(self) -> None:
        """Esc, Ctrl+Q, the End button or a window's close: asked on the
        console (opened over the slides for it when there is one screen)."""
        if self.asking:
            return
        self.asking = True
        self._mode_before = self.session.modes.mode
        self.session.modes.enter(Mode.ASKING)
        self._show_console()
        self.console.ask_to_end()
        self.console.question.answered.connect(self.answer,
                                               Qt.ConnectionType.SingleShotConnection)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def answer(self, end: bool) -> None:
        if not self.asking:
            return
        self.asking = False
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.console.question.hide()
        self.session.modes.enter(self._mode_before)
        if end:
            self.end()
            return
        # Back to how it was (the screens may have changed while asking).
        self._show_console()

    def _pictures_loaded(self, _path: str = "") -> None:
        if not self._closed:
            self._repaint_pictures.start()

    def _slide_touched(self) -> None:
        # After the chart or map has redrawn itself.
        QTimer.singleShot(60, self, self._refresh_current)

    def _refresh_current(self) -> None:
        if not self._closed:
            self.console.current.invalidate()

    def _pictures_settled(self) -> None:
        if self._closed:
            return
        self.console.refresh_previews()
        self.console.strip.invalidate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # While the question is open, Esc keeps presenting and Enter ends,
        # whichever of the two windows has the keyboard.
        if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) \
                or not isinstance(event, QKeyEvent) or not isinstance(watched, QWidget):
            return False
        if watched.window() not in (self.console, self.audience.widget()):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        key = event.key()
        if key == Qt.Key.Key_Escape and not event.isAutoRepeat():
            self.console.question.answered.emit(False)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.console.question.answered.emit(True)
        return True

    def end(self) -> None:
        """Ends the talk: both windows close, and with them the app."""
        log.info("presentation ended after %.0f s", self.clock.elapsed())
        self.session.end(0)

    def _on_ending(self, _code: int) -> None:
        self._tick.stop()
        self.console.allow_close()
        self.console.close()

    def close(self) -> None:
        """Shuts the console without a question (the app is ending anyway);
        the audience window closes as it would without a presenter."""
        if self._closed:
            return
        self._closed = True
        self._tick.stop()
        self._repaint_pictures.stop()
        session = self.session
        if self.asking:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
        self.screens.changed.disconnect(self.place)
        for step in self._steps():
            session.actions.unregister(step)
        session.navigator.slide_changed.disconnect(self._on_slide_changed)
        self.show.changed.disconnect(self._on_state)
        session.actions.triggered.disconnect(self._on_action)
        session.digits_changed.disconnect(self._on_digits)
        session.ending.disconnect(self._on_ending)
        session.audience_resized.disconnect(self.console.set_ratio)
        session.pictures_loaded.disconnect(self._pictures_loaded)
        session.slide_touched.disconnect(self._slide_touched)
        session.access.changed.disconnect(self._look_changed)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.corner.unbind(app)
        self.console.allow_close()
        self.console.close()
        self.console.deleteLater()


def start(session: Session) -> PresenterMode:
    return PresenterMode(session)
