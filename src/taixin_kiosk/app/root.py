"""The composition root: builds the running app from its parts and wires them by name.

``build`` makes the session (``core.session``), the audience window
(``ui.window``) and, for a kiosk, kiosk mode; the window and the modes follow
the session by themselves, so this module only says who does which step of
an action (``core.policy``) and binds input once the first slide is painted.
Starting the app for real (one instance, logging, the screen) is
``app.startup``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

# First of the app's modules here, so that those after it load without
# PySide6 reading their source (app.qt_first says why).
import taixin_kiosk.app.qt_first  # noqa: F401
from taixin_kiosk.config.settings import Settings
from taixin_kiosk.content.builtin import app_icon, find_builtin
from taixin_kiosk.content.choice import ContentChoice
from taixin_kiosk.core.access import Access, defaults_for
from taixin_kiosk.core.session import Session
from taixin_kiosk.system import preferences
from taixin_kiosk.ui.fonts import register_fonts, use_pack_fonts, use_traditional
from taixin_kiosk.ui.images import ImageCache
from taixin_kiosk.ui.layout.media import media_requests
from taixin_kiosk.ui.screens import target_screen
from taixin_kiosk.ui.window import MainWindow

if TYPE_CHECKING:
    from taixin_kiosk.app.watch import PackWatcher
    from taixin_kiosk.core.access import AccessState
    from taixin_kiosk.core.actions import ActionRegistry
    from taixin_kiosk.core.language import Localizer
    from taixin_kiosk.core.modes import ModeManager
    from taixin_kiosk.core.navigator import Navigator
    from taixin_kiosk.input.activity import ActivityMonitor
    from taixin_kiosk.input.keyboard import KeyboardController
    from taixin_kiosk.input.pointer import PointerController
    from taixin_kiosk.kiosk.mode import KioskMode
    from taixin_kiosk.presenter.mode import PresenterMode

log = logging.getLogger("taixin_kiosk.app")


class Input(NamedTuple):
    """The input controllers, made when input is first bound."""

    keyboard: KeyboardController
    pointer: PointerController
    activity: ActivityMonitor


class App:
    """What the composition root built: the session, the audience window and,
    once they exist, the input controllers and the modes.

    Modes, export and the self-test are given the session, never this; tests
    and tools start from it. A plain class (a dataclass costs start-up time
    to define).
    """

    def __init__(self, app: QApplication, session: Session, window: MainWindow) -> None:
        self.app = app
        self.session = session
        self.window = window
        self.input: Input | None = None
        # Work for just after the first frame (the log file, ...).
        self.after_first: list[Callable[[], object]] = []
        self.kiosk_mode: KioskMode | None = None
        self.presenter: PresenterMode | None = None
        self.watcher: PackWatcher | None = None
        session.ending.connect(self._end)

    # What tests and tools read of the session, by its usual names.
    @property
    def settings(self) -> Settings:
        return self.session.settings

    @property
    def content(self) -> ContentChoice:
        return self.session.content

    @property
    def navigator(self) -> Navigator:
        return self.session.navigator

    @property
    def modes(self) -> ModeManager:
        return self.session.modes

    @property
    def localizer(self) -> Localizer:
        return self.session.localizer

    @property
    def actions(self) -> ActionRegistry:
        return self.session.actions

    @property
    def access(self) -> AccessState:
        return self.session.access

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

    def first_frame_painted(self) -> None:
        # ``painted`` fires inside the paint event, before the frame is flushed
        # to the screen: the rest waits for the next turn of the event loop
        # rather than holding the frame back.
        QTimer.singleShot(0, self.after_first_frame)

    def after_first_frame(self) -> None:
        """What the first slide on screen does not need: input, announcements
        and the icon.

        Input filters go in once there is something to touch (Python event
        filters slow the first paint); announcements once there is a slide to
        announce (the accessibility classes' first use costs ~4 ms); the icon
        only matters to a taskbar.
        """
        self.bind_input()
        from taixin_kiosk.ui.announcements import ShowAnnouncements

        ShowAnnouncements(self.session, self.window)
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
        from taixin_kiosk.ui.focus import WindowFocus

        session, window = self.session, self.window
        keyboard = KeyboardController(session.actions, session.modes, WindowFocus(window),
                                      window)
        keyboard.digits_changed.connect(window.controls.set_jump)
        keyboard.digits_changed.connect(session.digits_changed)
        pointer = PointerController(window.stage, session.actions, session.modes,
                                    session.settings.swipe_mm, window.tap_at, window)
        activity = ActivityMonitor(window)
        keyboard.bind()
        # Other windows whose keys drive the show (the presenter's console).
        for other in session.key_windows:
            keyboard.add_target(other)  # type: ignore[arg-type]
        session.key_window_added.connect(keyboard.add_target)
        pointer.bind(self.app)
        self.app.installEventFilter(activity)
        self.input = Input(keyboard, pointer, activity)
        if self.kiosk_mode is not None:
            self.kiosk_mode.bind(activity)

    def unbind_input(self) -> None:
        if self.input is None:
            return
        if self.kiosk_mode is not None:
            self.kiosk_mode.unbind()
        self.session.key_window_added.disconnect(self.input.keyboard.add_target)
        self.input.pointer.unbind(self.app)
        self.input.keyboard.unbind()
        self.app.removeEventFilter(self.input.activity)
        self.input = None

    def reload_content(self) -> bool:
        return self.session.reload_content()

    def _end(self, _code: int) -> None:
        """The show ended (``Session.end``): its window closes (and with the
        last window, the app)."""
        self.window.close()

    def shutdown(self) -> None:
        self.unbind_input()
        if self.presenter is not None:
            self.presenter.close()
            self.presenter = None
        self.session.allow_close()
        self.window.close()
        self.window.deleteLater()


def ensure_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    return QApplication(argv if argv is not None else sys.argv[:1])


def access_defaults(settings: Settings) -> Access:
    """The accessibility settings a show starts with (and a kiosk returns to):
    the configuration's, with "auto" settled by the system's preferences."""
    return defaults_for(settings.large_text, settings.contrast, settings.motion,
                        settings.low_reach, preferences.system_preferences())


def _fonts_for(choice: ContentChoice) -> None:
    """The fonts another pack needs: Traditional Chinese, and its own."""
    use_traditional(list(choice.pack.catalogues))
    use_pack_fonts(choice.pack.fonts)


def build(settings: Settings, content: ContentChoice, app: QApplication | None = None, *,
          preload_images: bool = True, pictures_after_first: bool = False) -> App:
    """Builds the session, the audience window and its modes; shows nothing.

    ``pictures_after_first``: the pictures decode once the first frame is
    painted (``App.after_first``), not while it is being made (start-up)."""
    app = app or ensure_app()
    app.setApplicationName("taixin-kiosk")
    images = ImageCache()
    if preload_images:
        # First thing: the pictures decode on another core while the window
        # is built and the fonts are registered, or (pictures_after_first)
        # are noted as coming, so the first paint leaves them out rather than
        # decoding them itself.
        screen = target_screen(settings.screen)
        pixels = screen.size() * screen.devicePixelRatio() if screen is not None else None
        images.preload(media_requests(
            content.pack.deck, (pixels.width(), pixels.height()) if pixels is not None else None),
            held=pictures_after_first)
    family = register_fonts(find_builtin().fonts)
    use_traditional(list(content.pack.catalogues))
    use_pack_fonts(content.pack.fonts)
    session = Session(settings, content, access_defaults(settings))
    # Before the window's own slot: another pack's slides are laid out in its fonts.
    session.content_changed.connect(_fonts_for)
    window = MainWindow(session, family, images)
    session.audience = window
    session.actions.register_all(window.steps())
    if settings.present:
        # The audience sees only the slides: the presenter has the console.
        window.controls.hide()
    window.stage.transition_ms = min(300, max(0, settings.transition_ms))
    window.apply_access(session.access.current)
    preferences.watch(follow_the_system(session))
    built = App(app, session, window)
    if pictures_after_first:
        # After the rest of the first frame's follow-up work, the window icon
        # among it: Qt's image reading first used on two threads at once
        # crashed the app now and then.
        built.after_first.append(lambda: QTimer.singleShot(0, images, images.release))
    if settings.kiosk:
        _lock_down(built)
    if settings.watch and settings.content is not None:
        from taixin_kiosk.app.watch import PackWatcher

        built.watcher = PackWatcher(session, window, settings.content)
    first = session.navigator.index
    window.stage.show_slide(first, first)
    window.stage.current_view.painted.connect(built.first_frame_painted,
                                              Qt.ConnectionType.SingleShotConnection)
    return built


def follow_the_system(session: Session) -> Callable[..., None]:
    """What to do when the system's preferences change: new defaults, and
    every setting still at its default follows (a visitor's choice stays)."""

    def system_changed(*_: object) -> None:
        session.access.set_defaults(access_defaults(session.settings))

    return system_changed


def _lock_down(built: App) -> None:
    """Kiosk mode: above other windows, no way out, and the staff overlays."""
    from taixin_kiosk.kiosk.mode import KioskMode
    from taixin_kiosk.system.paths import app_paths

    window = built.window
    # Full screen has no frame anyway; FramelessWindowHint on top of it made
    # X11 window managers drop the full-screen state (checked with xprop).
    window.setWindowFlags(window.windowFlags() | Qt.WindowType.WindowStaysOnTopHint)
    paths = app_paths()
    stats = None
    try:
        from taixin_kiosk.stats.store import StatsStore

        stats = StatsStore(paths.stats_db,
                           retention_days=built.session.settings.stats_retention_days)
        # Restarts are the supervisor's to count: it sees every one, even a
        # child killed before it got this far.
        stats.start()
    except Exception:  # statistics are optional; the kiosk is not
        log.exception("usage statistics are off: the database could not be opened")
    built.kiosk_mode = KioskMode(built.session, packs_dir=paths.packs_dir,
                                 state_dir=paths.state_dir, stats=stats, log_dir=paths.log_dir,
                                 config_file=paths.config_file)
