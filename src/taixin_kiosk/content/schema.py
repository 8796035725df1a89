"""A small interpreter of the JSON Schema subset that ``assets/deck.schema.json`` uses.

The schema file is the single description of deck.json: editors check it as
you type, and the validator runs the very same file through this module. A
full JSON Schema library would be another runtime dependency and reports
errors in its own English; this one turns each failure into a
:class:`Problem` with a JSON path and catalogue-ready parameters.

Only the keywords listed in ``_KEYWORDS`` are understood. Any other keyword
makes :class:`Validator` refuse the schema (``SchemaError``): a schema that
quietly means more to editors than to the validator would let packs through
that an editor flags.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

from taixin_kiosk.content.json_read import child_path, index_path, json_type, short_repr
from taixin_kiosk.content.problems import Problem

CODES: tuple[str, ...] = (
    "schema_type",
    "schema_required",
    "schema_unknown_key",
    "schema_unknown_key_suggest",
    "schema_enum",
    "schema_const",
    "schema_minimum",
    "schema_maximum",
    "schema_min_items",
    "schema_max_items",
    "schema_pattern",
)

_KEYWORDS = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "enum", "const",
    "minimum", "maximum", "minItems", "maxItems", "pattern", "$ref", "allOf", "if", "then",
})  # fmt: skip
# Annotations change nothing about what is valid.
_ANNOTATIONS = frozenset({
    "$schema", "$id", "$comment", "$defs", "title", "description", "markdownDescription",
    "default", "examples", "deprecated",
})  # fmt: skip
_TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})
_REF_PREFIX = "#/$defs/"

Schema = Mapping[str, object]


class SchemaError(ValueError):
    """The schema uses something outside the subset this module interprets."""


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def json_equal(a: object, b: object) -> bool:
    """Equality as JSON sees it: Python's ``True == 1`` must not make them equal."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def is_finite(value: float) -> bool:
    """``math.isfinite`` that also takes integers too large for a float."""
    return isinstance(value, int) or math.isfinite(value)


def _type_ok(value: object, name: str) -> bool:
    if name == "integer":
        if isinstance(value, float):
            # NaN and the infinities are reported once, by the loader's scan
            # for non-finite numbers, not again here as "not an integer".
            return value.is_integer() or not math.isfinite(value)
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return is_number(value)
    return json_type(value) == name


def _compile(pattern: str) -> re.Pattern[str]:
    # ECMA-262's "$" matches only at the very end; Python's also before a final
    # newline, which would let "zh-CN\n" through.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _plain(node: object) -> Any:
    """A copy of a parsed schema with every mapping made a plain dict."""
    if isinstance(node, Mapping):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _keyword_value_ok(key: str, value: object) -> bool:
    if key == "required":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if key == "enum":
        return isinstance(value, list)
    if key in ("minimum", "maximum"):
        return is_number(value)
    if key in ("minItems", "maxItems"):
        return isinstance(value, int) and not isinstance(value, bool)
    return True


