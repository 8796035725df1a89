"""The composition root: builds and wires every part of the running app."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication, QWidget

from taixin_kiosk.config.settings import Settings
from taixin_kiosk.content.builtin import app_icon, find_builtin
from taixin_kiosk.content.choice import ContentChoice
from taixin_kiosk.core.access import (
    LARGE_TEXT,
    Access,
    AccessState,
    defaults_for,
    system_preferences,
)
from taixin_kiosk.core.actions import Action, ActionRegistry
from taixin_kiosk.core.language import Localizer
from taixin_kiosk.core.modes import Mode, ModeManager
from taixin_kiosk.core.navigator import Navigator
from taixin_kiosk.ui.fonts import register_fonts
from taixin_kiosk.ui.layout.media import media_requests
from taixin_kiosk.ui.slide_view import ImageCache
from taixin_kiosk.ui.theme import apply_theme, set_text_locale
from taixin_kiosk.ui.window import MainWindow

if TYPE_CHECKING:
    from types import TracebackType

    from PySide6.QtCore import QPointF

    from taixin_kiosk.content.deck import Tour
    from taixin_kiosk.input.activity import ActivityMonitor
    from taixin_kiosk.input.keyboard import KeyboardController
    from taixin_kiosk.input.pointer import PointerController
    from taixin_kiosk.kiosk.mode import KioskMode
    from taixin_kiosk.presenter.mode import PresenterMode
    from taixin_kiosk.system.instance import SingleInstance

log = logging.getLogger("taixin_kiosk.app")


class EarlyLog(logging.Handler):
    """Holds the records of start-up until the log file opens, just after the
    first frame: opening it imports logging.handlers (socket, pickle, ...),
    which would cost the first slide about 8 ms."""

    LIMIT = 2000

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < self.LIMIT:
            self.records.append(record)


def start_file_logging(early: EarlyLog, level: str) -> None:
    """The log file in the platform's log folder, with what start-up logged."""
    from taixin_kiosk.system.logs import setup_logging
    from taixin_kiosk.system.paths import app_paths

    root = logging.getLogger()
    # Start-up's own stderr handler goes: setup_logging brings its own.
    for handler in list(root.handlers):
        if handler is early or (isinstance(handler, logging.StreamHandler)
                                and getattr(handler, "stream", None) is sys.stderr):
            root.removeHandler(handler)
    setup_logging(app_paths().log_dir, level)
    # Replayed to the file (and the staff panel's error list), not to stderr,
    # where the warnings among them were printed already.
    targets = [h for h in root.handlers
               if not (isinstance(h, logging.StreamHandler)
                       and getattr(h, "stream", None) is sys.stderr)]
    for record in early.records:
        for handler in targets:
            if record.levelno >= handler.level:
                handler.handle(record)
    early.records.clear()


class Input(NamedTuple):
    """The input controllers, made when input is first bound."""

    keyboard: KeyboardController
    pointer: PointerController
    activity: ActivityMonitor


