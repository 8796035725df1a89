"""Finds the built-in content (``assets/`` and ``i18n/``) wherever the app runs.

One resolver for every layout the app ships in, tried in this order:

1. inside the package (``taixin_kiosk/assets``): an installed wheel, where
   the build copies both folders into the package, and a frozen app whose spec
   puts them at the same place;
2. the source checkout (``<repo>/assets`` beside ``<repo>/src``): running from a
   clone or an editable install, where the package folder holds only code.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import NamedTuple

from taixin_kiosk.content.catalogue import Catalogue, flatten

# The taixin_kiosk package folder (this module is in its content/).
PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The language of the app's own words (staff screens, the command line) in a
# language the app was not translated into, and of what a pack leaves out.
FALLBACK_LOCALE = "en"


class BuiltinContent(NamedTuple):
    assets: Path
    i18n: Path

    @property
    def fonts(self) -> Path:
        return self.assets / "fonts"

    @property
    def schema(self) -> Path:
        return self.assets / "deck.schema.json"


def candidate_roots(package_dir: Path) -> list[Path]:
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
    for root in candidate_roots(package_dir):
        assets, i18n = root / "assets", root / "i18n"
        if (assets / "deck.json").is_file() and i18n.is_dir():
            return BuiltinContent(assets=assets, i18n=i18n)
        tried.append(str(root))
    raise FileNotFoundError(", ".join(tried))


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


@functools.cache
def app_strings(locale: str) -> Catalogue:
    """The app's own strings (staff screens, the console) in ``locale``, or in
    English (``FALLBACK_LOCALE``) for a language the app itself was not
    translated into."""
    catalogue = app_catalogue(locale)
    return catalogue if catalogue.strings else app_catalogue(FALLBACK_LOCALE)


def translations(key: str) -> dict[str, str]:
    """``key`` in every built-in catalogue (locale -> text): for what the
    system lists in the user's language wherever it shows it (a logon entry)."""
    texts: dict[str, str] = {}
    try:
        locales = sorted(p.stem for p in find_builtin().i18n.glob("*.json"))
    except OSError:
        return texts
    for locale in locales:
        cat = app_catalogue(locale)
        if cat.has(key):
            texts[locale] = cat.text(key)
    return texts


def app_icon() -> Path | None:
    """The app's icon (a PNG), or None when the install lacks it."""
    try:
        icon = find_builtin().assets / "images" / "app-icon.png"
    except OSError:
        return None
    return icon if icon.is_file() else None