class Validator:
    """Checks JSON values against one schema document; reports every problem found."""

    def __init__(self, schema: Schema, *, file: str = "deck.json") -> None:
        # Plain dicts from here on: instance checks against the Mapping ABC
        # were a third of the time spent validating a deck.
        self._root: dict[str, object] = _plain(schema)
        self._file = file
        self._patterns: dict[str, re.Pattern[str]] = {}
        self._refs: dict[str, dict[str, object] | bool] = {}
        self._check_schema(self._root, "#")

    def validate(self, instance: object) -> list[Problem]:
        problems: list[Problem] = []
        self._check(instance, self._root, "", problems)
        return problems

    def is_valid(self, instance: object) -> bool:
        return not self.validate(instance)

    # -- the schema itself -------------------------------------------------

    def _check_schema(self, node: object, where: str) -> None:
        # ``false`` is understood only as ``additionalProperties: false``,
        # which is checked where it stands, so it never reaches ``_check``.
        if node is True or (node is False and where.endswith("/additionalProperties")):
            return
        if not isinstance(node, Mapping):
            raise SchemaError(where)
        for key, value in node.items():
            if key not in _KEYWORDS and key not in _ANNOTATIONS:
                raise SchemaError(f"{where}/{key}")
            if key in ("properties", "$defs"):
                if not isinstance(value, Mapping):
                    raise SchemaError(f"{where}/{key}")
                for name, sub in value.items():
                    self._check_schema(sub, f"{where}/{key}/{name}")
            elif key in ("items", "additionalProperties", "if", "then"):
                self._check_schema(value, f"{where}/{key}")
            elif key == "allOf":
                if not isinstance(value, list):
                    raise SchemaError(f"{where}/{key}")
                for i, sub in enumerate(value):
                    self._check_schema(sub, f"{where}/{key}/{i}")
            elif key == "$ref":
                self._resolve(value)
            elif key == "type":
                names = value if isinstance(value, list) else [value]
                if not names or any(n not in _TYPES for n in names):
                    raise SchemaError(f"{where}/{key}")
            elif key == "pattern":
                if not isinstance(value, str):
                    raise SchemaError(f"{where}/{key}")
                try:
                    self._patterns[value] = _compile(value)
                except re.error as exc:
                    raise SchemaError(f"{where}/{key}") from exc
            elif not _keyword_value_ok(key, value):
                raise SchemaError(f"{where}/{key}")

    def _resolve(self, ref: object) -> dict[str, object] | bool:
        if isinstance(ref, str) and ref in self._refs:
            return self._refs[ref]
        if not isinstance(ref, str) or not ref.startswith(_REF_PREFIX):
            raise SchemaError(str(ref))
        defs = self._root.get("$defs")
        target = defs.get(ref[len(_REF_PREFIX) :]) if isinstance(defs, dict) else None
        if not isinstance(target, dict | bool):
            raise SchemaError(ref)
        self._refs[ref] = target
        return target

    # -- instances ---------------------------------------------------------

    def _problem(self, path: str, code: str, **params: str) -> Problem:
        return Problem(self._file, path, code, params)

    def _matches(self, instance: object, schema: object) -> bool:
        found: list[Problem] = []
        self._check(instance, schema, "", found)
        return not found

    def _check(self, instance: object, schema: object, path: str, out: list[Problem]) -> None:
        if not isinstance(schema, dict):
            return  # ``true``: anything goes
        if "$ref" in schema:
            self._check(instance, self._resolve(schema["$ref"]), path, out)
        # Each failure below ends the checks of this value: once the type or
        # the value itself is wrong, what follows would only repeat it.
        if not self._check_value(instance, schema, path, out):
            return
        if isinstance(instance, list):
            self._check_array(instance, schema, path, out)
        elif isinstance(instance, dict):
            self._check_object(instance, schema, path, out)
        for sub in cast("Sequence[object]", schema.get("allOf", ())):
            self._check(instance, sub, path, out)
        if "if" in schema and self._matches(instance, schema["if"]) and "then" in schema:
            self._check(instance, schema["then"], path, out)

    def _check_value(self, instance: object, schema: dict[str, object], path: str,
                     out: list[Problem]) -> bool:
        types = schema.get("type")
        if types is not None:
            names = cast("list[str]", types if isinstance(types, list) else [types])
            if not any(_type_ok(instance, name) for name in names):
                out.append(
                    self._problem(
                        path,
                        "schema_type",
                        expected="/".join(names),
                        got_type=json_type(instance),
                        got_value=short_repr(instance),
                    )
                )
                return False
        if "const" in schema and not json_equal(instance, schema["const"]):
            out.append(
                self._problem(
                    path,
                    "schema_const",
                    value=short_repr(instance),
                    expected=short_repr(schema["const"]),
                )
            )
            return False
        enum = cast("Sequence[object]", schema.get("enum", ()))
        if "enum" in schema and not any(json_equal(instance, v) for v in enum):
            out.append(
                self._problem(
                    path,
                    "schema_enum",
                    value=short_repr(instance),
                    allowed=", ".join(short_repr(v, 1000) for v in enum),
                )
            )
            return False
        # Infinities and NaN are reported once by the loader as non-finite;
        # comparing them here would only add a second, vaguer problem.
        if (isinstance(instance, int | float) and not isinstance(instance, bool)
                and is_finite(instance)):
            number = instance
            low, high = schema.get("minimum"), schema.get("maximum")
            if low is not None and number < cast("float", low):
                out.append(
                    self._problem(
                        path, "schema_minimum", value=short_repr(number), limit=short_repr(low)
                    )
                )
                return False
            if high is not None and number > cast("float", high):
                out.append(
                    self._problem(
                        path, "schema_maximum", value=short_repr(number), limit=short_repr(high)
                    )
                )
                return False
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and isinstance(instance, str):
            compiled = self._patterns.get(pattern) or _compile(pattern)
            if not compiled.search(instance):
                out.append(
                    self._problem(
                        path, "schema_pattern", value=short_repr(instance), pattern=pattern
                    )
                )
                return False
        return True

    def _check_array(
        self, instance: list[object], schema: dict[str, object], path: str, out: list[Problem]
    ) -> None:
        low, high = schema.get("minItems"), schema.get("maxItems")
        if isinstance(low, int) and len(instance) < low:
            out.append(
                self._problem(path, "schema_min_items", count=str(len(instance)), limit=str(low))
            )
        if isinstance(high, int) and len(instance) > high:
            out.append(
                self._problem(path, "schema_max_items", count=str(len(instance)), limit=str(high))
            )
        if "items" in schema:
            for i, item in enumerate(instance):
                self._check(item, schema["items"], index_path(path, i), out)

    def _check_object(
        self, instance: dict[object, object], schema: dict[str, object], path: str,
        out: list[Problem]
    ) -> None:
        properties = cast("Mapping[str, object]", schema.get("properties", {}))
        additional = schema.get("additionalProperties", True)
        for key, value in instance.items():
            name = str(key)
            # Paths are built only where they may be used: the "if" checks of
            # every slide type see every key, and most keys need no path.
            if name in properties:
                self._check(value, properties[name], child_path(path, name), out)
            elif additional is False:
                out.append(self._unknown_key(name, properties, child_path(path, name)))
            elif additional is not True:
                self._check(value, additional, child_path(path, name), out)
        for name in cast("Sequence[str]", schema.get("required", ())):
            if name not in instance:
                out.append(self._problem(path, "schema_required", key=name))

    def _unknown_key(self, key: str, allowed: Mapping[str, object], where: str) -> Problem:
        import difflib  # only a pack with a mistake needs it; start-up does not

        close = difflib.get_close_matches(key, list(allowed), n=1)
        if close:
            return self._problem(where, "schema_unknown_key_suggest", key=key, suggestion=close[0])
        return self._problem(where, "schema_unknown_key", key=key, allowed=", ".join(allowed))
