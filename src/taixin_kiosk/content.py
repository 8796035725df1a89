"""Choosing the content to show: the requested pack, or the built-in one."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from taixin_kiosk.keys import UI_KEYS
from taixin_kiosk.model.catalogue import Catalogue, flatten
from taixin_kiosk.model.deck import ContentPack
from taixin_kiosk.model.loader import LoadResult, load_pack, read_coverage
from taixin_kiosk.model.problems import PackError, Problem
from taixin_kiosk.resources import find_builtin

log = logging.getLogger("taixin_kiosk.content")


class ContentChoice(NamedTuple):
    pack: ContentPack
    # Why the requested pack was not used (empty when it was, or none was asked).
    problems: tuple[Problem, ...] = ()
    requested: Path | None = None


COVERAGE_FILE = "TaixinSans.coverage.txt"


def load(content: Path | None, *, thorough: bool = True) -> LoadResult:
    """Validates ``content`` (a pack folder), or the built-in pack if None.

    ``thorough`` adds the slower checks: PNG checksums and pixel data, and
    catalogue text against the characters of the bundled font.
    """
    builtin = find_builtin()
    coverage = read_coverage(builtin.fonts / COVERAGE_FILE) if thorough else None
    if content is None:
        return load_pack(builtin.assets, builtin.i18n, builtin=True, required_keys=UI_KEYS,
                         deep_media=thorough, font_coverage=coverage)
    return load_pack(content, required_keys=UI_KEYS, deep_media=thorough,
                     font_coverage=coverage)


def choose(content: Path | None, *, installed: Sequence[Path] = ()) -> ContentChoice:
    """The pack to show: ``content``, else the first good ``installed`` pack,
    else the built-in pack. The reasons why the first one wanted could not be
    shown are kept, for the notice on screen.

    Raises PackError only when the built-in pack itself is broken.
    """
    problems: tuple[Problem, ...] = ()
    requested: Path | None = None
    for candidate in [content] if content is not None else list(installed):
        result = load(candidate)
        for warning in result.warnings:
            log.warning("content pack %s: %s %s", candidate, warning.code,
                        dict(warning.params))
        if result.pack is not None:
            return ContentChoice(result.pack, problems, requested or candidate)
        log.error("content pack %s is invalid (%d problems)", candidate, len(result.problems))
        if requested is None:
            problems, requested = result.problems, candidate
    # The built-in pack is checked in full by the tests of every release; at
    # start-up its pictures' checksums and pixel data need not be read again
    # (a picture that still fails to decode is left out, never a blank slide).
    builtin = load(None, thorough=False)
    if builtin.pack is None:
        raise PackError(list(builtin.problems))
    return ContentChoice(builtin.pack, problems, requested)


def choose_for(content: Path | None) -> ContentChoice:
    """As at start-up: ``--content`` (or the config's ``content``) when given,
    else the installed packs (current, then previous), else the built-in one."""
    if content is not None:
        return choose(content)
    from taixin_kiosk.packstate import installed_candidates
    from taixin_kiosk.paths import app_paths

    return choose(None, installed=installed_candidates(app_paths().packs_dir))


def app_catalogue(locale: str | None = None) -> Catalogue:
    """The built-in catalogue for command-line messages, without full validation.

    The language follows ``locale`` or the environment (LANG), defaulting to
    English for terminals; an unreadable catalogue yields an empty one, whose
    lookups return the keys themselves rather than failing.
    """
    if locale is None:
        env = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get(
            "LANG", "")
        locale = "zh-CN" if env.lower().startswith("zh") else "en"
    try:
        i18n = find_builtin().i18n
        data = json.loads((i18n / f"{locale}.json").read_text(encoding="utf-8"))
        strings = {k: v for k, v in flatten(data).items() if isinstance(v, str)}
    except (OSError, ValueError):
        strings = {}
    return Catalogue(locale, strings)
