"""A language the app was not translated into, brought by a pack (zh-TW).

The pack's catalogue is the only place its words can come from: the access
controls, the presenter's console and the handouts must read from it, and
``validate`` must name every one of those keys a catalogue leaves out.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from conftest import ROOT
from taixin_kiosk.content.catalogue import flatten
from taixin_kiosk.content.keys import (
    APP_SECTIONS,
    DECK_SECTION,
    EVERY_LANGUAGE_SECTIONS,
    LANGUAGE_SECTIONS,
    OPTIONAL_SECTIONS,
    UI_KEYS,
    app_locales,
    language_keys,
)

# The app's own sections (meta, ui, access, presenter, export) in Traditional
# Chinese, written from the zh-CN catalogue.
TW_APP = ROOT / "tests" / "fixtures" / "zh-TW-app.json"

DECK: dict[str, Any] = {
    "format": 1, "id": "lanterns", "version": "1.0.0", "title": "deck.title",
    "default_locale": "zh-CN",
    "slides": [
        {"id": "cover", "type": "cover", "notes": "deck.cover.notes",
         "title": "deck.cover.title"},
        {"id": "crafts", "type": "cards", "notes": "deck.crafts.notes",
         "title": "deck.crafts.title",
         "cards": [{"icon": "star", "heading": "deck.crafts.paper"},
                   {"icon": "leaf", "heading": "deck.crafts.bamboo"}]},
    ],
}
DECK_WORDS: dict[str, dict[str, str]] = {
    "en": {"title": "Lanterns of the Old Town", "cover.title": "Lanterns of the Old Town",
           "cover.notes": "Welcome the visitors and name the town.",
           "crafts.title": "Two crafts", "crafts.notes": "Paper and bamboo, in that order.",
           "crafts.paper": "Paper cutting", "crafts.bamboo": "Bamboo weaving"},
    "zh-CN": {"title": "古城的灯笼", "cover.title": "古城的灯笼",
              "cover.notes": "欢迎观众，介绍这座古城。",
              "crafts.title": "两种手艺", "crafts.notes": "先讲剪纸，再讲竹编。",
              "crafts.paper": "剪纸", "crafts.bamboo": "竹编"},
    "zh-TW": {"title": "古城的燈籠", "cover.title": "古城的燈籠",
              "cover.notes": "歡迎觀眾，介紹這座古城。",
              "crafts.title": "兩種手藝", "crafts.notes": "先講剪紙，再講竹編。",
              "crafts.paper": "剪紙", "crafts.bamboo": "竹編"},
}


def app_catalogue(locale: str) -> dict[str, Any]:
    return json.loads((ROOT / "i18n" / f"{locale}.json").read_text(encoding="utf-8"))


def write_pack(root: Path, tw_app: dict[str, Any] | None = None) -> Path:
    """en and zh-CN as an editor writes them from the docs (meta, ui, deck
    only: the app speaks those languages itself), and zh-TW with every
    section the app cannot speak for it."""
    (root / "i18n").mkdir(parents=True)
    (root / "deck.json").write_text(json.dumps(DECK), encoding="utf-8")
    tw = json.loads(TW_APP.read_text(encoding="utf-8")) if tw_app is None else tw_app
    for locale in ("en", "zh-CN", "zh-TW"):
        if locale == "zh-TW":
            catalogue = dict(tw)
        else:
            app = app_catalogue(locale)
            catalogue = {"meta": app["meta"], "ui": app["ui"]}
        deck: dict[str, Any] = {}
        for key, text in DECK_WORDS[locale].items():
            node = deck
            *parents, leaf = key.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = text
        catalogue["deck"] = deck
        (root / "i18n" / f"{locale}.json").write_text(
            json.dumps(catalogue, ensure_ascii=False, indent=2), encoding="utf-8")
    return root


@pytest.fixture
def tw_pack(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "lanterns")


def tw(key: str) -> str:
    return str(flatten(json.loads(TW_APP.read_text(encoding="utf-8")))[key])


# -- the list of required keys ------------------------------------------------------


def test_every_section_of_the_apps_catalogues_has_a_rule():
    for locale in ("en", "zh-CN"):
        sections = set(app_catalogue(locale))
        ruled = {*EVERY_LANGUAGE_SECTIONS, DECK_SECTION, *LANGUAGE_SECTIONS, *APP_SECTIONS,
                 *OPTIONAL_SECTIONS}
        assert sections == ruled, sections ^ ruled


def test_language_keys_are_the_apps_own_words_of_those_sections():
    keys = language_keys()
    en = flatten(app_catalogue("en"))
    assert set(keys) == {k for k in en if k.split(".")[0] in LANGUAGE_SECTIONS}
    # Each is one the code looks up (a literal, or an f-string's family).
    src = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py"))
    for key in keys:
        family = key.rsplit(".", 1)[0] + ".{"
        assert f'"{key}"' in src or family in src or key.split(".")[-1] in src, key
    assert {"en", "zh-CN"} <= app_locales()


def test_the_fixture_is_complete_and_in_traditional_characters():
    words = flatten(json.loads(TW_APP.read_text(encoding="utf-8")))
    assert set(words) == {*UI_KEYS, *language_keys()}
    simplified = set("这页显关开数览设对动过选讲钮键计时录归视双语结")
    for key, text in words.items():
        assert not simplified & set(str(text)), (key, text)


# -- validate ---------------------------------------------------------------------


def test_a_complete_zh_tw_pack_validates(tw_pack):
    from taixin_kiosk.content.validate import validate

    result = validate(tw_pack)
    assert result.ok, [p.format(lambda k, **kw: k) for p in result.errors]
    assert result.pack is not None and "zh-TW" in result.pack.locales


def test_validate_names_every_missing_access_key(tmp_path):
    from taixin_kiosk.content.builtin import app_catalogue as cli_catalogue
    from taixin_kiosk.content.validate import validate

    tw_app = json.loads(TW_APP.read_text(encoding="utf-8"))
    del tw_app["access"]
    pack = write_pack(tmp_path / "lanterns", tw_app)
    result = validate(pack)
    assert not result.ok
    access = sorted(k for k in language_keys() if k.startswith("access."))
    missing = sorted(p.path for p in result.errors)
    assert missing == access
    text = cli_catalogue("en").text
    lines = [p.format(text) for p in result.errors]
    assert lines[0].startswith(f"i18n/zh-TW.json: {access[0]}: missing: ")
    for line in lines:
        assert line.startswith("i18n/zh-TW.json: access.")
        assert "access, export, presenter" in line and "en, zh-CN" in line


def test_a_translation_keeps_the_apps_placeholders(tmp_path):
    from taixin_kiosk.content.validate import validate

    tw_app = json.loads(TW_APP.read_text(encoding="utf-8"))
    tw_app["access"]["slide"]["value"] = "{label}"  # {value} lost: the figure would not be read
    tw_app["presenter"]["now"] = "目前：第 {numbr} 頁，共 {total} 頁"
    pack = write_pack(tmp_path / "lanterns", tw_app)
    problems = validate(pack).errors
    assert sorted((p.code, p.file, p.path) for p in problems) == [
        ("app_placeholders_differ", "i18n/zh-TW.json", "access.slide.value"),
        ("app_placeholders_differ", "i18n/zh-TW.json", "presenter.now"),
    ]
    now = next(p for p in problems if p.path == "presenter.now")
    assert dict(now.params) == {"placeholders": "{numbr}, {total}",
                                "expected": "{number}, {total}"}


def test_the_command_line_lists_them(tmp_path):
    import subprocess
    import sys

    tw_app = json.loads(TW_APP.read_text(encoding="utf-8"))
    del tw_app["access"]["control"]
    pack = write_pack(tmp_path / "lanterns", tw_app)
    out = subprocess.run([sys.executable, "-m", "taixin_kiosk", "validate", str(pack)],
                         capture_output=True, text=True, encoding="utf-8",
                         env={**__import__("os").environ, "LANG": "C.UTF-8"})
    assert out.returncode == 1
    assert "i18n/zh-TW.json: access.control.access: missing: " in out.stdout + out.stderr
    assert "i18n/zh-TW.json: access.control.large_text: missing: " in out.stdout + out.stderr


# -- on screen ----------------------------------------------------------------------


def click(widget) -> None:  # type: ignore[no-untyped-def]
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def switch_to(built, locale: str) -> None:  # type: ignore[no-untyped-def]
    """Presses the language button until the audience sees ``locale``."""
    for _ in built.localizer.locales:
        if built.localizer.locale == locale:
            return
        click(built.window.controls.buttons["language"])
    assert built.localizer.locale == locale


def test_zh_tw_window_controls_and_access_strip(make_app, tw_pack):
    from taixin_kiosk.content.choice import choose

    built = make_app(size=(1920, 1080), choice=choose(tw_pack))
    controls = built.window.controls
    assert controls.buttons["access"].text() == app_catalogue_text("zh-CN",
                                                                   "access.control.access")
    switch_to(built, "zh-TW")
    assert controls.buttons["access"].text() == tw("access.control.access")
    assert controls.buttons["large_text"].text() == tw("access.control.large_text")
    assert controls.buttons["next"].text() == tw("ui.control.next")
    click(controls.buttons["access"])
    strip = built.window.access_bar
    assert strip.isVisible()
    for name in ("contrast", "motion", "reach"):
        assert strip.buttons[name].text() == tw(f"access.{name}")
        assert strip.buttons[name].accessibleDescription() == tw(f"access.describe.{name}")
    # Back in a language the app speaks, a key the pack left out is the app's own.
    switch_to(built, "en")
    assert controls.buttons["access"].text() == app_catalogue_text("en", "access.control.access")
    assert strip.buttons["contrast"].text() == app_catalogue_text("en", "access.contrast")


def app_catalogue_text(locale: str, key: str) -> str:
    return str(flatten(app_catalogue(locale))[key])


def test_zh_tw_presenter_console(make_app, tw_pack, tmp_path):
    from taixin_kiosk.content.choice import choose
    from taixin_kiosk.presenter.mode import PresenterMode
    from taixin_kiosk.presenter.placement import ScreenMemory
    from test_presenter import LAPTOP, FakeScreens, FakeTime

    built = make_app(choice=choose(tw_pack), present=True, notes_locale="zh-CN")
    mode = PresenterMode(built.session, screens=FakeScreens([LAPTOP]),  # type: ignore[arg-type]
                         memory=ScreenMemory(tmp_path / "screens.json"), now=FakeTime())
    try:
        console = mode.console
        assert console.buttons["end"].text() == app_catalogue_text("zh-CN",
                                                                   "presenter.button.end")
        # The presenter's own language button, pressed until the notes are in zh-TW.
        for _ in range(3):
            if mode.notes_locale == "zh-TW":
                break
            click(console.buttons["notes_language"])
        assert mode.notes_locale == "zh-TW"
        assert console.windowTitle() == tw("presenter.window.title")
        assert console.notes_heading.text() == tw("presenter.notes")
        assert console.buttons["end"].text() == tw("presenter.button.end")
        assert console.buttons["black"].text() == tw("presenter.button.black")
        # (On a narrow console the label breaks after its colon.)
        assert console.buttons["notes_language"].text().replace("\n", "") == tw(
            "presenter.button.notes_language").format(language=tw("meta.language_name"))
        assert console.buttons["notes_language"].accessibleName() in ("", tw(
            "presenter.button.notes_language").format(language=tw("meta.language_name")))
        assert console.question.text.text() == tw("presenter.confirm.question")
    finally:
        mode.close()


def test_zh_tw_handout_headings(tw_pack, tmp_path):
    import os
    import subprocess
    import sys

    from pypdf import PdfReader

    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        [sys.executable, "-m", "taixin_kiosk", "export", "--content", str(tw_pack),
         "--out", str(out), "--lang", "zh-TW", "--size", "640x360", "--notes"],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=240)
    assert result.returncode == 0, result.stderr
    pages = PdfReader(out / "zh-TW-notes.pdf").pages
    assert len(pages) == len(DECK["slides"])
    for number, page in enumerate(pages, 1):
        # NFKC: a PDF may map a character to its radical's look-alike; the
        # words are what this test is about, the fonts helper checks code points.
        text = unicodedata.normalize("NFKC", "".join(page.extract_text().split()))
        page_line = tw("export.notes.page").format(number=number, total=2)
        assert tw("export.notes.heading") in text
        assert unicodedata.normalize("NFKC", page_line.replace(" ", "")) in text
        assert "Speaker notes" not in text and "Page" not in text


def test_staff_words_stay_the_apps_own_in_english(make_app, tw_pack):
    """The staff's screens are the app's own words: a language the app was
    not translated into gets them in English (content.builtin.FALLBACK_LOCALE)."""
    from taixin_kiosk.content.builtin import FALLBACK_LOCALE
    from taixin_kiosk.content.choice import choose

    built = make_app(choice=choose(tw_pack))
    switch_to(built, "zh-TW")
    staff_title = app_catalogue_text(FALLBACK_LOCALE, "staff.panel.title")
    assert built.localizer.own_text("staff.panel.title") == staff_title
    switch_to(built, "zh-CN")
    assert built.localizer.own_text("staff.panel.title") == app_catalogue_text(
        "zh-CN", "staff.panel.title")


def test_the_docs_list_every_section():
    doc = (ROOT / "docs" / "content-format.md").read_text(encoding="utf-8")
    table = doc[doc.index("## Catalogues"):doc.index("## Errors")]
    for section in (*EVERY_LANGUAGE_SECTIONS, DECK_SECTION, *LANGUAGE_SECTIONS, *APP_SECTIONS,
                    *OPTIONAL_SECTIONS):
        assert f"`{section}`" in table, section
