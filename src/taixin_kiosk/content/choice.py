"""Choosing the content to show: the requested pack, or the built-in one."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from taixin_kiosk.content.builtin import BuiltinContent, find_builtin
from taixin_kiosk.content.deck import ContentPack
from taixin_kiosk.content.keys import UI_KEYS
from taixin_kiosk.content.loader import LoadResult, load_pack
from taixin_kiosk.content.problems import PackError, Problem

log = logging.getLogger("taixin_kiosk.content")


class ContentChoice(NamedTuple):
    pack: ContentPack
    # Why the requested pack was not used (empty when it was, or none was asked).
    problems: tuple[Problem, ...] = ()
    requested: Path | None = None
    # The installed pack whose start is counted until a slide shows
    # (``content.packs.starts``); None for any other content.
    counted: Path | None = None


def choose(content: Path | None, *, installed: Sequence[Path] = (),
           starting: bool = False) -> ContentChoice:
    """The pack to show: ``content``, else the first good ``installed`` pack,
    else the built-in pack. The reasons why the first one wanted could not be
    shown are kept, for the notice on screen and the staff panel.

    Every pack but the built-in one loads within ``limits.LOAD_BUDGET_S``,
    keeping a supervised app's heartbeat going meanwhile. ``starting``: this
    is the app's start; an installed pack that failed to show a slide in its
    last starts is passed over, and the start on the one tried is counted.

    Raises PackError only when the built-in pack itself is broken.
    """
    problems: tuple[Problem, ...] = ()
    requested: Path | None = None
    candidates = [content] if content is not None else list(installed)
    if candidates:
        # Only a pack other than the built-in one needs the full check.
        from taixin_kiosk.content.limits import LoadWatch
        from taixin_kiosk.content.packs import starts
        from taixin_kiosk.content.validate import validate
    for candidate in candidates:
        counted = starting and content is None
        if counted:
            tries = starts.failed_starts(candidate)
            if tries >= starts.MAX_FAILED_STARTS:
                log.error("content pack %s did not show a slide in its last %d starts; "
                          "passed over", candidate, tries)
                if requested is None:
                    problems = (Problem(candidate.name, "", "pack_failed_starts",
                                        {"count": str(tries)}),)
                    requested = candidate
                continue
            starts.begin(candidate)
        # An installed pack's pictures were checked to their pixels when it
        # was installed; at start their structure is enough (a picture that
        # fails to decode is left out), and inflating hundreds of megabytes
        # of pixels would break the load's budget.
        result = validate(candidate, watch=LoadWatch.from_environment(),
                          deep_media=content is not None)
        for warning in result.warnings:
            log.warning("content pack %s: %s %s", candidate, warning.code,
                        dict(warning.params))
        if result.pack is not None:
            if requested is not None:
                log.warning("falling back: showing the content pack %s instead of %s",
                            candidate, requested)
            return ContentChoice(result.pack, problems, requested or candidate,
                                 candidate if counted else None)
        log.error("content pack %s is invalid (%d problems)", candidate, len(result.problems))
        if requested is None:
            problems, requested = result.problems, candidate
    # The built-in pack is checked in full by the tests of every release; at
    # start-up its pictures' checksums and pixel data need not be read again
    # (a picture that still fails to decode is left out, never a blank slide).
    builtin = load_builtin()
    if builtin.pack is None:
        raise PackError(list(builtin.problems))
    if requested is not None:
        log.warning("falling back: showing the built-in content instead of %s", requested)
    return ContentChoice(builtin.pack, problems, requested)


# The built-in pack's files as they were when they last passed every check.
CHECKED_STAMP = "builtin-pack.checked"


def _fingerprint(builtin: BuiltinContent) -> str:
    """Names, sizes and modification times of every file of the built-in pack
    (and the app version: a new validator checks again)."""
    import taixin_kiosk

    parts = [taixin_kiosk.__version__]
    folders = [builtin.assets, builtin.assets / "images", builtin.i18n]
    for folder in folders:
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.is_file():
                info = entry.stat()
                parts.append(f"{entry.path}\0{info.st_size}\0{info.st_mtime_ns}")
    return "\n".join(parts)


def load_builtin() -> LoadResult:
    """The built-in pack for start-up: checked in full (without the slow
    picture checks) the first time, then again only when one of its files
    changes. The files are part of the installed program; re-checking them at
    every start cost the first slide about 5 ms."""
    from taixin_kiosk.system.paths import app_paths

    builtin = find_builtin()
    stamp = app_paths().state_dir / CHECKED_STAMP
    fingerprint: str | None = None
    checked = False
    try:
        fingerprint = _fingerprint(builtin)
        checked = stamp.read_text(encoding="utf-8") == fingerprint
    except (OSError, UnicodeError):
        pass  # no stamp yet (or no way to fingerprint): check in full
    def quick(trusted: bool) -> LoadResult:
        return load_pack(builtin.assets, builtin.i18n, builtin=True, required_keys=UI_KEYS,
                         deep_media=False, trusted=trusted)

    result = quick(checked)
    if checked and result.pack is None:
        # Cannot be, unless the files changed under the same sizes and times:
        # check them properly rather than trust the stamp.
        result = quick(False)
    elif not checked and result.ok and fingerprint is not None:
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text(fingerprint, encoding="utf-8")
        except OSError as error:  # a read-only profile: check at every start
            log.info("cannot note the built-in pack as checked: %s", error)
    return result


def choose_for(content: Path | None, *, starting: bool = False) -> ContentChoice:
    """As at start-up: ``--content`` (or the config's ``content``) when given,
    else the installed packs (current, then previous), else the built-in one.
    ``starting``: the app's start (see ``choose``), not a reload."""
    if content is not None:
        return choose(content)
    from taixin_kiosk.content.packs.state import installed_candidates
    from taixin_kiosk.system.paths import app_paths

    return choose(None, installed=installed_candidates(app_paths().packs_dir),
                  starting=starting)
