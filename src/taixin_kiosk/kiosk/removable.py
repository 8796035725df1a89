"""Content packs on a USB drive: what the staff panel offers to install."""

from __future__ import annotations

import os
from pathlib import Path

# The panel lists this many packs at most.
MAX_FOUND = 8
# The scan runs on the GUI thread when staff tap "Install content from a USB
# drive": a drive with hundreds of thousands of files at its top took over
# 3 s to list, and the supervisor restarted the app as hung. A pack sits
# among the first entries of a drive prepared for it.
MAX_ENTRIES = 1000


def find_removable_packs() -> list[Path]:
    """Content packs (a folder with deck.json, or a .zip) at the top of each
    mounted drive other than the system's own."""
    from PySide6.QtCore import QStorageInfo

    system = Path(QStorageInfo.root().rootPath())
    roots = [Path(v.rootPath()) for v in QStorageInfo.mountedVolumes()
             if v.isValid() and v.isReady() and Path(v.rootPath()) != system
             and not v.rootPath().startswith(("/boot", "/proc", "/sys", "/dev", "/run/user"))]
    return find_removable_packs_in(roots)


def find_removable_packs_in(roots: list[Path]) -> list[Path]:
    """The packs at the top of each of ``roots``, one level deep (at most
    ``MAX_FOUND``), among the first ``MAX_ENTRIES`` entries of each."""
    found: list[Path] = []
    for root in roots:
        entries: list[os.DirEntry[str]] = []
        try:
            with os.scandir(root) as listing:
                for entry in listing:
                    entries.append(entry)
                    if len(entries) >= MAX_ENTRIES:
                        break
        except OSError:
            continue
        for entry in sorted(entries, key=lambda e: e.name):
            try:
                path = Path(entry.path)
                is_zip = path.suffix.lower() == ".zip" and entry.is_file()
                if is_zip or (entry.is_dir() and (path / "deck.json").is_file()):
                    found.append(path)
            except OSError:
                continue
            if len(found) >= MAX_FOUND:
                return found
    return found
