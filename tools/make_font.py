#!/usr/bin/env python3
"""Build the app's bundled fonts, "Taixin Sans" (SC) and "Taixin Sans TC", from Noto Sans CJK.

Reads Debian's fonts-noto-cjk collections, picks the Simplified and the
Traditional Chinese faces ("Noto Sans CJK SC" and "Noto Sans CJK TC", found by
their name tables), subsets them and writes

    assets/fonts/TaixinSans-Regular.otf      assets/fonts/TaixinSans-Bold.otf
    assets/fonts/TaixinSansTC-Regular.otf    assets/fonts/TaixinSansTC-Bold.otf
    assets/fonts/TaixinSansLatin-Regular.otf assets/fonts/TaixinSansLatin-Bold.otf

as CFF-flavoured OpenType (not WOFF/WOFF2), without hinting, and a coverage
list per CJK family (``<PSFamily>.coverage.txt``) for the validator.

Taixin Sans: all of GB2312, printable ASCII, Latin-1, the general punctuation
and typographic marks listed in ``MARKS`` below, the CJK symbols block
(U+3000-U+303F), the fullwidth forms U+FF01-U+FF5E, and every character of
every string of the repository's catalogues (``i18n/*.json``,
``tests/packs/*/i18n/*.json`` and ``tests/fixtures/*/i18n/*.json``) other
than the Traditional Chinese ones.
Taixin Sans TC: Big5's symbols and level 1 hanzi (the 5,401 frequent ones),
the same Latin, marks and blocks, and every character of the Traditional
Chinese catalogues (zh-TW, zh-HK, zh-MO, zh-Hant*). The families are renamed
so Qt never mixes them up with a system-installed Noto Sans CJK.

Every glyph is reached from one code point, and no ligature is kept: where the source's character
map sends several characters to one glyph (a Kangxi radical and its
ideograph, the figure dash and the en dash, the spaces), a PDF's ToUnicode
table can name only one of them, and text copied from the PDF would come back
as the other. Radicals lose their mapping (nobody writes them as text); every
other character gets its own copy of the glyph. A ligature glyph (Noto
joins "——" into one) has no code point at all, so ligatures are dropped.

Every font also gets an empty glyph with no advance (horizontal or vertical)
for U+2060 WORD JOINER, reached from that code point only: the app's line
breaking (ui/layout/breaks.py) glues names and words with it, and Noto Sans
CJK has no glyph for it, so Qt took the invisible joiner from a system font,
which an exported PDF then embedded besides the bundled ones.

Re-run it whenever a catalogue gains characters (tests/test_font.py says so):

    python tools/make_font.py

It prints glyph counts and file sizes. The exit status is 1 if a catalogue
character is not in the source font at all (the fonts are still written; that
character would be drawn by a fallback font, so change the text instead), and
2 if the source fonts or fontTools are missing or a catalogue is not valid JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

try:
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont
except ImportError:  # pragma: no cover - depends on the environment
    sys.exit(
        "make_font.py needs fontTools: pip install fonttools "
        "(or pip install -e '.[test]'); do not install brotli, the output is OTF"
    )

ROOT = Path(__file__).resolve().parents[1]
I18N_DIR = ROOT / "i18n"
# The test packs' catalogues too: a deck the suite renders must not need a
# system font.
PACK_I18N_GLOBS = ("tests/packs/*/i18n", "tests/fixtures/*/i18n")
OUT_DIR = ROOT / "assets" / "fonts"

DEBIAN_PACKAGE = "fonts-noto-cjk"
SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
SOURCES = {
    "Regular": "NotoSansCJK-Regular.ttc",
    "Bold": "NotoSansCJK-Bold.ttc",
}
SOURCE_FAMILY = "Noto Sans CJK SC"
SOURCE_FAMILY_TC = "Noto Sans CJK TC"

FAMILY = "Taixin Sans"
PS_FAMILY = "TaixinSans"
TC_FAMILY = "Taixin Sans TC"
TC_PS_FAMILY = "TaixinSansTC"
LATIN_FAMILY = "Taixin Sans Latin"
LATIN_PS_FAMILY = "TaixinSansLatin"

# Printable ASCII.
ASCII = {chr(c) for c in range(0x20, 0x7F)}
# Latin-1 supplement: no-break space, punctuation, signs and letters.
LATIN1 = {chr(c) for c in range(0xA0, 0x100)}
# Typographic marks the app's text and charts use. These must exist in the
# source font. Note Python's gb2312 codec maps A1AA to U+2015 and A1A4 to
# U+30FB, so the em dash and the middle dot have to be listed here.
MARKS = set(
    "– — ‘ ’ “ ” … · • ≈ × ÷ ° ² ³ ‰ € ¥ № → ← ↑ ↓ ▲ ▼ ● ○ ■ □ ★ ☆ ✓"
    " − ± ≤ ≥ ™ © ® ℃ ′ ″ ‹ › « »".replace(" ", "")
)
# Whole blocks, taken as far as the source font covers them.
BLOCKS = {
    "general punctuation U+2000-U+206F": range(0x2000, 0x2070),
    "CJK symbols and punctuation U+3000-U+303F": range(0x3000, 0x3040),
    "fullwidth forms U+FF01-U+FF5E": range(0xFF01, 0xFF5F),
}

# Features kept: what HarfBuzz applies by default to Han and Latin text
# (ccmp, calt, clig, liga, rlig, kern, mark, mkmk; not locl, see below) plus the
# proportional/half-width CJK punctuation positioning (palt, halt: GPOS only,
# no extra glyphs) that a QFont may switch on. Dropped: vertical forms (vert,
# vrt2, vkrn, vpal, vhal), discretionary alternates (aalt, dlig, hist, ruby,
# fwid, hwid), Hangul jamo shaping, and locl, whose lookups would pull in
# the Japanese/Korean/Traditional glyph variants; without it the SC forms are
# used whatever language Qt tags the text with.
# pwid: proportional forms of quotes and punctuation, which the app turns on
# for languages not written with full-width CJK punctuation (English).
LAYOUT_FEATURES = ["ccmp", "calt", "clig", "liga", "rlig", "kern", "mark", "mkmk", "palt", "halt",
                   "pwid"]


def fail(message: str) -> None:
    print(f"make_font.py: error: {message}", file=sys.stderr)
    sys.exit(2)


def gb2312_chars() -> set[str]:
    """Every character GB2312 encodes: all valid two-byte codes A1A1-F7FE."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def big5_chars() -> set[str]:
    """Big5's symbols (A140-A3BF) and level 1 hanzi (A440-C67E, 5,401 characters)."""
    chars = set()
    for hi in range(0xA1, 0xC7):
        for lo in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if hi * 0x100 + lo > 0xC67E:
                break
            try:
                chars.add(bytes((hi, lo)).decode("big5"))
            except UnicodeDecodeError:
                continue
    return chars


