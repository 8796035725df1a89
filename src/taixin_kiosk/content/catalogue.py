"""Translation catalogues: one flat ``key -> text`` mapping per locale."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from typing import NamedTuple

LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_FORMATTER = string.Formatter()


def flatten(tree: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    """Nested catalogue objects to dotted keys; leaves are kept as they are."""
    out: dict[str, object] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, dotted + "."))
        else:
            out[dotted] = value
    return out


def placeholders(text: str) -> frozenset[str]:
    """Named ``{placeholders}`` of a message; raises ValueError on bad braces."""
    names = set()
    for _literal, name, _spec, _conv in _FORMATTER.parse(text):
        if name is not None:
            names.add(name)
    return frozenset(names)


class _Missing(dict[str, str]):
    # A parameter the caller forgot shows as {name} instead of raising: the
    # screen must never go blank over a missing value.
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Catalogue(NamedTuple):
    """The strings of one locale. ``text`` never raises on a missing key."""

    locale: str
    strings: Mapping[str, str]

    def has(self, key: str) -> bool:
        return key in self.strings

    def text(self, key: str, /, **params: object) -> str:
        template = self.strings.get(key)
        if template is None:
            return key
        if not params:
            # Literal braces in a parameterless string stay as written.
            return template if "{" not in template else self._format(template, {})
        return self._format(template, params)

    @staticmethod
    def _format(template: str, params: Mapping[str, object]) -> str:
        try:
            return template.format_map(_Missing({k: str(v) for k, v in params.items()}))
        except (ValueError, IndexError, AttributeError):
            return template

    def keys(self) -> Iterable[str]:
        return self.strings.keys()
