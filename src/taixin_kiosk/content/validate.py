"""The full check of a content pack: what ``validate``, ``export``, an install and
the self-test run (start-up uses the quicker ``choice.load_builtin``)."""

from __future__ import annotations

from pathlib import Path

from taixin_kiosk.content.builtin import find_builtin
from taixin_kiosk.content.catalogue_check import read_coverage
from taixin_kiosk.content.keys import UI_KEYS, app_locales, language_words
from taixin_kiosk.content.limits import LoadWatch
from taixin_kiosk.content.loader import LoadResult, load_pack

# The characters each bundled CJK family draws, as ranges (tools/make_font.py
# writes one file per family; Taixin Sans Latin's are in Taixin Sans too).
COVERAGE_GLOB = "*.coverage.txt"


def bundled_coverage(font_dir: Path) -> frozenset[int] | None:
    """What the bundled fonts draw together; None if a list is unreadable or
    there is none (then no font check is made)."""
    drawn: set[int] = set()
    files = sorted(font_dir.glob(COVERAGE_GLOB))
    for path in files:
        listed = read_coverage(path)
        if listed is None:
            return None
        drawn |= listed
    return frozenset(drawn) if files else None


def validate(content: Path | None, *, watch: LoadWatch | None = None,
             deep_media: bool = True) -> LoadResult:
    """Validates ``content`` (a pack folder), or the built-in pack if None,
    with every check: PNG checksums and pixel data, the catalogues' text
    against the characters of the bundled fonts and the pack's own, and the
    pack's limits (``content.limits``). ``watch``, ``deep_media``: see ``load_pack``."""
    builtin = find_builtin()
    coverage = bundled_coverage(builtin.fonts)
    if content is None:
        return load_pack(builtin.assets, builtin.i18n, builtin=True, required_keys=UI_KEYS,
                         font_coverage=coverage)
    return load_pack(content, required_keys=UI_KEYS, app_words=language_words(),
                     app_locales=app_locales(), font_coverage=coverage, watch=watch,
                     deep_media=deep_media)
