"""The store of installed packs (``packs_dir/store/NAME/``): listing, naming, cleaning up.

Each installed pack is a folder named ``<deck id>-<version>-<UTC time>-<checksum>``;
``installed_packs`` describes the current and previous ones for the staff
panel. Only ever changed under the install lock: ``clean_leftovers`` removes
what an interrupted install left, ``prune`` the packs no longer kept.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from taixin_kiosk.content.deck import DECK_FILE
from taixin_kiosk.content.packs.state import (
    BUILTIN,
    LOCK_FILE,
    STATE_FILE,
    STORE_DIR,
    read_state,
)
from taixin_kiosk.system.files import remove_leftovers

if TYPE_CHECKING:
    from datetime import datetime

# The date module is imported only by the functions that name or list packs
# (the app reads which pack is installed from state.py at every start).

log = logging.getLogger("taixin_kiosk.packs")

# Every pack has its deck.json at its top, in the store as in a source.
# A pack being copied and checked, beside store/; the app never reads it.
STAGING_PREFIX = ".staging-"
_UNSAFE_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")

_STAMP_FORMAT = "%Y%m%dT%H%M%SZ"

_STAMP_RE = re.compile(r"-(\d{8}T\d{6}Z)-([0-9a-f]{8})(?:-\d+)?\Z")


class InstalledPack(NamedTuple):
    """One pack in ``store/``, as the staff panel lists it."""

    name: str
    folder: Path
    deck_id: str
    version: str
    installed: datetime | None  # UTC, from the folder's name
    current: bool


def installed_packs(packs_dir: Path) -> list[InstalledPack]:
    """The current pack, then the previous one (those in the store, so never
    the built-in content); never raises."""
    state = read_state(packs_dir)
    out: list[InstalledPack] = []
    for name in (state.current, state.previous):
        if name is None or name == BUILTIN:
            continue
        folder = Path(packs_dir) / STORE_DIR / name
        with contextlib.suppress(OSError):
            if folder.is_dir() and not folder.is_symlink():
                out.append(describe(folder, name == state.current))
    return out


def describe(folder: Path, current: bool) -> InstalledPack:
    """The pack in ``folder``, from its deck.json and its folder's name; never raises."""
    from datetime import UTC, datetime

    deck: Mapping[str, object] = {}
    with contextlib.suppress(OSError, ValueError, RecursionError):
        data = json.loads((folder / DECK_FILE).read_text(encoding="utf-8"))
        if isinstance(data, dict):
            deck = data
    deck_id, version = deck.get("id"), deck.get("version")
    match = _STAMP_RE.search(folder.name)
    installed: datetime | None = None
    if match:
        with contextlib.suppress(ValueError):
            installed = datetime.strptime(match.group(1), _STAMP_FORMAT).replace(tzinfo=UTC)
    return InstalledPack(folder.name, folder,
                         deck_id if isinstance(deck_id, str) else "",
                         version if isinstance(version, str) else "",
                         installed, current)


def unique_name(store: Path, deck_id: str, version: str, digest: str) -> str:
    """``<deck id>-<version>-<UTC time>-<checksum>``, safe as a folder name everywhere."""
    from datetime import UTC, datetime

    safe_id = _UNSAFE_NAME_CHARS.sub("_", deck_id)[:64].strip("._-") or "pack"
    safe_version = _UNSAFE_NAME_CHARS.sub("_", version)[:32].strip("._-") or "0"
    stamp = datetime.now(UTC).strftime(_STAMP_FORMAT)
    base = f"{safe_id}-{safe_version}-{stamp}-{digest[:8]}"
    name, number = base, 1
    while (store / name).exists():
        number += 1
        name = f"{base}-{number}"
    return name


def clean_leftovers(packs_dir: Path) -> None:
    """Removes what an interrupted install left; only ever called under the lock."""
    for item in packs_dir.iterdir():
        if item.name.startswith(STAGING_PREFIX):
            remove(item)
    remove_leftovers(packs_dir / STATE_FILE)


def clean_staging(packs_dir: Path) -> None:
    """``clean_leftovers`` at the app's start, when no install runs; never raises."""
    from taixin_kiosk.system.locks import held

    packs_dir = Path(packs_dir)
    if not any(True for _ in staging_leftovers(packs_dir)):
        return
    try:
        with held(packs_dir / LOCK_FILE) as taken:
            if taken:
                found = staging_leftovers(packs_dir)
                clean_leftovers(packs_dir)
                log.info("removed %d folders left by interrupted installs (%d bytes)",
                         len(found), sum(size for _name, size in found))
    except OSError as error:
        log.warning("could not clean up %s: %s", packs_dir, error)


def staging_leftovers(packs_dir: Path) -> list[tuple[str, int]]:
    """What interrupted installs left (``.staging-*``), with their sizes in bytes."""
    out: list[tuple[str, int]] = []
    with contextlib.suppress(OSError):
        for item in sorted(Path(packs_dir).iterdir()):
            if item.name.startswith(STAGING_PREFIX):
                out.append((item.name, _size(item)))
    return out


def _size(path: Path) -> int:
    import os

    total = 0
    with contextlib.suppress(OSError):
        if not path.is_dir() or path.is_symlink():
            return path.lstat().st_size
        for folder, _dirs, files in os.walk(path):
            for name in files:
                with contextlib.suppress(OSError):
                    total += os.lstat(os.path.join(folder, name)).st_size
    return total


def digest_of(name: str) -> str | None:
    """The checksum part of a store folder's name: the same pack installed
    twice has the same one."""
    match = _STAMP_RE.search(name)
    return match.group(2) if match else None


def prune(store: Path, keep: set[str | None]) -> None:
    """Removes every pack in ``store`` not named in ``keep``."""
    # After the switch: a pack that cannot be removed now (a file in use on
    # Windows) is removed by a later install.
    try:
        items = list(store.iterdir())
    except OSError:
        return
    for item in items:
        if item.name not in keep:
            remove(item)


def remove(path: Path) -> None:
    """Removes a file or a folder tree as far as it can; a failure is only logged."""
    import shutil

    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError as error:
        log.warning("could not remove %s: %s", path, error)
