"""Finds the built-in content (``assets/`` and ``i18n/``) wherever the app runs.

One resolver for every layout the app ships in, tried in this order:

1. inside the package (``taixin_kiosk/assets``): an installed wheel, where
   the build copies both folders into the package, and a frozen app whose spec
   puts them at the same place;
2. the source checkout (``<repo>/assets`` beside ``<repo>/src``): running from a
   clone or an editable install, where the package folder holds only code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

PACKAGE_DIR = Path(__file__).resolve().parent


class BuiltinContent(NamedTuple):
    assets: Path
    i18n: Path

    @property
    def fonts(self) -> Path:
        return self.assets / "fonts"

    @property
    def schema(self) -> Path:
        return self.assets / "deck.schema.json"


def _candidates(package_dir: Path) -> list[Path]:
    roots = [package_dir]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        roots.append(Path(frozen_root) / "taixin_kiosk")
    # src/taixin_kiosk -> the checkout root two levels up.
    roots.append(package_dir.parent.parent)
    return roots


def find_builtin(package_dir: Path = PACKAGE_DIR) -> BuiltinContent:
    """The first candidate root holding both ``assets/deck.json`` and ``i18n/``.

    Raises FileNotFoundError naming every place it looked, so a broken install
    says where content was expected.
    """
    tried: list[str] = []
    for root in _candidates(package_dir):
        assets, i18n = root / "assets", root / "i18n"
        if (assets / "deck.json").is_file() and i18n.is_dir():
            return BuiltinContent(assets=assets, i18n=i18n)
        tried.append(str(root))
    raise FileNotFoundError(", ".join(tried))