def traditional(locale: str) -> bool:
    """Whether a catalogue's locale is written in Traditional Chinese (the same
    rule as the app's ui.fonts.traditional)."""
    parts = locale.lower().replace("_", "-").split("-")
    return parts[0] == "zh" and any(p in ("tw", "hk", "mo", "hant") for p in parts[1:])


def invisible(ch: str) -> bool:
    """Whitespace, control and format characters: no glyph needed to show them."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def _strings(node: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield node, path
    elif isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            yield str(key), where
            yield from _strings(value, where)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{path}[{i}]")


def catalogue_files() -> list[Path]:
    """The app's catalogues and the test packs', in a fixed order."""
    files = sorted(I18N_DIR.glob("*.json"))
    for pattern in PACK_I18N_GLOBS:
        for folder in sorted(ROOT.glob(pattern)):
            files += sorted(folder.glob("*.json"))
    return files


def catalogue_chars(files: list[Path]) -> dict[str, str]:
    """Each character of every string in ``files`` -> where it first occurs."""
    found: dict[str, str] = {}
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            fail(f"{path.relative_to(ROOT)}: cannot read the catalogue: {exc}")
        for text, where in _strings(data, ""):
            for ch in text:
                found.setdefault(ch, f"{path.relative_to(ROOT)}: {where or '(top level)'}")
    return found


def debian_version() -> str | None:
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", DEBIAN_PACKAGE],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def find_face(path: Path, source_family: str = SOURCE_FAMILY) -> int:
    """Index of the ``source_family`` face in a collection, by its name table."""
    collection = TTCollection(str(path), lazy=True)
    faces = []
    for index, font in enumerate(collection.fonts):
        name = font["name"]
        family = name.getName(16, 3, 1, 0x409) or name.getName(1, 3, 1, 0x409)
        family_str = family.toUnicode() if family else name.getDebugName(1)
        faces.append(family_str)
        if family_str == source_family:
            return index
    fail(f"{path}: no face named {source_family!r}; the faces are {faces}")
    raise AssertionError  # unreachable


def subset_options() -> subset.Options:
    options = subset.Options()
    options.layout_features = LAYOUT_FEATURES
    options.hinting = False
    options.desubroutinize = False  # keep the CFF subroutines: smaller files
    options.notdef_outline = True  # a visible box if a glyph is ever missing
    options.name_IDs = ["*"]  # keep copyright, trademark, license, URLs
    options.name_languages = ["*"]
    options.name_legacy = True
    options.flavor = None  # plain OpenType, never WOFF/WOFF2
    return options


def _set_name(name_table, name_id: int, text: str) -> None:
    name_table.names = [r for r in name_table.names if r.nameID != name_id]
    name_table.setName(text, name_id, 3, 1, 0x409)


def rename(font: TTFont, style: str, family: str = FAMILY, ps_family: str = PS_FAMILY,
           source_family: str = SOURCE_FAMILY, contents: str = "GB2312") -> None:
    """Give the subset its own family name everywhere Qt or FreeType looks."""
    ps_name = f"{ps_family}-{style}"
    full_name = family if style == "Regular" else f"{family} {style}"
    revision = f"{font['head'].fontRevision:.3f}"

    name = font["name"]
    description = name.getName(10, 3, 1, 0x409)
    description = description.toUnicode() if description else ""
    # Drop every language's family/style records (the source also has
    # Simplified Chinese ones naming "Noto Sans CJK SC") before setting ours.
    for name_id, text in (
        (1, family),
        (2, style),
        (3, f"{revision};TAIXIN;{ps_name}"),
        (4, full_name),
        (6, ps_name),
        (16, family),
        (17, style),
    ):
        _set_name(name, name_id, text)
    note = (
        f"{family} is a subset of {source_family} {revision}, renamed, made for the "
        f"taixin-kiosk app by tools/make_font.py ({contents}, Latin-1, punctuation and the "
        "app's catalogue text). Licensed under the SIL Open Font License 1.1."
    )
    _set_name(name, 10, f"{description} {note}".strip() if description else note)

    cff = font["CFF "].cff
    old_ps = cff.fontNames[0]
    top = cff.topDictIndex[0]
    cff.fontNames = [ps_name]
    top.FullName = full_name
    top.FamilyName = family
    top.Weight = style
    for fd in getattr(top, "FDArray", []):
        fd_name = getattr(fd, "FontName", None)
        if fd_name and fd_name.startswith(old_ps):
            fd.FontName = ps_name + fd_name[len(old_ps) :]


def proportional_forms(font: TTFont) -> dict[str, str]:
    """The source's 'pwid' substitutions: full-width glyph -> proportional glyph."""
    mapping: dict[str, str] = {}
    gsub = font["GSUB"].table
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag != "pwid":
            continue
        for index in record.Feature.LookupListIndex:
            lookup = gsub.LookupList.Lookup[index]
            for table in lookup.SubTable:
                table = getattr(table, "ExtSubTable", table)
                mapping.update(getattr(table, "mapping", {}) or {})
    return mapping


