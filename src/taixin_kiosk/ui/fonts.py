"""Registers the bundled CJK font before any widget exists."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger("taixin_kiosk.fonts")

FONT_FILES = ("TaixinSans-Regular.otf", "TaixinSans-Bold.otf",
              "TaixinSansLatin-Regular.otf", "TaixinSansLatin-Bold.otf")
FAMILY = "Taixin Sans"
# Latin letters with proportional quotes and dashes, for languages not set in
# CJK type; characters it lacks fall back to FAMILY.
LATIN_FAMILY = "Taixin Sans Latin"


def register_fonts(font_dir: Path) -> str:
    """Adds the bundled fonts and makes them the application default.

    Returns the family to use. A missing or broken font file is logged, not
    fatal: the app then falls back to the platform's font rather than not
    starting at all.
    """
    family = ""
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
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        QApplication.setFont(font)
    return family or QApplication.font().family()