class Kiosk:
    """Everything the running app is made of, for tests, export and later modes.

    A plain class (a dataclass costs start-up time to define).
    """

    def __init__(self, app: QApplication, settings: Settings, content: ContentChoice,
                 navigator: Navigator, modes: ModeManager, localizer: Localizer,
                 actions: ActionRegistry, window: MainWindow, access: AccessState) -> None:
        self.app = app
        self.settings = settings
        self.content = content
        self.navigator = navigator
        self.modes = modes
        self.localizer = localizer
        self.actions = actions
        self.window = window
        # Large text, high contrast, reduced motion, low reach.
        self.access = access
        self.input: Input | None = None
        # Work for just after the first frame (the log file, ...), set by run().
        self.after_first: list[Callable[[], object]] = []
        # Set in kiosk mode (Settings.kiosk) by the composition root.
        self.kiosk_mode: KioskMode | None = None
        # Set in presenter mode (Settings.present), after the first frame.
        self.presenter: PresenterMode | None = None

    @property
    def input_bound(self) -> bool:
        return self.input is not None

    @property
    def keyboard(self) -> KeyboardController:
        assert self.input is not None, "input is bound at the first paint"
        return self.input.keyboard

    @property
    def pointer(self) -> PointerController:
        assert self.input is not None, "input is bound at the first paint"
        return self.input.pointer

    @property
    def activity(self) -> ActivityMonitor:
        assert self.input is not None, "input is bound at the first paint"
        return self.input.activity

    def after_first_frame(self) -> None:
        """What the first slide on screen does not need: input and the icon.

        Input filters go in once there is something to touch (Python event
        filters slow the first paint); the icon only matters to a taskbar.
        """
        self.bind_input()
        work, self.after_first = self.after_first, []
        for step in work:
            step()
        icon = app_icon()
        if self.app.windowIcon().isNull() and icon is not None:
            from PySide6.QtGui import QIcon

            self.app.setWindowIcon(QIcon(str(icon)))

    def bind_input(self) -> None:
        """Starts listening to keys, touch, mouse and wheel (once).

        Called just after the first paint: nothing can be touched before, and the
        controllers (and the Qt types they use) stay off the start-up path.
        """
        if self.input is not None:
            return
        from taixin_kiosk.input.activity import ActivityMonitor
        from taixin_kiosk.input.keyboard import KeyboardController
        from taixin_kiosk.input.pointer import PointerController

        stage, actions, modes = self.window.stage, self.actions, self.modes
        keyboard = KeyboardController(actions, modes, self.window)
        keyboard.digits_changed.connect(self.window.controls.set_jump)

        def tap(pos: QPointF) -> None:
            chosen = stage.handle_tap(pos)
            if chosen is not None:
                actions.trigger(Action.GOTO, chosen)

        pointer = PointerController(stage, actions, modes, self.settings.swipe_mm, tap,
                                    self.window)
        activity = ActivityMonitor(self.window)
        keyboard.bind(self.window)
        pointer.bind(self.app)
        self.app.installEventFilter(activity)
        self.input = Input(keyboard, pointer, activity)
        if self.kiosk_mode is not None:
            self.kiosk_mode.bind()

    def unbind_input(self) -> None:
        if self.input is None:
            return
        if self.kiosk_mode is not None:
            self.kiosk_mode.unbind()
        self.input.pointer.unbind(self.app)
        self.input.keyboard.unbind()
        self.app.removeEventFilter(self.input.activity)
        self.input = None

    def reload_content(self) -> bool:
        """Finds the content again as at start-up (an installed pack may have
        changed) and shows it from its cover. True if the wanted pack is shown,
        False if the built-in one stands in for it."""
        from taixin_kiosk.content.choice import choose_for

        try:
            choice = choose_for(self.settings.content)
        except Exception:  # the built-in pack broke under us: keep what is shown
            log.exception("content reload failed; the current content stays")
            return False
        self.apply_content(choice)
        return not choice.problems

    def apply_content(self, choice: ContentChoice) -> None:
        """Shows another pack in the same window, from its first slide."""
        pack = choice.pack
        self.content = choice
        stage = self.window.stage
        stage.set_pack(pack)
        self.localizer.set_pack(pack)
        self.navigator.reset(len(pack.deck.slides))
        tour = pack.deck.tour(self.settings.tour) if self.settings.tour else None
        if tour is not None:  # the new content's version of the same tour
            self.navigator.set_route(tuple(stop.slide for stop in tour.stops))
        self.window.notice.show_problems(str(choice.requested), choice.problems)
        log.info("content: %s %s from %s", pack.deck.id, pack.deck.version, pack.root)

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

    def shutdown(self) -> None:
        self.unbind_input()
        if self.presenter is not None:
            self.presenter.close()
            self.presenter = None
        self.window.allow_close()
        self.window.close()
        self.window.deleteLater()


def ensure_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    return QApplication(argv if argv is not None else sys.argv[:1])


def target_screen(settings: Settings) -> QScreen | None:
    """The screen ``--screen N`` names, or the primary one."""
    screens = QGuiApplication.screens()
    index = settings.screen
    if index is not None:
        if 0 <= index < len(screens):
            return screens[index]
        log.warning("no screen %d (have %d); using the primary screen", index, len(screens))
    return QGuiApplication.primaryScreen()


