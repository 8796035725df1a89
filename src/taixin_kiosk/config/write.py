"""Changing one setting in the config file, keeping everything else in it.

:func:`set_value` changes one option with tomlkit, so the comments and the
order staff gave the file survive, and replaces the file atomically.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, cast

from taixin_kiosk.config.hours import OpeningHours
from taixin_kiosk.config.load import parse_toml, read_text
from taixin_kiosk.config.settings import OPTIONS_BY_NAME, Option
from taixin_kiosk.config.values import check_value, config_problem
from taixin_kiosk.content.problems import Problem
from taixin_kiosk.system.files import write_atomic


class ConfigWriteError(Exception):
    """The file exists but cannot be changed without losing what is in it."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.file}: {problem.path}: {problem.code}")
        self.problem = problem



def _stored(option: Option, value: object) -> bool | int | float | str | dict[str, str] | None:
    """``value`` as it goes into the file; ValueError when the option refuses it."""
    if value is None:
        return None
    checked, problem = check_value(option, value, None)
    if problem is not None:
        raise ValueError(f"{option.name}: {problem.code}")
    if checked is None:
        return None
    if option.kind == "path":
        return os.fspath(cast("str | os.PathLike[str]", value))  # as given: ~ stays ~
    if isinstance(checked, OpeningHours):
        return checked.as_table()
    return cast(bool | int | float | str, checked)


def set_value(path: Path, name: str, value: object | None) -> None:
    """Writes one option into the file, keeping the rest of it as it was.

    None (or ``""`` for an optional option) removes the key. Creates the file
    and its folder when missing. ValueError for a name that is not an option or
    a value the option refuses; :class:`ConfigWriteError` when the existing
    file cannot be read or changed without disturbing the rest; OSError when
    it cannot be written.
    """
    import tomlkit  # only writing needs it; start-up only reads

    option = OPTIONS_BY_NAME.get(name)
    if option is None:
        raise ValueError(f"not a configuration option: {name!r}")
    stored = _stored(option, value)
    if path.is_symlink():
        path = path.resolve()  # change the file the link points to, not the link
    text, problem = read_text(path)
    before: dict[str, Any] = {}
    if text is not None:
        before, problem = parse_toml(text) if problem is None else ({}, problem)
    if problem is not None:
        raise ConfigWriteError(problem._replace(file=str(path)))
    if text is None and stored is None:
        return
    not_updatable = ConfigWriteError(config_problem(name, "not_updatable", file=str(path)))
    try:
        document = tomlkit.parse(text or "")
        if stored is None:
            if name not in document:
                return
            del document[name]
        else:
            document[name] = stored
        out = document.as_string()
    except Exception as error:  # tomlkit refusing what tomllib read: leave the file alone
        raise not_updatable from error
    if text is not None and "\r\n" in text and "\n" not in text.replace("\r\n", ""):
        out = re.sub(r"(?<!\r)\n", "\r\n", out)  # a CRLF file stays CRLF
    # Proof before writing: every other key reads as before, this one as asked.
    after, problem = parse_toml(out)
    expected = {k: v for k, v in before.items() if k != name}
    if stored is not None:
        expected[name] = stored
    if problem is not None or repr(sorted(after.items())) != repr(sorted(expected.items())):
        raise not_updatable
    path.parent.mkdir(parents=True, exist_ok=True)
    # A new file is its owner's alone: it may hold the PIN's hash.
    write_atomic(path, out, private=True)
