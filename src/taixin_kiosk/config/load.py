"""The configuration file: one TOML file of the settings (``config.settings``).

:func:`load_config` never raises on what it finds in the file: a kiosk must
start whatever staff typed, and never less locked than it was. A bad value
gives a problem naming the key and what was expected, and only that key
falls back: to its last good value, else to the locked choice (``kiosk``),
else to its default. A file it cannot read or parse gives one problem; then
the last good configuration applies, with every line of the file that
parses on its own (``config.last_good``). Values from the command line win
over the file and go through the same checks. Writing one value is
``config.write``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from taixin_kiosk.config.last_good import (
    MAX_CONFIG_BYTES,
    last_good_locks,
    read_last_good,
    recover,
    remember,
)
from taixin_kiosk.config.settings import (
    OPTIONS_BY_NAME,
    SETTINGS,
    SETTINGS_BY_NAME,
    Option,
    Settings,
    Value,
)
from taixin_kiosk.config.values import check_value, config_problem, fallback_of
from taixin_kiosk.content.problems import Problem
from taixin_kiosk.system.files import NotAFile, TooLarge, read_small

Source = Literal["default", "file", "last good", "command line"]

_NO_VALUES: Mapping[str, object] = MappingProxyType({})


class Config(NamedTuple):
    """The effective configuration: the settings, the file read (it may not
    exist), where each value came from, and what was wrong."""

    settings: Settings
    path: Path
    sources: Mapping[str, Source]
    problems: tuple[Problem, ...] = ()
    # What to keep as the last good configuration (the values taken from a
    # file that parsed); None when the file did not parse or does not exist.
    accepted: Mapping[str, Value] | None = None

    def value(self, name: str) -> Value:
        """A setting's value by name; KeyError for a name that is not a setting."""
        if name not in SETTINGS_BY_NAME:
            raise KeyError(name)
        value: Value = getattr(self.settings, name)
        return value

    def source(self, name: str) -> Source:
        """``"default"``, ``"file"``, ``"last good"`` or ``"command line"``."""
        if name not in SETTINGS_BY_NAME:
            raise KeyError(name)
        return self.sources[name]

    @property
    def pin_set(self) -> bool:
        return bool(self.settings.pin)



