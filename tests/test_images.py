"""The image cache: background decoding at the size the screen needs."""

from __future__ import annotations

from PySide6.QtCore import QSize

from conftest import ROOT

COVER = str(ROOT / "assets" / "images" / "cover.png")


def test_preload_decodes_in_the_background(qtbot):
    from taixin_kiosk.views.slide_view import ImageCache

    cache = ImageCache()
    with qtbot.waitSignal(cache.loaded, timeout=5000) as blocker:
        cache.preload([COVER], QSize(1200, 800))
    assert blocker.args == [COVER]
    pixmap = cache.get(COVER)
    assert pixmap is not None
    # Scaled to cover 1200x800, not kept at the file's 2400x1600.
    assert (pixmap.width(), pixmap.height()) == (1200, 800)


def test_broken_image_gives_none_once(tmp_path, qtbot):
    from taixin_kiosk.views.slide_view import ImageCache

    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    cache = ImageCache()
    assert cache.get(str(broken)) is None
    assert cache.get(str(broken)) is None
