"""Screenshots of the whole audience window (controls included), for looking at.

    QT_QPA_PLATFORM=offscreen python tools/window_shots.py OUT_DIR
        [--size 1920x1080 ...] [--lang en ...] [--slides 0,5,9]
        [--large-text] [--contrast] [--reach on|off|auto] [--access-bar] [--overview]
        [--focus OBJECTNAME]

``taixin-kiosk export`` renders slides only; this shows what a visitor sees:
the slide, the accessibility strip and the control bar, in a given state.
``--focus`` gives keyboard focus to the widget of that object name (a
control such as ``control-next``, a map area ``area-dayu``, a chart mark
``mark-2``, a thumbnail ``thumbnail-3``), to see its focus ring.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from taixin_kiosk.app.root import build, ensure_app
from taixin_kiosk.config.settings import Settings
from taixin_kiosk.content.choice import choose
from taixin_kiosk.core.actions import Action


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", action="append", default=[])
    parser.add_argument("--lang", action="append", default=[])
    parser.add_argument("--slides", default="")
    parser.add_argument("--large-text", action="store_true")
    parser.add_argument("--contrast", action="store_true")
    parser.add_argument("--reach", choices=("auto", "on", "off"), default="auto")
    parser.add_argument("--access-bar", action="store_true")
    parser.add_argument("--overview", action="store_true")
    parser.add_argument("--focus", default="")
    args = parser.parse_args(argv)
    app = ensure_app()
    choice = choose(None)
    pack = choice.pack
    sizes = args.size or ["1920x1080"]
    langs = args.lang or list(pack.locales)
    args.out.mkdir(parents=True, exist_ok=True)
    count = len(pack.deck.slides)
    slides = [int(s) for s in args.slides.split(",") if s] or list(range(count))
    for lang in langs:
        settings = Settings(windowed=True, motion=False, locale=lang,
                            large_text=args.large_text,
                            contrast="high" if args.contrast else "standard",
                            low_reach=args.reach)
        built = build(settings, choice, app, preload_images=False)
        window = built.window
        window.show()
        if args.access_bar:
            built.actions.trigger(Action.ACCESS)
        for size in sizes:
            w, h = (int(n) for n in size.split("x"))
            window.resize(w, h)
            for index in slides:
                built.navigator.go(index)
                if args.overview:
                    built.actions.trigger(Action.OVERVIEW)
                for _ in range(3):
                    QApplication.processEvents()
                while built.window.stage.images.busy:
                    QApplication.processEvents()
                if args.focus:
                    _focus(window, args.focus)
                name = f"{lang}-{size}-{index + 1:02d}.png"
                window.grab().save(str(args.out / name))
                if args.overview:
                    built.actions.trigger(Action.OVERVIEW)
        window.close()
        window.deleteLater()
        QApplication.processEvents()
    print(f"wrote {len(langs) * len(sizes) * len(slides)} pictures to {args.out}")
    return 0


def _focus(window: QWidget, name: str) -> None:
    """Focus as Tab gives it (the proxies over a slide are placed a turn later)."""
    window.activateWindow()
    for _ in range(3):
        QApplication.processEvents()
    target = window.findChild(QWidget, name)
    if target is None or not target.isVisible():
        print(f"no visible widget named {name}", file=sys.stderr)
        return
    target.setFocus(Qt.FocusReason.TabFocusReason)
    for _ in range(3):
        QApplication.processEvents()


if __name__ == "__main__":
    sys.exit(main())
