"""Presenter mode: the audience window on the projector, the console on the laptop.

The console reads state snapshots (``show.Show``) and sends named actions,
like any other input. This module places the two windows on the screens
(and again whenever a screen comes or goes), keeps the talk's clock, and
makes sure a talk never ends by accident: Esc, Ctrl+Q and closing a window
ask first.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QApplication, QWidget

from taixin_kiosk.core.actions import Action
from taixin_kiosk.core.modes import Mode
from taixin_kiosk.presenter.pacing import TalkClock, clock_text, even_plan, pace
from taixin_kiosk.system.files import write_atomic

if TYPE_CHECKING:
    from taixin_kiosk.app.root import Kiosk
    from taixin_kiosk.config.settings import Settings
    from taixin_kiosk.core.show import Show, ShowState
    from taixin_kiosk.presenter.console import PresenterConsole

log = logging.getLogger("taixin_kiosk.presenter")

# Screens settle for a moment after a projector is plugged in or out (the
# desktop rearranges them): place the windows once it is done.
SETTLE_MS = 400
WINDOWED_AUDIENCE = QSize(1280, 720)
WINDOWED_CONSOLE = QSize(1280, 800)
MEMORY_FILE = "presenter-screens.json"


# -- screens --------------------------------------------------------------------------


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


class Placement(NamedTuple):
    audience: Display
    # None: one screen, and the console opens over the slides with P.
    console: Display | None


def display_of(screen: QScreen, primary: QScreen | None) -> Display:
    # The same projector on another port is the same projector: where the
    # system names the monitor, the connector is left out.
    named = [part for part in (screen.manufacturer(), screen.model(), screen.serialNumber())
             if part]
    ident = "/".join(named) if screen.model() or screen.serialNumber() else screen.name()
    return Display(screen.name(), screen.geometry(), screen is primary, ident, screen,
                   screen.availableGeometry())


# Connector names of a laptop's own panel (Linux: eDP-1, LVDS-1, DSI-1).
INTERNAL_PANELS = ("edp", "lvds", "dsi")


def is_internal(display: Display) -> bool:
    return display.name.lower().startswith(INTERNAL_PANELS)


def plan(displays: Sequence[Display], *, swapped: bool = False,
         audience: int | None = None) -> Placement:
    """Where each window goes. The console stays on the laptop's own panel
    when the system names it (a projector may have been made the primary
    screen), else on the primary screen; the audience gets the biggest other
    one. ``swapped`` trades them, ``audience`` (``--screen N``) names the
    audience's screen."""
    if not displays:
        raise ValueError("no screen to show on")
    if len(displays) == 1:
        return Placement(displays[0], None)
    primary = next((d for d in displays if is_internal(d)),
                   next((d for d in displays if d.primary), displays[0]))
    if audience is not None and 0 <= audience < len(displays):
        audience_display = displays[audience]
        console = primary if primary is not audience_display else next(
            d for d in displays if d is not audience_display)
    else:
        console = primary
        # The biggest other screen: a projector beats a small side monitor.
        audience_display = max((d for d in displays if d is not primary),
                               key=lambda d: d.geometry.width() * d.geometry.height())
    if swapped:
        audience_display, console = console, audience_display
    return Placement(audience_display, console)


def screen_set_key(displays: Sequence[Display]) -> str:
    """The same monitors in any order, at any resolution, give the same key."""
    return "|".join(sorted(d.ident for d in displays))


