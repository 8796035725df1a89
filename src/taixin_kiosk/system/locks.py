"""The app's one kind of lock: an OS file lock that the system releases when
the process ends, however it ends (a killed install never leaves it held).

Two users: the instance lock, held for as long as the kiosk runs (taken
before anything else at start; the local socket that lets a second launch
bring the first to the front opens only once the first slide is on screen),
and the packs folder's lock, held while a pack is installed or rolled back.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from taixin_kiosk.system.paths import APP_NAME, app_paths

log = logging.getLogger("taixin_kiosk.kiosk")


def lock_path(key: str = APP_NAME, folder: Path | None = None) -> Path | None:
    """The lock file of ``key`` in the user's state folder (created), or None
    when that folder cannot be made."""
    folder = folder or app_paths().state_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        log.warning("no instance lock (%s: %s); relying on the socket alone", folder, error)
        return None
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in key)
    return folder / f"instance-{safe}.lock"


def take(path: Path) -> IO[bytes] | None:
    """An exclusive OS lock on ``path``, or None when another process (or
    another handle in this one) holds it. Raises OSError when the file cannot
    be opened at all. Held until :func:`release` or the process ends."""
    handle = open(path, "a+b")  # noqa: SIM115 - held open while the lock is held
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def release(handle: IO[bytes]) -> None:
    """Gives a lock :func:`take` returned back, and closes its file."""
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            with contextlib.suppress(OSError):
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


@contextlib.contextmanager
def held(path: Path) -> Iterator[bool]:
    """The lock on ``path`` for the ``with`` block: yields True when it was
    taken, False when someone else holds it. OSError when the file cannot be
    opened."""
    handle = take(path)
    try:
        yield handle is not None
    finally:
        if handle is not None:
            release(handle)


def take_instance_lock(key: str = APP_NAME) -> IO[bytes] | None:
    """The start's fast path: the lock, or None (held elsewhere, or no lock
    possible) when ``SingleInstance.claim`` must decide."""
    path = lock_path(key)
    if path is None:
        return None
    try:
        return take(path)
    except OSError:
        return None
