"""The configuration file: one TOML file of typed options, each with a default.

Every option is declared once, in :data:`OPTIONS`: its type, default, limits
and (by its name) its one-line description ``config.option.<name>`` in the
catalogues. ``docs/configuration.md`` lists the same options; a test keeps
the two in step.

:func:`load_config` never raises on what it finds in the file: a kiosk must
start whatever staff typed. A file it cannot read or parse gives one problem
and all defaults; a bad value gives a problem naming the key and what was
expected, and only that key falls back. Values from the command line win
over the file and go through the same checks.

:func:`set_value` changes one option with tomlkit, so the comments and the
order staff gave the file survive, and replaces the file atomically.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, NamedTuple, TypeAlias, cast

from taixin_kiosk.content.catalogue import LOCALE_RE
from taixin_kiosk.content.problems import CONFIG, Problem
from taixin_kiosk.system.files import write_atomic

Kind = Literal["bool", "int", "float", "str", "choice", "path"]
# Extra checks on a str option's form.
Form = Literal["locale", "pin_hash"]
Source = Literal["default", "file", "command line"]
Value: TypeAlias = bool | int | float | str | Path | None

_EMPTY: Mapping[str, str] = MappingProxyType({})
_NO_VALUES: Mapping[str, object] = MappingProxyType({})
# A value shown in a message is cut here so the message stays on one line.
_SHOW_LIMIT = 60


class Option(NamedTuple):
    """One setting. ``optional`` ones may be unset (absent, or ``""`` in the file)."""

    name: str
    kind: Kind
    default: Value
    optional: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    form: Form | None = None

    @property
    def description_key(self) -> str:
        return f"config.option.{self.name}"

    @property
    def secret(self) -> bool:
        """Never shown: not its value, not even a wrong one (it may be a plain PIN)."""
        return self.form == "pin_hash"

    @property
    def type_code(self) -> str:
        """The problem code for a value of the wrong type."""
        return f"type_{self.kind}_optional" if self.optional else f"type_{self.kind}"


OPTIONS: tuple[Option, ...] = (
    Option("kiosk", "bool", False),
    Option("windowed", "bool", False),
    Option("locale", "str", None, optional=True, form="locale"),
    Option("content", "path", None, optional=True),
    Option("screen", "int", None, optional=True, minimum=0),
    Option("motion", "bool", True),
    Option("transition_ms", "int", 220, minimum=0, maximum=300),
    Option("swipe_mm", "float", 12.0, minimum=3.0, maximum=60.0),
    Option("idle_seconds", "int", 90, minimum=10, maximum=86400),
    Option("attract_seconds", "int", 60, minimum=5, maximum=86400),
    Option("attract_advance_seconds", "int", 8, minimum=3, maximum=600),
    Option("attract_alternate_languages", "bool", True),
    Option("staff_corner", "choice", "top-left",
           choices=("top-left", "top-right", "bottom-left", "bottom-right")),
    Option("staff_hold_seconds", "float", 3.0, minimum=1.0, maximum=30.0),
    Option("pin", "str", "", form="pin_hash"),
    Option("keep_awake", "bool", True),
    Option("stats_retention_days", "int", 365, minimum=1, maximum=3650),
    Option("log_level", "choice", "INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR")),
    Option("present", "bool", False),
    Option("notes_locale", "str", None, optional=True, form="locale"),
    Option("talk_minutes", "int", 10, minimum=1, maximum=600),
    Option("large_text", "bool", False),
    Option("contrast", "choice", "auto", choices=("auto", "standard", "high")),
    Option("low_reach", "choice", "auto", choices=("auto", "on", "off")),
)
OPTIONS_BY_NAME: Mapping[str, Option] = MappingProxyType({o.name: o for o in OPTIONS})

# Every code a configuration problem may carry: the catalogue message config.problem.<code>.
CODES: tuple[str, ...] = (
    "unreadable", "not_utf8", "syntax", "too_deep", "not_updatable",
    "unknown_key", "unknown_key_suggest",
    *sorted({o.type_code for o in OPTIONS}),
    "too_small", "too_large", "out_of_range", "not_finite", "not_choice",
    "not_locale", "pin_not_hash", "path_invalid", "internal_error",
)  # fmt: skip


class ConfigWriteError(Exception):
    """The file exists but cannot be changed without losing what is in it."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.file}: {problem.path}: {problem.code}")
        self.problem = problem


