"""The fonts a pack brings in its ``fonts/`` folder: which files, their
licence, and the characters they draw.

A pack in a script no bundled font has (Thai, Tibetan...) renders from its
own OpenType or TrueType fonts, which the app registers when it shows the
pack (``ui.fonts.use_pack_fonts``). A font file without a licence beside it
is refused: an exhibition must be able to show it may use the font.

The characters come from the font's ``cmap`` table, read here (formats 4 and
12, what every current Unicode font has) rather than with fontTools: content/
stays free of Qt and of libraries the frozen app does not ship.
"""

from __future__ import annotations

import struct
from pathlib import Path

from taixin_kiosk.content.problems import Problem

FONTS_DIR = "fonts"
FONT_SUFFIXES = (".otf", ".ttf")
# A licence file names itself so: OFL.txt, LICENSE, LICENCE.md, COPYING...
LICENCE_PREFIXES = ("ofl", "license", "licence", "copying")
CODES: tuple[str, ...] = ("pack_font_licence_missing", "pack_font_unreadable",
                          "pack_font_invalid")

# sfnt versions: TrueType outlines, CFF outlines, Apple's TrueType tag.
_SFNT_VERSIONS = (b"\x00\x01\x00\x00", b"OTTO", b"true")
# (platform, encoding) of the Unicode cmap subtables, best first.
_UNICODE_ENCODINGS = ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 0), (0, 1), (0, 2))


class FontError(ValueError):
    """A file that is not an OpenType/TrueType font with a Unicode character
    map of format 4 or 12 (the messages are for logs and tests, not users)."""


def font_files(root: Path) -> tuple[Path, ...]:
    """The pack's font files (``fonts/*.otf``, ``fonts/*.ttf``), in name order."""
    folder = root / FONTS_DIR
    try:
        if not folder.is_dir():
            return ()
        return tuple(sorted(p for p in folder.iterdir()
                            if p.suffix.lower() in FONT_SUFFIXES and p.is_file()))
    except OSError:
        return ()


def licence_files(root: Path) -> tuple[Path, ...]:
    folder = root / FONTS_DIR
    try:
        return tuple(sorted(p for p in folder.iterdir() if p.is_file()
                            and p.name.lower().startswith(LICENCE_PREFIXES)))
    except OSError:
        return ()


def check_pack_fonts(root: Path, problems: list[Problem]) -> frozenset[int]:
    """Checks the pack's fonts, adding problems; returns the characters they draw."""
    fonts = font_files(root)
    if not fonts:
        return frozenset()
    if not licence_files(root):
        problems.append(Problem(f"{FONTS_DIR}/", "", "pack_font_licence_missing",
                                {"fonts": ", ".join(p.name for p in fonts)}))
    drawn: set[int] = set()
    for path in fonts:
        try:
            drawn |= read_cmap(path.read_bytes())
        except OSError as exc:
            problems.append(Problem(f"{FONTS_DIR}/{path.name}", "", "pack_font_unreadable",
                                    {"reason": exc.strerror or type(exc).__name__}))
        except FontError:
            problems.append(Problem(f"{FONTS_DIR}/{path.name}", "", "pack_font_invalid"))
    return frozenset(drawn)


def read_cmap(data: bytes) -> frozenset[int]:
    """The code points a font's Unicode character map sends to a real glyph
    (not glyph 0, the "missing" box)."""
    try:
        return _read_cmap(data)
    except (struct.error, IndexError) as exc:
        raise FontError("the file ends inside a font table") from exc


def _read_cmap(data: bytes) -> frozenset[int]:
    if data[:4] not in _SFNT_VERSIONS:
        raise FontError("not an OpenType or TrueType font")
    (num_tables,) = struct.unpack_from(">H", data, 4)
    cmap_at = None
    for i in range(num_tables):
        tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"cmap":
            cmap_at = offset
    if cmap_at is None:
        raise FontError("the font has no character map (cmap table)")
    _version, count = struct.unpack_from(">HH", data, cmap_at)
    found: dict[tuple[int, int], int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap_at + 4 + 8 * i)
        found.setdefault((platform, encoding), cmap_at + offset)
    points: set[int] = set()
    read_any = False
    for key in _UNICODE_ENCODINGS:
        at = found.get(key)
        if at is None:
            continue
        (fmt,) = struct.unpack_from(">H", data, at)
        if fmt == 12:
            points |= _format12(data, at)
            read_any = True
        elif fmt == 4:
            points |= _format4(data, at)
            read_any = True
    if not read_any:
        raise FontError("the font has no Unicode character map of format 4 or 12")
    return frozenset(points)


def _format4(data: bytes, at: int) -> set[int]:
    seg_count = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends_at = at + 14
    starts_at = ends_at + 2 * seg_count + 2
    deltas_at = starts_at + 2 * seg_count
    ranges_at = deltas_at + 2 * seg_count
    ends = struct.unpack_from(f">{seg_count}H", data, ends_at)
    starts = struct.unpack_from(f">{seg_count}H", data, starts_at)
    deltas = struct.unpack_from(f">{seg_count}h", data, deltas_at)
    range_offsets = struct.unpack_from(f">{seg_count}H", data, ranges_at)
    points: set[int] = set()
    for seg in range(seg_count):
        start, end, delta, range_offset = starts[seg], ends[seg], deltas[seg], range_offsets[seg]
        if start > end or start == 0xFFFF:
            continue
        if range_offset == 0:
            points.update(c for c in range(start, end + 1) if (c + delta) & 0xFFFF)
            continue
        # The glyph ids sit range_offset bytes after this segment's own entry.
        base = ranges_at + 2 * seg + range_offset
        for c in range(start, end + 1):
            (glyph,) = struct.unpack_from(">H", data, base + 2 * (c - start))
            if glyph and (glyph + delta) & 0xFFFF:
                points.add(c)
    return points


def _format12(data: bytes, at: int) -> set[int]:
    (groups,) = struct.unpack_from(">I", data, at + 12)
    points: set[int] = set()
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * i)
        if end < start or end > 0x10FFFF:
            raise FontError("the character map has a range past U+10FFFF")
        first = start if glyph else start + 1  # glyph 0 is the missing-glyph box
        points.update(range(first, end + 1))
    return points