def build(settings: Settings, content: ContentChoice, app: QApplication | None = None, *,
          preload_images: bool = True) -> Kiosk:
    """Builds the audience window and its controllers; does not show anything."""
    app = app or ensure_app()
    app.setApplicationName("taixin-kiosk")
    pack = content.pack
    images = ImageCache()
    if preload_images:
        # First thing: the pictures decode on another core while the window
        # is built and the fonts are registered.
        screen = target_screen(settings)
        pixels = screen.size() * screen.devicePixelRatio() if screen is not None else None
        images.preload(media_requests(
            pack.deck, (pixels.width(), pixels.height()) if pixels is not None else None))
    builtin = find_builtin()
    family = register_fonts(builtin.fonts)
    localizer = Localizer(pack, settings.locale)
    set_text_locale(localizer.locale)
    navigator = Navigator(len(pack.deck.slides))
    modes = ModeManager()
    actions = ActionRegistry()
    window = MainWindow(pack, localizer, actions, family, images)
    stage = window.stage
    if settings.present:
        # The audience sees only the slides: the presenter has the console.
        window.controls.hide()
    stage.motion = settings.motion
    stage.transition_ms = min(300, max(0, settings.transition_ms))
    if content.problems:
        window.notice.show_problems(str(content.requested), content.problems)

    def goto(argument: object) -> None:
        if argument is None:  # the overview's selection
            argument = stage.overview.selection
        if isinstance(argument, int):
            navigator.go(argument)
        modes.leave(Mode.OVERVIEW)

    def toggle_overview(_: object) -> None:
        if modes.mode is Mode.OVERVIEW:
            modes.leave(Mode.OVERVIEW)
        else:
            modes.enter(Mode.OVERVIEW)

    def escape(_: object) -> None:
        if modes.mode is Mode.OVERVIEW:
            modes.leave(Mode.OVERVIEW)
        elif window.isFullScreen() and not settings.kiosk:
            window.showNormal()

    def full_screen(_: object) -> None:
        if not settings.kiosk:
            window.toggle_full_screen()

    def quit_(_: object) -> None:
        # A locked kiosk has one way out: the staff panel.
        if not settings.kiosk:
            window.close()

    def move_selection(argument: object) -> None:
        if isinstance(argument, tuple):
            stage.overview.move_selection(int(argument[0]), int(argument[1]))

    actions.register(Action.NEXT, lambda _: navigator.next())
    actions.register(Action.PREVIOUS, lambda _: navigator.previous())
    actions.register(Action.FIRST, lambda _: navigator.first())
    actions.register(Action.LAST, lambda _: navigator.last())
    actions.register(Action.GOTO, goto)
    actions.register(Action.LANGUAGE, lambda _: localizer.cycle())
    actions.register(Action.SUBTITLES, lambda _: localizer.set_subtitles(not localizer.subtitles))
    actions.register(Action.OVERVIEW, toggle_overview)
    actions.register(Action.OVERVIEW_MOVE, move_selection)
    actions.register(Action.FULLSCREEN, full_screen)
    actions.register(Action.ESCAPE, escape)
    actions.register(Action.QUIT, quit_)

    def cover(kind: str) -> Callable[[object], None]:
        def toggle(_: object) -> None:
            # A presenter's keys; a kiosk's visitors must not blank the screen.
            if not settings.kiosk:
                from taixin_kiosk.ui.screen_cover import Cover

                window.screen_cover().toggle(Cover(kind))
        return toggle

    actions.register(Action.BLACK, cover("black"))
    actions.register(Action.WHITE, cover("white"))
    actions.register(Action.FREEZE, cover("frozen"))

    def on_slide_changed(old: int, new: int) -> None:
        stage.show_slide(old, new)
        window.controls.set_position(new, navigator.count)

    def on_mode_entered(mode: Mode) -> None:
        if mode is Mode.OVERVIEW:
            stage.overview.selection = navigator.index
            stage.overview.setGeometry(stage.rect())
            stage.overview.show()
            stage.overview.raise_()

    def on_mode_left(mode: Mode) -> None:
        if mode is Mode.OVERVIEW:
            stage.overview.hide()

    navigator.slide_changed.connect(on_slide_changed)

    def on_language_changed(locale: str) -> None:
        set_text_locale(locale)
        window.retranslate()

    localizer.language_changed.connect(on_language_changed)
    localizer.subtitles_changed.connect(lambda _on: window.retranslate())
    modes.entered.connect(on_mode_entered)
    modes.left.connect(on_mode_left)

    access = AccessState(defaults_for(settings.large_text, settings.contrast, settings.motion,
                                      settings.low_reach, system_preferences()), window)
    _bind_access(access, window, actions, settings)
    kiosk = Kiosk(app, settings, content, navigator, modes, localizer, actions, window, access)
    # Nothing is announced before the first slide is up: the accessibility
    # classes' first use (~4 ms) stays off the way to the first frame.
    kiosk.after_first.append(
        lambda: _bind_announcements(window, navigator, localizer, modes, access))
    actions.register(Action.TOUR, kiosk.set_tour)
    if settings.kiosk:
        _lock_down(kiosk)
    tour = pack.deck.tour(settings.tour) if settings.tour else None
    if tour is not None:
        # Before the first slide is shown: the tour may start elsewhere.
        navigator.set_route(tuple(stop.slide for stop in tour.stops))
    first = navigator.index
    stage.show_slide(first, first)
    window.controls.set_position(first, navigator.count)
    # `painted` fires inside the paint event, before the frame is flushed to
    # the screen: what is not needed for that frame waits for the next turn
    # of the event loop rather than holding it back.
    stage.current_view.painted.connect(
        lambda _index: QTimer.singleShot(0, kiosk.after_first_frame),
        Qt.ConnectionType.SingleShotConnection)
    return kiosk


