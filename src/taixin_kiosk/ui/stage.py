"""The stage: the current slide, the slide transition and the overview grid."""

from __future__ import annotations

import linecache
import logging
import math
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QPoint,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QWidget

from taixin_kiosk.content.deck import ContentPack
from taixin_kiosk.core.language import Localizer
from taixin_kiosk.core.modes import Mode, ModeManager
from taixin_kiosk.core.navigator import Navigator
from taixin_kiosk.ui.ahead import DrawAhead
from taixin_kiosk.ui.images import ImageCache
from taixin_kiosk.ui.look import DEFAULT_LOOK, Look
from taixin_kiosk.ui.slide_view import SlideView, paint_background

if TYPE_CHECKING:
    from PySide6.QtCore import QVariantAnimation

log = logging.getLogger("taixin_kiosk.ui")


class TransitionOverlay(QWidget):
    """The previous slide's picture, fading and sliding out over the new one.

    It is transparent for input: the new slide is live underneath from the
    first frame, so a transition never swallows a tap, a key or a swipe.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self._pixmap = QPixmap()
        self._direction = 1
        self._progress = 1.0
        # Made at the first transition: the animation classes stay off the
        # start-up path, and a session without motion never makes one.
        self._anim: QVariantAnimation | None = None
        self.hide()

    @property
    def running(self) -> bool:
        return self._anim is not None and self._anim.state() == self._anim.State.Running

    @property
    def duration_ms(self) -> int:
        """The length of the running (or last) transition; 0 before the first."""
        return self._anim.duration() if self._anim is not None else 0

    def _animation(self) -> QVariantAnimation:
        if self._anim is None:
            from PySide6.QtCore import QEasingCurve, QVariantAnimation

            self._anim = QVariantAnimation(self)
            self._anim.setStartValue(0.0)
            self._anim.setEndValue(1.0)
            self._anim.setEasingCurve(QEasingCurve.Type.OutCubic)
            self._anim.valueChanged.connect(self._on_anim_value_changed)
            self._anim.finished.connect(self.finish)
        return self._anim

    def start(self, pixmap: QPixmap, direction: int, duration_ms: int) -> None:
        anim = self._animation()
        anim.stop()
        self._pixmap = pixmap
        self._direction = direction
        self._progress = 0.0
        anim.setDuration(duration_ms)
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        anim.start()

    def finish(self) -> None:
        if self._anim is not None:
            self._anim.stop()
        self.hide()
        # A screen-sized picture: not kept between transitions.
        self._pixmap = QPixmap()

    def _on_anim_value_changed(self, value: object) -> None:
        self._progress = float(value)  # type: ignore[arg-type]
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._pixmap.isNull():
            return
        p = QPainter(self)
        p.setOpacity(1.0 - self._progress)
        shift = -self._direction * self.width() * 0.08 * self._progress
        p.drawPixmap(QPointF(shift, 0), self._pixmap)
        p.end()


# With low reach, the share of the stage (at its bottom) that holds what is
# touched: with the control bar below it, all of it in the screen's lower half,
# within a seated visitor's reach on a tall totem.
LOW_REACH_SHARE = 0.4


# One paint of the overview renders thumbnails for at most this long; the
# rest follow in the next paints. With large text a slide can take tens of
# milliseconds to lay out: nineteen at once froze the screen for most of a second.
THUMB_BUDGET_S = 0.03


class OverviewView(QWidget):
    """A grid of slide thumbnails; a tap (or Enter) jumps to one."""

    chosen = Signal(int)

    def __init__(self, stage: Stage) -> None:
        super().__init__(stage)
        self._stage = stage
        self.selection = 0
        self._thumbs: dict[int, QImage] = {}
        # Low reach's large picture of the selected slide: (index, size, picture).
        self._preview: tuple[int, QSize, QImage] | None = None
        self.hide()

    @property
    def look(self) -> Look:
        """The stage's: the thumbnails are its slides."""
        return self._stage.look

    def grid(self) -> tuple[int, int]:
        # Thumbnails keep the stage's aspect, so a square-ish grid fills it best.
        n = self._stage.count
        if self.look.low_reach:
            # A wide, low strip: the column count that gives the largest thumbnails.
            return max(((c, math.ceil(n / c)) for c in range(1, n + 1)),
                       key=lambda grid: self._thumb_width(*grid))
        cols = max(1, math.ceil(math.sqrt(n)))
        return cols, math.ceil(n / cols)

    def _cells(self, cols: int, rows: int) -> tuple[QRectF, float, float, float, float, float]:
        """The grid area, margin, gap, cell width and height, and the
        thumbnail width (the stage's aspect kept) for ``cols`` x ``rows``."""
        area = self.grid_area()
        margin = min(self.width(), self.height()) * 0.04
        gap = margin * 0.5
        cw = (area.width() - 2 * margin - gap * (cols - 1)) / cols
        ch = (area.height() - 2 * margin - gap * (rows - 1)) / rows
        ratio = self._stage.width() / max(1, self._stage.height())
        return area, margin, gap, cw, ch, min(cw, ch * ratio)

    def _thumb_width(self, cols: int, rows: int) -> float:
        return self._cells(cols, rows)[-1]

    def grid_area(self) -> QRectF:
        """Where the thumbnails are: the whole stage, or with low reach its
        lower part (the selected slide is shown large above it)."""
        if self.look.low_reach:
            top = self.height() * (1.0 - LOW_REACH_SHARE)
            return QRectF(0, top, self.width(), self.height() - top)
        return QRectF(self.rect())

    def preview_rect(self) -> QRectF | None:
        """With low reach: the selected slide, large, above the thumbnails."""
        if not self.look.low_reach:
            return None
        area = QRectF(0, 0, self.width(), self.height() * (1.0 - LOW_REACH_SHARE))
        margin = min(self.width(), self.height()) * 0.04
        ratio = self._stage.width() / max(1, self._stage.height())
        h = area.height() - 2 * margin
        w = min(area.width() - 2 * margin, h * ratio)
        h = w / ratio
        return QRectF(area.center().x() - w / 2, area.center().y() - h / 2, w, h)

    def cell_rects(self) -> list[QRectF]:
        cols, rows = self.grid()
        area, margin, gap, cw, ch, tw = self._cells(cols, rows)
        th = tw * self._stage.height() / max(1, self._stage.width())
        out = []
        for i in range(self._stage.count):
            r, c = divmod(i, cols)
            x = area.left() + margin + c * (cw + gap) + (cw - tw) / 2
            y = area.top() + margin + r * (ch + gap) + (ch - th) / 2
            out.append(QRectF(x, y, tw, th))
        return out

    def invalidate(self) -> None:
        self._thumbs.clear()
        self._preview = None
        self.update()

    def move_selection(self, dx: int, dy: int) -> None:
        cols, _ = self.grid()
        target = self.selection + dx + dy * cols
        if 0 <= target < self._stage.count:
            self.selection = target
            self.update()

    def index_at(self, pos: QPointF) -> int | None:
        for i, rect in enumerate(self.cell_rects()):
            if rect.contains(pos):
                return i
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        palette = self.look.palette
        paint_background(p, QRectF(self.rect()), palette)
        started = time.perf_counter()
        preview = self.preview_rect()
        if preview is not None and 0 <= self.selection < self._stage.count:
            size = preview.size().toSize()
            if self._preview is None or self._preview[:2] != (self.selection, size):
                self._preview = (self.selection, size,
                                 self._stage.thumbnail(self.selection, size))
            p.drawImage(preview, self._preview[2])
            p.setPen(QPen(palette.panel_edge, max(2.0, preview.width() * 0.004)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(preview)
        pending, made = False, 0
        for i, rect in enumerate(self.cell_rects()):
            thumb = self._thumbs.get(i)
            # At least one a paint, so the grid always fills in.
            if thumb is None and (not made or time.perf_counter() - started < THUMB_BUDGET_S):
                thumb = self._stage.thumbnail(i, rect.size().toSize())
                self._thumbs[i] = thumb
                made += 1
            if thumb is None:
                # Its number shows on a plain panel until the next paint draws it.
                pending = True
                p.fillRect(rect, palette.panel)
            else:
                p.drawImage(rect, thumb)
            current = i == self._stage.current_index
            selected = i == self.selection
            if current or selected:
                pen = QPen(palette.accent if selected else palette.text,
                           max(3.0, rect.width() * 0.012))
                p.setPen(pen)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(rect)
            # Bottom-right: the corner that slide text reaches least often.
            bh = min(rect.width(), rect.height()) * 0.16
            bw = bh * 1.4
            badge = QRectF(rect.right() - bw, rect.bottom() - bh, bw, bh)
            p.fillRect(badge, palette.accent if selected else palette.control_bar)
            font = p.font()
            font.setPixelSize(max(10, round(badge.height() * 0.62)))
            font.setBold(True)
            p.setFont(font)
            p.setPen(palette.background_top if selected else palette.text)
            p.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), str(i + 1))
        p.end()
        if pending:
            QTimer.singleShot(0, self, self.update)


