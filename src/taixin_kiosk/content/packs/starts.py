"""Starts on an installed pack that never showed a slide: the record behind the fall-back.

A pack may pass every check and still take the app down before its first
slide (the supervisor kills a start that never beats, the system kills one
that runs out of memory). So each start on an installed pack is counted
before its load (``begin``) and the count is cleared once a slide is on
screen (``shown``). A pack with ``MAX_FAILED_STARTS`` uncleared starts is
passed over: the app starts on the previous pack, then the built-in content.

    packs_dir/starts.json   {"NAME": number of starts that showed no slide}

Installing or rolling back to a pack clears its count (``forget``): staff
asked for it. Never raises: the record helps, the kiosk must start without it.
"""

from __future__ import annotations

import contextlib
import json
import logging
from pathlib import Path

from taixin_kiosk.content.packs.state import NAME_RE
from taixin_kiosk.system.files import write_atomic

log = logging.getLogger("taixin_kiosk.packs")

STARTS_FILE = "starts.json"
MAX_FAILED_STARTS = 2


def _packs_dir(folder: Path) -> Path:
    """``packs_dir`` of an installed pack's folder (``packs_dir/store/NAME``)."""
    return Path(folder).parent.parent


def read_starts(packs_dir: Path) -> dict[str, int]:
    """The record; empty when missing or unusable."""
    try:
        data = json.loads((Path(packs_dir) / STARTS_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        log.warning("record of failed starts unreadable: %s", error)
        return {}
    if not isinstance(data, dict):
        return {}
    return {name: count for name, count in data.items()
            if isinstance(name, str) and NAME_RE.match(name)
            and isinstance(count, int) and not isinstance(count, bool) and count > 0}


def failed_starts(folder: Path) -> int:
    """How many starts on the pack in ``folder`` showed no slide."""
    return read_starts(_packs_dir(folder)).get(Path(folder).name, 0)


def begin(folder: Path) -> None:
    """A start on the pack in ``folder`` begins: counted until ``shown``."""
    packs_dir, name = _packs_dir(folder), Path(folder).name
    record = read_starts(packs_dir)
    record[name] = record.get(name, 0) + 1
    _write(packs_dir, record)


def shown(folder: Path) -> None:
    """The pack in ``folder`` is on screen: its starts no longer count against it."""
    forget(_packs_dir(folder), Path(folder).name)


def forget(packs_dir: Path, name: str) -> None:
    record = read_starts(packs_dir)
    if record.pop(name, None) is not None:
        _write(packs_dir, record)


def _write(packs_dir: Path, record: dict[str, int]) -> None:
    with contextlib.suppress(OSError):
        if not record:
            (packs_dir / STARTS_FILE).unlink(missing_ok=True)
            return
        write_atomic(packs_dir / STARTS_FILE, json.dumps(record, indent=2) + "\n")
        return
    log.warning("cannot update the record of failed starts in %s", packs_dir)
