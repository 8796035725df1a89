"""Logging: the rotating file, the stderr fallback, recent errors, uncaught exceptions."""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from taixin_kiosk.system import logs
from taixin_kiosk.system.logs import (
    AREAS,
    clear_recent_errors,
    close_logging,
    log_exception,
    log_thread_exception,
    logger,
    recent_errors,
    setup_logging,
)


@pytest.fixture(autouse=True)
def clean_logging() -> Iterator[None]:
    """Leaves the root logger as it found it: other tests share the process."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    clear_recent_errors()
    yield
    close_logging()
    clear_recent_errors()
    root.handlers[:] = handlers
    root.setLevel(level)


def ours(kind: type[logging.Handler]) -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if type(h) is kind]


def test_writes_one_file_with_time_area_and_level(tmp_path):
    folder = tmp_path / "logs" / "deep"
    path = setup_logging(folder)
    assert path == folder / "taixin-kiosk.log"
    logger("stats").info("opened the statistics")
    logger("content").debug("not at INFO")
    logging.getLogger("PIL.Image").warning("a library speaks")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} taixin_kiosk\.stats INFO "
                        r"opened the statistics", lines[0])
    assert lines[1].endswith("PIL.Image WARNING a library speaks")
    assert len(lines) == 2


def test_the_level_is_honoured(tmp_path):
    path = setup_logging(tmp_path, "debug")
    logger("kiosk").debug("fine detail")
    assert path is not None and "fine detail" in path.read_text(encoding="utf-8")


def test_an_unknown_level_falls_back_to_info(tmp_path):
    path = setup_logging(tmp_path, "chatty")
    assert path is not None
    text = path.read_text(encoding="utf-8")
    assert "unknown log level 'chatty'; using INFO" in text
    logger("kiosk").debug("hidden")
    logger("kiosk").info("shown")
    text = path.read_text(encoding="utf-8")
    assert "shown" in text and "hidden" not in text


def test_text_is_utf8(tmp_path):
    path = setup_logging(tmp_path)
    logger("packs").info("installed %s", "阳曲")
    assert path is not None and "阳曲" in path.read_text(encoding="utf-8")


def test_rotation_at_the_size_limit(tmp_path):
    path = setup_logging(tmp_path, max_bytes=300, backups=2)
    assert path is not None
    for n in range(40):
        logger("app").info("line %02d of the rotation test", n)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["taixin-kiosk.log", "taixin-kiosk.log.1", "taixin-kiosk.log.2"]
    for p in tmp_path.iterdir():
        assert p.stat().st_size <= 300, p.name
    # The newest line is in the live file; the oldest ones are gone for good.
    assert "line 39" in path.read_text(encoding="utf-8")
    kept = "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())
    assert "line 00" not in kept


def test_setting_up_twice_does_not_duplicate(tmp_path):
    first = setup_logging(tmp_path / "a")
    second = setup_logging(tmp_path / "b", "WARNING")
    assert len(ours(logging.handlers.RotatingFileHandler)) == 1
    assert len(ours(logging.StreamHandler)) == 1
    assert len(ours(logs._ErrorBuffer)) == 1
    logger("config").warning("once only")
    logger("config").info("below WARNING now")
    assert first is not None and second is not None
    assert "once only" not in first.read_text(encoding="utf-8")
    assert second.read_text(encoding="utf-8").count("once only") == 1
    assert "below WARNING" not in second.read_text(encoding="utf-8")


def test_stderr_shows_warnings_only(tmp_path, capsys):
    setup_logging(tmp_path)
    logger("supervisor").info("routine")
    logger("supervisor").warning("something to look at")
    err = capsys.readouterr().err
    assert "taixin_kiosk.supervisor WARNING something to look at" in err
    assert "routine" not in err


def test_an_unwritable_folder_falls_back_to_stderr(tmp_path, capsys):
    blocker = tmp_path / "logs"
    blocker.write_text("a file where the log folder should be", encoding="utf-8")
    assert setup_logging(blocker / "taixin-kiosk") is None
    err = capsys.readouterr().err
    assert "cannot write log files in" in err and "logging to stderr only" in err
    logger("app").error("still reported")
    assert "still reported" in capsys.readouterr().err
    assert [e.message for e in recent_errors()] == ["still reported"]
    assert blocker.read_text(encoding="utf-8").startswith("a file")


def test_a_log_file_that_cannot_be_opened_falls_back(tmp_path, capsys):
    (tmp_path / "taixin-kiosk.log").mkdir()  # a folder in the file's place
    assert setup_logging(tmp_path) is None
    assert "logging to stderr only" in capsys.readouterr().err


def test_recent_errors_keeps_the_last_n(tmp_path):
    setup_logging(tmp_path, errors_kept=3)
    logger("packs").warning("a warning is not an error")
    for n in range(5):
        logger("packs").error("error %d", n)
    try:
        raise OSError("disk gone")
    except OSError:
        logger("stats").exception("cannot write")
    logging.getLogger("taixin_kiosk.ui.stage").critical("deep logger")
    errors = recent_errors()
    assert [e.message for e in errors] == ["deep logger", "cannot write", "error 4"]
    assert [e.area for e in errors] == ["ui", "stats", "packs"]
    assert [e.level for e in errors] == ["CRITICAL", "ERROR", "ERROR"]
    assert [e.exc_type for e in errors] == [None, "OSError", None]
    assert errors[0].time.tzinfo is not None
    assert [e.message for e in recent_errors(limit=1)] == ["deep logger"]
    clear_recent_errors()
    assert recent_errors() == []


def test_errors_survive_a_second_setup(tmp_path):
    setup_logging(tmp_path)
    logger("config").error("bad setting")
    setup_logging(tmp_path, "DEBUG")
    assert [e.message for e in recent_errors()] == ["bad setting"]


def test_uncaught_exception_goes_to_the_file_with_its_traceback(tmp_path):
    path = setup_logging(tmp_path)

    def failing_slot() -> None:
        raise ValueError("boom")

    try:
        failing_slot()
    except ValueError:
        log_exception(*sys.exc_info())  # type: ignore[arg-type]
    assert path is not None
    text = path.read_text(encoding="utf-8")
    assert "taixin_kiosk.app CRITICAL uncaught ValueError: boom" in text
    assert "Traceback (most recent call last)" in text
    assert "in failing_slot" in text and 'raise ValueError("boom")' in text
    [error] = recent_errors()
    assert (error.area, error.level, error.exc_type) == ("app", "CRITICAL", "ValueError")


def test_ctrl_c_is_not_a_crash(tmp_path):
    path = setup_logging(tmp_path)
    log_exception(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert path is not None
    assert "interrupted" in path.read_text(encoding="utf-8")
    assert recent_errors() == []


def test_uncaught_exception_in_a_thread(tmp_path, monkeypatch):
    path = setup_logging(tmp_path)
    monkeypatch.setattr(threading, "excepthook", log_thread_exception)

    def work() -> None:
        raise RuntimeError("worker failed")

    thread = threading.Thread(target=work, name="pack-import")
    thread.start()
    thread.join()
    assert path is not None
    text = path.read_text(encoding="utf-8")
    assert "uncaught RuntimeError in thread pack-import: worker failed" in text
    assert "in work" in text


def test_logger_per_area():
    assert logger("stats").name == "taixin_kiosk.stats"
    with pytest.raises(ValueError, match="unknown log area"):
        logger("statistics")


def test_every_logger_in_the_code_is_a_known_area():
    # One name per area: a new area goes into AREAS, not just into a module.
    src = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py"))
    used = set(re.findall(r"getLogger\(\"taixin_kiosk\.([a-z0-9_]+)", src))
    used |= set(re.findall(r"\blogger\(\"([a-z0-9_]+)\"\)", src))
    assert used, "no loggers found: the pattern is out of date"
    assert used <= AREAS, sorted(used - AREAS)


def test_closing_removes_the_handlers(tmp_path):
    setup_logging(tmp_path)
    close_logging()
    assert not ours(logging.handlers.RotatingFileHandler)
    assert not ours(logs._ErrorBuffer)
    # Closed, so the file can be moved or deleted (Windows holds open files).
    (tmp_path / "taixin-kiosk.log").rename(tmp_path / "moved.log")
    assert Path(tmp_path / "moved.log").exists()


def test_qt_messages_go_into_the_log(caplog):
    from PySide6.QtCore import qInstallMessageHandler, qWarning

    from taixin_kiosk.system.logs import route_qt_messages

    previous = route_qt_messages()
    try:
        with caplog.at_level(logging.DEBUG, logger="taixin_kiosk.qt"):
            qWarning("QFont::setPixelSize: Pixel size <= 0 (0)")
    finally:
        qInstallMessageHandler(previous)  # pytest-qt's own, which watches for warnings
    [record] = [r for r in caplog.records if r.name == "taixin_kiosk.qt"]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == "QFont::setPixelSize: Pixel size <= 0 (0)"