class Stage(QWidget):
    """Owns the slide views (built lazily, kept) and shows the current one."""

    # A tap changed what the current slide shows (a chart value, a map area).
    tapped = Signal()
    # The stage's width over its height, after a resize.
    resized = Signal(float)
    # A picture finished decoding (its path).
    pictures_loaded = Signal(str)

    def __init__(self, pack: ContentPack, localizer: Localizer, family: str,
                 images: ImageCache | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setObjectName("stage")
        self._loc = localizer
        self._family = family
        self.images = images or ImageCache()
        self.images.setParent(self)
        self.images.loaded.connect(self.pictures_loaded)
        self._navigator: Navigator | None = None
        self.transition_ms = 220
        # Theme, large text, low reach (the overview's thumbnails in the
        # lower part of the stage) and motion: see restyle.
        self.look = DEFAULT_LOOK
        self._pack = pack
        self._views: dict[int, SlideView] = {}
        self.current_index = 0
        self.overlay = TransitionOverlay(self)
        self.overview = OverviewView(self)
        self._prebuild_queue: list[int] = []
        self._prebuilt = False
        self._prebuild_timer = QTimer(self)
        self._prebuild_timer.setInterval(0)
        self._prebuild_timer.timeout.connect(self._on_prebuild_timer_timeout)
        # The next slide in the direction of travel, drawn ahead in idle time
        # so a switch shows a ready picture (ui.ahead).
        self.ahead = DrawAhead(self)
        self.pictures_loaded.connect(self.ahead.on_pictures_loaded)
        self._name()
        # The language, and the other language under the text (subtitles).
        localizer.language_changed.connect(self.retranslate)
        localizer.subtitles_changed.connect(self.retranslate)

    # -- content ------------------------------------------------------------

    @property
    def family(self) -> str:
        """The font family slides are set in."""
        return self._family

    @property
    def count(self) -> int:
        return len(self._pack.deck.slides)

    @property
    def pack(self) -> ContentPack:
        return self._pack

    def follow(self, navigator: Navigator, modes: ModeManager) -> None:
        """Shows the navigator's slide and the overview as the modes say."""
        self._navigator = navigator
        navigator.slide_changed.connect(self.show_slide)
        modes.entered.connect(self._on_mode_entered)
        modes.left.connect(self._on_mode_left)

    def _on_mode_entered(self, mode: Mode) -> None:
        if mode is Mode.OVERVIEW:
            if self._navigator is not None:
                self.overview.selection = self._navigator.index
            self.overview.setGeometry(self.rect())
            self.overview.show()
            self.overview.raise_()

    def _on_mode_left(self, mode: Mode) -> None:
        if mode is Mode.OVERVIEW:
            self.overview.hide()

    def set_pack(self, pack: ContentPack) -> None:
        """Drops every slide of the old pack (and its pictures) for ``pack``."""
        for view in self._views.values():
            view.hide()
            view.deleteLater()
        self._views.clear()
        self._pack = pack
        self.images.deleteLater()
        self.images = ImageCache(self)
        self.images.loaded.connect(self.pictures_loaded)
        self.current_index = 0
        self._prebuilt = False
        self._prebuild_queue = []
        self.ahead.drop()
        self.overview.invalidate()

    def view(self, index: int) -> SlideView:
        view = self._views.get(index)
        if view is None:
            view = SlideView(self._pack.deck.slides[index], index, self._loc, self._family,
                             self.images, self, look=self.look)
            view.setGeometry(self.rect())
            view.retranslate()
            view.hide()
            view.painted.connect(self.ahead.on_painted)
            self._views[index] = view
            self.overlay.raise_()
            self.overview.raise_()
        return view

    def built(self, index: int) -> SlideView | None:
        """Slide ``index``'s view if it was built."""
        return self._views.get(index)

    def built_views(self) -> list[SlideView]:
        return list(self._views.values())

    @property
    def current_view(self) -> SlideView:
        return self.view(self.current_index)

    def show_slide(self, old: int, new: int) -> None:
        """Shows ``new``; animates from ``old`` when motion is on."""
        previous = self._views.get(old)
        incoming = self.view(new)
        if incoming.stale:
            incoming.refresh()
        incoming.ensure_chart()
        animate = self.look.motion and previous is not None and previous.isVisible() \
            and self.isVisible() and old != new
        if animate and previous is not None:
            self.overlay.start(previous.grab(), 1 if new > old else -1, self.transition_ms)
        else:
            self.overlay.finish()
        incoming.show()
        incoming.raise_()
        self.overlay.raise_()
        self.overview.raise_()
        for index, view in self._views.items():
            if index != new:
                view.hide()
        if previous is not None and old != new:
            # The next visitor to this slide finds it as it first looked.
            previous.reset_interaction()
        self.current_index = new
        self.ahead.moved(old, new)
        self.overview.selection = new
        if self.overview.isVisible():
            self.overview.update()

    def retranslate(self) -> None:
        """The language or the subtitles changed: the visible slide is laid
        out again now, the others when they are next shown.

        Re-laying out every built slide (and rebuilding its chart) on each
        toggle would make the toggle slower the longer the app has run.
        """
        for index, view in self._views.items():
            if index == self.current_index:
                view.retranslate()
            else:
                view.stale = True
        self._thumbnails_again()
        self._name()

    def _name(self) -> None:
        """Its name and description for screen readers, in the shown language."""
        self.setAccessibleName(self._loc.app_text("access.name.stage"))
        self.setAccessibleDescription(self._loc.app_text("access.describe.stage"))

    def restyle(self, look: Look) -> None:
        """The theme, large text, low reach or motion changed: as for a new
        language, the visible slide is laid out again now, the others when
        they are next shown (motion alone lays nothing out)."""
        old, self.look = self.look, look
        for index, view in self._views.items():
            view.restyle(look, now=index == self.current_index)
        if look.lays_out_like(old):
            return
        self._thumbnails_again()
        if look.low_reach != old.low_reach:
            # Slides put their chart or map lower, and so do the thumbnails:
            # their keyboard stand-ins follow (ui.focus).
            self.overview.setProperty("low_reach", look.low_reach)

    def _thumbnails_again(self) -> None:
        self.overview.invalidate()
        if self._prebuilt:
            self.prebuild()

    def handle_tap(self, pos: QPointF) -> int | None:
        """A tap on the stage; returns a slide index when the overview chose one."""
        if self.overview.isVisible():
            return self.overview.index_at(pos)
        self.current_view.handle_tap(pos)
        self.tapped.emit()
        return None

    def current_problems(self) -> list[str]:
        """What is wrong on the slide shown, in plain words (the self-test's
        checks): text that does not fit, a picture that did not load, a chart
        that was not built, a slide that looks blank."""
        from taixin_kiosk.ui.layout.items import ImageItem
        from taixin_kiosk.ui.layout.text import text_fits

        view = self.current_view
        problems: list[str] = []
        layout = view.layout_items
        for item in layout.texts:
            if not item.fits or not text_fits(item):
                problems.append(f"text {item.key} does not fit")
        for decor in layout.decor:
            if isinstance(decor, ImageItem) and self.images.get(decor.path) is None:
                problems.append(f"picture {Path(decor.path).name} did not load")
        if view.slide.chart is not None and view.chart is None:
            problems.append("the chart was not built")
        image = view.grab().toImage()
        colours = {image.pixel(x, y) for x in range(8, image.width(), 37)
                   for y in range(8, image.height(), 29)}
        if len(colours) < 8:
            problems.append(f"the slide looks blank ({len(colours)} colours)")
        return problems

    # -- thumbnails and prebuilding ---------------------------------------

    def thumbnail(self, index: int, size: QSize) -> QImage:
        view = self.view(index)
        if view.stale:
            view.refresh()
        view.ensure_chart()
        w, h = max(1, size.width()), max(1, size.height())
        image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(self.look.palette.background_top)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.scale(w / max(1, view.width()), h / max(1, view.height()))
        view.render(painter, QPoint(0, 0))
        painter.end()
        return image

    def prebuild(self) -> None:
        """Builds (or re-translates) every slide and chart in idle time, one per
        turn of the event loop, so the first visit to a slide is as fast as
        the next and input is never held up for long."""
        self._prebuilt = True
        self._prebuild_queue = [i for i in range(self.count)
                                if i not in self._views or self._views[i].stale]
        self._prebuild_timer.start()

    def _on_prebuild_timer_timeout(self) -> None:
        if not self._prebuild_queue:
            self._prebuild_timer.stop()
            # PySide6's import hook reads the source of every module imported
            # after it (to look for PySide use) into linecache, where it stays:
            # several MB once pyqtgraph is in. Nothing here needs it kept.
            linecache.clearcache()
            return
        view = self.view(self._prebuild_queue.pop(0))
        if view.stale:
            view.refresh()
        view.ensure_chart()

    # -- geometry -----------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        # A picture drawn at the old size is of no use: its memory goes now,
        # and the next paint draws the neighbour again at the new size.
        self.ahead.drop()
        for view in self._views.values():
            view.setGeometry(self.rect())
        self.overlay.setGeometry(self.rect())
        self.overview.setGeometry(self.rect())
        self.overview.invalidate()
        super().resizeEvent(event)
        if self.width() > 0 and self.height() > 0:
            self.resized.emit(self.width() / self.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        # Only visible before the first slide view exists: never a blank screen.
        p = QPainter(self)
        paint_background(p, QRectF(self.rect()), self.look.palette)
        p.end()
