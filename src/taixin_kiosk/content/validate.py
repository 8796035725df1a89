"""The full check of a content pack: what ``validate``, ``export``, an install and
the self-test run (start-up uses the quicker ``choice.load_builtin``)."""

from __future__ import annotations

from pathlib import Path

from taixin_kiosk.content.builtin import find_builtin
from taixin_kiosk.content.catalogue_check import read_coverage
from taixin_kiosk.content.keys import UI_KEYS, app_locales, language_words
from taixin_kiosk.content.loader import LoadResult, load_pack

# The characters the bundled font has, one code point per line (tools/make_font.py).
COVERAGE_FILE = "TaixinSans.coverage.txt"


def validate(content: Path | None) -> LoadResult:
    """Validates ``content`` (a pack folder), or the built-in pack if None,
    with every check: PNG checksums and pixel data, and the catalogues' text
    against the characters of the bundled font."""
    builtin = find_builtin()
    coverage = read_coverage(builtin.fonts / COVERAGE_FILE)
    if content is None:
        return load_pack(builtin.assets, builtin.i18n, builtin=True, required_keys=UI_KEYS,
                         font_coverage=coverage)
    return load_pack(content, required_keys=UI_KEYS, app_words=language_words(),
                     app_locales=app_locales(), font_coverage=coverage)
