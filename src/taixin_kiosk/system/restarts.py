"""How often the supervisor restarted the app, kept in ``restarts.json``
in the state folder: the staff panel, the metrics and ``stats`` read it."""

from __future__ import annotations

import contextlib
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from taixin_kiosk.system.files import write_atomic

log = logging.getLogger("taixin_kiosk.supervisor")

RESTARTS_FILE = "restarts.json"


class RestartRecord(NamedTuple):
    """What ``restarts.json`` says: every restart so far, and the last one."""

    total: int = 0
    last_time: datetime | None = None
    last_reason: str | None = None
    last_exit_code: int | None = None


def read_restarts(state_dir: Path) -> RestartRecord:
    """The restart counts; a missing or unreadable file counts as none."""
    try:
        data = json.loads((state_dir / RESTARTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return RestartRecord()
    if not isinstance(data, dict):
        return RestartRecord()
    total = data.get("total")
    when: datetime | None = None
    if isinstance(data.get("last_time"), str):
        with contextlib.suppress(ValueError):
            when = datetime.fromisoformat(data["last_time"])
    reason = data.get("last_reason")
    code = data.get("last_exit_code")
    return RestartRecord(
        total if isinstance(total, int) and total >= 0 else 0, when,
        reason if isinstance(reason, str) else None,
        code if isinstance(code, int) and not isinstance(code, bool) else None)


def count_restart(state_dir: Path, reason: str, exit_code: int | None) -> RestartRecord:
    record = RestartRecord(read_restarts(state_dir).total + 1, datetime.now(UTC), reason,
                           exit_code)
    assert record.last_time is not None
    data = {"total": record.total, "last_time": record.last_time.isoformat(timespec="seconds"),
            "last_reason": reason, "last_exit_code": exit_code}
    path = state_dir / RESTARTS_FILE
    try:
        # The folder may have been deleted under a running kiosk.
        state_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(data, indent=2) + "\n")
    except OSError as error:
        # Counting is diagnostics: restarting the app matters more.
        log.warning("cannot write %s: %s", path, error)
    return record
