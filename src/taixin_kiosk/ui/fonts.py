"""Registers the bundled fonts before any widget exists, and a pack's own
fonts when the pack is shown; says which families set text in a language."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger("taixin_kiosk.fonts")

FONT_FILES = ("TaixinSans-Regular.otf", "TaixinSans-Bold.otf",
              "TaixinSansLatin-Regular.otf", "TaixinSansLatin-Bold.otf")
# Registered only for content with a Traditional Chinese language
# (use_traditional): Qt keeps a registered face's tables in memory once text
# falls back to it, and the built-in content never needs it.
TC_FONT_FILES = ("TaixinSansTC-Regular.otf", "TaixinSansTC-Bold.otf")
FAMILY = "Taixin Sans"
# Traditional Chinese forms (Big5 level 1 and more), first for zh-TW, zh-HK
# and zh-Hant text; Taixin Sans has the Simplified forms only.
TC_FAMILY = "Taixin Sans TC"
# Latin letters with proportional quotes and dashes, for languages not set in
# CJK type; characters it lacks fall back to FAMILY.
LATIN_FAMILY = "Taixin Sans Latin"

# Regions and scripts written in Traditional Chinese.
_HANT = ("tw", "hk", "mo", "hant")


class _Traditional:
    """Whether Taixin Sans TC is registered, and from which folder."""

    def __init__(self) -> None:
        self.font_dir: Path | None = None
        self.registered = False


_tc = _Traditional()


def use_traditional(locales: Sequence[str]) -> None:
    """Registers Taixin Sans TC (once) when one of ``locales`` is written in
    Traditional Chinese; the fonts folder is the one ``register_fonts`` had."""
    if _tc.registered or _tc.font_dir is None or not any(map(traditional, locales)):
        return
    for name in TC_FONT_FILES:
        if QFontDatabase.addApplicationFont(str(_tc.font_dir / name)) < 0:
            log.error("could not load font %s", _tc.font_dir / name)
        else:
            _tc.registered = True
    if _tc.registered:
        font = QApplication.font()
        font.setFamilies(list(dict.fromkeys([*font.families(), TC_FAMILY])))
        QApplication.setFont(font)


def _tc_families() -> list[str]:
    # A family that is not registered is not free: Qt looks for it again
    # each time it sets text (a language toggle got ~15% slower with it).
    return [TC_FAMILY] if _tc.registered else []


class _PackFonts:
    """The fonts of the pack on show: their database ids and families."""

    def __init__(self) -> None:
        self.paths: tuple[Path, ...] = ()
        self.ids: list[int] = []
        self.families: list[str] = []


_pack = _PackFonts()


def traditional(locale: str) -> bool:
    """Whether ``locale`` is written in Traditional Chinese (zh-TW, zh-HK, zh-Hant...)."""
    parts = locale.lower().replace("_", "-").split("-")
    return parts[0] == "zh" and any(part in _HANT for part in parts[1:])


def families_for(locale: str, base: str, *, cjk: bool) -> list[str]:
    """The families that set text in ``locale``, in fallback order: the
    bundled ones that suit it, then the other bundled CJK family, then the
    pack's own fonts (a script no bundled font has: Thai, Tibetan...).
    ``base`` is the app's family; ``cjk``: the language is written with
    full-width CJK punctuation (else the Latin companion comes first)."""
    base = base or FAMILY
    if traditional(locale):
        first = [*_tc_families(), base]
    elif cjk:
        first = [base, *_tc_families()]
    else:
        first = [LATIN_FAMILY, base, *_tc_families()]
    return [*dict.fromkeys(first), *(f for f in _pack.families if f not in first)]


def use_pack_fonts(paths: Sequence[Path]) -> list[str]:
    """Registers the fonts a pack brings (its ``fonts/`` folder), dropping the
    previous pack's; returns their families. A font Qt cannot read is logged:
    ``validate`` has already refused a pack with one."""
    paths = tuple(paths)
    if paths == _pack.paths:
        return list(_pack.families)
    for font_id in _pack.ids:
        QFontDatabase.removeApplicationFont(font_id)
    _pack.paths, _pack.ids, _pack.families = paths, [], []
    for path in paths:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.error("could not load the pack's font %s", path)
            continue
        _pack.ids.append(font_id)
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in _pack.families:
                _pack.families.append(family)
    if _pack.families:
        log.info("the pack's fonts: %s", ", ".join(_pack.families))
    return list(_pack.families)


def register_fonts(font_dir: Path) -> str:
    """Adds the bundled fonts and makes them the application default.

    Returns the family to use. A missing or broken font file is logged, not
    fatal: the app then falls back to the platform's font rather than not
    starting at all.
    """
    family = ""
    _tc.font_dir = font_dir
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(font_dir / name))
        if font_id < 0:
            log.error("could not load font %s", font_dir / name)
            continue
        families = QFontDatabase.applicationFontFamilies(font_id)
        if families and families[0] == FAMILY:
            family = families[0]
    if family:
        font = QFont(family)
        font.setFamilies([FAMILY, *_tc_families()])
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        QApplication.setFont(font)
    return family or QApplication.font().family()