# Characters that share a glyph with the character they depict: they lose
# their mapping rather than take the real character's place in a PDF's
# ToUnicode table. Kangxi radicals and CJK radicals supplement.
RADICALS = (range(0x2E80, 0x2F00), range(0x2F00, 0x2FE0))


def radical(cp: int) -> bool:
    return any(cp in block for block in RADICALS)


# Characters that give the shared glyph up to the one text usually means (and
# take a copy): no-break and fixed-width spaces to U+0020 and U+3000, the soft
# and no-break hyphens to U+002D, the figure dash to the en dash, the
# horizontal bar to the em dash, the hyphenation point and katakana middle
# dot to U+00B7, the reversed prime to the full-width grave accent, the wave
# dash to the full-width tilde. The kept one also keeps the source's
# OpenType features (pwid, kerning).
YIELDING = frozenset({0x00A0, 0x00AD, *range(0x2002, 0x200B), 0x2011, 0x2012, 0x2015,
                      0x2027, 0x2035, 0x301C, 0x30FB})


def _preference(cp: int) -> tuple[bool, bool, int]:
    """Which of the characters sharing a glyph keeps it: not a radical, not a
    yielding character, then the lowest code point."""
    return (radical(cp), cp in YIELDING, cp)


def _new_glyph(font: TTFont, charstring: object, fd_of: str, name: str | None = None) -> str:
    """Append ``charstring`` as a new glyph in the font DICT (CID-keyed fonts)
    that glyph ``fd_of`` uses; returns its name, the next CID or else ``name``
    (by default a copy's name). Metrics are the caller's."""
    order = font.getGlyphOrder()
    top = font["CFF "].cff.topDictIndex[0]
    charstrings = top.CharStrings
    if hasattr(top, "ROS"):
        # CID-keyed: glyph names are CIDs; take the next unused one.
        cids = [int(name[3:]) for name in order if name.startswith("cid")]
        new = f"cid{max(cids) + 1:05d}"
    else:
        new = name or f"{fd_of}.copy{len(order)}"
    if charstrings.charStringsAreIndexed:
        charstrings.charStringsIndex.append(charstring)
        charstrings.charStrings[new] = len(charstrings.charStringsIndex) - 1
    else:
        charstrings.charStrings[new] = charstring
    if hasattr(top, "FDSelect"):
        top.FDSelect.append(top.FDSelect[order.index(fd_of)])
    top.charset.append(new)
    font.setGlyphOrder([*order, new])
    return new


