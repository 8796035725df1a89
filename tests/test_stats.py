"""Usage statistics: the SQLite store, view timing, summaries, CSV, the command."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import logging
import os
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest

from taixin_kiosk.content.builtin import app_catalogue
from taixin_kiosk.stats import store as stats
from taixin_kiosk.stats.commands import cmd_stats, since_parser
from taixin_kiosk.stats.recorder import ViewRecorder
from taixin_kiosk.stats.report import Summary, format_duration, format_summary, parse_since
from taixin_kiosk.stats.store import SCHEMA_VERSION, StatsStore

BEIJING = dt.timezone(dt.timedelta(hours=8))
DAY = 86_400.0
# 2025-05-01 10:00 in Beijing.
T0 = dt.datetime(2025, 5, 1, 10, 0, tzinfo=BEIJING).timestamp()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Sink:
    """Records what a ViewRecorder writes, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []

    def view(self, slide: str, locale: str, seconds: float) -> None:
        self.calls.append(("view", slide, locale, seconds))

    def language(self, locale: str) -> None:
        self.calls.append(("language", locale))

    def idle_reset(self) -> None:
        self.calls.append(("idle_reset",))

    def attract_wake(self) -> None:
        self.calls.append(("attract_wake",))

    def visit(self, seconds: float) -> None:
        self.calls.append(("visit", seconds))


