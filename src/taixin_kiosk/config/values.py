"""One setting's value: checking what a file or the command line gives, and
writing values as TOML (for messages, ``taixin-kiosk config`` and the file)."""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import cast

from taixin_kiosk.config.hours import OpeningHours, clock_text, parse_clock, parse_hours
from taixin_kiosk.config.settings import OPTIONS, Option, Value
from taixin_kiosk.content.catalogue import LOCALE_RE
from taixin_kiosk.content.problems import CONFIG, Problem

_EMPTY: Mapping[str, str] = MappingProxyType({})
# A value shown in a message is cut here so the message stays on one line.
_SHOW_LIMIT = 60
_SETTING_NAMES = frozenset(o.name for o in OPTIONS)

# Every code a configuration problem may carry: the catalogue message config.problem.<code>.
CODES: tuple[str, ...] = (
    "unreadable", "not_a_file", "file_too_large", "not_utf8", "syntax", "too_deep",
    "not_updatable",
    "unknown_key", "unknown_key_suggest",
    *sorted({o.type_code for o in OPTIONS}),
    "too_small", "too_large", "out_of_range", "not_finite", "not_choice",
    "not_locale", "pin_not_hash", "not_address", "path_invalid", "internal_error",
    "hours_day", "hours_setting", "hours_range", "not_clock",
)  # fmt: skip


# --- rendering values as TOML -------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_string(text: str) -> str:
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
    if isinstance(value, OpeningHours):
        # An inline table: one line, so the last good file keeps it as a key.
        days = value.as_table()
        return "{ " + ", ".join(f"{day} = {toml_string(text)}" for day, text in days.items()) \
            + " }" if days else "{}"
    return toml_string(str(value))


def show_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) or not key else toml_string(key)


def config_problem(key: str, code: str, params: Mapping[str, str] = _EMPTY, line: int | None = None,
             column: int | None = None, *, file: str = "") -> Problem:
    """A configuration problem about ``key`` (empty: the whole file)."""
    shown = show_key(key)
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
            return emit(toml_string(item[:limit + 1]))
        if isinstance(item, os.PathLike):
            return emit(toml_string(str(os.fspath(item))))
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
                if not emit(", " if index else " ") or not emit(f"{show_key(str(key))} = ") \
                        or not walk(element, depth + 1):
                    return False
            return emit(" }" if item else "}")
        return emit(repr(item))

    walk(value, 0)
    text = "".join(out)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- checking one value -----------------------------------------------------------------

def _is_pin_hash(text: str) -> bool:
    # Only a file with a PIN in it needs the PIN module.
    from taixin_kiosk.config.pin import is_pin_hash

    return is_pin_hash(text)


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


# host:port, the host a name, an IPv4 address or an IPv6 one in brackets.
_ADDRESS = re.compile(r"(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])"
                      r":(?P<port>[0-9]{1,5})")


def parse_address(text: str) -> tuple[str, int] | None:
    """``host:port`` as (host, port), an IPv6 host without its brackets;
    None when ``text`` is not such an address."""
    found = _ADDRESS.fullmatch(text)
    if found is None:
        return None
    port = int(found["port"])
    if not 1 <= port <= 65535:
        return None
    host = found["host"]
    if host.startswith("["):
        import ipaddress  # only an IPv6 address needs it

        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return None
        host = host[1:-1]
    return host, port


def _bound(option: Option, bound: float) -> str:
    return str(int(bound)) if option.kind == "int" else _toml_float(float(bound))


def check_value(option: Option, raw: object, base: Path | None) -> tuple[Value, Problem | None]:
    """The option's value for ``raw``, or a problem (its fallback left to the caller).

    ``base`` is the folder a relative path is taken from; None keeps it as given.
    """

    def wrong(code: str, **params: str) -> tuple[Value, Problem]:
        if option.secret:
            return None, config_problem(option.name, "pin_not_hash")
        return None, config_problem(option.name, code, MappingProxyType(params))

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
    if kind == "hours":
        hours, fault = parse_hours(raw)
        if fault is None:
            return hours, None
        code, day, params = fault
        if day is None:
            return wrong(code, got=got)
        if code == "hours_range" and isinstance(raw, Mapping):
            params = {"value": show(raw.get(day)), **params}
        if code == "hours_day":
            # A key may hold any character, a line break too: shown as TOML writes it.
            params = {**params, "day": show_key(day)}
            if day in _SETTING_NAMES:
                # Written below the table, a setting is one of its keys in TOML:
                # the usual slip when [opening_hours] goes in the middle of a file.
                code = "hours_setting"
        key = f"{option.name}.{show_key(day)}"
        problem = config_problem(key, code, MappingProxyType(params))
        return None, problem._replace(shown=key)
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
    choices = ", ".join(toml_string(c) for c in option.choices)
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
    if option.form == "address" and raw and parse_address(raw) is None:
        return wrong("not_address", value=got)
    if option.form == "clock":
        minutes = parse_clock(raw)
        return (clock_text(minutes), None) if minutes is not None else wrong("not_clock",
                                                                             value=got)
    if option.form == "pin_hash" and raw and not _is_pin_hash(raw):
        return wrong("pin_not_hash")
    return raw, None


def fallback_of(option: Option, value: Value) -> str | None:
    if option.secret:
        return None
    return "" if value is None else render_value(value)