def _copy_glyph(font: TTFont, glyph: str) -> str:
    """A new glyph drawn exactly like ``glyph`` (the same outline and metrics);
    returns its name."""
    source = font["CFF "].cff.topDictIndex[0].CharStrings[glyph]
    source.decompile()
    copy = type(source)(program=list(source.program), private=source.private,
                        globalSubrs=source.globalSubrs)
    new = _new_glyph(font, copy, glyph)
    for tag in ("hmtx", "vmtx"):
        if tag in font:
            font[tag].metrics[new] = font[tag].metrics[glyph]
    if "VORG" in font and glyph in font["VORG"].VOriginRecords:
        font["VORG"].VOriginRecords[new] = font["VORG"].VOriginRecords[glyph]
    return new


# Invisible characters the app puts into text that Noto Sans CJK has no glyph
# for: U+2060 WORD JOINER, which ui/layout/breaks.py puts between the parts
# of a name or word to keep them on one line. Without a glyph of ours Qt takes
# it from a system font (an extra font embedded in every PDF).
ZERO_WIDTH = (0x2060,)


def add_zero_width_glyphs(font: TTFont, codepoints: tuple[int, ...] = ZERO_WIDTH) -> list[str]:
    """Give each of ``codepoints`` the font lacks its own empty glyph with no
    advance, horizontal or vertical, placed like the space glyph otherwise
    (its font DICT, side bearings and vertical origin). Returns the new
    glyphs' names."""
    cmap = font.getBestCmap()
    space = cmap[0x20]
    top = font["CFF "].cff.topDictIndex[0]
    model = top.CharStrings[space]
    model.decompile()
    private = model.private
    # A Type 2 charstring states its width only where it is not the font
    # DICT's default, as the difference from the nominal width.
    width = 0
    program: list[object] = ["endchar"]
    if width != getattr(private, "defaultWidthX", 0):
        program = [width - getattr(private, "nominalWidthX", 0), "endchar"]
    added = []
    for cp in codepoints:
        if cp in cmap:
            continue
        empty = type(model)(program=list(program), private=private,
                            globalSubrs=model.globalSubrs)
        new = _new_glyph(font, empty, space, f"uni{cp:04X}")
        font["hmtx"].metrics[new] = (width, 0)
        if "vmtx" in font:
            font["vmtx"].metrics[new] = (0, font["vmtx"].metrics[space][1])
        if "VORG" in font and space in font["VORG"].VOriginRecords:
            font["VORG"].VOriginRecords[new] = font["VORG"].VOriginRecords[space]
        for table in font["cmap"].tables:
            if table.isUnicode():
                table.cmap[cp] = new
        added.append(new)
    return added


