"""Local usage statistics: the SQLite store of what visitors looked at, never who they are.

Events go to an SQLite file in the data folder (``AppPaths.stats_db``); the
database never leaves the machine. Each event is its own short transaction
in WAL mode, so a crash or a pulled plug loses at most the view in progress.
Rows older than the retention setting are deleted, which bounds the file.

Only counts and durations are kept: which slide, in which language, for how
long, and the kiosk's own events (idle resets, attract wake-ups, starts and
restarts). There is no visitor identifier of any kind, no input positions,
no pictures, and nothing a session could be re-assembled from beyond the
order of events in time.

``StatsStore`` writes and summarizes, and owns the schema and its
migrations; ``summarize`` and ``write_csv`` read a connection for it and for
the ``stats`` command (``stats.commands``). ``recorder.ViewRecorder`` turns
what the screen shows into view events; ``report`` says what a summary holds.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
import signal
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Literal

from taixin_kiosk.stats.report import SlideUsage, Summary

log = logging.getLogger("taixin_kiosk.stats")

Kind = Literal["view", "visit", "language", "idle_reset", "attract_wake", "restart", "start"]
KINDS: frozenset[str] = frozenset(
    {"view", "visit", "language", "idle_reset", "attract_wake", "restart", "start"})

DAY_S = 86_400.0
DEFAULT_RETENTION_DAYS = 365
# How far one prune may move the retention cutoff forward. A wall clock set
# years ahead (a flat clock battery, a typo, an NTP server gone wrong) would
# otherwise delete the whole history at the next start; this way each prune
# (at every start and once a day) takes at most a month of it, and the staff
# panel's error list says the clock is wrong meanwhile. A kiosk switched off
# for months catches up within days.
MAX_CUTOFF_STEP_S = 31 * 86_400.0
# Writes run on the GUI thread: wait for another writer only briefly.
BUSY_TIMEOUT_S = 2.0
# A database that could not be opened for a reason that passes (locked by
# another program, a full disk) is tried again at the next event this long
# after: a backup tool holding the file at start-up used to turn the
# statistics off for the whole session, days for a kiosk.
REOPEN_S = 60.0
CSV_FIELDS = ("time", "kind", "slide", "locale", "seconds", "detail")

# SQLite result codes (the primary code is the low byte of an extended one).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_IOERR, _SQLITE_CORRUPT = 5, 6, 10, 11
_SQLITE_FULL, _SQLITE_NOTADB = 13, 26
# Another process holds the file, or the disk is full or failing.
_NOT_THE_FILES_FAULT = frozenset({_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_IOERR, _SQLITE_FULL})


def _create_events(conn: sqlite3.Connection) -> None:
    # Plain CREATE TABLE, not IF NOT EXISTS: a foreign database that happens
    # to have an "events" table must fail here and be moved aside.
    conn.execute("""
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            ts REAL NOT NULL,
            kind TEXT NOT NULL,
            slide TEXT,
            locale TEXT,
            seconds REAL
        )""")
    conn.execute("CREATE INDEX events_ts ON events (ts)")


def _add_detail(conn: sqlite3.Connection) -> None:
    # Why the supervisor restarted the app ("exit 1", "signal SIGKILL", "hang").
    conn.execute("ALTER TABLE events ADD COLUMN detail TEXT")


def _create_prune_mark(conn: sqlite3.Connection) -> None:
    # The last retention cutoff applied (see StatsStore._prune).
    conn.execute("CREATE TABLE prune_mark (id INTEGER PRIMARY KEY CHECK (id = 1), "
                 "cutoff REAL NOT NULL)")


# MIGRATIONS[n] takes a database from schema version n to n + 1; append new
# steps, never edit old ones: kiosks in the field hold every past version.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _create_events, _add_detail, _create_prune_mark)
SCHEMA_VERSION = len(MIGRATIONS)


class _NewerSchema(Exception):
    """The database was written by a newer version of the app."""


def _primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _is_corrupt(error: sqlite3.Error) -> bool:
    return _primary_code(error) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def day_start(day: dt.date, tz: dt.tzinfo | None) -> float:
    """The first second of ``day`` as a UTC timestamp; tz None is local time."""
    return dt.datetime.combine(day, dt.time(), tzinfo=tz).timestamp()


def to_datetime(ts: float, tz: dt.tzinfo | None) -> dt.datetime:
    """A timestamp as an aware time in ``tz``; tz None is local time."""
    # astimezone() on a naive local time attaches the machine's offset, so
    # exported times are unambiguous either way.
    return dt.datetime.fromtimestamp(ts, tz) if tz else dt.datetime.fromtimestamp(ts).astimezone()


def _range_clause(start: float | None, end: float | None) -> tuple[str, list[float]]:
    parts, params = [], []
    if start is not None:
        parts.append("ts >= ?")
        params.append(start)
    if end is not None:
        parts.append("ts < ?")
        params.append(end)
    return (" AND ".join(parts) or "1"), params


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    # One read transaction, so a summary taken while the kiosk writes adds up.
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


def summarize(conn: sqlite3.Connection, start: float | None, end: float | None,
               tz: dt.tzinfo | None) -> Summary:
    """Usage between ``start`` and ``end`` (UTC timestamps, either None: open),
    with calendar days in ``tz`` (None: local time)."""
    where, params = _range_clause(start, end)
    with _snapshot(conn):
        dwell: dict[str, list[float]] = {}
        for slide, seconds in conn.execute(
                f"SELECT slide, seconds FROM events WHERE kind = 'view' AND {where}", params):
            dwell.setdefault(str(slide), []).append(float(seconds or 0.0))
        visits = [float(seconds or 0.0) for (seconds,) in conn.execute(
            f"SELECT seconds FROM events WHERE kind = 'visit' AND {where}", params)]
        reasons = dict(conn.execute(
            f"SELECT COALESCE(detail, ''), COUNT(*) FROM events WHERE kind = 'restart' "
            f"AND {where} GROUP BY detail ORDER BY COUNT(*) DESC, detail", params).fetchall())
        languages = dict(conn.execute(
            f"SELECT locale, COUNT(*) FROM events WHERE kind = 'language' AND {where} "
            "GROUP BY locale ORDER BY COUNT(*) DESC, locale", params).fetchall())
        kinds = dict(conn.execute(
            f"SELECT kind, COUNT(*) FROM events WHERE {where} GROUP BY kind", params).fetchall())
        first, last = conn.execute(
            f"SELECT MIN(ts), MAX(ts) FROM events WHERE {where}", params).fetchone()
    slides = sorted(
        (SlideUsage(slide, len(times), sum(times), statistics.median(times))
         for slide, times in dwell.items()),
        key=lambda s: (-s.views, s.slide))
    return Summary(
        slides=tuple(slides),
        languages=MappingProxyType({str(k): int(v) for k, v in languages.items()}),
        idle_resets=int(kinds.get("idle_reset", 0)),
        attract_wakes=int(kinds.get("attract_wake", 0)),
        starts=int(kinds.get("start", 0)),
        restarts=int(kinds.get("restart", 0)),
        first_day=None if first is None else to_datetime(first, tz).date(),
        last_day=None if last is None else to_datetime(last, tz).date(),
        visits=len(visits),
        visit_seconds=sum(visits),
        visit_median=statistics.median(visits) if visits else 0.0,
        restart_reasons=MappingProxyType({str(k): int(v) for k, v in reasons.items()}),
    )


def write_csv(conn: sqlite3.Connection, dest: Path, start: float | None,
               tz: dt.tzinfo | None) -> int:
    """Every event from ``start`` on, oldest first; returns the row count."""
    where, params = _range_clause(start, None)
    # Written next to the destination and renamed: a failed export never
    # leaves a truncated file that looks complete.
    part = dest.with_name(dest.name + ".part")
    count = 0
    try:
        # utf-8-sig: Excel reads a BOM-less CSV in the ANSI code page and
        # garbles Chinese slide ids and locales.
        with part.open("w", encoding="utf-8-sig", newline="") as out, _snapshot(conn):
            writer = csv.writer(out)
            writer.writerow(CSV_FIELDS)
            for ts, kind, slide, locale, seconds, detail in conn.execute(
                    f"SELECT ts, kind, slide, locale, seconds, detail FROM events WHERE {where} "
                    "ORDER BY ts, id", params):
                writer.writerow((to_datetime(ts, tz).isoformat(timespec="seconds"), kind,
                                 slide or "", locale or "",
                                 "" if seconds is None else f"{seconds:.1f}", detail or ""))
                count += 1
        part.replace(dest)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return count


_DETAIL = re.compile(r"exit -?\d+|signal [A-Z0-9]+|hang|window|crash|start_failed")


def restart_detail(reason: str, exit_code: int | None) -> str:
    """Why the supervisor restarted the app, as stored: ``exit N`` (the app
    ended with code N), ``signal NAME`` (it was killed: a negative code is a
    POSIX signal), ``hang`` (no heartbeat), ``window`` (the window not shown), or the
    supervisor's reason."""
    if exit_code is not None and exit_code < 0:
        try:
            return f"signal {signal.Signals(-exit_code).name}"
        except ValueError:
            return f"signal {-exit_code}"
    if exit_code is not None:
        return f"exit {exit_code}"
    return reason


