"""Start-up behaviour: fallback content with a notice, lazy chart loading."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT


def test_invalid_pack_falls_back_with_notice(make_app, tmp_path):
    from taixin_kiosk.content.choice import choose

    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "assets", pack, ignore=shutil.ignore_patterns("fonts"))
    shutil.copytree(ROOT / "i18n", pack / "i18n")
    deck = json.loads((pack / "deck.json").read_text(encoding="utf-8"))
    deck["slides"][2]["cards"][0]["icon"] = "unicorn"
    (pack / "deck.json").write_text(json.dumps(deck), encoding="utf-8")

    choice = choose(pack)
    assert choice.problems and choice.pack.builtin
    built = make_app(choice=choice)
    notice = built.window.notice
    assert notice.isVisible()
    assert str(pack) in notice.text
    assert "slides[2].cards[0].icon" in notice.text
    # The built-in slides are on screen, not a blank page.
    view = built.window.stage.current_view
    assert view.isVisible() and view.layout_items.texts
    zh_text = notice.text
    built.localizer.set_locale("en")
    assert notice.text != zh_text and str(pack) in notice.text
    # A tap dismisses it and gives the space back to the slide.
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.mouseClick(notice, Qt.MouseButton.LeftButton)
    assert not notice.isVisible()


def test_missing_image_at_run_time_never_blanks(make_app, builtin_choice, tmp_path):
    """A pack whose image vanished after validation still shows its text."""
    from taixin_kiosk.content.deck import ContentPack

    base = builtin_choice.pack
    slides = list(base.deck.slides)
    slides[0] = slides[0]._replace(image=tmp_path / "gone.png")
    pack = ContentPack(base.root, base.deck._replace(slides=tuple(slides)), base.catalogues,
                       builtin=base.builtin, locales=base.locales, sources=base.sources)
    built = make_app(choice=builtin_choice._replace(pack=pack))
    view = built.window.stage.current_view
    image = view.grab().toImage()
    assert view.layout_items.texts
    assert image.pixelColor(10, 10).isValid()


@pytest.mark.parametrize(("deck", "loaded"), [
    # The built-in deck's charts are figures, hero shares and a timeline,
    # drawn without pyqtgraph: it never loads (about 49 MB with numpy).
    ("builtin", False),
    # The test pack has bars, lines and shares of several parts: pyqtgraph
    # loads for them, after the first slide is on screen.
    ("grand-canal", True),
])
def test_pyqtgraph_loads_after_first_slide_and_only_for_charts_that_need_it(deck, loaded):
    from decks import deck_dir

    content = "None" if deck == "builtin" else repr(str(deck_dir(deck)))
    code = (
        "import os, sys; os.environ['QT_QPA_PLATFORM']='offscreen'\n"
        "from pathlib import Path\n"
        "from taixin_kiosk.app.root import build, ensure_app\n"
        "from taixin_kiosk.content.choice import choose\n"
        "from taixin_kiosk.config.settings import Settings\n"
        "app = ensure_app()\n"
        f"content = {content}\n"
        "k = build(Settings(windowed=True), choose(content and Path(content)), app)\n"
        "k.window.show(); app.processEvents()\n"
        "print('pyqtgraph' in sys.modules, 'numpy' in sys.modules)\n"
        "k.window.stage.prebuild()\n"
        "while k.window.stage._prebuild_queue: app.processEvents()\n"
        "built = k.window.chart_count()\n"
        "print(built == sum(s.chart is not None for s in k.content.pack.deck.slides))\n"
        "print('pyqtgraph' in sys.modules, 'numpy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    # Before the first slide: neither; after every chart is built: both
    # only where a chart needs them.
    assert out.stdout.split() == ["False", "False", "True", str(loaded), str(loaded)]


def test_model_layer_imports_no_qt():
    code = ("import sys, taixin_kiosk.content.loader, taixin_kiosk.content.choice;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'pyqtgraph', 'PIL', 'numpy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_show_windowed_and_on_a_missing_screen(make_app, qtbot, caplog):
    from taixin_kiosk.app.startup import put_on_screen

    built = make_app(screen=7)
    put_on_screen(built)
    qtbot.waitExposed(built.window)
    assert built.window.size().width() == 1280 and built.window.size().height() == 720
    assert not built.window.isFullScreen()
    assert "no screen 7" in caplog.text


def test_full_screen_by_default(make_app, qtbot):
    from taixin_kiosk.app.startup import put_on_screen

    built = make_app(windowed=False)
    put_on_screen(built)
    qtbot.waitUntil(built.window.isFullScreen)
    assert built.window.windowTitle() == built.localizer.text("ui.window.title")


def test_window_gets_the_app_icon_once_the_first_slide_is_up(built):
    from PySide6.QtWidgets import QApplication

    # Set just after the first frame (it is not needed for that frame).
    icon = QApplication.windowIcon()
    assert not icon.isNull()
    assert built.window.windowIcon().cacheKey() == icon.cacheKey()


def test_start_up_decodes_the_pictures_after_the_first_frame(qtbot, builtin_choice):
    from taixin_kiosk.app.root import build
    from taixin_kiosk.config.settings import Settings
    from taixin_kiosk.ui.layout.items import ImageItem

    # As app.startup.run builds it: the cover's illustration is not decoded
    # while the first frame is made, and the first paint does not decode it
    # itself either; it arrives once that frame is on screen.
    built = build(Settings(windowed=True, motion=False), builtin_choice,
                  pictures_after_first=True)
    qtbot.addWidget(built.window)
    window = built.window
    images = window.stage.images
    view = window.stage.current_view
    cover = next(i.path for i in view.layout_items.decor if isinstance(i, ImageItem))
    assert images.busy
    # Decoding it takes about 0.1 s here: were it under way, it would be done.
    qtbot.wait(500)
    assert images.get(cover) is None
    at_first_paint: list[bool] = []
    view.painted.connect(lambda _: at_first_paint.append(images.get(cover) is None))
    window.resize(1280, 720)
    window.show()
    qtbot.waitUntil(lambda: built.input_bound)
    assert at_first_paint[0], "the first frame waited for the picture"
    qtbot.waitUntil(lambda: not images.busy, timeout=10000)
    assert images.get(cover) is not None
    # The slide shows it without being asked: painted again once it arrived.
    qtbot.waitUntil(lambda: len(at_first_paint) > 1 and not at_first_paint[-1], timeout=10000)
    built.unbind_input()


def test_the_collector_is_off_for_start_up_and_back_on_after(built):
    import gc

    from taixin_kiosk.system.collector import after_start, prepare

    try:
        prepare()
        assert not gc.isenabled()
        built.after_first.append(after_start)
        built.after_first_frame()  # what the first frame runs (input is bound already)
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_commands_run_with_the_collector_on():
    # `validate` through the real launcher: no first slide, so no reason to
    # keep the collector off (export renders many slides).
    out = subprocess.run(
        [sys.executable, "-c",
         "import gc, sys; from taixin_kiosk.launch import main; sys.argv[1:] = ['validate'];"
         " code = main(); print('gc-on' if gc.isenabled() else 'gc-off'); sys.exit(code)"],
        capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("gc-on")
