"""One kiosk per user: a second launch brings the running one to the front.

The running app listens on a local socket (a named pipe on Windows); a
second launch connects, says "activate" and exits. A lock file, held by the
OS for as long as the process lives, settles two launches at the same
moment (a double tap on a desktop icon) and makes a socket left by a crash
safe to remove: nobody holds its lock.

On Linux and macOS the socket is a file beside the lock, in the app's state
folder (under ``--home`` when given), not in /tmp: it goes with the kiosk's
other files, and one left by ``kill -9`` is replaced at the next start. Where
that path is too long for a socket, or the folder cannot hold one (a FAT
stick), the runtime folder (``XDG_RUNTIME_DIR``) or the temp folder serves.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from taixin_kiosk.system.locks import lock_path, take
from taixin_kiosk.system.paths import APP_NAME, app_paths

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger("taixin_kiosk.kiosk")

ACTIVATE = b"activate"
# sockaddr_un holds 108 bytes on Linux, 104 on macOS, with the final NUL.
SOCKET_PATH_MAX = 100
KNOCK_TIMEOUT_MS = 500
# How long a launch waits for an instance that holds the lock but does not
# answer yet (it is still starting up).
STARTING_WAIT_MS = 3000


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        # No login name in the environment nor the password database
        # (a container, a service account): the uid still tells users apart.
        getuid = getattr(os, "getuid", None)
        return str(getuid()) if getuid is not None else "user"


def server_name(key: str, user: str | None = None) -> str:
    """A short name from the app, the user and ``key``: the same for every
    launch of one user, different for another user on the same machine, and
    valid both as a Windows pipe name and a Unix socket file name."""
    import hashlib

    text = "\0".join((APP_NAME, user if user is not None else _user(), key))
    return f"{APP_NAME}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"


class SingleInstance(QObject):
    """``claim`` once after the QApplication exists; keep the object alive."""

    # Another launch knocked: raise and show the window.
    activation_requested = Signal()

    def __init__(self, parent: QObject | None = None, *, lock_dir: Path | None = None) -> None:
        super().__init__(parent)
        self._lock_dir = lock_dir
        self._lock: IO[bytes] | None = None
        self._server: QLocalServer | None = None
        self.name: str | None = None

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def socket_name(self, key: str = APP_NAME) -> str:
        """The local socket of ``key`` for this user and these app folders:
        kiosks with different folders (TAIXIN_KIOSK_HOME) are different apps.
        A path in the state folder where the system has socket files."""
        return self.socket_names(key)[0]

    def socket_names(self, key: str = APP_NAME) -> list[str]:
        """Where the socket may be, first choice first (see the module)."""
        folder = self._lock_dir or app_paths().state_dir
        name = server_name(f"{key}\0{folder}")
        if sys.platform == "win32":
            return [name]  # a named pipe: no file, nothing left behind
        names: list[str] = []
        runtime = os.environ.get("XDG_RUNTIME_DIR")
        for place in (folder, Path(runtime) if runtime else None):
            if place is None:
                continue
            path = str(place / f"{name}.sock")
            if len(os.fsencode(path)) <= SOCKET_PATH_MAX:
                names.append(path)
        names.append(name)  # Qt's temp folder: the last resort
        return names

    def serve(self, key: str = APP_NAME) -> bool:
        """Listens for later launches, holding a lock taken at start-up
        (``system.locks.take_instance_lock``, then ``adopt``)."""
        from PySide6.QtNetwork import QLocalServer

        # Whatever socket is left under these names belongs to a crashed
        # process: we hold the lock, so nobody else is starting.
        for name in self.socket_names(key):
            QLocalServer.removeServer(name)
        return self._listen(self.socket_names(key))

    def claim(self, key: str = APP_NAME, *, wait_ms: int = STARTING_WAIT_MS) -> bool:
        """True: this is the only instance (and now listens for others).
        False: another one runs and was asked to come to the front; exit."""
        from PySide6.QtNetwork import QLocalServer

        names = self.socket_names(key)
        if _knock_any(names):
            log.info("another instance is running; asked it to come to the front")
            return False
        lock_path = self._lock_path(key)
        deadline = time.monotonic() + wait_ms / 1000
        while lock_path is not None:
            try:
                self._lock = take(lock_path)
            except OSError as error:
                log.warning("no instance lock (%s: %s); relying on the socket alone",
                            lock_path, error)
                break
            if self._lock is not None:
                break
            # Another instance holds the lock: it is starting and will
            # listen in a moment. Never start a second one beside it.
            if _knock_any(names):
                log.info("another instance was starting; asked it to come to the front")
                return False
            if time.monotonic() >= deadline:
                log.warning("another instance holds %s but does not answer; not starting",
                            lock_path)
                return False
            time.sleep(0.1)
        # Whatever socket is left under these names belongs to a crashed
        # process: nobody answered and (with the lock) nobody else is starting.
        for name in names:
            QLocalServer.removeServer(name)
        return self._listen(names)

    def _listen(self, names: list[str]) -> bool:
        from PySide6.QtNetwork import QLocalServer

        for name in names:
            server = QLocalServer(self)
            server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
            server.newConnection.connect(self._on_connection)
            if server.listen(name):
                self._server = server
                self.name = name
                log.info("single instance: listening on %s", server.fullServerName())
                return True
            log.info("cannot listen on %s: %s", name, server.errorString())
            server.deleteLater()
        # Still the only instance: run, just without being able to be
        # brought to the front by a second launch.
        log.warning("no single-instance socket (tried %s)", ", ".join(names))
        return True

    def release(self) -> None:
        """Stops listening and lets the next launch be the instance."""
        if self._server is not None:
            # Closing removes the socket file: nothing is left behind.
            self._server.close()
            self._server.deleteLater()
            self._server = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _lock_path(self, key: str) -> Path | None:
        return lock_path(key, self._lock_dir)

    def adopt(self, handle: IO[bytes]) -> None:
        """Holds a lock taken before this object existed (``system.locks``)."""
        self._lock = handle

    def _on_connection(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._closed(s))
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data()).strip()
            if line == ACTIVATE:
                log.info("another launch asked this instance to come to the front")
                self.activation_requested.emit()
        if socket.bytesAvailable() > 256:  # not our protocol: drop it
            socket.abort()

    def _closed(self, socket: QLocalSocket) -> None:
        self._read(socket)
        socket.deleteLater()


def _knock_any(names: list[str]) -> bool:
    """True when an instance listens on one of ``names``. A socket file that
    nobody listens on (left by a killed app) refuses at once."""
    return any(_knock(name) for name in names)


def _knock(name: str, timeout_ms: int = KNOCK_TIMEOUT_MS) -> bool:
    """True when an instance listens on ``name`` (it was told to activate)."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        socket.abort()
        return False
    if sys.platform == "win32":
        import ctypes

        # Windows lets only the process the user just started take the
        # foreground; this hands that right on to the running instance, or
        # its window would only flash in the taskbar.
        ASFW_ANY = -1
        ctypes.windll.user32.AllowSetForegroundWindow(ASFW_ANY)
    socket.write(ACTIVATE + b"\n")
    socket.flush()
    with contextlib.suppress(RuntimeError):
        socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(timeout_ms)
    return True
