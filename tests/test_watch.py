"""``--content DIR --watch``: a saved change shows on screen by itself; a broken
pack shows its problems instead of the slides until it is fixed."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT

PACK = ROOT / "tests" / "packs" / "grand-canal"
TIMEOUT_MS = 3000  # the promise is 2 s; a loaded test machine gets a little more


def _save(path: Path, data: object, how: str) -> None:
    """As an editor saves: in place, or by writing a new file and renaming it
    over the old one (an atomic replace, which file watchers lose track of)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if how == "in-place":
        path.write_text(text, encoding="utf-8")
    else:
        temp = path.with_name(f".{path.name}.tmp")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)


def _shown_texts(built) -> list[str]:  # type: ignore[no-untyped-def]
    return [item.text for item in built.window.stage.current_view.layout_items.texts]


def _current_id(built) -> str:  # type: ignore[no-untyped-def]
    return built.content.pack.deck.slides[built.navigator.index].id


@pytest.fixture
def pack(grand_canal_copy: Path) -> Path:
    return grand_canal_copy


@pytest.mark.parametrize("how", ["in-place", "replace"])
def test_a_saved_change_shows_and_problems_replace_the_slides(make_app, qtbot, pack, how):
    from taixin_kiosk.content.choice import choose

    built = make_app((1280, 800), choice=choose(pack), content=pack, watch=True)
    assert built.watcher is not None and not built.watcher.showing_problems
    # Not the pack's default language (en): a reload keeps the visitor's.
    built.localizer.set_locale("zh-CN")
    ids = [s.id for s in built.content.pack.deck.slides]
    built.navigator.go(ids.index("cities"))
    built.app.processEvents()
    assert "运河沿线四座城市" in _shown_texts(built)

    # A catalogue string changed on disk: the slide on screen says the new words.
    zh_file = pack / "i18n" / "zh-CN.json"
    zh = json.loads(zh_file.read_text(encoding="utf-8"))
    zh["deck"]["cities"]["title"] = "运河沿线四座城市（已修改）"
    _save(zh_file, zh, how)
    qtbot.waitUntil(lambda: "运河沿线四座城市（已修改）" in _shown_texts(built),
                    timeout=TIMEOUT_MS)
    assert _current_id(built) == "cities"

    # deck.json broken: the problems fill the window, naming the file and the path.
    deck_file = pack / "deck.json"
    deck = json.loads(deck_file.read_text(encoding="utf-8"))
    good_icon = deck["slides"][3]["cards"][0]["icon"]
    deck["slides"][3]["cards"][0]["icon"] = "no-such-icon"
    _save(deck_file, deck, how)
    view = built.watcher.view
    qtbot.waitUntil(lambda: view.isVisible() and any(
        "deck.json" in line and "slides[3].cards[0].icon" in line for line in view.lines),
        timeout=TIMEOUT_MS)
    assert view.geometry() == built.window.rect()
    assert view.grab().toImage() != built.window.stage.grab().toImage()

    # In the visitor's language: Chinese words around the path, English ones
    # once the language changes.
    assert "问题" in view.lines[0]
    built.localizer.set_locale("en")
    assert "problems" in view.lines[0]
    built.localizer.set_locale("zh-CN")

    # Fixed: the slides come back, on the slide that was shown.
    deck["slides"][3]["cards"][0]["icon"] = good_icon
    _save(deck_file, deck, how)
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=TIMEOUT_MS)
    assert _current_id(built) == "cities"
    assert built.localizer.locale == "zh-CN"
    assert Path(built.content.pack.root) == pack
    assert not built.window.notice.isVisible()


def test_json_that_does_not_parse_names_its_line(make_app, qtbot, pack):
    from taixin_kiosk.content.choice import choose

    built = make_app((1280, 800), choice=choose(pack), content=pack, watch=True)
    zh = pack / "i18n" / "zh-TW.json"
    zh.write_text(zh.read_text(encoding="utf-8").replace('"meta": {', '"meta": {,', 1),
                  encoding="utf-8")
    view = built.watcher.view
    qtbot.waitUntil(lambda: view.isVisible() and any(
        "i18n/zh-TW.json" in line for line in view.lines), timeout=TIMEOUT_MS)


def test_started_on_a_broken_pack_shows_its_problems_not_the_builtin_slides(
        make_app, qtbot, pack):
    from taixin_kiosk.content.choice import choose

    (pack / "deck.json").write_text("{", encoding="utf-8")
    choice = choose(pack)
    assert choice.problems
    built = make_app((1280, 800), choice=choice, content=pack, watch=True)
    view = built.watcher.view
    assert view.isVisible() and any("deck.json" in line for line in view.lines)
    assert view.geometry() == built.window.rect()
    shutil.copy(PACK / "deck.json", pack / "deck.json")
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=TIMEOUT_MS)
    assert built.content.pack.deck.id == "grand-canal-test"


def test_the_poll_catches_what_the_file_watcher_misses(make_app, qtbot, pack):
    """With the file watcher deaf (as after an editor's atomic replace on some
    file systems), the half-second comparison of the files still reloads."""
    from taixin_kiosk.content.choice import choose

    built = make_app((1280, 800), choice=choose(pack), content=pack, watch=True)
    built.watcher._watcher.blockSignals(True)
    en_file = pack / "i18n" / "en.json"
    en = json.loads(en_file.read_text(encoding="utf-8"))
    en["deck"]["cover"]["title"] = "The Grand Canal, polled"
    _save(en_file, en, "replace")
    qtbot.waitUntil(lambda: "The Grand Canal, polled" in _shown_texts(built), timeout=TIMEOUT_MS)


def test_watch_without_content_is_refused_in_plain_words():
    from test_cli import run

    refused = run("--watch", "--windowed", timeout=60,
                  env={"LANG": "en_US.UTF-8", "QT_QPA_PLATFORM": "offscreen"})
    assert refused.returncode == 2
    assert "--content" in refused.stderr