class Config:
    """The effective configuration: one typed attribute per option of OPTIONS.

    Read-only. A plain class rather than a frozen dataclass: it is made at
    every start, before the first slide, and a dataclass this wide costs
    milliseconds just to define.
    """

    kiosk: bool
    windowed: bool
    locale: str | None
    content: Path | None
    screen: int | None
    motion: bool
    transition_ms: int
    swipe_mm: float
    idle_seconds: int
    attract_seconds: int
    attract_advance_seconds: int
    attract_alternate_languages: bool
    staff_corner: str
    staff_hold_seconds: float
    pin: str
    keep_awake: bool
    stats_retention_days: int
    log_level: str
    present: bool
    notes_locale: str | None
    talk_minutes: int
    large_text: bool
    contrast: str
    low_reach: str
    # The file read (it may not exist); where each value came from; what was wrong.
    path: Path
    sources: Mapping[str, Source]
    problems: tuple[Problem, ...]

    def __init__(self, *, path: Path, sources: Mapping[str, Source],
                 problems: tuple[Problem, ...] = (), **values: Value) -> None:
        names = [o.name for o in OPTIONS]
        if sorted(values) != sorted(names):
            raise TypeError(f"Config needs exactly the options; got {sorted(values)}")
        for name in names:
            object.__setattr__(self, name, values[name])
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "sources", sources)
        object.__setattr__(self, "problems", problems)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Config is read-only ({name})")

    def __repr__(self) -> str:
        shown = ", ".join(f"{o.name}={show(getattr(self, o.name)) if not o.secret else '...'}"
                          for o in OPTIONS)
        return f"Config({shown})"

    def value(self, name: str) -> Value:
        """An option's value by name; KeyError for a name that is not an option."""
        if name not in OPTIONS_BY_NAME:
            raise KeyError(name)
        return cast(Value, getattr(self, name))

    def source(self, name: str) -> Source:
        """``"default"``, ``"file"`` or ``"command line"``."""
        if name not in OPTIONS_BY_NAME:
            raise KeyError(name)
        return self.sources[name]

    @property
    def pin_set(self) -> bool:
        return bool(self.pin)


# --- rendering values as TOML -------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _toml_string(text: str) -> str:
    # Windows paths read better as literal strings, with their backslashes as typed.
    if "\\" in text and "'" not in text and not _CONTROL.search(text):
        return f"'{text}'"
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = _CONTROL.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"),
                           escaped)
    return f'"{escaped}"'


def _toml_float(number: float) -> str:
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    return repr(number)  # always with a "." or an exponent, as TOML needs for a float


def render_value(value: Value) -> str:
    """An option's value as written in the TOML file; an unset one as ``""``."""
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _toml_float(value)
    return _toml_string(str(value))


def _show_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) or not key else _toml_string(key)


def _problem(key: str, code: str, params: Mapping[str, str] = _EMPTY, line: int | None = None,
             column: int | None = None, *, file: str = "") -> Problem:
    """A configuration problem about ``key`` (empty: the whole file)."""
    shown = _show_key(key)
    return Problem(file, key, code, params, line, column, scope=CONFIG,
                   shown=shown if shown != key else None)


def show(value: object, limit: int = _SHOW_LIMIT) -> str:
    """Any value (what a file may hold) as TOML-like text, cut to ``limit`` characters."""
    out: list[str] = []
    budget = [limit + 1]

    def emit(piece: str) -> bool:
        out.append(piece)
        budget[0] -= len(piece)
        return budget[0] > 0

    def walk(item: object, depth: int) -> bool:
        if depth > 8:
            return emit("…")
        if isinstance(item, bool):
            return emit("true" if item else "false")
        if isinstance(item, int):
            try:
                return emit(str(item))
            except ValueError:  # more digits than Python converts to text
                return emit("…")
        if isinstance(item, float):
            return emit(_toml_float(item))
        if isinstance(item, str):
            return emit(_toml_string(item[:limit + 1]))
        if isinstance(item, os.PathLike):
            return emit(_toml_string(str(os.fspath(item))))
        import datetime  # only TOML dates need it; start-up does not

        if isinstance(item, datetime.date | datetime.time):
            return emit(item.isoformat())
        if isinstance(item, list | tuple):
            if not emit("["):
                return False
            for index, element in enumerate(item):
                if (index and not emit(", ")) or not walk(element, depth + 1):
                    return False
            return emit("]")
        if isinstance(item, Mapping):
            if not emit("{"):
                return False
            for index, (key, element) in enumerate(item.items()):
                if not emit(", " if index else " ") or not emit(f"{_show_key(str(key))} = ") \
                        or not walk(element, depth + 1):
                    return False
            return emit(" }" if item else "}")
        return emit(repr(item))

    walk(value, 0)
    text = "".join(out)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- checking one value -----------------------------------------------------------------

