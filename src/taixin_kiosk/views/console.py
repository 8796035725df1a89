"""The presenter console: what the speaker sees on the laptop while the
audience sees the slides.

It is a view only. It shows state snapshots (``apply``), the clock
(``set_clock``) and notes it is given, and every button emits ``requested``
with a named action; ``presenter.PresenterMode`` does the rest. A later
remote control can use the same path.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QCloseEvent,
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from taixin_kiosk.actions import Action
from taixin_kiosk.pacing import Pace, PaceReport, clock_text
from taixin_kiosk.show import ShowState
from taixin_kiosk.views.staff import PanelButton, _px_per_mm
from taixin_kiosk.views.theme import PALETTE, base_font

Text = Callable[..., str]
# Renders slide ``index`` as the audience would see it, at a size.
Renderer = Callable[[int, QSize], QImage]

# Buttons and thumbnails: at least this tall / wide for a finger.
MIN_BUTTON_MM = 12.0

PACE_COLOURS: dict[Pace, QColor] = {
    Pace.IDLE: QColor("#5B6B7C"),
    Pace.AHEAD: QColor("#3D7EC9"),
    Pace.ON_TIME: QColor("#2E8B57"),
    Pace.LATE: QColor("#C98A16"),
    Pace.OVER: QColor("#C0392B"),
}


class ConsoleButton(NamedTuple):
    """One button of the console: its action and argument, and its label key."""

    name: str
    action: Action
    label: str


# The button rows, in order: the most used first (where the thumb rests).
BUTTONS: tuple[tuple[ConsoleButton, ...], ...] = (
    (ConsoleButton("previous", Action.PREVIOUS, "presenter.button.previous"),
     ConsoleButton("next", Action.NEXT, "presenter.button.next"),
     ConsoleButton("black", Action.BLACK, "presenter.button.black"),
     ConsoleButton("white", Action.WHITE, "presenter.button.white"),
     ConsoleButton("freeze", Action.FREEZE, "presenter.button.freeze"),
     ConsoleButton("language", Action.LANGUAGE, "presenter.button.audience_language"),
     ConsoleButton("subtitles", Action.SUBTITLES, "presenter.button.subtitles")),
    (ConsoleButton("tour", Action.TOUR, "presenter.button.tour"),
     ConsoleButton("notes_language", Action.NOTES_LANGUAGE, "presenter.button.notes_language"),
     ConsoleButton("pause", Action.TIMER_PAUSE, "presenter.button.pause"),
     ConsoleButton("reset", Action.TIMER_RESET, "presenter.button.reset"),
     ConsoleButton("swap", Action.SWAP, "presenter.button.swap"),
     ConsoleButton("console", Action.CONSOLE, "presenter.button.hide"),
     ConsoleButton("end", Action.QUIT, "presenter.button.end")),
)


def _label(parent: QWidget, name: str, *, wrap: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {PALETTE.text.name()}; background: transparent;")
    return label


class Preview(QWidget):
    """One slide's picture, aspect kept, with a caption above it and, on the
    current slide, a band saying what covers it for the audience."""

    def __init__(self, name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.image = QImage()
        self.index: int | None = None
        self.caption = ""
        self.band = ""
        self.family = ""
        self.setMinimumSize(120, 80)

    def picture_rect(self) -> QRectF:
        """Where the slide picture goes: below the caption, 16:9-ish of the stage."""
        caption_h = self.caption_height()
        box = QRectF(self.rect()).adjusted(0, caption_h, 0, 0)
        ratio = self.property("ratio") or 16 / 9
        w = min(box.width(), box.height() * float(ratio))
        h = w / float(ratio)
        return QRectF(box.left(), box.top(), w, h)

    def caption_height(self) -> float:
        return max(18.0, min(self.width(), self.height()) * 0.08)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        ch = self.caption_height()
        p.setFont(base_font(self.family, ch * 0.62, bold=True))
        p.setPen(PALETTE.text_muted)
        p.drawText(QRectF(0, 0, self.width(), ch),
                   int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self.caption)
        r = self.picture_rect()
        if self.index is None or self.image.isNull():
            p.fillRect(r, PALETTE.background_bottom)
        else:
            p.drawImage(r, self.image)
        p.setPen(QPen(PALETTE.panel_edge, 1.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(r)
        if self.band:
            band = QRectF(r.left(), r.bottom() - r.height() * 0.16, r.width(), r.height() * 0.16)
            p.fillRect(band, QColor(0, 0, 0, 200))
            p.setFont(base_font(self.family, band.height() * 0.42, bold=True))
            p.setPen(PALETTE.accent)
            p.drawText(band, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                       self.band)
        p.end()


class ThumbStrip(QWidget):
    """Every slide, small, in one or two rows; a tap jumps there. Slides off
    the chosen tour are dimmed, the current one is outlined."""

    chosen = Signal(int)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("thumb-strip")
        self.count = 0
        self.current = 0
        self.route: tuple[int, ...] = ()
        self.family = ""
        self.ratio = 16 / 9
        self.render_slide: Renderer | None = None
        self._images: dict[int, QImage] = {}
        self._pressed: int | None = None
        # Thumbnails are drawn one per turn of the event loop, so opening the
        # console never holds the audience's slide up.
        self._fill = QTimer(self)
        self._fill.setInterval(0)
        self._fill.timeout.connect(self._render_one)

    def rows(self) -> int:
        min_w = _px_per_mm(self) * MIN_BUTTON_MM * 1.6
        return 1 if self.count == 0 or self.width() / self.count >= min_w else 2

    def cell_rects(self) -> list[QRectF]:
        if self.count == 0:
            return []
        rows = self.rows()
        cols = math.ceil(self.count / rows)
        gap = 4.0
        cw = (self.width() - gap * (cols - 1)) / cols
        ch = (self.height() - gap * (rows - 1)) / rows
        tw = min(cw, ch * self.ratio)
        th = tw / self.ratio
        out = []
        for i in range(self.count):
            r, c = divmod(i, cols)
            out.append(QRectF(c * (cw + gap) + (cw - tw) / 2, r * (ch + gap) + (ch - th) / 2,
                              tw, th))
        return out

    def index_at(self, pos: QPointF) -> int | None:
        for i, rect in enumerate(self.cell_rects()):
            if rect.contains(pos):
                return i
        return None

    def invalidate(self) -> None:
        self._images.clear()
        if self.isVisible():
            self._fill.start()
        self.update()

    def _render_one(self) -> None:
        rects = self.cell_rects()
        missing = [i for i in range(self.count) if i not in self._images]
        if not missing or self.render_slide is None or not rects:
            self._fill.stop()
            return
        # The current slide first, then outwards from it.
        index = min(missing, key=lambda i: abs(i - self.current))
        self._images[index] = self.render_slide(index, rects[index].size().toSize())
        self.update(rects[index].toAlignedRect().adjusted(-4, -4, 4, 4))

    def showEvent(self, event: QEvent) -> None:  # type: ignore[override]
        self._fill.start()
        super().showEvent(event)  # type: ignore[arg-type]

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.invalidate()
        super().resizeEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed = self.index_at(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position())
        if index is not None and index == self._pressed:
            self.chosen.emit(index)
        self._pressed = None

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for i, rect in enumerate(self.cell_rects()):
            image = self._images.get(i)
            if image is None:
                p.fillRect(rect, PALETTE.background_bottom)
            else:
                p.drawImage(rect, image)
            if self.route and i not in self.route:
                p.fillRect(rect, QColor(0, 0, 0, 150))
            badge_h = max(14.0, rect.height() * 0.3)
            badge = QRectF(rect.right() - badge_h * 1.5, rect.bottom() - badge_h,
                           badge_h * 1.5, badge_h)
            p.fillRect(badge, PALETTE.control_bar)
            p.setFont(base_font(self.family, badge_h * 0.7, bold=True))
            p.setPen(PALETTE.text)
            p.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), str(i + 1))
            if i == self.current:
                p.setPen(QPen(PALETTE.accent, 3.0))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5))
        p.end()


class Question(QWidget):
    """"End the presentation?" over the console, with two large buttons (the
    presenter mode also answers it from Esc and Enter)."""

    answered = Signal(bool)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("end-question")
        self.text = _label(self, "end-question-text", wrap=True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.keep = PanelButton("keep-presenting", self)
        self.end = PanelButton("end-presentation", self, accent=True)
        self.keep.clicked.connect(lambda: self.answered.emit(False))
        self.end.clicked.connect(lambda: self.answered.emit(True))
        self.hide()

    def layout_children(self) -> None:
        w, h = self.width(), self.height()
        unit = max(0.5, min(w, h) / 1000.0)
        button_h = max(_px_per_mm(self) * MIN_BUTTON_MM * 1.3, 110 * unit)
        button_w = min(w * 0.4, 560 * unit)
        self.text.setFont(base_font(self.keep.family, 46 * unit, bold=True))
        self.text.setGeometry(round(w * 0.1), round(h * 0.22), round(w * 0.8), round(h * 0.25))
        y = round(h * 0.52)
        gap = 40 * unit
        x = w / 2 - button_w - gap / 2
        self.keep.setGeometry(round(x), y, round(button_w), round(button_h))
        self.end.setGeometry(round(w / 2 + gap / 2), y, round(button_w), round(button_h))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.layout_children()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(5, 15, 28, 235))
        p.end()


class Chooser(QWidget):
    """A column of large buttons over the console (the tours); one tap chooses."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("tour-chooser")
        self.title = _label(self, "tour-chooser-title", wrap=True)
        self.buttons: list[PanelButton] = []
        self.values: list[object] = []
        self.family = ""
        self.hide()

    def set_choices(self, title: str, choices: Sequence[tuple[str, object]],
                    current: object) -> None:
        for button in self.buttons:
            button.deleteLater()
        self.title.setText(title)
        self.buttons, self.values = [], []
        for n, (label, value) in enumerate(choices):
            button = PanelButton(f"choice-{n}", self, accent=value == current)
            button.family = self.family
            button.setText(label)
            button.clicked.connect(lambda _=False, v=value: self.chosen.emit(v))
            button.show()
            self.buttons.append(button)
            self.values.append(value)
        self.layout_children()

    def layout_children(self) -> None:
        w, h = self.width(), self.height()
        unit = max(0.5, min(w, h) / 1000.0)
        self.title.setFont(base_font(self.family, 40 * unit, bold=True))
        self.title.setGeometry(round(w * 0.1), round(h * 0.05), round(w * 0.8), round(h * 0.1))
        n = max(1, len(self.buttons))
        top, bottom = h * 0.17, h * 0.95
        gap = 14 * unit
        bh = min((bottom - top - gap * (n - 1)) / n, 110 * unit)
        bh = max(bh, _px_per_mm(self) * MIN_BUTTON_MM)
        bw = min(w * 0.8, 1100 * unit)
        for i, button in enumerate(self.buttons):
            button.setGeometry(round((w - bw) / 2), round(top + i * (bh + gap)), round(bw),
                               round(bh))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.layout_children()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(5, 15, 28, 240))
        p.end()