class ScreenMemory:
    """Which screen sets had their windows swapped: a small JSON file, read and
    written whole. A missing or damaged file is no memory, never an error."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # This session's choices hold even where the file cannot be written.
        self._session: dict[str, bool] = {}

    def _read(self) -> dict[str, bool]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, bool)}

    def swapped(self, key: str) -> bool | None:
        if key in self._session:
            return self._session[key]
        return self._read().get(key)

    def remember(self, key: str, swapped: bool) -> None:
        self._session[key] = swapped
        data = self._read()
        data[key] = swapped
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1))
        except OSError as error:  # a read-only profile: the choice lasts this session
            log.warning("cannot remember the screen choice: %s", error)


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


def qt_displays() -> list[Display]:
    primary = QGuiApplication.primaryScreen()
    return [display_of(s, primary) for s in QGuiApplication.screens()]


def audience_display(settings: Settings) -> Display | None:
    """Where the audience window opens, before anything else is built."""
    from taixin_kiosk.system.paths import app_paths

    displays = qt_displays()
    if not displays:
        return None
    memory = ScreenMemory(app_paths().state_dir / MEMORY_FILE)
    remembered = memory.swapped(screen_set_key(displays))
    swapped = True if settings.swap else bool(remembered)
    return plan(displays, swapped=swapped, audience=settings.screen).audience


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


# -- the mode -------------------------------------------------------------------------


class PresenterMode(QObject):
    """Builds the console and keeps the two windows, the clock and the
    question "end the presentation?" in step with the show."""

    def __init__(self, kiosk: Kiosk, *, screens: ScreenWatcher | None = None,
                 memory: ScreenMemory | None = None,
                 now: Callable[[], float] = time.monotonic) -> None:
        super().__init__(kiosk.window)
        from taixin_kiosk.content.builtin import app_strings
        from taixin_kiosk.core.show import Show
        from taixin_kiosk.presenter.console import PresenterConsole

        self.kiosk = kiosk
        settings = kiosk.settings
        pack = kiosk.content.pack
        self._app_strings = app_strings
        locales = pack.locales
        self.notes_locale = settings.notes_locale if settings.notes_locale in locales \
            else pack.deck.default_locale
        self.clock = TalkClock(now)
        # Before the show's snapshots: a snapshot's clock must already count
        # the slide change it reports.
        kiosk.navigator.slide_changed.connect(self._on_slide_changed)
        self.show: Show = Show(kiosk)
        stage = kiosk.window.stage
        self.console: PresenterConsole = PresenterConsole(stage.family, stage.thumbnail)
        self.screens = screens or ScreenWatcher(self)
        if memory is None:
            from taixin_kiosk.system.paths import app_paths

            memory = ScreenMemory(app_paths().state_dir / MEMORY_FILE)
        self.memory = memory
        self.placement: Placement | None = None
        self.swapped = False
        self.console_open = False
        self.asking = False
        self._mode_before: Mode = Mode.INTERACTIVE
        self._closed = False
        # Notes scroll back to the top only for another slide or language.
        self._notes_for: tuple[int, str] | None = None
        self._route = kiosk.navigator.route

        console = self.console
        console.requested.connect(self._on_console_requested)
        console.tours_wanted.connect(self.offer_tours)
        console.close_requested.connect(self.ask_to_end)
        self.show.changed.connect(self._on_state)
        kiosk.actions.triggered.connect(self._on_action)
        kiosk.window.close_requested = self.ask_to_end
        mine: dict[Action, Callable[[object], object]] = {
            Action.CONSOLE: lambda _: self.toggle_console(),
            Action.SWAP: lambda _: self.swap(),
            Action.TIMER_RESET: lambda _: self._reset_clock(),
            Action.TIMER_PAUSE: lambda _: self._pause_clock(),
            Action.NOTES_LANGUAGE: self.set_notes_locale,
            Action.QUIT: lambda _: self.ask_to_end(),
            Action.ESCAPE: self._escape,
            Action.END: lambda _: self.end(),
            # The windows' places are the presenter mode's to keep.
            Action.FULLSCREEN: lambda _: None,
            # The audience sees only the slides: no access strip on the projector
            # (the keys T, C, M and R still change what it sees).
            Action.ACCESS: lambda _: None,
        }
        # Handed back on close: the app without a presenter works as before.
        self._replaced = {action: kiosk.actions.register(action, handler)
                          for action, handler in mine.items()}
        if kiosk.input is not None:
            kiosk.keyboard.add_target(console)
            kiosk.keyboard.digits_changed.connect(self._on_digits)
        # A touch-only laptop without a keyboard: holding the corner of the
        # slides (as staff do on a kiosk) opens the console, which can end the talk.
        from taixin_kiosk.input.corner import CornerHold

        self.corner = CornerHold(kiosk.window, settings.staff_corner,
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
        stage.installEventFilter(self)
        # Pictures decode in a burst at start: redraw the thumbnails once after it.
        self._repaint_pictures = QTimer(self)
        self._repaint_pictures.setSingleShot(True)
        self._repaint_pictures.setInterval(250)
        self._repaint_pictures.timeout.connect(self._pictures_settled)
        stage.images.loaded.connect(self._pictures_loaded)
        # A tap on a chart or the map changes the slide in place.
        stage.tapped.connect(self._slide_touched)
        # Large text or high contrast changes how every slide looks.
        kiosk.access.changed.connect(self._look_changed)

        self._stage_resized()
        self.retranslate()
        # --swap is for the first time two screens are there (perhaps only
        # once the projector is plugged in); one screen has nothing to swap.
        self._swap_asked = settings.swap
        displays = self.screens.displays()
        if displays:
            self.swapped = bool(self.memory.swapped(screen_set_key(displays)))
        self.place()
        self._on_state(self.show.state)

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
        placement = plan(displays, swapped=self.swapped, audience=self.kiosk.settings.screen)
        self.placement = placement
        windowed = self.kiosk.settings.windowed
        window = self.kiosk.window
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
                self.kiosk.window.activateWindow()
            return
        target = placement.console or placement.audience
        put(self.console, target, windowed=self.kiosk.settings.windowed,
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
        window = self.kiosk.window
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
            self.kiosk.actions.trigger(action, argument)

    def _on_action(self, name: str, _argument: object) -> None:
        route = self.kiosk.navigator.route
        if name == Action.TOUR.value and route != self._route:
            # Another route is another talk: its clock starts again.
            self._route = route
            self.clock.reset()
            self.update_clock()

    def _on_state(self, state: ShowState) -> None:
        if self._closed:
            return
        self.console.apply(state)
        slides = self.kiosk.content.pack.deck.slides
        if (state.slide, self.notes_locale) != self._notes_for and 0 <= state.slide < len(slides):
            self._notes_for = (state.slide, self.notes_locale)
            self.console.set_notes(self.kiosk.localizer.text_in(
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
        return self._app_strings(self.notes_locale).text(key, **params)

    def language_name(self, locale: str) -> str:
        return self.kiosk.localizer.text_in(locale, "meta.language_name")

    def retranslate(self) -> None:
        self.console.retranslate(self._text, self.language_name, self.notes_locale)
        self._on_state(self.show.state)

    def set_notes_locale(self, argument: object = None) -> None:
        locales = self.kiosk.localizer.locales
        if isinstance(argument, str) and argument in locales:
            self.notes_locale = argument
        else:
            self.notes_locale = locales[(locales.index(self.notes_locale) + 1) % len(locales)] \
                if self.notes_locale in locales else locales[0]
        self.retranslate()

    # -- time -------------------------------------------------------------------

    def pacing_plan(self) -> tuple[tuple[float, ...], int]:
        """The target seconds of each stop, and the stop reached."""
        kiosk = self.kiosk
        navigator = kiosk.navigator
        tour = kiosk.current_tour()
        if tour is not None:
            return tuple(float(stop.seconds) for stop in tour.stops), navigator.route_position
        return even_plan(kiosk.settings.talk_minutes * 60.0, navigator.count), navigator.index

    def tour_title(self) -> str:
        tour = self.kiosk.current_tour()
        if tour is None:
            return self._text("presenter.tour.all")
        return self.kiosk.localizer.text_in(self.notes_locale, tour.title)

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
        kiosk = self.kiosk
        deck = kiosk.content.pack.deck
        minutes = kiosk.settings.talk_minutes
        choices: list[tuple[str, object]] = [(self._text(
            "presenter.tour.all_item", stops=len(deck.slides),
            time=clock_text(minutes * 60.0)), None)]
        for tour in deck.tours:
            choices.append((self._text(
                "presenter.tour.item", tour=kiosk.localizer.text_in(self.notes_locale,
                                                                    tour.title),
                stops=len(tour.stops), time=clock_text(tour.seconds)), tour.id))
        following = kiosk.current_tour()
        current = following.id if following is not None else None
        self.console_open = True
        self._show_console()
        self.console.choose_tour(choices, current)

    # -- ending -------------------------------------------------------------

    def _escape(self, _argument: object) -> None:
        kiosk = self.kiosk
        if self.console.chooser.isVisible():
            self.console.chooser.hide()
        elif kiosk.modes.mode is Mode.OVERVIEW:
            kiosk.modes.leave(Mode.OVERVIEW)
        else:
            self.ask_to_end()

    def ask_to_end(self) -> None:
        """Esc, Ctrl+Q, the End button or a window's close: asked on the
        console (opened over the slides for it when there is one screen)."""
        if self.asking:
            return
        self.asking = True
        self._mode_before = self.kiosk.modes.mode
        self.kiosk.modes.enter(Mode.ASKING)
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
        self.kiosk.modes.enter(self._mode_before)
        if end:
            self.end()
            return
        # Back to how it was (the screens may have changed while asking).
        self._show_console()

    def _stage_resized(self) -> None:
        stage = self.kiosk.window.stage
        if stage.width() > 0 and stage.height() > 0:
            self.console.set_ratio(stage.width() / stage.height())

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
        if watched is self.kiosk.window.stage:
            if event.type() == QEvent.Type.Resize:
                self._stage_resized()
            return False
        # While the question is open, Esc keeps presenting and Enter ends,
        # whichever of the two windows has the keyboard.
        if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) \
                or not isinstance(event, QKeyEvent) or not isinstance(watched, QWidget):
            return False
        if watched.window() not in (self.console, self.kiosk.window):
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
        self._tick.stop()
        self.console.allow_close()
        self.console.close()
        window = self.kiosk.window
        window.allow_close()
        window.close()

    def close(self) -> None:
        """Shuts the console without a question (the app is ending anyway);
        the audience window closes as it would without a presenter."""
        if self._closed:
            return
        self._closed = True
        self._tick.stop()
        self._repaint_pictures.stop()
        if self.asking:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
        self.screens.changed.disconnect(self.place)
        for action, handler in self._replaced.items():
            if handler is None:
                self.kiosk.actions.unregister(action)
            else:
                self.kiosk.actions.register(action, handler)
        self.kiosk.navigator.slide_changed.disconnect(self._on_slide_changed)
        self.show.changed.disconnect(self._on_state)
        self.kiosk.actions.triggered.disconnect(self._on_action)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.corner.unbind(app)
        if self.kiosk.input is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self.kiosk.keyboard.digits_changed.disconnect(self._on_digits)
        stage = self.kiosk.window.stage
        stage.removeEventFilter(self)
        # New content comes with a new image cache, which was never connected.
        with contextlib.suppress(RuntimeError, TypeError):
            stage.images.loaded.disconnect(self._pictures_loaded)
        stage.tapped.disconnect(self._slide_touched)
        self.kiosk.access.changed.disconnect(self._look_changed)
        self.kiosk.window.close_requested = None
        self.console.allow_close()
        self.console.close()
        self.console.deleteLater()


def start(kiosk: Kiosk) -> PresenterMode:
    mode = PresenterMode(kiosk)
    kiosk.presenter = mode
    return mode
