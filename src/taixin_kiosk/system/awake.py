"""Keeps the display on while the kiosk runs (kiosk mode only).

Windows: SetThreadExecutionState, which holds for the calling thread, so
acquire and release on the GUI thread. Linux: the idle inhibit of the
desktop over the D-Bus session bus (org.freedesktop.ScreenSaver, or GNOME's
session manager); the desktop drops an inhibit by itself when the app exits,
so a crash never leaves the screen stuck on. With no bus or no such service
(the panel-less X session the README recommends), the X server's own screen
saver and DPMS are turned off with ``xset`` and put back on release. When
nothing holds, that is a warning in the log and a line for the staff panel
(:attr:`KeepAwake.problem`), never an exception.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from taixin_kiosk.system.paths import APP_NAME

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection, QDBusInterface

log = logging.getLogger("taixin_kiosk.kiosk")

ES_SYSTEM_REQUIRED = 0x00000001
ES_DISPLAY_REQUIRED = 0x00000002
ES_CONTINUOUS = 0x80000000

# An identifier rather than a sentence: desktops show it next to the app's
# name in their power settings.
DEFAULT_REASON = "kiosk-mode"


class AwakeBackend(Protocol):
    """One platform's way to keep the display on."""

    @property
    def name(self) -> str: ...

    def inhibit(self, reason: str) -> bool:
        """Holds the display on; False when that is not possible here."""
        ...

    def uninhibit(self) -> None: ...


class KeepAwake:
    """``acquire`` holds the display on, ``release`` lets it sleep again.

    Both are idempotent and never raise: a kiosk whose screen may blank is
    still better than one that does not start.
    """

    def __init__(self, backend: AwakeBackend | None = None, *,
                 reason: str = DEFAULT_REASON) -> None:
        self._backend = backend
        self.reason = reason
        self._held = False
        # Why the display is not held (a code: see PROBLEMS), for the staff panel.
        self.problem: str | None = None

    @property
    def held(self) -> bool:
        return self._held

    def acquire(self) -> bool:
        """True when the display is now held on."""
        if self._held:
            return True
        try:
            backend = self._backend = self._backend or default_backend()
            self._held = bool(backend.inhibit(self.reason))
        except Exception:  # the promise: never raises, whatever the platform does
            log.warning("could not keep the display awake", exc_info=True)
            self.problem = "failed"
            return False
        if self._held:
            self.problem = None
            log.info("keeping the display awake (%s)", backend.name)
        else:
            self.problem = getattr(backend, "problem", None) or "failed"
            # A warning: a kiosk whose screen goes dark looks broken to visitors.
            log.warning("the display is not kept awake and may sleep (%s)", self.problem)
        return self._held

    def release(self) -> None:
        if not self._held or self._backend is None:
            return
        self._held = False
        try:
            self._backend.uninhibit()
        except Exception:
            log.warning("could not let the display sleep again", exc_info=True)
        else:
            log.info("the display may sleep again (%s)", self._backend.name)


# Why nothing holds the display: each code has staff.info.awake.<code> in the catalogues.
PROBLEMS = ("failed", "unsupported", "no_session_bus", "no_inhibit_service")


def default_backend() -> AwakeBackend:
    if sys.platform == "win32":
        return WindowsBackend()
    if sys.platform == "darwin":
        return NullBackend("macOS is not supported")
    return FirstThatHolds((DBusBackend(), XsetBackend()))


