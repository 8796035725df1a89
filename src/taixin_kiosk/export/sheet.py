"""Contact sheets: every slide of a pack on one picture per language and
size, as numbered thumbnails, to review a deck at a glance."""

from __future__ import annotations

import errno
import math
import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QImage, QPainter, QPen

from taixin_kiosk.core.session import Session
from taixin_kiosk.export.slides import Progress, render_current

# In sheet pixels: a thumbnail's long side, the space around and between
# thumbnails, the label line under each and the heading line over them all.
THUMB_LONG = 480
MARGIN = 40
GAP = 28
LABEL_H = 40
HEADING_H = 64
# The sheet's shape aimed at (a screen's), when choosing how many columns.
SHEET_ASPECT = 16 / 9

def sheet_file(out: Path, locale: str, size: tuple[int, int]) -> Path:
    return out / f"contact-{locale}-{size[0]}x{size[1]}.png"


def thumb_size(size: tuple[int, int]) -> tuple[int, int]:
    """A thumbnail of a ``size`` slide: its long side THUMB_LONG, its shape the slide's."""
    width, height = size
    scale = THUMB_LONG / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def grid(count: int, thumb: tuple[int, int]) -> tuple[int, int]:
    """Columns and rows for ``count`` thumbnails: a sheet near SHEET_ASPECT in
    shape (a portrait deck gets more columns) with few empty cells, a last
    row with one slide in it being as bad as a sheet far off the shape."""
    count = max(1, count)

    def cost(cols: int) -> float:
        rows = math.ceil(count / cols)
        w, h = sheet_pixels(cols, rows, thumb)
        return abs(math.log(w / h / SHEET_ASPECT)) + (cols * rows - count) / count

    cols = min(range(1, count + 1), key=cost)
    return cols, math.ceil(count / cols)


def sheet_pixels(cols: int, rows: int, thumb: tuple[int, int]) -> tuple[int, int]:
    tw, th = thumb
    return (2 * MARGIN + cols * tw + (cols - 1) * GAP,
            2 * MARGIN + HEADING_H + rows * (th + LABEL_H) + (rows - 1) * GAP)


def cell_rects(count: int, size: tuple[int, int], cells: int | None = None) -> list[QRectF]:
    """Where each slide's thumbnail goes on the sheet of ``count`` slides, in
    slide order; ``cells``: that many places of its grid (the empty ones too)."""
    thumb = thumb_size(size)
    cols, _ = grid(count, thumb)
    tw, th = thumb
    return [QRectF(MARGIN + (i % cols) * (tw + GAP),
                   MARGIN + HEADING_H + (i // cols) * (th + LABEL_H + GAP), tw, th)
            for i in range(count if cells is None else cells)]


def contact_sheets(session: Session, out: Path, locales: Sequence[str],
                   size: tuple[int, int], *, chrome: bool = False,
                   progress: Progress | None = None) -> list[Path]:
    """Writes ``out/contact-<locale>-<W>x<H>.png`` for each locale: every
    slide, drawn at ``size`` as it is exported, scaled down into a grid with
    its number and id under it (with ``chrome``, the window with its
    controls); returns the files. Its heading and labels are the app's own
    words (a review tool's, like the command line's) in the sheet's language."""
    from taixin_kiosk.ui.look import look_of
    from taixin_kiosk.ui.theme import base_font

    audience = session.audience
    assert audience is not None, "contact sheets render the audience window"
    audience.lay_out_offscreen(*size, chrome=chrome)
    slides = session.content.pack.deck.slides
    rects = cell_rects(len(slides), size)
    thumb = thumb_size(size)
    cols, rows = grid(len(slides), thumb)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    total = len(slides) * len(locales)
    done = 0
    loc = session.localizer
    for locale in locales:
        loc.set_locale(locale)
        palette = look_of(audience.widget()).palette
        sheet = QImage(*sheet_pixels(cols, rows, thumb), QImage.Format.Format_RGB32)
        sheet.fill(palette.control_bar)
        painter = QPainter(sheet)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        family = audience.font_family()
        path = sheet_file(out, locale, size)
        try:
            painter.setPen(palette.text)
            painter.setFont(base_font(family, 30, bold=True, locale=locale))
            painter.drawText(QRectF(MARGIN, MARGIN, sheet.width() - 2 * MARGIN, HEADING_H - 16),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             loc.own_text("cli.export.sheet_title", locale,
                                          title=loc.text(session.content.pack.deck.title),
                                          language=loc.text("meta.language_name"),
                                          width=size[0], height=size[1], count=len(slides)))
            label_font = base_font(family, 22, locale=locale)
            metrics = QFontMetricsF(label_font)
            for index, slide in enumerate(slides):
                session.navigator.go(index)
                picture = render_current(session, chrome=chrome).scaled(
                    thumb[0], thumb[1], Qt.AspectRatioMode.IgnoreAspectRatio,
                    Qt.TransformationMode.SmoothTransformation)
                box = rects[index]
                painter.drawImage(box.topLeft(), picture)
                painter.setPen(QPen(palette.panel_edge, 1))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(box.adjusted(-0.5, -0.5, 0.5, 0.5))
                label = loc.own_text("cli.export.sheet_cell", locale,
                                     number=f"{index + 1:02d}", id=slide.id)
                painter.setPen(palette.text_muted)
                painter.setFont(label_font)
                painter.drawText(QRectF(box.left(), box.bottom() + 4, box.width(), LABEL_H - 4),
                                 int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                                 metrics.elidedText(label, Qt.TextElideMode.ElideRight,
                                                    box.width()))
                done += 1
                if progress:
                    progress(done, total, path)
        finally:
            painter.end()
        if not sheet.save(str(path)):
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(path))
        written.append(path)
    return written
