"""``taixin-kiosk new-pack``: a starter pack that validates and exports as written."""

from __future__ import annotations

import json
from pathlib import Path

from taixin_kiosk.content.builtin import app_catalogue
from taixin_kiosk.content.deck import SLIDE_TYPES
from taixin_kiosk.content.starter import APP_SECTIONS
from test_cli import run

ROOT = Path(__file__).resolve().parents[1]


def _keys(node: object, prefix: str = "") -> set[str]:
    if not isinstance(node, dict):
        return {prefix}
    return {k for key, value in node.items() for k in _keys(value, f"{prefix}.{key}".lstrip("."))}


def test_new_pack_validates_exports_and_uses_every_type(tmp_path):
    pack = tmp_path / "my-pack"
    made = run("new-pack", str(pack), "--langs", "zh-CN,en,fr")
    assert made.returncode == 0, made.stderr
    assert str(pack) in made.stdout
    # French: the app has no words for it; said on stderr, English copied.
    assert "fr" in made.stderr and "i18n/fr.json" in made.stderr
    assert "zh-CN" not in made.stderr and "i18n/en.json" not in made.stderr

    deck = json.loads((pack / "deck.json").read_text(encoding="utf-8"))
    assert deck["default_locale"] == "zh-CN" and deck["id"] == "my-pack"
    assert {s["type"] for s in deck["slides"]} == set(SLIDE_TYPES)
    charts = {(s["chart"]["kind"], s["chart"].get("orientation", "vertical"))
              for s in deck["slides"] if s["type"] == "chart"}
    assert charts == {("bar", "vertical"), ("bar", "horizontal"), ("share", "vertical"),
                      ("line", "vertical"), ("timeline", "vertical"), ("figures", "vertical")}
    assert any("corridor" in s["map"] for s in deck["slides"] if s["type"] == "map")

    catalogues = {p.stem: json.loads(p.read_text(encoding="utf-8"))
                  for p in (pack / "i18n").glob("*.json")}
    assert set(catalogues) == {"zh-CN", "en", "fr"}
    for locale, app_locale in (("zh-CN", "zh-CN"), ("en", "en"), ("fr", "en")):
        app = json.loads((ROOT / "i18n" / f"{app_locale}.json").read_text(encoding="utf-8"))
        # The app's own words are the built-in catalogue's (English for French);
        # the deck's words are the starter's placeholders in that language.
        for section in APP_SECTIONS:
            assert _keys(catalogues[locale][section]) == _keys(app[section]), (locale, section)
        assert catalogues[locale]["access"] == app["access"]
        assert catalogues[locale]["deck"] == app["starter"]["deck"]
    titles = {locale: catalogues[locale]["deck"]["cover"]["title"] for locale in catalogues}
    assert titles["zh-CN"] != titles["en"] == titles["fr"]

    checked = run("validate", str(pack))
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("OK")

    out = tmp_path / "shots"
    exported = run("export", "--out", str(out), "--content", str(pack), "--lang", "zh-CN",
                   "--size", "1280x800")
    assert exported.returncode == 0, exported.stderr
    assert len(list((out / "zh-CN").glob("*.png"))) == len(deck["slides"])


def test_new_pack_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    refused = run("new-pack", str(tmp_path))
    assert refused.returncode == 1
    assert str(tmp_path) in refused.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert not (tmp_path / "deck.json").exists()


def test_new_pack_refuses_a_bad_language_list(tmp_path):
    refused = run("new-pack", str(tmp_path / "p"), "--langs", "en,Not A Code")
    assert refused.returncode == 1
    assert "Not A Code" in refused.stderr
    assert not (tmp_path / "p").exists()


def test_new_pack_help_is_in_the_catalogues():
    for locale in ("en", "zh-CN"):
        app = json.loads((ROOT / "i18n" / f"{locale}.json").read_text(encoding="utf-8"))
        for key in ("new_pack", "new_pack_dir", "langs", "watch"):
            assert app["cli"]["help"][key].strip()
    helped = run("new-pack", "--help", env={"LANG": "en_US.UTF-8"})
    assert helped.returncode == 0
    assert app_catalogue("en").text("cli.help.new_pack_dir").split()[0] in helped.stdout
