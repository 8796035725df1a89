"""The bundled font, assets/fonts/TaixinSans-*.otf, built by tools/make_font.py."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from decks import DECKS, deck_dir

ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = ROOT / "assets" / "fonts"
I18N_DIR = ROOT / "i18n"
STYLES = ("Regular", "Bold")
FAMILY = "Taixin Sans"
REGENERATE = "run `python tools/make_font.py` to rebuild assets/fonts/TaixinSans-*.otf"


def font_path(style: str) -> Path:
    return FONT_DIR / f"TaixinSans-{style}.otf"


@pytest.fixture(scope="module", params=STYLES)
def style(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def font(style: str) -> TTFont:
    path = font_path(style)
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing: {REGENERATE}"
    return TTFont(str(path), lazy=True)


def _strings(node: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield node, where
    elif isinstance(node, dict):
        for key, value in node.items():
            path = f"{where}.{key}" if where else str(key)
            yield str(key), path
            yield from _strings(value, path)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{where}[{i}]")


def _needs_glyph(ch: str) -> bool:
    # Whitespace, control and format characters (e.g. U+200B, U+00AD) are
    # laid out without a glyph of their own.
    return not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"))


def catalogue_chars() -> dict[str, str]:
    """Every visible character of every string in i18n/*.json -> where it occurs."""
    found: dict[str, str] = {}
    for path in sorted(I18N_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for text, where in _strings(data, ""):
            for ch in text:
                if _needs_glyph(ch):
                    found.setdefault(ch, f"{path.name}: {where}")
    return found


def test_catalogue_characters_are_in_the_font(font: TTFont, style: str) -> None:
    if not any(I18N_DIR.glob("*.json")):
        pytest.skip("no catalogues in i18n/ yet")
    cmap = font.getBestCmap()
    missing = {ch: where for ch, where in catalogue_chars().items() if ord(ch) not in cmap}
    listing = "\n".join(
        f"  U+{ord(ch):04X} {ch!r} ({where})" for ch, where in sorted(missing.items())
    )
    assert not missing, (
        f"TaixinSans-{style}.otf lacks {len(missing)} character(s) used in i18n/:\n"
        f"{listing}\n{REGENERATE}"
    )


def test_is_cff_opentype_not_woff(font: TTFont, style: str) -> None:
    signature = font_path(style).read_bytes()[:4]
    assert signature not in (b"wOFF", b"wOF2"), "the bundled font must be OTF, not WOFF"
    assert signature == b"OTTO", f"sfnt signature {signature!r}, expected b'OTTO'"
    assert font.flavor is None
    assert "CFF " in font


def test_family_is_taixin_sans(font: TTFont, style: str) -> None:
    name = font["name"]
    assert name.getDebugName(1) == FAMILY
    assert name.getDebugName(16) == FAMILY
    assert name.getDebugName(2) == style
    assert name.getDebugName(17) == style
    assert name.getDebugName(6) == f"TaixinSans-{style}"
    # No record in any language may still carry the source family's name.
    for record in name.names:
        if record.nameID in (1, 3, 4, 6, 16, 17):
            text = record.toUnicode()
            assert "Noto" not in text, f"name ID {record.nameID} still says {text!r}"
    cff = font["CFF "].cff
    assert cff.fontNames == [f"TaixinSans-{style}"]
    assert cff.topDictIndex[0].FamilyName == FAMILY


def gb2312_level1() -> list[str]:
    chars = []
    for code in range(0xB0A1, 0xD7FA):
        hi, lo = divmod(code, 0x100)
        if not 0xA1 <= lo <= 0xFE:
            continue
        chars.append(bytes((hi, lo)).decode("gb2312"))
    return chars


def test_gb2312_level1_is_covered(font: TTFont) -> None:
    level1 = gb2312_level1()
    assert len(level1) == 3755
    cmap = font.getBestCmap()
    missing = "".join(ch for ch in level1 if ord(ch) not in cmap)
    assert not missing, f"GB2312 level 1 characters missing: {missing}\n{REGENERATE}"


def test_ofl_license_is_bundled() -> None:
    ofl = FONT_DIR / "OFL.txt"
    assert ofl.is_file(), "assets/fonts/OFL.txt is missing"
    assert "SIL Open Font License" in ofl.read_text(encoding="utf-8")


def test_coverage_list_matches_the_fonts() -> None:
    """The validator's list of drawable characters is what both styles draw."""
    from taixin_kiosk.content.catalogue_check import read_coverage

    listed = read_coverage(ROOT / "assets" / "fonts" / "TaixinSans.coverage.txt")
    assert listed is not None
    drawn = [frozenset(TTFont(str(ROOT / "assets" / "fonts" / f"TaixinSans-{style}.otf"))
                       .getBestCmap()) for style in ("Regular", "Bold")]
    assert listed == drawn[0] & drawn[1], "run python tools/make_font.py"


def test_proportional_punctuation_for_latin_text(font: TTFont) -> None:
    """English quotes and apostrophes come from the 'pwid' feature (see theme.py)."""
    features = {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}
    assert "pwid" in features


@pytest.mark.parametrize("style", ["Regular", "Bold"])
def test_latin_companion_font(style: str) -> None:
    """English is set in Taixin Sans Latin: proportional quotes straight from the
    character map (so a PDF's text copies correctly), no ligature glyphs."""
    font = TTFont(str(ROOT / "assets" / "fonts" / f"TaixinSansLatin-{style}.otf"))
    assert font["name"].getDebugName(1) == "Taixin Sans Latin"
    cmap = font.getBestCmap()
    assert all(c in cmap for c in range(0x20, 0x7F))
    em = font["head"].unitsPerEm
    for quote in "‘’“”":
        advance, _ = font["hmtx"][cmap[ord(quote)]]
        assert advance < em * 0.6, f"{quote!r} is full-width"
    features = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}\
        if "GSUB" in font else set()
    assert not features & {"liga", "clig", "pwid"}


# -- Taixin Sans TC, and what every bundled font must do for PDFs --------------

BUNDLED = sorted((ROOT / "assets" / "fonts").glob("*.otf"))
HANT_CATALOGUE_DIRS = [I18N_DIR, *sorted(ROOT.glob("tests/packs/*/i18n")),
                       *sorted(ROOT.glob("tests/fixtures/*/i18n"))]


