"""The pack commands: ``install-pack``, ``rollback-pack`` and ``list-packs``.

What they print lives here; the install, the roll-back and the listing
themselves (``install``, ``store``) only return what happened.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from taixin_kiosk.content.catalogue import Catalogue
from taixin_kiosk.content.commands import print_problems
from taixin_kiosk.content.packs.install import install_pack, rollback
from taixin_kiosk.content.packs.state import BUILTIN, read_state
from taixin_kiosk.content.packs.store import installed_packs, staging_leftovers

if TYPE_CHECKING:
    from datetime import datetime

_UNKNOWN = "—"  # how a missing value shows in a message, as in the loader


def cmd_install_pack(cat: Catalogue, source: Path, packs_dir: Path) -> int:
    """``taixin-kiosk install-pack DIR|ZIP``: installs and switches, or says why not."""
    result = install_pack(source, packs_dir)
    if not result.ok:
        print_problems(cat.text, result.problems)
        print(cat.text("cli.pack.unchanged"), file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(warning.format(cat.text), file=sys.stderr)
    print(cat.text("cli.pack.installed", pack=result.deck_id, version=result.version,
                   slides=result.slides, locales=", ".join(result.locales),
                   folder=str(result.folder)))
    return 0


def cmd_rollback_pack(cat: Catalogue, packs_dir: Path, *, to_builtin: bool = False) -> int:
    """``taixin-kiosk rollback-pack [--builtin]``: the previous pack becomes
    current again, or (``--builtin``) the built-in content."""
    result = rollback(packs_dir, to_builtin=to_builtin)
    if not result.ok:
        print_problems(cat.text, result.problems)
        return 1
    if not result.changed:
        print(cat.text("cli.pack.already_builtin"))
        return 0
    if result.current is None:
        print(cat.text("cli.pack.rolled_back_builtin"))
        return 0
    pack = result.current
    print(cat.text("cli.pack.rolled_back", pack=pack.deck_id or _UNKNOWN,
                   version=pack.version or _UNKNOWN, installed=_show_time(pack.installed)))
    return 0


def cmd_list_packs(cat: Catalogue, packs_dir: Path) -> int:
    """``taixin-kiosk list-packs``: the current and previous pack (the
    built-in content among them), their folder, and what interrupted installs left."""
    packs = installed_packs(packs_dir)
    state = read_state(packs_dir)
    leftovers = staging_leftovers(packs_dir)
    if state.current == BUILTIN:
        print(cat.text("cli.pack.list.builtin_current"))
    elif not packs:
        print(cat.text("cli.pack.list.none"))
    for pack in packs:
        key = "cli.pack.list.current" if pack.current else "cli.pack.list.previous"
        print(cat.text(key, pack=pack.deck_id or _UNKNOWN, version=pack.version or _UNKNOWN,
                       installed=_show_time(pack.installed), name=pack.name))
    if packs and state.current != BUILTIN and all(pack.current for pack in packs):
        # Always a roll-back target, whatever the state file says.
        print(cat.text("cli.pack.list.builtin_previous"))
    if packs:
        print(cat.text("cli.pack.list.folder", folder=str(packs_dir)))
    if packs and state.current != BUILTIN and not all(pack.current for pack in packs):
        # Two packs fill current and previous: a plain roll-back toggles
        # between them, so say how to reach the built-in content.
        print(cat.text("cli.pack.list.builtin_reach"))
    for name, size in leftovers:
        print(cat.text("cli.pack.list.leftover", name=name, size=f"{size / (1024 * 1024):.1f}"))
    return 0


def _show_time(when: datetime | None) -> str:
    return when.strftime("%Y-%m-%d %H:%M") if when is not None else _UNKNOWN