_LOCALE_INPUT = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*")


def _normalise_locale(text: str) -> str | None:
    """``zh_cn`` -> ``zh-CN``, ``zh-hans`` -> ``zh-Hans``; None when not a locale at all."""
    if not _LOCALE_INPUT.fullmatch(text):
        return None
    first, *rest = text.replace("_", "-").split("-")
    parts = [first.lower()]
    for part in rest:
        parts.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4
                     else part.lower())
    locale = "-".join(parts)
    return locale if LOCALE_RE.fullmatch(locale) else None


def _bound(option: Option, bound: float) -> str:
    return str(int(bound)) if option.kind == "int" else _toml_float(float(bound))


def _check(option: Option, raw: object, base: Path | None) -> tuple[Value, Problem | None]:
    """The option's value for ``raw``, or a problem (its fallback left to the caller).

    ``base`` is the folder a relative path is taken from; None keeps it as given.
    """

    def wrong(code: str, **params: str) -> tuple[Value, Problem]:
        if option.secret:
            return None, _problem(option.name, "pin_not_hash")
        return None, _problem(option.name, code, MappingProxyType(params))

    if option.optional and (raw is None or raw == ""):
        return None, None
    got = "" if option.secret else show(raw)
    kind = option.kind
    if kind == "bool":
        return (raw, None) if isinstance(raw, bool) else wrong(option.type_code, got=got)
    if kind in ("int", "float"):
        # bool is an int to Python, but `true` is no number to someone writing TOML.
        number_types: tuple[type, ...] = (int, float) if kind == "float" else (int,)
        if isinstance(raw, bool) or not isinstance(raw, number_types):
            return wrong(option.type_code, got=got)
        number = cast(int | float, raw)
        if isinstance(number, float) and not math.isfinite(number):
            return wrong("not_finite", value=got)
        low, high = option.minimum, option.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                return wrong("out_of_range", value=got, minimum=_bound(option, low),
                             maximum=_bound(option, high))
            if low is not None:
                return wrong("too_small", value=got, minimum=_bound(option, low))
            return wrong("too_large", value=got, maximum=_bound(option, cast(float, high)))
        # Within its bounds, an int converts to float without overflow.
        return (float(number) if kind == "float" else number), None
    if kind == "path":
        text = os.fspath(raw) if isinstance(raw, os.PathLike) else raw
        if not isinstance(text, str):
            return wrong(option.type_code, got=got)
        if "\x00" in text:
            return wrong("path_invalid", value=got)
        path = Path(text)
        with contextlib.suppress(RuntimeError):  # no home folder to expand ~ to
            path = path.expanduser()
        if base is not None and not path.is_absolute():
            path = base / path
        return path, None
    choices = ", ".join(_toml_string(c) for c in option.choices)
    if not isinstance(raw, str):
        if kind == "choice":
            return wrong(option.type_code, got=got, choices=choices)
        return wrong(option.type_code, got=got)
    if kind == "choice":
        # log_level = "info" means INFO; only the spelling's case is forgiven.
        chosen = next((c for c in option.choices if c.lower() == raw.lower()), None)
        if chosen is None:
            return wrong("not_choice", value=got, choices=choices)
        return chosen, None
    if option.form == "locale":
        locale = _normalise_locale(raw)
        return (locale, None) if locale else wrong("not_locale", value=got)
    if option.form == "pin_hash" and raw and not _is_pin_hash(raw):
        return wrong("pin_not_hash")
    return raw, None


def _fallback(option: Option, value: Value) -> str | None:
    if option.secret:
        return None
    return "" if value is None else render_value(value)


# --- reading the file -------------------------------------------------------------------

_AT = re.compile(r"^(?P<reason>.*?)\s*\(at (?:line (?P<line>\d+), column (?P<column>\d+)"
                 r"|end of document)\)$", re.DOTALL)


def _is_pin_hash(text: str) -> bool:
    # Only a file with a PIN in it needs the PIN module.
    from taixin_kiosk.config.pin import is_pin_hash

    return is_pin_hash(text)