def _bind_access(access: AccessState, window: MainWindow, actions: ActionRegistry,
                 settings: Settings) -> None:
    """Large text, contrast, motion and reach: the actions that change them,
    the views that follow them, and the system's preferences as defaults."""
    stage = window.stage

    def apply(a: Access) -> None:
        themed = apply_theme("high-contrast" if a.high_contrast else "standard")
        stage.motion = not a.reduced_motion
        scaled = stage.set_text_scale(LARGE_TEXT if a.large_text else 1.0)
        if themed or scaled:
            stage.retranslate()
        window.reach_setting = a.low_reach
        window.update_reach()
        window.controls.set_checked("large_text", a.large_text)
        window.access_bar.set_state(a.high_contrast, a.reduced_motion, window.low_reach)
        if themed:
            # Every widget paints from PALETTE: draw them all again.
            for widget in [window, *window.findChildren(QWidget)]:
                widget.update()

    access.changed.connect(apply)
    window.reach_changed.connect(lambda on: window.access_bar.set_state(
        access.current.high_contrast, access.current.reduced_motion, on))
    actions.register(Action.ACCESS,
                     lambda _: window.show_access_bar(not window.access_bar.isVisible()))
    actions.register(Action.LARGE_TEXT, lambda _: access.toggle_large_text())
    actions.register(Action.CONTRAST, lambda _: access.toggle_contrast())
    actions.register(Action.MOTION, lambda _: access.toggle_motion())
    actions.register(Action.REACH, lambda _: access.toggle_reach(window.low_reach))

    def system_changed(*_: object) -> None:
        access.set_defaults(defaults_for(settings.large_text, settings.contrast,
                                         settings.motion, settings.low_reach,
                                         system_preferences()))

    style_hints = QGuiApplication.styleHints()
    if hasattr(style_hints, "accessibility"):  # Qt 6.10 and later
        style_hints.accessibility().contrastPreferenceChanged.connect(system_changed)
    apply(access.current)


def _bind_announcements(window: MainWindow, navigator: Navigator, localizer: Localizer,
                        modes: ModeManager, access: AccessState) -> None:
    """What a screen reader is told when the slide, the language, the
    overview or an accessibility setting changes (after the views followed)."""
    from taixin_kiosk.ui import focus
    from taixin_kiosk.ui.announce import announce
    from taixin_kiosk.ui.describe import slide_title

    text = localizer.app_text

    def slide_sentence() -> str:
        stage = window.stage
        view = stage.current_view
        return text("access.announce.slide", current=view.index + 1, total=stage.count,
                    title=slide_title(view.slide, view.index, localizer))

    def on_slide_changed(old: int, new: int) -> None:
        # The unattended attract loop turns a slide every few seconds: a
        # screen reader would never stop talking. A visitor's touch ends it.
        if old != new and modes.mode is not Mode.ATTRACT:
            announce(window, slide_sentence())

    def on_language_changed(locale: str) -> None:
        if modes.mode is Mode.ATTRACT:  # the loop's own language turns: not a visitor's
            return
        language = text("access.announce.language",
                        language=localizer.text_in(locale, "meta.language_name"))
        announce(window, f"{language}\n{slide_sentence()}")

    def on_mode_entered(mode: Mode) -> None:
        if mode is Mode.OVERVIEW:
            announce(window, text("access.announce.overview", count=window.stage.count))
            focus.enter_overview(window)

    before = access.current

    def on_access_changed(now: Access) -> None:
        nonlocal before
        was, before = before, now
        for name, old, new in (("large_text", was.large_text, now.large_text),
                               ("contrast", was.high_contrast, now.high_contrast),
                               ("motion", was.reduced_motion, now.reduced_motion)):
            if old != new:
                announce(window, text(f"access.announce.{name}_{'on' if new else 'off'}"))

    def on_reach_changed(on: bool) -> None:
        # Whatever turned it (R, the strip, the screen turning): said once, then.
        announce(window, text(f"access.announce.reach_{'on' if on else 'off'}"))

    navigator.slide_changed.connect(on_slide_changed)
    localizer.language_changed.connect(on_language_changed)
    modes.entered.connect(on_mode_entered)
    access.changed.connect(on_access_changed)
    window.reach_changed.connect(on_reach_changed)


