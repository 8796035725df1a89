"""The last good configuration, and what a broken file still says.

A configuration error must never leave a kiosk less locked than it was. Each
time the app starts on a file that parses, the values it accepted from it
are kept beside it, in ``config.last-good.toml`` (private, like the file:
it holds the PIN hash). When the file cannot be read or parsed,
``config.load`` starts from those values and takes from the broken file
every top-level line that parses on its own, so one typo costs one setting,
not the PIN. Kiosk mode only goes one way here: it is on when the last good
file, a line that parses, or a line that does not ("kiosk = tru") says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from taixin_kiosk.config.settings import OPTIONS, Value
from taixin_kiosk.config.values import render_value
from taixin_kiosk.system.files import read_small

# A config file is a few dozen lines; anything larger (a file swapped for a
# log, a link to /dev/zero) is not read, and the last good values apply.
MAX_CONFIG_BYTES = 1024 * 1024
_KEY_LINE = re.compile(r"[ \t]*(?P<key>[A-Za-z0-9_-]+)[ \t]*=")
_TABLE = re.compile(r"[ \t]*\[")
# What set-pin writes; found even in a line that is broken around it.
_HASH = re.compile(r"scrypt\$[0-9]+\$[0-9]+\$[0-9]+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+")


def last_good_path(path: Path) -> Path:
    """``config.toml`` -> ``config.last-good.toml``, in the same folder."""
    return path.with_name(f"{path.stem}.last-good{path.suffix}")


def _parse(text: str) -> dict[str, Any] | None:
    import tomllib

    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None


def read_last_good(path: Path) -> dict[str, Any]:
    """The last good file's table for the config file ``path``; {} when there is none."""
    try:
        text = read_small(last_good_path(path), MAX_CONFIG_BYTES).decode("utf-8")
    except (OSError, ValueError):  # ValueError: not UTF-8, or a NUL in the path
        return {}
    return _parse(text) or {}


def last_good_locks(path: Path) -> dict[str, Value]:
    """Kiosk mode and the PIN hash of the last good file, when it holds them
    ({} otherwise): what a configuration that failed for any reason keeps."""
    from taixin_kiosk.config.pin import is_pin_hash

    try:
        last = read_last_good(path)
        locks: dict[str, Value] = {}
        if last.get("kiosk") is True:
            locks["kiosk"] = True
        pin = last.get("pin")
        if isinstance(pin, str) and is_pin_hash(pin):
            locks["pin"] = pin
        return locks
    except Exception:  # the caller is handling a failure already
        return {}


def salvage(text: str) -> tuple[dict[str, Any], set[str]]:
    """Every top-level ``key = value`` line of a broken file that parses on its
    own (the first of a key wins), and the keys of the lines that do not."""
    from taixin_kiosk.config.pin import is_pin_hash

    table: dict[str, Any] = {}
    broken: set[str] = set()
    for line in text.splitlines():
        if _TABLE.match(line):
            break  # a table's keys are not settings
        match = _KEY_LINE.match(line)
        if match is None:
            continue
        key = match.group("key")
        # U+FFFD: a byte that was not UTF-8; the value around it is not what was meant.
        one = None if "\ufffd" in line else _parse(line)
        if one is None or key not in one:
            found = _HASH.search(line) if key == "pin" else None
            if found is not None and is_pin_hash(found.group()) and key not in table:
                table[key] = found.group()
            else:
                broken.add(key)
            continue
        table.setdefault(key, one[key])
    return table, broken


def recover(path: Path, text: str | None) -> tuple[dict[str, Any], dict[str, str]]:
    """What a file that cannot be read whole still gives: the table to check,
    and where each of its keys came from (``"file"`` or ``"last good"``)."""
    last = read_last_good(path)
    if text is None:
        try:  # not UTF-8: the lines that are still text may be usable
            text = read_small(path, MAX_CONFIG_BYTES).decode("utf-8", errors="replace")
        except (OSError, ValueError):
            text = ""
    salvaged, broken = salvage(text)
    table = {**last, **salvaged}
    origins = {key: "last good" for key in last} | dict.fromkeys(salvaged, "file")
    # The locked choice wins: a broken or a missing line never ends kiosk mode.
    if last.get("kiosk") is True or salvaged.get("kiosk") is True or "kiosk" in broken:
        table["kiosk"] = True
        origins["kiosk"] = "file" if "kiosk" in broken or salvaged.get("kiosk") is True \
            else "last good"
    return table, origins


def last_good_text(values: Mapping[str, Value]) -> str:
    """The last good file for these accepted values (in the settings' order)."""
    lines = [f"{o.name} = {render_value(values[o.name])}" for o in OPTIONS
             if o.name in values and values[o.name] is not None]
    return "".join(f"{line}\n" for line in lines)


def remember(path: Path, values: Mapping[str, Value]) -> bool:
    """Keeps ``values`` as the last good configuration beside ``path``; False
    when it cannot be written (a read-only folder: the old one stays)."""
    from taixin_kiosk.system.files import write_atomic

    target = last_good_path(path)
    text = last_good_text(values)
    try:
        # A pipe or a device in its place is never read (it would block every
        # start, or fill the memory): it is replaced like a stale file.
        same = read_small(target, MAX_CONFIG_BYTES) == text.encode("utf-8")
    except (OSError, ValueError):
        same = False
    if same:
        return True  # no write at every start: flash cards wear
    try:
        write_atomic(target, text, private=True)
    except (OSError, ValueError):
        return False
    return True