class PresenterConsole(QWidget):
    """The presenter's window: clock and pace at the top, the current and next
    slide, the notes, every slide as a thumbnail, and large buttons."""

    requested = Signal(object, object)  # (Action, argument)
    close_requested = Signal()
    # The tour button: the presenter mode answers with ``choose_tour``.
    tours_wanted = Signal()

    def __init__(self, family: str, render_slide: Renderer) -> None:
        super().__init__()
        self.setObjectName("presenter-console")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.family = family
        self._render = render_slide
        self._text: Text = lambda key, **params: key
        self._state: ShowState | None = None
        self._notes_key: tuple[int, str] | None = None
        self._preview_key: dict[str, tuple[object, ...]] = {}
        self._close_allowed = False
        self._jump = ""
        self._language_name: Callable[[str], str] = str
        self.setMinimumSize(640, 400)

        self.elapsed = _label(self, "elapsed")
        self.elapsed.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stop_time = _label(self, "stop-time")
        self.target = _label(self, "target")
        self.tour_name = _label(self, "tour-name")
        self.clock = _label(self, "clock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top = QHBoxLayout()
        top.addWidget(self.elapsed)
        top.addWidget(self.stop_time, 2)
        top.addWidget(self.target, 2)
        top.addWidget(self.tour_name, 3)
        top.addWidget(self.clock, 1)

        self.current = Preview("current-preview", self)
        self.next = Preview("next-preview", self)
        self.notes_heading = _label(self, "notes-heading")
        self.notes = _label(self, "notes", wrap=True)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.notes_area = QScrollArea(self)
        self.notes_area.setObjectName("notes-area")
        self.notes_area.setWidget(self.notes)
        self.notes_area.setWidgetResizable(True)
        self.notes_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.notes_area.setStyleSheet("background: transparent;")
        self.notes_area.viewport().setStyleSheet("background: transparent;")
        self.notes_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right = QVBoxLayout()
        right.addWidget(self.next, 4)
        right.addWidget(self.notes_heading)
        right.addWidget(self.notes_area, 5)
        middle = QHBoxLayout()
        middle.addWidget(self.current, 6)
        middle.addLayout(right, 4)

        self.strip = ThumbStrip(self)
        self.strip.render_slide = render_slide
        self.strip.chosen.connect(lambda index: self.requested.emit(Action.GOTO, index))

        self.buttons: dict[str, PanelButton] = {}
        grid = QGridLayout()
        grid.setSpacing(8)
        for row, specs in enumerate(BUTTONS):
            for col, spec in enumerate(specs):
                button = PanelButton(spec.name, self, accent=spec.name == "next")
                button.family = family
                button.clicked.connect(lambda _=False, s=spec: self._clicked(s))
                grid.addWidget(button, row, col)
                self.buttons[spec.name] = button

        root = QVBoxLayout(self)
        root.addLayout(top)
        root.addLayout(middle, 1)
        root.addWidget(self.strip)
        root.addLayout(grid)
        self._root = root

        self.question = Question(self)
        self.question.keep.family = self.question.end.family = family
        self.chooser = Chooser(self)
        self.chooser.family = family
        self.chooser.chosen.connect(self._tour_chosen)
        self.current.family = self.next.family = self.strip.family = family

    # -- what it shows ------------------------------------------------------

    def retranslate(self, text: Text, language_name: Callable[[str], str]) -> None:
        """Labels in the presenter's language (``text`` looks keys up in it)."""
        self._text = text
        self._language_name = language_name
        self.setWindowTitle(text("presenter.window.title"))
        self.notes_heading.setText(text("presenter.notes"))
        self.question.text.setText(text("presenter.confirm.question"))
        self.question.keep.setText(text("presenter.confirm.keep"))
        self.question.end.setText(text("presenter.confirm.end"))
        for specs in BUTTONS:
            for spec in specs:
                self.buttons[spec.name].setText(text(spec.label))
        self._notes_key = None
        if self._state is not None:
            self.apply(self._state, force=True)

    def apply(self, state: ShowState, *, force: bool = False) -> None:
        """Shows a snapshot of the show: previews, strip, toggles."""
        old, self._state = self._state, state
        t = self._text
        name = self._language_name
        self.current.caption = self._jump or t("presenter.now", number=state.slide + 1,
                                               total=state.slides)
        self.next.caption = t("presenter.next", number=state.next_index + 1) \
            if state.next_index is not None else t("presenter.next_end")
        bands = {"black": "presenter.audience.black", "white": "presenter.audience.white",
                 "frozen": "presenter.audience.frozen"}
        self.current.band = t(bands[state.cover]) if state.cover in bands else ""
        # Previews are drawn again only when what they show changed.
        look = (state.locale, state.subtitles)
        self._set_preview(self.current, state.slide, look, force)
        self._set_preview(self.next, state.next_index, look, force)
        if force or old is None or (old.locale, old.subtitles) != look \
                or old.slides != state.slides:
            self.strip.count = state.slides
            self.strip.invalidate()
        self.strip.current = state.slide
        self.strip.route = state.route
        self.strip.update()
        for kind in ("black", "white"):
            self.buttons[kind].accent = state.cover == kind
        self.buttons["freeze"].accent = state.cover == "frozen"
        self.buttons["subtitles"].accent = state.subtitles
        self.buttons["language"].setText(t("presenter.button.audience_language",
                                           language=name(state.locale)))
        self.buttons["previous"].setEnabled(state.slide != (state.route[0] if state.route
                                                            else 0))
        self.buttons["next"].setEnabled(state.next_index is not None)
        for button in self.buttons.values():
            button.update()
        self.current.update()
        self.next.update()

    def _set_preview(self, preview: Preview, index: int | None, look: tuple[object, ...],
                     force: bool) -> None:
        r = preview.picture_rect().size().toSize()
        key = (index, *look, r.width(), r.height())
        if not force and self._preview_key.get(preview.objectName()) == key:
            return
        self._preview_key[preview.objectName()] = key
        preview.index = index
        preview.image = self._render(index, r) if index is not None and not r.isEmpty() \
            else QImage()

    def refresh_previews(self) -> None:
        """The audience's slide changed in place (a chart or map selection)."""
        if self._state is not None:
            self.apply(self._state, force=True)

    def set_ratio(self, ratio: float) -> None:
        """The audience screen's shape, kept by every preview."""
        for widget in (self.current, self.next):
            widget.setProperty("ratio", ratio)
        self.strip.ratio = ratio
        self.strip.invalidate()

    def set_jump(self, text: str) -> None:
        """A slide number being typed: shown over the current slide's caption."""
        self._jump = text
        if self._state is not None:
            self.apply(self._state)

    def set_notes(self, text: str) -> None:
        self.notes.setText(text)
        self.notes_area.verticalScrollBar().setValue(0)

    def set_clock(self, report: PaceReport, *, started: bool, paused: bool, wall: str,
                  tour: str, notes_language: str) -> None:
        t = self._text
        if not started:
            elapsed = t("presenter.timer.waiting")
        elif paused:
            elapsed = t("presenter.timer.paused", time=clock_text(report.elapsed))
        else:
            elapsed = clock_text(report.elapsed)
        self.elapsed.setText(elapsed)
        colour = PACE_COLOURS[report.pace]
        self.elapsed.setStyleSheet(f"color: white; background: {colour.name()};"
                                   " border-radius: 8px; padding: 2px 14px;")
        self.elapsed.setToolTip(t(f"presenter.pace.{report.pace.value}"))
        self.stop_time.setText(t("presenter.stop_time", spent=clock_text(report.stop_elapsed),
                                 planned=clock_text(report.stop_target)))
        if report.elapsed <= report.target:
            self.target.setText(t("presenter.target_left", target=clock_text(report.target),
                                  left=clock_text(report.target - report.elapsed)))
        else:
            self.target.setText(t("presenter.target_over", target=clock_text(report.target),
                                  over=clock_text(report.elapsed - report.target)))
        self.tour_name.setText(t("presenter.pace_line", pace=t(f"presenter.pace."
                                                               f"{report.pace.value}"),
                                 tour=tour))
        self.clock.setText(wall)
        self.buttons["pause"].setText(t("presenter.button.resume" if paused
                                        else "presenter.button.pause"))
        self.buttons["pause"].accent = paused
        self.buttons["tour"].setText(t("presenter.button.tour", tour=tour))
        self.buttons["notes_language"].setText(t("presenter.button.notes_language",
                                                 language=notes_language))

    # -- overlays -----------------------------------------------------------

    def ask_to_end(self) -> None:
        self.chooser.hide()
        self.question.setGeometry(self.rect())
        self.question.show()
        self.question.raise_()

    @property
    def asking(self) -> bool:
        return self.question.isVisible()

    def choose_tour(self, choices: Sequence[tuple[str, object]], current: object) -> None:
        self.chooser.setGeometry(self.rect())
        self.chooser.set_choices(self._text("presenter.tour.choose"), choices, current)
        self.chooser.show()
        self.chooser.raise_()

    def _tour_chosen(self, value: object) -> None:
        self.chooser.hide()
        self.requested.emit(Action.TOUR, value)

    def _clicked(self, spec: ConsoleButton) -> None:
        if spec.action is Action.TOUR:
            self.tours_wanted.emit()
        else:
            self.requested.emit(spec.action, None)

    # -- geometry and input -------------------------------------------------

    def apply_size(self) -> None:
        unit = max(0.5, min(self.width(), self.height()) / 1000.0)
        button_h = max(_px_per_mm(self) * MIN_BUTTON_MM, 78 * unit)
        for button in self.buttons.values():
            button.setMinimumHeight(round(button_h))
            button.setMinimumWidth(40)
        big = base_font(self.family, 40 * unit, bold=True)
        self.elapsed.setFont(big)
        self.clock.setFont(big)
        small = base_font(self.family, 26 * unit)
        for label in (self.stop_time, self.target, self.tour_name):
            label.setFont(small)
        self.notes_heading.setFont(base_font(self.family, 24 * unit, bold=True))
        self.notes.setFont(base_font(self.family, 30 * unit))
        self.strip.setFixedHeight(round(max(_px_per_mm(self) * MIN_BUTTON_MM * 1.6,
                                            self.height() * 0.13)))
        margin = round(16 * unit)
        self._root.setContentsMargins(margin, margin, margin, margin)
        self._root.setSpacing(round(12 * unit))
        for overlay in (self.question, self.chooser):
            if overlay.isVisible():
                overlay.setGeometry(self.rect())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.apply_size()
        super().resizeEvent(event)
        if self._state is not None:
            QTimer.singleShot(0, self, self.refresh_previews)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ScreenChangeInternal:
            self.apply_size()
        return super().event(event)

    def set_single_screen(self, single: bool) -> None:
        """With one screen the console covers the audience view: a button
        (and P) goes back to it."""
        self.buttons["console"].setVisible(single)

    def allow_close(self) -> None:
        self._close_allowed = True

    def closeEvent(self, event: QCloseEvent) -> None:
        # The window manager's close (Alt+F4) on the console asks, like Esc.
        if self._close_allowed:
            event.accept()
            return
        event.ignore()
        self.close_requested.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QBrush(PALETTE.background_top.darker(140)))
        p.end()

