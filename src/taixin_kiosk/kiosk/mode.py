"""Kiosk mode: an unattended touchscreen that stays up and lets only staff in.

Built by the composition root when ``Settings.kiosk`` is set. It adds, on top
of the presentation: lock-down (no way out, no cursor while touch is used),
idle reset and the attract loop, the hidden corner gesture with the PIN pad
and the staff panel, usage statistics and keeping the display awake.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QInputDevice, QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QApplication

import taixin_kiosk
from taixin_kiosk.core.actions import Action
from taixin_kiosk.core.modes import Mode
from taixin_kiosk.input.corner import CornerHold
from taixin_kiosk.kiosk.idle import IdleController
from taixin_kiosk.kiosk.screens import PinPad, StaffPanel, TouchTest

if TYPE_CHECKING:
    from taixin_kiosk.config.pin import PinGuard
    from taixin_kiosk.content.packs.install import InstallResult
    from taixin_kiosk.core.session import Audience, Session
    from taixin_kiosk.input.activity import ActivityMonitor
    from taixin_kiosk.stats.recorder import ViewRecorder
    from taixin_kiosk.stats.store import StatsStore
    from taixin_kiosk.system.awake import KeepAwake

log = logging.getLogger("taixin_kiosk.kiosk")
staff_log = logging.getLogger("taixin_kiosk.staff")


class CursorHider(QObject):
    """Hides the pointer while input is touch; a real mouse brings it back."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hidden = False

    def hide_cursor(self) -> None:
        if not self.hidden:
            QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
            self.hidden = True

    def show_cursor(self) -> None:
        if self.hidden:
            QApplication.restoreOverrideCursor()
            self.hidden = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QTouchEvent):
            self.hide_cursor()
        elif isinstance(event, QMouseEvent) and event.type() == QEvent.Type.MouseMove:
            # Mouse events Qt makes from a touch carry the touchscreen as their
            # device; only a real mouse (or touchpad) brings the pointer back.
            device = event.pointingDevice()
            if device is not None and device.type() in (QInputDevice.DeviceType.Mouse,
                                                         QInputDevice.DeviceType.TouchPad):
                self.show_cursor()
        return False


def find_removable_packs() -> list[Path]:
    """Content packs (a folder with deck.json, or a .zip) at the top of each
    mounted drive other than the system's own."""
    from PySide6.QtCore import QStorageInfo

    system = Path(QStorageInfo.root().rootPath())
    roots = [Path(v.rootPath()) for v in QStorageInfo.mountedVolumes()
             if v.isValid() and v.isReady() and Path(v.rootPath()) != system
             and not v.rootPath().startswith(("/boot", "/proc", "/sys", "/dev", "/run/user"))]
    return find_removable_packs_in(roots)


def find_removable_packs_in(roots: list[Path]) -> list[Path]:
    """The packs at the top of each of ``roots``, one level deep (at most 8)."""
    found: list[Path] = []
    for root in roots:
        try:
            entries = sorted(root.iterdir())
        except OSError:
            continue
        for entry in entries:
            try:
                is_zip = entry.suffix.lower() == ".zip" and entry.is_file()
                if is_zip or (entry.is_dir() and (entry / "deck.json").is_file()):
                    found.append(entry)
            except OSError:
                continue
    return found[:8]


