"""Files that must never be seen half written: the one atomic write of the app.

Every small state file the app keeps (the config file, the packs' state, the
restart count, the presenter's screen memory, the autostart entries, the
self-test's report) is replaced with :func:`write_atomic`: a reader sees the
old file or the new one, never a mix, and once it returns the new one also
survives a power cut (the file and its folder are flushed to disk). Such a
file that anyone may have replaced (the config file) is read with
:func:`read_small`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

TEMP_SUFFIX = ".tmp"


def temp_prefix(path: Path) -> str:
    """The name every temporary file for ``path`` starts with (``.NAME.``)."""
    return f".{path.name}."


def write_atomic(path: Path, data: bytes | str, *, private: bool = False,
                 encoding: str = "utf-8") -> None:
    """Replaces ``path`` with ``data`` in one step.

    A file that exists keeps its permissions; a new one gets the usual ones
    (the umask's), or with ``private`` only its owner's (it holds a PIN
    hash). The folder must exist. On an error the old file is untouched and
    the temporary file is gone; the error is raised.
    """
    raw = data.encode(encoding) if isinstance(data, str) else data
    temp = path.with_name(f"{temp_prefix(path)}{os.urandom(6).hex()}{TEMP_SUFFIX}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(temp, flags, 0o600 if private else 0o666)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(raw)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(FileNotFoundError):
            mode = path.stat().st_mode
            # A link to a device (/dev/zero is everyone's) lends no permissions.
            if stat.S_ISREG(mode):
                os.chmod(temp, stat.S_IMODE(mode))
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    fsync_folder(path.parent)


class NotAFile(OSError):
    """The path is a pipe, a socket or a device, not a file."""


class TooLarge(OSError):
    """The file holds more than the reader takes."""


def read_small(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, which must hold at most ``limit``.

    A config file swapped for a named pipe would block a plain read for ever,
    and one linked to ``/dev/zero`` would fill the memory: IsADirectoryError
    for a folder, NotAFile for anything else that is not a regular file
    (opened without blocking), TooLarge past ``limit`` bytes (counted as
    read, not trusted from the size). Other OSErrors (FileNotFoundError,
    PermissionError) as opening raises them.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):  # what reading a folder raises everywhere
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise NotAFile(f"{path}: not a regular file")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            raise TooLarge(f"{path}: more than {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Makes a rename in ``folder`` durable, where the system allows it (not Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_leftovers(path: Path) -> None:
    """Removes the temporary files an interrupted :func:`write_atomic` of
    ``path`` left beside it (only where no write of it can be running)."""
    prefix = temp_prefix(path)
    with contextlib.suppress(OSError):
        for item in path.parent.iterdir():
            if item.name.startswith(prefix) and item.name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    item.unlink()