def _lock_down(kiosk: Kiosk) -> None:
    """Kiosk mode: above other windows, no way out, and the staff overlays."""
    from taixin_kiosk.kiosk.mode import KioskMode
    from taixin_kiosk.system.paths import app_paths

    window = kiosk.window
    window.locked = True
    # Full screen has no frame anyway; FramelessWindowHint on top of it made
    # X11 window managers drop the full-screen state (checked with xprop).
    window.setWindowFlags(window.windowFlags() | Qt.WindowType.WindowStaysOnTopHint)
    paths = app_paths()
    stats = None
    try:
        from taixin_kiosk.stats.store import StatsStore

        stats = StatsStore(paths.stats_db, retention_days=kiosk.settings.stats_retention_days)
        from taixin_kiosk.system.supervisor import restart_reason

        stats.start()
        if restart_reason() is not None:
            stats.restart()
    except Exception:  # statistics are optional; the kiosk is not
        log.exception("usage statistics are off: the database could not be opened")
    kiosk.kiosk_mode = KioskMode(kiosk, packs_dir=paths.packs_dir, state_dir=paths.state_dir,
                                 stats=stats, log_dir=paths.log_dir,
                                 config_file=paths.config_file)


def show(kiosk: Kiosk) -> None:
    """Puts the window on its screen: full screen, or a 1280x720 window."""
    window = kiosk.window
    if kiosk.settings.present:
        from taixin_kiosk.presenter.mode import audience_display

        # The projector, when there is one: the console gets the laptop's screen.
        display = audience_display(kiosk.settings)
        screen = display.screen if display is not None else QGuiApplication.primaryScreen()
    else:
        screen = target_screen(kiosk.settings)
    if screen is not None:
        window.setScreen(screen)
    if kiosk.settings.windowed and not kiosk.settings.kiosk:
        window.resize(1280, 720)
        if screen is not None:
            window.move(screen.availableGeometry().center() - window.rect().center())
        window.show()
    else:
        # Full size before the first frame: no relayout flash when the window
        # manager maximises it, and a real full screen where there is none.
        if screen is not None:
            window.setGeometry(screen.geometry())
        window.showFullScreen()
    window.activateWindow()
    # Charts (and pyqtgraph with them) load after the first slide is on screen.
    QTimer.singleShot(150, window.stage, window.stage.prebuild)


def refit(kiosk: Kiosk, screen: QScreen | None = None) -> None:
    """Full screen again on ``screen`` (default: the window's, else the
    primary): after a screen went away, or changed resolution or rotation."""
    window = kiosk.window
    if kiosk.settings.windowed and not kiosk.settings.kiosk:
        return
    target = screen or window.screen() or QGuiApplication.primaryScreen()
    if target is None:
        return
    if window.screen() is not target:
        window.setScreen(target)
    window.setGeometry(target.geometry())
    window.showFullScreen()


class ScreenFollower(QObject):
    """Keeps a full-screen window whole when screens change under it: it
    moves to a remaining screen when its own goes away, and lays out again
    when its screen changes resolution or rotation."""

    def __init__(self, kiosk: Kiosk) -> None:
        super().__init__(kiosk.window)
        self.kiosk = kiosk
        app = QGuiApplication.instance()
        if not isinstance(app, QGuiApplication):
            return
        for screen in QGuiApplication.screens():
            self.watch(screen)
        app.screenAdded.connect(self.watch)
        app.screenRemoved.connect(self.on_removed)

    def watch(self, screen: QScreen) -> None:
        screen.geometryChanged.connect(lambda _geometry: self.on_changed(screen))

    def on_changed(self, screen: QScreen) -> None:
        if self.kiosk.window.screen() is screen:
            log.info("screen %s changed to %s; laying out again", screen.name(),
                     screen.geometry())
            refit(self.kiosk, screen)

    def on_removed(self, screen: QScreen) -> None:
        if self.kiosk.window.screen() not in (screen, None):
            return
        rest = [s for s in QGuiApplication.screens() if s is not screen]
        log.warning("screen %s went away; moving to %s", screen.name(),
                    rest[0].name() if rest else "none")
        if rest:
            primary = QGuiApplication.primaryScreen()
            refit(self.kiosk, primary if primary in rest else rest[0])


