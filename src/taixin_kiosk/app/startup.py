"""Starting the app for real: one instance, logging, the screen, errors, the heartbeat.

``run`` is what ``taixin-kiosk`` does after the command line was read: it
takes the instance lock (or brings the running copy to the front), builds
the app (``app.root.build``), puts the window on its screen, and keeps the
work the first slide does not need (the log file, the single-instance
socket, the presenter's console, following screens) until just after it is
painted.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

from taixin_kiosk.app.root import App, build, ensure_app
from taixin_kiosk.config.settings import Settings
from taixin_kiosk.content.choice import ContentChoice
from taixin_kiosk.core.modes import Mode
from taixin_kiosk.system.collector import after_start
from taixin_kiosk.ui.screens import ScreenFollower, ScreenWatcher, target_screen

if TYPE_CHECKING:
    from types import TracebackType

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


def full_screen(settings: Settings) -> bool:
    """A kiosk and a talk fill their screens; a presentation unless ``--windowed``."""
    return settings.kiosk or not settings.windowed


def put_on_screen(built: App) -> None:
    """Puts the window on its screen: full screen, or a 1280x720 window."""
    window = built.window
    settings = built.session.settings
    if settings.present:
        from taixin_kiosk.presenter.placement import audience_display

        # The projector, when there is one: the console gets the laptop's screen.
        display = audience_display(settings)
        screen = display.screen if display is not None else QGuiApplication.primaryScreen()
    else:
        screen = target_screen(settings.screen)
    if screen is not None:
        window.setScreen(screen)
    if not full_screen(settings):
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


def follow_screens(built: App) -> ScreenFollower:
    """A full-screen window stays whole when screens come, go or turn."""
    return ScreenFollower(built.window, ScreenWatcher(built.window))


# More uncaught errors than this within the window: the app is stuck in a
# loop of failures, and a clean restart (by the supervisor) is the way out.
ERROR_BURST, ERROR_WINDOW_S = 20, 10.0


def install_excepthook(built: App) -> None:
    """An error that escapes a slot or an event handler is logged with its
    traceback; a kiosk then goes back to its cover instead of dying."""
    recent: list[float] = []

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        # Here, not at the top: the logs module would cost the first slide.
        from taixin_kiosk.system.logs import log_exception

        log_exception(kind, error, tb)
        if not built.session.settings.kiosk:
            return
        now = time.monotonic()
        recent[:] = [t for t in recent if now - t < ERROR_WINDOW_S] + [now]
        if len(recent) > ERROR_BURST:
            log.critical("%d errors in %.0f s: exiting so the supervisor restarts the app",
                         len(recent), ERROR_WINDOW_S)
            built.app.exit(70)
            return
        QTimer.singleShot(0, built.window, lambda: back_to_cover(built))

    sys.excepthook = hook
    threading.excepthook = _thread_hook


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    """An error that ends a worker thread (a pack install) is logged too."""
    from taixin_kiosk.system.logs import log_thread_exception

    log_thread_exception(args)


def to_front(built: App) -> None:
    """Another launch asked for the app: its windows come to the front."""
    if built.presenter is not None:
        # Both windows, each where it belongs, the console over the slides.
        built.presenter.to_front()
        return
    window = built.window
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def back_to_cover(built: App) -> None:
    built.session.modes.enter(Mode.INTERACTIVE)
    built.session.navigator.first()


def content_shown(content: ContentChoice) -> None:
    """The first slide is up: the start on an installed pack no longer counts
    against it, and what interrupted installs left is removed, off the GUI
    thread (it may be hundreds of megabytes)."""
    from taixin_kiosk.content.packs import starts
    from taixin_kiosk.content.packs.store import clean_staging
    from taixin_kiosk.system.paths import app_paths

    if content.counted is not None:
        starts.shown(content.counted)
    threading.Thread(target=clean_staging, args=(app_paths().packs_dir,),
                     name="clean-staging", daemon=True).start()


def start_presenter(built: App) -> None:
    from taixin_kiosk.presenter.mode import PresenterMode

    built.presenter = PresenterMode(built.session)


def run(settings: Settings, content: ContentChoice, *, held: IO[bytes] | None = None,
        after_first: list[Callable[[], object]] | None = None) -> int:
    """``held``: the instance lock, when the caller took it already."""
    app = ensure_app()
    from taixin_kiosk.system.locks import take_instance_lock
    from taixin_kiosk.system.logs import route_qt_messages

    route_qt_messages()

    if held is None:
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
    # The pictures decode after the first frame: the first slide is painted
    # without them anyway (decoding takes longer than building it), and on a
    # machine with two cores the decoding took CPU time from the first frame
    # and the X server (benchmarks/README.md, start-up).
    built = build(settings, content, app, pictures_after_first=True)

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
        instance.activation_requested.connect(lambda: to_front(built))

    built.after_first.append(after_start)
    built.after_first.append(serve)
    built.after_first.append(lambda: content_shown(content))
    if settings.present:
        # The console after the first slide: the audience's picture comes first.
        built.after_first.append(lambda: start_presenter(built))
    elif full_screen(settings):
        built.after_first.append(lambda: follow_screens(built))
    if built.kiosk_mode is not None:
        # A minimised, unmapped or destroyed window comes back by itself.
        built.after_first.append(built.kiosk_mode.keep_window_up)
    built.after_first.extend(after_first or ())
    if os.environ.get("TAIXIN_KIOSK_HEARTBEAT"):
        from taixin_kiosk.system.heartbeat import Heartbeat

        # Started after the first frame: the supervisor's start-up grace
        # covers building the window; from then on a hung GUI stops it.
        heartbeat = Heartbeat(built.window)
        if built.kiosk_mode is not None:
            # The supervisor restarts a kiosk whose window stays away.
            heartbeat.window = built.kiosk_mode.window_lost_for
        if heartbeat.path is not None:
            from taixin_kiosk.system.handover import Handover

            def release_instance() -> None:
                # The new supervisor's app must be the instance, not knock on this one.
                if instance is not None:
                    instance.release()
                elif held is not None:
                    from taixin_kiosk.system.locks import release

                    release(held)

            # A supervisor killed with SIGKILL leaves this app unsupervised:
            # it starts a new one and hands over to its app.
            heartbeat.orphaned = Handover(heartbeat.path, heartbeat.stop, release_instance,
                                          built.window)
        built.after_first.append(heartbeat.start)
    install_excepthook(built)
    put_on_screen(built)
    return app.exec()
