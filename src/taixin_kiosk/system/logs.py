"""Log files for the people who look after a kiosk.

One rotating file in the platform's log folder (``AppPaths.log_dir``), a
short stderr stream for warnings, and an in-memory list of the last errors
for the staff panel's diagnostics. Qt's own warnings join them
(``route_qt_messages``), so a missing plugin or font is in the same file.
Loggers are named ``taixin_kiosk.<area>`` (see ``AREAS``), so a log line
says which part of the app wrote it.

Nothing about visitors is logged: no touch positions, no typed digits, no
pictures; slide ids and counts at most.
"""

from __future__ import annotations

import collections
import logging
import sys
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import datetime as dt
    import threading
    from pathlib import Path
    from types import TracebackType

ROOT_LOGGER = "taixin_kiosk"
LOG_FILE = "taixin-kiosk.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 5
ERRORS_KEPT = 50
FILE_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"
STDERR_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"
STDERR_DATEFMT = "%H:%M:%S"

AREAS = frozenset({
    # the running presentation
    "app", "actions", "charts", "content", "export", "fonts", "i18n", "input", "modes",
    "nav", "ui",
    # kiosk mode
    "channel", "config", "kiosk", "metrics", "packs", "staff", "stats", "supervisor",
    # presenter mode
    "presenter",
    # accessibility (large text, contrast, motion, reach)
    "access",
    # Qt's own messages (route_qt_messages)
    "qt",
})


def logger(area: str) -> logging.Logger:
    """The logger of one area of the app; raises ValueError for an unknown one,
    so a typo does not scatter an area's lines under two names."""
    if area not in AREAS:
        raise ValueError(f"unknown log area {area!r}; add it to taixin_kiosk.logs.AREAS")
    return logging.getLogger(f"{ROOT_LOGGER}.{area}")


class ErrorRecord(NamedTuple):
    """One logged error, as the staff panel shows it."""

    time: dt.datetime  # local time, with its UTC offset
    area: str  # "stats" for taixin_kiosk.stats; a library's logger name as it is
    level: str  # ERROR or CRITICAL
    message: str
    exc_type: str | None  # the exception's class name, if one was logged


def _area(name: str) -> str:
    if name == ROOT_LOGGER:
        return ""
    if name.startswith(ROOT_LOGGER + "."):
        return name[len(ROOT_LOGGER) + 1:].split(".", 1)[0]
    return name


def _local_time(timestamp: float) -> dt.datetime:
    # Here, not at the top: the app routes Qt's messages through this module
    # before its first slide, which need not wait for datetime.
    import datetime

    return datetime.datetime.fromtimestamp(timestamp).astimezone()


class _ErrorBuffer(logging.Handler):
    """Keeps the last ERROR and CRITICAL records in memory."""

    def __init__(self, capacity: int) -> None:
        super().__init__(logging.ERROR)
        self.records: collections.deque[ErrorRecord] = collections.deque(maxlen=capacity)
        # Every error since start, by area (the monitoring metrics): never
        # cleared, unlike the list staff see.
        self.counts: collections.Counter[str] = collections.Counter()

    def resize(self, capacity: int) -> None:
        self.acquire()
        try:
            self.records = collections.deque(self.records, maxlen=capacity)
        finally:
            self.release()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the error itself
            message = str(record.msg)
        exc = record.exc_info[0] if record.exc_info else None
        self.counts[_area(record.name)] += 1
        self.records.append(ErrorRecord(
            time=_local_time(record.created),
            area=_area(record.name), level=record.levelname, message=message,
            exc_type=exc.__name__ if exc is not None else None))

    def latest(self, limit: int) -> list[ErrorRecord]:
        self.acquire()
        try:
            records = list(self.records)
        finally:
            self.release()
        return records[::-1][:max(0, limit)]


# One buffer for the whole process: a second setup_logging (say, after the
# configuration is read) keeps the errors logged before it.
_errors = _ErrorBuffer(ERRORS_KEPT)
_installed: list[logging.Handler] = []


def _level(name: str) -> tuple[int, bool]:
    value = logging.getLevelNamesMapping().get(str(name).strip().upper())
    return (logging.INFO, False) if value is None else (value, True)


def close_logging() -> None:
    """Removes and closes the handlers ``setup_logging`` installed."""
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        if handler is not _errors:
            handler.close()
    _installed.clear()