def follow_screens(kiosk: Kiosk) -> ScreenFollower:
    return ScreenFollower(kiosk)


# More uncaught errors than this within the window: the app is stuck in a
# loop of failures, and a clean restart (by the supervisor) is the way out.
ERROR_BURST, ERROR_WINDOW_S = 20, 10.0


def install_excepthook(kiosk: Kiosk) -> None:
    """An error that escapes a slot or an event handler is logged with its
    traceback; a kiosk then goes back to its cover instead of dying."""
    recent: list[float] = []

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.critical("uncaught %s: %s", kind.__name__, error, exc_info=(kind, error, tb))
        if not kiosk.settings.kiosk:
            return
        now = time.monotonic()
        recent[:] = [t for t in recent if now - t < ERROR_WINDOW_S] + [now]
        if len(recent) > ERROR_BURST:
            log.critical("%d errors in %.0f s: exiting so the supervisor restarts the app",
                         len(recent), ERROR_WINDOW_S)
            kiosk.app.exit(70)
            return
        QTimer.singleShot(0, kiosk.window, lambda: _back_to_cover(kiosk))

    sys.excepthook = hook


def _to_front(kiosk: Kiosk) -> None:
    if kiosk.presenter is not None:
        # Both windows, each where it belongs, the console over the slides.
        kiosk.presenter.to_front()
        return
    window = kiosk.window
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def _back_to_cover(kiosk: Kiosk) -> None:
    kiosk.modes.enter(Mode.INTERACTIVE)
    kiosk.navigator.first()


def run(settings: Settings, content: ContentChoice, *,
        after_first: list[Callable[[], object]] | None = None) -> int:
    app = ensure_app()
    from taixin_kiosk.system.locks import take_instance_lock

    held = take_instance_lock()
    instance: SingleInstance | None = None
    if held is None:
        # Another copy holds the lock (or there is no lock to take): the
        # slow path knocks on its socket, and waits if it is still starting.
        from taixin_kiosk.system.instance import SingleInstance

        instance = SingleInstance(app)
        if not instance.claim():
            # It comes to the front, this one ends quietly (a supervisor is
            # told, so it waits instead of giving up).
            log.info("already running; the running copy was asked to come to the front")
            from taixin_kiosk.system.supervisor import EXIT_OTHER_INSTANCE, is_supervised

            return EXIT_OTHER_INSTANCE if is_supervised() else 0
    kiosk = build(settings, content, app)

    def serve() -> None:
        # The lock is ours; the socket that later launches knock on waits
        # until the first slide is up.
        nonlocal instance
        if instance is None:
            from taixin_kiosk.system.instance import SingleInstance

            instance = SingleInstance(app)
            assert held is not None
            instance.adopt(held)
            instance.serve()
        instance.activation_requested.connect(lambda: _to_front(kiosk))

    from taixin_kiosk.system.collector import after_start

    kiosk.after_first.append(after_start)
    kiosk.after_first.append(serve)
    if settings.present:
        from taixin_kiosk.presenter.mode import start as start_presenter

        # The console after the first slide: the audience's picture comes first.
        kiosk.after_first.append(lambda: start_presenter(kiosk))
    else:
        kiosk.after_first.append(lambda: follow_screens(kiosk))
    kiosk.after_first.extend(after_first or ())
    if os.environ.get("TAIXIN_KIOSK_HEARTBEAT"):
        from taixin_kiosk.system.heartbeat import Heartbeat

        # Started after the first frame: the supervisor's start-up grace
        # covers building the window; from then on a hung GUI stops it.
        heartbeat = Heartbeat(kiosk.window)
        kiosk.after_first.append(heartbeat.start)
    install_excepthook(kiosk)
    show(kiosk)
    return app.exec()