class KioskMode(QObject):
    """Everything kiosk mode adds, on a session and its audience window."""

    def __init__(self, session: Session, *, packs_dir: Path, state_dir: Path,
                 stats: StatsStore | None, log_dir: Path | None,
                 config_file: Path | None = None) -> None:
        audience = session.audience
        assert audience is not None, "the audience window comes first"
        super().__init__(audience.widget())
        from taixin_kiosk.config.pin import PinGuard

        self.session = session
        self.audience: Audience = audience
        # Every input reaches the idle timers and the statistics through it
        # (bound with the other input filters, after the first frame).
        self.activity: ActivityMonitor | None = None
        self.packs_dir = packs_dir
        self.state_dir = state_dir
        self.log_dir = log_dir
        self.config_file = config_file
        self.started = time.monotonic()
        # Input seen since the last idle reset: only a reset after a visit
        # counts as one in the usage figures.
        self._visited = False
        settings = session.settings
        window = audience.widget()
        self.guard: PinGuard = PinGuard(settings.pin)
        family = audience.font_family()
        self.pin_pad = PinPad(window, family, session.localizer)
        self.panel = StaffPanel(window, family, session.localizer)
        self.touch_test = TouchTest(window, family, session.localizer)
        self.pin_pad.submitted.connect(self._on_pin_submitted)
        self.pin_pad.cancelled.connect(self.close_staff)
        self.panel.action.connect(self._on_panel_action)
        self.touch_test.done.connect(self._on_touch_test_done)
        self.cursor = CursorHider(self)
        self.corner = CornerHold(window, settings.staff_corner, settings.staff_hold_seconds,
                                 self)
        self.corner.triggered.connect(self.open_pin_pad)
        self.idle: IdleController | None = None
        self.stats = stats
        self.recorder: ViewRecorder | None = None
        if stats is not None:
            from taixin_kiosk.stats.recorder import ViewRecorder

            self.recorder = ViewRecorder(stats)
        self._awake: KeepAwake | None = None
        # The timer watching a USB install on its worker thread.
        self._install_poll: QTimer | None = None
        session.modes.left.connect(self._on_mode_left)

    # -- strings --------------------------------------------------------------

    def text(self, key: str, /, **params: object) -> str:
        """The app's own words (not the content pack's) in the shown language."""
        return self.session.localizer.own_text(key, **params)

    # -- binding (after the first frame, with the other input filters) --------

    def bind(self, activity: ActivityMonitor) -> None:
        """Input is bound: the corner gesture, the cursor, the idle timers."""
        session = self.session
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.activity = activity
        self.corner.bind(app)
        app.installEventFilter(self.cursor)
        # Qt asks the filter installed last first: the activity monitor must
        # see every event before anyone acts on it (the attract loop's first
        # touch only wakes the kiosk).
        app.removeEventFilter(activity)
        app.installEventFilter(activity)
        self.cursor.hide_cursor()
        settings = session.settings
        default = settings.locale or session.content.pack.deck.default_locale
        self.idle = IdleController(
            activity, session.navigator, session.localizer, session.modes, default,
            idle_s=settings.idle_seconds, attract_s=settings.attract_seconds,
            advance_s=settings.attract_advance_seconds,
            alternate_languages=settings.attract_alternate_languages, parent=self)
        self.idle.idle_reset.connect(self._reset_access)
        if self.recorder is not None:
            self._bind_recorder()
        if settings.keep_awake:
            from taixin_kiosk.system.awake import KeepAwake

            awake = KeepAwake()
            awake.acquire()
            self._awake = awake

    def _reset_access(self) -> None:
        # One visitor's large text, contrast or subtitles do not stay for the
        # next: back to what staff configured, with the access strip closed.
        self.session.access.reset()
        self.audience.show_access_strip(False)
        self.session.localizer.set_subtitles(False)
        # Nor a keyboard user's focus ring: keys mean slides again.
        self.audience.keys_to_slides()

    def unbind(self) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.corner.unbind(app)
        app.removeEventFilter(self.cursor)
        self.cursor.show_cursor()
        if self.idle is not None:
            self.idle.stop()
        if self.recorder is not None:
            self.recorder.close()
        if self._awake is not None:
            self._awake.release()
            self._awake = None

    def _bind_recorder(self) -> None:
        recorder = self.recorder
        idle = self.idle
        activity = self.activity
        assert recorder is not None and idle is not None and activity is not None
        session = self.session

        def current() -> tuple[str, str]:
            slides = session.content.pack.deck.slides
            index = min(session.navigator.index, len(slides) - 1)
            return slides[index].id, session.localizer.locale

        def on_slide(_old: int, _new: int) -> None:
            recorder.slide(*current())

        def on_action(name: str, _argument: object) -> None:
            if name == Action.LANGUAGE.value:
                recorder.language(session.localizer.locale)

        def on_idle_reset() -> None:
            if self._visited:
                # The visitor left when the idle time began, not when it ran out.
                recorder.idle_reset(idle_for=session.settings.idle_seconds)
            self._visited = False
            # Nobody is watching the cover now: its time is not a visit.
            recorder.pause()

        def on_woke() -> None:
            recorder.attract_wake()
            recorder.resume(*current())

        def on_input() -> None:
            self._visited = True
            if recorder.paused and session.modes.mode is not Mode.ATTRACT:
                recorder.resume(*current())

        session.navigator.slide_changed.connect(on_slide)
        session.actions.triggered.connect(on_action)
        idle.idle_reset.connect(on_idle_reset)
        idle.attract_started.connect(recorder.pause)
        idle.woke.connect(on_woke)
        activity.user_input.connect(on_input)
        recorder.slide(*current())

    # -- staff access ----------------------------------------------------------

    def open_pin_pad(self) -> None:
        session = self.session
        if session.modes.mode is Mode.STAFF:
            return
        staff_log.info("staff gesture: PIN pad opened")
        self._reload_pin()
        session.modes.enter(Mode.STAFF)
        pad = self.pin_pad
        pad.reset()
        pad.cover()
        if not self.guard.pin_set:
            pad.set_locked(lambda: self.text("staff.pin.not_set"))
        elif self.guard.locked_for() > 0:
            pad.set_locked(self._lock_message)

    def _reload_pin(self) -> None:
        """The PIN as the config file has it now: set-pin works on a running
        kiosk, and a changed PIN replaces the old one at once."""
        from taixin_kiosk.config.pin import PinGuard

        stored = self.session.settings.pin
        path = self.config_file
        if path is not None and path.exists():
            from taixin_kiosk.config.load import load_config

            config = load_config(path)
            if not any(p.path == "pin" for p in config.problems):
                stored = config.pin
        if stored != self.guard.stored:
            staff_log.info("the staff PIN changed in %s; using the new one", path)
            self.guard = PinGuard(stored)

    def _lock_message(self) -> str:
        left = self.guard.locked_for()
        return self.text("staff.pin.locked", seconds=math.ceil(left)) if left > 0 else ""

    def _on_pin_submitted(self, entry: str) -> None:
        from taixin_kiosk.config.pin import valid_pin

        if self.guard.pin_set and self.guard.locked_for() <= 0 and not valid_pin(entry):
            # Not a PIN at all (Enter pressed too soon): say so, count nothing.
            self.pin_pad.show_message(self.text("staff.pin.too_short"))
            return
        outcome = self.guard.attempt(entry)
        staff_log.info("staff PIN attempt: %s", outcome)
        if outcome == "ok":
            self.pin_pad.hide()
            self.open_panel()
        elif outcome == "locked":
            self.pin_pad.set_locked(self._lock_message)
        elif outcome == "no_pin":
            self.pin_pad.set_locked(lambda: self.text("staff.pin.not_set"))
        else:
            self.pin_pad.show_message(self.text("staff.pin.wrong"))
            if self.guard.locked_for() > 0:
                self.pin_pad.set_locked(self._lock_message)

    def open_panel(self) -> None:
        self.panel.set_status(" ")
        self.panel.set_choices([], lambda _i: None)
        self.refresh_info()
        self.panel.cover()

    def close_staff(self) -> None:
        self.session.modes.leave(Mode.STAFF)

    def _on_mode_left(self, mode: object) -> None:
        if mode is Mode.STAFF:
            for overlay in (self.pin_pad, self.panel, self.touch_test):
                overlay.hide()
            self.audience.widget().activateWindow()

    def _on_touch_test_done(self) -> None:
        self.touch_test.hide()
        self.panel.cover()

    def _on_panel_action(self, name: str) -> None:
        staff_log.info("staff panel: %s", name)
        if name == "close":
            self.close_staff()
        elif name == "exit":
            self.session.end(0)
            # The process itself ends, whatever else is open, with code 0:
            # staff ended it on purpose, so the supervisor ends too.
            app = QApplication.instance()
            if app is not None:
                app.exit(0)
        elif name == "reload":
            self._report(self.session.reload_content())
        elif name == "rollback":
            self._rollback()
        elif name == "install":
            self._offer_installs()
        elif name == "touch_test":
            self.panel.hide()
            self.touch_test.cover()

    # -- content ---------------------------------------------------------------

    def _report(self, ok: bool) -> None:
        pack = self.session.content.pack
        key = "staff.status.reloaded" if ok else "staff.status.fallback"
        self.panel.set_status(self.text(key, pack=pack.deck.id, version=pack.deck.version))
        self.refresh_info()

    def _rollback(self) -> None:
        from taixin_kiosk.content.packs.install import rollback

        result = rollback(self.packs_dir)
        if not result.ok:
            self.panel.set_status(self.text("staff.status.no_rollback"))
            return
        self._report(self.session.reload_content())

    def _offer_installs(self) -> None:
        found = find_removable_packs()
        if not found:
            self.panel.set_status(self.text("staff.status.no_usb"))
            self.panel.set_choices([], lambda _i: None)
            return
        self.panel.set_status(self.text("staff.status.choose_pack"))
        self.panel.set_choices([str(path) for path in found],
                               lambda i: self._install(found[i]))

    def _install(self, source: Path) -> None:
        """Copies and checks the pack on another thread: a large pack takes
        seconds, and a GUI frozen that long would look like a hang to the
        supervisor (and to staff)."""
        import threading

        from taixin_kiosk.content.packs.install import install_pack

        self.panel.set_choices([], lambda _i: None)
        self.panel.set_status(self.text("staff.status.installing", source=str(source)))
        staff_log.info("installing the content pack %s", source)
        for button in self.panel.buttons.values():
            button.setEnabled(False)
        outcome: list[InstallResult | BaseException] = []

        def work() -> None:
            try:
                outcome.append(install_pack(source, self.packs_dir))
            except BaseException as error:  # reported on the GUI thread
                outcome.append(error)

        thread = threading.Thread(target=work, name="install-pack", daemon=True)
        thread.start()
        poll = QTimer(self)
        poll.setInterval(100)

        def check() -> None:
            if thread.is_alive():
                return
            poll.stop()
            poll.deleteLater()
            for button in self.panel.buttons.values():
                button.setEnabled(True)
            self._installed(outcome[0] if outcome else RuntimeError("no result"))

        poll.timeout.connect(check)
        poll.start()
        self._install_poll = poll

    def _installed(self, result: InstallResult | BaseException) -> None:
        if isinstance(result, BaseException):
            staff_log.error("installing a content pack failed", exc_info=result)
            self.panel.set_status(self.text("staff.status.install_failed", count=1,
                                            first=type(result).__name__))
            return
        if not result.ok:
            problems = result.errors or result.problems
            first = problems[0].format(self.text) if problems else ""
            staff_log.warning("the content pack was not installed: %d problems, first: %s",
                              len(result.errors), first)
            self.panel.set_status(self.text("staff.status.install_failed",
                                            count=len(result.errors), first=first))
            return
        self._report(self.session.reload_content())

    # -- diagnostics -----------------------------------------------------------

    def refresh_info(self) -> None:
        self.panel.set_info(self.diagnostics())

    def diagnostics(self) -> list[str]:
        text = self.text
        pack = self.session.content.pack
        uptime = int(time.monotonic() - self.started)
        lines = [
            text("staff.info.version", version=taixin_kiosk.__version__),
            text("staff.info.pack", pack=pack.deck.id, version=pack.deck.version,
                 checksum=pack.checksum[:16]),
            text("staff.info.pack_folder", folder=str(pack.root)),
            text("staff.info.uptime", hours=uptime // 3600, minutes=uptime % 3600 // 60),
            text("staff.info.restarts", count=self._restarts()),
        ]
        window_screen = self.audience.widget().screen()
        for i, screen in enumerate(QGuiApplication.screens()):
            g = screen.geometry()
            key = "staff.info.screen_here" if screen is window_screen else "staff.info.screen"
            lines.append(text(key, number=i, name=screen.name(), width=g.width(),
                              height=g.height(), x=g.x(), y=g.y(),
                              scale=f"{screen.devicePixelRatio():g}"))
        if self.log_dir is not None:
            lines.append(text("staff.info.logs", folder=str(self.log_dir)))
        lines.extend(self._usage_lines())
        lines.extend(self._error_lines())
        return lines

    def _restarts(self) -> int:
        try:
            from taixin_kiosk.system.supervisor import read_restarts

            return int(read_restarts(self.state_dir).total)
        except Exception:  # diagnostics must never take the panel down
            log.exception("could not read the restart count")
            return 0

    def _usage_lines(self) -> list[str]:
        if self.stats is None:
            return []
        try:
            today = self.stats.today()
        except Exception:
            log.exception("could not read today's statistics")
            return []
        return [self.text("staff.info.usage", views=today.total_views,
                          languages=today.language_changes, resets=today.idle_resets,
                          wakes=today.attract_wakes)]

    def _error_lines(self) -> list[str]:
        from taixin_kiosk.system.logs import recent_errors

        errors = recent_errors(3)
        if not errors:
            return [self.text("staff.info.no_errors")]
        return [self.text("staff.info.error", time=e.time.strftime("%H:%M"), area=e.area,
                          message=e.message) for e in errors]
