"""Catalogue parity, placeholders, and no display text in Python code."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT
from taixin_kiosk.content.catalogue import flatten, placeholders
from taixin_kiosk.content.keys import UI_KEYS

CATALOGUES = sorted((ROOT / "i18n").glob("*.json"))


def load(path):
    return {k: v for k, v in flatten(json.loads(path.read_text(encoding="utf-8"))).items()}


def test_at_least_chinese_and_english():
    assert {p.stem for p in CATALOGUES} >= {"zh-CN", "en"}


def test_same_keys_and_placeholders_everywhere():
    reference = load(ROOT / "i18n" / "zh-CN.json")
    for path in CATALOGUES:
        other = load(path)
        assert set(other) == set(reference), path.name
        for key, text in reference.items():
            assert isinstance(other[key], str) and other[key].strip(), (path.name, key)
            assert placeholders(other[key]) == placeholders(text), (path.name, key)


def test_ui_keys_are_exactly_those_the_code_uses():
    src = "\n".join(p.read_text(encoding="utf-8")
                    for p in (ROOT / "src").rglob("*.py"))
    used = set(re.findall(r"\"((?:ui|meta)\.[a-z_.]+)\"", src))
    used.discard("ui.")
    declared = set(UI_KEYS)
    assert used <= declared, used - declared
    catalogue = {k for k in load(ROOT / "i18n" / "en.json") if k.startswith(("ui.", "meta."))}
    assert catalogue == declared


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_every_settings_option_has_its_help(locale):
    """The command line's options that set a setting (config.settings) are
    made from the declaration: each one's help is in every catalogue."""
    from taixin_kiosk.config.settings import FLAGS

    catalogue = load(ROOT / "i18n" / f"{locale}.json")
    assert FLAGS
    for option in FLAGS:
        assert isinstance(catalogue.get(option.help_key), str), option.help_key


def test_cli_and_problem_keys_used_in_code_exist():
    src = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py"))
    used = set(re.findall(r"\"(cli\.[a-z_.]+)\"", src))
    catalogue = load(ROOT / "i18n" / "en.json")
    # A section named whole (a problem's scope, content.problems) holds keys.
    sections = {key.rsplit(".", n)[0] for key in catalogue for n in range(1, key.count("."))}
    assert used and used <= set(catalogue) | sections, used - set(catalogue) - sections


def test_no_display_text_in_python():
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    for path in (ROOT / "src").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not cjk.search(line), f"{path}:{number}: {line}"


def test_app_strings_fall_back_to_english_for_a_new_language():
    from taixin_kiosk.content.builtin import app_strings

    assert app_strings("zh-CN").text("staff.panel.title") != app_strings("en").text(
        "staff.panel.title")
    # A content pack may bring zh-TW; the staff screens then speak English.
    assert app_strings("zh-TW").text("staff.panel.title") == app_strings("en").text(
        "staff.panel.title")