def _traditional(locale: str) -> bool:
    from taixin_kiosk.ui.fonts import traditional

    return traditional(locale)


def big5_level1() -> list[str]:
    chars = []
    for hi in range(0xA4, 0xC7):
        for lo in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if hi * 0x100 + lo > 0xC67E:
                break
            chars.append(bytes((hi, lo)).decode("big5"))
    return chars


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_glyph_maps_back_to_one_character(path: Path) -> None:
    """A PDF's ToUnicode names one character per glyph: a glyph shared by 門
    and the Kangxi radical ⾨, or by the en dash and the figure dash, copies
    out of a PDF as whichever comes first."""
    users: dict[str, list[int]] = {}
    for cp, glyph in TTFont(str(path)).getBestCmap().items():
        users.setdefault(glyph, []).append(cp)
    shared = {g: " ".join(f"U+{c:04X}" for c in cps) for g, cps in users.items() if len(cps) > 1}
    assert not shared, f"{path.name}: glyphs reached from several characters: {shared}"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_word_joiner_has_an_empty_glyph_of_its_own(path: Path) -> None:
    """The line breaker glues names and words with U+2060 WORD JOINER; a font
    without it sent Qt to a system font for the invisible character, and
    every exported PDF embedded that font too."""
    font = TTFont(str(path))
    glyph = font.getBestCmap().get(0x2060)
    assert glyph is not None, f"{path.name} has no glyph for U+2060: {REGENERATE}"
    assert font["hmtx"][glyph][0] == 0, f"{path.name}: U+2060 has a width"
    if "vmtx" in font:
        assert font["vmtx"][glyph][0] == 0, f"{path.name}: U+2060 has a height"
    charstrings = font["CFF "].cff.topDictIndex[0].CharStrings
    assert charstrings[glyph].calcBounds(charstrings) is None, f"{path.name}: U+2060 draws ink"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_no_ligature_glyphs(path: Path) -> None:
    """A ligature glyph has no character of its own, so a PDF cannot copy it
    back ("——" joined into one glyph came out as U+0091)."""
    font = TTFont(str(path))
    if "GSUB" not in font:
        return
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, "ExtSubTable", table)
            assert not getattr(table, "ligatures", None), f"{path.name} has ligatures"