def setup_logging(log_dir: Path, level: str = "INFO", *, file_name: str = LOG_FILE,
                  max_bytes: int = MAX_BYTES, backups: int = BACKUPS,
                  errors_kept: int = ERRORS_KEPT) -> Path | None:
    """Logs to ``log_dir/file_name`` (rotating at ``max_bytes``, keeping
    ``backups`` old files), to stderr from WARNING up, and into the buffer
    ``recent_errors`` reads. Returns the log file, or None when ``log_dir``
    cannot be written (then only stderr and the buffer). Never raises.

    Calling it again replaces what the previous call installed, so it can
    be re-run with another folder or level. Handlers go on the root logger:
    warnings from Qt's Python side, pyqtgraph or Pillow land in the file too.
    A second process (the supervisor) should pass its own ``file_name``: two
    processes rotating one file lose lines, and on Windows cannot rotate it.
    """
    close_logging()
    root = logging.getLogger()
    file_level, known = _level(level)

    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.WARNING)
    stderr.setFormatter(logging.Formatter(STDERR_FORMAT, STDERR_DATEFMT))

    path: Path | None = None
    problem: OSError | None = None
    handlers: list[logging.Handler] = [stderr]
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        # Here, not at the top: logging.handlers brings socket, pickle and
        # more, about 8 ms the first slide does not wait for.
        from logging.handlers import RotatingFileHandler

        rotating = RotatingFileHandler(
            log_dir / file_name, maxBytes=max(0, max_bytes), backupCount=max(0, backups),
            encoding="utf-8")
    except OSError as error:
        problem = error
    else:
        path = log_dir / file_name
        rotating.setLevel(file_level)
        rotating.setFormatter(logging.Formatter(FILE_FORMAT))
        handlers.append(rotating)

    _errors.resize(max(1, errors_kept))
    handlers.append(_errors)
    for handler in handlers:
        root.addHandler(handler)
        _installed.append(handler)
    # The root level lets through what the most talkative handler wants;
    # each handler filters for itself.
    root.setLevel(min(file_level, logging.WARNING) if path else logging.WARNING)

    log = logging.getLogger(f"{ROOT_LOGGER}.app")
    if not known:
        log.warning("unknown log level %r; using INFO", level)
    if problem is not None:
        log.warning("cannot write log files in %s (%s); logging to stderr only",
                    log_dir, problem)
    return path


def recent_errors(limit: int = 20) -> list[ErrorRecord]:
    """The last errors logged in this process, newest first."""
    return _errors.latest(limit)


def error_counts() -> dict[str, int]:
    """How many errors each area logged since start (the root logger's as "")."""
    _errors.acquire()
    try:
        return dict(_errors.counts)
    finally:
        _errors.release()


def clear_recent_errors() -> None:
    """Forgets the errors ``recent_errors`` returns (staff cleared the list)."""
    _errors.acquire()
    try:
        _errors.records.clear()
    finally:
        _errors.release()


def log_exception(exc_type: type[BaseException], exc: BaseException,
                  tb: TracebackType | None) -> None:
    """Logs an uncaught exception with its traceback; fits ``sys.excepthook``."""
    log = logging.getLogger(f"{ROOT_LOGGER}.app")
    if issubclass(exc_type, KeyboardInterrupt):
        log.info("interrupted (Ctrl+C)")
        return
    log.critical("uncaught %s: %s", exc_type.__name__, exc, exc_info=(exc_type, exc, tb))


def log_thread_exception(args: threading.ExceptHookArgs) -> None:
    """``log_exception`` for ``threading.excepthook``."""
    if args.exc_value is None:
        return
    thread = args.thread.name if args.thread is not None else "?"
    logging.getLogger(f"{ROOT_LOGGER}.app").critical(
        "uncaught %s in thread %s: %s", args.exc_type.__name__, thread, args.exc_value,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback))


def route_qt_messages() -> object:
    """Qt's own messages (a plugin it cannot load, a font it cannot read, a
    window it cannot raise) go into the log, under ``taixin_kiosk.qt``, at
    their own level, instead of only to a console a kiosk does not have.

    Only the app calls this (the supervisor and the commands never load Qt).
    Returns the handler it replaced.
    """
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    log = logging.getLogger(f"{ROOT_LOGGER}.qt")
    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        log.log(levels.get(kind, logging.WARNING), "%s", message)

    return qInstallMessageHandler(handler)
