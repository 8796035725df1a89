"""Which installed content packs there are: the state file of ``content.packs.install``.

Apart from ``install`` because every start reads it (to show the installed
pack), and installing is a lot of code a start does not need.

    packs_dir/state.json   {"current": NAME | null, "previous": NAME | null}
    packs_dir/store/NAME/  the installed packs
    packs_dir/starts.json  starts that have not yet shown a slide, by pack (``starts``)

``BUILTIN`` in either place is the built-in content, which is always a
roll-back target: after the first install it is the previous pack, and
rolling back to it writes it as the current one. (No store folder has that
name: theirs end in a time and a checksum.)
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from pathlib import Path
from typing import NamedTuple

log = logging.getLogger("taixin_kiosk.packs")

STATE_FILE = "state.json"
STORE_DIR = "store"
BUILTIN = "builtin"
# Held while an install or a roll-back runs (and while the app cleans up).
LOCK_FILE = ".lock"
# An installed pack's folder name: never anything that could lead out of store/.
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}\Z")


class PackState(NamedTuple):
    current: str | None = None
    previous: str | None = None


def read_state(packs_dir: Path) -> PackState:
    """``state.json``; an empty state when it is missing or unusable."""
    try:
        data = json.loads((Path(packs_dir) / STATE_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return PackState()
    except (OSError, ValueError) as error:
        log.warning("packs state unreadable: %s", error)
        return PackState()
    if not isinstance(data, dict):
        return PackState()
    names = [data.get("current"), data.get("previous")]
    # The file may have been edited by hand: a name must never lead out of store/.
    current, previous = (n if isinstance(n, str) and NAME_RE.match(n) else None for n in names)
    return PackState(current, previous)


def installed_candidates(packs_dir: Path) -> list[Path]:
    """The current pack's folder, then the previous one's: those that exist.

    For the app to try in order before the built-in pack; never raises.
    None when the built-in content was made current (by a roll-back): then
    nothing is tried before it.
    """
    store = Path(packs_dir) / STORE_DIR
    state = read_state(packs_dir)
    out: list[Path] = []
    if state.current == BUILTIN:
        return out
    for name in (state.current, state.previous):
        if name is not None and name != BUILTIN:
            folder = store / name
            with contextlib.suppress(OSError):
                if folder.is_dir() and not folder.is_symlink():
                    out.append(folder)
    return out