def split_shared_glyphs(font: TTFont) -> list[tuple[int, str]]:
    """One code point per glyph: of the characters the cmap sends to one glyph
    the preferred keeps it, radicals are unmapped, the others get a copy.
    Returns what changed, as (code point, "dropped" or the copy's name)."""
    best = font.getBestCmap()
    users: dict[str, list[int]] = {}
    for cp, glyph in sorted(best.items()):
        users.setdefault(glyph, []).append(cp)
    remap: dict[int, str | None] = {}
    for glyph, cps in sorted(users.items(), key=lambda item: min(item[1])):
        if len(cps) < 2:
            continue
        for cp in sorted(cps, key=_preference)[1:]:
            remap[cp] = None if radical(cp) else _copy_glyph(font, glyph)
    for table in font["cmap"].tables:
        if not table.isUnicode():
            continue
        for cp, glyph in remap.items():
            if cp not in table.cmap:
                continue
            if glyph is None:
                del table.cmap[cp]
            else:
                table.cmap[cp] = glyph
    return [(cp, glyph or "dropped") for cp, glyph in sorted(remap.items())]


def drop_ligatures(font: TTFont) -> None:
    """No ligature glyphs (Noto's "——" joined into one glyph by ccmp, its
    liga forms): a glyph no code point maps to is copied out of a PDF as
    garbage. The separate glyphs are drawn instead."""
    if "GSUB" not in font:
        return
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, "ExtSubTable", table)
            if hasattr(table, "ligatures"):
                table.ligatures = {}


def build(style: str, source: Path, face: int, unicodes: set[int], out: Path, *,
          family: str = FAMILY, ps_family: str = PS_FAMILY,
          source_family: str = SOURCE_FAMILY, contents: str = "GB2312",
          proportional: bool = False) -> TTFont:
    font = TTFont(str(source), fontNumber=face, lazy=False, recalcTimestamp=False)
    options = subset_options()
    if proportional:
        # Bake the proportional forms into the character map: text then needs
        # no OpenType feature, and a PDF maps each glyph back to its character.
        forms = proportional_forms(font)
        for table in font["cmap"].tables:
            if table.isUnicode():
                table.cmap = {cp: forms.get(glyph, glyph) for cp, glyph in table.cmap.items()}
        # No ligatures either: a PDF cannot map an "ff" glyph back to its text.
        options.layout_features = [f for f in LAYOUT_FEATURES
                                   if f not in ("pwid", "liga", "clig", "calt")]
    drop_ligatures(font)
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    split_shared_glyphs(font)
    add_zero_width_glyphs(font)
    rename(font, style, family, ps_family, source_family, contents)
    font.flavor = None
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".otf.tmp")
    font.save(str(tmp))
    tmp.replace(out)
    return TTFont(str(out))


def coverage_file(ps_family: str) -> str:
    return f"{ps_family}.coverage.txt"