def rows(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT ts, kind, slide, locale, seconds FROM events ORDER BY id").fetchall()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "nested" / "stats.sqlite3"


@pytest.fixture
def wall() -> Clock:
    return Clock(T0)


@pytest.fixture
def store(db: Path, wall: Clock):
    s = StatsStore(db, clock=wall, tz=BEIJING)
    yield s
    s.close()


# -- the database ----------------------------------------------------------

def test_creates_folder_in_wal_mode_with_schema_version(store, db):
    assert store.enabled and db.is_file()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        columns = [r[1] for r in conn.execute("PRAGMA table_info(events)")]
    # Nothing about a visitor: no id, no position, no free text ("detail" is
    # a restart's reason, from a fixed set of words: see below).
    assert columns == ["id", "ts", "kind", "slide", "locale", "seconds", "detail"]


def test_each_event_is_committed_at_once(store, db, wall):
    store.start()
    store.view("cover", "zh-CN", 12.5)
    wall.advance(3)
    store.language("en")
    store.idle_reset()
    store.attract_wake()
    store.restart()
    # Another connection sees them before the store is closed: a crash now
    # would lose nothing.
    assert rows(db) == [
        (T0, "start", None, None, None),
        (T0, "view", "cover", "zh-CN", 12.5),
        (T0 + 3, "language", None, "en", None),
        (T0 + 3, "idle_reset", None, None, None),
        (T0 + 3, "attract_wake", None, None, None),
        (T0 + 3, "restart", None, None, None),
    ]


def test_reopening_after_an_unclosed_store_keeps_everything(db, wall):
    first = StatsStore(db, clock=wall)
    first.view("cover", "en", 5.0)
    # No close(): as after a crash. A second store opens the same file.
    second = StatsStore(db, clock=wall)
    second.view("map", "en", 6.0)
    assert [r[2] for r in rows(db)] == ["cover", "map"]
    second.close()
    first.close()


def test_a_database_locked_at_start_is_opened_again_later(db, wall, monkeypatch):
    # Another program (a backup, a stats export) held the file when the app
    # started: the statistics stayed off for the whole session, for days on
    # a kiosk that runs day and night.
    with StatsStore(db, clock=wall) as first:
        first.start()
    monkeypatch.setattr(stats, "BUSY_TIMEOUT_S", 0.05)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    locked = StatsStore(db, clock=wall)
    try:
        assert not locked.enabled
        locked.view("cover", "en", 5.0)  # while locked: not kept
        wall.advance(stats.REOPEN_S / 2)
        locked.view("cover", "en", 6.0)  # too soon to try again
        holder.execute("ROLLBACK")
        holder.close()
        wall.advance(stats.REOPEN_S / 2)
        locked.view("map", "en", 7.0)
        assert locked.enabled
        assert [(r[1], r[2]) for r in rows(db)] == [("start", None), ("view", "map")]
    finally:
        locked.close()


def test_unknown_kind_is_a_programming_error(store):
    with pytest.raises(ValueError, match="unknown statistics event kind"):
        store.record("visitor_name")  # type: ignore[arg-type]


def test_retention_deletes_old_events_at_open(db, wall):
    with StatsStore(db, clock=wall, retention_days=30) as s:
        s.view("old", "en", 5.0)
        wall.advance(20 * DAY)
        s.view("recent", "en", 5.0)
    wall.advance(15 * DAY)  # "old" is now 35 days old, "recent" 15
    with StatsStore(db, clock=wall, retention_days=30) as s:
        assert [r[2] for r in rows(db)] == ["recent"]
        assert s.summary().total_views == 1


def test_retention_runs_at_most_once_a_day(db, wall):
    s = StatsStore(db, clock=wall, retention_days=1)  # pruned at open: T0
    wall.advance(0.5 * DAY)
    s.view("a", "en", 5.0)  # at T0 + 0.5 d
    wall.advance(0.7 * DAY)
    s.idle_reset()  # T0 + 1.2 d: a day since the last prune; "a" is 0.7 d old
    wall.advance(0.8 * DAY)
    s.idle_reset()  # T0 + 2.0 d: "a" is 1.5 d old, but the last prune was 0.8 d ago
    assert "a" in [r[2] for r in rows(db)]
    wall.advance(0.3 * DAY)
    s.idle_reset()  # T0 + 2.3 d: prune again, of everything before T0 + 1.3 d
    assert [r[0] for r in rows(db)] == [T0 + 2.0 * DAY, T0 + 2.3 * DAY]
    s.close()


def test_a_clock_set_years_ahead_does_not_delete_the_history(db, wall, caplog):
    """A flat clock battery or a typo puts the clock in 2099: the next start
    must not delete every real event (the hostile review saw all of them go)."""
    with StatsStore(db, clock=wall, retention_days=365) as s:
        for day in range(10):
            s.view(f"day{day}", "en", 5.0)
            wall.advance(DAY)
    wall.advance(75 * 365 * DAY)  # the clock jumps to the 2090s
    with caplog.at_level(logging.ERROR, "taixin_kiosk.stats"), \
            StatsStore(db, clock=wall, retention_days=365) as s:
        assert len(rows(db)) == 10
        assert "is the clock right?" in caplog.text
        s.view("after the jump", "en", 5.0)
    # Daily prunes under the wrong clock move the cutoff a month at a time:
    # the first real event, whose 365 days of retention began when it was
    # written, goes at the twelfth (days to notice the clock, not none).
    for _ in range(10):
        wall.advance(DAY)
        with StatsStore(db, clock=wall, retention_days=365):
            pass
    assert len(rows(db)) == 11
    for _ in range(2):
        wall.advance(DAY)
        with StatsStore(db, clock=wall, retention_days=365):
            pass
    assert "day0" not in [r[2] for r in rows(db)]
    assert "after the jump" in [r[2] for r in rows(db)]


def test_a_clock_set_back_does_not_undo_the_pruning(db, wall):
    with StatsStore(db, clock=wall, retention_days=30) as s:
        s.view("old", "en", 5.0)
    wall.advance(40 * DAY)
    with StatsStore(db, clock=wall, retention_days=30) as s:
        assert rows(db) == []  # "old" went: 40 days old
        s.view("recent", "en", 5.0)
    wall.now = 0.0  # 1970
    with StatsStore(db, clock=wall, retention_days=30) as s:
        s.view("in 1970", "en", 5.0)
    wall.now = T0 + 41 * DAY  # the clock put right: the 1970 event is long expired
    with StatsStore(db, clock=wall, retention_days=30):
        assert [r[2] for r in rows(db)] == ["recent"]


def test_retention_below_one_day_is_raised_to_one(db, wall, caplog):
    with caplog.at_level(logging.WARNING, "taixin_kiosk.stats"),\
            StatsStore(db, clock=wall, retention_days=0) as s:
        assert s.retention_days == 1
    assert "retention" in caplog.text


def test_garbage_file_is_moved_aside_and_a_fresh_one_started(db, wall, caplog):
    db.parent.mkdir(parents=True)
    garbage = b"this is not an SQLite database\n" * 50
    db.write_bytes(garbage)
    with caplog.at_level(logging.ERROR, "taixin_kiosk.stats"),\
            StatsStore(db, clock=wall) as s:
        assert s.enabled
        s.view("cover", "en", 4.0)
        assert s.summary().total_views == 1
    aside = [p for p in db.parent.iterdir() if p.name.startswith("stats.sqlite3.bad-")]
    assert len(aside) == 1
    assert aside[0].name == "stats.sqlite3.bad-20250501T020000Z"
    assert aside[0].read_bytes() == garbage  # kept for whoever wants to look
    assert any("moved it to" in r.getMessage() and r.levelno == logging.ERROR
               for r in caplog.records)


def test_two_bad_files_in_one_second_both_kept(db, wall):
    db.parent.mkdir(parents=True)
    for content in (b"first garbage" * 100, b"second garbage" * 100):
        db.write_bytes(content)
        StatsStore(db, clock=wall).close()
    aside = sorted(p.name for p in db.parent.iterdir() if ".bad-" in p.name)
    assert aside == ["stats.sqlite3.bad-20250501T020000Z", "stats.sqlite3.bad-20250501T020000Z-2"]


def test_a_foreign_database_is_moved_aside(db, wall):
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE events (who TEXT, what TEXT)")
        conn.execute("INSERT INTO events VALUES ('someone', 'something')")
    conn.close()
    with StatsStore(db, clock=wall) as s:
        assert s.enabled
        s.idle_reset()
        assert s.summary().idle_resets == 1
    assert any(".bad-" in p.name for p in db.parent.iterdir())


def test_damage_found_while_running_is_recovered_without_losing_the_event(db, wall, caplog):
    with StatsStore(db, clock=wall) as s:
        for i in range(500):
            s.view(f"slide{i % 20}", "en", 3.0)
    s = StatsStore(db, clock=wall)  # open, as a running kiosk has it
    data = bytearray(db.read_bytes())
    page = 4096
    data[page:] = b"\xff" * (len(data) - page)  # the disk mangles every table page
    db.write_bytes(bytes(data))
    with caplog.at_level(logging.ERROR, "taixin_kiosk.stats"):
        s.view("map", "zh-CN", 8.0)
    assert s.enabled
    assert [(x.slide, x.views) for x in s.summary().slides] == [("map", 1)]
    assert "malformed" in caplog.text
    assert len(list(db.parent.glob("stats.sqlite3.bad-*"))) == 1
    s.close()


def test_a_newer_schema_is_left_untouched_and_nothing_recorded(db, wall, caplog):
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE future (x)")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = db.read_bytes()
    with caplog.at_level(logging.ERROR, "taixin_kiosk.stats"),\
            StatsStore(db, clock=wall) as s:
        assert not s.enabled
        s.view("cover", "en", 4.0)
    assert db.read_bytes() == before
    assert not any(".bad-" in p.name for p in db.parent.iterdir())
    assert "newer" in caplog.text


def test_migration_hook_upgrades_an_existing_database(db, wall, monkeypatch):
    with StatsStore(db, clock=wall) as s:
        s.view("cover", "en", 4.0)

    def add_column(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE events ADD COLUMN extra TEXT")

    monkeypatch.setattr(stats, "MIGRATIONS", (*stats.MIGRATIONS, add_column))
    monkeypatch.setattr(stats, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with StatsStore(db, clock=wall) as s:
        assert s.enabled
        assert s.summary().total_views == 1  # the data survived the upgrade
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert "extra" in [r[1] for r in conn.execute("PRAGMA table_info(events)")]
    conn.close()


def check_noop(s: StatsStore, tmp_path: Path) -> None:
    """A disabled store: every method works, nothing is recorded."""
    assert not s.enabled
    s.start()
    s.view("cover", "en", 3.0)
    s.language("zh-CN")
    s.idle_reset()
    s.attract_wake()
    s.restart()
    assert s.summary() == Summary()
    assert s.today().is_empty
    out = tmp_path / "empty.csv"
    assert s.export_csv(out) == 0
    header = "time,kind,slide,locale,seconds,detail"
    assert out.read_text(encoding="utf-8-sig").splitlines() == [header]
    s.close()


def test_a_folder_that_cannot_be_made_gives_a_noop_store(tmp_path, wall, caplog):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    with caplog.at_level(logging.ERROR, "taixin_kiosk.stats"):
        s = StatsStore(blocker / "stats.sqlite3", clock=wall)
    check_noop(s, tmp_path)
    assert blocker.read_text(encoding="utf-8").startswith("a file")
    assert "statistics are off" in caplog.text


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root writes into read-only folders")
def test_a_read_only_folder_gives_a_noop_store(tmp_path, wall):
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "stats.sqlite3").write_bytes(b"garbage" * 100)  # cannot be moved aside either
    folder.chmod(0o555)
    try:
        check_noop(StatsStore(folder / "stats.sqlite3", clock=wall), tmp_path)
        assert sorted(p.name for p in folder.iterdir()) == ["stats.sqlite3"]
    finally:
        folder.chmod(0o755)


def test_a_bad_file_that_cannot_be_moved_gives_a_noop_store(db, wall, tmp_path, monkeypatch,
                                                             caplog):
    db.parent.mkdir(parents=True)
    db.write_bytes(b"garbage" * 100)

    def refuse(self: Path, target: object) -> Path:
        raise PermissionError(13, "Permission denied", str(self))

    # The portable stand-in for a locked file (Windows) or a read-only folder
    # (which root, running CI, writes into anyway).
    monkeypatch.setattr(Path, "replace", refuse)
    with caplog.at_level(logging.ERROR, "taixin_kiosk.stats"):
        s = StatsStore(db, clock=wall)
    monkeypatch.undo()
    check_noop(s, tmp_path)
    assert db.read_bytes() == b"garbage" * 100
    assert "nor moved aside" in caplog.text


# -- timing views ----------------------------------------------------------

@pytest.fixture
def mono() -> Clock:
    return Clock(1000.0)


@pytest.fixture
def sink() -> Sink:
    return Sink()


@pytest.fixture
def rec(sink, mono) -> ViewRecorder:
    return ViewRecorder(sink, clock=mono)


def test_a_view_ends_when_the_next_slide_shows(rec, sink, mono):
    rec.slide("cover", "zh-CN")
    mono.advance(12)
    rec.slide("location", "zh-CN")
    mono.advance(30)
    rec.slide("cover", "zh-CN")
    assert sink.calls == [("view", "cover", "zh-CN", 12), ("view", "location", "zh-CN", 30)]
    mono.advance(4)
    rec.close()
    assert sink.calls[-1] == ("view", "cover", "zh-CN", 4)
    rec.close()  # nothing more to end
    assert len(sink.calls) == 3


def test_the_same_slide_shown_again_is_one_view(rec, sink, mono):
    rec.slide("cover", "en")
    mono.advance(5)
    rec.slide("cover", "en")  # a redraw, a resize
    mono.advance(5)
    rec.close()
    assert sink.calls == [("view", "cover", "en", 10)]


def test_choosing_a_language_splits_the_view(rec, sink, mono):
    rec.slide("map", "zh-CN")
    mono.advance(8)
    rec.language("en")
    mono.advance(20)
    rec.language("en")  # already English: nothing chosen
    rec.slide("goals", "en")
    assert sink.calls == [("language", "en"), ("view", "map", "zh-CN", 8),
                          ("view", "map", "en", 20)]


def test_dwell_is_capped(sink, mono):
    rec = ViewRecorder(sink, clock=mono, max_view=600)
    rec.slide("cover", "en")
    mono.advance(5 * 3600)  # the screen left alone all afternoon
    rec.slide("map", "en")
    assert sink.calls == [("view", "cover", "en", 600)]


def test_slides_swiped_past_are_not_views(rec, sink, mono):
    rec.slide("a", "en")
    mono.advance(0.3)
    rec.slide("b", "en")
    mono.advance(0.4)
    rec.slide("c", "en")
    mono.advance(9)
    rec.close()
    assert sink.calls == [("view", "c", "en", 9)]


def test_attract_loop_is_not_counted(rec, sink, mono):
    rec.slide("cover", "zh-CN")
    mono.advance(10)
    rec.pause()  # attract loop starts
    assert rec.paused
    for slide in ("a", "b", "c"):
        mono.advance(15)
        rec.slide(slide, "zh-CN")
    rec.language("en")  # the loop may alternate languages: not a visitor's choice
    mono.advance(15)
    rec.attract_wake()  # a visitor touches the screen, on slide c
    assert not rec.paused
    mono.advance(7)
    rec.slide("d", "en")
    assert sink.calls == [("view", "cover", "zh-CN", 10), ("attract_wake",),
                          ("view", "c", "en", 7)]


def test_pause_and_resume_are_idempotent(rec, sink, mono):
    rec.slide("cover", "en")
    mono.advance(6)
    rec.pause()
    rec.pause()
    mono.advance(100)
    rec.resume()
    mono.advance(3)
    rec.resume()  # must not restart the timing
    mono.advance(3)
    rec.close()
    assert sink.calls == [("view", "cover", "en", 6), ("view", "cover", "en", 6)]


def test_resume_on_the_slide_the_caller_names(rec, sink, mono):
    rec.slide("cover", "zh-CN")
    rec.pause()
    mono.advance(50)
    rec.resume("map", "en")  # the app knows better what is on screen now
    mono.advance(6)
    rec.resume("map", "en")  # already counting that view: no split
    mono.advance(6)
    rec.resume("goals", "en")  # not paused: a plain slide change
    mono.advance(2)
    rec.close()
    assert sink.calls == [("view", "map", "en", 12), ("view", "goals", "en", 2)]


def test_idle_time_is_not_dwell(rec, sink, mono):
    rec.slide("transport", "en")
    mono.advance(20 + 120)  # read for 20 s, then walked away; idle timeout 120 s
    rec.idle_reset(idle_for=120)
    rec.slide("cover", "zh-CN")
    assert sink.calls == [("view", "transport", "en", 20), ("idle_reset",)]


def test_a_visit_runs_from_the_first_input_to_the_last_without_staff_time(rec, sink, mono):
    rec.wait_for_visitor()  # the kiosk started: its cover is shown to nobody
    rec.slide("cover", "zh-CN")
    mono.advance(300)
    assert not rec.visiting and sink.calls == []
    rec.visitor_input()
    mono.advance(10)
    rec.visitor_input()
    rec.staff_opened()
    mono.advance(200)  # staff at the PIN pad and the panel
    rec.staff_closed()
    mono.advance(5)
    rec.visitor_input()
    mono.advance(90)  # walked away; idle timeout 90 s
    rec.idle_reset(idle_for=90)
    assert sink.calls == [("view", "cover", "zh-CN", 10), ("view", "cover", "zh-CN", 5),
                          ("idle_reset",), ("visit", 15)]
    mono.advance(60)
    rec.close()  # nobody came after the reset: nothing more
    assert len(sink.calls) == 4


def test_a_visit_begun_by_staffs_hold_is_forgotten_with_its_wake(rec, sink, mono):
    rec.wait_for_visitor()
    rec.slide("cover", "en")
    rec.pause()  # the attract loop
    rec.visitor_input(staff_gesture=True)  # a press in the staff corner
    rec.attract_wake()
    mono.advance(3)  # held
    rec.staff_opened()
    mono.advance(30)
    rec.staff_closed()
    mono.advance(30)
    rec.close()
    assert sink.calls == []
    # A short tap in the corner that opened nothing was a visitor after all.
    rec.pause()
    rec.visitor_input(staff_gesture=True)
    rec.attract_wake()
    mono.advance(4)
    rec.visitor_input()
    mono.advance(2)
    rec.close()
    assert sink.calls == [("attract_wake",), ("view", "cover", "en", 6), ("visit", 4)]


def test_recorder_writes_to_a_real_store(store, mono):
    rec = ViewRecorder(store, clock=mono)
    rec.slide("cover", "zh-CN")
    mono.advance(9)
    rec.language("en")
    mono.advance(11)
    rec.close()
    summary = store.summary()
    assert summary.languages == {"en": 1}
    assert [(s.slide, s.views, s.total_seconds) for s in summary.slides] == [("cover", 2, 20)]


# -- summaries and CSV -----------------------------------------------------

def fill(store: StatsStore, wall: Clock) -> None:
    """Three Beijing days of use: 2025-05-01, 05-02 and 05-04."""
    store.start()
    store.view("cover", "zh-CN", 10)
    store.view("cover", "zh-CN", 30)
    store.view("cover", "en", 2)
    store.view("map", "zh-CN", 60)
    store.language("en")
    store.language("en")
    store.language("zh-CN")
    store.idle_reset()
    wall.advance(DAY)
    store.attract_wake()
    store.view("map", "en", 40)
    store.restart()
    wall.advance(2 * DAY)
    store.view("goals", "en", 5)
    store.idle_reset()


def test_summary_of_everything(store, wall):
    fill(store, wall)
    s = store.summary()
    assert [tuple(x) for x in s.slides] == [("cover", 3, 42, 10), ("map", 2, 100, 50),
                                            ("goals", 1, 5, 5)]
    assert s.total_views == 6 and s.total_seconds == 147
    assert dict(s.languages) == {"en": 2, "zh-CN": 1} and s.language_changes == 3
    assert (s.idle_resets, s.attract_wakes, s.starts, s.restarts) == (2, 1, 1, 1)
    assert (s.first_day, s.last_day) == (dt.date(2025, 5, 1), dt.date(2025, 5, 4))
    assert not s.is_empty


def test_summary_since_and_until(store, wall):
    fill(store, wall)
    s = store.summary(dt.date(2025, 5, 2))
    assert [(x.slide, x.views) for x in s.slides] == [("goals", 1), ("map", 1)]
    assert (s.restarts, s.starts, s.idle_resets) == (1, 0, 1)
    assert s.first_day == dt.date(2025, 5, 2)
    one_day = store.summary(dt.date(2025, 5, 2), dt.date(2025, 5, 2))
    assert [(x.slide, x.views) for x in one_day.slides] == [("map", 1)]
    assert store.summary(dt.date(2025, 6, 1)).is_empty


def test_days_are_local_days(db):
    # 23:30 UTC on 1 May is 07:30 on 2 May in Beijing.
    late = dt.datetime(2025, 5, 1, 23, 30, tzinfo=dt.UTC).timestamp()
    with StatsStore(db, clock=Clock(late), tz=BEIJING) as s:
        s.view("cover", "en", 5)
        assert s.summary().first_day == dt.date(2025, 5, 2)
        assert s.summary(dt.date(2025, 5, 2), dt.date(2025, 5, 2)).total_views == 1
        assert s.summary(dt.date(2025, 5, 1), dt.date(2025, 5, 1)).is_empty


def test_today_for_the_staff_panel(store, wall):
    fill(store, wall)  # the clock is now on 2025-05-04
    today = store.today()
    assert [(x.slide, x.views) for x in today.slides] == [("goals", 1)]
    assert today.idle_resets == 1
    may_second = store.today(dt.datetime(2025, 5, 2, 23, 0, tzinfo=BEIJING))
    assert (may_second.total_views, may_second.restarts) == (1, 1)
    # The same instant seen from UTC is still 2 May in Beijing.
    assert store.today(dt.datetime(2025, 5, 2, 15, 0, tzinfo=dt.UTC)) == may_second


def test_csv_export(store, wall, tmp_path):
    fill(store, wall)
    out = tmp_path / "usage.csv"
    assert store.export_csv(out) == 14
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Chinese
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert table[0] == ["time", "kind", "slide", "locale", "seconds", "detail"]
    assert table[1] == ["2025-05-01T10:00:00+08:00", "start", "", "", "", ""]
    assert table[2] == ["2025-05-01T10:00:00+08:00", "view", "cover", "zh-CN", "10.0", ""]
    assert table[-1] == ["2025-05-04T10:00:00+08:00", "idle_reset", "", "", "", ""]
    since = tmp_path / "since.csv"
    assert store.export_csv(since, dt.date(2025, 5, 4)) == 2
    assert not list(tmp_path.glob("*.part"))


def test_csv_keeps_chinese_text(store, tmp_path):
    store.view("封面", "zh-CN", 3)
    out = tmp_path / "usage.csv"
    store.export_csv(out)
    assert "封面" in out.read_text(encoding="utf-8-sig")


def test_csv_to_an_unwritable_place_raises_and_leaves_nothing(store, tmp_path):
    blocker = tmp_path / "usb"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OSError):
        store.export_csv(blocker / "usage.csv")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


# -- the stats command -----------------------------------------------------

@pytest.fixture
def en():
    return app_catalogue("en")


@pytest.fixture
def zh():
    return app_catalogue("zh-CN")


def local_store(db: Path) -> tuple[StatsStore, Clock]:
    """A store on the machine's own local time, as the command reads it."""
    clock = Clock(dt.datetime(2025, 5, 1, 10, 0).timestamp())
    return StatsStore(db, clock=clock), clock


def test_parse_since():
    assert parse_since("2025-05-01") == dt.date(2025, 5, 1)
    assert parse_since(" 2025-05-01 ") == dt.date(2025, 5, 1)
    for bad, reason in (("2025/05/01", "YYYY-MM-DD"), ("yesterday", "YYYY-MM-DD"),
                        ("20250501", "YYYY-MM-DD"), ("2025-02-30", "not a real date")):
        with pytest.raises(ValueError, match=reason):
            parse_since(bad)


def test_since_parser_speaks_the_catalogue(en, zh):
    assert since_parser(en)("2025-05-01") == dt.date(2025, 5, 1)
    with pytest.raises(argparse.ArgumentTypeError) as english:
        since_parser(en)("May 1")
    assert "May 1" in str(english.value) and "YYYY-MM-DD" in str(english.value)
    with pytest.raises(argparse.ArgumentTypeError) as chinese:
        since_parser(zh)("May 1")
    assert str(chinese.value).startswith("无法使用日期 May 1")


def test_format_duration(en, zh):
    assert format_duration(en, 7.6) == "8 s"
    assert format_duration(en, 185) == "3 min 05 s"
    assert format_duration(en, 3720) == "1 h 02 min"
    assert format_duration(zh, 185) == "3 分 05 秒"


def test_stats_without_a_database(en, db, capsys):
    assert cmd_stats(en, db, since=None, csv=None) == 0
    out = capsys.readouterr().out
    assert "no usage statistics yet" in out and str(db) in out
    assert not db.exists()  # reading never creates it


def test_stats_prints_a_summary(en, db, capsys):
    s, clock = local_store(db)
    fill(s, clock)
    # The kiosk is still running (store open) while staff read the figures.
    assert cmd_stats(en, db, since=None, csv=None) == 0
    s.close()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Usage from 2025-05-01 to 2025-05-04:"
    assert out[1] == "Slide views: 6; total viewing time: 2 min 27 s."
    assert "  cover: views: 3; total time: 42 s; median time: 10 s" in out
    assert "  en: 2" in out
    assert "Returns to the start after inactivity: 2" in out
    assert "Wake-ups from the attract loop: 1" in out
    assert "Restarts after the app stopped unexpectedly: 1" in out


def test_stats_in_chinese_since_a_date(zh, db, capsys):
    s, clock = local_store(db)
    fill(s, clock)
    s.close()
    assert cmd_stats(zh, db, since=dt.date(2025, 5, 4), csv=None) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2025-05-04 至 2025-05-04 的使用情况："
    assert out[1] == "幻灯片浏览：1 次；总浏览时长：5 秒。"
    assert "没有访客切换语言。" in out
    assert cmd_stats(zh, db, since=dt.date(2025, 6, 1), csv=None) == 0
    assert capsys.readouterr().out.strip() == "自 2025-06-01 以来没有记录任何使用情况。"


def test_stats_to_csv(en, db, tmp_path, capsys):
    s, clock = local_store(db)
    fill(s, clock)
    s.close()
    out = tmp_path / "export" / "usage.csv"
    out.parent.mkdir()
    assert cmd_stats(en, db, since=dt.date(2025, 5, 2), csv=out) == 0
    assert capsys.readouterr().out.strip() == f"Events written: 5, to {out}."
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 6 and lines[1].split(",")[1] == "attract_wake"


def test_stats_csv_to_an_unwritable_place(en, db, tmp_path, capsys):
    s, _clock = local_store(db)
    s.view("cover", "en", 3)
    s.close()
    dest = tmp_path / "missing" / "usage.csv"
    assert cmd_stats(en, db, since=None, csv=dest) == 1
    err = capsys.readouterr().err
    assert "Could not write" in err and str(dest) in err and ".part" not in err


def test_stats_on_a_bad_file_reports_and_touches_nothing(en, db, capsys):
    db.parent.mkdir(parents=True)
    db.write_bytes(b"garbage" * 100)
    assert cmd_stats(en, db, since=None, csv=None) == 1
    err = capsys.readouterr().err
    assert "cannot be read" in err and str(db) in err
    assert db.read_bytes() == b"garbage" * 100
    assert sorted(p.name for p in db.parent.iterdir()) == ["stats.sqlite3"]


# -- restarts, as the supervisor saw them ----------------------------------------

KILLED_AT_ONCE = """
import os, signal, sys
from contextlib import closing
from pathlib import Path
runs = Path(sys.argv[1])
count = len(runs.read_text().split()) if runs.exists() else 0
runs.write_text("x " * (count + 1))
if count < 3:
    # Killed before the app could open its statistics or write a heartbeat:
    # the crash loop a child cannot count for itself.
    os.kill(os.getpid(), signal.SIGKILL)
sys.exit(0)  # staff ended it: the supervisor ends too
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_every_restart_the_supervisor_sees_is_in_stats(app_home, tmp_path, monkeypatch, capsys):
    from taixin_kiosk.cli.main import main
    from taixin_kiosk.system import commands as system_commands
    from taixin_kiosk.system import supervisor
    from taixin_kiosk.system.paths import app_paths

    script = tmp_path / "child.py"
    script.write_text(KILLED_AT_ONCE, encoding="utf-8")
    runs = tmp_path / "runs"
    monkeypatch.setattr(system_commands, "child_command",
                        lambda _args: [sys.executable, str(script), str(runs)])
    monkeypatch.setattr(supervisor, "BACKOFF_S", (0.05,))
    # The real command line and the real supervisor loop.
    assert main(["--kiosk", "--supervise"]) == 0
    assert len(runs.read_text().split()) == 4
    assert supervisor.read_restarts(app_paths().state_dir).total == 3
    capsys.readouterr()
    assert main(["stats"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "Restarts after the app stopped unexpectedly: 3" in out
    assert "  the app was killed by signal SIGKILL: 3" in out
    assert "App starts: 0" in out  # the child never got as far as recording


def test_a_restart_reason_is_kept_and_told_in_words(store, en, zh):
    store.restart(stats.restart_detail("crash", 1))
    store.restart(stats.restart_detail("crash", -9))
    store.restart(stats.restart_detail("hang", None))
    store.restart(stats.restart_detail("window", None))
    store.restart()  # counted by an older app, which kept no reason
    summary = store.summary()
    assert summary.restarts == 5
    assert dict(summary.restart_reasons) == {"exit 1": 1, "signal SIGKILL": 1, "hang": 1,
                                             "window": 1, "": 1}
    lines = format_summary(en, summary)
    for line in ("  the app ended with exit code 1: 1", "  the app was killed by signal SIGKILL: 1",
                 "  the app stopped answering (no heartbeat): 1",
                 "  the app's window was not on screen for too long: 1",
                 "  reason not recorded: 1"):
        assert line in lines
    assert "  应用停止响应（没有心跳）：1 次" in format_summary(zh, summary)


def test_a_restart_detail_is_never_free_text(store):
    with pytest.raises(ValueError):
        store.restart("visitor typed this")
    with pytest.raises(ValueError):
        store.record("view", slide="cover", locale="en", seconds=3.0, detail="exit 1")
    assert store.summary().is_empty


def test_a_database_from_before_restart_reasons_is_upgraded(db, wall):
    db.parent.mkdir(parents=True)
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        stats.MIGRATIONS[0](conn)  # what every kiosk in the field has
        conn.execute("PRAGMA user_version = 1")
        conn.execute("INSERT INTO events (ts, kind) VALUES (?, 'restart')", (wall(),))
    with StatsStore(db, clock=wall) as s:
        assert s.enabled
        s.restart(stats.restart_detail("hang", None))
        assert dict(s.summary().restart_reasons) == {"": 1, "hang": 1}
