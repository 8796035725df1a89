"""Renders every slide, as the app shows it, to PNG files and PDF documents."""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from taixin_kiosk.core.session import Audience, Session

log = logging.getLogger("taixin_kiosk.export")

Progress = Callable[[int, int, Path], None]


def _audience(session: Session) -> Audience:
    assert session.audience is not None, "export renders the audience window"
    return session.audience


def render_current(session: Session, *, chrome: bool = False) -> QImage:
    """The slide as it is now (with ``chrome``, the whole window: the slide
    and its controls), at one image pixel per window pixel."""
    audience = _audience(session)
    audience.finish_slide()
    size = audience.widget().size() if chrome else audience.slide_size()
    image = QImage(size, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    audience.paint_into(painter, slides_only=not chrome)
    painter.end()
    return image


def slide_file(out: Path, locale: str, index: int, slide_id: str) -> Path:
    return out / locale / f"{index + 1:02d}-{slide_id}.png"


def export(session: Session, out: Path, locales: Sequence[str], size: tuple[int, int], *,
           pdf: bool = False, png: bool = True, chrome: bool = False,
           progress: Progress | None = None) -> list[Path]:
    """Writes ``out/<locale>/NN-<id>.png`` (unless not ``png``) and, with
    ``pdf``, ``out/<locale>.pdf``; returns the files. The slides fill the
    pictures and pages; with ``chrome`` the window's controls are drawn below
    them, as on the touch screen."""
    width, height = size
    audience = _audience(session)
    audience.lay_out_offscreen(width, height, chrome=chrome)
    slides = session.content.pack.deck.slides
    total = len(slides) * len(locales)
    written: list[Path] = []
    done = 0
    for locale in locales:
        session.localizer.set_locale(locale)
        (out / locale if png else out).mkdir(parents=True, exist_ok=True)
        writer = painter = None
        if pdf:
            writer = QPdfWriter(str(out / f"{locale}.pdf"))
            writer.setResolution(96)
            writer.setPageLayout(QPageLayout(
                QPageSize(QSizeF(width * 0.75, height * 0.75), QPageSize.Unit.Point),
                QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
            writer.setTitle(session.localizer.text(session.content.pack.deck.title))
            painter = QPainter(writer)
        try:
            for index, slide in enumerate(slides):
                session.navigator.go(index)
                path = slide_file(out, locale, index, slide.id)
                if png:
                    image = render_current(session, chrome=chrome)
                    if not image.save(str(path)):
                        raise OSError(errno.EIO, os.strerror(errno.EIO), str(path))
                    written.append(path)
                else:
                    audience.finish_slide()
                    path = out / f"{locale}.pdf"
                if writer is not None and painter is not None:
                    if index:
                        writer.newPage()
                    # Vector rendering: slide text stays real text in the PDF.
                    scale = writer.width() / width
                    painter.save()
                    painter.scale(scale, scale)
                    audience.paint_into(painter, slides_only=not chrome)
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


# -- handouts: slides with their speaker notes ----------------------------------------

HANDOUT_MARGIN = 48.0


def _page_writer(path: Path, title: str, landscape: bool) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(96)
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0)))
    writer.setTitle(title)
    return writer


def _handout_column(session: Session, painter: QPainter, box: QRectF, index: int) -> None:
    """One slide (vector, so its words stay text) over its speaker notes, in
    the language being exported."""
    from taixin_kiosk.ui.look import look_for
    from taixin_kiosk.ui.theme import base_font

    # The slide alone: on paper the control bar has nothing to do.
    audience = _audience(session)
    slide_size = audience.slide_size()
    scale = box.width() / slide_size.width()
    painter.save()
    painter.translate(box.topLeft())
    painter.scale(scale, scale)
    audience.paint_into(painter, slides_only=True)
    painter.restore()
    top = box.top() + slide_size.height() * scale + 24
    loc = session.localizer
    slide = session.content.pack.deck.slides[index]
    family = audience.font_family()
    painter.setPen(look_for(session.access.current).palette.background_top)
    painter.setFont(base_font(family, 15, bold=True, locale=loc.locale))
    heading = QRectF(box.left(), top, box.width(), 28)
    painter.drawText(heading, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                     loc.app_text("export.notes.heading"))
    painter.setFont(base_font(family, 13, locale=loc.locale))
    notes = QRectF(box.left(), top + 36, box.width(), box.bottom() - top - 36)
    painter.drawText(notes, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                                | Qt.TextFlag.TextWordWrap), loc.text(slide.notes))


def _handout_footer(session: Session, painter: QPainter, page: QRectF, number: int,
                    total: int) -> None:
    from taixin_kiosk.ui.theme import base_font

    loc = session.localizer
    painter.setPen(Qt.GlobalColor.darkGray)
    painter.setFont(base_font(_audience(session).font_family(), 11, locale=loc.locale))
    line = QRectF(HANDOUT_MARGIN, page.height() - HANDOUT_MARGIN * 0.8,
                  page.width() - 2 * HANDOUT_MARGIN, 20)
    painter.drawText(line, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                     loc.text(session.content.pack.deck.title))
    painter.drawText(line, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                     loc.app_text("export.notes.page", number=number, total=total))


def export_handouts(session: Session, out: Path, locales: Sequence[str], size: tuple[int, int],
                    *, side_by_side: bool = False,
                    progress: Progress | None = None) -> list[Path]:
    """A4 handouts: ``out/<locale>-notes.pdf`` per language, one slide and its
    notes per page; with ``side_by_side`` one ``out/side-by-side.pdf`` whose
    pages show the first two languages on facing halves."""
    audience = _audience(session)
    audience.lay_out_offscreen(*size, chrome=False)
    slides = session.content.pack.deck.slides
    out.mkdir(parents=True, exist_ok=True)
    groups = [list(locales[:2])] if side_by_side else [[locale] for locale in locales]
    written: list[Path] = []
    total = len(slides) * len(groups)
    done = 0
    for group in groups:
        path = out / ("side-by-side.pdf" if side_by_side else f"{group[0]}-notes.pdf")
        session.localizer.set_locale(group[0])
        writer = _page_writer(path, session.localizer.text(session.content.pack.deck.title),
                              landscape=side_by_side)
        painter = QPainter(writer)
        try:
            page = QRectF(0, 0, writer.width(), writer.height())
            columns = len(group)
            gap = HANDOUT_MARGIN
            width = (page.width() - 2 * HANDOUT_MARGIN - gap * (columns - 1)) / columns
            for index in range(len(slides)):
                if index:
                    writer.newPage()
                session.navigator.go(index)
                for column, locale in enumerate(group):
                    session.localizer.set_locale(locale)
                    audience.finish_slide()
                    box = QRectF(HANDOUT_MARGIN + column * (width + gap), HANDOUT_MARGIN,
                                 width, page.height() - 2.6 * HANDOUT_MARGIN)
                    _handout_column(session, painter, box, index)
                session.localizer.set_locale(group[0])
                _handout_footer(session, painter, page, index + 1, len(slides))
                done += 1
                if progress:
                    progress(done, total, path)
        finally:
            painter.end()
        written.append(path)
    return written
