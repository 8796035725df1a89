"""The composition root: builds and wires every part of the running app."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication

from taixin_kiosk.actions import Action, ActionRegistry
from taixin_kiosk.content import ContentChoice
from taixin_kiosk.fonts import register_fonts
from taixin_kiosk.language import Localizer
from taixin_kiosk.modes import Mode, ModeManager
from taixin_kiosk.navigator import Navigator
from taixin_kiosk.resources import find_builtin
from taixin_kiosk.settings import Settings
from taixin_kiosk.views.layout import media_requests
from taixin_kiosk.views.main_window import MainWindow
from taixin_kiosk.views.slide_view import ImageCache
from taixin_kiosk.views.theme import set_text_locale

if TYPE_CHECKING:
    from PySide6.QtCore import QPointF

    from taixin_kiosk.controllers.activity import ActivityMonitor
    from taixin_kiosk.controllers.keyboard import KeyboardController
    from taixin_kiosk.controllers.pointer import PointerController

log = logging.getLogger("taixin_kiosk.app")


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
                 actions: ActionRegistry, window: MainWindow) -> None:
        self.app = app
        self.settings = settings
        self.content = content
        self.navigator = navigator
        self.modes = modes
        self.localizer = localizer
        self.actions = actions
        self.window = window
        self.input: Input | None = None

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
        if self.app.windowIcon().isNull():
            from PySide6.QtGui import QIcon

            self.app.setWindowIcon(QIcon(str(find_builtin().assets / "images" / "app-icon.png")))

    def bind_input(self) -> None:
        """Starts listening to keys, touch, mouse and wheel (once).

        Called just after the first paint: nothing can be touched before, and the
        controllers (and the Qt types they use) stay off the start-up path.
        """
        if self.input is not None:
            return
        from taixin_kiosk.controllers.activity import ActivityMonitor
        from taixin_kiosk.controllers.keyboard import KeyboardController
        from taixin_kiosk.controllers.pointer import PointerController

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

    def unbind_input(self) -> None:
        if self.input is None:
            return
        self.input.pointer.unbind(self.app)
        self.input.keyboard.unbind()
        self.app.removeEventFilter(self.input.activity)
        self.input = None

    def shutdown(self) -> None:
        self.unbind_input()
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
        elif window.isFullScreen():
            window.showNormal()

    def move_selection(argument: object) -> None:
        if isinstance(argument, tuple):
            stage.overview.move_selection(int(argument[0]), int(argument[1]))

    actions.register(Action.NEXT, lambda _: navigator.next())
    actions.register(Action.PREVIOUS, lambda _: navigator.previous())
    actions.register(Action.FIRST, lambda _: navigator.first())
    actions.register(Action.LAST, lambda _: navigator.last())
    actions.register(Action.GOTO, goto)
    actions.register(Action.LANGUAGE, lambda _: localizer.cycle())
    actions.register(Action.OVERVIEW, toggle_overview)
    actions.register(Action.OVERVIEW_MOVE, move_selection)
    actions.register(Action.FULLSCREEN, lambda _: window.toggle_full_screen())
    actions.register(Action.ESCAPE, escape)
    # Kiosk mode (a later issue) will refuse this; a presentation just ends.
    actions.register(Action.QUIT, lambda _: window.close())

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
    modes.entered.connect(on_mode_entered)
    modes.left.connect(on_mode_left)

    kiosk = Kiosk(app, settings, content, navigator, modes, localizer, actions, window)
    stage.show_slide(0, 0)
    window.controls.set_position(0, navigator.count)
    # `painted` fires inside the paint event, before the frame is flushed to
    # the screen: what is not needed for that frame waits for the next turn
    # of the event loop rather than holding it back.
    stage.current_view.painted.connect(
        lambda _index: QTimer.singleShot(0, kiosk.after_first_frame),
        Qt.ConnectionType.SingleShotConnection)
    return kiosk


def show(kiosk: Kiosk) -> None:
    """Puts the window on its screen: full screen, or a 1280x720 window."""
    window = kiosk.window
    screen = target_screen(kiosk.settings)
    if screen is not None:
        window.setScreen(screen)
    if kiosk.settings.windowed:
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


def run(settings: Settings, content: ContentChoice) -> int:
    app = ensure_app()
    kiosk = build(settings, content, app)
    show(kiosk)
    return app.exec()