class FirstThatHolds:
    """Tries each backend in turn; the first that holds is the one released.
    When none holds, the first one's problem is the one reported (the usual
    way failed; the fallback is a bonus)."""

    def __init__(self, backends: Sequence[AwakeBackend]) -> None:
        self.backends = tuple(backends)
        self._held: AwakeBackend | None = None
        self.problem: str | None = None

    @property
    def name(self) -> str:
        return self._held.name if self._held is not None else self.backends[0].name

    def inhibit(self, reason: str) -> bool:
        self.problem = None
        for backend in self.backends:
            if backend.inhibit(reason):
                self._held = backend
                return True
            self.problem = self.problem or getattr(backend, "problem", None)
        return False

    def uninhibit(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            held.uninhibit()


class NullBackend:
    """Nothing to hold on this system; says why once."""

    name = "none"
    problem = "unsupported"

    def __init__(self, why: str) -> None:
        self.why = why

    def inhibit(self, reason: str) -> bool:
        log.info("the display is not kept awake: %s", self.why)
        return False

    def uninhibit(self) -> None:
        pass


# -- Windows ------------------------------------------------------------------

def _set_thread_execution_state() -> Callable[[int], int]:
    if sys.platform == "win32":
        import ctypes

        function = ctypes.windll.kernel32.SetThreadExecutionState
        function.argtypes = [ctypes.c_uint32]
        function.restype = ctypes.c_uint32
        return function  # type: ignore[no-any-return]
    raise OSError("SetThreadExecutionState exists only on Windows")


class WindowsBackend:
    name = "SetThreadExecutionState"

    def __init__(self, set_state: Callable[[int], int] | None = None) -> None:
        self._set_state = set_state

    def _call(self, flags: int) -> int:
        if self._set_state is None:
            self._set_state = _set_thread_execution_state()
        return self._set_state(flags)

    def inhibit(self, reason: str) -> bool:
        # ES_CONTINUOUS: the state lasts until changed again, not just once.
        previous = self._call(ES_CONTINUOUS | ES_DISPLAY_REQUIRED | ES_SYSTEM_REQUIRED)
        if previous == 0:
            log.warning("SetThreadExecutionState failed; the display may sleep")
            return False
        return True

    def uninhibit(self) -> None:
        self._call(ES_CONTINUOUS)


# -- Linux (and other freedesktop systems) --------------------------------------

class _Service(NamedTuple):
    service: str
    path: str
    interface: str
    inhibit: str  # the method's signature, as introspection reports it
    uninhibit: str


# KDE and most others implement the freedesktop interface (on two paths);
# GNOME implements its session manager's. Flags 4|8: no suspend, no idle.
_SERVICES = (
    _Service("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver",
             "org.freedesktop.ScreenSaver", "Inhibit(QString,QString)", "UnInhibit(uint)"),
    _Service("org.freedesktop.ScreenSaver", "/ScreenSaver",
             "org.freedesktop.ScreenSaver", "Inhibit(QString,QString)", "UnInhibit(uint)"),
    _Service("org.gnome.SessionManager", "/org/gnome/SessionManager",
             "org.gnome.SessionManager", "Inhibit(QString,uint,QString,uint)",
             "Uninhibit(uint)"),
)
_GNOME_FLAGS = 4 | 8
CALL_TIMEOUT_MS = 2000


def _session_bus() -> QDBusConnection:
    from PySide6.QtDBus import QDBusConnection

    return QDBusConnection.sessionBus()


def _has_method(iface: QDBusInterface, signature: str) -> bool:
    # invokeMethod on a missing method prints a Qt warning; ask first.
    return iface.metaObject().indexOfMethod(signature) >= 0


class DBusBackend:
    """The desktop's idle inhibit, over the session bus.

    Methods are invoked through the interface's introspected meta-object:
    only that way do the cookie and flags go out as D-Bus ``u`` (a plain call
    sends Python ints as ``i``, which the services reject).
    """

    name = "D-Bus idle inhibit"

    def __init__(self, bus: Callable[[], QDBusConnection] = _session_bus, *,
                 application: str = APP_NAME) -> None:
        self._bus = bus
        self.application = application
        self._held: tuple[QDBusInterface, _Service, int] | None = None
        self.problem: str | None = None

    def inhibit(self, reason: str) -> bool:
        from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject, Qt
        from PySide6.QtDBus import QDBusInterface

        bus = self._bus()
        if not bus.isConnected():
            self.problem = "no_session_bus"
            log.warning("no D-Bus session bus (%s): no desktop to ask to keep the display awake",
                        bus.lastError().message() or "not connected")
            return False
        direct = Qt.ConnectionType.DirectConnection
        for service in _SERVICES:
            iface = QDBusInterface(service.service, service.path, service.interface, bus)
            if not iface.isValid() or not _has_method(iface, service.inhibit):
                continue
            # A desktop service that does not answer must not stall the GUI
            # thread for D-Bus's default 25 s (the supervisor would call that
            # a hang).
            iface.setTimeout(CALL_TIMEOUT_MS)
            if service.service == "org.gnome.SessionManager":
                cookie = QMetaObject.invokeMethod(
                    iface, "Inhibit", direct, Q_RETURN_ARG("uint"),
                    Q_ARG(str, self.application), Q_ARG("uint", 0), Q_ARG(str, reason),
                    Q_ARG("uint", _GNOME_FLAGS))
            else:
                cookie = QMetaObject.invokeMethod(
                    iface, "Inhibit", direct, Q_RETURN_ARG("uint"),
                    Q_ARG(str, self.application), Q_ARG(str, reason))
            error = iface.lastError()
            if error.isValid() or not isinstance(cookie, int):
                log.info("%s refused the idle inhibit: %s", service.service,
                         error.message() or cookie)
                continue
            self._held = (iface, service, cookie)
            log.info("idle inhibited through %s %s (cookie %d)", service.service,
                     service.path, cookie)
            return True
        self.problem = "no_inhibit_service"
        log.warning("the desktop offers no idle inhibit on D-Bus")
        return False

    def uninhibit(self) -> None:
        from PySide6.QtCore import Q_ARG, QMetaObject, Qt

        held, self._held = self._held, None
        if held is None:
            return
        iface, service, cookie = held
        method = service.uninhibit.partition("(")[0]
        if not _has_method(iface, service.uninhibit):
            log.warning("%s has no %s any more", service.service, method)
            return
        QMetaObject.invokeMethod(iface, method, Qt.ConnectionType.DirectConnection,
                                 Q_ARG("uint", cookie))
        error = iface.lastError()
        if error.isValid():
            log.warning("%s.%s failed: %s", service.service, method, error.message())


# -- X11 without a desktop: the X server's screen saver and DPMS -------------------

_TIMEOUT = re.compile(r"timeout:\s*(\d+)\s+cycle:\s*(\d+)")
XSET_TIMEOUT_S = 5.0


def run_xset(run: Callable[..., subprocess.CompletedProcess[str]], exe: str,
             *args: str) -> subprocess.CompletedProcess[str] | None:
    try:
        return run([exe, *args], capture_output=True, text=True, timeout=XSET_TIMEOUT_S,
                   check=False)
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("xset %s failed: %s", " ".join(args), error)
        return None


class XsetBackend:
    """``xset s off -dpms``: the X server itself blanks a panel-less session's
    screen, and no D-Bus service is there to ask. The settings found are put
    back on release (a crash leaves the screen on, which a kiosk wants)."""

    name = "xset"

    def __init__(self, run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run,
                 which: Callable[[str], str | None] = shutil.which) -> None:
        self._run = run
        self._which = which
        self._restore: list[list[str]] = []
        # The machine's own settings, as first found: after a night of
        # opening hours (``xset dpms force off`` turns DPMS on) a second
        # query would no longer see them.
        self._own: list[list[str]] | None = None
        self.problem: str | None = None

    def _xset(self, exe: str, *args: str) -> subprocess.CompletedProcess[str] | None:
        return run_xset(self._run, exe, *args)

    def inhibit(self, reason: str) -> bool:
        exe = self._which("xset") if os.environ.get("DISPLAY") else None
        if exe is None:
            self.problem = "unsupported"
            return False
        query = self._xset(exe, "q")
        if query is None or query.returncode != 0:
            self.problem = "failed"
            return False
        restore = []
        timeout = _TIMEOUT.search(query.stdout)
        if timeout is not None:
            restore.append([exe, "s", timeout.group(1), timeout.group(2)])
        if "DPMS is Enabled" in query.stdout:
            restore.append([exe, "+dpms"])
        restore = self._own = restore if self._own is None else self._own
        done = self._xset(exe, "s", "off", "-dpms")
        if done is None or done.returncode != 0:
            self.problem = "failed"
            return False
        self._restore = restore
        log.info("no desktop idle inhibit: the X screen saver and DPMS are off (xset)")
        return True

    def uninhibit(self) -> None:
        restore, self._restore = self._restore, []
        for command in restore:
            self._xset(command[0], *command[1:])


# -- outside opening hours: the display off, and on again -------------------------

class DisplayPower:
    """Asks an X11 display to go dark now (``xset dpms force off``) and to
    come back (``xset dpms force on``, the screen saver reset). Elsewhere (no
    xset, no DISPLAY, Windows) it does nothing: releasing the keep-awake lets
    the system's own power settings put the display to sleep."""

    def __init__(self, run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run,
                 which: Callable[[str], str | None] = shutil.which) -> None:
        self._run = run
        self._which = which

    def _force(self, level: str) -> bool:
        exe = self._which("xset") if os.environ.get("DISPLAY") else None
        if exe is None:
            return False
        done = run_xset(self._run, exe, "dpms", "force", level)
        if level == "on":
            run_xset(self._run, exe, "s", "reset")
        return done is not None and done.returncode == 0

    def sleep(self) -> bool:
        """True when the X server was asked to turn the display off."""
        return self._force("off")

    def wake(self) -> bool:
        return self._force("on")