def _read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file's text (None when there is no file), or why it cannot be had."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        reason = (error.strerror if isinstance(error, OSError) else None) or str(error)
        return None, _problem("", "unreadable", MappingProxyType({"reason": reason}))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        # Editors show lines and columns, not byte offsets; give both.
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        params = MappingProxyType({"offset": str(error.start)})
        return None, _problem("", "not_utf8", params, line, column)
    # Notepad on older Windows starts UTF-8 files with a byte order mark.
    return text.removeprefix("\ufeff"), None


def _parse(text: str) -> tuple[dict[str, Any], Problem | None]:
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
        return {}, _problem("", "syntax", params, line, column)
    except RecursionError:
        return {}, _problem("", "too_deep")
    except ValueError as error:  # an integer longer than Python converts
        return {}, _problem("", "syntax", MappingProxyType({"reason": str(error)}))


def _unknown_key(key: str) -> Problem:
    import difflib  # only a file with a mistake needs it

    close = difflib.get_close_matches(key.lower(), list(OPTIONS_BY_NAME), n=1)
    if close:
        return _problem(key, "unknown_key_suggest",
                             MappingProxyType({"suggestion": close[0]}))
    return _problem(key, "unknown_key")


def load_config(path: Path, command_line: Mapping[str, object] = _NO_VALUES) -> Config:
    """The effective configuration: defaults, then the file, then the command line.

    ``command_line`` maps option names to values as argparse typed them; None
    means "not given". A name that is not an option is a programming error
    (ValueError); anything in the file, however wrong, is a problem instead.
    """
    unknown = [name for name in command_line if name not in OPTIONS_BY_NAME]
    if unknown:
        raise ValueError(f"not configuration options: {', '.join(unknown)}")
    values: dict[str, Value] = {o.name: o.default for o in OPTIONS}
    sources: dict[str, Source] = dict.fromkeys(values, "default")
    problems: list[Problem] = []
    try:
        text, problem = _read_text(path)
        table: dict[str, Any] = {}
        if problem is None and text is not None:
            table, problem = _parse(text)
        if problem is not None:
            problems.append(problem)
        for key, raw in table.items():
            option = OPTIONS_BY_NAME.get(key)
            if option is None:
                problems.append(_unknown_key(key))
                continue
            value, problem = _check(option, raw, path.parent)
            if problem is None:
                values[key], sources[key] = value, "file"
            else:
                problems.append(problem._replace(fallback=_fallback(option, values[key])))
    except Exception as error:  # a bug here must not keep the kiosk from starting
        values = {o.name: o.default for o in OPTIONS}
        sources = dict.fromkeys(values, "default")
        problems = [_problem("", "internal_error",
                                  MappingProxyType({"reason": repr(error)}))]
    problems = [p._replace(file=str(path)) for p in problems]
    for name, raw in command_line.items():
        if raw is None:
            continue
        option = OPTIONS_BY_NAME[name]
        value, problem = _check(option, raw, None)
        if problem is None:
            values[name], sources[name] = value, "command line"
        else:
            problems.append(problem._replace(origin="command line",
                                             fallback=_fallback(option, values[name])))
    return Config(**cast(dict[str, Any], values), path=path,
                  sources=MappingProxyType(sources), problems=tuple(problems))


# --- changing the file ------------------------------------------------------------------

def _stored(option: Option, value: object) -> bool | int | float | str | None:
    """``value`` as it goes into the file; ValueError when the option refuses it."""
    if value is None:
        return None
    checked, problem = _check(option, value, None)
    if problem is not None:
        raise ValueError(f"{option.name}: {problem.code}")
    if checked is None:
        return None
    if option.kind == "path":
        return os.fspath(cast("str | os.PathLike[str]", value))  # as given: ~ stays ~
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
    text, problem = _read_text(path)
    before: dict[str, Any] = {}
    if text is not None:
        before, problem = _parse(text) if problem is None else ({}, problem)
    if problem is not None:
        raise ConfigWriteError(problem._replace(file=str(path)))
    if text is None and stored is None:
        return
    not_updatable = ConfigWriteError(_problem(name, "not_updatable", file=str(path)))
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
    after, problem = _parse(out)
    expected = {k: v for k, v in before.items() if k != name}
    if stored is not None:
        expected[name] = stored
    if problem is not None or repr(sorted(after.items())) != repr(sorted(expected.items())):
        raise not_updatable
    path.parent.mkdir(parents=True, exist_ok=True)
    # A new file is its owner's alone: it may hold the PIN's hash.
    write_atomic(path, out, private=True)
