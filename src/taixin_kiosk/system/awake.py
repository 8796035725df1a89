"""Keeps the display on while the kiosk runs (kiosk mode only).

Windows: SetThreadExecutionState, which holds for the calling thread, so
acquire and release on the GUI thread. Linux: the idle inhibit of the
desktop over the D-Bus session bus (org.freedesktop.ScreenSaver, or GNOME's
session manager); with no bus or no such service nothing is held, and that
is logged, not raised. The desktop drops an inhibit by itself when the app
exits, so a crash never leaves the screen stuck on.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
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

    name: str

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
            return False
        if self._held:
            log.info("keeping the display awake (%s)", backend.name)
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


def default_backend() -> AwakeBackend:
    if sys.platform == "win32":
        return WindowsBackend()
    if sys.platform == "darwin":
        return NullBackend("macOS is not supported")
    return DBusBackend()


class NullBackend:
    """Nothing to hold on this system; says why once."""

    name = "none"

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

    def inhibit(self, reason: str) -> bool:
        from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject, Qt
        from PySide6.QtDBus import QDBusInterface

        bus = self._bus()
        if not bus.isConnected():
            log.info("no D-Bus session bus (%s); the display is not kept awake",
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
        log.info("the desktop offers no idle inhibit on D-Bus; the display is not kept awake")
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
