"""Content packs on a USB drive: what the staff panel offers to install."""

from __future__ import annotations

from pathlib import Path


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
    """The packs at the top of each of ``roots``, one level deep (at most 8)."""
    found: list[Path] = []
    for root in roots:
        try:
            entries = sorted(root.iterdir())
        except OSError:
            continue
        for entry in entries:
            try:
                is_zip = entry.suffix.lower() == ".zip" and entry.is_file()
                if is_zip or (entry.is_dir() and (entry / "deck.json").is_file()):
                    found.append(entry)
            except OSError:
                continue
    return found[:8]
