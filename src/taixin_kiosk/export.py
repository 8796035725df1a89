"""Renders every slide, as the app shows it, to PNG files and PDF documents."""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPoint, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QApplication

from taixin_kiosk.app import Kiosk

log = logging.getLogger("taixin_kiosk.export")

Progress = Callable[[int, int, Path], None]


def prepare(kiosk: Kiosk, width: int, height: int) -> None:
    """Lays the window out at ``width`` x ``height`` without putting it on a screen."""
    window = kiosk.window
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.setFixedSize(width, height)
    window.show()
    QApplication.processEvents()


def render_current(kiosk: Kiosk) -> QImage:
    """The window exactly as it is now, at one image pixel per window pixel."""
    kiosk.window.stage.current_view.ensure_chart()
    QApplication.processEvents()
    window = kiosk.window
    image = QImage(window.size(), QImage.Format.Format_RGB32)
    painter = QPainter(image)
    window.render(painter, QPoint(0, 0))
    painter.end()
    return image


def slide_file(out: Path, locale: str, index: int, slide_id: str) -> Path:
    return out / locale / f"{index + 1:02d}-{slide_id}.png"


def export(kiosk: Kiosk, out: Path, locales: Sequence[str], size: tuple[int, int], *,
           pdf: bool = False, progress: Progress | None = None) -> list[Path]:
    """Writes ``out/<locale>/NN-<id>.png`` (and ``out/<locale>.pdf``); returns the files."""
    width, height = size
    prepare(kiosk, width, height)
    slides = kiosk.content.pack.deck.slides
    total = len(slides) * len(locales)
    written: list[Path] = []
    done = 0
    for locale in locales:
        kiosk.localizer.set_locale(locale)
        (out / locale).mkdir(parents=True, exist_ok=True)
        writer = painter = None
        if pdf:
            writer = QPdfWriter(str(out / f"{locale}.pdf"))
            writer.setResolution(96)
            writer.setPageLayout(QPageLayout(
                QPageSize(QSizeF(width * 0.75, height * 0.75), QPageSize.Unit.Point),
                QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
            writer.setTitle(kiosk.localizer.text(kiosk.content.pack.deck.title))
            painter = QPainter(writer)
        try:
            for index, slide in enumerate(slides):
                kiosk.navigator.go(index)
                image = render_current(kiosk)
                path = slide_file(out, locale, index, slide.id)
                if not image.save(str(path)):
                    raise OSError(errno.EIO, os.strerror(errno.EIO), str(path))
                written.append(path)
                if writer is not None and painter is not None:
                    if index:
                        writer.newPage()
                    # Vector rendering: slide text stays real text in the PDF.
                    scale = writer.width() / width
                    painter.save()
                    painter.scale(scale, scale)
                    kiosk.window.render(painter, QPoint(0, 0))
                    painter.restore()
                done += 1
                if progress:
                    progress(done, total, path)
        finally:
            if painter is not None:
                painter.end()
        if painter is not None:
            written.append(out / f"{locale}.pdf")
    return written
