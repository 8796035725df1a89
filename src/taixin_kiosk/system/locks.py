"""The instance lock: an OS file lock held for as long as the kiosk runs.

Apart from ``instance.py`` (and free of Qt) so a start can take it before
anything else: the local socket that lets a second launch bring the first
to the front is opened only once the first slide is on screen.
"""

from __future__ import annotations

import logging
import sys
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
    another handle in this one) holds it. The OS releases it when the
    process dies, however it dies. Raises OSError when the file cannot be
    opened at all."""
    handle = open(path, "a+b")  # noqa: SIM115 - held open for the whole run
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
