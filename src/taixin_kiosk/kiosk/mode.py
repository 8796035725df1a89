"""Kiosk mode: an unattended touchscreen that stays up and lets only staff in.

Built by the composition root when ``Settings.kiosk`` is set. It adds, on top
of the presentation: lock-down (no way out, no cursor while touch is used),
idle reset and the attract loop, the hidden corner gesture with the PIN pad
and the staff panel (``kiosk.staff``), usage statistics (``kiosk.usage``),
keeping the display awake, following a content channel (``kiosk.channel``),
keeping the window up (``kiosk.window_guard``), opening hours
(``kiosk.opening``) and, when configured, serving monitoring metrics
(``kiosk.metrics``). ``KioskMode`` builds those
parts and binds them to the app's input; each part does its own work.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication

from taixin_kiosk.input.corner import CornerHold
from taixin_kiosk.kiosk.cursor import CursorHider
from taixin_kiosk.kiosk.diagnostics import Diagnostics
from taixin_kiosk.kiosk.idle import IdleController
from taixin_kiosk.kiosk.opening import ClosedCover, ClosedGate, OpeningHoursWatch
from taixin_kiosk.kiosk.screens import PinPad, StaffPanel, TouchTest
from taixin_kiosk.kiosk.staff import StaffAccess
from taixin_kiosk.kiosk.usage import UsageRecording, make_recorder
from taixin_kiosk.kiosk.window_guard import WindowGuard

if TYPE_CHECKING:
    from taixin_kiosk.config.pin import PinGuard
    from taixin_kiosk.config.settings import Settings
    from taixin_kiosk.core.session import Audience, Session
    from taixin_kiosk.input.activity import ActivityMonitor
    from taixin_kiosk.kiosk.channel import ChannelFollower
    from taixin_kiosk.kiosk.metrics import KioskMetrics
    from taixin_kiosk.stats.recorder import ViewRecorder
    from taixin_kiosk.stats.store import StatsStore
    from taixin_kiosk.system.awake import KeepAwake

log = logging.getLogger("taixin_kiosk.kiosk")

# Where `metrics = true` alone serves the metrics: this machine only.
DEFAULT_METRICS_ADDRESS = "127.0.0.1:9464"


def metrics_address(settings: Settings) -> str | None:
    """Where the metrics endpoint listens; None: nowhere (the default)."""
    if settings.metrics_address:
        return settings.metrics_address
    return DEFAULT_METRICS_ADDRESS if settings.metrics else None


def pin_lock_records(state_dir: Path, config_file: Path | None) -> list[Path]:
    """Where the PIN lock-out is kept: the state folder, and a copy beside the
    config file, so that deleting one file does not lift a lock-out."""
    records = [state_dir / "pin-lock.json"]
    if config_file is not None:
        records.append(config_file.with_name(".pin-lock.json"))
    return records


class KioskMode(QObject):
    """Everything kiosk mode adds, on a session and its audience window."""

    def __init__(self, session: Session, *, packs_dir: Path, state_dir: Path,
                 stats: StatsStore | None, log_dir: Path | None,
                 config_file: Path | None = None) -> None:
        audience = session.audience
        assert audience is not None, "the audience window comes first"
        super().__init__(audience.widget())
        self.session = session
        self.audience: Audience = audience
        # Every input reaches the idle timers and the statistics through it
        # (bound with the other input filters, after the first frame).
        self.activity: ActivityMonitor | None = None
        settings = session.settings
        window = audience.widget()
        family = audience.font_family()
        text = self.text
        # They find their own words and follow the language themselves.
        self.pin_pad = PinPad(window, family, session.localizer)
        self.panel = StaffPanel(window, family, session.localizer)
        self.touch_test = TouchTest(window, family, session.localizer)
        self.stats = stats
        self.channel: ChannelFollower | None = None
        if settings.channel_url and config_file is not None:
            from taixin_kiosk.kiosk.channel import ChannelFollower

            self.channel = ChannelFollower(session, text, config_file=config_file,
                                           state_dir=state_dir, packs_dir=packs_dir, parent=self)
        self.window_guard: WindowGuard | None = None
        self.metrics: KioskMetrics | None = None
        address = metrics_address(settings)
        if address is not None:
            self.metrics = self._metrics(address, state_dir)
        self.diagnostics = Diagnostics(session, audience, text, state_dir=state_dir,
                                       log_dir=log_dir, stats=stats, config_file=config_file,
                                       channel=self.channel.lines if self.channel else None,
                                       metrics=self.metrics.lines if self.metrics else None)
        self.staff = StaffAccess(session, audience, text, pin_pad=self.pin_pad,
                                 panel=self.panel, touch_test=self.touch_test,
                                 info=self.diagnostics.lines, packs_dir=packs_dir,
                                 config_file=config_file,
                                 lock_records=pin_lock_records(state_dir, config_file),
                                 parent=self)
        self.cursor = CursorHider(self)
        self.corner = CornerHold(window, settings.staff_corner, settings.staff_hold_seconds,
                                 self)
        self.corner.triggered.connect(self.open_pin_pad)
        self.idle: IdleController | None = None
        self.recorder: ViewRecorder | None = make_recorder(
            stats, self.metrics.counts if self.metrics else None)
        self.usage: UsageRecording | None = None
        self._awake: KeepAwake | None = None
        # Opening hours (kiosk.opening): the black cover and the input gate
        # while closed, and the watch that closes and opens.
        self.closed_cover = ClosedCover(window, family)
        self.closed_gate = ClosedGate(session.modes, self)
        self.opening: OpeningHoursWatch | None = None

    def _metrics(self, address: str, state_dir: Path) -> KioskMetrics | None:
        # prometheus_client loads only here: a kiosk without metrics never has it.
        try:
            from taixin_kiosk.kiosk.metrics import KioskMetrics
        except ImportError as error:  # a build without it: the kiosk runs on without
            log.error("no metrics: %s", error)
            return None
        return KioskMetrics(self.session, self.audience.widget(), self.text, address,
                            state_dir=state_dir, channel=self.channel,
                            guard=lambda: self.window_guard, parent=self)

    # -- strings --------------------------------------------------------------

    def text(self, key: str, /, **params: object) -> str:
        """The app's own words (not the content pack's) in the shown language."""
        return self.session.localizer.own_text(key, **params)

    # -- staff access (kiosk.staff) -------------------------------------------

    @property
    def guard(self) -> PinGuard:
        """The staff PIN as last read from the config file."""
        return self.staff.guard

    def open_pin_pad(self) -> None:
        self.staff.open_pin_pad()

    def open_panel(self) -> None:
        self.staff.open_panel()

    def close_staff(self) -> None:
        self.staff.close_staff()

    # -- binding (after the first frame, with the other input filters) --------

    def bind(self, activity: ActivityMonitor) -> None:
        """Input is bound: the corner gesture, the cursor, the idle timers."""
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.activity = activity
        app.installEventFilter(self.cursor)
        # Qt asks the filter installed last first: the activity monitor must
        # see every event before anyone acts on it (the attract loop's first
        # touch only wakes the kiosk). Only the corner comes before it: it
        # acts on no press, only on a hold, so it sees the whole gesture even
        # when the monitor swallows it to wake the attract loop, and one hold
        # opens the PIN pad from there too.
        app.removeEventFilter(activity)
        app.installEventFilter(activity)
        # Closed, input stops here, before the monitor (the corner still sees it).
        app.installEventFilter(self.closed_gate)
        self.corner.bind(app)
        self.cursor.hide_cursor()
        self.idle = self._idle_controller(activity)
        self.idle.idle_reset.connect(self._reset_access)
        if self.channel is not None:
            self.channel.start(self.idle)
        if self.metrics is not None:
            self.metrics.start()
        if self.recorder is not None:
            self.usage = UsageRecording(self.recorder, self.session, self.idle, activity,
                                        self.corner, self)
        if self.session.settings.keep_awake:
            from taixin_kiosk.system.awake import KeepAwake

            awake = KeepAwake()
            if not awake.acquire():
                self.diagnostics.awake_problem = awake.problem
            self._awake = awake
        self.opening = self._opening_watch(self.idle)
        self.opening.start()

    def _opening_watch(self, idle: IdleController) -> OpeningHoursWatch:
        from taixin_kiosk.system.awake import DisplayPower
        from taixin_kiosk.system.supervisor import is_supervised

        return OpeningHoursWatch(self.session, idle, self.closed_cover, self.closed_gate,
                                 DisplayPower(), lambda: self._awake,
                                 supervised=is_supervised(), parent=self)

    def _idle_controller(self, activity: ActivityMonitor) -> IdleController:
        session = self.session
        settings = session.settings
        default = settings.locale or session.content.pack.deck.default_locale
        return IdleController(
            activity, session.navigator, session.localizer, session.modes, default,
            idle_s=settings.idle_seconds, attract_s=settings.attract_seconds,
            advance_s=settings.attract_advance_seconds,
            alternate_languages=settings.attract_alternate_languages, parent=self)

    def _reset_access(self) -> None:
        # One visitor's large text, contrast or subtitles do not stay for the
        # next: back to what staff configured, with the access strip closed.
        self.session.access.reset()
        self.audience.show_access_strip(False)
        self.session.localizer.set_subtitles(False)
        # Nor a keyboard user's focus ring: keys mean slides again.
        self.audience.keys_to_slides()

    # -- the window (kiosk.window_guard) ------------------------------------------

    def keep_window_up(self) -> WindowGuard:
        """From now on the window is kept shown full screen on its screen
        (started by the real start-up only: tests place windows themselves)."""
        if self.window_guard is None:
            guard = WindowGuard(self.audience.widget(), self._screen)
            self.session.ending.connect(guard.stop)
            app = QApplication.instance()
            if isinstance(app, QApplication):
                app.aboutToQuit.connect(guard.stop)
            if self.metrics is not None:
                # A window lost or back shows in the next scrape, not a tick later.
                guard.shown_changed.connect(self.metrics.look)
            self.window_guard = guard
        self.window_guard.start()
        return self.window_guard

    def window_lost_for(self) -> float | None:
        """Seconds the window has not been shown full screen; None while it is."""
        return None if self.window_guard is None else self.window_guard.lost_for()

    def _screen(self) -> QScreen | None:
        # The configured screen while it is there, else the primary one: where
        # start-up and the screen follower put the window. Asked twice a
        # second, so quietly (target_screen warns about a missing one).
        screens = QGuiApplication.screens()
        index = self.session.settings.screen
        if index is not None and 0 <= index < len(screens):
            return screens[index]
        return QGuiApplication.primaryScreen()

    def unbind(self) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        if self.window_guard is not None:
            self.window_guard.stop()
        self.corner.unbind(app)
        app.removeEventFilter(self.closed_gate)
        if self.opening is not None:
            self.opening.stop()
        app.removeEventFilter(self.cursor)
        self.cursor.show_cursor()
        if self.idle is not None:
            self.idle.stop()
        if self.channel is not None:
            self.channel.stop()
        if self.metrics is not None:
            self.metrics.stop()
        if self.recorder is not None:
            self.recorder.close()
        if self._awake is not None:
            self._awake.release()
            self._awake = None
