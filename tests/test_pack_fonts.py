"""A pack brings fonts for a script the app has none for: ``fonts/`` with a
licence, checked by ``validate``, registered and used when the pack shows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from test_cli import run

THAI_FONT = ROOT / "tests" / "fixtures" / "thai_font"
THAI = "ยินดีต้อนรับสู่หยางชวี"  # "Welcome to Yangqu"
THAI_TITLE_KEY = ("deck", "cover", "title")


def pack_with(tmp_path: Path, *, fonts: bool, licence: bool = True, title: str = THAI) -> Path:
    """The built-in deck whose English cover title is ``title``, with the Thai
    test font in fonts/ (and its licence) if asked."""
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "assets", pack, ignore=shutil.ignore_patterns("fonts"))
    shutil.copytree(ROOT / "i18n", pack / "i18n")
    en_path = pack / "i18n" / "en.json"
    en = json.loads(en_path.read_text(encoding="utf-8"))
    node = en
    for part in THAI_TITLE_KEY[:-1]:
        node = node[part]
    node[THAI_TITLE_KEY[-1]] = title
    en_path.write_text(json.dumps(en, ensure_ascii=False), encoding="utf-8")
    if fonts:
        (pack / "fonts").mkdir()
        shutil.copy(THAI_FONT / "TaixinTestThai-Regular.ttf", pack / "fonts")
        if licence:
            shutil.copy(THAI_FONT / "OFL.txt", pack / "fonts")
    return pack


def test_the_thai_title_key_is_the_cover_title():
    deck = json.loads((ROOT / "assets" / "deck.json").read_text(encoding="utf-8"))
    assert deck["slides"][0]["title"] == ".".join(THAI_TITLE_KEY)


def test_characters_no_font_draws_are_counted_in_full(tmp_path):
    thai_letters = sorted(set(THAI))
    out = run("validate", str(pack_with(tmp_path, fonts=False)))
    assert out.returncode == 0, out.stderr
    said = out.stdout + out.stderr
    assert f"{len(thai_letters)} characters of the en texts" in said, said
    assert "the first 12: " + " ".join(thai_letters[:12]) + "." in said, said
    assert "fonts/ folder" in said


def test_a_pack_font_covers_its_script(tmp_path):
    out = run("validate", str(pack_with(tmp_path, fonts=True)))
    assert out.returncode == 0, out.stderr
    assert "characters of the en texts" not in out.stdout + out.stderr


def test_a_font_without_a_licence_is_refused(tmp_path):
    out = run("validate", str(pack_with(tmp_path, fonts=True, licence=False)))
    assert out.returncode == 1
    assert "fonts/: " in out.stderr and "TaixinTestThai-Regular.ttf" in out.stderr
    assert "licence" in out.stderr


def test_a_file_that_is_not_a_font_is_refused(tmp_path):
    pack = pack_with(tmp_path, fonts=True)
    (pack / "fonts" / "Broken.otf").write_bytes(b"not a font at all" * 10)
    out = run("validate", str(pack))
    assert out.returncode == 1
    assert "fonts/Broken.otf: " in out.stderr


def test_the_cmap_reader_agrees_with_fonttools():
    from fontTools.ttLib import TTFont

    from taixin_kiosk.content.pack_fonts import read_cmap

    fonts = [THAI_FONT / "TaixinTestThai-Regular.ttf",
             *sorted((ROOT / "assets" / "fonts").glob("*.otf"))]
    for path in fonts:
        assert read_cmap(path.read_bytes()) == frozenset(TTFont(str(path)).getBestCmap()), path


def test_the_pack_font_draws_the_text_on_screen_and_in_the_pdf(tmp_path):
    """The Thai cover title comes out of the PDF as the catalogue's text, set
    in the pack's font, and the PNG of the slide shows it (not empty boxes:
    the PDF's only fonts are the bundled ones and the pack's)."""
    pypdf = pytest.importorskip("pypdf")
    pack = pack_with(tmp_path, fonts=True)
    out = tmp_path / "out"
    result = run("export", "--content", str(pack), "--out", str(out), "--lang", "en",
                 "--size", "960x540", "--pdf")
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(out / "en.pdf")
    cover = reader.pages[0]
    assert THAI in "".join(cover.extract_text().split())
    fonts = {str(ref.get_object()["/BaseFont"]).lstrip("/").split("+")[-1]
             for ref in cover["/Resources"]["/Font"].values()}
    assert "TaixinTestThai-Regular" in fonts, fonts
    assert all(name.startswith(("TaixinSans", "TaixinTestThai")) for name in fonts), fonts


def test_the_app_registers_the_pack_fonts_and_sets_text_in_them(qapp, tmp_path):
    from PySide6.QtGui import QFont, QFontMetricsF

    from taixin_kiosk.content.builtin import find_builtin
    from taixin_kiosk.content.validate import validate
    from taixin_kiosk.ui.fonts import families_for, register_fonts, use_pack_fonts
    from taixin_kiosk.ui.theme import base_font

    result = validate(pack_with(tmp_path, fonts=True))
    assert result.pack is not None and result.ok
    assert [p.name for p in result.pack.fonts] == ["TaixinTestThai-Regular.ttf"]
    family = register_fonts(find_builtin().fonts)
    try:
        assert use_pack_fonts(result.pack.fonts) == ["Taixin Test Thai"]
        assert families_for("en", family, cjk=False)[-1] == "Taixin Test Thai"
        font = base_font(family, 40, locale="en")
        assert "Taixin Test Thai" in font.families()
        registered = QFontMetricsF(QFont("Taixin Test Thai"))
        assert all(registered.inFontUcs4(ord(ch)) for ch in THAI)
    finally:
        assert use_pack_fonts(()) == []
    assert "Taixin Test Thai" not in base_font(family, 40, locale="en").families()
