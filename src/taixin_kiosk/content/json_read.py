"""Strict JSON reading for a content pack: what RFC 8259 allows and no more.

Python's ``json`` module accepts repeated keys (keeping the last), ``NaN`` and
``Infinity``, and turns ``1e999`` into infinity. ``read_json`` parses with hooks
that remember each of these, and ``scan`` reports them, so a pack that only
Python would accept is refused with the place of each mistake.
"""

from __future__ import annotations

import codecs
import json
import math
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from taixin_kiosk.content.problems import Problem
from taixin_kiosk.system.files import NotAFile, TooLarge, read_small

# Above every JSON file's own limit (content.limits: 4 MB), which is checked
# by size first; this bounds what a file that grows, or lies about its size
# (a device), can make the app read.
READ_LIMIT = 16 * 1024 * 1024

# A key that needs no quotes in a JSON path; a value shown in a message is
# cut at this many characters.
_PLAIN_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*\Z")
_REPR_LIMIT = 40


def json_type(value: object) -> str:
    """The JSON name of a parsed value's type (``true`` is a boolean, not a number)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def short_repr(value: object, limit: int = _REPR_LIMIT) -> str:
    """A value as JSON, cut short so a message stays on one readable line."""
    if isinstance(value, float) and not math.isfinite(value):
        text = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    else:
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError, RecursionError):
            text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def child_path(path: str, key: str) -> str:
    """``slides[0]`` + ``title`` -> ``slides[0].title``; odd keys are quoted."""
    if _PLAIN_KEY.match(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def index_path(path: str, index: int) -> str:
    return f"{path}[{index}]"


class _Object(dict[str, object]):
    """A parsed JSON object that remembers the keys it held more than once."""

    duplicates: tuple[str, ...] = ()


class _Literal(float):
    """``NaN``, ``Infinity`` or ``-Infinity`` as written: Python accepts them, JSON does not."""


class _Overflow(float):
    """A number literal too large for a float (``1e999``), with its text."""

    text: str = ""


def _object_pairs(pairs: list[tuple[str, object]]) -> _Object:
    obj = _Object()
    duplicates: list[str] = []
    for key, value in pairs:
        if key in obj:
            duplicates.append(key)
        obj[key] = value
    if duplicates:
        obj.duplicates = tuple(duplicates)
    return obj


def _parse_float(text: str) -> float:
    value = float(text)
    if math.isfinite(value):
        return value
    overflow = _Overflow(value)
    overflow.text = text
    return overflow


def _literal_name(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def _fits_float(value: float) -> bool:
    # An integer literal is exact in Python but becomes a float on the way to
    # the charts; past float's range that is infinity.
    if isinstance(value, int):
        return abs(value) <= sys.float_info.max
    return math.isfinite(value)


def walk(value: object, join: Callable[[str, str], str]) -> Iterator[tuple[str, object]]:
    """Every node with its path, in document order; iterative, so depth costs no stack."""
    stack: list[tuple[str, object]] = [("", value)]
    while stack:
        path, node = stack.pop()
        yield path, node
        if isinstance(node, dict):
            stack.extend((join(path, str(k)), v) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((index_path(path, i), v) for i, v in reversed(list(enumerate(node))))


def duplicate_keys(node: object) -> tuple[str, ...]:
    """The keys a parsed object held more than once (none for anything else)."""
    return getattr(node, "duplicates", ())


def trailing_comma(text: str, pos: int) -> int | None:
    """Where the comma is when a parse failed on ``,`` right before ``}`` or ``]``.

    Python reports the closing bracket ("Expecting value", often on the next
    line); an editor needs the comma, which is the mistake.
    """
    # Newer Pythons point at the comma itself; older ones at the bracket.
    if pos < len(text) and text[pos] == ",":
        after = len(text[pos + 1:]) - len(text[pos + 1:].lstrip(" \t\r\n"))
        closing = pos + 1 + after
        # After ":" or "[" the comma stands for a missing value, not a spare comma.
        if text[:pos].rstrip(" \t\r\n")[-1:] in ("", ":", "[", "{", ","):
            return None
        return pos if closing < len(text) and text[closing] in "}]" else None
    if pos >= len(text) or text[pos] not in "}]":
        return None
    before = text[:pos].rstrip(" \t\r\n")
    return len(before) - 1 if before.endswith(",") else None


def line_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]``, as the JSON parser counts them."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def read_json(path: Path, file: str, *, missing: str) -> tuple[bytes, object] | Problem:
    """The bytes of ``path`` and their JSON value, or the one problem that stops reading.

    ``file`` names the file in a problem; ``missing`` is the code when there
    is no such file. Objects remember repeated keys and number literals
    JSON forbids stay recognisable, for ``scan`` to report.
    """
    try:
        data = read_small(path, READ_LIMIT)
    except FileNotFoundError:
        return Problem(file, "", missing, {})
    except NotAFile:
        # A named pipe would block the read (and the app's start) for ever,
        # a link to /dev/zero would fill the memory.
        return Problem(file, "", "file_not_regular", {})
    except TooLarge:
        return Problem(file, "", "file_too_large_to_read", {"limit": str(READ_LIMIT)})
    except OSError as exc:
        return Problem(file, "", "file_unreadable",
                       {"reason": exc.strerror or type(exc).__name__})
    # RFC 8259 lets a parser ignore a byte order mark; Windows editors add one.
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
        line_start = data.rfind(b"\n", 0, offset) + 1
        return Problem(
            file,
            "",
            "not_utf8",
            {"offset": str(offset)},
            line=data.count(b"\n", 0, offset) + 1,
            column=offset - line_start + 1,
        )
    try:
        value = json.loads(
            text,
            object_pairs_hook=_object_pairs,
            parse_constant=_Literal,
            parse_float=_parse_float,
        )
    except json.JSONDecodeError as exc:
        comma = trailing_comma(text, exc.pos)
        if comma is not None:
            line, column = line_column(text, comma)
            return Problem(file, "", "json_trailing_comma", {}, line, column)
        return Problem(file, "", "json_syntax", {"reason": exc.msg}, exc.lineno, exc.colno)
    except RecursionError:
        return Problem(file, "", "json_too_deep", {})
    except ValueError as exc:  # e.g. an integer longer than Python converts
        return Problem(file, "", "json_syntax", {"reason": str(exc)})
    return data, value


def scan(doc: object, file: str) -> list[Problem]:
    """What the parser let through but JSON forbids: repeated keys, non-finite numbers."""
    problems: list[Problem] = []
    for path, node in walk(doc, child_path):
        if isinstance(node, _Object):
            for key in node.duplicates:
                problems.append(
                    Problem(file, child_path(path, key), "json_duplicate_key", {"key": key}))
        elif isinstance(node, _Literal):
            problems.append(
                Problem(file, path, "json_constant", {"literal": _literal_name(node)}))
        elif isinstance(node, _Overflow):
            problems.append(
                Problem(file, path, "number_not_finite", {"value": node.text[:40]}))
        elif isinstance(node, int | float) and not _fits_float(node):
            problems.append(
                Problem(file, path, "number_not_finite", {"value": short_repr(node)}))
    return problems