# The CJK families: name, PostScript family, source face, what the name table
# says they hold, their fixed character set, and which catalogues they take.
CJK_FAMILIES = (
    (FAMILY, PS_FAMILY, SOURCE_FAMILY, "GB2312", gb2312_chars, False),
    (TC_FAMILY, TC_PS_FAMILY, SOURCE_FAMILY_TC, "Big5 level 1", big5_chars, True),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source-dir",
        type=Path,
        default=SOURCE_DIR,
        help=f"where {' and '.join(SOURCES.values())} are (default: {SOURCE_DIR})",
    )
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR, help="default: assets/fonts")
    args = parser.parse_args(argv)

    sources = {style: args.source_dir / file for style, file in SOURCES.items()}
    missing_files = [str(p) for p in sources.values() if not p.is_file()]
    if missing_files:
        fail(
            f"source font(s) not found: {', '.join(missing_files)}\n"
            f"Install the Debian package {DEBIAN_PACKAGE}: "
            f"sudo apt-get install {DEBIAN_PACKAGE}\n"
            "(or point --source-dir at a folder holding those .ttc files)"
        )
    version = debian_version()
    print(f"source: {DEBIAN_PACKAGE} {version or '(version unknown: not installed by dpkg)'}")

    files = catalogue_files()
    if files:
        print(f"catalogues: {', '.join(str(p.relative_to(ROOT)) for p in files)}")
    else:
        print("catalogues: none yet; using the fixed character sets only")

    status = 0
    for family, ps_family, source_family, contents, fixed_set, hant in CJK_FAMILIES:
        catalogue = catalogue_chars([p for p in files if traditional(p.stem) == hant])
        print(f"{family}: {len(catalogue)} distinct catalogue characters")
        fixed_required = ASCII | fixed_set() | MARKS
        covered: set[int] | None = None
        reported: list[str] = []
        for style, source in sources.items():
            face = find_face(source, source_family)
            cmap = TTFont(str(source), fontNumber=face, lazy=True).getBestCmap()

            wanted = set(fixed_required) | LATIN1
            for block in BLOCKS.values():
                wanted |= {chr(c) for c in block if c in cmap}
            wanted |= set(catalogue)

            lacking_fixed = sorted(c for c in fixed_required if ord(c) not in cmap)
            if lacking_fixed:
                print(f"  warning: {style}: the source lacks {''.join(lacking_fixed)!r}")
            lacking = sorted(c for c in catalogue if ord(c) not in cmap and not invisible(c))
            if lacking and lacking != reported:
                reported = lacking
                status = 1
                print(
                    f"error: {style}: {len(lacking)} catalogue character(s) are not in "
                    f"{source_family} at all; change the text (a fallback font would draw "
                    "them):",
                    file=sys.stderr,
                )
                for ch in lacking:
                    print(f"  U+{ord(ch):04X} {ch!r} in {catalogue[ch]}", file=sys.stderr)

            unicodes = {ord(c) for c in wanted if ord(c) in cmap and not radical(ord(c))}
            out = args.out_dir / f"{ps_family}-{style}.otf"
            result = build(style, source, face, unicodes, out, family=family,
                           ps_family=ps_family, source_family=source_family, contents=contents)
            # What both styles really draw (the subsetter may keep a few more).
            drawn = set(result.getBestCmap())
            covered = drawn if covered is None else covered & drawn
            size = out.stat().st_size
            print(
                f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: "
                f"{result['maxp'].numGlyphs} glyphs, {len(result.getBestCmap())} characters, "
                f"{size:,} bytes ({size / 1_048_576:.2f} MiB)"
                f"  [from {source.name} face {face}]"
            )
        write_coverage(covered or set(), args.out_dir / coverage_file(ps_family), ps_family)

    # The Latin companion: the same letters with proportional quotes and
    # dashes for English text (the CJK font's are as wide as a Han character).
    for style, source in sources.items():
        face = find_face(source)
        cmap = TTFont(str(source), fontNumber=face, lazy=True).getBestCmap()
        latin = {ord(c) for c in ASCII | LATIN1 | MARKS if ord(c) in cmap}
        latin |= {c for c in BLOCKS["general punctuation U+2000-U+206F"] if c in cmap}
        out = args.out_dir / f"{LATIN_PS_FAMILY}-{style}.otf"
        result = build(style, source, face, latin, out, family=LATIN_FAMILY,
                       ps_family=LATIN_PS_FAMILY, proportional=True)
        print(f"{out.name}: {result['maxp'].numGlyphs} glyphs, {out.stat().st_size:,} bytes")
    return status


def write_coverage(codepoints: set[int], out: Path, ps_family: str = PS_FAMILY) -> None:
    """The characters the fonts draw, as hex ranges: the validator warns about
    catalogue text outside them without needing a font library."""
    ranges: list[tuple[int, int]] = []
    for c in sorted(codepoints):
        if ranges and c == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], c)
        else:
            ranges.append((c, c))
    lines = [f"{a:04X}-{b:04X}" if a != b else f"{a:04X}" for a, b in ranges]
    header = f"# Characters in {ps_family}-*.otf; written by tools/make_font.py.\n"
    out.write_text(header + "\n".join(lines) + "\n", encoding="ascii")


if __name__ == "__main__":
    sys.exit(main())
