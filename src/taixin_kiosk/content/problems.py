"""Problems: what is wrong in something the app read, where, and why, in any language.

One type for every source: a content pack (its JSON and pictures), the
install of a pack (the zip file, the disk), and the configuration (the file
and the command line). Each names its catalogue section (``scope``), so the
same problem reads in the language of whoever looks at it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Literal, NamedTuple

# Where a problem's message lives in the catalogues: ``<scope>.<code>``.
Scope = Literal["problem", "cli.pack.problem", "config.problem"]
CONTENT: Scope = "problem"
INSTALL: Scope = "cli.pack.problem"
CONFIG: Scope = "config.problem"
Origin = Literal["file", "command line"]

_EMPTY: Mapping[str, str] = MappingProxyType({})


class Problem(NamedTuple):
    """One thing wrong.

    ``file`` is the file concerned: relative to a pack's folder (``deck.json``,
    ``i18n/en.json``), the zip or folder installed, or the config file.
    ``path`` says where in it: a JSON path (``slides[3].chart.x[2]``) or a
    configuration key; empty when the problem is the whole file. Syntax errors
    carry ``line`` and ``column`` instead. ``code`` names the catalogue message
    ``<scope>.<code>``; ``params`` fill its placeholders.

    A ``warning`` leaves a pack usable (something may look wrong somewhere).
    For the configuration, ``origin`` says whether the value came from the
    file or the command line, ``fallback`` is the value in effect instead (as
    TOML, ``""`` for "not set"; None when there is nothing to say about it),
    and ``shown`` is the key as TOML writes it when it is not a bare word.
    """

    file: str
    path: str
    code: str
    params: Mapping[str, str] = _EMPTY
    line: int | None = None
    column: int | None = None
    severity: str = "error"
    scope: Scope = CONTENT
    origin: Origin = "file"
    fallback: str | None = None
    shown: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def message(self, text: Callable[..., str]) -> str:
        """The message in the language of ``text`` (a catalogue lookup)."""
        return text(f"{self.scope}.{self.code}", **self.params)

    def location(self, text: Callable[..., str]) -> str:
        """Where in a pack's file: a line and column, a JSON path, or ``$`` (all of it)."""
        if self.line is not None:
            return text("problem.where.line_column", line=str(self.line), column=str(self.column))
        return self.path or "$"

    def format(self, text: Callable[..., str]) -> str:
        """One line naming the file, where in it, and what is wrong: the form
        ``validate``, ``install-pack`` and ``config`` print."""
        message = self.message(text)
        if self.scope == INSTALL:
            return text("cli.pack.where", file=self.file, message=message)
        if self.scope == CONTENT:
            return text("problem.where.line", file=self.file, where=self.location(text),
                        message=message)
        if self.fallback is not None:
            message = text("config.where.fallback", message=message,
                           fallback=self.fallback or text("config.value.unset"))
        key = self.shown or self.path
        if self.origin == "command line":
            return text("config.where.command_line", key=key, message=message)
        if self.line is not None:
            return text("config.where.line", file=self.file, line=str(self.line),
                        column=str(self.column), message=message)
        if self.path:
            return text("config.where.key", file=self.file, key=key, message=message)
        return text("config.where.file", file=self.file, message=message)


def problem(scope: Scope, file: str, code: str, **params: object) -> Problem:
    """A problem about the whole of ``file``, its parameters shown as text."""
    return Problem(file, "", code, MappingProxyType({k: str(v) for k, v in params.items()}),
                   scope=scope)


def errors_in(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """The problems that stop a pack from being used."""
    return tuple(p for p in problems if p.is_error)


def warnings_in(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """The problems that leave a pack usable."""
    return tuple(p for p in problems if not p.is_error)


class PackError(Exception):
    """A content pack failed validation; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
