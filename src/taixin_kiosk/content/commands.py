"""The ``validate`` command, and the one way commands print a pack's problems.

Printing lives here, not beside ``Problem``: the domain modules return
problems, and only a command decides they go to a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from taixin_kiosk.content.catalogue import Catalogue
from taixin_kiosk.content.problems import Problem, errors_in
from taixin_kiosk.content.validate import validate


def print_problems(text: Callable[..., str], problems: Iterable[Problem]) -> None:
    """Every problem as ``FILE: JSON.PATH: message`` on stderr, then the count
    of errors (what ``validate``, ``export`` and ``install-pack`` print)."""
    problems = tuple(problems)
    for item in problems:
        print(item.format(text), file=sys.stderr)
    print(text("cli.problems.count", count=len(errors_in(problems))), file=sys.stderr)


def cmd_validate(cat: Catalogue, folder: Path | None) -> int:
    """``taixin-kiosk validate [DIR]``: every problem of the pack (the built-in
    one without DIR), or a one-line summary of a good pack; 1 when it is bad."""
    result = validate(folder)
    if result.pack is None:
        print_problems(cat.text, result.problems)
        return 1
    for warning in result.warnings:
        print(warning.format(cat.text), file=sys.stderr)
    pack = result.pack
    print(cat.text("cli.validate.ok", pack=pack.deck.id, version=pack.deck.version,
                   slides=len(pack.deck.slides), locales=", ".join(pack.locales)))
    return 0