@pytest.mark.parametrize("style", STYLES)
def test_traditional_chinese_family(style: str) -> None:
    path = FONT_DIR / f"TaixinSansTC-{style}.otf"
    assert path.read_bytes()[:4] == b"OTTO", REGENERATE
    font = TTFont(str(path))
    name = font["name"]
    assert name.getDebugName(1) == "Taixin Sans TC" and name.getDebugName(2) == style
    assert not any("Noto" in r.toUnicode() for r in name.names if r.nameID in (1, 4, 6, 16))
    cmap = font.getBestCmap()
    level1 = big5_level1()
    assert len(level1) == 5401
    missing = "".join(ch for ch in level1 if ord(ch) not in cmap)
    assert not missing, f"Big5 level 1 characters missing: {missing}\n{REGENERATE}"
    for ch in "，。、；：？！「」『』（）—…·":
        assert ord(ch) in cmap, ch


def test_catalogue_characters_are_in_the_family_for_their_script() -> None:
    """Traditional Chinese catalogues in the repository are drawn by Taixin
    Sans TC, the others by Taixin Sans: no character is left to a system font."""
    cmaps = {hant: [TTFont(str(FONT_DIR / f"TaixinSans{'TC' if hant else ''}-{s}.otf"))
                    .getBestCmap() for s in STYLES] for hant in (False, True)}
    for folder in HANT_CATALOGUE_DIRS:
        for path in sorted(folder.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            wanted = {ch for text, _ in _strings(data, "") for ch in text if _needs_glyph(ch)}
            for cmap in cmaps[_traditional(path.stem)]:
                missing = "".join(sorted(ch for ch in wanted if ord(ch) not in cmap))
                assert not missing, f"{path.relative_to(ROOT)}: {missing}\n{REGENERATE}"


def test_each_family_has_its_coverage_list() -> None:
    from taixin_kiosk.content.catalogue_check import read_coverage

    for family in ("TaixinSans", "TaixinSansTC"):
        listed = read_coverage(FONT_DIR / f"{family}.coverage.txt")
        drawn = [frozenset(TTFont(str(FONT_DIR / f"{family}-{s}.otf")).getBestCmap())
                 for s in STYLES]
        assert listed == drawn[0] & drawn[1], REGENERATE


@pytest.mark.parametrize("deck", DECKS)
def test_every_deck_is_drawn_without_empty_boxes(deck: str) -> None:
    """Every character of every deck's catalogues (tests/decks.py: the built-in
    deck and each test pack, a third language included) is one the app's own
    fonts draw, so no visitor sees an empty box on a computer without other
    fonts: the validator's font check finds nothing to warn about."""
    from taixin_kiosk.content.validate import validate

    result = validate(deck_dir(deck))
    assert result.ok, [p.code for p in result.problems]
    lacking = [f"{w.file}: {w.params.get('count')} characters, e.g. {w.params.get('chars')}"
               for w in result.warnings if w.code == "font_missing_chars"]
    assert not lacking, "\n".join(lacking)


def test_traditional_chinese_content_registers_its_family(make_app):
    """Taixin Sans TC is registered for content with a Traditional Chinese
    language (only then: the built-in content never needs it), and text in
    that language is set in it first."""
    from PySide6.QtGui import QFontDatabase

    from decks import deck_choice
    from taixin_kiosk.ui.fonts import TC_FAMILY
    from taixin_kiosk.ui.theme import base_font

    hant = [d for d in DECKS if "zh-TW" in deck_choice(d).pack.catalogues]
    if not hant:
        pytest.skip("no test pack in Traditional Chinese")
    built = make_app(choice=deck_choice(hant[0]))
    assert TC_FAMILY in QFontDatabase.families()
    assert base_font(built.window.stage.family, 30, locale="zh-TW").families()[0] == TC_FAMILY
