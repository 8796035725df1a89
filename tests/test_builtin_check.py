"""The built-in pack is checked in full once, then again only when it changes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture
def builtin_copy(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from taixin_kiosk.content import choice as content
    from taixin_kiosk.content.builtin import BuiltinContent

    assets = tmp_path / "assets"
    shutil.copytree(ROOT / "assets", assets, ignore=shutil.ignore_patterns("fonts"))
    shutil.copytree(ROOT / "i18n", tmp_path / "i18n")
    copy = BuiltinContent(assets, tmp_path / "i18n")
    monkeypatch.setattr(content, "find_builtin", lambda: copy)
    return copy


@pytest.fixture
def schema_checks(monkeypatch):  # type: ignore[no-untyped-def]
    from taixin_kiosk.content.deck_check import DeckCheck

    calls: list[int] = []
    original = DeckCheck.check_schema

    def counted(self, doc):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(self, doc)

    monkeypatch.setattr(DeckCheck, "check_schema", counted)
    return calls


def test_checked_once_then_trusted_until_a_file_changes(builtin_copy, schema_checks):
    from taixin_kiosk.content.choice import load_builtin

    first = load_builtin()
    assert first.ok and len(schema_checks) == 1
    second = load_builtin()
    assert second.ok and len(schema_checks) == 1  # not checked again
    assert second.pack is not None and first.pack is not None
    assert second.pack.deck == first.pack.deck
    assert dict(second.pack.catalogues["en"].strings) == dict(first.pack.catalogues["en"].strings)
    assert [name for name, _ in second.pack.sources] == [name for name, _ in first.pack.sources]
    # Staff edit a translation: the next start checks everything again.
    catalogue = builtin_copy.i18n / "en.json"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load_builtin().ok and len(schema_checks) == 2


def test_a_broken_edit_is_reported_not_trusted(builtin_copy):
    from taixin_kiosk.content.choice import load_builtin

    assert load_builtin().ok
    deck = builtin_copy.assets / "deck.json"
    doc = json.loads(deck.read_text(encoding="utf-8"))
    doc["slides"][0]["type"] = "carousel"
    deck.write_text(json.dumps(doc), encoding="utf-8")
    result = load_builtin()
    assert not result.ok
    assert any(p.path == "slides[0].type" for p in result.problems)


def test_a_stamp_that_lies_falls_back_to_the_full_check(builtin_copy):
    from taixin_kiosk.content.choice import load_builtin

    assert load_builtin().ok
    # Same size and modification time, different bytes: the stamp matches,
    # the trusted load fails, and the full check says why.
    deck = builtin_copy.assets / "deck.json"
    info = deck.stat()
    data = bytearray(deck.read_bytes())
    data[0:1] = b"["
    deck.write_bytes(bytes(data))
    os.utime(deck, ns=(info.st_atime_ns, info.st_mtime_ns))
    result = load_builtin()
    assert not result.ok
    assert {p.code for p in result.problems} & {"json_syntax", "schema_type"}


def test_an_unwritable_state_folder_only_costs_time(builtin_copy, app_home, schema_checks):
    from taixin_kiosk.content.choice import load_builtin

    (app_home / "data").mkdir(parents=True)
    (app_home / "data" / "state").write_text("a file where the folder should be")
    assert load_builtin().ok and load_builtin().ok
    assert len(schema_checks) == 2


def test_the_stamp_lives_in_the_state_folder(builtin_copy, app_home):
    from taixin_kiosk.content.choice import CHECKED_STAMP, load_builtin

    load_builtin()
    stamp = Path(app_home) / "data" / "state" / CHECKED_STAMP
    assert stamp.is_file() and str(builtin_copy.assets / "deck.json") in stamp.read_text("utf-8")
