"""Validation problems: where a content pack is wrong, and why, in any language."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with a content pack.

    ``code`` names the catalogue message ``problem.<code>``; ``params`` fill its
    placeholders. ``file`` is relative to the pack folder (``deck.json``,
    ``i18n/en.json``); ``path`` is a JSON path (``slides[3].chart.x[2]``) or
    empty when the problem is the whole file. Syntax errors carry line and column
    instead of a path.
    """

    file: str
    path: str
    code: str
    params: Mapping[str, str] = MappingProxyType({})
    line: int | None = None
    column: int | None = None
    # "warning": the pack is usable, but something may look wrong somewhere.
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def message(self, text: Callable[..., str]) -> str:
        """The message in the language of ``text`` (a catalogue lookup)."""
        return text(f"problem.{self.code}", **self.params)

    def location(self, text: Callable[..., str]) -> str:
        if self.line is not None:
            return text("problem.where.line_column", line=str(self.line), column=str(self.column))
        return self.path or "$"

    def format(self, text: Callable[..., str]) -> str:
        """``FILE: JSON.PATH: message``, the form ``validate`` prints."""
        return text(
            "problem.where.line",
            file=self.file,
            where=self.location(text),
            message=self.message(text),
        )


def errors_in(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """The problems that stop a pack from being used."""
    return tuple(p for p in problems if p.is_error)


def warnings_in(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """The problems that leave a pack usable."""
    return tuple(p for p in problems if not p.is_error)


def print_problems(text: Callable[..., str], problems: Iterable[Problem]) -> None:
    """Every problem as ``FILE: JSON.PATH: message`` on stderr, then the count
    of errors (what ``validate``, ``export`` and ``install-pack`` print)."""
    problems = tuple(problems)
    for problem in problems:
        print(problem.format(text), file=sys.stderr)
    print(text("cli.problems.count", count=len(errors_in(problems))), file=sys.stderr)


class PackError(Exception):
    """A content pack failed validation; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
