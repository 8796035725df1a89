"""Text copied out of every exported PDF is the catalogue's own text, code
point for code point, in Simplified and Traditional Chinese and in English:
no Kangxi radical for 門, no figure dash for the en dash, no system font
standing in for a bundled one."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from test_cli import run

pypdf = pytest.importorskip("pypdf")

FIXTURE_TW = ROOT / "tests" / "fixtures" / "zh_tw_pack" / "i18n" / "zh-TW.json"
# Lookalikes a font's shared glyphs put into copied text.
RADICALS = re.compile("[\u2e80-\u2fdf]")
# Two Chinese characters with white space between them (where the catalogue
# has no space between them).
GLUED = re.compile("[\u4e00-\u9fff][ \t\u2060]+[\u4e00-\u9fff]")
# ToUnicode naming glyphs of a font Qt fell back to from the bundled ones.
BUNDLED_FONT = re.compile(r"^(?:[A-Z]{6}\+)?TaixinSans(?:TC|Latin)?-(?:Regular|Bold)$")


def _overlay(base: dict, mine: dict) -> dict:
    """``mine``'s strings where it has them, ``base``'s elsewhere: the fixture
    stays a complete catalogue when the app's catalogues gain keys."""
    out: dict = {}
    for key, value in base.items():
        if isinstance(value, dict):
            out[key] = _overlay(value, mine.get(key, {}) if isinstance(mine.get(key), dict)
                                else {})
        else:
            found = mine.get(key)
            out[key] = found if isinstance(found, str) else value
    return out


def tw_pack(tmp_path: Path) -> Path:
    """The built-in deck with a third, Traditional Chinese catalogue."""
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "assets", pack, ignore=shutil.ignore_patterns("fonts"))
    shutil.copytree(ROOT / "i18n", pack / "i18n")
    zh = json.loads((ROOT / "i18n" / "zh-CN.json").read_text(encoding="utf-8"))
    tw = json.loads(FIXTURE_TW.read_text(encoding="utf-8"))
    (pack / "i18n" / "zh-TW.json").write_text(
        json.dumps(_overlay(zh, tw), ensure_ascii=False), encoding="utf-8")
    return pack


def flat(tree: object, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from flat(value, f"{prefix}.{key}" if prefix else key)
    elif isinstance(tree, str):
        yield prefix, tree


def squeeze(text: str) -> str:
    return "".join(text.split())


def font_names(reader) -> set[str]:  # type: ignore[no-untyped-def]
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font") or {}
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).lstrip("/"))
    return names


def check_pdf(path: Path, catalogue: dict[str, str], pages_must_hold: list[list[str]],
              pack: Path) -> None:
    """Every page holds its strings exactly (whitespace aside), every copied
    character is one of the catalogue's (or of a language's name, which the
    language button shows), and only bundled fonts are used."""
    reader = pypdf.PdfReader(path)
    names = "".join(json.loads(p.read_text(encoding="utf-8"))["meta"]["language_name"]
                    for p in (pack / "i18n").glob("*.json"))
    allowed = {ch for text in catalogue.values() for ch in text} | set("0123456789/ " + names)
    spaced = {(m.group(0)[0], m.group(0)[-1])
              for text in catalogue.values() for m in GLUED.finditer(text)}
    assert len(reader.pages) == len(pages_must_hold), path.name
    for number, (page, wanted) in enumerate(zip(reader.pages, pages_must_hold, strict=True)):
        text = page.extract_text()
        strange = sorted({ch for ch in squeeze(text) if ch not in allowed})
        assert not strange, (path.name, number + 1,
                             [f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in strange])
        assert not RADICALS.search(text) and "\u2012" not in text
        # The word joiners that keep names whole on a line are not text: Qt
        # writes one as a space, copied out as a tab inside a word (山\t西\t省).
        glued = [m.group(0) for m in GLUED.finditer(text)
                 if (m.group(0)[0], m.group(0)[-1]) not in spaced]
        assert not glued, (path.name, number + 1, glued)
        for string in wanted:
            assert squeeze(string) in squeeze(text), (path.name, number + 1, string)
    fonts = font_names(reader)
    assert fonts and all(BUNDLED_FONT.match(name) for name in fonts), (path.name, fonts)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("pdf")
    pack = tw_pack(tmp)
    out = tmp / "out"
    result = run("export", "--content", str(pack), "--out", str(out), "--size", "960x540",
                 "--pdf", "--notes", "--pair", "zh-TW,en")
    assert result.returncode == 0, result.stderr
    return pack, out


@pytest.mark.parametrize("locale", ["zh-CN", "zh-TW", "en"])
def test_slides_and_notes_copy_back_as_the_catalogue_text(exported, locale):
    pack, out = exported
    deck = json.loads((pack / "deck.json").read_text(encoding="utf-8"))
    catalogue = dict(flat(json.loads((pack / "i18n" / f"{locale}.json")
                                     .read_text(encoding="utf-8"))))
    slides = deck["slides"]
    check_pdf(out / f"{locale}.pdf", catalogue,
              [[catalogue[s["title"]]] for s in slides], pack)
    check_pdf(out / f"{locale}-notes.pdf", catalogue,
              [[catalogue[s["title"]], catalogue[s["notes"]]] for s in slides], pack)


def test_side_by_side_takes_the_pair_asked_for(exported):
    pack, out = exported
    deck = json.loads((pack / "deck.json").read_text(encoding="utf-8"))
    tw, en = (dict(flat(json.loads((pack / "i18n" / f"{loc}.json").read_text(encoding="utf-8"))))
              for loc in ("zh-TW", "en"))
    check_pdf(out / "side-by-side.pdf", {**{f"tw.{k}": v for k, v in tw.items()}, **en},
              [[tw[s["notes"]], en[s["notes"]]] for s in deck["slides"]], pack)


def test_a_pair_that_is_not_two_languages_is_refused(tmp_path):
    result = run("export", "--out", str(tmp_path / "out"), "--pair", "zh-CN", "--lang", "en")
    assert result.returncode == 2
    assert "--pair" in result.stderr and "zh-TW,en" in result.stderr
    unknown = run("export", "--out", str(tmp_path / "out"), "--pair", "zh-CN,fr")
    assert unknown.returncode == 2 and "fr" in unknown.stderr


def test_lookalike_characters_copy_back_exactly(qapp, tmp_path):
    """The characters whose glyph the source fonts share with another code
    point (a radical, the figure dash, a space or dot variant) extract as
    themselves from a PDF, in the fonts each language is set in."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter, QPdfWriter

    from taixin_kiosk.content.builtin import find_builtin
    from taixin_kiosk.ui.fonts import register_fonts, use_traditional
    from taixin_kiosk.ui.theme import base_font

    family = register_fonts(find_builtin().fonts)
    lines = {
        "zh-TW": "門車長頁風見言走 ・ 一～三",
        "zh-CN": "门车长页风见言走 · 一～三 ‧ •",
        "en": "Taiyuan–Xinzhou — 3‒4 · ‐ ‑",
    }
    use_traditional(list(lines))
    for locale, line in lines.items():
        path = tmp_path / f"{locale}.pdf"
        writer = QPdfWriter(str(path))
        painter = QPainter(writer)
        painter.setFont(base_font(family, 40, locale=locale))
        painter.drawText(QRectF(0, 0, writer.width(), 400), 0, line)
        painter.end()
        reader = pypdf.PdfReader(path)
        assert squeeze(reader.pages[0].extract_text()) == squeeze(line), locale
        assert all(BUNDLED_FONT.match(name) for name in font_names(reader)), locale