_AT = re.compile(r"^(?P<reason>.*?)\s*\(at (?:line (?P<line>\d+), column (?P<column>\d+)"
                 r"|end of document)\)$", re.DOTALL)


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file's text (None when there is no file), or why it cannot be had."""
    try:
        data = read_small(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        return None, None
    except NotAFile:
        return None, config_problem("", "not_a_file")
    except TooLarge:
        return None, config_problem("", "file_too_large", MappingProxyType({"limit": "1 MB"}))
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        reason = (error.strerror if isinstance(error, OSError) else None) or str(error)
        return None, config_problem("", "unreadable", MappingProxyType({"reason": reason}))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        # Editors show lines and columns, not byte offsets; give both.
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        params = MappingProxyType({"offset": str(error.start)})
        return None, config_problem("", "not_utf8", params, line, column)
    # Notepad on older Windows starts UTF-8 files with a byte order mark.
    return text.removeprefix("\ufeff"), None


def parse_toml(text: str) -> tuple[dict[str, Any], Problem | None]:
    import tomllib  # only when there is a file to read

    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _AT.match(message)
        line = getattr(error, "lineno", None)
        column = getattr(error, "colno", None)
        if match:
            message = match.group("reason")
            if line is None and match.group("line"):
                line, column = int(match.group("line")), int(match.group("column"))
        params = MappingProxyType({"reason": message})
        return {}, config_problem("", "syntax", params, line, column)
    except RecursionError:
        return {}, config_problem("", "too_deep")
    except ValueError as error:  # an integer longer than Python converts
        return {}, config_problem("", "syntax", MappingProxyType({"reason": str(error)}))


def _unknown_key(key: str) -> Problem:
    import difflib  # only a file with a mistake needs it

    close = difflib.get_close_matches(key.lower(), list(OPTIONS_BY_NAME), n=1)
    if close:
        return config_problem(key, "unknown_key_suggest",
                             MappingProxyType({"suggestion": close[0]}))
    return config_problem(key, "unknown_key")


def load_config(path: Path, command_line: Mapping[str, object] = _NO_VALUES) -> Config:
    """The effective configuration: defaults, then the file, then the command line.

    ``command_line`` maps option names to values as argparse typed them; None
    means "not given". A name that is not an option is a programming error
    (ValueError); anything in the file, however wrong, is a problem instead.
    """
    unknown = [name for name in command_line if name not in SETTINGS_BY_NAME]
    if unknown:
        raise ValueError(f"not settings: {', '.join(unknown)}")
    values: dict[str, Value] = {o.name: o.default for o in SETTINGS}
    sources: dict[str, Source] = dict.fromkeys(values, "default")
    problems: list[Problem] = []
    accepted: dict[str, Value] | None = None
    try:
        text, problem = read_text(path)
        table: dict[str, Any] = {}
        origins: dict[str, str] = {}
        if problem is None and text is not None:
            table, problem = parse_toml(text)
            if problem is None:
                accepted = {}
                origins = dict.fromkeys(table, "file")
        if problem is not None:
            problems.append(problem)
            table, origins = recover(path, text)
        last: dict[str, Any] | None = None
        for key, raw in table.items():
            option = OPTIONS_BY_NAME.get(key)
            if option is None:
                if origins.get(key) == "file":
                    problems.append(_unknown_key(key))
                continue
            value, problem = check_value(option, raw, path.parent)
            source: Source = "last good" if origins.get(key) == "last good" else "file"
            if problem is not None:
                if last is None:
                    last = read_last_good(path)
                value, source = _fall_back(option, last, path.parent, values[key])
                problems.append(problem._replace(fallback=fallback_of(option, value)))
            values[key], sources[key] = value, source
            if accepted is not None and source != "default":
                accepted[key] = value
    except Exception as error:  # a bug here must not keep the kiosk from starting
        values = {o.name: o.default for o in SETTINGS}
        sources = dict.fromkeys(values, "default")
        # Defaults, but never less locked: kiosk mode and the PIN as last good.
        for name, value in last_good_locks(path).items():
            values[name], sources[name] = value, "last good"
        accepted = None
        problems = [config_problem("", "internal_error",
                                  MappingProxyType({"reason": repr(error)}))]
    problems = [p._replace(file=str(path)) for p in problems]
    for name, raw in command_line.items():
        if raw is None:
            continue
        option = SETTINGS_BY_NAME[name]
        value, problem = check_value(option, raw, None)
        if problem is None:
            values[name], sources[name] = value, "command line"
        else:
            problems.append(problem._replace(origin="command line",
                                             fallback=fallback_of(option, values[name])))
    return Config(Settings(**values), path,  # type: ignore[arg-type]
                  MappingProxyType(sources), tuple(problems),
                  None if accepted is None else MappingProxyType(accepted))


def _fall_back(option: Option, last: Mapping[str, Any], base: Path,
               current: Value) -> tuple[Value, Source]:
    """What a refused value becomes: the locked choice (a wrong ``kiosk`` is a
    kiosk), else its last good value, else what it was (the default)."""
    if option.locked is not None:
        return option.locked, "file"
    if option.name in last:
        value, problem = check_value(option, last[option.name], base)
        if problem is None:
            return value, "last good"
    return current, "default"


def remember_last_good(config: Config) -> bool:
    """Keeps the values a file that parsed gave as the last good configuration
    (``config.last-good.toml``); False when there is nothing to keep or it
    cannot be written."""
    if config.accepted is None:
        return False
    return remember(config.path, config.accepted)


