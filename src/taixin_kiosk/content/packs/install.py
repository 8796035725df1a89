"""Installed content packs: install from a folder or a zip file, switch, roll back.

Everything lives in one packs folder (``paths.app_paths().packs_dir``; every
function takes it as a parameter, so tests and the staff panel choose it)::

    state.json       {"current": NAME | null, "previous": NAME | null}
    store/NAME/      one installed pack each: deck.json, i18n/, media
    .staging-XXXX/   a pack being copied and checked; the app never reads it
    .lock            held while an install or a roll-back runs

An install copies (or unpacks) the source into a staging folder beside
``store/``, on the same file system, validates that copy in full (never the
source: a USB stick may change or vanish while it is read), moves it into
``store/`` with one rename and then replaces ``state.json``. That replace is
the switch: a failure or an interruption at any point before it leaves the
running content exactly as it was, and the next install removes what an
interrupted one left behind. Only the current and the previous pack are kept.

The copy and its limits are in ``archive``, the store folder's upkeep in
``store``, the problem codes in ``refusal``, the commands in ``commands``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from taixin_kiosk.content.packs import starts, store
from taixin_kiosk.content.packs.archive import copy_in
from taixin_kiosk.content.packs.refusal import Refusal, install_problem, reason
from taixin_kiosk.content.packs.state import (
    BUILTIN,
    LOCK_FILE,
    STATE_FILE,
    STORE_DIR,
    PackState,
    read_state,
)
from taixin_kiosk.content.packs.store import InstalledPack
from taixin_kiosk.content.problems import Problem, errors_in, warnings_in
from taixin_kiosk.system.files import fsync_folder, write_atomic
from taixin_kiosk.system.locks import held

log = logging.getLogger("taixin_kiosk.packs")


class InstallResult(NamedTuple):
    """What an install did. ``folder`` is set only when the pack was installed
    and is now current; ``problems`` then holds only warnings."""

    name: str | None = None
    folder: Path | None = None
    deck_id: str = ""
    version: str = ""
    slides: int = 0
    locales: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.folder is not None

    @property
    def errors(self) -> tuple[Problem, ...]:
        return errors_in(self.problems)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return warnings_in(self.problems)


class RollbackResult(NamedTuple):
    """The current and previous pack after a roll-back, or why there was none.
    ``builtin``: the built-in content is current now (``current`` is None)."""

    current: InstalledPack | None = None
    previous: InstalledPack | None = None
    problems: tuple[Problem, ...] = ()
    builtin: bool = False
    # False when the wanted content was the current one already.
    changed: bool = True

    @property
    def ok(self) -> bool:
        return (self.current is not None or self.builtin) and not self.problems


def install_pack(source: Path, packs_dir: Path) -> InstallResult:
    """Installs the pack at ``source`` (a folder, or a zip file of one) and makes it current.

    Never raises for anything on disk: a refused, invalid or failed install
    returns the problems and leaves ``packs_dir`` as it was.
    """
    source, packs_dir = Path(source), Path(packs_dir)
    shown = str(source)
    try:
        with _locked(packs_dir, shown):
            return _install(source, packs_dir, shown)
    except Refusal as refusal:
        return InstallResult(problems=tuple(refusal.problems))
    except OSError as error:
        return InstallResult(problems=(_write_problem(shown, packs_dir, error),))
    except Exception as error:
        # The kiosk must keep running on its current content: any bug left
        # here becomes one more problem, as in the loader.
        log.exception("install of %s failed", source)
        problem = install_problem(shown, "internal_error", error=type(error).__name__)
        return InstallResult(problems=(problem,))


def rollback(packs_dir: Path, *, to_builtin: bool = False) -> RollbackResult:
    """Makes the previous pack current again, and the current one previous.

    The built-in content is always a target: a pack with no previous one
    rolls back to it, and from it back to the pack. With two packs
    installed, ``to_builtin`` reaches it all the same: it becomes current,
    the current pack previous (the one before that is no longer offered, and
    the next install removes it). Already showing it is no error.
    """
    packs_dir = Path(packs_dir)
    shown = str(packs_dir)
    store_dir = packs_dir / STORE_DIR
    if not packs_dir.is_dir():
        if to_builtin:  # nothing was ever installed: it shows already
            return RollbackResult(builtin=True, changed=False)
        return RollbackResult(problems=(install_problem(shown, "no_previous"),))

    def present(name: str | None) -> str | None:
        if name == BUILTIN or (name is not None and (store_dir / name).is_dir()):
            return name
        return None

    try:
        with _locked(packs_dir, shown):
            state = read_state(packs_dir)
            current, back_to = present(state.current), present(state.previous)
            if to_builtin:
                if current is None:
                    # The current pack is gone: the previous one is what shows.
                    current = None if back_to == BUILTIN else back_to
                if current in (None, BUILTIN):
                    return RollbackResult(builtin=True, changed=False)
                back_to = BUILTIN
            if back_to is None and current not in (None, BUILTIN):
                back_to = BUILTIN
            if back_to is None or back_to == current:
                raise Refusal([install_problem(shown, "no_previous")])
            _write_state(packs_dir, PackState(back_to, current))
            starts.forget(packs_dir, back_to)
    except Refusal as refusal:
        return RollbackResult(problems=tuple(refusal.problems))
    except OSError as error:
        return RollbackResult(problems=(_write_problem(shown, packs_dir, error),))
    return RollbackResult(
        store.describe(store_dir / back_to, True) if back_to != BUILTIN else None,
        store.describe(store_dir / current, False) if current not in (None, BUILTIN) else None,
        builtin=back_to == BUILTIN,
    )


def _install(source: Path, packs_dir: Path, shown: str) -> InstallResult:
    # The loader's imports are not needed to list packs.
    from taixin_kiosk.content.validate import validate

    # The store's functions are called through the module: tests replace them there.
    store_dir = packs_dir / STORE_DIR
    store_dir.mkdir(exist_ok=True)
    store.clean_leftovers(packs_dir)
    staging = packs_dir / f"{store.STAGING_PREFIX}{os.urandom(8).hex()}"
    staging.mkdir()
    try:
        digest = copy_in(source, staging, shown)
        try:
            result = validate(staging)
        except OSError as error:
            raise Refusal([install_problem(shown, "check_failed", reason=reason(error))]) from error
        if result.pack is None:
            raise Refusal(list(result.problems))
        deck = result.pack.deck
        name = store.unique_name(store_dir, deck.id, deck.version, digest)
        target = store_dir / name
        os.replace(staging, target)
    except BaseException:
        store.remove(staging)
        raise
    fsync_folder(store_dir)
    old = read_state(packs_dir)
    # The pack replaced is kept: the current one, unless it is this very pack
    # again (then the one before it stays previous), or the built-in content.
    same = store.digest_of(name)
    previous = next((n for n in (old.current, old.previous)
                     if n == BUILTIN or (n is not None and n != name
                                         and store.digest_of(n) != same
                                         and (store_dir / n).is_dir())), BUILTIN)
    try:
        _write_state(packs_dir, PackState(name, previous))
    except BaseException:
        if read_state(packs_dir).current != name:
            store.remove(target)
        raise
    store.prune(store_dir, {name, previous})
    starts.forget(packs_dir, name)
    return InstallResult(name, target, deck.id, deck.version, len(deck.slides),
                         tuple(result.pack.locales), result.warnings)


@contextlib.contextmanager
def _locked(packs_dir: Path, shown: str) -> Iterator[None]:
    """One install or roll-back at a time (the staff panel and a terminal may both try)."""
    packs_dir.mkdir(parents=True, exist_ok=True)
    with held(packs_dir / LOCK_FILE) as taken:
        if not taken:
            raise Refusal([install_problem(shown, "busy")])
        yield


def _write_state(packs_dir: Path, state: PackState) -> None:
    """Replaces state.json in one step: readers see the old state or the new, never half."""
    data = json.dumps({"current": state.current, "previous": state.previous}, indent=2) + "\n"
    write_atomic(packs_dir / STATE_FILE, data)


def _write_problem(shown: str, packs_dir: Path, error: OSError) -> Problem:
    return install_problem(shown, "write_failed", folder=str(packs_dir), reason=reason(error))