def record_restart(path: Path, reason: str, exit_code: int | None, *,
                   retention_days: int = DEFAULT_RETENTION_DAYS) -> None:
    """The supervisor's side: one restart written to the database at ``path``,
    opened for it and closed again (the app, a separate process, writes to
    the same file meanwhile). Never raises: the restart matters more."""
    try:
        with StatsStore(path, retention_days=retention_days) as store:
            store.restart(restart_detail(reason, exit_code))
    except Exception:  # the store already logs its own trouble; this is the rest
        log.exception("could not record a restart in %s", path)


class StatsStore:
    """The statistics database of this machine.

    Never breaks the app: a corrupt or unopenable file is moved aside (renamed
    with a timestamp) and a fresh one started; if even that fails, or the
    file was written by a newer version of the app, the store records
    nothing (``enabled`` is False) and every method still succeeds. Errors
    are logged under ``taixin_kiosk.stats``.
    """

    def __init__(self, path: Path, *, retention_days: int = DEFAULT_RETENTION_DAYS,
                 clock: Callable[[], float] = time.time, tz: dt.tzinfo | None = None) -> None:
        """``clock`` gives UTC seconds; ``tz`` sets calendar days (None: the
        machine's local time)."""
        self.path = path
        if retention_days < 1:
            log.warning("statistics retention of %s days is too short; keeping 1 day",
                        retention_days)
            retention_days = 1
        self.retention_days = retention_days
        self._clock = clock
        self._tz = tz
        self._last_prune = clock()
        self._recovered = False  # moved a bad file aside once this session
        self._failing = False  # a write failed; log again only after a success
        # When to try again to open a database that was busy (None: never).
        self._reopen_at: float | None = None
        self._conn = self._open_or_recover()

    # -- opening -----------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: statements commit on their own unless wrapped
        # in an explicit BEGIN, which keeps each event one short transaction.
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            # Before anything writes: a newer version's file stays as it was.
            found = conn.execute("PRAGMA user_version").fetchone()[0]
            if found > SCHEMA_VERSION:
                raise _NewerSchema(found)
            # Takes effect only on a new file; lets a prune give space back.
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                log.warning("statistics database %s cannot use WAL (journal mode %s)",
                            self.path, mode)
            # NORMAL in WAL mode: an app crash loses nothing committed; only a
            # power cut can lose the last few events.
            conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate(conn)
            self._prune(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise _NewerSchema(version)  # written by a newer app meanwhile
        while version < SCHEMA_VERSION:
            # IMMEDIATE, then read the version again: another process (the
            # supervisor, a second instance) may have migrated meanwhile.
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version < SCHEMA_VERSION:
                    MIGRATIONS[version](conn)
                    version += 1
                    conn.execute(f"PRAGMA user_version = {int(version)}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            log.info("statistics database %s at schema version %d", self.path, version)

    def _open_or_recover(self) -> sqlite3.Connection | None:
        try:
            return self._open()
        except _NewerSchema as newer:
            # Keep a newer version's data intact for when it is reinstalled.
            log.error("statistics database %s has schema version %s, newer than this app's "
                      "%d; statistics are off for this session", self.path, newer, SCHEMA_VERSION)
            return None
        except sqlite3.Error as error:
            if _primary_code(error) in _NOT_THE_FILES_FAULT:
                # Moving a sound file aside would only split its data in two.
                log.error("statistics database %s cannot be opened now (%s); statistics are "
                          "off until it can be, tried again every %.0f s", self.path, error,
                          REOPEN_S)
                self._reopen_at = self._clock() + REOPEN_S
                return None
            if not self.path.exists():
                log.error("cannot create statistics database %s (%s); statistics are off",
                          self.path, error)
                return None
            return self._recover(error)
        except OSError as error:
            log.error("cannot create statistics database %s (%s); statistics are off",
                      self.path, error)
            return None

    def _recover(self, error: BaseException) -> sqlite3.Connection | None:
        self._recovered = True
        try:
            aside = self._move_aside()
        except OSError as move_error:
            log.error("statistics database %s cannot be used (%s) nor moved aside (%s); "
                      "statistics are off", self.path, error, move_error)
            return None
        log.error("statistics database %s cannot be used (%s); moved it to %s and started "
                  "a new one", self.path, error, aside.name)
        try:
            return self._open()
        except (sqlite3.Error, OSError, _NewerSchema) as again:
            log.error("cannot start a new statistics database %s (%s); statistics are off",
                      self.path, again)
            return None

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(self._clock()))
        aside = self.path.with_name(f"{self.path.name}.bad-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.bad-{stamp}-{n}")
        self.path.replace(aside)
        # A stale WAL left beside a fresh database would be replayed into it.
        for suffix in ("-wal", "-shm"):
            companion = self.path.with_name(self.path.name + suffix)
            if companion.exists():
                companion.replace(aside.with_name(aside.name + suffix))
        return aside

    # -- writing -----------------------------------------------------------

    def _prune(self, conn: sqlite3.Connection) -> None:
        now = self._clock()
        wanted = now - self.retention_days * DAY_S
        mark = conn.execute("SELECT cutoff FROM prune_mark WHERE id = 1").fetchone()
        if mark is not None:
            base = mark[0]
        else:
            # First prune of this file: as if the newest event had been pruned for.
            newest = conn.execute("SELECT MAX(ts) FROM events").fetchone()[0]
            base = wanted if newest is None else newest - self.retention_days * DAY_S
        cutoff = min(wanted, base + MAX_CUTOFF_STEP_S)
        if cutoff < wanted:
            log.error("the clock reads %s: the retention of %d days would delete every "
                      "event before %s at once; deleting only those before %s this time "
                      "(is the clock right?)", time.strftime("%Y-%m-%d", time.gmtime(now)),
                      self.retention_days, time.strftime("%Y-%m-%d", time.gmtime(wanted)),
                      time.strftime("%Y-%m-%d", time.gmtime(cutoff)))
        deleted = conn.execute("DELETE FROM events WHERE ts < ?", (cutoff,)).rowcount
        # Never moved back: a clock set to 1970 must not undo the progress made.
        conn.execute("INSERT INTO prune_mark (id, cutoff) VALUES (1, ?) ON CONFLICT (id) "
                     "DO UPDATE SET cutoff = MAX(cutoff, excluded.cutoff)", (cutoff,))
        if deleted > 0:
            conn.execute("PRAGMA incremental_vacuum")
            log.info("deleted %d statistics events older than %d days",
                     deleted, self.retention_days)
        self._last_prune = now

    def record(self, kind: Kind, *, slide: str | None = None, locale: str | None = None,
               seconds: float | None = None, detail: str | None = None) -> None:
        """Writes one event now, in its own transaction."""
        if kind not in KINDS:
            raise ValueError(f"unknown statistics event kind {kind!r}")
        if detail is not None and (kind != "restart" or not _DETAIL.fullmatch(detail)):
            # The database holds no free text: only a restart's reason, in
            # restart_detail's words.
            raise ValueError(f"no detail {detail!r} for a {kind!r} event")
        event = (self._clock(), kind, slide, locale, seconds, detail)
        self._reopen_if_due(event[0])
        # Twice at most: the second time into the fresh file that replaced a
        # corrupt one, so the event that found the damage is not lost.
        for _attempt in range(2):
            conn = self._conn
            if conn is None:
                return
            try:
                self._insert(conn, event)
            except sqlite3.Error as error:
                if not self._write_failed(error):
                    return
            else:
                if self._failing:
                    log.info("statistics database %s is writable again", self.path)
                self._failing = False
                return

    def _reopen_if_due(self, now: float) -> None:
        reopen_at = self._reopen_at
        if self._conn is not None or reopen_at is None or now < reopen_at:
            return
        self._reopen_at = None
        self._conn = self._open_or_recover()  # sets the next try when still busy
        if self._conn is not None:
            log.info("statistics database %s is open now; statistics are on again", self.path)

    def _insert(self, conn: sqlite3.Connection,
                event: tuple[float, str, str | None, str | None, float | None, str | None],
                ) -> None:
        now = event[0]
        # "now < last": the clock was set back; prune against the new time.
        if now - self._last_prune >= DAY_S or now < self._last_prune:
            self._prune(conn)
        conn.execute("INSERT INTO events (ts, kind, slide, locale, seconds, detail) "
                     "VALUES (?, ?, ?, ?, ?, ?)", event)

    def _write_failed(self, error: sqlite3.Error) -> bool:
        """Handles a failed write; True if a fresh database is ready to retry."""
        if _is_corrupt(error) and not self._recovered:
            self._close_connection()
            self._conn = self._recover(error)
            return self._conn is not None
        if not self._failing:
            # Once per run of failures: a full disk must not flood the log.
            log.error("cannot write to statistics database %s: %s", self.path, error)
        self._failing = True
        return False

    def view(self, slide: str, locale: str, seconds: float) -> None:
        """A visitor looked at ``slide`` in ``locale`` for ``seconds``."""
        self.record("view", slide=slide, locale=locale, seconds=seconds)

    def visit(self, seconds: float) -> None:
        """A visit ended: from a visitor's first input to their last, without
        the time staff had the PIN pad or the panel open."""
        self.record("visit", seconds=seconds)

    def language(self, locale: str) -> None:
        """A visitor chose ``locale``."""
        self.record("language", locale=locale)

    def idle_reset(self) -> None:
        """The kiosk went back to its start after nobody touched it."""
        self.record("idle_reset")

    def attract_wake(self) -> None:
        """A visitor woke the kiosk from its attract loop."""
        self.record("attract_wake")

    def start(self) -> None:
        """The app started."""
        self.record("start")

    def restart(self, reason: str | None = None) -> None:
        """The supervisor restarted the app after it stopped unexpectedly;
        ``reason`` is ``restart_detail``'s word for why."""
        self.record("restart", detail=reason)

    # -- reading -----------------------------------------------------------

    def summary(self, since: dt.date | None = None, until: dt.date | None = None) -> Summary:
        """Usage from the start of ``since`` to the end of ``until`` (both
        calendar days, both optional). An unreadable database gives an empty
        summary (and is logged), so a staff panel can always show something."""
        conn = self._conn
        if conn is None:
            return Summary()
        start = None if since is None else day_start(since, self._tz)
        end = None if until is None else day_start(until + dt.timedelta(days=1), self._tz)
        try:
            return summarize(conn, start, end, self._tz)
        except sqlite3.Error as error:
            log.error("cannot read statistics database %s: %s", self.path, error)
            return Summary()

    def today(self, now: dt.datetime | None = None) -> Summary:
        """Today's usage for the staff panel. ``now`` defaults to the clock; a
        naive ``now`` is local time."""
        if now is None:
            now = to_datetime(self._clock(), self._tz)
        day = (now.astimezone(self._tz) if now.tzinfo else now).date()
        return self.summary(day, day)

    def export_csv(self, dest: Path, since: dt.date | None = None) -> int:
        """Writes every event from ``since`` on to ``dest`` as CSV (UTF-8 with
        a BOM, ISO 8601 local times with their UTC offset); returns the number
        of events. Raises OSError if ``dest`` cannot be written and
        sqlite3.Error if the database cannot be read."""
        conn = self._conn
        start = None if since is None else day_start(since, self._tz)
        if conn is None:
            # Nothing recorded: still a valid file with its header.
            with closing(sqlite3.connect(":memory:", isolation_level=None)) as empty:
                for step in MIGRATIONS:
                    step(empty)
                return write_csv(empty, dest, start, self._tz)
        return write_csv(conn, dest, start, self._tz)

    # -- closing -----------------------------------------------------------

    def _close_connection(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error as error:
                log.warning("closing statistics database %s: %s", self.path, error)
            self._conn = None

    def close(self) -> None:
        """Closes the file (the WAL is folded into it); later events are dropped."""
        self._reopen_at = None
        self._close_connection()

    def __enter__(self) -> StatsStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
